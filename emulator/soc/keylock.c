/* keylock.c - the key-sequence lock shared by FLASH KEYR/OPTKEYR, RCC HSECR and HSEM CR: the
 * keys must arrive in order; a wrong value locks the register until the next reset (RM0434 3.3.5:
 * "a wrong sequence locks up the FLASH_CR register until the next system reset"). */
#include "soc.h"

void emu_keylock_reset(emu_keylock_t *k)
{
    k->pos = 0;
    k->blocked = false;
    k->unlocked = false;
}

bool emu_keylock_feed(emu_keylock_t *k, uint32_t val)
{
    if (k->blocked) {
        return false;
    }
    if (k->pos < k->nkeys && val == k->keys[k->pos]) {
        k->pos++;
        if (k->pos == k->nkeys) {
            k->pos = 0;
            k->unlocked = true;
            return true;
        }
        return false;
    }
    k->pos = 0;
    k->blocked = true;
    return false;
}
