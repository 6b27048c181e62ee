/* state.h - the library's shared state, guarded by one mutex (g.mu).
 *
 * Exported functions and the library thread both take g.mu for short,
 * non-blocking sections only. No user callback is ever called with g.mu held
 * (see dispatch.c): the JS main thread may call into the library while our
 * thread is blocked inside a callback waiting for JS.
 */
#ifndef TL_STATE_H
#define TL_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "tim_api.h"
#include "wire.h"

enum net_state {
    NET_IDLE,       /* not initialized */
    NET_CONNECTING, /* an attempt is running (TCP connect or HELLO/WELCOME) */
    NET_CONNECTED,  /* WELCOME received */
    NET_WAITING,    /* lost / failed, waiting for the next retry */
};

enum {
    FN_SETCONFIG = 15,
    FN_LOGIN = 16,
    FN_LOGOUT = 17,
    FN_SETDRAFT = 21,
    FN_CANCELDRAFT = 22,
    FN_SENDNEWMSG = 23,
    FN_DOWNLOAD = 31,
    FN_BATCHSEND = 32,
    FN_RESUME = 100,
};

/* How a call is gated by the local state (docs/wire-protocol.md, "What the
 * library decides by itself"). */
enum gate {
    GATE_LOGGED_IN, /* needs init + login */
    GATE_LOGIN,     /* TIMLogin: needs init only */
    GATE_LOGOUT,    /* TIMLogout: not logged in -> local success */
    GATE_NO_REPLY,  /* draft calls: no callback, request id 0 */
};

typedef struct req {
    struct req *next;          /* waitq link, or hash chain while pending */
    struct req *lprev, *lnext; /* pending requests in send order */
    uint32_t id;
    uint16_t fn;
    bool want_reply;
    TIMCommCallback cb;
    const void *ud;
    char *user_id, *user_sig; /* TIMLogin and RESUME only */
    char *path;               /* TIMMsgDownloadElemToPath only: the target, written by files.c */
    char *json;               /* TIMMsgSendNewMsg / TIMMsgBatchSend only: the message JSON; files.c
                                 opens for upload only a path written in it */
    buf_t frame;              /* the encoded CALL until it is sent */
} req_t;

#define PENDING_BUCKETS 256

typedef struct {
    pthread_mutex_t mu;
    bool inited;
    uint64_t gen; /* bumped by every TIMInit / TIMUninit */
    uint64_t sdk_app_id;
    char *host, *port;
    int net; /* enum net_state */
    uint64_t link; /* bumped on every WELCOME: names the connection delivery tokens belong to */
    uint32_t next_id;
    bool logged_in;
    char *user_id, *user_sig;
    uint64_t session_gen;   /* generation of the kept login, sent with RESUME */
    bool announced;         /* an EVENT 100 arrived for the next TIMLogin reply */
    uint64_t announced_gen; /* its generation */
    req_t *waitq, *waitq_tail; /* calls made while connecting */
    req_t *pending[PENDING_BUCKETS];
    req_t *pend_head, *pend_tail;
    buf_t out; /* frames for the thread to send on the current connection */
    bool ack_deferred; /* an ACK in out waits for the thread's next wake-up (at most ACK_DELAY_MS) */
    char **configs; /* TIMSetConfig JSONs, replayed after every connect */
    size_t nconfigs, capconfigs;
} tl_state_t;

extern tl_state_t g;

static inline void st_lock(void) { pthread_mutex_lock(&g.mu); }
static inline void st_unlock(void) { pthread_mutex_unlock(&g.mu); }

char *tl_strdup(const char *s); /* NULL-safe; NULL on OOM */

/* Build a call (frame encoded with request id 0). NULL on OOM. */
req_t *req_new(uint16_t fn, const warg_t *args, int argc, TIMCommCallback cb, const void *ud);
void req_free(req_t *r);

/* Decide locally or queue / send; takes ownership of r. Exported functions. */
void st_submit(req_t *r, enum gate gate);
void st_set_config(const char *json, TIMCommCallback cb, const void *ud);
void st_init(uint64_t sdk_app_id, char *host, char *port);
void st_uninit(void);

/* Thread side, with g.mu held. */
void st_on_welcome_locked(void);
void st_fail_waitq_locked(int32_t code, const char *desc);
void st_fail_pending_locked(int32_t code, const char *desc);
req_t *st_pending_find_locked(uint32_t id);
void st_pending_remove_locked(req_t *r);
void st_set_login_locked(char *user_id, char *user_sig, uint64_t session_gen); /* takes ownership */

/* g.mu NOT held: queue the ACK of the delivery token of an EVENT 1 received
 * on connection link, unless that connection is gone (docs/wire-protocol.md).
 * ACKs are cumulative: one for the last token of a batch acknowledges all.
 * With defer, the ACK goes out with the library thread's next wake-up, at the
 * latest ACK_DELAY_MS later; otherwise it returns true if queued, and the
 * caller wakes the library thread (conn_wake). */
#define ACK_DELAY_MS 5
bool st_ack_queue(uint64_t link, uint64_t token, bool defer);

void st_clear_login_locked(void);

#endif
