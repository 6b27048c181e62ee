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
});
