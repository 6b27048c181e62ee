/**
 * Accounts (src/emulator/accounts.ts, docs/emulator.md "Accounts"): ids
 * imported at start (`accounts`, `--accounts`), and what an id that never
 * logged in and was not imported is: accepted by default, refused with
 * Tencent's codes under `unknownAccounts: 'refuse'` (`--unknown-accounts refuse`).
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runEmulatorCli, USAGE, type CliIo } from '../../src/emulator/cli.js';
import { EmulatorOptionsError, startEmulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { ErrorCode } from '../../src/emulator/errors.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { Harness, APP_ID, SECRET, makeSig, tempDir } from './helpers.js';
import { User, expectCode } from './groups-helpers.js';
import { MessageHarness, conversation, convCall, getList, nextJson, okJson, send, text, textOf, type Json } from './message-helpers.js';
import { WireClient } from './wire-client.js';

/** TIMMsgBatchSend to `ids`: [id, code] per recipient. */
async function batch(c: WireClient, ids: string[], body: string): Promise<[unknown, unknown][]> {
  const param = { msg_batch_send_param_identifier_array: ids, msg_batch_send_param_msg: text(body) };
  const r = okJson<Json[]>(await c.call(FunctionId.MsgBatchSend, [arg.str(JSON.stringify(param))]));
  return r.map((x) => [x['msg_batch_send_result_identifier'], x['msg_batch_send_result_code']]);
}

/** Sends `body` to `to` and returns the reply's code and desc. */
async function sendTo(c: WireClient, to: string, body: string): Promise<{ code: number; desc: string }> {
  const r = await convCall(c, FunctionId.MsgSendNewMsg, to, text(body));
  return { code: r.code, desc: r.desc };
}

describe('emulator accounts: unknown ones accepted by default', function () {
  this.timeout(20_000);
  let h: MessageHarness;
  afterEach(() => h?.close());

  it('stores a message to a user who never logged in and delivers it at that user\'s first login', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    const sent = await send(alice, 'bob', 'hello');
    expect(textOf(sent)).to.equal('hello');
    expect(await conversation(alice, 'bob')).to.not.equal(undefined);
    const bob = await h.user('bob');
    const [received] = await nextJson(bob, EventId.RecvNewMsg);
    expect([received!['message_sender'], textOf(received!)]).to.deep.equal(['alice', 'hello']);
  });

  it('accepts such a user as a batch recipient and as a conversation peer (history [], create)', async () => {
    h = await new MessageHarness().start();
    const alice = await h.user('alice');
    expect(await batch(alice, ['carol', 'dave'], 'hi')).to.deep.equal([['carol', 0], ['dave', 0]]);
    expect(okJson(await getList(alice, 'erin', { msg_getmsglist_param_count: 5 }))).to.deep.equal([]);
    expect(okJson<Json>(await alice.call(FunctionId.ConvCreate, [arg.str('frank'), arg.i64(1)]))['conv_id']).to.equal('frank');
  });

  it('accepts such a user as an initial group member and as an invitee', async () => {
    const g = await new Harness().start();
    try {
      const alice = new User('alice', await g.loggedIn('alice'));
      const groupId = await alice.create('Private', { create_group_param_group_member_array: [{ group_member_info_identifier: 'ghost' }] });
      expect(okJson(await alice.invite(groupId, ['phantom']))).to.deep.equal([
        { group_invite_member_result_identifier: 'phantom', group_invite_member_result_result: 1 },
      ]);
      expect(await alice.memberIds(groupId)).to.have.members(['alice', 'ghost', 'phantom']);
    } finally {
      await g.close();
    }
  });
});

