/* api.c - the exported functions: argument checks (docs/wire-protocol.md,
 * "What the library decides by itself"), then a generic forward of
 * (function id, args) to state.c. No exported function calls a callback or
 * waits for the server or for the library thread.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "proto.h"
#include "state.h"
#include "tim_api.h"
#include "tim_local.h"
#include "wire.h"

enum json_kind { J_OBJ, J_ARR, J_OBJ_OR_NULL, J_NONE /* no JSON argument */ };

/* Only the first non-blank character is checked; the emulator checks the rest. */
static int check_json(const char *s, enum json_kind kind)
{
    if (!s)
        return kind == J_OBJ_OR_NULL ? TIM_SUCC : TIM_ERR_PARAM;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == (kind == J_ARR ? '[' : '{') ? TIM_SUCC : TIM_ERR_JSON;
}

/* conv_type must be C2C, Group or (unless system is refused) System. */
static int check_conv(const char *conv_id, TIMConvType t, bool allow_system)
{
    if (!conv_id)
        return TIM_ERR_PARAM;
    if (t == kTIMConv_C2C || t == kTIMConv_Group || (allow_system && t == kTIMConv_System))
        return TIM_SUCC;
    return TIM_ERR_CONV;
}

static int forward(uint16_t fn, enum gate gate, const warg_t *args, int argc, TIMCommCallback cb, const void *ud)
{
    req_t *r = req_new(fn, args, argc, cb, ud);
    if (!r)
        return TIM_ERR_PARAM; /* out of memory: refuse rather than never call back */
    if (fn == FN_LOGIN) {
        r->user_id = tl_strdup(args[0].s);
        r->user_sig = tl_strdup(args[1].s);
    }
    if (fn == FN_DOWNLOAD)
        r->path = tl_strdup(args[1].s); /* files.c writes the pushed bytes there */
    if (fn == FN_SENDNEWMSG || fn == FN_BATCHSEND)
        r->json = tl_strdup(args[argc - 1].s); /* files.c uploads only the paths it names */
    st_submit(r, gate);
    return TIM_SUCC;
}

/* Functions taking (conv_id, conv_type) and, unless kind is J_NONE, a JSON parameter. */
static int conv_call(uint16_t fn, enum gate gate, const char *conv_id, TIMConvType t, bool allow_system,
                     const char *json, enum json_kind kind, TIMCommCallback cb, const void *ud)
{
    int rc = check_conv(conv_id, t, allow_system);
    if (rc == TIM_SUCC && kind != J_NONE)
        rc = check_json(json, kind);
    if (rc != TIM_SUCC)
        return rc;
    warg_t a[3] = {WARG_STR(conv_id), WARG_I64(t), WARG_STR(json)};
    return forward(fn, gate, a, kind == J_NONE ? 2 : 3, cb, ud);
}

/* Functions taking (conv_id, conv_type, json) and a callback. */
static int conv_json(uint16_t fn, const char *conv_id, TIMConvType t, bool allow_system, const char *json,
                     enum json_kind kind, TIMCommCallback cb, const void *ud)
{
    return conv_call(fn, GATE_LOGGED_IN, conv_id, t, allow_system, json, kind, cb, ud);
}

/* Functions taking one JSON parameter. */
static int one_json(uint16_t fn, const char *json, enum json_kind kind, TIMCommCallback cb, const void *ud)
{
    int rc = check_json(json, kind);
    if (rc != TIM_SUCC)
        return rc;
    warg_t a = WARG_STR(json);
    return forward(fn, GATE_LOGGED_IN, &a, 1, cb, ud);
}

/* Functions taking one required string (a group id). */
static int one_id(uint16_t fn, const char *id, TIMCommCallback cb, const void *ud)
{
    if (!id)
        return TIM_ERR_PARAM;
    warg_t a = WARG_STR(id);
    return forward(fn, GATE_LOGGED_IN, &a, 1, cb, ud);
}

/* ---- 1-11 listener setters ---- */

