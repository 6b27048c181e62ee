/* conn.c - the library thread.
 *
 * Loop: poll(wakeup eventfd, socket) with a timeout for the connect deadline
 * (3 s, TCP connect + HELLO/WELCOME) or the retry timer (100 ms doubling to
 * 2 s); then pick up changes made by the exported functions (init generation,
 * frames to send), do the socket I/O, fire timers, and run the queued
 * callbacks with no lock held.
 */
#include "conn.h"
#include "conn_int.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "dispatch.h"
#include "files.h"
#include "proto.h"
#include "state.h"
#include "wire.h"

#define JOBS_PER_ROUND 1024

static int wake_fd = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void conn_close(conn_t *c)
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
    files_reset(); /* transfers belong to their connection */
}

static void schedule_retry(conn_t *c)
{
    c->phase = PH_WAIT;
    c->deadline = now_ms() + c->backoff;
    c->backoff = c->backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff * 2;
}

/* The attempt failed before WELCOME: ConnectFailed, queued calls get 6200. */
void attempt_failed(conn_t *c, int32_t code, const char *reason)
{
    conn_close(c);
    st_lock();
    bool current = g.inited && g.gen == c->gen;
    if (current) {
        /* Both descs name the address tried: "no network" alone does not say where. */
        char where[600], desc[700];
        snprintf(where, sizeof where, "%s:%s: %s", g.host ? g.host : "127.0.0.1", g.port ? g.port : "7171", reason);
        snprintf(desc, sizeof desc, "no network: connection attempt to %s", where);
        g.net = NET_WAITING;
        st_fail_waitq_locked(6200, desc);
        job_net_locked(kTIMConnectFailed, code, where);
        job_log_locked(kTIMLog_Info, "timlocal: connect failed (%d): %s", (int)code, where);
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

void conn_fail(conn_t *c, const char *reason)
{
    if (c->phase == PH_UP)
        conn_lost(c, reason);
    else
        attempt_failed(c, 9511, reason);
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
    sock_connect_next(c);
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
    g.ack_deferred = false;
    g.out.oom = false;
    if (g.out.cap > BIG_BUFFER)
        buf_free(&g.out);
    return oom;
}

void on_welcome(conn_t *c, const char *server)
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
        sock_write(c);
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
    bool more_jobs = false;
    for (;;) {
        struct pollfd pf[2] = {{.fd = wake_fd, .events = POLLIN}, {.fd = -1}};
        nfds_t n = 1;
        bool paused = jobs_pause_reading();
        if (c.fd >= 0) {
            pf[1].fd = c.fd;
            pf[1].events = paused && c.phase == PH_UP ? 0 : POLLIN;
            if (c.phase == PH_TCP || c.woff < c.wbuf.len)
                pf[1].events |= POLLOUT;
            n = 2;
        }
        int timeout = more_jobs ? 0 : poll_timeout(&c);
        if (timeout != 0 && jobs_ack_coming()) /* a deferred ACK waits at most ACK_DELAY_MS */
            timeout = timeout < 0 || timeout > ACK_DELAY_MS ? ACK_DELAY_MS : timeout;
        int rc = poll(pf, n, timeout);
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
                sock_check_connect(&c);
            else {
                if (ev & (POLLIN | POLLHUP | POLLERR)) /* no POLLIN asked while paused */
                    sock_read(&c);
                if (c.fd >= 0 && c.epoch == epoch && (ev & POLLOUT))
                    sock_write(&c);
            }
        }
        if (c.welcome_oom) {
            c.welcome_oom = false;
            if (c.phase == PH_UP)
                conn_lost(&c, "out of memory");
        }
        if (c.fd >= 0 && (c.phase == PH_UP || c.phase == PH_HELLO) && c.woff < c.wbuf.len)
            sock_write(&c);
        fire_timers(&c);
        more_jobs = jobs_run(JOBS_PER_ROUND); /* bounded, so socket I/O is never starved */
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
