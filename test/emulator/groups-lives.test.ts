/**
 * Group lives (src/emulator/groups/schema.ts), over the wire: a group id
 * created again is a new group whose messages, seqs, conversation state and
 * delivery are its own; a member coming back to the same life keeps it; a
 * version 3 database is upgraded with each group, departure and conversation
 * given its life.
 */
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { parseJson } from '../../src/json/lossless.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { history, convRow, newLifeLeaks, oldLifeLeaks } from './group-lives-probe.js';
import { User, eventually, okJson, settle, users, type Json } from './groups-helpers.js';
import { harnessEachTest } from './helpers.js';
import { convCall } from './message-helpers.js';
import { strArg } from './wire-client.js';

const CONV_GROUP = 2;
const ADD_ANY = 2;

const texts = (ms: readonly Json[]): unknown[] =>
  ms.filter((m) => m['message_sender'] !== '@TIM#SYSTEM').map((m) => ((m['message_elem_array'] as Json[])[0] as Json)['text_elem_content']);
const lastText = (row: Json | undefined): unknown => {
  const m = row?.['conv_last_msg'] as Json | undefined;
  return m === undefined ? undefined : ((m['message_elem_array'] as Json[])[0] as Json)['text_elem_content'];
};
const convCreate = async (u: User, g: string): Promise<Json> => okJson(await u.c.call(FunctionId.ConvCreate, [arg.str(g), arg.i64(CONV_GROUP)])) as Json;

