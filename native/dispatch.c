/* dispatch.c - listener table and the callback queue.
 *
 * Every user callback is called with g.mu released, in queue order, by one
 * thread: the library thread (jobs_run), or, in host dispatch mode, the
 * host's thread that calls TIMLocalDispatch (jobs_dispatch). A job owns
 * copies of its strings; they stay valid for the duration of the callback
 * and are freed right after it. An EVENT 1 with a delivery token is
 * acknowledged once its listeners have returned (none registered: no ACK,
 * the server delivers it again later).
 *
 * Host dispatch mode: a pipe becomes readable when the queue stops being
 * empty (one byte per wake-up, not per job); the host drains the pipe and
 * calls TIMLocalDispatch. No thread ever waits for the host's callbacks.
 */
#include "dispatch.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "state.h"

enum { JOB_COMM, JOB_NET, JOB_LOG, JOB_EVENT };

typedef struct job {
    struct job *next;
    int kind;
    int ev;
    TIMCommCallback cb;
    const void *ud;
    int32_t a, b; /* comm code | net status, code | log level | conv event */
    uint32_t n[3];
    uint64_t token, link; /* EVENT 1: delivery token (0 = no ACK) and its connection */
    char *s1, *s2;
} job_t;

typedef struct {
    tl_fn fn;
    const void *ud;
} listener_t;

/* All of this is guarded by g.mu. */
static listener_t slots[LS_SLOTS];
static listener_t recv_list[LS_MAX_RECV];
static int recv_count;
static job_t *q_head, *q_tail;
static size_t q_len;
static size_t q_tokens; /* queued EVENT 1 jobs with a delivery token (their ACK is to come) */

/* Host dispatch mode, also guarded by g.mu. */
static bool host_mode;
static int host_pipe[2] = {-1, -1};
static bool host_signalled; /* a byte is in the pipe that the host has not acted on */
static bool reader_paused;  /* the library thread stopped reading: the queue is full */
static bool wake_deferred;  /* requests wait for the host's next TIMLocalDispatch to wake the library thread */

void ls_set(int slot, tl_fn cb, const void *ud)
{
    if (slot <= EV_RECV_NEW_MSG || slot >= LS_SLOTS)
        return;
    st_lock();
    slots[slot].fn = cb;
    slots[slot].ud = cb ? ud : NULL;
    st_unlock();
}

void ls_recv_set(tl_fn cb, const void *ud)
{
    st_lock();
    recv_count = 0;
    if (cb) {
        recv_list[0] = (listener_t){cb, ud};
        recv_count = 1;
    }
    st_unlock();
}

void ls_recv_add(tl_fn cb, const void *ud)
{
    if (!cb)
        return;
    st_lock();
    int i;
    for (i = 0; i < recv_count; i++)
        if (recv_list[i].fn == cb)
            break;
    if (i < recv_count)
        recv_list[i].ud = ud; /* same function again: update its user_data */
    else if (recv_count < LS_MAX_RECV)
        recv_list[recv_count++] = (listener_t){cb, ud};
    st_unlock();
}

void ls_recv_remove(tl_fn cb)
{
    st_lock();
    for (int i = 0; i < recv_count; i++) {
        if (recv_list[i].fn == cb) {
            memmove(&recv_list[i], &recv_list[i + 1], (size_t)(recv_count - i - 1) * sizeof recv_list[0]);
            recv_count--;
            break;
        }
    }
    st_unlock();
}

void ls_clear_all_locked(void)
{
    memset(slots, 0, sizeof slots);
    memset(recv_list, 0, sizeof recv_list);
    recv_count = 0;
}

static job_t *job_new(int kind)
{
    job_t *j = calloc(1, sizeof *j);
    if (j)
        j->kind = kind;
    return j;
}

/* Tells the host that jobs wait; g.mu held. */
static void host_signal_locked(void)
{
    if (!host_mode || host_signalled)
        return;
    host_signalled = true;
    if (write(host_pipe[1], "", 1) < 0) { /* EAGAIN: the pipe is readable anyway */
    }
}

static void job_push(job_t *j)
{
    if (q_tail)
        q_tail->next = j;
    else
        q_head = j;
    q_tail = j;
    q_len++;
    q_tokens += j->token != 0;
    host_signal_locked();
}

