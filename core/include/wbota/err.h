/* wbota/err.h - the one error/reason enum of wbota.
 * Owns: every rejection code a user can see (loader status, FE23 value, boot "stay" reason,
 * host tool exit details). 0 = OK, negative = error. Codes are STABLE: never renumber, only add.
 * Wire mapping: FE23 carries (uint8_t)(-code); -1 is never used because FE23 = 0x01 means
 * success in ST's protocol. docs/reason-codes.md lists every code with its meaning.
 * Included by everything; includes nothing but <stdint.h>. */
#ifndef WBOTA_ERR_H
#define WBOTA_ERR_H

#include <stdint.h>

typedef enum {
    WBOTA_OK = 0,
    /* -1 reserved: 0x01 on FE23 is ST's "success" */
    WBOTA_E_ARG = -2,           /* programmer error: bad argument */
    WBOTA_E_RANGE = -3,         /* address/page outside the region this operation may touch */
    WBOTA_E_ALIGN = -4,         /* misaligned address */
    WBOTA_E_MAILBOX_MODE = -5,  /* mailbox mode byte not 0x00/0x01/0x02 */
    WBOTA_E_MAILBOX_PAGE = -6,  /* erase plan would touch a loader page or start at/above SFSA */
    WBOTA_E_MAILBOX_EMPTY = -7, /* erase plan empty or inverted */
    WBOTA_E_NO_APP = -8,        /* app region erased / nothing there */
    WBOTA_E_TAG_PTR = -9,       /* word at app+0x140 does not point inside the app region */
    WBOTA_E_MAGIC = -10,        /* no 0x94448A29 where the tag pointer points */
    WBOTA_E_VT_SP = -11,        /* initial SP not 8-aligned in SRAM1 above the mailbox */
    WBOTA_E_VT_RESET = -12,     /* reset vector not Thumb or outside the image */
    WBOTA_E_MANIFEST_MISSING = -13, /* policy requires a manifest, none found */
    WBOTA_E_MANIFEST_FORMAT = -14,  /* manifest malformed (bounds, TLV, lengths) */
    WBOTA_E_HASH = -15,             /* SHA-256 of the image does not match the manifest */
    WBOTA_E_SIG_MISSING = -16,      /* policy requires a signature, none present */
    WBOTA_E_SIG = -17,              /* signature does not verify */
    WBOTA_E_KEY_ID = -18,           /* manifest signed by a key this loader does not hold */
    WBOTA_E_SIZE = -19,             /* image larger than the region / size fields inconsistent */
    WBOTA_E_OTA_STATE = -20, /* OTA event not valid in the current state (e.g. data before start) */
    WBOTA_E_OTA_CMD = -21,   /* unknown FE22 command byte */
    WBOTA_E_OTA_LEN = -22,   /* FE22/FE24 value of a length the protocol does not allow */
    WBOTA_E_OTA_EMPTY = -23, /* "upload finished" with nothing written */
    WBOTA_E_FLASH_NOT_ERASED = -24, /* target double word not erased */
    WBOTA_E_FLASH_PROG = -25,       /* flash controller reported a programming error */
    WBOTA_E_FLASH_VERIFY = -26,     /* read-back differs from what was programmed */
    WBOTA_E_FLASH_ERASE = -27,      /* page erase failed */
    WBOTA_E_TIMEOUT = -28,          /* a bounded wait expired */
    WBOTA_E_CPU2_NOT_READY = -29,   /* CPU2 never posted its ready event within the bound */
    WBOTA_E_CPU2_NO_RESPONSE = -30, /* CPU2 did not answer a command within the bound */
    WBOTA_E_CPU2_CMD = -31,         /* CPU2 answered a command with an error status */
    WBOTA_E_RFWKP_TRAP = -32,       /* RF wake-up source in force cannot run this loader's radio */
    WBOTA_E_NO_LOADER = -33,        /* no wbota/ST loader found at 0x08000000 */
    WBOTA_E_LINK_LOST = -34,        /* BLE link lost / stalled mid-upload */
    WBOTA_E_POWER_CUT = -35,        /* (host flash model) injected power cut fired */
    WBOTA_E_DOWNGRADE = -36,        /* security counter lower than the installed one */
    WBOTA_E_FLASH_LOCKED = -37,     /* flash controller locked / key sequence failed */
    WBOTA_E_SEM_BUSY = -38,         /* hardware semaphore not obtained within the bound */
    WBOTA_E_UNSUPPORTED = -39,      /* feature not built in / not supported */
    WBOTA_E_TRUNCATED = -40,      /* input ended early (partial image, short file, short packet) */
    WBOTA_E_PARSE = -41,          /* host: malformed input file (HEX/ELF/PEM) */
    WBOTA_E_IO = -42,             /* host: file or socket I/O failed */
    WBOTA_E_NOT_FOUND = -43,      /* host: device/loader not found by a bounded scan */
    WBOTA_E_REJECTED = -44,       /* host: device answered with an error code (see detail) */
    WBOTA_E_STAY_REQUESTED = -45, /* not a failure: the app asked for the loader (mailbox 0x01) */
    WBOTA_E_STAY_CPU2_UPGRADE = -46, /* not a failure: a CPU2 (FUS) upgrade is in progress (0x02) */
    WBOTA_E_NOT_CONFIRMED = -47, /* image in test reset WBOTA_CFG_TEST_BOOTS times unconfirmed */
    WBOTA_E_VT_VECTOR = -48,     /* a used vector-table entry points outside the hashed image */
    WBOTA_E_RECORDS = -49,       /* the loader's record pages take no more records */
    WBOTA_E_INSTALL = -50,       /* install: a copied page differs from the staging slot */
    WBOTA_E_RESUME_OTHER = -51,  /* resume refused: the staged part is of another image */
    WBOTA_E_RESUME_NONE = -52,   /* resume: nothing recorded to continue (start from 0) */
    /* -53: reserved (placeholder in err.c) */
    WBOTA_E_WS_MANIFEST_MISSING = -54, /* signed policy: wireless-stack image without manifest */
    WBOTA_E_MANIFEST_KIND = -55,       /* manifest of another image kind (app vs wireless stack) */
    WBOTA_E_WS_LAYOUT = -56,           /* stack manifest does not describe the bytes before it */
    /* -57 .. -58: reserved (placeholders in err.c) */
    WBOTA_E_BT_NO_ADAPTER = -59,  /* host: no Bluetooth adapter (or not the one named) */
    WBOTA_E_BT_ADAPTER_OFF = -60, /* host: the Bluetooth adapter is powered off / blocked */
    WBOTA_E_BT_NO_BLUEZ = -61,    /* host: bluetoothd (org.bluez on the system bus) not running */
    WBOTA_E_BT_DENIED = -62,      /* host: D-Bus/BlueZ refused the call: permission denied */
    WBOTA_E_BT_UNRESOLVED = -63,  /* host: connected, but the GATT services never resolved */
    WBOTA_E_BT_BUSY = -64,        /* host: BlueZ refused: another operation is in progress */
    WBOTA_E_LOADER_ABSENT = -65,  /* host: the loader did not appear after the reboot request */
    WBOTA_E_INTERRUPTED = -66,    /* host: stopped by the user (Ctrl-C) */
    /* -67: reserved (placeholder in err.c) */
    WBOTA_E_IN_TEST = -68, /* swap: an image in test holds the revert copy; confirm it first */
    WBOTA_E_LAST = -69     /* keep last: first unused code */
} wbota_err_t;

