/* test_emu_periph.c - peripheral models of wbota-emu driven through the bus, in QEMU qtest
 * order (reset values, reserved bits, set/clear, write-1-to-clear, key sequences, interrupts).
 * Every expected value is written here from RM0434 / the ARMv7-M ARM, not taken from the
 * models' own constants. */
#include "emu_bus_test.h"

static emu_soc_t *prv_new(void)
{
    return emu_test_soc(true);
}

/* ---------------- FLASH (RM0434 3.10) ---------------- */
static void test_flash_reset_values_match_rm(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    assert_int_equal(rd(soc, 0x58004000u), 0x00000600u);   /* ACR */
    assert_int_equal(rd(soc, 0x58004014u), 0xC0000000u);   /* CR: LOCK | OPTLOCK */
    assert_int_equal(rd(soc, 0x58004010u), 0x00008000u);   /* SR: OPTVERR after power-on */
    assert_int_equal(rd(soc, 0x58004080u) & 0xFFu, 0xCBu); /* SFR.SFSA */
    assert_int_equal(rd(soc, 0x5800403Cu), 0u);            /* IPCCBR: IPCCDBA = 0 */
    emu_soc_destroy(soc);
}

static void test_flash_sr_w1c_and_reserved_bits_clear(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58004010u, 0xFFFFFFFFu); /* read-only BSY/CFGBSY/PESD and reserved bits stay 0 */
    assert_int_equal(rd(soc, 0x58004010u), 0u);
    emu_soc_destroy(soc);
}

static void test_flash_keys_unlock_cr_and_lock_relocks(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58004014u, 0x00000002u); /* locked: ignored */
    assert_int_equal(rd(soc, 0x58004014u), 0xC0000000u);
    wr(soc, 0x58004008u, 0x45670123u);
    wr(soc, 0x58004008u, 0xCDEF89ABu);
    assert_int_equal(rd(soc, 0x58004014u), 0x40000000u);
    wr(soc, 0x58004014u, 0x00000402u); /* PER, PNB = 0x80 */
    assert_int_equal(rd(soc, 0x58004014u), 0x40000402u);
    wr(soc, 0x58004014u, 0x80000000u);
    assert_int_equal(rd(soc, 0x58004014u) & 0x80000000u, 0x80000000u);
    emu_soc_destroy(soc);
}

static void test_flash_wrong_key_locks_until_reset(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58004008u, 0x12345678u);
    wr(soc, 0x58004008u, 0x45670123u);
    wr(soc, 0x58004008u, 0xCDEF89ABu);
    assert_int_equal(rd(soc, 0x58004014u) & 0x80000000u, 0x80000000u);
    emu_soc_reset_now(soc, false);
    wr(soc, 0x58004008u, 0x45670123u);
    wr(soc, 0x58004008u, 0xCDEF89ABu);
    assert_int_equal(rd(soc, 0x58004014u) & 0x80000000u, 0u);
    emu_soc_destroy(soc);
}

static void test_flash_erase_busy_for_page_time_then_clear(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58004008u, 0x45670123u);
    wr(soc, 0x58004008u, 0xCDEF89ABu);
    wr(soc, 0x58004010u, 0x00008000u);
    wr(soc, 0x58004014u, (1u << 24) | (0x80u << 3) | 2u);              /* EOPIE, PNB, PER */
    wr(soc, 0x58004014u, (1u << 24) | (0x80u << 3) | 2u | (1u << 16)); /* STRT */
    assert_int_equal(rd(soc, 0x58004010u) & 0x00050000u, 0x00050000u); /* BSY, CFGBSY */
    emu_soc_advance(soc, 21000000u);
    assert_int_equal(rd(soc, 0x58004010u) & 0x00010000u, 0x00010000u); /* still busy at 21 ms */
    emu_soc_advance(soc, 2000000u);
    assert_int_equal(rd(soc, 0x58004010u), 0x00000001u);     /* EOP only */
    assert_int_equal(rd(soc, 0x58004014u) & (1u << 16), 0u); /* STRT cleared by hardware */
    assert_true(prv_irq_pending(soc, 4));                    /* FLASH IRQ with EOPIE */
    emu_soc_destroy(soc);
}

