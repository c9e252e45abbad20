/* wb/otp.h - the STM32WB OTP area and the factory records in it (pure parsing, no registers).
 * Owns: finding the HSE load-capacitance tuning value (record id 0, byte 6: reference
 * section 7) in a copy of the OTP area. Called by clock.c on target and by host unit tests.
 * Includes only standard headers. */
#ifndef WB_OTP_H
#define WB_OTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WB_OTP_BASE          0x1FFF7000u /* RM0434 FLASH chapter: 1 KB OTP, 64-bit records */
#define WB_OTP_SIZE          0x400u
#define WB_OTP_RECORD_LEN    8u
#define WB_OTP_ID_BYTE       7u /* record id */
#define WB_OTP_HSE_ID        0u /* record id 0: "BLE/HSE" record */
#define WB_OTP_HSE_TUNE_BYTE 6u
#define WB_UID64_ADDR        0x1FFF7580u

/* Scans whole 8-byte records of otp[0, len) and returns true with *tune (6 bits, HSETUNE
 * width) from the LAST record whose id is 0 (records are appended, so a later one supersedes
 * an earlier one). Records that are all 0xFF (never written) have id 0xFF and never match.
 * A trailing partial record is ignored. */
bool wb_otp_find_hse_tune(const uint8_t *otp, size_t len, uint8_t *tune);

#endif
