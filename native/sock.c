/* sock.c - socket I/O of the library thread: non-blocking connect over the
 * resolved addresses, HELLO, partial writes, reads split into frames (any
 * number per read, or one frame over many reads), WELCOME check. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn_int.h"
#include "proto.h"
#include "wire.h"

void sock_write(conn_t *c)
{
    while (c->fd >= 0 && c->woff < c->wbuf.len) {
        ssize_t n = send(c->fd, c->wbuf.data + c->woff, c->wbuf.len - c->woff, MSG_NOSIGNAL);
        if (n > 0) {
            c->woff += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else {
            conn_fail(c, n < 0 ? strerror(errno) : "send failed");
            return;
        }
    }
    if (c->fd >= 0 && c->woff == c->wbuf.len) {
        c->woff = 0;
        c->wbuf.len = 0;
        if (c->wbuf.cap > BIG_BUFFER)
            buf_free(&c->wbuf);
    }
}

static void on_tcp_connected(conn_t *c)
{
    if (c->ai_list)
        freeaddrinfo(c->ai_list);
    c->ai_list = c->ai_next = NULL;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->phase = PH_HELLO;
    wire_hello(&c->wbuf, c->app_id, TL_SDK_VERSION);
    sock_write(c);
}

/* Try the remaining resolved addresses in turn. */
void sock_connect_next(conn_t *c)
{
    while (c->ai_next) {
        struct addrinfo *ai = c->ai_next;
        c->ai_next = ai->ai_next;
        int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            c->last_err = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            c->fd = fd;
            on_tcp_connected(c);
            return;
        }
        if (errno == EINPROGRESS || errno == EINTR) {
            c->fd = fd;
            c->phase = PH_TCP;
            return;
        }
        c->last_err = errno;
        close(fd);
    }
    int e = c->last_err ? c->last_err : ECONNREFUSED;
    attempt_failed(c, e == ETIMEDOUT ? 9510 : 9511, strerror(e));
}

void sock_check_connect(conn_t *c)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err == 0) {
        on_tcp_connected(c);
        return;
    }
    close(c->fd);
    c->fd = -1;
    c->last_err = err;
    sock_connect_next(c);
}

/* One frame body. Returns false on a protocol error. */
static bool handle_frame(conn_t *c, const uint8_t *body, size_t len)
{
    if (c->phase == PH_UP)
        return proto_handle(c->gen, body, len, &c->wbuf);
    rd_t r = {body, len, 0, false};
    if (rd_u8(&r) != WK_WELCOME || rd_u16(&r) != WIRE_PROTOCOL)
        return false;
    char *server = rd_str(&r);
    bool ok = !r.err && r.off == r.n;
    if (ok)
        on_welcome(c, server);
    free(server);
    return ok;
}

/* Parse every complete frame in rbuf. Returns false if the connection was closed. */
static bool parse_frames(conn_t *c)
{
    size_t off = 0;
    const char *bad = NULL;
    while (c->rbuf.len - off >= 4) {
        const uint8_t *p = c->rbuf.data + off;
        uint32_t len = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
        if (len == 0 || len > WIRE_MAX_FRAME) {
            bad = "protocol error: bad frame length";
            break;
        }
        if (c->rbuf.len - off - 4 < len)
            break;
        off += 4 + (size_t)len;
        if (!handle_frame(c, p + 4, len)) {
            bad = c->phase == PH_UP ? "protocol error: malformed frame" : "protocol error: bad handshake";
            break;
        }
    }
    if (bad) {
        conn_fail(c, bad);
        return false;
    }
    buf_consume(&c->rbuf, off);
    if (c->rbuf.len == 0 && c->rbuf.cap > BIG_BUFFER)
        buf_free(&c->rbuf);
    return true;
}

void sock_read(conn_t *c)
{
    for (int i = 0; i < 16 && c->fd >= 0; i++) {
        if (!buf_reserve(&c->rbuf, READ_CHUNK)) {
            conn_fail(c, "out of memory");
            return;
        }
        ssize_t n = recv(c->fd, c->rbuf.data + c->rbuf.len, c->rbuf.cap - c->rbuf.len, 0);
        if (n > 0) {
            c->rbuf.len += (size_t)n;
            if (!parse_frames(c))
                return;
        } else if (n == 0) {
            conn_fail(c, "connection closed by the server");
            return;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return;
        } else {
            conn_fail(c, strerror(errno));
            return;
        }
    }
}
