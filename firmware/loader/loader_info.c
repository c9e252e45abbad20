/* The loader information block instance, ON FLASH at 0x08000200 (WBOTA_LOADER_INFO_ADDR;
 * loader.ld places section .loader_info there and asserts it). Byte layout: core
 * wbota/loader_info.h; the app kit and `wbota image inspect` / `wbota layout` read it, so every
 * value here is on flash and shared: never reorder. Little-endian target: the struct below is
 * the wire layout (checked with _Static_assert). */
#include <stddef.h>
#include <stdint.h>

#include "loader_version.h"
#include "wb_board.h"
#include "wbota/layout.h"
#include "wbota/loader_info.h"

typedef struct {
    uint32_t magic;
    uint8_t format;
    uint8_t policy;
    uint8_t rfwkp_mode;
    uint8_t app_start_page;
    uint8_t ver_major;
    uint8_t ver_minor;
    uint16_t ver_patch;
    uint32_t build_id;
    uint32_t loader_size;
    uint32_t key_id;
    uint8_t reserved[8];
} wb_loader_info_wire_t;

_Static_assert(sizeof(wb_loader_info_wire_t) == WBOTA_LOADER_INFO_LEN, "info block is 32 bytes");
_Static_assert(offsetof(wb_loader_info_wire_t, format) == 4, "format at 4");
_Static_assert(offsetof(wb_loader_info_wire_t, ver_major) == 8, "version at 8");
_Static_assert(offsetof(wb_loader_info_wire_t, ver_patch) == 10, "patch at 10");
_Static_assert(offsetof(wb_loader_info_wire_t, build_id) == 12, "build id at 12");
_Static_assert(offsetof(wb_loader_info_wire_t, loader_size) == 16, "size at 16");
_Static_assert(offsetof(wb_loader_info_wire_t, key_id) == 20, "key id at 20");
_Static_assert(offsetof(wb_loader_info_wire_t, reserved) == 24, "reserved at 24");

/* Defined by loader.ld: its ADDRESS is the number of flash bytes the loader uses. */
extern const uint8_t wb_loader_size_sym[];

__attribute__((section(".loader_info"), used)) const wb_loader_info_wire_t wb_loader_info = {
    .magic = WBOTA_LOADER_INFO_MAGIC,
    .format = 1u,
    .policy = (uint8_t)WBOTA_CFG_POLICY,
    .rfwkp_mode = (uint8_t)WBOTA_CFG_RFWKP,
    .app_start_page = (uint8_t)WBOTA_CFG_APP_START_PAGE,
    .ver_major = (uint8_t)WB_VER_MAJOR,
    .ver_minor = (uint8_t)WB_VER_MINOR,
    .ver_patch = (uint16_t)WB_VER_PATCH,
    .build_id = (uint32_t)WB_BUILD_ID,
    .loader_size = (uint32_t)(uintptr_t)wb_loader_size_sym,
    .key_id = (uint32_t)WB_KEY_ID,
    .reserved = {0xFFu, 0xFFu, 0xFFu, 0xFFu, 0xFFu, 0xFFu, 0xFFu, 0xFFu},
};
