/* test_emu_chip_rules.c - register values and chip rules of the emulated STM32WB55, driven
 * through the bus: reserved offsets, writable masks, reset values, peripheral clock gates, RNG,
 * USART1 + DMA2 + DMAMUX1, the CPU2-side IPCC set/clear register. Every expected value is written
 * here from RM0434 (section given per test), not taken from the models' tables. */
#include <stdio.h>

#include "emu_bus_test.h"

static emu_soc_t *prv_new(bool strict)
{
    return emu_test_soc(strict);
}

#define RCC_AHB1ENR 0x58000048u
#define RCC_AHB3ENR 0x58000050u
#define RCC_APB2ENR 0x58000060u

/* RM0434 3.10 register map: 0x44 and 0x48 are reserved; strict mode stops on them. */
static void test_flash_reserved_offsets_stop_the_run(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    (void)rd(soc, 0x58004044u);
    assert_true(soc->stopped);
    assert_int_equal(soc->exit_code, WBOTA_EXIT_EMU_RULE);
    emu_soc_destroy(soc);
    soc = prv_new(false);
    assert_int_equal(rd(soc, 0x58004048u), 0u);
    assert_false(soc->stopped);
    emu_soc_destroy(soc);
}

/* RM0434 6.4.21 RCC_CSR: reset flags are bits 31:25 (LPWRRSTF..OBLRSTF); bit 24 is reserved.
 * After power-on BORRSTF (27) and PINRSTF (26); a system reset adds SFTRSTF (28); RMVF clears. */
static void test_rcc_csr_reset_flags(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    assert_int_equal(rd(soc, 0x58000094u) & 0xFF000000u, 0x0C000000u);
    emu_soc_reset_now(soc, false);
    assert_int_equal(rd(soc, 0x58000094u) & 0xFF000000u, 0x1C000000u);
    wr(soc, 0x58000094u, (1u << 23) | (1u << 24)); /* RMVF; bit 24 is not writable */
    assert_int_equal(rd(soc, 0x58000094u) & 0xFF800000u, 0u);
    emu_soc_destroy(soc);
}

/* RM0434 6.4.1/6.4.3: reserved bits of RCC_CR and RCC_CFGR bit 14 are not writable. */
static void test_rcc_reserved_bits_not_writable(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    wr(soc, 0x58000008u, rd(soc, 0x58000008u) | (1u << 14));
    assert_int_equal(rd(soc, 0x58000008u) & (1u << 14), 0u);
    /* RCC_CR defined bits: MSION MSIRDY MSIPLLEN MSIRANGE HSION HSIKERON HSIRDY HSIASFS HSIKERDY
     * HSEON HSERDY CSSON HSEPRE PLLON PLLRDY PLLSAI1ON PLLSAI1RDY */
    const uint32_t cr_defined = 0x0Fu << 24 | 0x1Bu << 16 | 0x1Fu << 8 | 0xF7u;
    wr(soc, 0x58000000u, 0xFFFFFFFFu);
    emu_soc_advance(soc, 2000000u);
    assert_int_equal(rd(soc, 0x58000000u) & ~cr_defined, 0u);
    /* RCC_AHB1ENR resets to 0 (bit 8 does not exist); AHB3ENR: HSEMEN (19), FLASHEN (25) */
    assert_int_equal(rd(soc, RCC_AHB1ENR), 0u);
    assert_int_equal(rd(soc, RCC_AHB3ENR), (1u << 25) | (1u << 19));
    emu_soc_destroy(soc);
}

/* RM0434 5.6.4 PWR_CR4: WP1..WP5 = bits 0..4 writable, bit 14 reserved; 5.6.8 PWR_CR5: bits 9 and
 * 14 reserved (read 0 after reset). */
static void test_pwr_cr4_cr5_bits(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    wr(soc, 0x5800040Cu, 0x0000401Fu);
    assert_int_equal(rd(soc, 0x5800040Cu), 0x0000001Fu);
    assert_int_equal(rd(soc, 0x5800041Cu) & ((1u << 9) | (1u << 14)), 0u);
    emu_soc_destroy(soc);
}

