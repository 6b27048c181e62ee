/**
 * Derived state of one user's conversation, recomputed after a read report,
 * a deletion, a revoke or an import: unread count, last message (the newest
 * visible one), active time (never moves back).
 *
 * The unread count follows the rule used when messages are delivered:
 * messages from others after the read mark, not deleted, not revoked; group
 * tips count too, except for their operator; a group member whose receive
 * option is "not receive" counts the tips only. (Members read everything
 * sent before they joined: see groups/store.ts.) The emulator never applies
 * `user_config_is_ignore_grouptips_unread`; the client state does (docs/state.md).
 */
import type { Scope } from '../storage/history.js';
import { ConvType, type StoredConversation } from '../storage/store.js';
import type { EmulatorContext } from './context.js';
import { GROUP_ACCESS } from '../groups/access.js';
import { ConvEvent, convEvent } from './notify.js';

/** The owner's unread count of the conversation (see the rule above). */
export function unreadOf(ctx: EmulatorContext, s: Scope, readUpTo: number): number {
  const tipsOnly = s.convType === ConvType.Group && !GROUP_ACCESS.countsMessages(ctx, s.owner, s.convId);
  return ctx.store.history.unread(s, readUpTo, tipsOnly);
}

/** Recomputes and stores the state of the conversation row, if there is one; returns it. */
export function refreshConversation(ctx: EmulatorContext, s: Scope): StoredConversation | undefined {
  const row = ctx.store.convs.get(s.owner, s.convType, s.convId);
  if (row === undefined) return undefined;
  const marks = ctx.store.history.marks(s);
  const last = ctx.store.history.last(s);
  ctx.store.convs.setState(s.owner, s.convType, s.convId, {
    unreadNum: unreadOf(ctx, s, marks.readUpTo),
    lastMessageId: last?.id ?? null,
    activeTime: Math.max(row.activeTime, last?.serverTime ?? 0),
  });
  return ctx.store.convs.get(s.owner, s.convType, s.convId);
}

/** Recomputes the conversation and tells its owner (EVENT 6 Update), if the owner has it. */
export function refreshAndNotify(ctx: EmulatorContext, s: Scope): void {
  const after = refreshConversation(ctx, s);
  if (after !== undefined) convEvent(ctx, ConvEvent.Update, after);
}

/**
 * The owner's conversation row, created when missing (unread and last
 * message from the visible history; active time = its last message's, or
 * `now`). `created` tells whether it is new.
 */
export function ensureConversation(ctx: EmulatorContext, s: Scope, now: number): { conversation: StoredConversation; created: boolean } {
  const existing = ctx.store.convs.get(s.owner, s.convType, s.convId);
  if (existing !== undefined) return { conversation: existing, created: false };
  const last = ctx.store.history.last(s);
  ctx.store.convs.create(s.owner, s.convType, s.convId, {
    unreadNum: unreadOf(ctx, s, ctx.store.history.marks(s).readUpTo),
    lastMessageId: last?.id ?? null,
    activeTime: last?.serverTime ?? now,
  });
  return { conversation: ctx.store.convs.get(s.owner, s.convType, s.convId)!, created: true };
}
