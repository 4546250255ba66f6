# Shared part of the Debian cross toolchains. The including file sets
# HOSHI_CROSS_TRIPLE, HOSHI_CROSS_ARCH (Debian's name) and CMAKE_SYSTEM_PROCESSOR.
#
# Compilers come from crossbuild-essential-<arch>; headers and libraries we
# link come from a sysroot built by boards/rpi/make-sysroot. Tests run through
# qemu-user with that sysroot as the library root, because binfmt_misc is not
# something a build machine or CI container can be expected to have.
set(CMAKE_SYSTEM_NAME Linux)

# Toolchain files are re-read for every try_compile, where only the
# environment and the forwarded variables survive; keep the sysroot in both.
if(NOT HOSHI_SYSROOT AND DEFINED ENV{HOSHI_SYSROOT})
  set(HOSHI_SYSROOT "$ENV{HOSHI_SYSROOT}")
endif()
if(NOT HOSHI_SYSROOT)
  get_filename_component(_hoshi_src "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
  set(HOSHI_SYSROOT "${_hoshi_src}/build-sysroot-${HOSHI_CROSS_ARCH}")
endif()
get_filename_component(HOSHI_SYSROOT "${HOSHI_SYSROOT}" ABSOLUTE)
if(NOT EXISTS "${HOSHI_SYSROOT}/usr/include")
  message(FATAL_ERROR "No ${HOSHI_CROSS_ARCH} sysroot at ${HOSHI_SYSROOT}: run "
                      "boards/rpi/make-sysroot ${HOSHI_CROSS_ARCH} ${HOSHI_SYSROOT} "
                      "or pass -DHOSHI_SYSROOT=DIR")
endif()
set(ENV{HOSHI_SYSROOT} "${HOSHI_SYSROOT}")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES HOSHI_SYSROOT)

set(CMAKE_C_COMPILER ${HOSHI_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${HOSHI_CROSS_TRIPLE}-g++)
set(CMAKE_SYSROOT "${HOSHI_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${HOSHI_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_LIBRARY_ARCHITECTURE ${HOSHI_CROSS_TRIPLE})

# pkg-config must see the target's .pc files only, with paths inside the sysroot.
set(ENV{PKG_CONFIG_DIR} "")
set(ENV{PKG_CONFIG_LIBDIR}
    "${HOSHI_SYSROOT}/usr/lib/${HOSHI_CROSS_TRIPLE}/pkgconfig:${HOSHI_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${HOSHI_SYSROOT}")

find_program(HOSHI_QEMU qemu-${HOSHI_QEMU_ARCH})
if(HOSHI_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${HOSHI_QEMU};-L;${HOSHI_SYSROOT}")
endif()