static void test_flash_erase_at_sfsa_sets_wrperr(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58004008u, 0x45670123u);
    wr(soc, 0x58004008u, 0xCDEF89ABu);
    wr(soc, 0x58004010u, 0x00008000u);
    wr(soc, 0x58004014u, (0xCBu << 3) | 2u);
    wr(soc, 0x58004014u, (0xCBu << 3) | 2u | (1u << 16));
    assert_int_equal(rd(soc, 0x58004010u) & (1u << 4), 1u << 4); /* WRPERR */
    emu_soc_destroy(soc);
}

static void test_flash_op_while_cpu2_holds_sem7_fails_loudly(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58004008u, 0x45670123u);
    wr(soc, 0x58004008u, 0xCDEF89ABu);
    wr(soc, 0x58004010u, 0x00008000u);
    assert_true(emu_hsem_cpu2_lock(soc, 7));
    wr(soc, 0x58004014u, (0x80u << 3) | 2u);
    wr(soc, 0x58004014u, (0x80u << 3) | 2u | (1u << 16));
    assert_true(soc->stopped);
    assert_int_equal(soc->exit_code, WBOTA_EXIT_EMU_RULE);
    emu_soc_destroy(soc);
}

/* ---------------- RCC (RM0434 6.4) ---------------- */
static void test_rcc_reset_values_match_rm(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    assert_int_equal(rd(soc, 0x58000000u), 0x00000063u); /* CR: MSION, MSIRDY, MSIRANGE 6 */
    assert_int_equal(rd(soc, 0x58000094u), 0x0C000000u); /* CSR: BORRSTF | PINRSTF */
    assert_int_equal(soc->sysclk_hz, 4000000u);
    emu_soc_destroy(soc);
}

static void test_rcc_rmvf_clears_flags_and_sysreset_sets_sftrstf(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58000094u, 1u << 23); /* RMVF */
    assert_int_equal(rd(soc, 0x58000094u) & 0xFF000000u, 0u);
    emu_soc_reset_now(soc, false);
    assert_int_equal(rd(soc, 0x58000094u) & (1u << 28), 1u << 28); /* SFTRSTF */
    assert_int_equal(rd(soc, 0x58000094u) & (1u << 27), 0u);       /* no BORRSTF */
    emu_soc_destroy(soc);
}

static void test_rcc_rfwkpsel_hse1024_sticks_until_power_on(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58000094u, 1u << 14); /* LSE */
    assert_int_equal(emu_rcc_rfwkpsel(soc), 1u);
    wr(soc, 0x58000094u, 0u); /* 01 -> 00 is allowed */
    assert_int_equal(emu_rcc_rfwkpsel(soc), 0u);
    wr(soc, 0x58000094u, 3u << 14); /* HSE/1024 */
    wr(soc, 0x58000094u, 1u << 14); /* ES0394 2.3.1: cannot change any more */
    assert_int_equal(emu_rcc_rfwkpsel(soc), 3u);
    emu_soc_reset_now(soc, false);
    assert_int_equal((rd(soc, 0x58000094u) >> 14) & 3u, 3u);
    emu_soc_reset_now(soc, true);
    assert_int_equal(emu_rcc_rfwkpsel(soc), 0u);
    emu_soc_destroy(soc);
}

static void test_rcc_hse_ready_after_delay_and_switch_sets_clock(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58000000u, 0x00000061u | (1u << 16)); /* MSION, range 6, HSEON */
    assert_int_equal(rd(soc, 0x58000000u) & (1u << 17), 0u);
    wr(soc, 0x58000008u, 2u); /* SW = HSE before it is ready: SWS stays MSI */
    assert_int_equal(rd(soc, 0x58000008u) & 0xCu, 0u);
    emu_soc_advance(soc, 5000000u);
    assert_false(!emu_rcc_hse_ready(soc));
    assert_int_equal(rd(soc, 0x58000008u) & 0xCu, 0x8u); /* SWS = HSE */
    assert_int_equal(soc->sysclk_hz, 32000000u);
    emu_soc_destroy(soc);
}