TIM_DECL void TIMSetRecvNewMsgCallback(TIMRecvNewMsgCallback cb, const void* user_data) { ls_recv_set((tl_fn)cb, user_data); }
TIM_DECL void TIMAddRecvNewMsgCallback(TIMRecvNewMsgCallback cb, const void* user_data) { ls_recv_add((tl_fn)cb, user_data); }
TIM_DECL void TIMRemoveRecvNewMsgCallback(TIMRecvNewMsgCallback cb) { ls_recv_remove((tl_fn)cb); }
TIM_DECL void TIMSetMsgReadedReceiptCallback(TIMMsgReadedReceiptCallback cb, const void* user_data) { ls_set(EV_READED_RECEIPT, (tl_fn)cb, user_data); }
TIM_DECL void TIMSetMsgRevokeCallback(TIMMsgRevokeCallback cb, const void* user_data) { ls_set(EV_REVOKE, (tl_fn)cb, user_data); }
TIM_DECL void TIMSetMsgElemUploadProgressCallback(TIMMsgElemUploadProgressCallback cb, const void* user_data) { ls_set(EV_UPLOAD_PROGRESS, (tl_fn)cb, user_data); }
TIM_DECL void TIMSetGroupTipsEventCallback(TIMGroupTipsEventCallback cb, const void* user_data) { ls_set(EV_GROUP_TIPS, (tl_fn)cb, user_data); }
TIM_DECL void TIMSetConvEventCallback(TIMConvEventCallback cb, const void* user_data) { ls_set(EV_CONV_EVENT, (tl_fn)cb, user_data); }
TIM_DECL void TIMSetNetworkStatusListenerCallback(TIMNetworkStatusListenerCallback cb, const void* user_data) { ls_set(EV_NETWORK, (tl_fn)cb, user_data); }
TIM_DECL void TIMSetKickedOfflineCallback(TIMKickedOfflineCallback cb, const void* user_data) { ls_set(EV_KICKED, (tl_fn)cb, user_data); }
TIM_DECL void TIMSetUserSigExpiredCallback(TIMUserSigExpiredCallback cb, const void* user_data) { ls_set(EV_SIG_EXPIRED, (tl_fn)cb, user_data); }
TIM_DECL void TIMSetLogCallback(TIMLogCallback cb, const void* user_data) { ls_set(EV_LOG, (tl_fn)cb, user_data); }
TIM_DECL void TIMSetMsgUpdateCallback(TIMMsgUpdateCallback cb, const void* user_data) { ls_set(EV_MSG_UPDATE, (tl_fn)cb, user_data); }

/* ---- 12-14 ---- */

/* TIM_EMULATOR_HOST = "host:port", "[v6addr]:port" or "host"; default 127.0.0.1:7171. */
static void parse_host(const char *env, char **host, char **port)
{
    if (!env || !*env)
        env = "127.0.0.1:7171";
    const char *h = env, *hend, *p = NULL;
    if (*env == '[' && strchr(env, ']')) {
        h = env + 1;
        hend = strchr(env, ']');
        if (hend[1] == ':')
            p = hend + 2;
    } else {
        const char *colon = strrchr(env, ':');
        if (colon && colon == strchr(env, ':')) { /* exactly one ':' */
            hend = colon;
            p = colon + 1;
        } else {
            hend = env + strlen(env); /* no port, or a bare IPv6 address */
        }
    }
    size_t n = (size_t)(hend - h);
    *host = n ? strndup(h, n) : strdup("127.0.0.1");
    *port = strdup(p && *p ? p : "7171");
}

TIM_DECL int TIMInit(uint64_t sdk_app_id, const char* json_sdk_config)
{
    if (sdk_app_id == 0 || !json_sdk_config)
        return TIM_ERR_PARAM;
    if (check_json(json_sdk_config, J_OBJ) != TIM_SUCC)
        return TIM_ERR_JSON;
    char *host = NULL, *port = NULL;
    parse_host(getenv("TIM_EMULATOR_HOST"), &host, &port);
    if (!host || !port) {
        free(host);
        free(port);
        return TIM_ERR_PARAM;
    }
    st_init(sdk_app_id, host, port);
    return TIM_SUCC;
}

