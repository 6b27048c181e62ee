/**
 * Database integrity at start (docs/emulator.md, "Database integrity"): an
 * existing file is checked before it is served; a damaged, foreign or
 * non-SQLite file is refused with a typed DatabaseOpenError naming it, and
 * left as it was; a 0-byte file becomes a new database with a warning line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DatabaseOpenError, startEmulator, type DatabaseOpenErrorKind } from '../../src/emulator/index.js';
import { Store } from '../../src/emulator/storage/store.js';
import { corruptPages, emptyFile, foreignDatabase, textFile, truncateHalf } from '../support/damage.js';
import { APP_ID, SECRET, tempDir } from './helpers.js';

describe('emulator database integrity at start', () => {
  const tmp = tempDir();
  after(() => tmp.remove());
  let n = 0;

  /** A closed emulator database with `messages` C2C messages in it. */
  function withHistory(messages = 2000): string {
    const path = join(tmp.dir, `h${++n}.db`);
    const store = Store.open(path);
    store.ensureAccount('a', 1);
    store.ensureAccount('b', 1);
    store.transaction(() => {
      for (let i = 0; i < messages; i++) {
        store.sendC2C({
          convType: 1, sender: i % 2 ? 'a' : 'b', receiver: i % 2 ? 'b' : 'a', rand: i, serverTime: 1, clientTime: 1, priority: 1, isOnline: false,
          elems: JSON.stringify([{ elem_type: 0, text_elem_content: `message ${i} ${'x'.repeat(200)}` }]),
        });
      }
    });
    store.close();
    return path;
  }

  function refusal(path: string, check: 'quick' | 'full' = 'quick'): DatabaseOpenError {
    try {
      Store.open(path, undefined, { check }).close();
    } catch (e) {
      expect(e).to.be.instanceOf(DatabaseOpenError);
      return e as DatabaseOpenError;
    }
    throw new Error(`${path} was opened`);
  }

  const cases: Array<[string, (p: string) => void, DatabaseOpenErrorKind, RegExp]> = [
    ['pages overwritten in the middle', corruptPages, 'damaged', /the database is damaged \((quick_check|integrity_check): .+\)/],
    ['a truncated file', truncateHalf, 'damaged', /the database is damaged \((quick_check|integrity_check): .+\)/],
    ['a text file', textFile, 'not-a-database', /file is not a database \(not an SQLite file\)/],
    ["another application's SQLite database", (p) => { emptyFile(p); foreignDatabase(p); }, 'not-a-database', /not a tim-rx emulator database/],
  ];
  for (const [what, damage, kind, reason] of cases) {
    it(`refuses ${what} (kind ${kind}), with one line naming the file, and leaves the file as it was`, () => {
      const path = withHistory();
      damage(path);
      const before = readFileSync(path);
      for (const check of ['quick', 'full'] as const) {
        const e = refusal(path, check);
        expect(e.kind, e.message).to.equal(kind);
        expect(e.path).to.equal(path);
        expect(e.message.startsWith(`cannot open database ${JSON.stringify(path)}: `), e.message).to.equal(true);
        expect(e.message).to.match(reason).and.not.contain('\n');
      }
      expect(readFileSync(path).equals(before), 'nothing written').to.equal(true);
    });
  }

  it('passes an intact database with history under both checks', () => {
    const path = withHistory();
    for (const check of ['quick', 'full'] as const) Store.open(path, undefined, { check }).close();
  });

  it('starts a new database in a 0-byte file, with a warning line naming it', async () => {
    const path = join(tmp.dir, 'empty.db');
    emptyFile(path);
    const lines: string[] = [];
    const emulator = await startEmulator({
      port: 0, dbPath: path, sdkAppId: APP_ID, secretKey: SECRET, logLevel: 'warn', logSink: (level, m) => lines.push(`${level}: ${m}`),
    });
    await emulator.close();
    expect(lines).to.deep.equal([`warn: database ${JSON.stringify(path)} is an empty file (0 bytes): starting a new database in it`]);
    Store.open(path).close(); // a database now, opened without a warning
  });

  it('startEmulator rejects with the typed error (exported, with its kind)', async () => {
    const path = withHistory();
    corruptPages(path);
    const e = await startEmulator({ port: 0, dbPath: path, sdkAppId: APP_ID, secretKey: SECRET, logLevel: 'silent' }).then(() => undefined, (x: unknown) => x);
    expect(e).to.be.instanceOf(DatabaseOpenError);
    expect((e as DatabaseOpenError).kind).to.equal('damaged');
  });
});
