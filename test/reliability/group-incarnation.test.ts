/**
 * Reliability (issue 12, item 7): a group id created again is a new group.
 * Both ways an id comes free — a Private group emptied by its last members,
 * a Public group dissolved by its owner — are re-created by an unrelated
 * user, who must learn nothing of the old life through any wire function
 * (history, anchors, find by locator, conversation, seq counts, pendencies,
 * revoke); and the old life's members must learn nothing of the new one
 * (no EVENT 1, no EVENT 6, no history, no conversation change) unless they
 * join it, and then see that life only. Raw wire clients on loopback; the
 * old life holds `scaled(20, 400)` messages.
 */
import { expect } from 'chai';
import { harnessEachTest } from '../emulator/helpers.js';
import { okJson, settle, users, type Json, type User } from '../emulator/groups-helpers.js';
import { history, newLifeLeaks, oldLifeLeaks } from '../emulator/group-lives-probe.js';
import { scaled } from './scale.js';

const OLD_MESSAGES = scaled(20, 400);
const ADD_AUTH = 1;
const ADD_ANY = 2;

/** `count` messages, the speakers taking turns; returns the replies (the messages as sent). */
async function chat(g: string, speakers: readonly User[], count: number, label: string): Promise<Json[]> {
  const sent: Json[] = [];
  for (let i = 0; i < count; i++) sent.push(okJson(await speakers[i % speakers.length]!.send(g, `${label} ${i}`)) as Json);
  return sent;
}

const ids = (ms: readonly Json[]): string[] => ms.map((m) => m['message_msg_id'] as string);

/** What `u`, having joined the new life, sees of the old one (`old`), and whether it sees the new one (`fresh`). */
async function joinerLeaks(u: User, g: string, old: readonly Json[], fresh: readonly Json[]): Promise<string[]> {
  const seen = await history(u, g);
  if (seen.code !== 0) return [`TIMMsgGetMsgList refused (${seen.code})`];
  const oldIds = new Set(ids(old));
  const leaks: string[] = [];
  const shown = ids(seen.messages).filter((id) => oldIds.has(id)).length;
  if (shown > 0) leaks.push(`TIMMsgGetMsgList shows ${shown} old message(s)`);
  const missing = ids(fresh).filter((id) => !ids(seen.messages).includes(id)).length;
  if (missing > 0) leaks.push(`TIMMsgGetMsgList misses ${missing} message(s) of the new life`);
  return leaks;
}

describe('reliability: group incarnations (a re-created id is a new group)', function () {
  this.timeout(scaled(60_000, 600_000));
  const harness = harnessEachTest();

  it('an emptied Private group re-created by an unrelated user: nothing of the old life leaks either way', async () => {
    const h = harness();
    const [alice, bob, mallory] = await users(h, 'alice', 'bob', 'mallory');
    const g = 'private-team';
    await alice.create('Private', { create_group_param_group_id: g, create_group_param_group_member_array: [{ group_member_info_identifier: 'bob' }] });
    await chat(g, [alice, bob], OLD_MESSAGES, 'secret');
    const old = (await history(alice, g)).messages;
    expect(old.length).to.be.greaterThanOrEqual(OLD_MESSAGES);
    okJson(await bob.quit(g));
    okJson(await alice.quit(g)); // the last member: the group is gone and its id free

    await settle();
    const [aliceBefore, bobBefore] = [alice.c.allEvents.length, bob.c.allEvents.length];
    await mallory.create('Private', { create_group_param_group_id: g });
    const leaks: Record<string, string[]> = { 'new owner, before any message': await oldLifeLeaks(mallory, g, old, 0) };
    const fresh = await chat(g, [mallory], 3, 'new life');
    leaks['new owner, after 3 messages'] = await oldLifeLeaks(mallory, g, old, fresh.length);
    await settle();
    leaks['alice, former member'] = await newLifeLeaks(alice, g, fresh, aliceBefore);
    leaks['bob, former member'] = await newLifeLeaks(bob, g, fresh, bobBefore);
    // Pulled into the new life, bob sees that life only.
    okJson(await mallory.invite(g, ['bob']));
    leaks['bob, pulled into the new life'] = await joinerLeaks(bob, g, old, fresh);
    expect(leaks).to.deep.equal(Object.fromEntries(Object.keys(leaks).map((k) => [k, []])));
  });

  it('a dissolved Public group re-created by an unrelated user: nothing of the old life leaks either way, pendencies included', async () => {
    const h = harness();
    const [olga, bob, kenny, peter, mallory] = await users(h, 'olga', 'bob', 'kenny', 'peter', 'mallory');
    const g = 'public-square';
    await olga.create('Public', {
      create_group_param_group_id: g, create_group_param_add_option: ADD_AUTH,
      create_group_param_group_member_array: [{ group_member_info_identifier: 'bob' }, { group_member_info_identifier: 'kenny' }],
    });
    okJson(await peter.join(g, 'let me in')); // a join request waiting for olga: a pendency of the old life
    await chat(g, [olga, bob, kenny], Math.ceil(OLD_MESSAGES / 2), 'before the kick');
    okJson(await olga.kick(g, ['kenny']));
    await chat(g, [olga, bob], Math.floor(OLD_MESSAGES / 2), 'after the kick');
    const old = (await history(olga, g)).messages;
    okJson(await olga.dissolve(g));

    await settle();
    const before = new Map([olga, bob, kenny].map((u) => [u, u.c.allEvents.length]));
    await mallory.create('Public', { create_group_param_group_id: g, create_group_param_add_option: ADD_ANY });
    const leaks: Record<string, string[]> = { 'new owner, before any message': await oldLifeLeaks(mallory, g, old, 0) };
    const fresh = await chat(g, [mallory], 3, 'new life');
    leaks['new owner, after 3 messages'] = await oldLifeLeaks(mallory, g, old, fresh.length);
    await settle();
    for (const [u, n] of before) leaks[`${u.id}, former member`] = await newLifeLeaks(u, g, fresh, n);
    // kenny, kicked from the old life, joins the new one: he sees neither what he missed nor what he had.
    okJson(await kenny.join(g));
    leaks['kenny, joined the new life'] = await joinerLeaks(kenny, g, old, fresh);
    expect(leaks).to.deep.equal(Object.fromEntries(Object.keys(leaks).map((k) => [k, []])));
  });
});
