/* main.h - what the CubeMX-style example's files share (Core/Inc/main.h in a CubeMX project). */
#ifndef MAIN_H
#define MAIN_H

#include "wbota/err.h"

/* Never returns: shows err on the board LED (the radio is not available). */
__attribute__((noreturn)) void Error_Handler(wbota_err_t err);

#endif