/* Short stable identifier ("E_HASH"), never NULL. Host tools and tests; the loader need not link
 * it. */
const char *wbota_err_name(int code);
/* One-line human explanation with what to do about it, never NULL. */
const char *wbota_err_text(int code);

/* Programmer errors: every path that refuses a bad argument returns wbota_err_arg(), which
 * counts the event and returns WBOTA_E_ARG, so a test can assert that such a path ran (or did
 * not). The counter is a plain uint32_t in RAM (firmware too: a few bytes, no strings). */
wbota_err_t wbota_err_arg(void);
uint32_t wbota_err_arg_count(void);

/* FE23 values (docs/reason-codes.md#fe23-byte). ST's apps read 0x01 as success, 0x02 as "send
 * the file again" and 0x03 as "no free space", so the mapping is explicit: 0x01 = WBOTA_OK,
 * 0x03 = WBOTA_E_SIZE (the image does not fit: what ST's apps say), every other failure
 * 0x80 | -code. 0x02 is never sent. */
#define WBOTA_FE23_OK       0x01u
#define WBOTA_FE23_NO_SPACE 0x03u
#define WBOTA_FE23_FAIL     0x80u

static inline uint8_t wbota_err_to_wire(int code)
{
    if (code == WBOTA_OK) {
        return (uint8_t)WBOTA_FE23_OK;
    }
    if (code == WBOTA_E_SIZE) {
        return (uint8_t)WBOTA_FE23_NO_SPACE;
    }
    return (uint8_t)(WBOTA_FE23_FAIL | ((unsigned)-code & 0x7Fu));
}

/* The reason behind an FE23 value: WBOTA_OK, a WBOTA_E_* code, or 1 when the value is not one
 * a wbota loader sends (another loader's, or 0x02). */
static inline int wbota_err_from_wire(uint8_t v)
{
    if (v == WBOTA_FE23_OK) {
        return WBOTA_OK;
    }
    if (v == WBOTA_FE23_NO_SPACE) {
        return WBOTA_E_SIZE;
    }
    if (v > WBOTA_FE23_FAIL) {
        return -(int)(v & 0x7Fu);
    }
    return 1;
}

#endif
