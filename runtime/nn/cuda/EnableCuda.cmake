# Included from the top-level CMakeLists.txt, before add_subdirectory(runtime):
# decides HOSHI_WITH_CUDA and enables the CUDA language when it is on.
#
# Default: on when an nvcc is found (on PATH, $CUDACXX, or the usual
# /usr/local/cuda/bin/nvcc of toolkits and JetPack). The language is enabled
# here, at the top, because the tests and the binary link CUDA objects too.
# Cross builds (toolchains/, e.g. for a Pi) default to OFF: the host's nvcc
# targets the host, not the board; build natively on a Jetson instead.
include(CheckLanguage)
if(NOT CMAKE_CROSSCOMPILING AND NOT DEFINED CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX}
   AND EXISTS /usr/local/cuda/bin/nvcc)
  set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc CACHE FILEPATH "CUDA compiler")
endif()
if(NOT CMAKE_CROSSCOMPILING AND NOT DEFINED CMAKE_CUDA_COMPILER)
  check_language(CUDA)
endif()
if(CMAKE_CUDA_COMPILER AND NOT CMAKE_CROSSCOMPILING)
  set(_hoshi_cuda_default ON)
else()
  set(_hoshi_cuda_default OFF)
endif()
option(HOSHI_WITH_CUDA "Build the CUDA (FP16/FP32) backend; needs nvcc and cuBLAS"
       ${_hoshi_cuda_default})

if(HOSHI_WITH_CUDA)
  if(NOT CMAKE_CUDA_COMPILER)
    message(FATAL_ERROR "HOSHI_WITH_CUDA is ON but no nvcc was found; set "
                        "CMAKE_CUDA_COMPILER or pass -DHOSHI_WITH_CUDA=OFF")
  endif()
  # Orin (sm_87) and Hopper (sm_90) by default. On a Jetson, pass your own,
  # e.g. -DCMAKE_CUDA_ARCHITECTURES=72 (Xavier) or 53 (Nano, CUDA 10.2/11.x).
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 87 90 CACHE STRING "GPU architectures to build for")
  endif()
  enable_language(CUDA)
  find_package(CUDAToolkit REQUIRED)
  message(STATUS "Hoshi: CUDA backend ON (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, "
                 "archs ${CMAKE_CUDA_ARCHITECTURES})")
else()
  message(STATUS "Hoshi: CUDA backend OFF")
endif()