/* ---------------- HSEM (RM0434 38) ---------------- */
/* Main PLL from HSE (RM0434 6.4.4 PLLCFGR): PLLSRC 11 = HSE, PLLM 011 = /4, PLLN 16,
 * PLLREN, PLLR 001 = /2: 32 MHz / 4 * 16 / 2 = 64 MHz. No lock before the HSE runs; the
 * configuration is frozen while the PLL is on; neither the PLL nor its HSE can be stopped
 * while they feed SYSCLK. */
static void test_rcc_pll_from_hse_64mhz(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    const uint32_t cfg = 3u | (3u << 4) | (16u << 8) | (1u << 28) | (1u << 29);
    wr(soc, 0x5800000Cu, cfg);
    assert_int_equal(rd(soc, 0x5800000Cu), cfg);
    wr(soc, 0x58000000u, 0x00000061u | (1u << 24)); /* PLLON, HSE still off */
    emu_soc_advance(soc, 200000u);
    assert_int_equal(rd(soc, 0x58000000u) & (1u << 25), 0u);     /* no PLLRDY without HSE */
    wr(soc, 0x58000000u, 0x00000061u | (1u << 24) | (1u << 16)); /* + HSEON */
    emu_soc_advance(soc, 5000000u);
    assert_int_equal(rd(soc, 0x58000000u) & (3u << 24), 3u << 24); /* PLLON, PLLRDY */
    wr(soc, 0x5800000Cu, 2u);                                      /* ignored: PLL on */
    assert_int_equal(rd(soc, 0x5800000Cu), cfg);
    wr(soc, 0x58000008u, 3u); /* SW = PLL */
    assert_int_equal(rd(soc, 0x58000008u) & 0xCu, 0xCu);
    assert_int_equal(soc->sysclk_hz, 64000000u);
    wr(soc, 0x58000000u, 0x00000061u); /* try to stop PLL and HSE */
    assert_int_equal(rd(soc, 0x58000000u) & ((1u << 24) | (1u << 16)), (1u << 24) | (1u << 16));
    wr(soc, 0x58000008u, 0u); /* back to MSI, then both can stop */
    assert_int_equal(soc->sysclk_hz, 4000000u);
    wr(soc, 0x58000000u, 0x00000061u);
    assert_int_equal(rd(soc, 0x58000000u) & ((3u << 24) | (3u << 16)), 0u);
    emu_soc_destroy(soc);
}

static void test_hsem_1step_read_lock_is_cpu1_coreid_4(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    assert_int_equal(rd(soc, 0x58001400u + 4u * 5u), 0u);
    assert_int_equal(rd(soc, 0x58001480u + 4u * 5u), 0x80000400u);
    assert_int_equal(emu_hsem_owner(soc, 5), 4u);
    assert_false(emu_hsem_cpu2_lock(soc, 5));
    wr(soc, 0x58001400u + 4u * 5u, 0x00000400u); /* unlock: COREID 4, PROCID 0 */
    assert_int_equal(emu_hsem_owner(soc, 5), 0u);
    assert_int_equal(rd(soc, 0x58001508u) & (1u << 5), 1u << 5); /* C1ISR */
    emu_soc_destroy(soc);
}

static void test_hsem_2step_needs_own_coreid_and_procid(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58001400u + 12u, 0x80000801u); /* COREID 8 from CPU1: ignored */
    assert_int_equal(rd(soc, 0x58001400u + 12u), 0u);
    wr(soc, 0x58001400u + 12u, 0x80000401u);
    assert_int_equal(rd(soc, 0x58001400u + 12u), 0x80000401u);
    wr(soc, 0x58001400u + 12u, 0x00000402u); /* wrong PROCID: stays locked */
    assert_int_equal(rd(soc, 0x58001400u + 12u), 0x80000401u);
    wr(soc, 0x58001400u + 12u, 0x00000401u);
    assert_int_equal(rd(soc, 0x58001400u + 12u), 0u);
    emu_soc_destroy(soc);
}

