/**
 * Callback codes the emulator answers with (reference § D.2; v8 names).
 */
export const ErrorCode = {
  SUCC: 0,
  /** ERR_INVALID_CONVERSATION: conv_type the function does not accept. */
  INVALID_CONVERSATION: 6004,
  /** ERR_SDK_NOT_LOGGED_IN */
  NOT_LOGGED_IN: 6014,
  /** ERR_INVALID_MSG_ELEM */
  INVALID_MSG_ELEM: 6016,
  /** ERR_INVALID_PARAMETERS: bad arguments, invalid JSON, unknown function id. */
  INVALID_PARAMETERS: 6017,
  /** ERR_LOGIN_KICKED_OFF_BY_OTHER: RESUME of a session someone else's login replaced. */
  KICKED_OFF_BY_OTHER: 6208,
  /** ERR_SDK_NET_PKG_SIZE_LIMIT: a CALL before login above the emulator's bound (the library gives it for frames above 16 MiB). */
  PACKAGE_SIZE_LIMIT: 9522,
  /** ERR_SDK_INTERNAL_ERROR */
  INTERNAL_ERROR: 7012,
  /** ERR_SDK_INTERFACE_NOT_SUPPORT */
  NOT_IMPLEMENTED: 7013,
  /** ERR_SVR_MSG_INVALID_ID: C2C receiver unknown. */
  MSG_INVALID_ID: 20003,
  /** ERR_SVR_ACCOUNT_USERSIG_EXPIRED */
  USERSIG_EXPIRED: 70001,
  /** ERR_SVR_ACCOUNT_USERSIG_EMPTY */
  USERSIG_EMPTY: 70002,
  /** ERR_SVR_ACCOUNT_USERSIG_CHECK_FAILED: undecodable sig or bad HMAC. */
  USERSIG_CHECK_FAILED: 70003,
  /** ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID */
  USERSIG_MISMATCH_ID: 70013,
  /** ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID */
  USERSIG_MISMATCH_SDKAPPID: 70014,
  /** ERR_SVR_ACCOUNT_SDKAPPID_NOT_FOUND: HELLO's sdk_app_id is not the emulator's. */
  SDKAPPID_NOT_FOUND: 70020,
  /** ERR_SVR_COMM_BODY_SIZE_LIMIT: message body above the size limit. */
  BODY_SIZE_LIMIT: 80002,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