describe('emulator groups: lives of a group id', function () {
  this.timeout(30_000);
  const harness = harnessEachTest();

  it('a new life numbers its messages from 1, shows none of the old one, and empties its creator\'s old conversation (EVENT 6 Update)', async () => {
    const h = harness();
    const [alice, bob] = await users(h, 'alice', 'bob');
    await alice.create('Private', { create_group_param_group_id: 'team', create_group_param_group_member_array: [{ group_member_info_identifier: 'bob' }] });
    for (const t of ['one', 'two', 'three']) okJson(await bob.send('team', t));
    okJson(await bob.quit('team'));
    okJson(await alice.quit('team'));
    expect((await convRow(alice, 'team'))?.['conv_last_msg'], 'bob\'s quit tip').to.have.property('message_seq', 4);

    await settle();
    const before = alice.c.allEvents.length;
    await alice.create('Private', { create_group_param_group_id: 'team' });
    let emptied: Json | undefined;
    await eventually(() => {
      emptied = alice.c.allEvents.slice(before).filter((e) => e.eventId === EventId.ConvEvent)
        .flatMap((e) => parseJson(strArg(e.args[1])) as Json[]).find((c) => c['conv_id'] === 'team');
      expect(emptied).to.not.equal(undefined);
    });
    expect(emptied).to.include({ conv_unread_num: 0 });
    expect(emptied!['conv_last_msg']).to.equal(undefined);

    const sent = okJson(await alice.send('team', 'fresh')) as Json;
    expect(sent['message_seq']).to.equal(1);
    expect(texts((await history(alice, 'team')).messages)).to.deep.equal(['fresh']);
    expect(lastText(await convRow(alice, 'team'))).to.equal('fresh');
  });

  it('a member back in the same life keeps that whole life (the rule of every newcomer); one of an older life does not', async () => {
    const h = harness();
    const [o, m, x] = await users(h, 'o', 'm', 'x');
    await o.create('Public', { create_group_param_group_id: 'square', create_group_param_add_option: ADD_ANY });
    okJson(await m.join('square'));
    okJson(await m.send('square', 'a'));
    okJson(await m.quit('square'));
    okJson(await o.send('square', 'b'));
    okJson(await m.join('square'));
    expect(texts((await history(m, 'square')).messages)).to.deep.equal(['b', 'a']);

    okJson(await o.dissolve('square'));
    await x.create('Public', { create_group_param_group_id: 'square', create_group_param_add_option: ADD_ANY });
    okJson(await x.send('square', 'c'));
    okJson(await m.join('square'));
    expect(texts((await history(m, 'square')).messages)).to.deep.equal(['c']);
  });

  it('a former member keeps its copy of the old life while the id lives again, and hears nothing of the new one', async () => {
    const h = harness();
    const [o, f, x] = await users(h, 'o', 'f', 'x');
    await o.create('Public', { create_group_param_group_id: 'club', create_group_param_group_member_array: [{ group_member_info_identifier: 'f' }] });
    okJson(await o.send('club', 'old news'));
    await eventually(() => expect(f.received().length).to.be.greaterThan(0));
    okJson(await o.dissolve('club'));
    await settle();
    const before = f.c.allEvents.length;
    await x.create('Public', { create_group_param_group_id: 'club' });
    const fresh = [okJson(await x.send('club', 'new news')) as Json];
    okJson(await convCall(x.c, FunctionId.MsgRevoke, 'club', fresh[0], CONV_GROUP));
    await settle();
    expect(await newLifeLeaks(f, 'club', fresh, before)).to.deep.equal([]);
    expect(lastText(await convCreate(f, 'club'))).to.equal('old news');
    expect((await convCall(f.c, FunctionId.MsgReportReaded, 'club', null, CONV_GROUP)).code).to.equal(0);
    expect(await convRow(f, 'club')).to.include({ conv_unread_num: 0 });
    expect(f.c.allEvents.slice(before).filter((e) => e.eventId === EventId.MsgRevoke)).to.deep.equal([]);
  });

  it('old-life messages kept for a member are not sent after it joins a new life of the id', async () => {
    const h = harness();
    const [o, x] = await users(h, 'o', 'x');
    const m1 = new User('m', await h.loggedIn('m', { ack: false }));
    await o.create('Public', { create_group_param_group_id: 'hall', create_group_param_add_option: ADD_ANY });
    okJson(await m1.join('hall'));
    okJson(await o.send('hall', 'unacknowledged'));
    await eventually(() => expect(texts(m1.received())).to.include('unacknowledged'));
    okJson(await o.dissolve('hall'));
    await x.create('Public', { create_group_param_group_id: 'hall', create_group_param_add_option: ADD_ANY });
    okJson(await m1.join('hall'));
    okJson(await x.send('hall', 'new life'));
    await eventually(() => expect(texts(m1.received())).to.include('new life'));

    const again = new User('m', await h.loggedIn('m'));
    await eventually(() => expect(texts(again.received())).to.include('new life'));
    await settle();
    expect(texts(again.received())).to.not.include('unacknowledged');
    expect(again.reports().map((r) => r['group_report_elem_report_type']), 'reports stay: they are not the group\'s').to.include(5);
  });

  it('upgrades a version 3 database: each group, departure and group conversation gets its life; the data stays', async () => {
    const h = harness();
    const [olga, bob, kenny, mallory, alice] = await users(h, 'olga', 'bob', 'kenny', 'mallory', 'alice');
    await alice.create('Private', { create_group_param_group_id: 'stay', create_group_param_group_member_array: [{ group_member_info_identifier: 'bob' }] });
    for (const t of ['s1', 's2']) okJson(await bob.send('stay', t));
    await olga.create('Public', {
      create_group_param_group_id: 'pub',
      create_group_param_group_member_array: [{ group_member_info_identifier: 'bob' }, { group_member_info_identifier: 'kenny' }],
    });
    okJson(await kenny.send('pub', 'k1'));
    okJson(await olga.kick('pub', ['kenny']));
    okJson(await bob.send('pub', 'b1'));
    const old = (await history(olga, 'pub')).messages;
    okJson(await olga.dissolve('pub'));
    await mallory.create('Public', { create_group_param_group_id: 'pub' });
    await h.emulator.close();

    // Version 3: no lives; bob's departure missing (a database older than group_departures); mallory's conversation
    // shows an old message, as TIMConvCreate made it there.
    const raw = new Database(h.dbPath);
    raw.exec(`ALTER TABLE groups DROP COLUMN life; ALTER TABLE group_departures DROP COLUMN life;
              DELETE FROM group_departures WHERE user_id = 'bob' AND group_id = 'pub';`);
    const oldId = raw.prepare("SELECT MAX(id) FROM messages WHERE receiver = 'pub'").pluck().get() as number;
    raw.prepare(`INSERT INTO conversations (owner, conv_type, conv_id, unread_num, active_time, last_message_id)
                 VALUES ('mallory', 2, 'pub', 2, 1, ?)`).run(oldId);
    raw.pragma('user_version = 3');
    raw.close();

    await h.start();
    const [olga2, bob2, kenny2, mallory2, alice2] = await users(h, 'olga', 'bob', 'kenny', 'mallory', 'alice');
    const check = new Database(h.dbPath, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).to.equal(4);
    check.close();
    expect(texts((await history(alice2, 'stay')).messages), 'a group of one life keeps its history').to.deep.equal(['s2', 's1']);
    expect(await convRow(mallory2, 'pub')).to.include({ conv_unread_num: 0 });
    expect((await convRow(mallory2, 'pub'))?.['conv_last_msg']).to.equal(undefined);
    expect(await oldLifeLeaks(mallory2, 'pub', old, 0)).to.deep.equal([]);
    expect(lastText(await convRow(olga2, 'pub')), 'former members keep their copy').to.equal('b1');
    expect(lastText(await convRow(bob2, 'pub'))).to.equal('b1');
    expect(lastText(await convRow(kenny2, 'pub')), 'up to their departure').to.equal('k1');
    const fresh = [okJson(await mallory2.send('pub', 'new life')) as Json];
    await settle();
    for (const u of [olga2, bob2, kenny2]) expect(await newLifeLeaks(u, 'pub', fresh, 0), u.id).to.deep.equal([]);
    okJson(await bob2.join('pub'));
    expect(texts((await history(bob2, 'pub')).messages)).to.deep.equal(['new life']);
  });
});