static void test_hsem_cpu2_owner_8_and_free_interrupt(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    assert_true(emu_hsem_cpu2_lock(soc, 7));
    assert_int_equal(emu_hsem_owner(soc, 7), 8u);
    assert_int_equal(rd(soc, 0x58001480u + 28u), 0x80000800u); /* CPU1 did not get it */
    wr(soc, 0x58001500u, 1u << 7);                             /* C1IER */
    assert_false(prv_irq_pending(soc, 46));
    emu_hsem_cpu2_unlock(soc, 7);
    assert_int_equal(rd(soc, 0x5800150Cu), 1u << 7); /* C1MISR */
    assert_true(prv_irq_pending(soc, 46));
    wr(soc, 0x58001504u, 1u << 7); /* C1ICR: write 1 to clear */
    assert_int_equal(rd(soc, 0x58001508u) & (1u << 7), 0u);
    emu_soc_destroy(soc);
}

/* ---------------- IPCC (RM0434 37) ---------------- */
static unsigned s_set_ch, s_cleared_ch, s_c2boot;
static void prv_set_cb(emu_soc_t *soc, void *ctx, unsigned ch)
{
    (void)soc;
    (void)ctx;
    s_set_ch = ch;
}
static void prv_cleared_cb(emu_soc_t *soc, void *ctx, unsigned ch)
{
    (void)soc;
    (void)ctx;
    s_cleared_ch = ch;
}
static void prv_c2boot_cb(emu_soc_t *soc, void *ctx)
{
    (void)soc;
    (void)ctx;
    s_c2boot++;
}
static const emu_device_ops_t s_dev = {.name = "fake",
                                       .c2boot_cb = prv_c2boot_cb,
                                       .ipcc_c1_set_cb = prv_set_cb,
                                       .ipcc_c1_cleared_cb = prv_cleared_cb};

static void test_ipcc_flags_hooks_and_interrupts(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    assert_true(emu_soc_attach(soc, &s_dev, NULL));
    wr(soc, 0x58000050u, rd(soc, 0x58000050u) | (1u << 20)); /* RCC_AHB3ENR.IPCCEN */
    assert_int_equal(rd(soc, 0x58000C04u), 0x003F003Fu);     /* C1MR reset: all masked */
    s_set_ch = 0;
    wr(soc, 0x58000C08u, 1u << 16); /* CH1S */
    assert_int_equal(rd(soc, 0x58000C0Cu), 1u);
    assert_int_equal(s_set_ch, 1u);
    assert_true(emu_ipcc_c1_to_c2_pending(soc, 1));
    emu_ipcc_c2_ack(soc, 1);
    assert_int_equal(rd(soc, 0x58000C0Cu), 0u);
    /* RX: C2TOC1 ch2 set; interrupt only when unmasked and RXOIE */
    emu_ipcc_c2_to_c1_set(soc, 2);
    assert_int_equal(rd(soc, 0x58000C1Cu), 2u);
    assert_false(prv_irq_pending(soc, 44));
    wr(soc, 0x58000C04u, 0x003F003Du); /* unmask CH2OM */
    wr(soc, 0x58000C00u, 1u);          /* RXOIE */
    assert_true(prv_irq_pending(soc, 44));
    s_cleared_ch = 0;
    wr(soc, 0x58000C08u, 2u); /* CH2C */
    assert_int_equal(rd(soc, 0x58000C1Cu), 0u);
    assert_int_equal(s_cleared_ch, 2u);
    assert_false(emu_ipcc_c2_to_c1_pending(soc, 2));
    /* TX free: CH1 occupied, unmask CH1FM + TXFIE, CPU2 frees it -> IRQ 45 */
    wr(soc, 0x58000C08u, 1u << 16);
    wr(soc, 0x58000C04u, 0x003E003Du);
    wr(soc, 0x58000C00u, 1u | (1u << 16));
    wr(soc, 0xE000E284u, 1u << (45 - 32)); /* ICPR1: clear anything stale */
    emu_ipcc_c2_ack(soc, 1);
    assert_true(prv_irq_pending(soc, 45));
    emu_soc_destroy(soc);
}