/* See st_uninit: fails pending requests with 7009 (asynchronously), drops the
 * login state and clears ALL listeners. Always returns 0. */
TIM_DECL int TIMUninit(void)
{
    st_uninit();
    return TIM_SUCC;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-qualifiers"
TIM_DECL const char* const TIMGetSDKVersion(void)
{
    return TL_SDK_VERSION;
}
#pragma GCC diagnostic pop

/* ---- 15-17 ---- */

TIM_DECL int TIMSetConfig(const char* json_config, TIMCommCallback cb, const void* user_data)
{
    int rc = check_json(json_config, J_OBJ);
    if (rc == TIM_SUCC)
        st_set_config(json_config, cb, user_data);
    return rc;
}

TIM_DECL int TIMLogin(const char* user_id, const char* user_sig, TIMCommCallback cb, const void* user_data)
{
    if (!user_id || !user_sig)
        return TIM_ERR_PARAM;
    warg_t a[2] = {WARG_STR(user_id), WARG_STR(user_sig)};
    return forward(FN_LOGIN, GATE_LOGIN, a, 2, cb, user_data);
}

TIM_DECL int TIMLogout(TIMCommCallback cb, const void* user_data)
{
    return forward(FN_LOGOUT, GATE_LOGOUT, NULL, 0, cb, user_data);
}

/* ---- 18-22 conversations ---- */

TIM_DECL int TIMConvCreate(const char* conv_id, TIMConvType conv_type, TIMCommCallback cb, const void* user_data)
{
    return conv_call(18, GATE_LOGGED_IN, conv_id, conv_type, false, NULL, J_NONE, cb, user_data);
}

TIM_DECL int TIMConvDelete(const char* conv_id, TIMConvType conv_type, TIMCommCallback cb, const void* user_data)
{
    return conv_call(19, GATE_LOGGED_IN, conv_id, conv_type, true, NULL, J_NONE, cb, user_data);
}

TIM_DECL int TIMConvGetConvList(TIMCommCallback cb, const void* user_data)
{
    return forward(20, GATE_LOGGED_IN, NULL, 0, cb, user_data);
}

/* No callback: forwarded with request id 0 when logged in (queued while
 * connecting, dropped while disconnected). */
TIM_DECL int TIMConvSetDraft(const char* conv_id, TIMConvType conv_type, const char* json_draft_param)
{
    return conv_call(FN_SETDRAFT, GATE_NO_REPLY, conv_id, conv_type, true, json_draft_param, J_OBJ, NULL, NULL);
}

TIM_DECL int TIMConvCancelDraft(const char* conv_id, TIMConvType conv_type)
{
    return conv_call(FN_CANCELDRAFT, GATE_NO_REPLY, conv_id, conv_type, true, NULL, J_NONE, NULL, NULL);
}

/* ---- 23-32 messages ---- */

TIM_DECL int TIMMsgSendNewMsg(const char* conv_id, TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data)
{
    return conv_json(23, conv_id, conv_type, false, json_msg_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMMsgReportReaded(const char* conv_id, TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data)
{
    return conv_json(24, conv_id, conv_type, true, json_msg_param, J_OBJ_OR_NULL, cb, user_data);
}

TIM_DECL int TIMMsgRevoke(const char* conv_id, TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data)
{
    return conv_json(25, conv_id, conv_type, true, json_msg_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMMsgFindByMsgLocatorList(const char* conv_id, TIMConvType conv_type, const char* json_msg_Locator_array, TIMCommCallback cb, const void* user_data)
{
    return conv_json(26, conv_id, conv_type, true, json_msg_Locator_array, J_ARR, cb, user_data);
}

TIM_DECL int TIMMsgImportMsgList(const char* conv_id, TIMConvType conv_type, const char* json_msg_array, TIMCommCallback cb, const void* user_data)
{
    return conv_json(27, conv_id, conv_type, false, json_msg_array, J_ARR, cb, user_data);
}

TIM_DECL int TIMMsgSaveMsg(const char* conv_id, TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data)
{
    return conv_json(28, conv_id, conv_type, false, json_msg_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMMsgGetMsgList(const char* conv_id, TIMConvType conv_type, const char* json_get_msg_param, TIMCommCallback cb, const void* user_data)
{
    return conv_json(29, conv_id, conv_type, true, json_get_msg_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMMsgDelete(const char* conv_id, TIMConvType conv_type, const char* json_msgdel_param, TIMCommCallback cb, const void* user_data)
{
    return conv_json(30, conv_id, conv_type, true, json_msgdel_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMMsgDownloadElemToPath(const char* json_download_elem_param, const char* path, TIMCommCallback cb, const void* user_data)
{
    int rc = check_json(json_download_elem_param, J_OBJ);
    if (rc == TIM_SUCC && !path)
        rc = TIM_ERR_PARAM;
    if (rc != TIM_SUCC)
        return rc;
    warg_t a[2] = {WARG_STR(json_download_elem_param), WARG_STR(path)};
    return forward(FN_DOWNLOAD, GATE_LOGGED_IN, a, 2, cb, user_data);
}

TIM_DECL int TIMMsgBatchSend(const char* json_batch_send_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(32, json_batch_send_param, J_OBJ, cb, user_data);
}

/* ---- 33-46 groups ---- */

TIM_DECL int TIMGroupCreate(const char* json_group_create_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(33, json_group_create_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMGroupDelete(const char* group_id, TIMCommCallback cb, const void* user_data)
{
    return one_id(34, group_id, cb, user_data);
}

TIM_DECL int TIMGroupJoin(const char* group_id, const char* hello_msg, TIMCommCallback cb, const void* user_data)
{
    if (!group_id)
        return TIM_ERR_PARAM;
    warg_t a[2] = {WARG_STR(group_id), WARG_STR(hello_msg)}; /* hello_msg may be NULL (tag 0) */
    return forward(35, GATE_LOGGED_IN, a, 2, cb, user_data);
}

TIM_DECL int TIMGroupQuit(const char* group_id, TIMCommCallback cb, const void* user_data)
{
    return one_id(36, group_id, cb, user_data);
}

TIM_DECL int TIMGroupInviteMember(const char* json_group_invite_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(37, json_group_invite_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMGroupDeleteMember(const char* json_group_delete_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(38, json_group_delete_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMGroupGetJoinedGroupList(TIMCommCallback cb, const void* user_data)
{
    return forward(39, GATE_LOGGED_IN, NULL, 0, cb, user_data);
}

TIM_DECL int TIMGroupGetGroupInfoList(const char* json_group_getinfo_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(40, json_group_getinfo_param, J_ARR, cb, user_data);
}

TIM_DECL int TIMGroupModifyGroupInfo(const char* json_group_modifyinfo_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(41, json_group_modifyinfo_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMGroupGetMemberInfoList(const char* json_group_getmeminfos_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(42, json_group_getmeminfos_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMGroupModifyMemberInfo(const char* json_group_modifymeminfo_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(43, json_group_modifymeminfo_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMGroupGetPendencyList(const char* json_group_getpendence_list_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(44, json_group_getpendence_list_param, J_OBJ, cb, user_data);
}

TIM_DECL int TIMGroupReportPendencyReaded(uint64_t time_stamp, TIMCommCallback cb, const void* user_data)
{
    warg_t a = WARG_U64(time_stamp);
    return forward(45, GATE_LOGGED_IN, &a, 1, cb, user_data);
}

TIM_DECL int TIMGroupHandlePendency(const char* json_group_handle_pendency_param, TIMCommCallback cb, const void* user_data)
{
    return one_json(46, json_group_handle_pendency_param, J_OBJ, cb, user_data);
}

/* libtimlocal's own exports (tim_local.h). */

int TIMLocalHostDispatch(int on)
{
    return jobs_host_mode(on != 0);
}

int TIMLocalDispatch(int max)
{
    return jobs_dispatch(max < 0 ? 1024 : max);
}