static void job_free(job_t *j)
{
    free(j->s1);
    free(j->s2);
    free(j);
}

void job_comm_locked(TIMCommCallback cb, const void *ud, int32_t code, const char *desc, const char *json)
{
    if (!cb)
        return;
    job_t *j = job_new(JOB_COMM);
    if (!j)
        return;
    j->cb = cb;
    j->ud = ud;
    j->a = code;
    j->s1 = tl_strdup(desc ? desc : "");
    j->s2 = tl_strdup(json ? json : "");
    job_push(j);
}

void job_net_locked(TIMNetworkStatus status, int32_t code, const char *desc)
{
    job_t *j = job_new(JOB_NET);
    if (!j)
        return;
    j->a = (int32_t)status;
    j->b = code;
    j->s1 = tl_strdup(desc ? desc : "");
    job_push(j);
}

void job_log_locked(TIMLogLevel level, const char *fmt, ...)
{
    if (!slots[EV_LOG].fn)
        return; /* nobody listens now; skip the formatting */
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    job_t *j = job_new(JOB_LOG);
    if (!j)
        return;
    j->a = (int32_t)level;
    j->s1 = tl_strdup(line);
    job_push(j);
}

/* Steal string argument i (NULL if absent or not a string). */
static char *arg_take_str(rarg_t *a, int argc, int i)
{
    if (i >= argc || a[i].tag != TAG_STR)
        return NULL;
    char *s = a[i].s;
    a[i].s = NULL;
    return s;
}

static uint64_t arg_int(const rarg_t *a, int argc, int i)
{
    if (i >= argc || (a[i].tag != TAG_I64 && a[i].tag != TAG_U64))
        return 0;
    return a[i].u;
}

void job_event_locked(int ev, rarg_t *args, int argc)
{
    job_t *j = job_new(ev == EV_LOG ? JOB_LOG : JOB_EVENT);
    if (j) {
        j->ev = ev;
        switch (ev) {
        case EV_UPLOAD_PROGRESS:
            j->s1 = arg_take_str(args, argc, 0);
            for (int i = 0; i < 3; i++)
                j->n[i] = (uint32_t)arg_int(args, argc, i + 1);
            break;
        case EV_CONV_EVENT:
        case EV_LOG:
            j->a = (int32_t)arg_int(args, argc, 0);
            j->s1 = arg_take_str(args, argc, 1);
            break;
        case EV_KICKED:
        case EV_SIG_EXPIRED:
            break;
        case EV_RECV_NEW_MSG:
            j->token = arg_int(args, argc, 1);
            j->link = g.link;
            j->s1 = arg_take_str(args, argc, 0);
            break;
        default:
            j->s1 = arg_take_str(args, argc, 0);
        }
        job_push(j);
    }
    rargs_free(args, argc);
}

/* Copies the listener(s) a job needs; g.mu held. */
static int job_listeners(const job_t *j, listener_t *out)
{
    if (j->kind == JOB_EVENT && j->ev == EV_RECV_NEW_MSG) {
        memcpy(out, recv_list, (size_t)recv_count * sizeof recv_list[0]);
        return recv_count;
    }
    int slot = j->kind == JOB_NET ? EV_NETWORK : j->kind == JOB_LOG ? EV_LOG : j->ev;
    if (slot <= EV_RECV_NEW_MSG || slot >= LS_SLOTS || !slots[slot].fn)
        return 0;
    out[0] = slots[slot];
    return 1;
}

static void job_invoke(const job_t *j, const listener_t *l)
{
    const char *s1 = j->s1 ? j->s1 : "";
    const char *s2 = j->s2 ? j->s2 : "";
    if (j->kind == JOB_COMM) {
        j->cb(j->a, s1, s2, j->ud);
        return;
    }
    if (j->kind == JOB_NET) {
        ((TIMNetworkStatusListenerCallback)l->fn)((TIMNetworkStatus)j->a, j->b, s1, l->ud);
        return;
    }
    if (j->kind == JOB_LOG) {
        ((TIMLogCallback)l->fn)((TIMLogLevel)j->a, s1, l->ud);
        return;
    }
    switch (j->ev) {
    case EV_UPLOAD_PROGRESS:
        ((TIMMsgElemUploadProgressCallback)l->fn)(s1, j->n[0], j->n[1], j->n[2], l->ud);
        break;
    case EV_CONV_EVENT:
        ((TIMConvEventCallback)l->fn)((TIMConvEvent)j->a, s1, l->ud);
        break;
    case EV_KICKED:
    case EV_SIG_EXPIRED: /* same signature */
        ((TIMKickedOfflineCallback)l->fn)(l->ud);
        break;
    default: /* 1, 2, 3, 5, 11: (const char*, const void*) */
        ((TIMRecvNewMsgCallback)l->fn)(s1, l->ud);
    }
}