describe('emulator accounts: Tencent\'s rule (unknownAccounts: refuse) and accounts imported at start', function () {
  this.timeout(20_000);
  let h: MessageHarness;
  afterEach(() => h?.close());

  it('refuses a user id that never logged in and was not imported (20003, saying how to import); an imported one is a peer', async () => {
    h = await new MessageHarness({ unknownAccounts: 'refuse', accounts: ['bob'] }).start();
    const alice = await h.user('alice');
    expect((await sendTo(alice, 'bob', 'hello')).code).to.equal(0);
    const refused = await sendTo(alice, 'carol', 'hello');
    expect(refused.code).to.equal(ErrorCode.MSG_INVALID_ID);
    expect(refused.desc).to.match(/"carol" is not an account/).and.match(/--accounts/);
    expect(await batch(alice, ['bob', 'carol'], 'hi')).to.deep.equal([['bob', 0], ['carol', ErrorCode.MSG_INVALID_ID]]);
    expect((await getList(alice, 'carol', { msg_getmsglist_param_count: 5 })).code).to.equal(ErrorCode.MSG_INVALID_ID);
    const bob = await h.user('bob');
    expect(textOf((await nextJson(bob, EventId.RecvNewMsg))[0]!)).to.equal('hello');
  });

  it('refuses such a user as an initial group member (10019) and as an invitee (result 0); imported ones are members', async () => {
    const g = await new Harness({ unknownAccounts: 'refuse', accounts: ['bob', 'carol'] }).start();
    try {
      const alice = new User('alice', await g.loggedIn('alice'));
      const members = (ids: string[]): Json => ({ create_group_param_group_member_array: ids.map((id) => ({ group_member_info_identifier: id })) });
      expectCode(await alice.json(FunctionId.GroupCreate, { create_group_param_group_name: 'x', create_group_param_group_type: 1, ...members(['bob', 'ghost']) }), 10019);
      const groupId = await alice.create('Private', members(['bob']));
      expect(okJson(await alice.invite(groupId, ['carol', 'ghost']))).to.deep.equal([
        { group_invite_member_result_identifier: 'carol', group_invite_member_result_result: 1 },
        { group_invite_member_result_identifier: 'ghost', group_invite_member_result_result: 0 },
      ]);
    } finally {
      await g.close();
    }
  });

  it('imports idempotently: the same list again (with repeats) after a restart changes nothing; a logged-in account keeps its generation', async () => {
    h = await new MessageHarness({ unknownAccounts: 'refuse', accounts: ['alice', 'bob', 'bob'] }).start();
    const first = await h.user('alice');
    const generation = first.sessionGeneration!;
    await h.restart();
    const again = await h.user('alice');
    expect(again.sessionGeneration).to.equal(generation + 1n);
    expect((await sendTo(again, 'bob', 'still there')).code).to.equal(0);
  });

  it('refuses bad options before opening anything: ids as a login\'s user id (non-empty Unicode text), the mode by name', async () => {
    const tmp = tempDir();
    try {
      const dbPath = join(tmp.dir, 'never.db');
      const base: EmulatorOptions = { port: 0, dbPath, sdkAppId: APP_ID, secretKey: SECRET, logLevel: 'silent' };
      const cases: [Partial<EmulatorOptions>, RegExp][] = [
        [{ accounts: ['alice', ''] }, /^accounts\[1\] is empty$/],
        [{ accounts: ['\uD800x'] }, /^accounts\[0\] .*unpaired UTF-16 surrogate/],
        [{ accounts: [7 as unknown as string] }, /^accounts\[0\] must be a string, got number$/],
        [{ accounts: 'alice' as unknown as string[] }, /^accounts must be an array of user ids$/],
        [{ unknownAccounts: 'create' as EmulatorOptions['unknownAccounts'] }, /^unknownAccounts must be one of accept, refuse, got create$/],
      ];
      for (const [extra, message] of cases) {
        const started = startEmulator({ ...base, ...extra });
        await started.then((e) => e.close(), () => undefined);
        const error = await started.then(() => undefined, (e: unknown) => e);
        expect(error, JSON.stringify(extra)).to.be.instanceOf(EmulatorOptionsError);
        expect((error as Error).message).to.match(message);
      }
      expect(existsSync(dbPath)).to.equal(false);
    } finally {
      tmp.remove();
    }
  });
});

describe('emulator accounts: the tim-rx emulator flags', function () {
  this.timeout(20_000);
  const tmp = tempDir();
  after(() => tmp.remove());

  /** Runs the CLI with `flags`, logs alice in, hands her connection to `check`, then stops it with SIGTERM (exit 0). */
  async function serving(db: string, flags: string[], check: (alice: WireClient) => Promise<void>): Promise<void> {
    const out: string[] = [];
    const signals = new EventEmitter();
    const cliIo: CliIo = { out: (l) => out.push(l), err: () => undefined, signals: signals as unknown as CliIo['signals'] };
    const done = runEmulatorCli(['--port', '0', '--db', join(tmp.dir, db), '--sdkappid', String(APP_ID), '--secret', SECRET, '--log-level', 'silent', ...flags], cliIo);
    while (out.length === 0) {
      const early = await Promise.race([done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 10))]);
      if (early !== undefined) throw new Error(`the emulator exited with ${early}`);
    }
    const address = /listening on (\S+)$/.exec(out[0]!)![1]!;
    const alice = await WireClient.connect(address, { sdkAppId: APP_ID });
    try {
      expect((await alice.call(FunctionId.Login, [arg.str('alice'), arg.str(makeSig('alice'))])).code).to.equal(0);
      await check(alice);
    } finally {
      alice.close();
      signals.emit('SIGTERM', 'SIGTERM');
    }
    expect(await done).to.equal(0);
  }

  it('accepts unknown users by default', async () => {
    await serving('default.db', [], async (alice) => {
      expect((await sendTo(alice, 'bob', 'hello')).code).to.equal(0);
    });
  });

  it('--accounts imports the ids, --unknown-accounts refuse turns on Tencent\'s rule', async () => {
    await serving('strict.db', ['--accounts', 'bob,carol', '--unknown-accounts', 'refuse'], async (alice) => {
      expect((await sendTo(alice, 'bob', 'hello')).code).to.equal(0);
      expect((await sendTo(alice, 'carol', 'hello')).code).to.equal(0);
      expect((await sendTo(alice, 'dave', 'hello')).code).to.equal(ErrorCode.MSG_INVALID_ID);
    });
  });

  it('exits 2 naming the flag for an empty id or an unknown mode; --help lists both flags', async () => {
    const cases: [string[], RegExp][] = [
      [['--accounts', 'alice,,bob'], /--accounts: id 2 is empty \(ids are separated by commas/],
      [['--accounts', ''], /--accounts: id 1 is empty/],
      [['--unknown-accounts', 'create'], /--unknown-accounts must be one of accept, refuse, got "create"/],
    ];
    for (const [flags, message] of cases) {
      const err: string[] = [];
      const cliIo: CliIo = { out: () => undefined, err: (l) => err.push(l), signals: new EventEmitter() as unknown as CliIo['signals'] };
      expect(await runEmulatorCli(['--sdkappid', '1', '--secret', 'k', '--port', '0', '--db', join(tmp.dir, 'bad.db'), ...flags], cliIo)).to.equal(2);
      expect(err[0]).to.match(/^tim-rx emulator: error: /).and.match(message);
    }
    expect(existsSync(join(tmp.dir, 'bad.db'))).to.equal(false);
    expect(USAGE).to.match(/--accounts ID,ID/).and.match(/--unknown-accounts M\s+accept \| refuse/);
  });
});
