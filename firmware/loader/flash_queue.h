/* flash_queue.h - the loader's write-behind buffer between the OTA engine and the flash.
 * Owns: a RAM queue of double words the core OTA engine asked to program, their programming
 * in the gaps between connection events (one flash session per burst, Sem 7 per operation),
 * and the prediction of the next connection event from CPU2's Sem 7 holds.
 * Why: CPU2's event buffers are released as soon as a write is copied here, and CPU1 never
 * takes Sem 7 just when CPU2 needs it for a radio event (docs/benchmarks.md#speed). The core
 * sees a flash port (wb_fq_port) whose reads include what is still queued; errors of a
 * deferred operation are sticky and returned by the next program/read call of the session.
 * Called by ota_service.c only. */
#ifndef WB_LOADER_FLASH_QUEUE_H
#define WB_LOADER_FLASH_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/ota.h"

/* Double words the queue holds (8 bytes of data each). */
#ifndef WB_CFG_FQ_CAP
#define WB_CFG_FQ_CAP 1024u
#endif

/* New session: drop the sticky error (call with the queue drained). */
void wb_fq_reset(void);
/* The core's flash seam, queued (erase drains the queue first, then erases synchronously). */
wbota_ota_flash_t wb_fq_port(void);
/* Connection interval in force (us), from the connection complete event. */
void wb_fq_set_interval_us(uint32_t us);
/* Double words queued / free. */
uint32_t wb_fq_len(void);
uint32_t wb_fq_space(void);
/* Looks whether CPU2's radio holds Sem 7 now (learns the event grid); call often. */
void wb_fq_watch_radio(void);
/* CPU1 just woke from sleep (an interrupt): lets a hold seen now count as its beginning. */
void wb_fq_woke(void);
/* Work that must reach the flash after every double word queued so far (a progress record that
 * names them, docs/staged.md#resume): run by the service in a gap once those are programmed,
 * or by the drain. One at a time: a newer job replaces a pending one (the records it is for are
 * cumulative, the last wins). Its error is sticky like a deferred program's; after an error the
 * job is dropped. */
typedef wbota_err_t (*wb_fq_job_fn)(void *ctx);
void wb_fq_after_queued(wb_fq_job_fn fn, void *ctx);
/* Nothing queued and no job waiting. */
bool wb_fq_idle(void);
/* Programs queued double words (and a due job) while the radio leaves a gap; returns after a
 * short burst. */
void wb_fq_service(void);
/* Programs everything now (before "finished", a new start, a disconnect): WBOTA_OK or the
 * sticky error of the session. */
wbota_err_t wb_fq_drain(void);

#endif
