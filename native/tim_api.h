/*
 * tim_api.h - public C ABI of libtimlocal, the local stand-in for the
 * Tencent Cloud IM C SDK (2019 function list, v8 enum numbering).
 *
 * The 46 functions of the spec (reference.md C.1) keep their exact 2019
 * signatures; TIMAddRecvNewMsgCallback / TIMRemoveRecvNewMsgCallback (v8)
 * are exported as well, and libtimlocal's own TIMLocal* functions
 * (tim_local.h). Nothing else is exported.
 *
 * Every callback is called from the library's own thread (or, in host
 * dispatch mode, tim_local.h, from the host's TIMLocalDispatch), never inside
 * the exported function that caused it. See docs/wire-protocol.md.
 */
#ifndef TIM_API_H
#define TIM_API_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TIM_DECL __attribute__((visibility("default")))

/* A.1 synchronous return values */
typedef enum TIMResult {
    TIM_SUCC = 0,
    TIM_ERR_SDKUNINIT = -1,
    TIM_ERR_NOTLOGIN = -2,
    TIM_ERR_JSON = -3,
    TIM_ERR_PARAM = -4,
    TIM_ERR_CONV = -5,
    TIM_ERR_GROUP = -6,
} TIMResult;

/* A.2 */
typedef enum TIMConvType {
    kTIMConv_Invalid = 0,
    kTIMConv_C2C = 1,
    kTIMConv_Group = 2,
    kTIMConv_System = 3,
} TIMConvType;

/* A.3 (Start / Finish are v8 additions) */
typedef enum TIMConvEvent {
    kTIMConvEvent_Add = 0,
    kTIMConvEvent_Del = 1,
    kTIMConvEvent_Update = 2,
    kTIMConvEvent_Start = 3,
    kTIMConvEvent_Finish = 4,
} TIMConvEvent;

/* A.4 */
typedef enum TIMNetworkStatus {
    kTIMConnected = 0,
    kTIMDisconnected = 1,
    kTIMConnecting = 2,
    kTIMConnectFailed = 3,
} TIMNetworkStatus;

/* A.5, v8 numbering */
typedef enum TIMLogLevel {
    kTIMLog_Off = 0,
    kTIMLog_Test = 1,
    kTIMLog_Verbose = 2,
    kTIMLog_Debug = 3,
    kTIMLog_Info = 4,
    kTIMLog_Warn = 5,
    kTIMLog_Error = 6,
    kTIMLog_Assert = 7,
} TIMLogLevel;

/* C.2 callback typedefs */
typedef void (*TIMCommCallback)(int32_t code, const char* desc, const char* json_params, const void* user_data);
typedef void (*TIMRecvNewMsgCallback)(const char* json_msg_array, const void* user_data);
typedef void (*TIMMsgReadedReceiptCallback)(const char* json_msg_readed_receipt_array, const void* user_data);
typedef void (*TIMMsgRevokeCallback)(const char* json_msg_locator_array, const void* user_data);
typedef void (*TIMMsgElemUploadProgressCallback)(const char* json_msg, uint32_t index, uint32_t cur_size, uint32_t total_size, const void* user_data);
typedef void (*TIMGroupTipsEventCallback)(const char* json_group_tip_array, const void* user_data);
typedef void (*TIMConvEventCallback)(enum TIMConvEvent conv_event, const char* json_conv_array, const void* user_data);
typedef void (*TIMNetworkStatusListenerCallback)(enum TIMNetworkStatus status, int32_t code, const char* desc, const void* user_data);
typedef void (*TIMKickedOfflineCallback)(const void* user_data);
typedef void (*TIMUserSigExpiredCallback)(const void* user_data);
typedef void (*TIMLogCallback)(enum TIMLogLevel level, const char* log, const void* user_data);
typedef void (*TIMMsgUpdateCallback)(const char* json_msg_array, const void* user_data);

