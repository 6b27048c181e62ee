import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { DatabaseOpenError, SCHEMA_VERSION } from '../../src/emulator/storage/schema.js';
import { Store, type NewMessage } from '../../src/emulator/storage/store.js';
import { tempDir } from './helpers.js';

const msg = (sender: string, receiver: string, extra: Partial<NewMessage> = {}): NewMessage => ({
  convType: 1, sender, receiver, rand: 7, serverTime: 1_700_000_000, clientTime: 1_700_000_000, priority: 1,
  isOnline: false, elems: '[{"elem_type":0,"text_elem_content":"x"}]', ...extra,
});

describe('emulator storage', () => {
  const tmp = tempDir();
  after(() => tmp.remove());
  let n = 0;
  const open = (): { store: Store; path: string } => {
    const path = join(tmp.dir, `s${++n}.db`);
    return { store: Store.open(path), path };
  };

  it('creates the schema in WAL mode with its version', () => {
    const { store, path } = open();
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
    expect(db.pragma('user_version', { simple: true })).to.equal(SCHEMA_VERSION);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(tables).to.include.members([
      'accounts', 'conversation_marks', 'conversations', 'delivery_cursors', 'hidden_messages', 'messages',
    ]);
    db.close();
  });

  it('refuses a database of a newer schema', () => {
    const path = join(tmp.dir, 'newer.db');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => Store.open(path)).to.throw(DatabaseOpenError, /schema version 99/);
  });

  it('upgrades a version 2 database: accounts kept, session generation 0, then counted per login', () => {
    const path = join(tmp.dir, 'v2.db');
    Store.open(path).close();
    const raw = new Database(path);
    raw.exec('CREATE TABLE accounts_v2 (user_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL) WITHOUT ROWID');
    raw.exec('INSERT INTO accounts_v2 SELECT user_id, created_at FROM accounts; DROP TABLE accounts; ALTER TABLE accounts_v2 RENAME TO accounts');
    raw.prepare('INSERT INTO accounts (user_id, created_at) VALUES (?, ?)').run('old', 1);
    raw.pragma('user_version = 2');
    raw.close();
    const store = Store.open(path);
    expect(store.accountExists('old')).to.equal(true);
    expect(store.generations.latest('old')).to.equal(0n);
    expect(store.generations.resume('old', 0n, 2)).to.deep.equal({ ok: true, created: false });
    expect(store.generations.login('old', 2)).to.deep.equal({ ok: true, created: false, generation: 1n });
    expect(store.generations.login('new', 2)).to.deep.equal({ ok: true, created: true, generation: 1n });
    expect(store.generations.login('old', 3)).to.deep.equal({ ok: true, created: false, generation: 2n });
    expect(store.generations.resume('old', 1n, 3)).to.deep.equal({ ok: false, reason: 'superseded', latest: 2n });
    expect(store.generations.resume('old', 2n, 3)).to.deep.equal({ ok: true, created: false });
    expect(store.generations.resume('old', 5n, 3)).to.deep.equal({ ok: true, created: false });
    expect(store.generations.latest('old'), 'an unknown newer generation is adopted').to.equal(5n);
    store.close();
  });

  it('creates accounts once', () => {
    const { store } = open();
    expect(store.ensureAccount('a', 1)).to.equal(true);
    expect(store.ensureAccount('a', 2)).to.equal(false);
    expect(store.accountExists('a')).to.equal(true);
    expect(store.accountExists('b')).to.equal(false);
    store.close();
  });

  it('numbers seq per ordered pair and tracks both conversations', () => {
    const { store } = open();
    expect(store.sendC2C(msg('a', 'b')).message.seq).to.equal(1);
    expect(store.sendC2C(msg('a', 'b')).message.seq).to.equal(2);
    const back = store.sendC2C(msg('b', 'a', { serverTime: 1_700_000_005 }));
    expect(back.message.seq).to.equal(1);
    expect(back.conversations.map((c) => [c.conversation.owner, c.conversation.convId, c.conversation.unreadNum, c.created])).to.deep.equal([
      ['b', 'a', 2, false],
      ['a', 'b', 1, false],
    ]);
    const list = store.conversations('a');
    expect(list).to.have.length(1);
    expect(list[0]!.lastMessage?.id).to.equal(back.message.id);
    expect(list[0]!.activeTime).to.equal(1_700_000_005);
    store.close();
  });

  it('pends stored messages after an id, skipping online-only and self messages; the cursor never goes back', () => {
    const { store } = open();
    const m1 = store.sendC2C(msg('a', 'b')).message;
    store.sendC2C(msg('a', 'b', { isOnline: true }));
    store.sendC2C(msg('b', 'b'));
    const m4 = store.sendC2C(msg('a', 'b')).message;
    expect(store.pendingMessages('b', 0, 100).map((m) => m.id)).to.deep.equal([m1.id, m4.id]);
    expect(store.pendingMessages('b', 0, 1).map((m) => m.id)).to.deep.equal([m1.id]);
    expect(store.pendingMessages('b', m1.id, 100).map((m) => m.id)).to.deep.equal([m4.id]);
    store.advanceCursor('b', m4.id);
    store.advanceCursor('b', m1.id);
    expect(store.deliveryCursor('b')).to.equal(m4.id);
    expect(store.pendingMessages('b', store.deliveryCursor('b'), 100)).to.deep.equal([]);
    store.sendC2C(msg('a', 'b'));
    expect(store.deliveryCursor('b'), 'the cursor moves on ACK only').to.equal(m4.id);
    store.close();
  });
});
