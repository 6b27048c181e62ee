/* conn.c - the library thread.
 *
 * Loop: poll(wakeup eventfd, socket) with a timeout for the connect deadline
 * (3 s, TCP connect + HELLO/WELCOME) or the retry timer (100 ms doubling to
 * 2 s); then pick up changes made by the exported functions (init generation,
 * frames to send), do the socket I/O, fire timers, and run the queued
 * callbacks with no lock held.
 */
#include "conn.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dispatch.h"
#include "proto.h"
#include "state.h"
#include "wire.h"

#define CONNECT_TIMEOUT_MS 3000
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000
#define READ_CHUNK 65536
#define BIG_BUFFER (1u << 20)

enum phase { PH_IDLE, PH_WAIT, PH_TCP, PH_HELLO, PH_UP };

typedef struct {
    int fd;
    int phase;
    uint64_t gen;   /* init generation this connection belongs to */
    uint64_t epoch; /* bumped on every close */
    struct addrinfo *ai_list, *ai_next;
    int last_err;
    int64_t deadline;
    int backoff;
    buf_t rbuf, wbuf;
    size_t woff;
    uint64_t app_id;
    bool welcome_oom;
} conn_t;

static int wake_fd = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void conn_close(conn_t *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    if (c->ai_list)
        freeaddrinfo(c->ai_list);
    c->ai_list = c->ai_next = NULL;
    buf_free(&c->rbuf);
    buf_free(&c->wbuf);
    c->woff = 0;
    c->epoch++;
    c->phase = PH_IDLE;
}

static void schedule_retry(conn_t *c)
{
    c->phase = PH_WAIT;
    c->deadline = now_ms() + c->backoff;
    c->backoff = c->backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff * 2;
}

/* The attempt failed before WELCOME: ConnectFailed, queued calls get 6200. */
static void attempt_failed(conn_t *c, int32_t code, const char *reason)
{
    conn_close(c);
    st_lock();
    bool current = g.inited && g.gen == c->gen;
    if (current) {
        g.net = NET_WAITING;
        st_fail_waitq_locked(6200, "no network: connection attempt failed");
        job_net_locked(kTIMConnectFailed, code, reason);
        job_log_locked(kTIMLog_Info, "timlocal: connect failed (%d): %s", (int)code, reason);
    }
    st_unlock();
    if (current)
        schedule_retry(c);
}

/* An established connection was lost: Disconnected 9508, pending get 6201. */
static void conn_lost(conn_t *c, const char *reason)
{
    conn_close(c);
    st_lock();
    bool current = g.inited && g.gen == c->gen;
    if (current) {
        g.net = NET_WAITING;
        buf_free(&g.out);
        st_fail_pending_locked(6201, "no network: connection lost before the reply arrived");
        job_net_locked(kTIMDisconnected, 9508, reason);
        job_log_locked(kTIMLog_Info, "timlocal: disconnected: %s", reason);
    }
    st_unlock();
    if (current)
        schedule_retry(c);
}

static void conn_fail(conn_t *c, const char *reason)
{
    if (c->phase == PH_UP)
        conn_lost(c, reason);
    else
        attempt_failed(c, 9511, reason);
}

static void try_write(conn_t *c)
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
    try_write(c);
}

/* Try the remaining resolved addresses in turn. */
static void try_next_addr(conn_t *c)
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

static void attempt_start(conn_t *c)
{
    char host[256], port[32];
    st_lock();
    bool current = g.inited && g.gen == c->gen;
    if (current) {
        snprintf(host, sizeof host, "%s", g.host ? g.host : "127.0.0.1");
        snprintf(port, sizeof port, "%s", g.port ? g.port : "7171");
        c->app_id = g.sdk_app_id;
        g.net = NET_CONNECTING;
        job_net_locked(kTIMConnecting, 0, "");
        job_log_locked(kTIMLog_Info, "timlocal: connecting to %s port %s", host, port);
    }
    st_unlock();
    if (!current)
        return;
    c->phase = PH_TCP;
    c->last_err = 0;
    c->deadline = now_ms() + CONNECT_TIMEOUT_MS;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    int rc = getaddrinfo(host, port, &hints, &c->ai_list);
    if (rc != 0) {
        char reason[320];
        snprintf(reason, sizeof reason, "cannot resolve %s: %s", host, gai_strerror(rc));
        c->ai_list = NULL;
        attempt_failed(c, 9516, reason);
        return;
    }
    c->ai_next = c->ai_list;
    try_next_addr(c);
}

static void check_tcp_connect(conn_t *c)
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
    try_next_addr(c);
}

/* Move the frames queued by exported functions (g.out) to the write buffer.
 * Returns true if something was lost to an allocation failure. */
