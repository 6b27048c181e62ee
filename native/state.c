/* state.c - local decisions, queued calls, pending requests, login state, configs.
 *
 * Request ids are assigned only when a call is put on an established
 * connection (g.net == NET_CONNECTED), from g.next_id which restarts at 1 on
 * every WELCOME. Calls made while connecting wait in g.waitq until WELCOME.
 */
#include "state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "dispatch.h"

tl_state_t g = {.mu = PTHREAD_MUTEX_INITIALIZER, .next_id = 1};

char *tl_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

req_t *req_new(uint16_t fn, const warg_t *args, int argc, TIMCommCallback cb, const void *ud)
{
    req_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fn = fn;
    r->cb = cb;
    r->ud = ud;
    r->want_reply = true;
    wire_call(&r->frame, 0, fn, args, argc);
    return r;
}

void req_free(req_t *r)
{
    if (!r)
        return;
    buf_free(&r->frame);
    free(r->user_id);
    free(r->user_sig);
    free(r->path);
    free(r->json);
    free(r);
}

static void pending_add_locked(req_t *r)
{
    req_t **b = &g.pending[r->id % PENDING_BUCKETS];
    r->next = *b;
    *b = r;
    r->lnext = NULL;
    r->lprev = g.pend_tail;
    if (g.pend_tail)
        g.pend_tail->lnext = r;
    else
        g.pend_head = r;
    g.pend_tail = r;
}

req_t *st_pending_find_locked(uint32_t id)
{
    for (req_t *r = g.pending[id % PENDING_BUCKETS]; r; r = r->next)
        if (r->id == id)
            return r;
    return NULL;
}

void st_pending_remove_locked(req_t *r)
{
    for (req_t **pp = &g.pending[r->id % PENDING_BUCKETS]; *pp; pp = &(*pp)->next) {
        if (*pp == r) {
            *pp = r->next;
            r->next = NULL;
            break;
        }
    }
    if (r->lprev)
        r->lprev->lnext = r->lnext;
    else if (g.pend_head == r)
        g.pend_head = r->lnext;
    if (r->lnext)
        r->lnext->lprev = r->lprev;
    else if (g.pend_tail == r)
        g.pend_tail = r->lprev;
    r->lprev = r->lnext = NULL;
}

/* Put a call on the established connection; takes ownership of r. */
static void send_locked(req_t *r)
{
    if (r->want_reply) {
        r->id = g.next_id++;
        if (g.next_id == 0)
            g.next_id = 1;
        wire_patch_reqid(r->frame.data, r->id);
    }
    buf_put(&g.out, r->frame.data, r->frame.len);
    buf_free(&r->frame);
    if (r->want_reply)
        pending_add_locked(r);
    else
        req_free(r);
}

static void fail_locked(req_t *r, int32_t code, const char *desc)
{
    job_comm_locked(r->cb, r->ud, code, desc, "");
    req_free(r);
}

void st_submit(req_t *r, enum gate gate)
{
    if (!r)
        return; /* out of memory: nothing sensible can be reported */
    if (gate == GATE_NO_REPLY) {
        r->want_reply = false;
        r->cb = NULL;
    }
    conn_ensure_thread();
    st_lock();
    bool to_server = false; /* else answered here: a queued callback */
    if (!g.inited)
        fail_locked(r, 6013, "not initialized");
    else if (gate == GATE_LOGOUT && !g.logged_in)
        fail_locked(r, 0, ""); /* logout when not logged in succeeds locally */
    else if (gate != GATE_LOGIN && gate != GATE_LOGOUT && !g.logged_in)
        fail_locked(r, 6014, "not login");
    else if (r->frame.oom)
        fail_locked(r, 9522, "request too large for one frame (16 MiB) or out of memory");
    else if (g.net == NET_CONNECTED) {
        send_locked(r);
        to_server = true;
    } else if (g.net == NET_CONNECTING) {
        to_server = true;
        r->next = NULL;
        if (g.waitq_tail)
            g.waitq_tail->next = r;
        else
            g.waitq = r;
        g.waitq_tail = r;
    } else if (gate == GATE_LOGOUT) {
        /* Logging out needs no server: the session ends here, and the next
         * connection will not RESUME it. */
        st_clear_login_locked();
        job_log_locked(kTIMLog_Info, "timlocal: logged out while disconnected");
        fail_locked(r, 0, "");
    } else {
        char desc[600];
        snprintf(desc, sizeof desc, "no network: not connected to the server at %s:%s",
                 g.host ? g.host : "127.0.0.1", g.port ? g.port : "7171");
        fail_locked(r, 6200, desc);
    }
    bool wake = jobs_wake_now_locked(to_server);
    st_unlock();
    if (wake)
        conn_wake();
}