/* RM0434 14.3: SWIER1 covers configurable lines 0-21 and 31; SWIER2 lines 33, 40, 41; IMR reset
 * values leave the non-existent lines 26, 27, 32, 34, 35, 47 at 0. */
static void test_exti_configurable_lines(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    wr(soc, 0x58000808u, 1u << 31);
    assert_int_equal(rd(soc, 0x5800080Cu), 1u << 31);
    wr(soc, 0x58000828u, 0xFFFFFFFFu);
    assert_int_equal(rd(soc, 0x5800082Cu), (1u << 1) | (1u << 8) | (1u << 9));
    const uint32_t absent1 = (1u << 26) | (1u << 27);
    const uint32_t absent2 = (1u << 0) | (1u << 2) | (1u << 3) | (1u << 15);
    assert_int_equal(rd(soc, 0x58000880u) & absent1, 0u);
    assert_int_equal(rd(soc, 0x580008C0u) & absent1, 0u);
    assert_int_equal(rd(soc, 0x58000890u) & absent2, 0u);
    assert_int_equal(rd(soc, 0x580008D0u) & absent2, 0u);
    emu_soc_destroy(soc);
}

/* ARMv7-M B3.4.3 NVIC STIR: INTID is 9 bits; an INTID beyond the implemented IRQs pends nothing
 * (with a 6-bit field 0x105 would alias to IRQ 5). */
static void test_nvic_stir_nine_bits(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    wr(soc, 0xE000EF00u, 0x105u);
    assert_false(prv_irq_pending(soc, 5));
    wr(soc, 0xE000EF00u, 45u);
    assert_true(prv_irq_pending(soc, 45));
    emu_soc_destroy(soc);
}

/* RM0434 7.2.2 SYSCFG_CFGR1: BOOSTEN is bit 8; bit 0 is reserved. FLASH_OPTR (3.10.8) bits 15,
 * 20-22 and 28 are reserved. */
static void test_syscfg_cfgr1_and_flash_optr(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    assert_int_equal(rd(soc, 0x40010004u) & 1u, 0u);
    wr(soc, 0x40010004u, rd(soc, 0x40010004u) | (1u << 8) | 1u);
    assert_int_equal(rd(soc, 0x40010004u) & 0x101u, 0x100u);
    assert_int_equal(rd(soc, 0x58004020u) & ((1u << 15) | (7u << 20) | (1u << 28)), 0u);
    assert_int_equal(rd(soc, 0x58004020u) & 0xFFu, 0xAAu); /* RDP level 0 */
    emu_soc_destroy(soc);
}

/* RM0434 6.4.18: a block whose clock enable is 0 ignores writes and reads 0; strict mode stops
 * with the rule CLOCK_OFF. IPCC is off after reset (AHB3ENR.IPCCEN = 0), HSEM on (HSEMEN = 1). */
static void test_clock_off_access(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    (void)rd(soc, 0x58001400u); /* HSEM clocked after reset: fine */
    assert_false(soc->stopped);
    (void)rd(soc, 0x58000C04u); /* IPCC C1MR with IPCCEN = 0 */
    assert_true(soc->stopped);
    assert_int_equal(soc->exit_code, WBOTA_EXIT_EMU_RULE);
    emu_soc_destroy(soc);

    soc = prv_new(false);
    wr(soc, RCC_AHB3ENR, rd(soc, RCC_AHB3ENR) & ~(1u << 19)); /* HSEMEN off */
    wr(soc, 0x58001500u, 0xFFFFFFFFu);                        /* C1IER: lost */
    wr(soc, RCC_AHB3ENR, rd(soc, RCC_AHB3ENR) | (1u << 19));
    assert_int_equal(rd(soc, 0x58001500u), 0u);
    wr(soc, RCC_AHB3ENR, rd(soc, RCC_AHB3ENR) | (1u << 20));
    assert_int_equal(rd(soc, 0x58000C04u), 0x003F003Fu); /* now clocked: reset value */
    wr(soc, RCC_AHB3ENR, rd(soc, RCC_AHB3ENR) & ~(1u << 20));
    assert_int_equal(rd(soc, 0x58000C04u), 0u); /* not clocked: reads 0 */
    emu_soc_destroy(soc);
}