static void test_pwr_c2boot_rising_edge_calls_hook_once(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    assert_true(emu_soc_attach(soc, &s_dev, NULL));
    s_c2boot = 0;
    wr(soc, 0x5800040Cu, 1u << 15);
    wr(soc, 0x5800040Cu, 1u << 15);
    assert_int_equal(s_c2boot, 1u);
    assert_int_equal(rd(soc, 0x5800040Cu), 1u << 15);
    emu_soc_destroy(soc);
}

/* ---------------- NVIC / SCB / SysTick (ARMv7-M B3) ---------------- */
static void test_nvic_set_clear_registers_and_4bit_priority(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0xE000E100u, 1u << 5); /* ISER0 */
    assert_int_equal(rd(soc, 0xE000E100u), 1u << 5);
    assert_int_equal(rd(soc, 0xE000E180u), 1u << 5); /* ICER0 reads the enable state */
    wr(soc, 0xE000E180u, 1u << 5);
    assert_int_equal(rd(soc, 0xE000E100u), 0u);
    emu_bus_write(soc, 0xE000E405u, 0xFFu, 1); /* IPR5, byte access */
    assert_int_equal(rd(soc, 0xE000E404u), 0x0000F000u);
    wr(soc, 0xE000E200u, 1u << 7); /* ISPR0 */
    assert_int_equal(rd(soc, 0xE000E280u), 1u << 7);
    wr(soc, 0xE000E280u, 1u << 7); /* ICPR0 */
    assert_int_equal(rd(soc, 0xE000E200u), 0u);
    emu_soc_destroy(soc);
}

static void test_scb_cpuid_aircr_needs_vectkey(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    assert_int_equal(rd(soc, 0xE000ED00u), 0x410FC241u);
    assert_int_equal(rd(soc, 0xE000ED0Cu), 0xFA050000u);
    assert_int_equal(rd(soc, 0xE000ED14u), 0x00000200u); /* CCR.STKALIGN */
    wr(soc, 0xE000ED0Cu, 0x00000304u);                   /* no VECTKEY: ignored */
    assert_int_equal(rd(soc, 0xE000ED0Cu), 0xFA050000u);
    assert_false(soc->reset_request);
    wr(soc, 0xE000ED0Cu, 0x05FA0300u);
    assert_int_equal(rd(soc, 0xE000ED0Cu), 0xFA050300u);
    wr(soc, 0xE000ED0Cu, 0x05FA0004u);
    assert_true(soc->reset_request);
    wr(soc, 0xE000ED08u, 0x08007123u); /* VTOR: bits [6:0] reserved */
    assert_int_equal(rd(soc, 0xE000ED08u), 0x08007100u);
    emu_soc_destroy(soc);
}

static void test_systick_counts_in_simulated_time(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0xE000E014u, 999u);   /* RVR */
    wr(soc, 0xE000E018u, 0u);     /* CVR */
    wr(soc, 0xE000E010u, 5u);     /* ENABLE | CLKSOURCE (HCLK = MSI 4 MHz: 250 ns per tick) */
    emu_soc_advance(soc, 10000u); /* 40 ticks: reload on the first, then 39 down */
    assert_int_equal(rd(soc, 0xE000E018u), 960u);
    assert_int_equal(rd(soc, 0xE000E010u) & (1u << 16), 0u);
    emu_soc_advance(soc, 250000u);
    assert_int_equal(rd(soc, 0xE000E010u) & (1u << 16), 1u << 16); /* COUNTFLAG */
    assert_int_equal(rd(soc, 0xE000E010u) & (1u << 16), 0u);       /* cleared by the read */
    emu_soc_destroy(soc);
}

