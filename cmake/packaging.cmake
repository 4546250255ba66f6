# Installation layout and the Debian package (CPack DEB), one per
# architecture: amd64 natively, arm64 and armhf through toolchains/.
#
#   /usr/bin/hoshi                      the engine
#   /etc/hoshi/*.cfg                    board configs (dpkg conffiles)
#   /lib/systemd/system/*               whatever units systemd/ holds
#   /var/lib/hoshi/models/              where services look for networks
#   /usr/share/hoshi/model.bin.gz       -> /var/lib/hoshi/models/model.bin.gz
#   /usr/share/hoshi/default_model.bin.gz  the shipped net (models/), which
#                                       `hoshi gtp` without -model loads
#
# /etc/hoshi/hoshi.cfg, the file the service reads, is not shipped: postinst
# writes it once, including the board file `hoshi gtp -config auto` picks, and
# later upgrades leave it alone. boards/rpi/flash writes it itself.

# cpack (and `make install`) must not rebuild the tree: the package tests run
# cpack from ctest, next to running test binaries, and scripts/package builds
# only the hoshi target first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS hoshi RUNTIME DESTINATION bin)

file(GLOB _hoshi_cfgs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/configs/*.cfg)
install(FILES ${_hoshi_cfgs} DESTINATION /etc/hoshi)

# Units come from the transport work; package all of them, whatever they are.
file(GLOB _hoshi_units CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/systemd/*.service
     ${PROJECT_SOURCE_DIR}/systemd/*.socket ${PROJECT_SOURCE_DIR}/systemd/*.target
     ${PROJECT_SOURCE_DIR}/systemd/*.timer)
if(_hoshi_units)
  install(FILES ${_hoshi_units} DESTINATION /lib/systemd/system)
endif()
install(DIRECTORY DESTINATION /var/lib/hoshi/models)
# hoshi.service loads /usr/share/hoshi/model.bin.gz; /usr is read-only to a
# hardened service and to an admin's habits, so the network itself lives in
# /var/lib/hoshi/models (boards/rpi/flash --model and the deploy scripts put it
# there) and this link points at it.
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/deb)
file(CREATE_LINK /var/lib/hoshi/models/model.bin.gz ${PROJECT_BINARY_DIR}/deb/model.bin.gz SYMBOLIC)
install(FILES ${PROJECT_BINARY_DIR}/deb/model.bin.gz DESTINATION share/hoshi)
# The small net models/ ships (its origin and licence in models/README.md),
# so that the package plays real Go without a download.
install(FILES ${PROJECT_SOURCE_DIR}/models/g170-b6c96-s175395328-d26788732.bin.gz
        DESTINATION share/hoshi RENAME default_model.bin.gz)
install(FILES ${PROJECT_SOURCE_DIR}/models/README.md DESTINATION share/hoshi
        RENAME default_model.README.md)

set(_deb_dir ${PROJECT_BINARY_DIR}/deb)
set(_conffiles "")
foreach(_cfg ${_hoshi_cfgs})
  get_filename_component(_name ${_cfg} NAME)
  string(APPEND _conffiles "/etc/hoshi/${_name}\n")
endforeach()
file(WRITE ${_deb_dir}/conffiles "${_conffiles}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/deb/postinst ${_deb_dir}/postinst @ONLY
               FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
               GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
configure_file(${CMAKE_CURRENT_LIST_DIR}/deb/postrm ${_deb_dir}/postrm @ONLY
               FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
               GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hoshi)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Hoshi developers <hoshi@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Go (baduk) engine for small boards, running KataGo networks")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "Hoshi speaks GTP on stdin, TCP or a serial line and evaluates KataGo networks on the "
       "CPU (Eigen) or an NVIDIA GPU. Board configs for Raspberry Pi and Jetson are in /etc/hoshi.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION games)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${_deb_dir}/conffiles ${_deb_dir}/postinst
                                       ${_deb_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

if(CMAKE_CROSSCOMPILING AND NOT HOSHI_CROSS_ARCH)
  message(WARNING "packaging: a cross build without toolchains/*.cmake; "
                  "the .deb will have no architecture or Depends")
elseif(CMAKE_CROSSCOMPILING)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${HOSHI_CROSS_ARCH})
  # Depends are read from the sysroot's packages when cpack runs (the binary
  # exists only then): see deb_depends.py for why not dpkg-shlibdeps.
  find_package(Python3 COMPONENTS Interpreter REQUIRED)
  set(HOSHI_DEB_BINARY $<TARGET_FILE:hoshi>)
  set(HOSHI_DEB_ARCHIVES ${HOSHI_SYSROOT}/var/cache/apt/archives)
  file(GENERATE OUTPUT ${_deb_dir}/cpack_project.cmake CONTENT "\
if(CPACK_GENERATOR STREQUAL \"DEB\")
  execute_process(COMMAND \"${Python3_EXECUTABLE}\" \"${CMAKE_CURRENT_LIST_DIR}/deb_depends.py\"
                  \"${HOSHI_DEB_BINARY}\" \"${HOSHI_DEB_ARCHIVES}\"
                  OUTPUT_VARIABLE _deps OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR \"cannot compute Depends for ${HOSHI_DEB_BINARY}\")
  endif()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS \"\${_deps}\")
endif()
")
  set(CPACK_PROJECT_CONFIG_FILE ${_deb_dir}/cpack_project.cmake)
else()
  # Natively dpkg-shlibdeps knows every library's package. A library outside
  # Debian (a CUDA toolkit in /usr/local) makes it fail, so packages are built
  # with HOSHI_WITH_CUDA=OFF (scripts/package does).
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()

include(CPack)
