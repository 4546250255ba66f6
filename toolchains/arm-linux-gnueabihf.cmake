# 32-bit Arm (ARMv7-A, hard float): Raspberry Pi 2/3/4 and Zero 2 W running
# 32-bit Raspberry Pi OS. Debian's armhf baseline is ARMv7-A with VFPv3-D16 and
# no NEON; every Pi that runs ARMv7 code has NEON-VFPv4, and Eigen's NEON
# kernels are several times faster, so we ask for it. (ARMv6 boards, the Pi 1
# and the first Zero, cannot run Debian armhf libraries at all.)
#   cmake -S . -B build-armhf -DCMAKE_TOOLCHAIN_FILE=toolchains/arm-linux-gnueabihf.cmake
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(HOSHI_CROSS_TRIPLE arm-linux-gnueabihf)
set(HOSHI_CROSS_ARCH armhf)
set(HOSHI_QEMU_ARCH arm)
set(CMAKE_C_FLAGS_INIT "-mfpu=neon-vfpv4")
# GCC notes that GCC 7.1 changed how some iterators are passed on ARM (-Wpsabi).
# Everything here is built by one compiler against Debian's GCC 12 libraries,
# so the old ABI never meets the new one; the notes are noise.
set(CMAKE_CXX_FLAGS_INIT "-mfpu=neon-vfpv4 -Wno-psabi")
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
