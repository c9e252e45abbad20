/* test_emu_cpu.c - the emulated CPU1 running tiny test firmware (fw/fw_test.c, one build per
 * scenario): exception entry/return and priorities, SVC frames, SysTick with WFI skip-ahead,
 * SYSRESETREQ vs power-on RAM, flash programming through the controller, a bad access, and a
 * power cut that fires and restarts from power-on. Results are read from the firmware's RAM
 * record at 0x20000100 (layout in fw_test.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "soc.h"

#define RES_BASE 0x20000100u
#define R_MAGIC  0x00u
#define R_BOOTS  0x04u
#define R_CSR    0x08u
#define R_TICKS  0x0Cu
#define R_SVC    0x10u
#define R_SVCR0  0x14u
#define R_NORDER 0x18u
#define R_ORDER  0x1Cu
#define R_V      0x5Cu
#define R_DONE   0x9Cu

static emu_soc_t *prv_boot(unsigned scenario, const emu_soc_opts_t *extra)
{
    emu_soc_opts_t o;
    if (extra != NULL) {
        o = *extra;
    } else {
        memset(&o, 0, sizeof(o));
    }
    o.sfsa = 0xCB;
    o.strict = true;
    o.exit_on_idle = true;
    o.quiet = true;
    if (o.max_time_ns == 0u) {
        o.max_time_ns = 2000000000ull; /* bound every run */
    }
    char path[512];
    snprintf(path, sizeof(path), "%s/fw_test_%u.bin", WBOTA_EMU_FW_DIR, scenario);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t img[65536];
    size_t n = fread(img, 1, sizeof(img), f);
    fclose(f);
    assert_true(n > 0u);
    emu_soc_t *soc = emu_soc_create(&o);
    assert_non_null(soc);
    assert_true(emu_soc_flash_load(soc, 0x08000000u, img, (uint32_t)n));
    emu_soc_power_on(soc);
    return soc;
}

static uint32_t res(emu_soc_t *soc, uint32_t off)
{
    uint32_t v = 0;
    assert_true(emu_mem_read(soc, RES_BASE + off, &v, 4));
    return v;
}

static void test_cpu_systick_wfi_skips_ahead_to_each_tick(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_boot(1, NULL);
    assert_int_equal(emu_soc_run(soc), WBOTA_EXIT_OK);
    assert_int_equal(res(soc, R_DONE), 1u);
    assert_int_equal(res(soc, R_TICKS), 10u);
    /* 10 ticks of 1 ms at MSI 4 MHz; the CPU slept in between: few instructions ran */
    assert_true(emu_time_ns(soc) >= 10000000u);
    assert_true(emu_time_ns(soc) < 10300000u);
    assert_true(soc->insn < 5000u);
    emu_soc_destroy(soc);
}

static void test_cpu_irq_priorities_preempt_in_rm_order(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_boot(2, NULL);
    assert_int_equal(emu_soc_run(soc), WBOTA_EXIT_OK);
    static const uint32_t want[] = {10, 11, 111, 110, 12, 1, 2, 13, 3, 15, 4, 14, 5};
    assert_int_equal(res(soc, R_NORDER), sizeof(want) / sizeof(want[0]));
    for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        assert_int_equal(res(soc, R_ORDER + 4u * i), want[i]);
    }
    assert_int_equal(res(soc, R_V + 0u) & 0x1FFu, 0u); /* ICSR.VECTACTIVE in thread mode */
    assert_int_equal(res(soc, R_V + 60u), 0u);         /* default handler never ran */
    emu_soc_destroy(soc);
}

static void test_cpu_svc_handler_sees_stacked_r0(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_boot(3, NULL);
    assert_int_equal(emu_soc_run(soc), WBOTA_EXIT_OK);
    assert_int_equal(res(soc, R_SVC), 2u);
    assert_int_equal(res(soc, R_SVCR0), 0x55u);
    assert_int_equal(res(soc, R_DONE), 1u);
    emu_soc_destroy(soc);
}

static void test_cpu_sysresetreq_keeps_ram_power_on_does_not(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_boot(4, NULL);
    assert_int_equal(emu_soc_run(soc), WBOTA_EXIT_OK);
    assert_int_equal(res(soc, R_MAGIC), 0xB0075AFEu);
    assert_int_equal(res(soc, R_BOOTS), 2u);                  /* counted across the system reset */
    assert_int_equal(res(soc, R_CSR) & (1u << 28), 1u << 28); /* SFTRSTF */
    assert_int_equal(soc->resets_sys, 1u);
    emu_soc_reset_now(soc, true);
    assert_int_not_equal(res(soc, R_MAGIC), 0xB0075AFEu);
    emu_soc_destroy(soc);
}

