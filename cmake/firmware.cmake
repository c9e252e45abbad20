# Firmware image helper: wb_firmware_image(<target> LINKER <script> [BUDGET <bytes>])
# - links <target> with the linker script, names it <target>.elf, writes a .map,
# - emits <target>.bin and <target>.hex next to the ELF,
# - prints arm-none-eabi-size text/data/bss and FAILS the build (and deletes the ELF, so the
#   next build retries) when flash use (text + data; for a loader the offset of its last byte,
#   wb_loader_size_sym) exceeds BUDGET.
# The same file runs as a `cmake -P` script for the size check (WB_SIZE_CHECK set).

if(CMAKE_SCRIPT_MODE_FILE AND WB_SIZE_CHECK)
  execute_process(COMMAND ${WB_SIZE_TOOL} -B ${WB_ELF} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "size: cannot read ${WB_ELF}")
  endif()
  string(REGEX MATCH "\n[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)" m "${out}")
  set(text ${CMAKE_MATCH_1})
  set(data ${CMAKE_MATCH_2})
  set(bss ${CMAKE_MATCH_3})
  math(EXPR flash "${text} + ${data}")
  # a loader's true flash use: its last byte (wb_loader_size_sym, loader.ld), padding included
  string(REPLACE "arm-none-eabi-size" "arm-none-eabi-nm" nm_tool "${WB_SIZE_TOOL}")
  execute_process(COMMAND ${nm_tool} ${WB_ELF} OUTPUT_VARIABLE syms ERROR_QUIET)
  if(syms MATCHES "([0-9a-fA-F]+) [A-Za-z] wb_loader_size_sym")
    math(EXPR flash "0x${CMAKE_MATCH_1}")
  endif()
  get_filename_component(name ${WB_ELF} NAME)
  if(WB_BUDGET)
    math(EXPR pct "100 * ${flash} / ${WB_BUDGET}")
    message(STATUS "${name}: text ${text} data ${data} bss ${bss}; flash ${flash} of ${WB_BUDGET} bytes (${pct}%)")
    if(flash GREATER WB_BUDGET)
      file(REMOVE ${WB_ELF})
      message(FATAL_ERROR "${name}: flash use ${flash} bytes exceeds the budget of ${WB_BUDGET} bytes")
    endif()
  else()
    message(STATUS "${name}: text ${text} data ${data} bss ${bss}; flash ${flash} bytes")
  endif()
  return()
endif()

function(wb_firmware_image target)
  cmake_parse_arguments(ARG "" "LINKER;BUDGET" "" ${ARGN})
  if(NOT ARG_LINKER)
    message(FATAL_ERROR "wb_firmware_image(${target}): LINKER <script> is required")
  endif()
  get_filename_component(script ${ARG_LINKER} ABSOLUTE)
  set_target_properties(${target} PROPERTIES SUFFIX ".elf" LINK_DEPENDS ${script})
  target_link_options(${target} PRIVATE -T${script} ${WB_LAYOUT_LINK_OPTIONS}
                      -Wl,-Map=$<TARGET_FILE_DIR:${target}>/${target}.map)
  set(dir $<TARGET_FILE_DIR:${target}>)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${target}> ${dir}/${target}.bin
    COMMAND ${CMAKE_OBJCOPY} -O ihex $<TARGET_FILE:${target}> ${dir}/${target}.hex
    COMMAND ${CMAKE_COMMAND} -DWB_SIZE_CHECK=1 -DWB_ELF=$<TARGET_FILE:${target}>
            -DWB_SIZE_TOOL=${CMAKE_SIZE} -DWB_BUDGET=${ARG_BUDGET} -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    VERBATIM)
endfunction()

# The layout from its one number (core/include/wbota/config.h), for every firmware target:
#   WB_LOADER_SIZE        bytes of pages [0, WBOTA_CFG_APP_START_PAGE): the loader's budget
#   WB_APP_START          first application address
#   WBOTA_APP_REGION_SIZE application region with the default SFSA (WBOTA_CFG_DEFAULT_SFSA)
#   WB_LAYOUT_LINK_OPTIONS  --defsym WBOTA_LOADER_SIZE / WBOTA_APP_START / WBOTA_APP_END for the
#                         linker scripts (loader.ld, wbota_app_example.ld)
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/../core/include/wbota/config.h wb_cfg_lines
     REGEX "^#define WBOTA_CFG_(APP_START_PAGE|DEFAULT_SFSA) ")
foreach(line IN LISTS wb_cfg_lines)
  if(line MATCHES "^#define WBOTA_CFG_([A-Z_]+) +(0x[0-9A-Fa-f]+|[0-9]+)u?")
    set(WB_CFG_${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
  endif()
endforeach()
if(NOT DEFINED WB_CFG_APP_START_PAGE OR NOT DEFINED WB_CFG_DEFAULT_SFSA)
  message(FATAL_ERROR "cannot read the layout from core/include/wbota/config.h")
endif()
math(EXPR WB_LOADER_SIZE "${WB_CFG_APP_START_PAGE} * 4096")
math(EXPR WB_APP_START "0x08000000 + ${WB_LOADER_SIZE}" OUTPUT_FORMAT HEXADECIMAL)
math(EXPR WB_APP_END "0x08000000 + ${WB_CFG_DEFAULT_SFSA} * 4096" OUTPUT_FORMAT HEXADECIMAL)
math(EXPR WBOTA_APP_REGION_SIZE "${WB_APP_END} - ${WB_APP_START}")
set(WB_LAYOUT_LINK_OPTIONS -Wl,--defsym=WBOTA_LOADER_SIZE=${WB_LOADER_SIZE}
    -Wl,--defsym=WBOTA_APP_START=${WB_APP_START} -Wl,--defsym=WBOTA_APP_END=${WB_APP_END})
