import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { GroupCommit } from '../../src/emulator/storage/group-commit.js';
import { Store, type NewMessage } from '../../src/emulator/storage/store.js';
import { tempDir } from './helpers.js';

const msg = (sender: string, receiver: string): NewMessage => ({
  convType: 1, sender, receiver, rand: 7, serverTime: 1_700_000_000, clientTime: 1_700_000_000, priority: 1,
  isOnline: false, elems: '[{"elem_type":0,"text_elem_content":"x"}]',
});
const nextTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

describe('emulator group commit (sends of one tick share a transaction)', () => {
  const tmp = tempDir();
  after(() => tmp.remove());
  let n = 0;
  const path = (): string => join(tmp.dir, `g${++n}.db`);
  /** A store whose database refuses a write: a trigger `when` (e.g. "AFTER INSERT ON t WHEN …") raises "refused". */
  const refusing = (when: string): { file: string; store: Store } => {
    const file = path();
    const store = Store.open(file);
    const db = new Database(file);
    db.exec(`CREATE TRIGGER refuse ${when} BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    db.close();
    return { file, store };
  };

  it('commits the sends of one tick together, at the end of the tick, and only then calls back', async () => {
    const file = path();
    const store = Store.open(file);
    const reader = new Database(file, { readonly: true });
    const count = (): number => reader.prepare('SELECT COUNT(*) FROM messages').pluck().get() as number;
    const order: string[] = [];
    store.commits.whenCommitted(() => order.push('nothing pending: at once'), () => order.push('failed'));
    const a = store.sendC2C(msg('alice', 'bob'));
    store.commits.whenCommitted(() => order.push(`committed ${count()}`), () => order.push('failed'));
    const b = store.sendC2C(msg('alice', 'bob'));
    store.commits.whenCommitted(() => order.push(`committed ${count()}`), () => order.push('failed'));
    expect([a.message.seq, b.message.seq]).to.deep.equal([1, 2]);
    expect(b.conversations.map((c) => [c.conversation.owner, c.conversation.unreadNum, c.created])).to.deep.equal([['alice', 0, false], ['bob', 2, false]]);
    expect(store.commits.pendingWrites).to.equal(2);
    expect(count()).to.equal(0); // another connection sees nothing before the COMMIT
    expect(order).to.deep.equal(['nothing pending: at once']);
    await nextTick();
    expect(store.commits.isOpen).to.equal(false);
    expect(order).to.deep.equal(['nothing pending: at once', 'committed 2', 'committed 2']);
    reader.close();
    store.close();
  });

  it('commits before a plain transaction and before closing', () => {
    const file = path();
    const store = Store.open(file);
    store.sendC2C(msg('alice', 'bob'));
    expect(store.commits.isOpen).to.equal(true);
    store.transaction(() => store.advanceCursor('bob', 1));
    expect(store.commits.isOpen).to.equal(false);
    store.sendC2C(msg('bob', 'alice'));
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM messages').pluck().get()).to.equal(2);
    db.close();
  });

  it('runs the writes gathered over a tick once, just before the COMMIT', async () => {
    const store = Store.open(path());
    const order: string[] = [];
    store.commits.atCommit(() => order.push(`gathered (open: ${store.commits.isOpen})`));
    store.sendC2C(msg('alice', 'bob'));
    store.commits.whenCommitted(() => order.push('committed'), () => order.push('failed'));
    expect(order).to.deep.equal([]);
    await nextTick();
    expect(order).to.deep.equal(['gathered (open: true)', 'committed']);
    store.close();
  });

  it('undoes only the failed write of a tick; a failed COMMIT rolls back and reports to every waiting answer', async () => {
    const db = new Database(join(tmp.dir, `raw${++n}.db`));
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (x INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED, y INTEGER UNIQUE)');
    let rolledBack = 0;
    const commits = new GroupCommit(db, () => rolledBack++, (e) => { throw e; });
    const insert = db.transaction((x: number, y: number) => db.prepare('INSERT INTO c (x, y) VALUES (?, ?)').run(x, y));
    const results: string[] = [];
    db.exec('INSERT INTO p (id) VALUES (1)');
    commits.run(insert, 1, 1);
    expect(() => commits.run(insert, 1, 1)).to.throw(/UNIQUE/);
    commits.whenCommitted(() => results.push('ok'), (e) => results.push(e.message));
    await nextTick();
    expect(results).to.deep.equal(['ok']);
    expect(db.prepare('SELECT COUNT(*) FROM c').pluck().get()).to.equal(1);
    commits.run(insert, 2, 2); // no parent 2: the deferred foreign key fails the COMMIT
    commits.whenCommitted(() => results.push('ok'), (e) => results.push(e.message));
    await nextTick();
    expect(results[1]).to.match(/FOREIGN KEY/);
    expect(rolledBack).to.equal(1);
    expect(db.inTransaction).to.equal(false);
    expect(db.prepare('SELECT COUNT(*) FROM c').pluck().get()).to.equal(1);
    db.close();
  });

  it('writes each conversation row a tick moved once, at the COMMIT; a read of the store sees them before', async () => {
    const file = path();
    const store = Store.open(file);
    const reader = new Database(file, { readonly: true });
    const rows = (): unknown[] => reader.prepare('SELECT owner, unread_num, last_message_id FROM conversations ORDER BY owner').raw().all();
    store.sendC2C(msg('alice', 'bob'));
    await nextTick();
    expect(rows()).to.deep.equal([['alice', 0, 1], ['bob', 1, 1]]);
    const sends = [store.sendC2C(msg('alice', 'bob')), store.sendC2C(msg('bob', 'alice')), store.sendC2C(msg('alice', 'bob'))];
    expect(sends.map((s) => s.conversations.map((c) => [c.conversation.owner, c.conversation.unreadNum, c.created]))).to.deep.equal([
      [['alice', 0, false], ['bob', 2, false]],
      [['bob', 2, false], ['alice', 1, false]],
      [['alice', 1, false], ['bob', 3, false]],
    ]);
    expect(rows()).to.deep.equal([['alice', 0, 1], ['bob', 1, 1]]); // not written yet
    expect(store.conversations('bob').map((c) => [c.unreadNum, c.lastMessage?.id])).to.deep.equal([[3, 4]]);
    store.sendC2C(msg('alice', 'bob'));
    await nextTick();
    expect(rows()).to.deep.equal([['alice', 1, 5], ['bob', 4, 5]]);
    reader.close();
    store.close();
  });

  it('a send that fails midway is undone whole; the held rows and the other sends of the tick commit', async () => {
    const { store } = refusing(`AFTER INSERT ON conversations WHEN NEW.owner = 'nobody'`);
    store.sendC2C(msg('alice', 'bob'));
    expect(() => store.sendC2C(msg('alice', 'nobody'))).to.throw(/refused/); // alice's new row is inserted, then nobody's INSERT fails
    const last = store.sendC2C(msg('alice', 'bob'));
    expect(last.conversations.map((c) => [c.conversation.owner, c.conversation.unreadNum])).to.deep.equal([['alice', 0], ['bob', 2]]);
    await nextTick();
    expect(store.conversations('alice').map((c) => [c.convId, c.lastMessage?.id])).to.deep.equal([['bob', last.message.id]]);
    expect(store.conversations('nobody')).to.deep.equal([]);
    store.close();
  });

  it('a write gathered for the COMMIT that throws fails it: rolled back, reported to every waiting answer', async () => {
    const db = new Database(join(tmp.dir, `raw${++n}.db`));
    db.exec('CREATE TABLE c (x INTEGER)');
    let rolledBack = 0;
    const commits = new GroupCommit(db, () => rolledBack++, (e) => { throw e; });
    const results: string[] = [];
    commits.run(db.transaction(() => db.prepare('INSERT INTO c (x) VALUES (1)').run()));
    commits.atCommit(() => {
      throw new Error('disk full');
    });
    commits.whenCommitted(() => results.push('ok'), (e) => results.push(e.message));
    await nextTick();
    expect(results).to.deep.equal(['disk full']);
    expect(rolledBack).to.equal(1);
    expect(db.inTransaction).to.equal(false);
    expect(db.prepare('SELECT COUNT(*) FROM c').pluck().get()).to.equal(0);
    db.close();
  });

  it('a send whose message INSERT is its only statement (no savepoint) undoes itself alone when it fails', async () => {
    const { file, store } = refusing(`AFTER INSERT ON messages WHEN NEW.elems = '"boom"'`);
    store.sendC2C(msg('alice', 'bob'));
    expect(() => store.sendC2C({ ...msg('alice', 'bob'), elems: '"boom"' })).to.throw(/refused/);
    const last = store.sendC2C(msg('alice', 'bob'));
    expect([last.message.seq, last.conversations[1]!.conversation.unreadNum]).to.deep.equal([2, 2]);
    await nextTick();
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT seq FROM messages ORDER BY id').pluck().all()).to.deep.equal([1, 2]);
    expect(reader.prepare("SELECT unread_num, last_message_id FROM conversations WHERE owner = 'bob'").raw().get()).to.deep.equal([2, last.message.id]);
    reader.close();
    store.close();
  });
});
