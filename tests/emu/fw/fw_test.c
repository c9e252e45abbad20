/* fw_test.c - tiny bare-metal firmware that exercises the emulated CPU1: exceptions and
 * priorities, SysTick, WFI, SVC, SYSRESETREQ, flash programming through the controller, faults.
 * Built once per scenario (-DSCENARIO=n). Results go to a fixed RAM struct at 0x20000100 that
 * the host tests read (tests/emu/test_emu_cpu.c); the run ends in WFI with interrupts off
 * (wbota-emu --exit-on-idle, or a hang report without it). No .data/.bss: RAM is random. */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))

typedef struct {
    uint32_t magic;      /* 0x00 */
    uint32_t boot_count; /* 0x04 */
    uint32_t csr_boot;   /* 0x08 RCC_CSR seen at each boot (last) */
    uint32_t systick;    /* 0x0C */
    uint32_t svc;        /* 0x10 */
    uint32_t svc_r0;     /* 0x14 stacked r0 seen by the SVC handler */
    uint32_t norder;     /* 0x18 */
    uint32_t order[16];  /* 0x1C */
    uint32_t v[16];      /* 0x5C scenario values */
    uint32_t done;       /* 0x9C */
} res_t;
#define RES   ((volatile res_t *)0x20000100u)
#define MAGIC 0xB0075AFEu

#ifndef SCENARIO
#define SCENARIO 1
#endif

void reset_handler(void);
void default_handler(void);
void systick_handler(void);
void svc_entry(void);
void irq10_handler(void);
void irq11_handler(void);
void irq12_handler(void);
void irq13_handler(void);
void irq14_handler(void);
void irq15_handler(void);

__attribute__((unused)) static void rec(uint32_t v)
{
    uint32_t n = RES->norder;
    if (n < 16u) {
        RES->order[n] = v;
    }
    RES->norder = n + 1u;
}

__attribute__((unused)) static void stir(uint32_t irq)
{
    REG(0xE000EF00u) = irq;
    __asm volatile("dsb\n isb" ::: "memory");
}

__attribute__((unused)) static void set_prio(uint32_t irq, uint8_t p)
{
    *(volatile uint8_t *)(0xE000E400u + irq) = p;
}

__attribute__((unused)) static void enable_irq(uint32_t irq)
{
    REG(0xE000E100u + 4u * (irq / 32u)) = 1u << (irq % 32u);
}

__attribute__((unused)) static void finish(void)
{
    RES->done = 1;
    __asm volatile("cpsid i" ::: "memory");
    for (;;) {
        __asm volatile("wfi");
    }
}

void default_handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    RES->v[15] = 0xDEAD0000u | ipsr;
    __asm volatile("udf #0");
}

void systick_handler(void)
{
    RES->systick++;
}

void svc_c(uint32_t *frame)
{
    RES->svc_r0 = frame[0];
    RES->svc++;
}

__attribute__((naked)) void svc_entry(void)
{
    __asm volatile("mrs r0, msp\n b svc_c");
}

void irq10_handler(void)
{
    rec(10);
    stir(11); /* higher priority: preempts now */
    rec(110);
}
void irq11_handler(void)
{
    rec(11);
    stir(12); /* lower priority: waits for 10 and 11 to return */
    rec(111);
}
void irq12_handler(void)
{
    rec(12);
}
void irq13_handler(void)
{
    rec(13);
}
void irq14_handler(void)
{
    rec(14);
}
void irq15_handler(void)
{
    rec(15);
}

