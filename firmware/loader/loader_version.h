/* loader_version.h - the loader's version and build identity, passed by firmware/CMakeLists.txt
 * (project version, commit hash, key id); the defaults serve host builds of loader sources.
 * Published in the information block (loader_info.c) and the scan response (ota_service.c). */
#ifndef WB_LOADER_VERSION_H
#define WB_LOADER_VERSION_H

#ifndef WB_BUILD_ID
#define WB_BUILD_ID 0u /* CMake passes the first 4 bytes of the source commit hash */
#endif
#ifndef WB_KEY_ID
#define WB_KEY_ID 0u /* CMake passes wbota_key_id() of the built-in key (signed builds) */
#endif
#ifndef WB_VER_MAJOR
#define WB_VER_MAJOR 0u
#endif
#ifndef WB_VER_MINOR
#define WB_VER_MINOR 1u
#endif
#ifndef WB_VER_PATCH
#define WB_VER_PATCH 0u
#endif

#endif
