/* files.h - the library's side of file transfers (docs/wire-protocol.md,
 * "File transfers"): it opens, reads and writes the application's files in
 * its own process; the server only ever sees their bytes.
 *
 * Library thread only (called while handling frames, and when the
 * connection closes). No JSON is parsed: an upload names its path in the
 * server's FILE_OPEN, a download's target is the path argument the library
 * kept from the TIMMsgDownloadElemToPath call.
 */
#ifndef TL_FILES_H
#define TL_FILES_H

#include <stdbool.h>
#include <stdint.h>

#include "wire.h"

#define TL_MAX_UPLOAD (100u * 1024u * 1024u) /* 7005 above this */

/* File error codes (reference § D.2). */
enum {
    FILE_ERR_NOT_FOUND = 7004,
    FILE_ERR_TOO_LARGE = 7005,
    FILE_ERR_EMPTY = 7006,
    FILE_ERR_OPEN = 7007,
    FILE_ERR_IO = 6022,
};

/* Handle a FILE_OPEN / FILE_READ / FILE_CLOSE / FILE_PUSH body (r is past the
 * kind byte) of a connection of init generation gen; answers go to out.
 * Returns false on a malformed frame (the caller drops the connection). */
bool files_handle(uint64_t gen, uint8_t kind, rd_t *r, buf_t *out);

/* The last REPLY of download request_id arrived: close its target. */
void files_download_done(uint32_t request_id);

/* The connection closed (lost, TIMUninit): close every open file. */
void files_reset(void);

#endif
