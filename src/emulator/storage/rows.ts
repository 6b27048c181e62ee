/**
 * Shapes of the stored rows and their mapping to domain objects, shared by
 * every storage module.
 */
export interface StoredMessage {
  readonly id: number;
  readonly convType: number;
  readonly sender: string;
  readonly receiver: string;
  readonly seq: number;
  readonly rand: number;
  readonly serverTime: number;
  readonly clientTime: number;
  readonly priority: number;
  readonly isOnline: boolean;
  /** `message_elem_array` as JSON text. */
  readonly elems: string;
  /** TIMMsgStatus; absent = 2 (sent). 5 = imported / saved, 6 = revoked. */
  readonly status?: number;
  /** Set on an imported or saved message: the only user who sees it. */
  readonly localOwner?: string;
  /** Who revoked it (status 6), and when (UTC seconds). */
  readonly revokedBy?: string;
  readonly revokedAt?: number;
}

export type NewMessage = Omit<StoredMessage, 'id' | 'seq'>;

export interface StoredConversation {
  readonly owner: string;
  readonly convType: number;
  readonly convId: string;
  readonly unreadNum: number;
  readonly activeTime: number;
  readonly lastMessage: StoredMessage | undefined;
  /** The Draft JSON (B3a), if one is set. */
  readonly draft?: string;
  /** Highest message id the owner has read, and the one the C2C peer has read (0 = none). */
  readonly readUpTo?: number;
  readonly peerReadUpTo?: number;
  /** Group conversations: the group's TIMGroupType (absent once the group is dissolved) … */
  readonly groupType?: number;
  /** … and the owner's receive option (TIMReceiveMessageOpt; absent when not a member). */
  readonly recvOpt?: number;
}

/** A conversation touched by a write; `created` = it did not exist for its owner before. */
export interface ConversationChange {
  readonly conversation: StoredConversation;
  readonly created: boolean;
}

export interface MessageRow {
  id: number;
  conv_type: number;
  sender: string;
  receiver: string;
  seq: number;
  rand: number;
  server_time: number;
  client_time: number;
  priority: number;
  is_online: number;
  elems: string;
  status?: number | null;
  local_owner?: string | null;
  revoked_by?: string | null;
  revoked_at?: number | null;
}

export interface ConversationRow {
  owner: string;
  conv_type: number;
  conv_id: string;
  unread_num: number;
  active_time: number;
  last_message_id: number | null;
  draft?: string | null;
  read_up_to?: number | null;
  peer_read_up_to?: number | null;
  group_type?: number | null;
  recv_opt?: number | null;
}

export const toMessage = (r: MessageRow): StoredMessage => {
  const m: { -readonly [K in keyof StoredMessage]: StoredMessage[K] } = {
    id: r.id,
    convType: r.conv_type,
    sender: r.sender,
    receiver: r.receiver,
    seq: r.seq,
    rand: r.rand,
    serverTime: r.server_time,
    clientTime: r.client_time,
    priority: r.priority,
    isOnline: r.is_online !== 0,
    elems: r.elems,
  };
  if (r.status !== undefined && r.status !== null && r.status !== 2) m.status = r.status;
  if (r.local_owner !== undefined && r.local_owner !== null) m.localOwner = r.local_owner;
  if (r.revoked_by !== undefined && r.revoked_by !== null) m.revokedBy = r.revoked_by;
  if (r.revoked_at !== undefined && r.revoked_at !== null) m.revokedAt = r.revoked_at;
  return m;
};

export const MESSAGE_COLUMNS =
  'id, conv_type, sender, receiver, seq, rand, server_time, client_time, priority, is_online, elems, status, local_owner, revoked_by, revoked_at';

/**
 * The SELECT of a conversation row joined with its last message, the read
 * marks, and (group conversations) the owner's member row and the group's
 * type — of the life the owner is or was in: a former member of a dissolved
 * group sees no type even when the id lives again. `WHERE` and `ORDER BY`
 * are the caller's. Needs the group tables.
 */
export const CONVERSATION_SELECT =
  `SELECT c.owner, c.conv_type AS conv_type, c.conv_id, c.unread_num, c.active_time, c.last_message_id, c.draft,
          k.read_up_to, p.read_up_to AS peer_read_up_to, g.group_type AS group_type, gm.msg_flag AS recv_opt,
          m.id, m.sender, m.receiver, m.seq, m.rand, m.server_time, m.client_time, m.priority, m.is_online, m.elems,
          m.status, m.local_owner, m.revoked_by, m.revoked_at
   FROM conversations c LEFT JOIN messages m ON m.id = c.last_message_id
   LEFT JOIN conversation_marks k ON k.owner = c.owner AND k.conv_type = c.conv_type AND k.conv_id = c.conv_id
   LEFT JOIN conversation_marks p ON c.conv_type = 1 AND p.owner = c.conv_id AND p.conv_type = 1 AND p.conv_id = c.owner
   LEFT JOIN group_members gm ON c.conv_type = 2 AND gm.group_id = c.conv_id AND gm.user_id = c.owner
   LEFT JOIN group_departures d ON c.conv_type = 2 AND gm.user_id IS NULL AND d.group_id = c.conv_id AND d.user_id = c.owner
   LEFT JOIN groups g ON c.conv_type = 2 AND g.group_id = c.conv_id AND (gm.user_id IS NOT NULL OR d.life = g.life)`;

/** A conversations row (joined with its last message and read marks) as a StoredConversation. */
export function toConversation(r: ConversationRow & Partial<MessageRow>): StoredConversation {
  const c: { -readonly [K in keyof StoredConversation]: StoredConversation[K] } = {
    owner: r.owner,
    convType: r.conv_type,
    convId: r.conv_id,
    unreadNum: r.unread_num,
    activeTime: r.active_time,
    lastMessage: r.id === undefined || r.id === null ? undefined : toMessage(r as MessageRow),
  };
  if (r.draft !== undefined && r.draft !== null) c.draft = r.draft;
  if (r.read_up_to !== undefined && r.read_up_to !== null) c.readUpTo = r.read_up_to;
  if (r.peer_read_up_to !== undefined && r.peer_read_up_to !== null) c.peerReadUpTo = r.peer_read_up_to;
  if (r.group_type !== undefined && r.group_type !== null) c.groupType = r.group_type;
  if (r.recv_opt !== undefined && r.recv_opt !== null) c.recvOpt = r.recv_opt;
  return c;
}
