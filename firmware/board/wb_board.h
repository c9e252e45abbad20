/* wb_board.h - the one header firmware code includes for board options.
 * Owns: the include order (user wb_board_config.h first, then wb_board_defaults.h with its
 * defaults and #error checks). Included by the chip port, the loader and examples. */
#ifndef WB_BOARD_H
#define WB_BOARD_H

#include "wb_board_config.h"
#define WB_BOARD_INCLUDING_DEFAULTS
#include "wb_board_defaults.h"
#undef WB_BOARD_INCLUDING_DEFAULTS

#endif