/* Runs up to max jobs in order while the mode still says this thread runs
 * them (host: the host's thread; otherwise the library thread). Returns the
 * number run; *left tells whether jobs remain. */
static int run_jobs(int max, bool host, bool *left)
{
    listener_t ls[LS_MAX_RECV];
    bool wake = false;
    uint64_t ack_link = 0, ack_token = 0; /* the last EVENT 1 handed over: its ACK covers the earlier ones */
    int k = 0;
    for (;; k++) {
        st_lock();
        job_t *j = q_head;
        if (!j || k == max || host_mode != host) {
            *left = j != NULL && host_mode == host; /* jobs that wait for the other thread are not left to this one */
            st_unlock();
            break;
        }
        q_head = j->next;
        if (!q_head)
            q_tail = NULL;
        q_len--;
        q_tokens -= j->token != 0;
        int n = j->kind == JOB_COMM ? 1 : job_listeners(j, ls);
        st_unlock();
        for (int i = 0; i < n; i++)
            job_invoke(j, &ls[i]);
        if (j->token && n > 0) {
            if (ack_token && ack_link != j->link)
                wake |= st_ack_queue(ack_link, ack_token, host);
            ack_link = j->link;
            ack_token = j->token;
        }
        job_free(j);
    }
    if (ack_token)
        wake |= st_ack_queue(ack_link, ack_token, host); /* host dispatch: rides on the thread's next wake-up */
    if (wake)
        conn_wake();
    return k;
}

bool jobs_run(int max)
{
    bool left;
    run_jobs(max, false, &left);
    return left;
}

bool jobs_wake_now_locked(bool for_thread)
{
    if (!host_mode)
        return true; /* the library thread sends, or runs the callback */
    wake_deferred |= for_thread;
    return false;
}

int jobs_dispatch(int max)
{
    st_lock();
    bool on = host_mode;
    bool wake = wake_deferred;
    wake_deferred = false;
    if (max > 0)
        host_signalled = false; /* jobs queued from now on signal again */
    st_unlock();
    if (wake)
        conn_wake(); /* the requests of the host's last turn: sent while the callbacks run */
    if (!on || max == 0)
        return 0;
    bool left;
    int n = run_jobs(max, true, &left);
    st_lock();
    if (left)
        host_signal_locked(); /* the rest at the host's next turn: its loop keeps running */
    bool resume = reader_paused && q_len < HOST_QUEUE_MAX / 2;
    if (resume)
        reader_paused = false;
    st_unlock();
    if (resume)
        conn_wake();
    return n;
}

int jobs_host_mode(bool on)
{
    st_lock();
    if (on && !host_mode && pipe2(host_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
        host_pipe[0] = host_pipe[1] = -1;
        st_unlock();
        return -1;
    }
    if (!on && host_mode) { /* the read end is the host's to close */
        close(host_pipe[1]);
        host_pipe[0] = host_pipe[1] = -1;
    }
    host_mode = on;
    host_signalled = false;
    reader_paused = false;
    wake_deferred = false; /* the wake-up below covers them */
    if (q_head)
        host_signal_locked();
    int fd = on ? host_pipe[0] : 0;
    st_unlock();
    conn_wake(); /* the library thread re-reads the mode: it runs or stops running jobs */
    return fd;
}

bool jobs_ack_coming(void)
{
    st_lock();
    bool coming = host_mode && (q_tokens > 0 || g.ack_deferred);
    st_unlock();
    return coming;
}

bool jobs_pause_reading(void)
{
    st_lock();
    bool pause = host_mode && q_len >= HOST_QUEUE_MAX;
    reader_paused = pause;
    st_unlock();
    return pause;
}
