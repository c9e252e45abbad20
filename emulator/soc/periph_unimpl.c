/* periph_unimpl.c - names of the STM32WB55 peripheral blocks (RM0434 table 2 "memory map and
 * peripheral register boundary addresses") so that an access to a block or register the emulator
 * does not model is reported by name; every such access goes through emu_soc_unimplemented. */
#include "soc.h"

static const struct {
    uint32_t base, size;
    const char *name;
} s_blocks[] = {
    {0x40000000u, 0x400u, "TIM2"},     {0x40002400u, 0x400u, "LCD"},
    {0x40002800u, 0x400u, "RTC"},      {0x40002C00u, 0x400u, "WWDG"},
    {0x40003000u, 0x400u, "IWDG"},     {0x40003800u, 0x400u, "SPI2"},
    {0x40005400u, 0x400u, "I2C1"},     {0x40005C00u, 0x400u, "I2C3"},
    {0x40006000u, 0x400u, "CRS"},      {0x40006800u, 0x400u, "USB"},
    {0x40006C00u, 0x400u, "USB SRAM"}, {0x40007C00u, 0x400u, "LPTIM1"},
    {0x40008000u, 0x400u, "LPUART1"},  {0x40009400u, 0x400u, "LPTIM2"},
    {0x40010000u, 0x30u, "SYSCFG"},    {0x40010030u, 0x1D0u, "VREFBUF"},
    {0x40010200u, 0x200u, "COMP"},     {0x40012C00u, 0x400u, "TIM1"},
    {0x40013000u, 0x400u, "SPI1"},     {0x40013800u, 0x400u, "USART1"},
    {0x40014400u, 0x400u, "TIM16"},    {0x40014800u, 0x400u, "TIM17"},
    {0x40015400u, 0x400u, "SAI1"},     {0x40020000u, 0x400u, "DMA1"},
    {0x40020400u, 0x400u, "DMA2"},     {0x40020800u, 0x400u, "DMAMUX1"},
    {0x40023000u, 0x400u, "CRC"},      {0x40024000u, 0x400u, "TSC"},
    {0x48000000u, 0x400u, "GPIOA"},    {0x48000400u, 0x400u, "GPIOB"},
    {0x48000800u, 0x400u, "GPIOC"},    {0x48000C00u, 0x400u, "GPIOD"},
    {0x48001000u, 0x400u, "GPIOE"},    {0x48001C00u, 0x400u, "GPIOH"},
    {0x50040000u, 0x400u, "ADC"},      {0x50060000u, 0x400u, "AES1"},
    {0x58000000u, 0x400u, "RCC"},      {0x58000400u, 0x400u, "PWR"},
    {0x58000800u, 0x400u, "EXTI"},     {0x58000C00u, 0x400u, "IPCC"},
    {0x58001000u, 0x400u, "RNG"},      {0x58001400u, 0x400u, "HSEM"},
    {0x58001800u, 0x400u, "AES2"},     {0x58002000u, 0x2000u, "PKA"},
    {0x58004000u, 0x400u, "FLASH"},    {0xE0000000u, 0x1000u, "ITM"},
    {0xE0001000u, 0x1000u, "DWT"},     {0xE0002000u, 0x1000u, "FPB"},
    {0xE000E000u, 0x1000u, "SCS"},     {0xE0040000u, 0x1000u, "TPIU"},
    {0xE0041000u, 0x1000u, "ETM"},     {0xE0042000u, 0x400u, "DBGMCU"},
};

const char *emu_unimpl_name(uint32_t addr)
{
    for (unsigned i = 0; i < sizeof(s_blocks) / sizeof(s_blocks[0]); i++) {
        if (addr - s_blocks[i].base < s_blocks[i].size) {
            return s_blocks[i].name;
        }
    }
    return "reserved";
}
