/**
 * Opening the emulator database and creating / upgrading its schema.
 * WAL journal; `synchronous = NORMAL` (a committed transaction survives a
 * crash or SIGKILL of the emulator process; only an OS crash or power loss
 * may lose the last transactions).
 */
import Database from 'better-sqlite3';
import { migrateGroupLives } from '../groups/life-migration.js';
import {
  checkIntegrity, DatabaseOpenError, emptyFileWarning, inspectDatabaseFile, refuseForeignDatabase, toDatabaseOpenError, type DatabaseCheck,
} from './integrity.js';

export const SCHEMA_VERSION = 4;

const SCHEMA_V1 = `
CREATE TABLE accounts (
  user_id     TEXT PRIMARY KEY,
  created_at  INTEGER NOT NULL             -- UTC seconds of the first successful login
) WITHOUT ROWID;

CREATE TABLE messages (
  id          INTEGER PRIMARY KEY AUTOINCREMENT, -- global order; unit of the delivery cursors
  conv_type   INTEGER NOT NULL,            -- 1 = C2C
  sender      TEXT    NOT NULL,
  receiver    TEXT    NOT NULL,            -- C2C: peer user id
  seq         INTEGER NOT NULL,            -- per (conv_type, sender, receiver), from 1
  rand        INTEGER NOT NULL,            -- u32
  server_time INTEGER NOT NULL,            -- UTC seconds
  client_time INTEGER NOT NULL,            -- UTC seconds
  priority    INTEGER NOT NULL,
  is_online   INTEGER NOT NULL,            -- 1 = online-only message: never delivered later
  elems       TEXT    NOT NULL,            -- message_elem_array, JSON
  UNIQUE (conv_type, sender, receiver, seq)
);
CREATE INDEX messages_by_receiver ON messages (receiver, id);

CREATE TABLE conversations (
  owner           TEXT    NOT NULL,        -- the user whose list holds the conversation
  conv_type       INTEGER NOT NULL,
  conv_id         TEXT    NOT NULL,        -- C2C: peer user id
  unread_num      INTEGER NOT NULL,
  active_time     INTEGER NOT NULL,        -- UTC seconds
  last_message_id INTEGER REFERENCES messages (id),
  PRIMARY KEY (owner, conv_type, conv_id)
) WITHOUT ROWID;

CREATE TABLE delivery_cursors (
  user_id         TEXT PRIMARY KEY,        -- receiver
  last_message_id INTEGER NOT NULL         -- highest C2C messages.id whose EVENT 1 the user acknowledged (ACK)
) WITHOUT ROWID;
`;

/**
 * Version 2 (messages and conversations, issue 3):
 * - `messages` rebuilt without UNIQUE (conv_type, sender, receiver, seq), so
 *   imported / saved messages may carry any seq, with `status` (TIMMsgStatus:
 *   2 sent, 5 imported, 6 revoked …), `local_owner` (not NULL: an imported or
 *   saved message, seen by that user only) and the revoker and revoke time;
 * - `conversations.draft` (the Draft JSON, NULL = none);
 * - `conversation_marks`: per user and conversation, the highest message id
 *   read and the highest id cleared (deleted all at once, or the conversation
 *   deleted); kept when the conversation row is deleted;
 * - `hidden_messages`: messages one user deleted.
 * Columns added to existing tables have defaults, so inserts written for
 * version 1 keep working.
 */
const SCHEMA_V2 = `
CREATE TABLE messages_v2 (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  conv_type   INTEGER NOT NULL,
  sender      TEXT    NOT NULL,
  receiver    TEXT    NOT NULL,            -- C2C: peer user id; group: group id
  seq         INTEGER NOT NULL,
  rand        INTEGER NOT NULL,
  server_time INTEGER NOT NULL,
  client_time INTEGER NOT NULL,
  priority    INTEGER NOT NULL,
  is_online   INTEGER NOT NULL,
  elems       TEXT    NOT NULL,
  status      INTEGER NOT NULL DEFAULT 2,  -- TIMMsgStatus
  local_owner TEXT,                        -- imported / saved: visible to this user only
  revoked_by  TEXT,
  revoked_at  INTEGER                      -- UTC seconds
);
INSERT INTO messages_v2 (id, conv_type, sender, receiver, seq, rand, server_time, client_time, priority, is_online, elems)
  SELECT id, conv_type, sender, receiver, seq, rand, server_time, client_time, priority, is_online, elems FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;
CREATE INDEX messages_by_receiver ON messages (receiver, id);
CREATE INDEX messages_by_pair ON messages (conv_type, sender, receiver, seq);

ALTER TABLE conversations ADD COLUMN draft TEXT;

CREATE TABLE conversation_marks (
  owner         TEXT    NOT NULL,
  conv_type     INTEGER NOT NULL,
  conv_id       TEXT    NOT NULL,
  read_up_to    INTEGER NOT NULL DEFAULT 0, -- messages.id: the owner has read every message up to it
  read_time     INTEGER NOT NULL DEFAULT 0, -- UTC seconds of the last read report that moved it
  cleared_up_to INTEGER NOT NULL DEFAULT 0, -- messages.id: messages up to it are deleted for the owner
  PRIMARY KEY (owner, conv_type, conv_id)
) WITHOUT ROWID;

CREATE TABLE hidden_messages (
  owner      TEXT    NOT NULL,
  message_id INTEGER NOT NULL,
  PRIMARY KEY (owner, message_id)
) WITHOUT ROWID;
`;

/**
 * Version 3 (session generations): `accounts.session_generation`, the
 * generation of the user's latest TIMLogin (0 = never logged in since the
 * column exists). A RESUME carrying an older generation is refused
 * (docs/wire-protocol.md, "Session generations").
 */
const SCHEMA_V3 = `
ALTER TABLE accounts ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
`;

/*
 * Version 4 (group lives, issue 12): `groups.life` and `group_departures.life`,
 * each existing group, departure and group conversation given its life
 * (../groups/life-migration.ts). Only for a database that has the group
 * tables; the others get them, lives included, when the store opens.
 */

export { DatabaseOpenError, type DatabaseCheck, type DatabaseOpenErrorKind } from './integrity.js';

export interface OpenDatabaseOptions {
  /** The check before the database is served (default `quick`). */
  readonly check?: DatabaseCheck;
  /** Where the warning line for a 0-byte file goes. */
  readonly warn?: (line: string) => void;
}

/**
 * Opens (creating if needed) the database at `path`, checks it (an existing
 * file only: storage/integrity.ts) and brings its schema up to date. Throws
 * DatabaseOpenError, with nothing served and nothing written, for a file
 * that cannot be opened, is not an emulator database, is damaged, or has a
 * newer schema.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database.Database {
  const file = inspectDatabaseFile(path);
  if (file === 'empty') options.warn?.(emptyFileWarning(path));
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: 1000 });
    if (file === 'existing') checkIntegrity(db, path, options.check ?? 'quick');
    refuseForeignDatabase(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (e) {
    db?.close();
    throw toDatabaseOpenError(e, path);
  }
}

function migrate(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) {
    throw new DatabaseOpenError('newer-schema', path, `its schema version ${version} is newer than this emulator's (${SCHEMA_VERSION})`);
  }
  // Rebuilding `messages` drops a table that `conversations` references.
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      if (version < 1) db.exec(SCHEMA_V1);
      if (version < 2) db.exec(SCHEMA_V2);
      if (version < 3) db.exec(SCHEMA_V3);
      if (version < 4) migrateGroupLives(db);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}
