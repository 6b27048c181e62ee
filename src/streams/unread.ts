/**
 * Unread counts: which conversations count toward the total (Tencent's rule)
 * and the incremental total the state keeps.
 *
 * Tencent's total (`getTotalUnreadMessageCount` of the web SDK, the C SDK's
 * `TIMConvGetTotalUnreadMessageCount`) is the sum of `conv_unread_num` over
 * the conversation list, leaving out system conversations, conversations
 * the user set to "do not disturb" (`conv_recv_opt` not-receive, not-notify,
 * not-notify-except-at) and AVChatRoom groups (`conv_group_type`).
 *
 * Group tips are counted unless `user_config_is_ignore_grouptips_unread` is
 * set. Neither v8's library (the key is absent from the binary) nor the
 * emulator applies that key, so tim-rx applies it here, in one place: the
 * state counts the group-tips messages it receives per group conversation
 * and subtracts them until the conversation is read.
 */
import { distinctUntilChanged, map, type OperatorFunction } from 'rxjs';
import type { Conversation } from '../codecs/conversation.js';
import type { Element } from '../codecs/elements.js';
import type { GroupType, ReceiveMessageOption } from '../codecs/group-enums.js';
import type { Message } from '../codecs/message.js';
import type { ConversationChange } from './conversation-list.js';
import { conversationKeyString } from './conversation-list.js';

/** Which conversations count toward the total. */
export interface UnreadPolicy {
  /** System conversations count too. Tencent leaves them out: default false. */
  readonly includeSystem?: boolean;
  /** "Do not disturb" conversations (`DO_NOT_DISTURB` receive options) count too. Tencent leaves them out: default false. */
  readonly includeDoNotDisturb?: boolean;
  /** Groups of the types in `UNCOUNTED_GROUP_TYPES` (AVChatRoom) count too. Tencent's web SDK leaves them out: default false. */
  readonly includeAllGroupTypes?: boolean;
  /** An extra rule, e.g. leave out conversations pinned by the app. Default: all count. */
  readonly counts?: (conversation: Conversation) => boolean;
}

/** The policy plus the group-tips option, as the state applies them. */
export interface UnreadRules extends UnreadPolicy {
  /** `TIMSetConfig`'s `user_config_is_ignore_grouptips_unread`: group tips do not count. Default false. */
  readonly ignoreGroupTips?: boolean;
}

/** Receive options (A.15) of a conversation whose unread count stays out of the total ("do not disturb"). */
export const DO_NOT_DISTURB: ReadonlySet<ReceiveMessageOption> = new Set(['not-receive', 'not-notify', 'not-notify-except-at']);

/** Group types (A.12) whose unread counts stay out of the total: live-streaming rooms. */
export const UNCOUNTED_GROUP_TYPES: ReadonlySet<GroupType> = new Set(['av-chat-room']);

/** Whether `conversation` counts toward the total under `policy`. */
export function countsTowardTotal(policy: UnreadPolicy, conversation: Conversation): boolean {
  if (policy.includeSystem !== true && conversation.key.type === 'system') return false;
  const option = conversation.receiveOption;
  if (policy.includeDoNotDisturb !== true && option !== undefined && DO_NOT_DISTURB.has(option)) return false;
  const type = conversation.groupType;
  if (policy.includeAllGroupTypes !== true && type !== undefined && UNCOUNTED_GROUP_TYPES.has(type)) return false;
  return policy.counts?.(conversation) ?? true;
}

/** The total of a whole list (O(n)): what `totalUnread` computes for each list it receives. */
export function sumUnread(conversations: Iterable<Conversation>, policy: UnreadPolicy = {}): number {
  let total = 0;
  for (const c of conversations) if (countsTowardTotal(policy, c)) total += c.unreadCount;
  return total;
}

/**
 * Operator: each conversation list → its unread total under `policy`, only
 * when the total changed. Works on any list (a filtered view, a test's
 * fixture); `tim.state.totalUnread$` keeps the same total incrementally.
 */
export function totalUnread(policy: UnreadPolicy = {}): OperatorFunction<Iterable<Conversation>, number> {
  return (lists) => lists.pipe(map((list) => sumUnread(list, policy)), distinctUntilChanged());
}

/** The incremental unread state: the total and the unread group tips per conversation key. */
export interface UnreadCounts {
  readonly total: number;
  /** Group tips received and not read yet, per conversation key string (only while tips are ignored). */
  readonly groupTips: ReadonlyMap<string, number>;
}

export const noUnread: UnreadCounts = { total: 0, groupTips: new Map() };

/** A group-tips element (elem_type 5, and 6 on older runtimes: the codec models both as `groupTips`). */
const isGroupTipsElement = (e: Element): boolean => e.type === 'groupTips';

/** The unread count of one conversation as shown: its count less the group tips that do not count. */
export function effectiveUnread(conversation: Conversation, counts: UnreadCounts): number {
  const tips = counts.groupTips.get(conversationKeyString(conversation.key)) ?? 0;
  return Math.max(0, conversation.unreadCount - tips);
}

/** Group tips still unread after a conversation went from `before` to `after`. */
function tipsAfter(tips: number, before: Conversation | undefined, after: Conversation | undefined): number {
  if (tips === 0 || after === undefined) return 0;
  if (after.unreadCount === 0 && (before?.unreadCount ?? 0) > 0) return 0; // read
  if (before !== undefined && after.unreadCount < before.unreadCount) return Math.min(tips, after.unreadCount);
  return tips;
}

/** Updates the total for the changes one list action made: O(changes), never O(list). */
export function applyUnreadChanges(counts: UnreadCounts, changes: readonly ConversationChange[], rules: UnreadRules): UnreadCounts {
  if (changes.length === 0) return counts;
  let total = counts.total;
  let groupTips = counts.groupTips;
  for (const { key, before, after } of changes) {
    const t0 = groupTips.get(key) ?? 0;
    if (before !== undefined && countsTowardTotal(rules, before)) total -= Math.max(0, before.unreadCount - t0);
    const t1 = tipsAfter(t0, before, after);
    if (t1 !== t0) groupTips = withTips(groupTips, key, t1);
    if (after !== undefined && countsTowardTotal(rules, after)) total += Math.max(0, after.unreadCount - t1);
  }
  return total === counts.total && groupTips === counts.groupTips ? counts : { total, groupTips };
}

/**
 * A received message: a group tip, when tips are ignored, is remembered
 * against its conversation (`current`, the one the list holds, if any).
 * Returns the same counts for every other message.
 */
export function applyReceivedMessage(
  counts: UnreadCounts,
  message: Message,
  current: Conversation | undefined,
  rules: UnreadRules,
): UnreadCounts {
  if (rules.ignoreGroupTips !== true || message.isFromSelf || message.conversation.type !== 'group') return counts;
  if (!message.elements.some(isGroupTipsElement)) return counts;
  const key = conversationKeyString(message.conversation);
  const t0 = counts.groupTips.get(key) ?? 0;
  let total = counts.total;
  if (current !== undefined && countsTowardTotal(rules, current)) {
    total += Math.max(0, current.unreadCount - t0 - 1) - Math.max(0, current.unreadCount - t0);
  }
  return { total, groupTips: withTips(counts.groupTips, key, t0 + 1) };
}

function withTips(map: ReadonlyMap<string, number>, key: string, tips: number): ReadonlyMap<string, number> {
  const copy = new Map(map);
  if (tips === 0) copy.delete(key);
  else copy.set(key, tips);
  return copy;
}
