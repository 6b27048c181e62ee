/**
 * The group tables of the emulator database. Applied (idempotently) whenever
 * the store opens, beside the core schema of ../storage/schema.ts; group
 * messages, tips and reports themselves live in the core `messages` table.
 *
 * Lives (incarnations): a group id may be created, dissolved and created
 * again; each creation starts a new life, numbered by the highest
 * `messages.id` when it began (`groups.life`). Message ids are global and
 * never reused, so the messages of a life are those of receiver = group id
 * with an id above its number (and, for a member who left, up to its
 * departure): a life never shows another life's messages, and nobody who
 * was only in another life sees this one's.
 */
import type Database from 'better-sqlite3';

/** The group tables as they are now (every statement idempotent). */
export const GROUP_SCHEMA = `
CREATE TABLE IF NOT EXISTS groups (
  group_id        TEXT PRIMARY KEY,
  group_type      INTEGER NOT NULL,        -- TIMGroupType
  name            TEXT    NOT NULL,
  notification    TEXT    NOT NULL,
  introduction    TEXT    NOT NULL,
  face_url        TEXT    NOT NULL,
  owner           TEXT    NOT NULL,        -- '' when a Private group's owner has quit
  add_option      INTEGER NOT NULL,        -- TIMGroupAddOption for join requests
  approve_option  INTEGER NOT NULL,        -- TIMGroupAddOption for invitations (stored, shown)
  max_member_num  INTEGER NOT NULL,        -- 0 = no limit
  visible         INTEGER NOT NULL,
  searchable      INTEGER NOT NULL,
  shutup_all      INTEGER NOT NULL,        -- 1 = only owner and admins may speak
  custom_info     TEXT    NOT NULL,        -- JSON array of {key, value}
  create_time     INTEGER NOT NULL,        -- UTC seconds
  info_seq        INTEGER NOT NULL,        -- + 1 per profile change
  last_info_time  INTEGER NOT NULL,
  last_msg_seq    INTEGER NOT NULL,        -- message seq of this life (messages.seq of conv_type 2), from 1
  last_msg_time   INTEGER NOT NULL,
  life            INTEGER NOT NULL DEFAULT 0 -- this life: the highest messages.id when it began; its messages are above it
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS group_members (
  group_id     TEXT    NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
  user_id      TEXT    NOT NULL,
  role         INTEGER NOT NULL,           -- 200 member, 300 admin, 400 owner
  join_seq     INTEGER NOT NULL,           -- join order in the group: the member-list cursor
  join_time    INTEGER NOT NULL,           -- UTC seconds
  msg_flag     INTEGER NOT NULL,           -- TIMReceiveMessageOpt
  name_card    TEXT    NOT NULL,
  shutup_until INTEGER NOT NULL,           -- UTC seconds; muted while > now
  custom_info  TEXT    NOT NULL,           -- JSON array of {key, value}
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_members_by_user ON group_members (user_id);
CREATE UNIQUE INDEX IF NOT EXISTS group_members_by_join ON group_members (group_id, join_seq);

CREATE TABLE IF NOT EXISTS group_pendencies (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id       TEXT    NOT NULL,
  pendency_type  INTEGER NOT NULL,         -- 0 join request (owner/admins approve), 1 invitation (invitee approves)
  from_id        TEXT    NOT NULL,         -- applicant / inviter
  to_id          TEXT    NOT NULL,         -- '' (the group's owner and admins) / invitee
  add_time       INTEGER NOT NULL UNIQUE,  -- UTC milliseconds, strictly increasing: the paging cursor
  apply_msg      TEXT    NOT NULL,
  from_user_data TEXT    NOT NULL,
  handled_by     TEXT    NOT NULL,         -- '' = not handled yet
  handle_result  INTEGER NOT NULL,         -- 0 refused, 1 accepted
  approval_msg   TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS group_pendencies_by_group ON group_pendencies (group_id);
CREATE INDEX IF NOT EXISTS group_pendencies_by_to ON group_pendencies (to_id);

CREATE TABLE IF NOT EXISTS group_pendency_reads (
  user_id   TEXT PRIMARY KEY,
  read_time INTEGER NOT NULL               -- milliseconds: pendencies added up to it are read
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS group_departures ( -- a former member sees the messages of its life up to its departure
  group_id TEXT    NOT NULL,
  user_id  TEXT    NOT NULL,
  up_to    INTEGER NOT NULL,               -- messages.id: the last group message before it left (or the group was dissolved)
  life     INTEGER NOT NULL DEFAULT 0,     -- groups.life of the life it left: it sees the ids in (life, up_to]
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS group_inbox (     -- group / system messages a member's client has not acknowledged yet
  user_id    TEXT    NOT NULL,
  message_id INTEGER NOT NULL,
  PRIMARY KEY (user_id, message_id)
) WITHOUT ROWID;
`;

/** Creates the group tables if they are missing (in one transaction). */
export function applyGroupSchema(db: Database.Database): void {
  db.transaction(() => db.exec(GROUP_SCHEMA)).immediate();
}