void st_set_config(const char *json, TIMCommCallback cb, const void *ud)
{
    conn_ensure_thread();
    st_lock();
    job_comm_locked(cb, ud, 0, "", json); /* v8 echoes the input JSON */
    char *copy = tl_strdup(json);
    if (copy && g.nconfigs == g.capconfigs) {
        size_t cap = g.capconfigs ? g.capconfigs * 2 : 8;
        char **p = realloc(g.configs, cap * sizeof *p);
        if (p) {
            g.configs = p;
            g.capconfigs = cap;
        }
    }
    if (copy && g.nconfigs < g.capconfigs)
        g.configs[g.nconfigs++] = copy;
    else
        free(copy);
    if (g.net == NET_CONNECTED) {
        warg_t a = WARG_STR(json);
        wire_call(&g.out, 0, FN_SETCONFIG, &a, 1);
    }
    st_unlock();
    conn_wake();
}

void st_init(uint64_t sdk_app_id, char *host, char *port)
{
    conn_ensure_thread();
    st_lock();
    if (g.inited) { /* second TIMInit without TIMUninit: no-op */
        st_unlock();
        free(host);
        free(port);
        return;
    }
    g.inited = true;
    g.gen++;
    g.sdk_app_id = sdk_app_id;
    free(g.host);
    free(g.port);
    g.host = host;
    g.port = port;
    g.net = NET_CONNECTING; /* calls made from now on wait for WELCOME */
    st_unlock();
    conn_wake();
}

/* TIMUninit clears ALL listeners (the network and log listeners too, like the
 * real SDK, and the new-message list), drops the login state and the stored
 * TIMSetConfig JSONs (TIMSetConfig calls made after it apply to the next
 * TIMInit), and fails every queued or pending request with 7009 (called back
 * later from the library thread). Calling it twice, or before TIMInit, is fine. */
void st_uninit(void)
{
    st_lock();
    bool was = g.inited;
    ls_clear_all_locked();
    for (size_t i = 0; i < g.nconfigs; i++)
        free(g.configs[i]);
    free(g.configs);
    g.configs = NULL;
    g.nconfigs = g.capconfigs = 0;
    if (was) {
        g.inited = false;
        g.gen++;
        g.net = NET_IDLE;
        st_fail_waitq_locked(7009, "interrupted by TIMUninit");
        st_fail_pending_locked(7009, "interrupted by TIMUninit");
        buf_free(&g.out);
        st_clear_login_locked();
    }
    st_unlock();
    if (was)
        conn_wake();
}

void st_on_welcome_locked(void)
{
    g.net = NET_CONNECTED;
    g.link++;
    g.next_id = 1;
    g.announced = false; /* an EVENT 100 belongs to its connection */
    if (g.logged_in) { /* the first CALL after a reconnect is RESUME */
        warg_t a[3] = {WARG_STR(g.user_id), WARG_STR(g.user_sig), WARG_U64(g.session_gen)};
        req_t *r = req_new(FN_RESUME, a, 3, NULL, NULL);
        if (r)
            send_locked(r);
    }
    for (size_t i = 0; i < g.nconfigs; i++) {
        warg_t a = WARG_STR(g.configs[i]);
        wire_call(&g.out, 0, FN_SETCONFIG, &a, 1);
    }
    req_t *r = g.waitq;
    g.waitq = g.waitq_tail = NULL;
    while (r) {
        req_t *next = r->next;
        r->next = NULL;
        send_locked(r);
        r = next;
    }
}

bool st_ack_queue(uint64_t link, uint64_t token, bool defer)
{
    st_lock();
    bool send = g.net == NET_CONNECTED && g.link == link; /* tokens are per connection */
    if (send) {
        wire_ack(&g.out, token);
        g.ack_deferred |= defer;
    }
    st_unlock();
    return send && !defer;
}

void st_fail_waitq_locked(int32_t code, const char *desc)
{
    req_t *r = g.waitq;
    g.waitq = g.waitq_tail = NULL;
    while (r) {
        req_t *next = r->next;
        fail_locked(r, code, desc);
        r = next;
    }
}

void st_fail_pending_locked(int32_t code, const char *desc)
{
    req_t *r = g.pend_head; /* fail them in the order they were sent */
    memset(g.pending, 0, sizeof g.pending);
    g.pend_head = g.pend_tail = NULL;
    while (r) {
        req_t *next = r->lnext;
        fail_locked(r, code, desc);
        r = next;
    }
}

void st_set_login_locked(char *user_id, char *user_sig, uint64_t session_gen)
{
    st_clear_login_locked();
    g.user_id = user_id;
    g.user_sig = user_sig;
    g.session_gen = session_gen;
    g.logged_in = true;
}

void st_clear_login_locked(void)
{
    free(g.user_id);
    free(g.user_sig);
    g.user_id = g.user_sig = NULL;
    g.session_gen = 0;
    g.logged_in = false;
}
