# 64-bit Arm: Raspberry Pi 3/4/5 and Zero 2 W running a 64-bit OS, and
# CPU-only builds for Jetson boards. Generic ARMv8-A code (NEON is part of it),
# so one binary serves the Cortex-A53 of a Pi 3 as well as the A76 of a Pi 5.
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(HOSHI_CROSS_TRIPLE aarch64-linux-gnu)
set(HOSHI_CROSS_ARCH arm64)
set(HOSHI_QEMU_ARCH aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
