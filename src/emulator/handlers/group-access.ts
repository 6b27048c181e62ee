/**
 * What the message functions need to know about groups: the interface the
 * group module implements (src/emulator/groups/access.ts, `GROUP_ACCESS`).
 */
import type { EmulatorContext } from './context.js';

/** A refusal: the callback code and desc to answer. */
export interface AccessDenial {
  readonly code: number;
  readonly desc: string;
}

/**
 * What a message or conversation function does with a group conversation:
 * - `read`: reads the group's history (TIMMsgGetMsgList, TIMMsgFindByMsgLocatorList)
 *   or revokes a message (TIMMsgRevoke);
 * - `own`: acts on the caller's own copy only (TIMMsgReportReaded,
 *   TIMMsgDelete, TIMMsgImportMsgList, TIMMsgSaveMsg, TIMConvCreate,
 *   TIMConvSetDraft): allowed to whoever may `read`, and to a user who still
 *   has the conversation (a former member clears its unread count or deletes
 *   its copy; a dissolved group's conversation stays usable).
 */
export type GroupAccessKind = 'read' | 'own';

export interface GroupAccess {
  /** undefined when `userId` may do `kind` on the conversation of `groupId`; otherwise the error to answer. */
  check(ctx: EmulatorContext, userId: string, groupId: string, kind: GroupAccessKind): AccessDenial | undefined;
  /** The users told of a revoke in the group (EVENT 3 and EVENT 6), the revoker aside. */
  members(ctx: EmulatorContext, groupId: string): readonly string[];
  /** undefined when `userId` may revoke a message of `groupId` that `sender` sent; otherwise the error (10032). */
  revokeDenial(ctx: EmulatorContext, userId: string, groupId: string, sender: string): AccessDenial | undefined;
  /** Whether ordinary messages of the group count as unread for `userId` (its receive option is not "not receive"). */
  countsMessages(ctx: EmulatorContext, userId: string, groupId: string): boolean;
}
