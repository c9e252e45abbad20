# Install rules and the Debian package of the host tools (host build only; included from the
# top-level CMakeLists.txt). `make install PREFIX=...` and `make package` drive them; the
# layout is described in README.md ("Installing"):
#   bin/wbota, bin/wbota-emu
#   share/wbota/appkit/include  wbota_appkit.h + the core and register headers it needs
#   share/wbota/appkit/src      the app kit and core sources an application compiles in
#   share/wbota/appkit/ld       the linker fragment and the example script
#   share/doc/wbota             README.md and docs/*.md
include(GNUInstallDirs)

install(TARGETS wbota wbota-emu RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(WBOTA_KIT ${CMAKE_INSTALL_DATADIR}/wbota/appkit)
install(FILES ${PROJECT_SOURCE_DIR}/firmware/appkit/include/wbota_appkit.h
        DESTINATION ${WBOTA_KIT}/include)
# the core and chip headers the app kit includes (and those they include), and the sources an
# application compiles in with it (the core's crypto.c is left out: the app kit does not verify
# images, and it would need mbedTLS)
file(GLOB WBOTA_KIT_CORE_H ${PROJECT_SOURCE_DIR}/core/include/wbota/*.h)
install(FILES ${WBOTA_KIT_CORE_H} DESTINATION ${WBOTA_KIT}/include/wbota)
file(GLOB WBOTA_KIT_CHIP_H ${PROJECT_SOURCE_DIR}/firmware/chip/include/wb/*.h)
install(FILES ${WBOTA_KIT_CHIP_H} DESTINATION ${WBOTA_KIT}/include/wb)
file(GLOB WBOTA_KIT_REGS_H ${PROJECT_SOURCE_DIR}/firmware/chip/include/wb/regs/*.h)
install(FILES ${WBOTA_KIT_REGS_H} DESTINATION ${WBOTA_KIT}/include/wb/regs)
file(GLOB WBOTA_KIT_BOARD_H ${PROJECT_SOURCE_DIR}/firmware/board/*.h)
install(FILES ${WBOTA_KIT_BOARD_H} DESTINATION ${WBOTA_KIT}/include)
file(GLOB WBOTA_KIT_APPKIT_C ${PROJECT_SOURCE_DIR}/firmware/appkit/src/*.c)
install(FILES ${WBOTA_KIT_APPKIT_C}
              ${PROJECT_SOURCE_DIR}/core/src/layout.c
              ${PROJECT_SOURCE_DIR}/core/src/mailbox.c
              ${PROJECT_SOURCE_DIR}/core/src/loader_info.c
              ${PROJECT_SOURCE_DIR}/core/src/records.c
              ${PROJECT_SOURCE_DIR}/core/src/staged.c
              ${PROJECT_SOURCE_DIR}/core/src/err.c
              ${PROJECT_SOURCE_DIR}/firmware/chip/src/flash.c
              ${PROJECT_SOURCE_DIR}/firmware/chip/src/reset.c
        DESTINATION ${WBOTA_KIT}/src)
install(FILES ${PROJECT_SOURCE_DIR}/firmware/appkit/wbota_app.ld
              ${PROJECT_SOURCE_DIR}/firmware/appkit/wbota_app_example.ld
        DESTINATION ${WBOTA_KIT}/ld)
file(GLOB WBOTA_DOCS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${WBOTA_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wbota)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "STM32WB55 OTA tools: wbota (images, signing, upload) and wbota-emu (emulated STM32WB55)")
set(CPACK_PACKAGE_CONTACT "wbota maintainers <wbota@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # library dependencies from dpkg-shlibdeps
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)