extern uint32_t vectors[];
__attribute__((section(".isr_vector"), used)) uint32_t vectors[16 + 64] = {
    0x20030000u,
    (uint32_t)reset_handler,
    (uint32_t)default_handler, /* NMI */
    (uint32_t)default_handler, /* HardFault */
    (uint32_t)default_handler,
    (uint32_t)default_handler,
    (uint32_t)default_handler,
    0,
    0,
    0,
    0,
    (uint32_t)svc_entry,
    (uint32_t)default_handler,
    0,
    (uint32_t)default_handler, /* PendSV */
    (uint32_t)systick_handler,
    [16 + 10] = (uint32_t)irq10_handler,
    [16 + 11] = (uint32_t)irq11_handler,
    [16 + 12] = (uint32_t)irq12_handler,
    [16 + 13] = (uint32_t)irq13_handler,
    [16 + 14] = (uint32_t)irq14_handler,
    [16 + 15] = (uint32_t)irq15_handler,
};

#define FLASH_KEYR (0x58004008u)
#define FLASH_SR   (0x58004010u)
#define FLASH_CR   (0x58004014u)

__attribute__((unused)) static void flash_wait(void)
{
    for (uint32_t i = 0; i < 1000000u && (REG(FLASH_SR) & (1u << 16)); i++) {
    }
}

__attribute__((unused)) static uint32_t flash_program(uint32_t addr, uint32_t w0, uint32_t w1)
{
    REG(FLASH_SR) = 0x0000C3FBu; /* clear every error flag incl. OPTVERR */
    REG(FLASH_CR) = 1u;          /* PG */
    REG(addr) = w0;
    REG(addr + 4u) = w1;
    flash_wait();
    REG(FLASH_CR) = 0;
    return REG(FLASH_SR);
}

__attribute__((unused)) static uint32_t flash_erase(uint32_t page)
{
    REG(FLASH_SR) = 0x0000C3FBu;
    REG(FLASH_CR) = (1u << 1) | (page << 3);
    REG(FLASH_CR) = (1u << 1) | (page << 3) | (1u << 16);
    flash_wait();
    REG(FLASH_CR) = 0;
    return REG(FLASH_SR);
}

