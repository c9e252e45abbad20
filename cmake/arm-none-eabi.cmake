# Toolchain: Debian's arm-none-eabi-gcc with newlib, Cortex-M4F (STM32WB55 CPU1).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy)
set(CMAKE_SIZE arm-none-eabi-size)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(WBOTA_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft")
# -fbuiltin after -ffreestanding: memcpy/memset/memcmp/strlen keep their standard meaning (newlib,
# or the loader's firmware/loader/small_libc.c), so GCC inlines the small fixed-size ones
# (about 400 B less loader flash; docs/benchmarks.md#loader-size).
set(CMAKE_C_FLAGS_INIT "${WBOTA_CPU_FLAGS} -ffreestanding -fbuiltin -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${WBOTA_CPU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${WBOTA_CPU_FLAGS} -nostartfiles -Wl,--gc-sections -specs=nano.specs -specs=nosys.specs")
# -fno-partial-inlining: no split-off ".part" copies of functions whose head GCC inlines (about
# 60-90 B less staged loader flash; docs/benchmarks.md#loader-size-3).
set(CMAKE_C_FLAGS_MINSIZEREL "-Os -g -fno-partial-inlining")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