static bool take_out_locked(conn_t *c)
{
    if (!g.out.len && !g.out.oom)
        return false;
    if (c->woff) {
        buf_consume(&c->wbuf, c->woff);
        c->woff = 0;
    }
    buf_put(&c->wbuf, g.out.data, g.out.len);
    bool oom = g.out.oom || c->wbuf.oom;
    g.out.len = 0;
    g.out.oom = false;
    if (g.out.cap > BIG_BUFFER)
        buf_free(&g.out);
    return oom;
}

static void on_welcome(conn_t *c, const char *server)
{
    c->phase = PH_UP;
    c->backoff = BACKOFF_MIN_MS;
    st_lock();
    if (g.inited && g.gen == c->gen) {
        job_net_locked(kTIMConnected, 0, "");
        job_log_locked(kTIMLog_Info, "timlocal: connected to %s", server);
        st_on_welcome_locked(); /* RESUME, configs, queued calls -> g.out */
        /* written once the read batch is done (never close inside parse_frames) */
        c->welcome_oom = take_out_locked(c);
    }
    st_unlock();
}

/* One frame body. Returns false on a protocol error. */
static bool handle_frame(conn_t *c, const uint8_t *body, size_t len)
{
    if (c->phase == PH_UP)
        return proto_handle(c->gen, body, len);
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

static void do_read(conn_t *c)
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

/* Pick up what the exported functions changed. */
static void sync_api(conn_t *c)
{
    st_lock();
    bool regen = c->gen != g.gen;
    bool inited = g.inited;
    bool oom = false;
    c->gen = g.gen;
    if (!regen && c->phase == PH_UP)
        oom = take_out_locked(c);
    st_unlock();
    if (regen) {
        conn_close(c); /* silently: TIMUninit already failed what was pending */
        c->backoff = BACKOFF_MIN_MS;
        if (inited)
            attempt_start(c);
    } else if (oom) {
        conn_lost(c, "out of memory");
    }
    if (c->phase == PH_UP || c->phase == PH_HELLO)
        try_write(c);
}

static void fire_timers(conn_t *c)
{
    if (c->phase != PH_WAIT && c->phase != PH_TCP && c->phase != PH_HELLO)
        return;
    if (now_ms() < c->deadline)
        return;
    if (c->phase == PH_WAIT)
        attempt_start(c);
    else
        attempt_failed(c, 9510, "connection timed out (3 s)");
}

static int poll_timeout(const conn_t *c)
{
    if (c->phase != PH_WAIT && c->phase != PH_TCP && c->phase != PH_HELLO)
        return -1;
    int64_t left = c->deadline - now_ms();
    return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

static void *thread_main(void *arg)
{
    (void)arg;
    conn_t c = {.fd = -1, .backoff = BACKOFF_MIN_MS};
    for (;;) {
        struct pollfd pf[2] = {{.fd = wake_fd, .events = POLLIN}, {.fd = -1}};
        nfds_t n = 1;
        if (c.fd >= 0) {
            pf[1].fd = c.fd;
            pf[1].events = POLLIN;
            if (c.phase == PH_TCP || c.woff < c.wbuf.len)
                pf[1].events |= POLLOUT;
            n = 2;
        }
        int rc = poll(pf, n, poll_timeout(&c));
        if (rc < 0 && errno != EINTR) {
            struct timespec ts = {0, 10 * 1000000};
            nanosleep(&ts, NULL); /* should not happen; avoid spinning */
        }
        if (rc > 0 && (pf[0].revents & POLLIN)) {
            uint64_t v;
            if (read(wake_fd, &v, sizeof v) < 0) { /* EAGAIN: nothing to drain */
            }
        }
        uint64_t epoch = c.epoch;
        sync_api(&c);
        if (rc > 0 && n == 2 && c.epoch == epoch && c.fd >= 0 && pf[1].revents) {
            short ev = pf[1].revents;
            if (c.phase == PH_TCP)
                check_tcp_connect(&c);
            else {
                if (ev & (POLLIN | POLLHUP | POLLERR))
                    do_read(&c);
                if (c.fd >= 0 && c.epoch == epoch && (ev & POLLOUT))
                    try_write(&c);
            }
        }
        if (c.welcome_oom) {
            c.welcome_oom = false;
            if (c.phase == PH_UP)
                conn_lost(&c, "out of memory");
        }
        if (c.fd >= 0 && (c.phase == PH_UP || c.phase == PH_HELLO) && c.woff < c.wbuf.len)
            try_write(&c);
        fire_timers(&c);
        jobs_run();
    }
    return NULL;
}

static void thread_start(void)
{
    wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0)
        return;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old); /* signals stay with the host's threads */
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    if (pthread_create(&t, &at, thread_main, NULL) != 0) {
        close(wake_fd);
        wake_fd = -1;
    }
    pthread_attr_destroy(&at);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void conn_ensure_thread(void)
{
    pthread_once(&once, thread_start);
}

void conn_wake(void)
{
    conn_ensure_thread();
    if (wake_fd < 0)
        return;
    uint64_t one = 1;
    if (write(wake_fd, &one, sizeof one) < 0) { /* EAGAIN: already signalled */
    }
}
