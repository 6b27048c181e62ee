/**
 * Events the message and conversation functions push to logged-in users:
 * EVENT 6 (conversation add / delete / update: queued, coalesced per tick
 * by the connection, outbox.ts), EVENT 2 (read receipts), EVENT 3 (revokes),
 * EVENT 11 (message updates).
 */
import { stringifyJson } from '../../json/lossless.js';
import { convInfoView } from '../render.js';
import { convInfoJson } from '../render-json.js';
import type { ConversationChange, StoredConversation } from '../storage/store.js';
import type { WireArg } from '../wire/codec.js';
import type { EmulatorContext } from './context.js';

/** TIMConvEvent (A.3). */
export const ConvEvent = { Add: 0, Delete: 1, Update: 2 } as const;

/** Sends an event to `userId` if logged in; returns whether it was sent. */
export function toUser(ctx: EmulatorContext, userId: string, eventId: number, args: readonly WireArg[]): boolean {
  const conn = ctx.sessions.connectionOf(userId);
  return conn !== undefined && conn.session !== undefined && conn.event(eventId, args);
}

/** Queues `c` (`render` writes its ConvInfo, once the tick's newest state is known) for its owner's EVENT 6 of `kind`, if logged in. */
function queueConvEvent(ctx: EmulatorContext, kind: number, c: StoredConversation, render: () => string): void {
  const conn = ctx.sessions.connectionOf(c.owner);
  const s = conn?.session;
  if (conn !== undefined && s !== undefined) conn.queueConversation(s, kind, `${c.convType}:${c.convId}`, render);
}

/** EVENT 6 with one conversation, to its owner. */
export function convEvent(ctx: EmulatorContext, kind: number, c: StoredConversation): void {
  queueConvEvent(ctx, kind, c, () => stringifyJson(convInfoView(c)));
}

/**
 * EVENT 6 for a conversation touched by a send: Add when it is new for its
 * owner, else Update. `lastMessageJson`, when given, is its last message as
 * the owner sees it (render-json.ts), already written for another frame.
 */
export function convChange(ctx: EmulatorContext, change: ConversationChange, lastMessageJson?: string): void {
  const c = change.conversation;
  queueConvEvent(ctx, change.created ? ConvEvent.Add : ConvEvent.Update, c, () =>
    (lastMessageJson === undefined ? stringifyJson(convInfoView(c)) : convInfoJson(c, lastMessageJson)));
}
