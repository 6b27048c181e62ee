/**
 * Delivery of group messages, GroupTips and GroupReports.
 *
 * Each `store*` function commits the message (with every recipient's
 * conversation, and an inbox row per recipient, removed when the recipient's
 * client acknowledges it) and returns the work to do after the REPLY: EVENT 1
 * to each live recipient, EVENT 5 (one GroupTipsElem object, as v8 sends it)
 * for tips, and EVENT 6 for each changed conversation of a logged-in owner.
 *
 * Each message's JSON is written once for all recipients (render-json.ts:
 * one text for the members, one for the sender) and shared by EVENT 1 and
 * the EVENT 6 of their conversations. Kept, unacknowledged messages go out
 * after the next login (../backlog.ts, started by `Delivery.startBacklog`).
 */
import { randomInt } from 'node:crypto';
import { stringifyJson } from '../../json/lossless.js';
import type { Connection, Session } from '../connection.js';
import { nowSeconds, type EmulatorContext } from '../handlers/context.js';
import { convChange } from '../handlers/notify.js';
import { MessageViews } from '../render-json.js';
import { ConvType, type StoredMessage } from '../storage/store.js';
import { arg } from '../wire/codec.js';
import { EventId } from '../wire/constants.js';
import type { Recipient, StoredFanOut } from './message-store.js';
import { SYSTEM_SENDER } from './model.js';
import { operatorInfo, reportElement, tipsElement, type RenderContext, type ReportContent, type TipsContent } from './render.js';

/** Work that follows the REPLY. */
export type After = () => void;

const PRIORITY_NORMAL = 1;

export function renderContext(ctx: EmulatorContext): RenderContext {
  return { now: nowSeconds(ctx), isOnline: (u) => ctx.sessions.connectionOf(u)?.session !== undefined };
}

/** A recipient's connection and the session it had when the message was stored. */
interface Live {
  readonly conn: Connection;
  readonly session: Session;
}

/** Sends the committed `stored` message to the live recipients (and the conversation events). */
function afterStore(ctx: EmulatorContext, stored: StoredFanOut, live: readonly Live[], tips?: string): After {
  return () => {
    // The elements were written by stringifyJson, and a touched conversation's last message is this one, unread
    // by the recipients: what render-json.ts requires.
    const views = new MessageViews(stored.message);
    for (const { conn, session } of live) {
      if (conn.session !== session || !ctx.delivery.canDeliverLive(conn, stored.message.convType)) continue;
      ctx.delivery.deliverLive(conn, stored.message, views);
      if (tips !== undefined) conn.event(EventId.GroupTipsEvent, [arg.str(tips)]);
    }
    for (const change of stored.conversations) convChange(ctx, change, views.of(change.conversation.owner));
  };
}

function recipientsOf(ctx: EmulatorContext, userIds: readonly string[], unread: (u: string) => boolean): {
  recipients: Recipient[]; live: Live[];
} {
  const recipients: Recipient[] = [];
  const live: Live[] = [];
  for (const userId of new Set(userIds)) {
    const conn = ctx.sessions.connectionOf(userId);
    if (ctx.delivery.canDeliverLive(conn, ConvType.Group)) live.push({ conn, session: conn.session });
    recipients.push({ userId, unread: unread(userId), inbox: true });
  }
  return { recipients, live };
}

/**
 * A GroupTips message in the group conversation of `recipients` (unread for
 * all but the operator). `opMember` defaults to the operator's current member row.
 */
export function storeTips(
  ctx: EmulatorContext,
  content: Omit<TipsContent, 'memberNum' | 'opMember'> & { opMember?: Record<string, unknown> },
  recipients: readonly string[],
): After {
  const groups = ctx.store.groups;
  const rc = renderContext(ctx);
  const element = tipsElement({
    ...content,
    memberNum: groups.memberCount(content.groupId),
    opMember: content.opMember ?? operatorInfo(content.groupId, content.opUser, groups.member(content.groupId, content.opUser), rc),
  });
  // Tips count as unread for everyone but their operator. `user_config_is_ignore_grouptips_unread` is left to
  // the client (v8's library ignores the key too; tim-rx's state applies it: docs/state.md).
  const { recipients: rs, live } = recipientsOf(ctx, recipients, (u) => u !== content.opUser);
  const now = nowSeconds(ctx);
  const stored = groups.messages.storeGroupMessage(content.groupId, {
    sender: SYSTEM_SENDER, rand: randomInt(0, 0x1_0000_0000), serverTime: now, clientTime: now,
    priority: PRIORITY_NORMAL, isOnline: false, elems: stringifyJson([element]),
  }, rs, false);
  return afterStore(ctx, stored, live, stringifyJson(element));
}

/** A GroupReport in the system conversation of each recipient. */
export function storeReport(
  ctx: EmulatorContext,
  content: Omit<ReportContent, 'opMember'> & { opMember?: Record<string, unknown> },
  recipients: readonly string[],
): After {
  if (recipients.length === 0) return () => undefined;
  const groups = ctx.store.groups;
  const element = reportElement({
    ...content,
    opMember: content.opMember
      ?? operatorInfo(content.groupId, content.opUser, groups.member(content.groupId, content.opUser), renderContext(ctx)),
  });
  const { recipients: rs, live } = recipientsOf(ctx, recipients, () => true);
  const now = nowSeconds(ctx);
  const stored = groups.messages.storeSystemMessage({
    rand: randomInt(0, 0x1_0000_0000), serverTime: now, clientTime: now, priority: PRIORITY_NORMAL, isOnline: false,
    elems: stringifyJson([element]),
  }, rs);
  return afterStore(ctx, stored, live);
}

export interface OutgoingGroupMessage {
  readonly sender: string;
  readonly clientTime: number;
  readonly priority: number;
  readonly isOnline: boolean;
  readonly elems: string;
}

/**
 * A member's message to the group: every other member that receives group
 * messages (msg flag not "not receive") gets it, with unread + 1. An online
 * message goes to the logged-in members only and is kept nowhere.
 */
export function storeGroupMessage(ctx: EmulatorContext, groupId: string, m: OutgoingGroupMessage): { message: StoredMessage; after: After } {
  const groups = ctx.store.groups;
  const receivers = groups.members(groupId).filter((x) => x.userId !== m.sender && x.msgFlag !== 1).map((x) => x.userId);
  const { recipients, live } = recipientsOf(ctx, receivers, () => true);
  const now = nowSeconds(ctx);
  const stored = groups.messages.storeGroupMessage(groupId, {
    ...m, rand: randomInt(0, 0x1_0000_0000), serverTime: now,
  }, m.isOnline ? [] : recipients, true);
  return { message: stored.message, after: afterStore(ctx, stored, live) };
}
