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
 * during the callbacks. Returns true if jobs remain. */
bool jobs_run(int max);

#endif
