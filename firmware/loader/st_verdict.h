/* st_verdict.h - verify once for the st-mode loaders (no staged records): the verdict of a
 * full check of the app, kept in the last loader page (docs/image-format.md#st-verdict).
 * Owns: that page's format (entries of a tag double word + the image id of wbota/records.h),
 * finding the live entry at boot, appending one after a full check (erasing the page when it is
 * full), and zeroing it before the loader's first write into the app region.
 * Why here and not the staged records: the st loaders carry no record code (about 3 KB); this
 * is one page of write-once double words under docs/flash-rules.md.
 * Called by main.c (boot path) and ota_service.c (before an erase or program of an app page);
 * flash through wb/flash.h. The loader's code ends below the page (firmware/CMakeLists.txt). */
#ifndef WB_LOADER_ST_VERDICT_H
#define WB_LOADER_ST_VERDICT_H

#include <stdbool.h>

#include "wbota/records.h"

/* The page holding the verdicts: the loader page right below the app start page. */
void wb_st_verdict_open(uint32_t page);
/* A live verdict for exactly this image id (digest, magic address, counter) is recorded. */
bool wb_st_verdict_matches(const wbota_rec_image_t *id);
/* Record id as the live verdict (after a full check passed). Best effort: a failure only
 * costs a full check at the next boot. */
void wb_st_verdict_record(const wbota_rec_image_t *id);
/* Zero the live verdict, if any (idempotent): the next boot checks in full. */
void wb_st_verdict_invalidate(void);

#endif
