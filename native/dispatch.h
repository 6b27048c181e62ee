/* dispatch.h - listener table and the queue of callbacks run by the library thread. */
#ifndef TL_DISPATCH_H
#define TL_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "tim_api.h"
#include "wire.h"

/* Listener slots are the setter / event ids of reference.md C.1 (2..11);
 * new-message listeners (id 1) are a list. */
#define LS_SLOTS 12
#define LS_MAX_RECV 32
enum {
    EV_RECV_NEW_MSG = 1,
    EV_READED_RECEIPT = 2,
    EV_REVOKE = 3,
    EV_UPLOAD_PROGRESS = 4,
    EV_GROUP_TIPS = 5,
    EV_CONV_EVENT = 6,
    EV_NETWORK = 7,
    EV_KICKED = 8,
    EV_SIG_EXPIRED = 9,
    EV_LOG = 10,
    EV_MSG_UPDATE = 11,
    EV_SESSION = 100, /* internal: a TIMLogin's session generation; no listener */
};

typedef void (*tl_fn)(void);

/* Exported setters (take g.mu). */
void ls_set(int slot, tl_fn cb, const void *ud);
void ls_recv_set(tl_fn cb, const void *ud);
void ls_recv_add(tl_fn cb, const void *ud);
void ls_recv_remove(tl_fn cb);
void ls_clear_all_locked(void);

/* Queue a callback; g.mu held. The library thread runs the queue in order;
 * the caller wakes it (conn_wake). Strings are copied. Listener callbacks
 * (network, log, events) are looked up when the job runs. */
void job_comm_locked(TIMCommCallback cb, const void *ud, int32_t code, const char *desc, const char *json);
void job_net_locked(TIMNetworkStatus status, int32_t code, const char *desc);
void job_log_locked(TIMLogLevel level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Server event: takes ownership of the strings of args. */
void job_event_locked(int ev, rarg_t *args, int argc);

/* Library thread only: run up to max queued jobs in order, g.mu NOT held
 * during the callbacks (nothing in host dispatch mode). Returns true if jobs
 * remain. */
bool jobs_run(int max);

/* Host dispatch mode (TIMLocalHostDispatch / TIMLocalDispatch, tim_local.h).
 * Past HOST_QUEUE_MAX queued jobs the library thread stops reading the
 * socket until the host has run half of them: the server's pushes wait in
 * TCP buffers, as they do while the library thread is blocked in a callback
 * in the default mode. */
#define HOST_QUEUE_MAX 8192
int jobs_host_mode(bool on);      /* on: the pipe's read end (-1 if none); off: 0 */
int jobs_dispatch(int max);       /* host's thread: wake for deferred requests, run up to max jobs; returns how many */
/* g.mu held, by an exported function that queued a request for the server
 * (for_thread) or answered it with a queued callback: whether the caller wakes
 * the library thread now. In host dispatch mode never: a request waits for
 * the next jobs_dispatch, a callback for the host (the pipe told it). */
bool jobs_wake_now_locked(bool for_thread);
bool jobs_pause_reading(void);    /* library thread: true = do not read the socket now */
/* Library thread, host dispatch mode: an ACK is deferred, or will be once the
 * host runs the EVENT 1 jobs waiting; the thread then sleeps at most
 * ACK_DELAY_MS, since the host does not wake it for ACKs. */
bool jobs_ack_coming(void);

#endif
