/* wb/reset_flags.h - reset cause and loader status word encodings (pure, no registers).
 * Owns: RCC_CSR reset flags -> WBOTA_RESET_* (core boot.h) and the 4-byte loader status word
 * at 0x20000004 (format in core loader_info.h). Used by the loader boot path, system.c and
 * host unit tests. */
#ifndef WB_RESET_FLAGS_H
#define WB_RESET_FLAGS_H

#include <stdbool.h>
#include <stdint.h>

/* RCC_CSR value -> WBOTA_RESET_* bit set. SFTRSTF -> SOFTWARE, OBLRSTF -> OPTION, PINRSTF ->
 * PIN, BORRSTF -> POWER, IWDGRSTF/WWDGRSTF -> WATCHDOG; LPWRRSTF is not reported. */
uint32_t wb_reset_flags_from_csr(uint32_t csr);

/* Status word bytes as a little-endian u32: [0] 0xA5, [1] reason, [2] attempts, [3] flags. */
uint32_t wb_loader_status_encode(uint8_t reason, uint8_t attempts, uint8_t flags);
/* false when the marker byte is not 0xA5 (never written since power-on). */
bool wb_loader_status_decode(uint32_t word, uint8_t *reason, uint8_t *attempts, uint8_t *flags);

#endif
