/* wbota/st_ota.h - ST's OTA identity on air, in one place (docs/st-interface.md#gatt).
 * Owns: the OTA service and characteristic UUIDs (as on-air little-endian bytes, for the
 * firmware's GATT table and the host), the loader's name "STM_OTA" and manufacturer device
 * id 0x86, the FE22 command bytes and the FE23 value mapping. Used by the loader's OTA service,
 * the app kit, the wbota tool and the test central. Header-only, freestanding. */
#ifndef WBOTA_ST_OTA_H
#define WBOTA_ST_OTA_H

#include <stdint.h>

#include "wbota/err.h"

/* GATT (docs/st-interface.md#gatt): service 0000fe20-cc7a-482a-984a-7f2ed5b3e58f, its
 * characteristics 0000fexx-8e22-4541-9d4c-21edae82ed19 (FE22 command, FE23 verdict, FE24 raw
 * data; FE11 the app's reboot request). Only as on air (little-endian, the text form's bytes
 * reversed), the form the firmware registers and the host matches: initializers for
 * uint8_t[16]; id = 0x11, 0x22, 0x23 or 0x24 (the "xx" of fexx). */
#define WBOTA_ST_SERVICE_UUID_LE                                                                   \
    {                                                                                              \
        0x8fu, 0xe5u, 0xb3u, 0xd5u, 0x2eu, 0x7fu, 0x4au, 0x98u, 0x2au, 0x48u, 0x7au, 0xccu, 0x20u, \
            0xfeu, 0x00u, 0x00u                                                                    \
    }
#define WBOTA_ST_CHAR_UUID_LE(id)                                                                  \
    {                                                                                              \
        0x19u, 0xedu, 0x82u, 0xaeu, 0xedu, 0x21u, 0x4cu, 0x9du, 0x41u, 0x45u, 0x22u, 0x8eu, (id),  \
            0xfeu, 0x00u, 0x00u                                                                    \
    }
#define WBOTA_ST_FE11 0x11u
#define WBOTA_ST_FE22 0x22u
#define WBOTA_ST_FE23 0x23u
#define WBOTA_ST_FE24 0x24u

/* Advertising (docs/st-interface.md#advertising): the loader's complete local name and the
 * device id byte in its manufacturer data (0D FF <version> <id> <features> ...). */
#define WBOTA_ST_LOADER_NAME         "STM_OTA"
#define WBOTA_ST_DEV_ID_LOADER       0x86u
#define WBOTA_ST_MANUF_VERSION       0x01u /* first byte of the manufacturer data, after 0xFF */
#define WBOTA_ST_MANUF_DEV_ID_INDEX  1u    /* index of the id in the manufacturer data */
#define WBOTA_ST_MANUF_FEATURE_INDEX 2u    /* index of the feature byte */
/* feature bit: the application can reboot into the loader (docs/st-interface.md#fe11) */
#define WBOTA_ST_FEAT_OTA_REBOOT 0x20u

/* FE22 (docs/st-interface.md#fe22): [cmd][address bits 23..16][15..8][7..0]; "finished" may be
 * the single byte 0x07. */
#define WBOTA_ST_CMD_STOP     0x00u
#define WBOTA_ST_CMD_WIRELESS 0x01u
#define WBOTA_ST_CMD_APP      0x02u
#define WBOTA_ST_CMD_FINISHED 0x07u
#define WBOTA_ST_CMD_CANCEL   0x08u
#define WBOTA_ST_FE22_LEN     4u
/* FE11 (docs/st-interface.md#fe11): [mode][first page][page count], 3 bytes */
#define WBOTA_ST_FE11_LEN 3u

/* FE23 (docs/st-interface.md#fe23): 0x01 = success (ST's value). The mapping of refusals to
 * FE23 values is wbota_err_to_wire / wbota_err_from_wire in err.h (docs/reason-codes.md). */
#define WBOTA_ST_FE23_SUCCESS 0x01u

#endif
