/**
 * Schema version 4 of the emulator database: group lives (schema.ts). Run by
 * ../storage/schema.ts inside the upgrade transaction, once, on a database of
 * version 3 or older that already has the group tables (a database without
 * them gets the whole group schema, lives included, when the store opens).
 *
 * The data is kept; each existing group, departure and group conversation is
 * given its life:
 * - a group: its last Create report (a GroupReport of type 6 naming the id,
 *   stored right after each creation, before any message of that life), or
 *   0 when there is none (one life holding every message of the id);
 * - a departure: the life its last visible message belongs to (the last
 *   Create report before it; a departure recorded before any message of its
 *   life falls in the life before, so it shows at most what it showed before);
 * - a user with a group conversation who is neither a member nor a former
 *   member (databases older than `group_departures`): a departure from the
 *   life before the current one (up to the current life's start), or up to
 *   the last message of a dissolved id;
 * - a conversation row whose last message lies before its owner's life:
 *   no last message, nothing unread (what the life has shown it so far).
 */
import type Database from 'better-sqlite3';
import { ReportType, SYSTEM_SENDER } from './model.js';
import { GROUP_SCHEMA } from './schema.js';

const CONV_GROUP = 2;
const CONV_SYSTEM = 3;

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

const hasColumn = (db: Database.Database, table: string, column: string): boolean =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column);

/** The ids of the groups' Create reports: where each life of an id began. */
const BIRTHS = `
CREATE TEMP TABLE group_births (group_id TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (group_id, id)) WITHOUT ROWID;
INSERT OR IGNORE INTO group_births (group_id, id)
  SELECT group_id, id FROM (
    SELECT id, CASE WHEN json_valid(elems) AND json_extract(elems, '$[0].group_report_elem_report_type') = ${ReportType.Create}
                    THEN json_extract(elems, '$[0].group_report_elem_group_id') END AS group_id
    FROM messages WHERE receiver = '' AND conv_type = ${CONV_SYSTEM} AND sender = '${SYSTEM_SENDER}')
  WHERE typeof(group_id) = 'text';
`;

const ASSIGN = `
UPDATE groups SET life = COALESCE((SELECT MAX(b.id) FROM group_births b WHERE b.group_id = groups.group_id), 0);

INSERT INTO group_departures (group_id, user_id, up_to)
  SELECT c.conv_id, c.owner, COALESCE(
      (SELECT g.life FROM groups g WHERE g.group_id = c.conv_id),
      (SELECT MAX(m.id) FROM messages m WHERE m.receiver = c.conv_id AND m.conv_type = ${CONV_GROUP}), 0)
  FROM conversations c
  WHERE c.conv_type = ${CONV_GROUP}
    AND NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = c.conv_id AND gm.user_id = c.owner)
    AND NOT EXISTS (SELECT 1 FROM group_departures d WHERE d.group_id = c.conv_id AND d.user_id = c.owner);

UPDATE group_departures SET life = COALESCE(
  (SELECT MAX(b.id) FROM group_births b WHERE b.group_id = group_departures.group_id AND b.id < group_departures.up_to), 0);

UPDATE conversations SET last_message_id = NULL, unread_num = 0
WHERE conv_type = ${CONV_GROUP} AND last_message_id IS NOT NULL AND last_message_id <= COALESCE(
  (SELECT g.life FROM group_members gm JOIN groups g ON g.group_id = gm.group_id
   WHERE gm.group_id = conversations.conv_id AND gm.user_id = conversations.owner),
  (SELECT d.life FROM group_departures d WHERE d.group_id = conversations.conv_id AND d.user_id = conversations.owner));

DROP TABLE temp.group_births;
`;

/** Brings the group tables of a version ≤ 3 database to version 4 (inside the caller's transaction). */
export function migrateGroupLives(db: Database.Database): void {
  if (!hasTable(db, 'groups')) return;
  if (!hasColumn(db, 'groups', 'life')) db.exec('ALTER TABLE groups ADD COLUMN life INTEGER NOT NULL DEFAULT 0');
  // Group tables this database is older than are created as they are now.
  db.exec(GROUP_SCHEMA);
  if (!hasColumn(db, 'group_departures', 'life')) db.exec('ALTER TABLE group_departures ADD COLUMN life INTEGER NOT NULL DEFAULT 0');
  db.exec(BIRTHS);
  db.exec(ASSIGN);
}
