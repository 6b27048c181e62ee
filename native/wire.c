/* wire.c - frame encoding / decoding (all integers big-endian). */
#include "wire.h"

#include <stdlib.h>
#include <string.h>

bool buf_reserve(buf_t *b, size_t extra)
{
    if (b->oom)
        return false;
    if (extra <= b->cap - b->len)
        return true;
    size_t need = b->len + extra;
    if (need < b->len) {
        b->oom = true;
        return false;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    uint8_t *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void buf_put(buf_t *b, const void *p, size_t n)
{
    if (n == 0 || !buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void buf_u8(buf_t *b, uint8_t v) { buf_put(b, &v, 1); }

void buf_u16(buf_t *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    buf_put(b, x, 2);
}

void buf_u32(buf_t *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    buf_put(b, x, 4);
}

void buf_u64(buf_t *b, uint64_t v)
{
    buf_u32(b, (uint32_t)(v >> 32));
    buf_u32(b, (uint32_t)v);
}

void buf_str(buf_t *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > WIRE_MAX_FRAME) { /* cannot be framed; the caller's frame check fails */
        b->oom = true;
        return;
    }
    buf_u32(b, (uint32_t)n);
    buf_put(b, s, n);
}

void buf_consume(buf_t *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

void buf_free(buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Frames are built as: reserve 4 bytes, body, then patch the length. */
static size_t frame_begin(buf_t *b)
{
    size_t at = b->len;
    buf_u32(b, 0);
    return at;
}

static void frame_end(buf_t *b, size_t at)
{
    if (b->oom)
        return;
    size_t body = b->len - at - 4;
    if (body == 0 || body > WIRE_MAX_FRAME) {
        b->oom = true; /* never send an unframeable body */
        return;
    }
    put_be32(b->data + at, (uint32_t)body);
}

void wire_hello(buf_t *b, uint64_t sdk_app_id, const char *sdk_version)
{
    size_t at = frame_begin(b);
    buf_u8(b, WK_HELLO);
    buf_u16(b, WIRE_PROTOCOL);
    buf_u64(b, sdk_app_id);
    buf_str(b, sdk_version);
    frame_end(b, at);
}

void wire_call(buf_t *b, uint32_t request_id, uint16_t fn, const warg_t *args, int argc)
{
    size_t at = frame_begin(b);
    buf_u8(b, WK_CALL);
    buf_u32(b, request_id);
    buf_u16(b, fn);
    buf_u8(b, (uint8_t)argc);
    for (int i = 0; i < argc; i++) {
        buf_u8(b, args[i].tag);
        if (args[i].tag == TAG_STR)
            buf_str(b, args[i].s);
        else if (args[i].tag == TAG_I64 || args[i].tag == TAG_U64)
            buf_u64(b, args[i].u);
    }
    frame_end(b, at);
}

void wire_patch_reqid(uint8_t *frame, uint32_t request_id)
{
    put_be32(frame + CALL_REQID_OFFSET, request_id);
}

void wire_ack(buf_t *b, uint64_t token)
{
    size_t at = frame_begin(b);
    buf_u8(b, WK_ACK);
    buf_u64(b, token);
    frame_end(b, at);
}

void wire_file_answer(buf_t *b, uint8_t kind, uint32_t id, int32_t code, uint64_t n)
{
    size_t at = frame_begin(b);
    buf_u8(b, kind);
    buf_u32(b, id);
    buf_u32(b, (uint32_t)code);
    buf_u64(b, n);
    frame_end(b, at);
}

void wire_file_data(buf_t *b, uint32_t transfer_id, uint64_t offset, int32_t code, const uint8_t *data, uint32_t n)
{
    size_t at = frame_begin(b);
    buf_u8(b, WK_FILE_DATA);
    buf_u32(b, transfer_id);
    buf_u64(b, offset);
    buf_u32(b, (uint32_t)code);
    buf_u32(b, n);
    buf_put(b, data, n);
    frame_end(b, at);
}

static const uint8_t *rd_take(rd_t *r, size_t n)
{
    if (r->err || n > r->n - r->off) {
        r->err = true;
        return NULL;
    }
    const uint8_t *p = r->p + r->off;
    r->off += n;
    return p;
}

const uint8_t *rd_bytes(rd_t *r, uint32_t *n)
{
    *n = rd_u32(r);
    return rd_take(r, *n);
}

uint8_t rd_u8(rd_t *r)
{
    const uint8_t *p = rd_take(r, 1);
    return p ? p[0] : 0;
}

uint16_t rd_u16(rd_t *r)
{
    const uint8_t *p = rd_take(r, 2);
    return p ? (uint16_t)((p[0] << 8) | p[1]) : 0;
}

uint32_t rd_u32(rd_t *r)
{
    const uint8_t *p = rd_take(r, 4);
    return p ? ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3] : 0;
}

uint64_t rd_u64(rd_t *r)
{
    uint64_t hi = rd_u32(r);
    return (hi << 32) | rd_u32(r);
}

char *rd_str(rd_t *r)
{
    uint32_t n = rd_u32(r);
    const uint8_t *p = rd_take(r, n);
    if (!p)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s) {
        r->err = true;
        return NULL;
    }
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

void rargs_free(rarg_t *a, int argc)
{
    for (int i = 0; i < argc; i++) {
        free(a[i].s);
        a[i].s = NULL;
    }
}

bool rd_args(rd_t *r, rarg_t *out, int *argc)
{
    int n = rd_u8(r);
    *argc = 0;
    for (int i = 0; i < n && !r->err; i++) {
        rarg_t *a = &out[i];
        a->tag = rd_u8(r);
        a->s = NULL;
        a->u = 0;
        *argc = i + 1;
        switch (a->tag) {
        case TAG_NULL:
            break;
        case TAG_STR:
            a->s = rd_str(r);
            break;
        case TAG_I64:
        case TAG_U64:
            a->u = rd_u64(r);
            break;
        default:
            r->err = true;
        }
    }
    if (r->err) {
        rargs_free(out, *argc);
        *argc = 0;
        return false;
    }
    return true;
}
