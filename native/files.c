/* files.c - file transfers on the library thread (files.h).
 *
 * Upload: FILE_OPEN names a path for one of this connection's pending
 * TIMMsgSendNewMsg / TIMMsgBatchSend calls; the library opens it with
 * O_NONBLOCK (a FIFO or device never blocks the thread) and accepts only a
 * regular file of 1..100 MiB (7004 missing, 7005 too large, 7006 empty, 7007
 * anything else), then answers each FILE_READ with the bytes asked for
 * (6022 if the file shrank or cannot be read). The server asks for a bounded
 * number of chunks at a time, so the bytes queued here stay bounded.
 *
 * Download: the first FILE_PUSH of a pending TIMMsgDownloadElemToPath opens
 * its path (created if missing, a regular file only, then truncated); each
 * push is written at its offset and acknowledged by FILE_WRITTEN with the
 * bytes written so far (6022 when it cannot be written). The server reports
 * progress from those acknowledgements.
 */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state.h"

#define MAX_OPEN 8 /* per connection; the server runs one transfer at a time */

typedef struct {
    bool used;
    uint32_t id; /* transfer id (uploads) or request id (downloads) */
    int fd;
} slot_t;

static slot_t uploads[MAX_OPEN], downloads[MAX_OPEN];
static uint8_t *chunk; /* WIRE_MAX_CHUNK bytes, allocated on first read */

static slot_t *slot_find(slot_t *t, uint32_t id)
{
    for (int i = 0; i < MAX_OPEN; i++)
        if (t[i].used && t[i].id == id)
            return &t[i];
    return NULL;
}

static slot_t *slot_add(slot_t *t, uint32_t id, int fd)
{
    for (int i = 0; i < MAX_OPEN; i++) {
        if (!t[i].used) {
            t[i] = (slot_t){true, id, fd};
            return &t[i];
        }
    }
    return NULL;
}

static void slot_close(slot_t *s)
{
    if (!s)
        return;
    close(s->fd);
    s->used = false;
    s->fd = -1;
}

/* Whether json holds s as a JSON string written the usual way: the escapes
 * JSON requires (\" \\ \b \f \n \r \t \u00xx), other characters as
 * they are, '/' either as it is or as \/. No JSON is parsed: the server may
 * name only a path the application wrote in the message it is sending. */
static bool json_names(const char *json, const char *s, bool escaped_slash)
{
    size_t n = strlen(s);
    char *needle = malloc(n * 6 + 3);
    if (!needle)
        return false;
    char *w = needle;
    *w++ = '"';
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        const char *esc = *c == '"' ? "\\\"" : *c == '\\' ? "\\\\" : *c == '\b' ? "\\b" : *c == '\f' ? "\\f"
                        : *c == '\n' ? "\\n" : *c == '\r' ? "\\r" : *c == '\t' ? "\\t"
                        : *c == '/' && escaped_slash ? "\\/" : NULL;
        if (esc)
            w += sprintf(w, "%s", esc);
        else if (*c < 0x20)
            w += sprintf(w, "\\u%04x", *c);
        else
            *w++ = (char)*c;
    }
    *w++ = '"';
    *w = 0;
    bool found = strstr(json, needle) != NULL;
    free(needle);
    return found;
}

/* Whether request id of generation gen is pending and is a send whose JSON
 * names upload (for an upload), or a download (then *path gets a copy of its
 * target). Takes g.mu. */
static bool pending_is(uint64_t gen, uint32_t id, const char *upload, char **path)
{
    st_lock();
    req_t *q = g.gen == gen && id ? st_pending_find_locked(id) : NULL;
    bool ok = q && (upload ? (q->fn == FN_SENDNEWMSG || q->fn == FN_BATCHSEND) && q->json &&
                                 (json_names(q->json, upload, false) || (strchr(upload, '/') && json_names(q->json, upload, true)))
                           : q->fn == FN_DOWNLOAD && q->path);
    if (ok && path)
        *path = tl_strdup(q->path);
    st_unlock();
    return ok && (!path || *path);
}

/* Open path for an upload: a regular, non-empty file of at most TL_MAX_UPLOAD bytes. */
static int32_t open_source(const char *path, int *fd, uint64_t *size)
{
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (*fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? FILE_ERR_NOT_FOUND : FILE_ERR_OPEN;
    struct stat st;
    int32_t code = 0;
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode))
        code = FILE_ERR_OPEN;
    else if (st.st_size == 0)
        code = FILE_ERR_EMPTY;
    else if ((uint64_t)st.st_size > TL_MAX_UPLOAD)
        code = FILE_ERR_TOO_LARGE;
    if (code) {
        close(*fd);
        *fd = -1;
    }
    *size = code ? 0 : (uint64_t)st.st_size;
    return code;
}

