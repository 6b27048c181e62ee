/**
 * The C functions that answer through a TIMCommCallback, with their
 * non-callback parameters in order (reference.md § C.1). Both backends and the
 * wire protocol (docs/wire-protocol.md) use these names.
 */
import { TimCode } from '../errors.js';
import type { RawReply } from './types.js';

export type ArgKind = 'string' | 'int' | 'uint64';

/** What a request still in flight gets when its backend is disposed (then it completes). */
export const disposedReply: RawReply = { code: TimCode.Interrupted, desc: 'disposed before the native reply arrived', json: '' };

const S = 'string' as const;
const I = 'int' as const;
const U = 'uint64' as const;

export const commandApis = {
  TIMLogin: [S, S],
  TIMLogout: [],
  TIMConvCreate: [S, I],
  TIMConvDelete: [S, I],
  TIMConvGetConvList: [],
  TIMMsgSendNewMsg: [S, I, S],
  TIMMsgReportReaded: [S, I, S],
  TIMMsgRevoke: [S, I, S],
  TIMMsgFindByMsgLocatorList: [S, I, S],
  TIMMsgImportMsgList: [S, I, S],
  TIMMsgSaveMsg: [S, I, S],
  TIMMsgGetMsgList: [S, I, S],
  TIMMsgDelete: [S, I, S],
  TIMMsgDownloadElemToPath: [S, S],
  TIMMsgBatchSend: [S],
  TIMGroupCreate: [S],
  TIMGroupDelete: [S],
  TIMGroupJoin: [S, S],
  TIMGroupQuit: [S],
  TIMGroupInviteMember: [S],
  TIMGroupDeleteMember: [S],
  TIMGroupGetJoinedGroupList: [],
  TIMGroupGetGroupInfoList: [S],
  TIMGroupModifyGroupInfo: [S],
  TIMGroupGetMemberInfoList: [S],
  TIMGroupModifyMemberInfo: [S],
  TIMGroupGetPendencyList: [S],
  TIMGroupReportPendencyReaded: [U],
  TIMGroupHandlePendency: [S],
} as const satisfies Record<string, readonly ArgKind[]>;

export type CommandApi = keyof typeof commandApis;

/** The C functions without a callback: their TIMResult is their only answer. */
export const syncApis = {
  TIMConvSetDraft: [S, I, S],
  TIMConvCancelDraft: [S, I],
} as const satisfies Record<string, readonly ArgKind[]>;

export type SyncApi = keyof typeof syncApis;

/**
 * A reply is the last one of its request unless the API is multi-shot and the
 * reply is a progress report (v8: `desc === "downloading"`).
 */
export function isFinalReply(api: CommandApi, code: number, desc: string): boolean {
  return !(api === 'TIMMsgDownloadElemToPath' && code === 0 && desc === 'downloading');
}