/* ---------------- RTC, EXTI, DBGMCU ---------------- */
static void test_rtc_write_protection_and_wakeup_timer_irq(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    assert_int_equal(rd(soc, 0x40002814u), 0x0000FFFFu); /* WUTR reset */
    wr(soc, 0x40002814u, 99u);                           /* protected: ignored */
    assert_int_equal(rd(soc, 0x40002814u), 0x0000FFFFu);
    wr(soc, 0x40002824u, 0xCAu);
    wr(soc, 0x40002824u, 0x53u);
    wr(soc, 0x40002814u, 99u);                              /* 100 ticks of RTCCLK/16 = 48.8 ms */
    wr(soc, 0x40002808u, (1u << 14) | (1u << 10));          /* WUTIE | WUTE, WUCKSEL = RTC/16 */
    assert_int_equal(rd(soc, 0x4000280Cu) & (1u << 2), 0u); /* WUTWF clear while WUTE = 1 */
    emu_soc_advance(soc, 48000000u);
    assert_int_equal(rd(soc, 0x4000280Cu) & (1u << 10), 0u);
    emu_soc_advance(soc, 1000000u);
    assert_int_equal(rd(soc, 0x4000280Cu) & (1u << 10), 1u << 10); /* WUTF */
    assert_true(prv_irq_pending(soc, 3));                          /* RTC_WKUP */
    wr(soc, 0x4000280Cu, ~(1u << 10));                             /* rc_w0 */
    assert_int_equal(rd(soc, 0x4000280Cu) & (1u << 10), 0u);
    wr(soc, 0x40002824u, 0xFFu); /* relock */
    wr(soc, 0x40002814u, 5u);
    assert_int_equal(rd(soc, 0x40002814u), 99u);
    emu_soc_destroy(soc);
}

static void test_exti_swier_sets_pr_and_pr_is_w1c(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    /* C1IMR1 reset: direct lines 22-25, 28-30 unmasked (26 and 27 do not exist) */
    assert_int_equal(rd(soc, 0x58000880u), 0x73C00000u);
    wr(soc, 0x58000808u, 1u << 3); /* SWIER1 line 3 */
    assert_int_equal(rd(soc, 0x5800080Cu), 1u << 3);
    wr(soc, 0x5800080Cu, 1u << 3);
    assert_int_equal(rd(soc, 0x5800080Cu), 0u);
    wr(soc, 0x58000820u, 1u << 9); /* RTSR2 line 41 (CPU2 wake-up event) */
    wr(soc, 0x580008D4u, 1u << 9); /* C2EMR2 line 41 */
    assert_int_equal(rd(soc, 0x58000820u), 1u << 9);
    assert_int_equal(rd(soc, 0x580008D4u), 1u << 9);
    emu_soc_destroy(soc);
}

static void test_ipcc_reserved_bits_read_zero(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x58000050u, rd(soc, 0x58000050u) | (1u << 20)); /* RCC_AHB3ENR.IPCCEN */
    wr(soc, 0x58000C00u, 0xFFFFFFFFu);
    assert_int_equal(rd(soc, 0x58000C00u), 0x00010001u); /* C1CR: RXOIE, TXFIE only */
    wr(soc, 0x58000C04u, 0xFFFFFFFFu);
    assert_int_equal(rd(soc, 0x58000C04u), 0x003F003Fu);
    assert_int_equal(rd(soc, 0xE0042000u), 0x20016495u); /* DBGMCU_IDCODE: DEV_ID 0x495 */
    emu_soc_destroy(soc);
}