static bool on_open(uint64_t gen, rd_t *r, buf_t *out)
{
    uint32_t tid = rd_u32(r);
    uint32_t req = rd_u32(r);
    char *path = rd_str(r);
    if (r->err || r->off != r->n) {
        free(path);
        return false;
    }
    int fd = -1;
    uint64_t size = 0;
    int32_t code = FILE_ERR_OPEN; /* not for a pending send of ours: refused */
    if (pending_is(gen, req, path, NULL) && !slot_find(uploads, tid))
        code = open_source(path, &fd, &size);
    if (code == 0 && !slot_add(uploads, tid, fd)) {
        close(fd);
        code = FILE_ERR_OPEN;
        size = 0;
    }
    free(path);
    wire_file_answer(out, WK_FILE_INFO, tid, code, size);
    return true;
}

/* Read (or write) exactly n bytes at off; false on an error or a short file. */
static bool io_exact(int fd, uint8_t *p, uint32_t n, uint64_t off, bool write)
{
    uint32_t done = 0;
    while (done < n) {
        off_t at = (off_t)(off + done);
        ssize_t k = write ? pwrite(fd, p + done, n - done, at) : pread(fd, p + done, n - done, at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        done += (uint32_t)k;
    }
    return true;
}

static bool on_read(rd_t *r, buf_t *out)
{
    uint32_t tid = rd_u32(r);
    uint64_t off = rd_u64(r);
    uint32_t n = rd_u32(r);
    if (r->err || r->off != r->n || n > WIRE_MAX_CHUNK)
        return false;
    slot_t *s = slot_find(uploads, tid);
    if (!chunk)
        chunk = malloc(WIRE_MAX_CHUNK);
    if (s && chunk && io_exact(s->fd, chunk, n, off, false))
        wire_file_data(out, tid, off, 0, chunk, n);
    else
        wire_file_data(out, tid, off, FILE_ERR_IO, NULL, 0);
    return true;
}

/* Open the target of a download: created if missing, a regular file only, emptied. */
static int open_target(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0666);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || ftruncate(fd, 0) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool on_push(uint64_t gen, rd_t *r, buf_t *out)
{
    uint32_t req = rd_u32(r);
    uint64_t off = rd_u64(r);
    uint64_t total = rd_u64(r);
    uint32_t n = 0;
    const uint8_t *data = rd_bytes(r, &n);
    if (r->err || r->off != r->n || n > WIRE_MAX_CHUNK || off + n > total)
        return false;
    slot_t *s = slot_find(downloads, req);
    if (!s && off == 0) { /* the first push opens the call's target */
        char *path = NULL;
        if (pending_is(gen, req, NULL, &path)) {
            int fd = open_target(path);
            if (fd >= 0 && !(s = slot_add(downloads, req, fd)))
                close(fd);
        }
        free(path);
    }
    if (!s || !io_exact(s->fd, (uint8_t *)data, n, off, true)) {
        slot_close(s); /* later pushes of this download get 6022 too */
        wire_file_answer(out, WK_FILE_WRITTEN, req, FILE_ERR_IO, 0);
        return true;
    }
    if (off + n == total)
        slot_close(s);
    wire_file_answer(out, WK_FILE_WRITTEN, req, 0, off + n);
    return true;
}

bool files_handle(uint64_t gen, uint8_t kind, rd_t *r, buf_t *out)
{
    switch (kind) {
    case WK_FILE_OPEN:
        return on_open(gen, r, out);
    case WK_FILE_READ:
        return on_read(r, out);
    case WK_FILE_CLOSE: {
        uint32_t tid = rd_u32(r);
        if (r->err || r->off != r->n)
            return false;
        slot_close(slot_find(uploads, tid));
        return true;
    }
    case WK_FILE_PUSH:
        return on_push(gen, r, out);
    default:
        return false;
    }
}

void files_download_done(uint32_t request_id)
{
    slot_close(slot_find(downloads, request_id));
}

void files_reset(void)
{
    for (int i = 0; i < MAX_OPEN; i++) {
        slot_close(uploads[i].used ? &uploads[i] : NULL);
        slot_close(downloads[i].used ? &downloads[i] : NULL);
    }
}