/* RM0434 37.6.7 IPCC_C2SCR: CHnC clears C1TOC2SR.CHnF, CHnS sets C2TOC1SR.CHnF. */
static void test_ipcc_c2scr(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    wr(soc, RCC_AHB3ENR, rd(soc, RCC_AHB3ENR) | (1u << 20));
    wr(soc, 0x58000C08u, 0x00030000u); /* C1SCR CH1S CH2S */
    assert_int_equal(rd(soc, 0x58000C0Cu), 3u);
    wr(soc, 0x58000C18u, 0x3Fu); /* C2SCR CH1C..CH6C, as ST's IPCC reset does */
    assert_false(soc->stopped);
    assert_int_equal(rd(soc, 0x58000C0Cu), 0u);
    wr(soc, 0x58000C18u, 1u << 18); /* CH3S */
    assert_int_equal(rd(soc, 0x58000C1Cu), 1u << 2);
    assert_int_equal(rd(soc, 0x58000C18u), 0u); /* write-only */
    emu_soc_destroy(soc);
}

/* RM0434 22.7: RNGEN starts the generator; without a running kernel clock CECS is set; with it
 * DRDY comes and reading DR takes the value (DRDY clears). */
static void test_rng(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    wr(soc, RCC_AHB3ENR, rd(soc, RCC_AHB3ENR) | (1u << 18)); /* RNGEN clock */
    wr(soc, 0x58000088u, 1u << 30);                          /* CCIPR.RNGSEL = LSI */
    wr(soc, 0x58001000u, 1u << 2);                           /* CR.RNGEN, LSI still off */
    emu_soc_advance(soc, 10000000u);
    assert_int_equal(rd(soc, 0x58001004u) & 3u, 2u); /* CECS, no DRDY */
    wr(soc, 0x58000094u, 1u);                        /* LSI1ON */
    emu_soc_advance(soc, 1000000u);
    wr(soc, 0x58001004u, 0u); /* clear CEIS */
    emu_soc_advance(soc, 10000000u);
    assert_int_equal(rd(soc, 0x58001004u) & 3u, 1u); /* DRDY */
    uint32_t a = rd(soc, 0x58001008u);
    assert_int_equal(rd(soc, 0x58001004u) & 1u, 0u);
    emu_soc_advance(soc, 10000000u);
    uint32_t b = rd(soc, 0x58001008u);
    assert_int_not_equal(a, 0u);
    assert_int_not_equal(a, b);
    emu_soc_destroy(soc);
}

static char s_log[4][256];
static unsigned s_nlog;
static void prv_sink(void *ctx, const char *line)
{
    (void)ctx;
    if (s_nlog < 4u) {
        snprintf(s_log[s_nlog++], sizeof(s_log[0]), "%s", line);
    }
}

/* RM0434 36.8 USART1 (TDR 0x28, CR3.DMAT bit 7), 11.6 DMA2 (channel 1 CCR at 0x08), 12.6 DMAMUX1
 * (DMA2 channel 1 = DMAMUX1 channel 7, C7CR at 0x1C; request 15 = USART1_TX). */