/* ---------------- GPIO, unimplemented ---------------- */
static void test_gpio_bsrr_sets_and_resets_odr(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    wr(soc, 0x5800004Cu, 1u << 1);                       /* RCC_AHB2ENR.GPIOBEN */
    assert_int_equal(rd(soc, 0x48000400u), 0xFFFFFEBFu); /* GPIOB MODER reset */
    wr(soc, 0x48000418u, (1u << 5) | (1u << 3));
    assert_int_equal(rd(soc, 0x48000414u), (1u << 5) | (1u << 3));
    wr(soc, 0x48000418u, 1u << 21);
    assert_int_equal(rd(soc, 0x48000414u), 1u << 3);
    wr(soc, 0x48000428u, 1u << 3); /* BRR */
    assert_int_equal(rd(soc, 0x48000414u), 0u);
    emu_soc_destroy(soc);
}

static void test_unmodelled_register_stops_in_strict_mode(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    (void)rd(soc, 0x40000000u); /* TIM2 */
    assert_true(soc->stopped);
    assert_int_equal(soc->exit_code, WBOTA_EXIT_EMU_RULE);
    emu_soc_destroy(soc);
}

static void test_power_on_fills_ram_system_reset_keeps_it(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new();
    uint32_t v = 0xA5A5A5A5u, r = 0;
    assert_true(emu_mem_write(soc, 0x20000000u, &v, 4));
    emu_soc_reset_now(soc, false);
    assert_true(emu_mem_read(soc, 0x20000000u, &r, 4));
    assert_int_equal(r, 0xA5A5A5A5u);
    emu_soc_reset_now(soc, true);
    assert_true(emu_mem_read(soc, 0x20000000u, &r, 4));
    assert_int_not_equal(r, 0xA5A5A5A5u);
    assert_int_not_equal(r, 0u); /* not zeroed either */
    uint32_t uid[2];
    assert_true(emu_mem_read(soc, 0x1FFF7580u, uid, 8));
    assert_int_equal(uid[0], 0x00001234u);
    assert_int_equal(uid[1], 0x0080E126u);
    emu_soc_destroy(soc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flash_reset_values_match_rm),
        cmocka_unit_test(test_flash_sr_w1c_and_reserved_bits_clear),
        cmocka_unit_test(test_flash_keys_unlock_cr_and_lock_relocks),
        cmocka_unit_test(test_flash_wrong_key_locks_until_reset),
        cmocka_unit_test(test_flash_erase_busy_for_page_time_then_clear),
        cmocka_unit_test(test_flash_erase_at_sfsa_sets_wrperr),
        cmocka_unit_test(test_flash_op_while_cpu2_holds_sem7_fails_loudly),
        cmocka_unit_test(test_rcc_reset_values_match_rm),
        cmocka_unit_test(test_rcc_rmvf_clears_flags_and_sysreset_sets_sftrstf),
        cmocka_unit_test(test_rcc_rfwkpsel_hse1024_sticks_until_power_on),
        cmocka_unit_test(test_rcc_hse_ready_after_delay_and_switch_sets_clock),
        cmocka_unit_test(test_rcc_pll_from_hse_64mhz),
        cmocka_unit_test(test_hsem_1step_read_lock_is_cpu1_coreid_4),
        cmocka_unit_test(test_hsem_2step_needs_own_coreid_and_procid),
        cmocka_unit_test(test_hsem_cpu2_owner_8_and_free_interrupt),
        cmocka_unit_test(test_ipcc_flags_hooks_and_interrupts),
        cmocka_unit_test(test_pwr_c2boot_rising_edge_calls_hook_once),
        cmocka_unit_test(test_nvic_set_clear_registers_and_4bit_priority),
        cmocka_unit_test(test_scb_cpuid_aircr_needs_vectkey),
        cmocka_unit_test(test_systick_counts_in_simulated_time),
        cmocka_unit_test(test_rtc_write_protection_and_wakeup_timer_irq),
        cmocka_unit_test(test_exti_swier_sets_pr_and_pr_is_w1c),
        cmocka_unit_test(test_ipcc_reserved_bits_read_zero),
        cmocka_unit_test(test_gpio_bsrr_sets_and_resets_odr),
        cmocka_unit_test(test_unmodelled_register_stops_in_strict_mode),
        cmocka_unit_test(test_power_on_fills_ram_system_reset_keeps_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