static void test_cpu_flash_rules_through_controller(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_boot(5, NULL);
    assert_int_equal(emu_soc_run(soc), WBOTA_EXIT_OK);
    const uint32_t errs = 0x3F8u; /* PROGERR..FASTERR */
    assert_int_equal(res(soc, R_V + 0u), 0xC0000000u);
    assert_int_equal(res(soc, R_V + 4u), 0x40000000u);
    assert_int_equal(res(soc, R_V + 8u) & errs, 0u);
    assert_int_equal(res(soc, R_V + 12u), 0x11223344u);
    assert_int_equal(res(soc, R_V + 16u), 0x55667788u);
    assert_int_equal(res(soc, R_V + 20u) & errs, 1u << 3); /* PROGERR: not erased */
    assert_int_equal(res(soc, R_V + 24u) & errs, 0u);      /* all-zero overwrite allowed */
    assert_int_equal(res(soc, R_V + 28u), 0u);
    assert_int_equal(res(soc, R_V + 32u) & errs, 0u);
    assert_int_equal(res(soc, R_V + 36u), 0xFFFFFFFFu);
    assert_int_equal(res(soc, R_V + 40u) & errs, 1u << 4); /* WRPERR at SFSA */
    assert_int_equal(res(soc, R_V + 44u) & errs, 0u);
    assert_int_equal(res(soc, R_V + 48u), 0xC0000000u);
    assert_int_equal(soc->fm->op_count, 6u);
    /* one page erase (22.02 ms) and three good double words (81.7 us) of BSY in simulated time */
    assert_true(emu_time_ns(soc) >= 22020000u + 3u * 81700u);
    uint32_t w = 0;
    assert_true(emu_mem_read(soc, 0x08080008u, &w, 4));
    assert_int_equal(w, 1u);
    emu_soc_destroy(soc);
}

static void test_cpu_unmapped_read_is_a_fault(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_boot(6, NULL);
    assert_int_equal(emu_soc_run(soc), WBOTA_EXIT_EMU_FAULT);
    assert_int_equal(res(soc, R_DONE), 0u);
    emu_soc_destroy(soc);
}

static void test_cpu_power_cut_at_flash_op_fires_and_restarts(void **state)
{
    (void)state;
    emu_soc_opts_t o;
    memset(&o, 0, sizeof(o));
    o.cut_flash_op = 1;
    o.cut_kind = WBOTA_CUT_BEFORE;
    emu_soc_t *soc = prv_boot(5, &o);
    assert_int_equal(emu_soc_run(soc), WBOTA_EXIT_OK);
    assert_true(soc->cut_fired);
    assert_true(soc->fm->cut_fired);
    assert_int_equal(soc->resets_por, 2u); /* initial power-on + the cut */
    /* after the cut the firmware ran again from power-on and completed */
    assert_int_equal(res(soc, R_DONE), 1u);
    assert_int_equal(res(soc, R_BOOTS), 1u); /* RAM was lost: counting restarted */
    assert_int_equal(res(soc, R_V + 12u), 0x11223344u);
    emu_soc_destroy(soc);
}

static void test_cpu_wfe_event_register_sev_and_exceptions(void **state)
{
    (void)state;
    emu_soc_opts_t o;
    memset(&o, 0, sizeof(o));
    o.exit_on_idle = false;
    emu_soc_t *soc = prv_boot(13, &o);
    soc->opt.exit_on_idle = false;
    assert_int_equal(emu_soc_run(soc), WBOTA_EXIT_EMU_HANG); /* the last WFE: nothing wakes it */
    assert_int_equal(res(soc, R_V + 0u), 1u);                /* SEV; WFE fell through */
    assert_int_equal(res(soc, R_V + 4u), 1u);                /* woken by the SysTick exception */
    assert_int_equal(res(soc, R_V + 8u), 0u);
    assert_true(emu_time_ns(soc) >= 10000000u); /* slept until the tick, not spun */
    emu_soc_destroy(soc);
}

static void test_cpu_state_save_load_resumes_identically(void **state)
{
    (void)state;
    /* reference: uninterrupted run */
    emu_soc_t *ref = prv_boot(1, NULL);
    assert_int_equal(emu_soc_run(ref), WBOTA_EXIT_OK);
    uint64_t ref_time = emu_time_ns(ref);
    uint64_t ref_insn = ref->insn;
    emu_soc_destroy(ref);
    /* stop in the middle (CPU asleep in WFI, SysTick timer pending), save, restore elsewhere */
    emu_soc_opts_t o;
    memset(&o, 0, sizeof(o));
    o.max_time_ns = 4500000u;
    emu_soc_t *a = prv_boot(1, &o);
    assert_int_equal(emu_soc_run(a), WBOTA_EXIT_OK);
    assert_int_equal(res(a, R_TICKS), 4u);
    char path[] = "/tmp/wbota-emu-snap-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_true(emu_soc_state_save(a, path));
    emu_soc_destroy(a);
    emu_soc_t *b = prv_boot(2, NULL); /* other firmware: everything must come from the file */
    assert_true(emu_soc_state_load(b, path));
    assert_int_equal(emu_soc_run(b), WBOTA_EXIT_OK);
    assert_int_equal(res(b, R_TICKS), 10u);
    assert_int_equal(res(b, R_DONE), 1u);
    assert_int_equal(emu_time_ns(b), ref_time);
    assert_int_equal(b->insn, ref_insn);
    emu_soc_destroy(b);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_systick_wfi_skips_ahead_to_each_tick),
        cmocka_unit_test(test_cpu_irq_priorities_preempt_in_rm_order),
        cmocka_unit_test(test_cpu_svc_handler_sees_stacked_r0),
        cmocka_unit_test(test_cpu_sysresetreq_keeps_ram_power_on_does_not),
        cmocka_unit_test(test_cpu_flash_rules_through_controller),
        cmocka_unit_test(test_cpu_unmapped_read_is_a_fault),
        cmocka_unit_test(test_cpu_power_cut_at_flash_op_fires_and_restarts),
        cmocka_unit_test(test_cpu_wfe_event_register_sev_and_exceptions),
        cmocka_unit_test(test_cpu_state_save_load_resumes_identically),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