static void test_usart1_dma_log_line(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    s_nlog = 0;
    emu_soc_set_log_sink(soc, prv_sink, NULL);
    wr(soc, RCC_APB2ENR, 1u << 14);              /* USART1EN */
    wr(soc, RCC_AHB1ENR, (1u << 1) | (1u << 2)); /* DMA2EN, DMAMUX1EN */
    wr(soc, 0x40013800u, (1u << 0) | (1u << 3)); /* CR1: UE TE */
    assert_int_equal(rd(soc, 0x4001381Cu) & ((1u << 21) | 0xC0u), (1u << 21) | 0xC0u);
    wr(soc, 0x40013828u, 'o');
    wr(soc, 0x40013828u, 'k');
    wr(soc, 0x40013828u, '\n');
    assert_int_equal(s_nlog, 1u);
    assert_string_equal(s_log[0], "UART1: ok");
    const char msg[] = "boot 42\r\n";
    assert_true(emu_mem_write(soc, 0x20001000u, msg, sizeof(msg) - 1u));
    wr(soc, 0x4002081Cu, 15u);         /* DMAMUX1_C7CR: USART1_TX */
    wr(soc, 0x40020410u, 0x40013828u); /* CPAR1 = &USART1_TDR */
    wr(soc, 0x40020414u, 0x20001000u); /* CMAR1 */
    wr(soc, 0x4002040Cu, sizeof(msg) - 1u);
    wr(soc, 0x40020408u, (1u << 7) | (1u << 4) | (1u << 1) | 1u); /* MINC DIR TCIE EN */
    assert_int_equal(s_nlog, 1u);                                 /* no request yet */
    wr(soc, 0x40013808u, 1u << 7);                                /* CR3.DMAT */
    assert_int_equal(s_nlog, 2u);
    assert_string_equal(s_log[1], "UART1: boot 42");
    assert_int_equal(rd(soc, 0x4002040Cu), 0u);          /* CNDTR1 */
    assert_int_equal(rd(soc, 0x40020400u) & 0xFu, 0x7u); /* GIF1 TCIF1 HTIF1 */
    assert_true(prv_irq_pending(soc, 55));               /* DMA2_Channel1 */
    wr(soc, 0x40020404u, 1u);                            /* CGIF1 */
    assert_int_equal(rd(soc, 0x40020400u) & 0xFu, 0u);
    emu_soc_destroy(soc);
}

/* docs/flash-rules.md#all-ones (STM32WB50 errata 2.2.10, same flash design): a double word
 * programmed with all ones takes no later programming; writing zeros over it fails with PROGERR (SR
 * bit 3), seen here through the FLASH registers as firmware sees it. */
static void test_flash_all_ones_double_word_takes_no_zeros(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_new(true);
    wr(soc, 0x58004010u, 0x0000C3FBu); /* clear SR flags (OPTVERR after reset) */
    wr(soc, 0x58004008u, 0x45670123u);
    wr(soc, 0x58004008u, 0xCDEF89ABu);
    wr(soc, 0x58004014u, 1u); /* PG */
    emu_flash_cpu_write(soc, 0x08080000u, 0xFFFFFFFFu, 4);
    emu_flash_cpu_write(soc, 0x08080004u, 0xFFFFFFFFu, 4);
    emu_soc_advance(soc, 200000u);
    assert_int_equal(rd(soc, 0x58004010u) & 0x3FAu, 0u); /* no error: the array was erased */
    emu_flash_cpu_write(soc, 0x08080000u, 0u, 4);
    emu_flash_cpu_write(soc, 0x08080004u, 0u, 4);
    emu_soc_advance(soc, 200000u);
    assert_int_equal(rd(soc, 0x58004010u) & (1u << 3), 1u << 3); /* PROGERR */
    /* a double word that was never programmed takes zeros */
    wr(soc, 0x58004010u, 0x0000C3FBu);
    emu_flash_cpu_write(soc, 0x08080008u, 0u, 4);
    emu_flash_cpu_write(soc, 0x0808000Cu, 0u, 4);
    emu_soc_advance(soc, 200000u);
    assert_int_equal(rd(soc, 0x58004010u) & 0x3FAu, 0u);
    emu_soc_destroy(soc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flash_reserved_offsets_stop_the_run),
        cmocka_unit_test(test_rcc_csr_reset_flags),
        cmocka_unit_test(test_rcc_reserved_bits_not_writable),
        cmocka_unit_test(test_pwr_cr4_cr5_bits),
        cmocka_unit_test(test_exti_configurable_lines),
        cmocka_unit_test(test_nvic_stir_nine_bits),
        cmocka_unit_test(test_syscfg_cfgr1_and_flash_optr),
        cmocka_unit_test(test_clock_off_access),
        cmocka_unit_test(test_ipcc_c2scr),
        cmocka_unit_test(test_rng),
        cmocka_unit_test(test_usart1_dma_log_line),
        cmocka_unit_test(test_flash_all_ones_double_word_takes_no_zeros),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
