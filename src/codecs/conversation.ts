import * as t from 'io-ts';
import { fastConversation } from './conversation-fast.js';
import { Draft } from './draft.js';
import { ConvEventKind, ConvType } from './enums.js';
import { readonlyArrayOf, withFastPath } from './fast.js';
import { GroupType, ReceiveMessageOption } from './group-enums.js';
import { defined, mapped } from './mapped.js';
import { Message } from './message.js';
import { Int, U64 } from './primitives.js';

/** The io-ts codec of ConvInfo: the source of truth for the hand-written decoder (conversation-fast.ts), and what `Conversation` falls back to (exported for the property tests). */
export const ConversationCodec = mapped(
  'Conversation',
  t.intersection([
    t.type({ conv_id: t.string, conv_type: ConvType }),
    t.partial({
      conv_unread_num: Int,
      conv_active_time: U64,
      conv_is_has_lastmsg: t.boolean,
      conv_last_msg: Message,
      conv_is_has_draft: t.boolean,
      conv_draft: Draft,
      conv_is_pinned: t.boolean,
      conv_show_name: t.string,
      conv_face_url: t.string,
      conv_group_type: GroupType,
      conv_recv_opt: ReceiveMessageOption,
    }),
  ]),
  (r) => defined({
    key: { type: r.conv_type, id: r.conv_id },
    unreadCount: r.conv_unread_num ?? 0,
    activeTime: r.conv_active_time ?? 0n,
    lastMessage: r.conv_is_has_lastmsg === false ? undefined : r.conv_last_msg,
    draft: r.conv_is_has_draft === false ? undefined : r.conv_draft,
    isPinned: r.conv_is_pinned ?? false,
    showName: r.conv_show_name ?? r.conv_id,
    faceUrl: r.conv_face_url ?? '',
    groupType: r.conv_group_type,
    receiveOption: r.conv_recv_opt,
  }),
  (a) => defined({
    conv_id: a.key.id,
    conv_type: a.key.type,
    conv_unread_num: a.unreadCount,
    conv_active_time: a.activeTime,
    conv_is_has_lastmsg: a.lastMessage !== undefined,
    conv_last_msg: a.lastMessage,
    conv_is_has_draft: a.draft !== undefined,
    conv_draft: a.draft,
    conv_is_pinned: a.isPinned,
    conv_show_name: a.showName,
    conv_face_url: a.faceUrl,
    conv_group_type: a.groupType,
    conv_recv_opt: a.receiveOption,
  }),
);
export type Conversation = t.TypeOf<typeof ConversationCodec>;

/**
 * ConvInfo (B3). `activeTime` is a bigint: v8 sets high flag bits on pinned
 * conversations (≈ 2^62). `lastMessage` / `draft` are present only when the
 * SDK says so (`conv_is_has_lastmsg` / `conv_is_has_draft`). `groupType`
 * (`conv_group_type`, A.12, group conversations) and `receiveOption`
 * (`conv_recv_opt`, A.15) are v8 keys: present when the SDK sends them.
 */
export const Conversation: t.Type<Conversation, t.OutputOf<typeof ConversationCodec>, unknown> =
  withFastPath(ConversationCodec, fastConversation);

export const ConversationList = readonlyArrayOf(Conversation, fastConversation);

/** What TIMConvEventCallback reports: a change to some conversations, or v8's sync start/finish. */
export type ConversationEvent =
  | { readonly kind: Exclude<ConvEventKind, 'sync-start' | 'sync-finish'>; readonly conversations: readonly Conversation[] }
  | { readonly kind: 'sync-start' | 'sync-finish' };

export { ConvEventKind, ConvType, Draft };
