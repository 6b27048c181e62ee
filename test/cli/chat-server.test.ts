/**
 * The chat's local emulator on a damaged database: the chat says so in one
 * line naming the file (with the way out), and never retries it in a loop.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LocalServer, startFailureLine } from '../../src/cli/chat/server.js';
import { DatabaseOpenError } from '../../src/emulator/index.js';
import { Store } from '../../src/emulator/storage/store.js';
import { corruptPages } from '../support/damage.js';
import { SDK_APP_ID, SECRET } from '../support/usersig.js';

describe('chat: a damaged chat database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tim-rx-chat-db-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused once with a clear line naming it; later restarts (after a disconnect) do not reopen it', async () => {
    const good = join(dir, 'good.db');
    const store = Store.open(good);
    store.ensureAccount('me', 1);
    store.transaction(() => {
      for (let i = 0; i < 400; i++) {
        store.sendC2C({ convType: 1, sender: 'me', receiver: 'me', rand: i, serverTime: 1, clientTime: 1, priority: 1, isOnline: false, elems: `["${'x'.repeat(300)}"]` });
      }
    });
    store.close();
    const db = join(dir, 'tim-rx', 'chat-0.db');
    mkdirSync(join(dir, 'tim-rx'));
    copyFileSync(good, db);
    corruptPages(db);

    const again = new LocalServer({ port: 0, dbPath: db, sdkAppId: SDK_APP_ID, secretKey: SECRET, log: () => undefined });
    const e = await again.ensure().then(() => undefined, (x: unknown) => x);
    expect(e).to.be.instanceOf(DatabaseOpenError);
    expect((e as DatabaseOpenError).kind).to.equal('damaged');
    const line = startFailureLine(e, 0, db);
    expect(line).to.not.contain('\n');
    expect(line).to.match(/^tim-rx chat: error: cannot start the emulator on 127\.0\.0\.1:0 \(database .*chat-0\.db\): cannot open database ".*chat-0\.db": the database is damaged/);
    expect(line).to.contain('--db FILE');
    await again.ensure(); // reported already: nothing reopened, nothing thrown
    expect(again.hosted).to.equal(false);
    await again.close();
  });
});
