/**
 * Numbers of the wire protocol between libtimlocal and the emulator
 * (docs/wire-protocol.md is the single definition).
 */

export const PROTOCOL_VERSION = 1;

/** Largest accepted frame body, in bytes (16 MiB). */
export const MAX_FRAME_LENGTH = 16 * 1024 * 1024;

export const FrameKind = {
  Hello: 1,
  Welcome: 2,
  Call: 3,
  Reply: 4,
  Event: 5,
  Ack: 6,
  /** Server → client: open a file of the call for reading (docs/wire-protocol.md § File transfers). */
  FileOpen: 7,
  /** Client → server: the opened file's size, or why it cannot be sent. */
  FileInfo: 8,
  /** Server → client: send these bytes of an open file. */
  FileRead: 9,
  /** Client → server: the bytes asked for by a FILE_READ. */
  FileData: 10,
  /** Server → client: the transfer is over; close the file. */
  FileClose: 11,
  /** Server → client: bytes of a download, to be written by the library. */
  FilePush: 12,
  /** Client → server: how many bytes of a download are written (or why not). */
  FileWritten: 13,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export const ArgTag = {
  Null: 0,
  String: 1,
  Int64: 2,
  Uint64: 3,
} as const;
export type ArgTag = (typeof ArgTag)[keyof typeof ArgTag];

/** Largest `length` of a FILE_READ and largest data of a FILE_DATA or FILE_PUSH, in bytes (1 MiB). */
export const MAX_FILE_CHUNK = 1024 * 1024;

/** REPLY flags bit 0: more replies to the same request follow. */
export const REPLY_FLAG_MORE = 1;

/** EVENT 1 delivery token 0: the event needs no ACK (online-only messages). */
export const NO_ACK_TOKEN = 0n;

/** Request id 0: the caller wants no REPLY. */
export const NO_REPLY_REQUEST_ID = 0;

/** Event ids (setter numbers of reference § C.1). */
export const EventId = {
  RecvNewMsg: 1,
  MsgReadedReceipt: 2,
  MsgRevoke: 3,
  MsgElemUploadProgress: 4,
  GroupTipsEvent: 5,
  ConvEvent: 6,
  KickedOffline: 8,
  UserSigExpired: 9,
  Log: 10,
  MsgUpdate: 11,
  /** Internal: the session generation of a TIMLogin, sent just before its REPLY (never forwarded to the application). */
  Session: 100,
} as const;
export type EventId = (typeof EventId)[keyof typeof EventId];

/** Function ids of the CALL frames (function numbers of reference § C.1). */
export const FunctionId = {
  SetConfig: 15,
  Login: 16,
  Logout: 17,
  ConvCreate: 18,
  ConvDelete: 19,
  ConvGetConvList: 20,
  ConvSetDraft: 21,
  ConvCancelDraft: 22,
  MsgSendNewMsg: 23,
  MsgReportReaded: 24,
  MsgRevoke: 25,
  MsgFindByMsgLocatorList: 26,
  MsgImportMsgList: 27,
  MsgSaveMsg: 28,
  MsgGetMsgList: 29,
  MsgDelete: 30,
  MsgDownloadElemToPath: 31,
  MsgBatchSend: 32,
  GroupCreate: 33,
  GroupDelete: 34,
  GroupJoin: 35,
  GroupQuit: 36,
  GroupInviteMember: 37,
  GroupDeleteMember: 38,
  GroupGetJoinedGroupList: 39,
  GroupGetGroupInfoList: 40,
  GroupModifyGroupInfo: 41,
  GroupGetMemberInfoList: 42,
  GroupModifyMemberInfo: 43,
  GroupGetPendencyList: 44,
  GroupReportPendencyReaded: 45,
  GroupHandlePendency: 46,
  Resume: 100,
} as const;
export type FunctionId = (typeof FunctionId)[keyof typeof FunctionId];

/** C name of every function id of the wire table. */
export const FUNCTION_NAMES: ReadonlyMap<number, string> = new Map<number, string>(
  Object.entries(FunctionId).map(([name, id]) => [id, id === FunctionId.Resume ? 'RESUME' : `TIM${name}`]),
);