/* 1-11: listener setters. A NULL cb unregisters. TIMUninit clears them all. */
TIM_DECL void TIMSetRecvNewMsgCallback(TIMRecvNewMsgCallback cb, const void* user_data);
TIM_DECL void TIMSetMsgReadedReceiptCallback(TIMMsgReadedReceiptCallback cb, const void* user_data);
TIM_DECL void TIMSetMsgRevokeCallback(TIMMsgRevokeCallback cb, const void* user_data);
TIM_DECL void TIMSetMsgElemUploadProgressCallback(TIMMsgElemUploadProgressCallback cb, const void* user_data);
TIM_DECL void TIMSetGroupTipsEventCallback(TIMGroupTipsEventCallback cb, const void* user_data);
TIM_DECL void TIMSetConvEventCallback(TIMConvEventCallback cb, const void* user_data);
TIM_DECL void TIMSetNetworkStatusListenerCallback(TIMNetworkStatusListenerCallback cb, const void* user_data);
TIM_DECL void TIMSetKickedOfflineCallback(TIMKickedOfflineCallback cb, const void* user_data);
TIM_DECL void TIMSetUserSigExpiredCallback(TIMUserSigExpiredCallback cb, const void* user_data);
TIM_DECL void TIMSetLogCallback(TIMLogCallback cb, const void* user_data);
TIM_DECL void TIMSetMsgUpdateCallback(TIMMsgUpdateCallback cb, const void* user_data);

/* v8 replacement of TIMSetRecvNewMsgCallback (several listeners). */
TIM_DECL void TIMAddRecvNewMsgCallback(TIMRecvNewMsgCallback cb, const void* user_data);
TIM_DECL void TIMRemoveRecvNewMsgCallback(TIMRecvNewMsgCallback cb);

/* 12-14 */
TIM_DECL int TIMInit(uint64_t sdk_app_id, const char* json_sdk_config);
TIM_DECL int TIMUninit(void);
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-qualifiers"
#endif
/* The 2019 prototype has a (meaningless) const on the returned pointer. */
TIM_DECL const char* const TIMGetSDKVersion(void);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* 15-17 */
TIM_DECL int TIMSetConfig(const char* json_config, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMLogin(const char* user_id, const char* user_sig, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMLogout(TIMCommCallback cb, const void* user_data);

/* 18-22 conversations */
TIM_DECL int TIMConvCreate(const char* conv_id, TIMConvType conv_type, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMConvDelete(const char* conv_id, TIMConvType conv_type, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMConvGetConvList(TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMConvSetDraft(const char* conv_id, TIMConvType conv_type, const char* json_draft_param);
TIM_DECL int TIMConvCancelDraft(const char* conv_id, TIMConvType conv_type);

/* 23-32 messages */
TIM_DECL int TIMMsgSendNewMsg(const char* conv_id, TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgReportReaded(const char* conv_id, TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgRevoke(const char* conv_id, TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgFindByMsgLocatorList(const char* conv_id, TIMConvType conv_type, const char* json_msg_Locator_array, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgImportMsgList(const char* conv_id, TIMConvType conv_type, const char* json_msg_array, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgSaveMsg(const char* conv_id, TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgGetMsgList(const char* conv_id, TIMConvType conv_type, const char* json_get_msg_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgDelete(const char* conv_id, TIMConvType conv_type, const char* json_msgdel_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgDownloadElemToPath(const char* json_download_elem_param, const char* path, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMMsgBatchSend(const char* json_batch_send_param, TIMCommCallback cb, const void* user_data);

/* 33-46 groups */
TIM_DECL int TIMGroupCreate(const char* json_group_create_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupDelete(const char* group_id, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupJoin(const char* group_id, const char* hello_msg, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupQuit(const char* group_id, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupInviteMember(const char* json_group_invite_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupDeleteMember(const char* json_group_delete_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupGetJoinedGroupList(TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupGetGroupInfoList(const char* json_group_getinfo_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupModifyGroupInfo(const char* json_group_modifyinfo_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupGetMemberInfoList(const char* json_group_getmeminfos_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupModifyMemberInfo(const char* json_group_modifymeminfo_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupGetPendencyList(const char* json_group_getpendence_list_param, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupReportPendencyReaded(uint64_t time_stamp, TIMCommCallback cb, const void* user_data);
TIM_DECL int TIMGroupHandlePendency(const char* json_group_handle_pendency_param, TIMCommCallback cb, const void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* TIM_API_H */
