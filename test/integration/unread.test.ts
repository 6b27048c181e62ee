import { expect } from 'chai';
import { filter, firstValueFrom, lastValueFrom, timeout } from 'rxjs';
import type { Conversation, ConversationListState, Message, TimClient } from '../../src/index.js';
import type { Peer } from '../support/peer.js';
import { Recorder } from '../support/record.js';
import { twoUsers, type TwoUsers } from '../support/two-users.js';

const text = (m: Message | undefined) => m?.elements.map((e) => (e.type === 'text' ? e.text : `[${e.type}]`)).join('');
const ids = (list: Iterable<Conversation>) => [...list].map((c) => c.key.id);

/** Resolves once the wall clock has passed `second` (conversation activity is kept in whole seconds). */
async function afterSecond(second: number): Promise<void> {
  while (Math.floor(Date.now() / 1000) <= second) await new Promise((r) => setTimeout(r, 25));
}

describe('tim.state through koffi → libtimlocal → emulator: unread and order', function () {
  this.timeout(60_000);
  let users: TwoUsers;
  let a: TimClient;
  let b: Peer;
  let totals: Recorder<number>;
  let lists: Recorder<ConversationListState>;

  before(async () => {
    // "aaron" exists on the server (a receiver must have logged in once); B then becomes "bob".
    users = await twoUsers({
      db: 'unread.db', b: { register: ['aaron'] },
      beforeLogin: (client) => {
        totals = new Recorder(client.state.totalUnread$);
        lists = new Recorder(client.state.conversations$);
      },
    });
    ({ a, b } = users);
  });

  after(() => users.dispose());

  it('B sends A three messages: A\'s totalUnread$ goes 0→1→2→3, and conversations$ puts the most recent conversation first', async () => {
    expect(a.state.connection).to.deep.equal({ status: 'connected', userId: 'alice' });
    // An older conversation whose key sorts before bob's: only activity can put bob first.
    await firstValueFrom(a.messages.send({ type: 'c2c', id: 'aaron' }, 'hello aaron'));
    const aaron = await firstValueFrom(a.state.conversation$({ type: 'c2c', id: 'aaron' }).pipe(
      filter((c): c is Conversation => c !== undefined),
      timeout(10_000),
    ));
    await afterSecond(Number(aaron.activeTime));

    for (const word of ['one', 'two', 'three']) await b.call('send', { type: 'c2c', id: 'alice' }, word);
    await firstValueFrom(a.state.totalUnread$.pipe(filter((n) => n === 3), timeout(10_000)));

    expect(totals.values).to.deep.equal([0, 1, 2, 3]);
    expect(a.state.totalUnread).to.equal(3);
    expect(a.state.unread({ type: 'c2c', id: 'bob' })).to.equal(3);
    expect(ids(a.state.conversations)).to.deep.equal(['bob', 'aaron']);
    expect(text(a.state.conversations.at(0)?.lastMessage)).to.equal('three');
    // Every emission was a new, sorted list; the first one with bob already had him first.
    const withBob = lists.values.filter((l) => l.get({ type: 'c2c', id: 'bob' }) !== undefined);
    expect(withBob.every((l) => l.at(0)?.key.id === 'bob')).to.equal(true);
  });

  // A reports the conversation with bob read (TIMMsgReportReaded): totalUnread$ returns to 0 and the order stays.
  it('A reports read: totalUnread$ returns to 0', async () => {
    await lastValueFrom(a.messages.reportRead({ type: 'c2c', id: 'bob' }), { defaultValue: undefined });
    await firstValueFrom(a.state.totalUnread$.pipe(filter((n) => n === 0), timeout(10_000)));
    expect(totals.values).to.deep.equal([0, 1, 2, 3, 0]);
    expect(a.state.unread({ type: 'c2c', id: 'bob' })).to.equal(0);
    expect(ids(a.state.conversations)).to.deep.equal(['bob', 'aaron']);
  });
});
