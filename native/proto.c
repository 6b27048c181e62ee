/* proto.c - REPLY / EVENT frames: login state changes and callback jobs. */
#include "proto.h"

#include <stdlib.h>

#include "dispatch.h"
#include "files.h"
#include "state.h"
#include "wire.h"

static void on_reply_locked(uint32_t id, uint8_t flags, int32_t code, const char *desc, const char *json)
{
    req_t *q = id ? st_pending_find_locked(id) : NULL;
    if (!q)
        return; /* unknown or already finished request: ignore */
    bool last = !(flags & REPLY_FLAG_MORE);
    if (last)
        st_pending_remove_locked(q);
    if (last && q->fn == FN_DOWNLOAD)
        files_download_done(id);
    switch (q->fn) {
    case FN_LOGIN:
        if (code == 0) { /* a second successful login replaces the kept copies */
            uint64_t gen = g.announced ? g.announced_gen : 0;
            st_set_login_locked(q->user_id, q->user_sig, gen);
            q->user_id = q->user_sig = NULL;
            job_log_locked(kTIMLog_Info, "timlocal: logged in as %s (session %llu)", g.user_id ? g.user_id : "?",
                           (unsigned long long)gen);
        }
        g.announced = false; /* an EVENT 100 goes with the login reply that follows it */
        break;
    case FN_LOGOUT:
        if (g.logged_in) {
            st_clear_login_locked();
            job_log_locked(kTIMLog_Info, "timlocal: logged out");
        }
        break;
    case FN_RESUME:
        /* A refusal logs out; the server follows it with EVENT 8 or 9, which
         * is forwarded like any other (docs/wire-protocol.md). */
        if (code != 0 && g.logged_in) {
            st_clear_login_locked();
            job_log_locked(kTIMLog_Info, "timlocal: resume failed (%d %s), logged out", (int)code, desc);
        } else if (code == 0) {
            job_log_locked(kTIMLog_Info, "timlocal: session resumed");
        }
        break;
    default:
        break;
    }
    job_comm_locked(q->cb, q->ud, code, desc, json);
    if (last)
        req_free(q);
}

static void on_event_locked(uint16_t ev, rarg_t *args, int argc)
{
    switch (ev) {
    case EV_KICKED:
    case EV_SIG_EXPIRED:
        if (g.logged_in)
            st_clear_login_locked();
        job_log_locked(kTIMLog_Info, "timlocal: %s, logged out",
                       ev == EV_KICKED ? "kicked offline" : "user sig expired");
        job_event_locked(ev, args, argc);
        return;
    case EV_SESSION: /* internal: the generation of the TIMLogin whose REPLY follows */
        g.announced = argc >= 1 && args[0].tag == TAG_U64;
        g.announced_gen = g.announced ? args[0].u : 0;
        rargs_free(args, argc);
        return;
    case EV_RECV_NEW_MSG:
    case EV_READED_RECEIPT:
    case EV_REVOKE:
    case EV_UPLOAD_PROGRESS:
    case EV_GROUP_TIPS:
    case EV_CONV_EVENT:
    case EV_LOG:
    case EV_MSG_UPDATE:
        job_event_locked(ev, args, argc);
        return;
    default: /* 7 is produced locally; unknown ids are ignored */
        rargs_free(args, argc);
    }
}

bool proto_handle(uint64_t gen, const uint8_t *body, size_t len, buf_t *out)
{
    rd_t r = {body, len, 0, false};
    uint8_t kind = rd_u8(&r);
    if (kind >= WK_FILE_OPEN && kind <= WK_FILE_PUSH)
        return files_handle(gen, kind, &r, out);
    if (kind == WK_REPLY) {
        uint32_t id = rd_u32(&r);
        uint8_t flags = rd_u8(&r);
        int32_t code = (int32_t)rd_u32(&r);
        char *desc = rd_str(&r);
        char *json = rd_str(&r);
        bool ok = !r.err && r.off == r.n;
        if (ok) {
            st_lock();
            if (g.gen == gen)
                on_reply_locked(id, flags, code, desc, json);
            st_unlock();
        }
        free(desc);
        free(json);
        return ok;
    }
    if (kind == WK_EVENT) {
        uint16_t ev = rd_u16(&r);
        rarg_t args[WIRE_MAX_ARGS];
        int argc = 0;
        if (!rd_args(&r, args, &argc))
            return false;
        if (r.off != r.n) {
            rargs_free(args, argc);
            return false;
        }
        st_lock();
        if (g.gen == gen)
            on_event_locked(ev, args, argc);
        else
            rargs_free(args, argc);
        st_unlock();
        return true;
    }
    return false;
}
