/**
 * What the message functions need to know about groups, supplied by the
 * group module (src/emulator/groups/access.ts) through `setGroupAccess`
 * (installed by handlers/index.ts, next to the group handlers). Until it is
 * set, every user may read a group's stored messages, a revoke is told to
 * the users who have the group conversation, and only senders revoke.
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

const defaultAccess: GroupAccess = {
  check: () => undefined,
  members: (ctx, groupId) => ctx.store.convs.owners(2, groupId),
  revokeDenial: (_ctx, userId, _groupId, sender) =>
    (userId === sender ? undefined : { code: 10032, desc: `only the sender (${sender}) may revoke this message` }),
  countsMessages: () => true,
};

let current: GroupAccess = defaultAccess;

/** Installs the group module's rules (process-wide; they are the same for every emulator). */
export function setGroupAccess(access: GroupAccess): void {
  current = access;
}

export function groupAccess(): GroupAccess {
  return current;
}
