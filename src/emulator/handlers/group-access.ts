/**
 * What the message functions need to know about groups, supplied by the
 * group module (src/emulator/groups) through `setGroupAccess`. Until it is
 * set, every user may read a group's stored messages, a revoke is told to
 * the users who have the group conversation, and only senders revoke.
 */
import type { EmulatorContext } from './context.js';

export interface GroupAccess {
  /** undefined when `userId` may read and act on the messages of `groupId`; otherwise the error to answer. */
  check(ctx: EmulatorContext, userId: string, groupId: string): { readonly code: number; readonly desc: string } | undefined;
  /** The users told of a revoke in the group (EVENT 3). */
  members(ctx: EmulatorContext, groupId: string): readonly string[];
  /** Whether `userId` may revoke messages other members sent (Tencent: the owner and admins). */
  mayRevokeOthers(ctx: EmulatorContext, userId: string, groupId: string): boolean;
}

const defaultAccess: GroupAccess = {
  check: () => undefined,
  members: (ctx, groupId) => ctx.store.convs.owners(2, groupId),
  mayRevokeOthers: () => false,
};

let current: GroupAccess = defaultAccess;

/** Installs the group module's rules (process-wide; they are the same for every emulator). */
export function setGroupAccess(access: GroupAccess): void {
  current = access;
}

export function groupAccess(): GroupAccess {
  return current;
}
