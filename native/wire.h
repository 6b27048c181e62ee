/* wire.h - frame encoding / decoding of docs/wire-protocol.md, and a growing byte buffer. */
#ifndef TL_WIRE_H
#define TL_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_PROTOCOL 1
#define WIRE_MAX_FRAME (16u * 1024u * 1024u)

enum { WK_HELLO = 1, WK_WELCOME = 2, WK_CALL = 3, WK_REPLY = 4, WK_EVENT = 5, WK_ACK = 6 };
/* File transfers (docs/wire-protocol.md, "File transfers"; files.c). */
enum {
    WK_FILE_OPEN = 7,     /* server -> client: u32 transfer_id, u32 request_id, str path */
    WK_FILE_INFO = 8,     /* client -> server: u32 transfer_id, i32 code, u64 size */
    WK_FILE_READ = 9,     /* server -> client: u32 transfer_id, u64 offset, u32 length */
    WK_FILE_DATA = 10,    /* client -> server: u32 transfer_id, u64 offset, i32 code, u32 n + n bytes */
    WK_FILE_CLOSE = 11,   /* server -> client: u32 transfer_id */
    WK_FILE_PUSH = 12,    /* server -> client: u32 request_id, u64 offset, u64 total, u32 n + n bytes */
    WK_FILE_WRITTEN = 13, /* client -> server: u32 request_id, i32 code, u64 written */
};
#define WIRE_MAX_CHUNK (1u << 20) /* largest FILE_READ length / FILE_DATA / FILE_PUSH data */
enum { TAG_NULL = 0, TAG_STR = 1, TAG_I64 = 2, TAG_U64 = 3 };
#define REPLY_FLAG_MORE 0x01u

/* Offset of the request id inside an encoded CALL frame (u32 len, u8 kind). */
#define CALL_REQID_OFFSET 5

typedef struct {
    uint8_t *data;
    size_t len, cap;
    bool oom; /* an allocation failed; contents are incomplete */
} buf_t;

bool buf_reserve(buf_t *b, size_t extra);
void buf_put(buf_t *b, const void *p, size_t n);
void buf_u8(buf_t *b, uint8_t v);
void buf_u16(buf_t *b, uint16_t v);
void buf_u32(buf_t *b, uint32_t v);
void buf_u64(buf_t *b, uint64_t v);
void buf_str(buf_t *b, const char *s); /* u32 length + bytes */
void buf_consume(buf_t *b, size_t n);  /* drop n bytes from the front */
void buf_free(buf_t *b);

/* An argument of a CALL. */
typedef struct {
    uint8_t tag;
    const char *s;
    uint64_t u; /* i64 values are stored as their two's complement */
} warg_t;

#define WARG_STR(x) ((warg_t){(x) ? TAG_STR : TAG_NULL, (x), 0})
#define WARG_I64(x) ((warg_t){TAG_I64, NULL, (uint64_t)(int64_t)(x)})
#define WARG_U64(x) ((warg_t){TAG_U64, NULL, (uint64_t)(x)})

/* Append whole frames (length prefix included). */
void wire_hello(buf_t *b, uint64_t sdk_app_id, const char *sdk_version);
void wire_call(buf_t *b, uint32_t request_id, uint16_t fn, const warg_t *args, int argc);
void wire_patch_reqid(uint8_t *frame, uint32_t request_id);
/* ACK: every EVENT 1 of this connection with a delivery token <= token was handled. */
void wire_ack(buf_t *b, uint64_t token);
/* File transfer answers (client -> server). */
/* FILE_INFO (transfer id, code, size) or FILE_WRITTEN (request id, code, bytes written): the same layout. */
void wire_file_answer(buf_t *b, uint8_t kind, uint32_t id, int32_t code, uint64_t n);
void wire_file_data(buf_t *b, uint32_t transfer_id, uint64_t offset, int32_t code, const uint8_t *data, uint32_t n);

/* Bounds-checked reader over one frame body. Any overrun sets err. */
typedef struct {
    const uint8_t *p;
    size_t n, off;
    bool err;
} rd_t;

uint8_t rd_u8(rd_t *r);
uint16_t rd_u16(rd_t *r);
uint32_t rd_u32(rd_t *r);
uint64_t rd_u64(rd_t *r);
char *rd_str(rd_t *r); /* malloc'd, NUL-terminated; NULL on error */
const uint8_t *rd_bytes(rd_t *r, uint32_t *n); /* u32 length + bytes, a view into the body; NULL on error */

/* A decoded EVENT argument. */
typedef struct {
    uint8_t tag;
    char *s; /* owned, TAG_STR only */
    uint64_t u;
} rarg_t;

#define WIRE_MAX_ARGS 255
/* Reads argc then the args into out[0..*argc). Returns false on a malformed list
 * (out is then freed). */
bool rd_args(rd_t *r, rarg_t *out, int *argc);
void rargs_free(rarg_t *a, int argc);

#endif