void reset_handler(void)
{
    if (RES->magic != MAGIC) {
        /* power-on: RAM is random, start the record */
        for (unsigned i = 0; i < sizeof(res_t) / 4u; i++) {
            ((volatile uint32_t *)RES)[i] = 0;
        }
        RES->magic = MAGIC;
    }
    RES->boot_count++;
    RES->csr_boot = REG(0x58000094u);

#if SCENARIO == 1 /* SysTick at 1 kHz from MSI 4 MHz, WFI between ticks */
    REG(0xE000E014u) = 4000u - 1u;
    REG(0xE000E018u) = 0;
    REG(0xE000E010u) = 7u; /* ENABLE | TICKINT | CLKSOURCE = HCLK */
    while (RES->systick < 10u) {
        __asm volatile("wfi");
    }
    REG(0xE000E010u) = 0;
    finish();
#elif SCENARIO == 2  /* priorities, preemption, PRIMASK, BASEPRI */
    set_prio(10, 0x80);
    set_prio(11, 0x40);
    set_prio(12, 0xC0);
    set_prio(13, 0x80);
    set_prio(14, 0x90);
    set_prio(15, 0x40);
    for (uint32_t i = 10; i <= 15u; i++) {
        enable_irq(i);
    }
    stir(10); /* expect 10, 11, 111, 110, 12 */
    rec(1);
    __asm volatile("cpsid i" ::: "memory");
    stir(13);
    rec(2); /* 13 must wait for PRIMASK */
    __asm volatile("cpsie i" ::: "memory");
    __asm volatile("isb");
    rec(3); /* 13 taken before this */
    __asm volatile("msr basepri, %0" ::"r"(0x80u) : "memory");
    stir(14); /* 0x90 masked by BASEPRI 0x80 */
    stir(15); /* 0x40 preempts */
    rec(4);
    __asm volatile("msr basepri, %0" ::"r"(0u) : "memory");
    __asm volatile("isb");
    rec(5);                       /* 14 before this */
    RES->v[0] = REG(0xE000ED04u); /* ICSR in thread mode: VECTACTIVE 0 */
    finish();
#elif SCENARIO == 3  /* SVC with the stacked frame */
    __asm volatile("mov r0, %0\n svc #1" ::"r"(0x1234ABCDu) : "r0", "memory");
    __asm volatile("mov r0, %0\n svc #2" ::"r"(0x55u) : "r0", "memory");
    finish();
#elif SCENARIO == 4  /* SYSRESETREQ keeps RAM */
    if (RES->boot_count < 2u) {
        REG(0xE000ED0Cu) = 0x05FA0004u;
        for (;;) {
        }
    }
    finish();
#elif SCENARIO == 5  /* flash through the controller */
    RES->v[0] = REG(FLASH_CR); /* 0xC0000000 locked */
    REG(FLASH_KEYR) = 0x45670123u;
    REG(FLASH_KEYR) = 0xCDEF89ABu;
    RES->v[1] = REG(FLASH_CR); /* 0x00000000 after the keys... OPTLOCK stays: 0x40000000 */
    RES->v[2] = flash_program(0x08080000u, 0x11223344u, 0x55667788u);
    RES->v[3] = REG(0x08080000u);
    RES->v[4] = REG(0x08080004u);
    RES->v[5] = flash_program(0x08080000u, 0xFFFF0000u, 0xFFFFFFFFu); /* not erased: PROGERR */
    RES->v[6] = flash_program(0x08080000u, 0, 0);                     /* all-zero overwrite ok */
    RES->v[7] = REG(0x08080000u);
    RES->v[8] = flash_erase(0x80);
    RES->v[9] = REG(0x08080000u);
    RES->v[10] = flash_erase(0xCB); /* at SFSA: WRPERR */
    RES->v[11] = flash_program(0x08080008u, 1u, 2u);
    REG(FLASH_CR) = 0x80000000u; /* LOCK */
    RES->v[12] = REG(FLASH_CR);
    finish();
#elif SCENARIO == 6  /* fault: load from an unmapped address */
    RES->v[0] = REG(0x60000000u);
    finish();
#elif SCENARIO == 7  /* unmodelled peripheral register (TIM2) */
    RES->v[0] = REG(0x40000000u);
    finish();
#elif SCENARIO == 8  /* WFI with nothing to wake the CPU */
    for (;;) {
        __asm volatile("wfi");
    }
#elif SCENARIO == 9  /* store to flash outside PG mode */
    REG(0x08080000u) = 0;
    finish();
#elif SCENARIO == 10 /* benchmark: register-only loop, 2 instructions x 200M */
    __asm volatile("ldr r0, =200000000\n 1: subs r0, #1\n bne 1b" ::: "r0", "cc");
    finish();
#elif SCENARIO == 13 /* WFE: SEV sets the event (WFE returns at once), SysTick wakes a WFE */
    __asm volatile("sev\n wfe" ::: "memory"); /* the CPU2 start idiom: clears the event */
    RES->v[0] = 1;
    REG(0xE000E014u) = 40000u - 1u; /* 10 ms at 4 MHz */
    REG(0xE000E018u) = 0;
    REG(0xE000E010u) = 7u;
    __asm volatile("wfe" ::: "memory"); /* exception entry/return is an event: wakes */
    RES->v[1] = RES->systick;
    REG(0xE000E010u) = 0;
    __asm volatile("cpsid i\n sev\n wfe\n wfe" ::: "memory"); /* 2nd WFE: nothing can wake it */
    RES->v[2] = 1;
    finish();
#elif SCENARIO == 12 /* benchmark: loop with a RAM load/store per iteration (volatile) */
    for (volatile uint32_t i = 0; i < 20000000u; i++) {
    }
    finish();
#elif SCENARIO == 11 /* LED */
    REG(0x58000000u + 0x4Cu) |= 2u; /* GPIOBEN */
    REG(0x48000400u) = (REG(0x48000400u) & ~(3u << 10)) | (1u << 10);
    REG(0x48000418u) = 1u << 5;
    REG(0x48000418u) = 1u << 21;
    finish();
#endif
}
