/**
 * History functions through koffi → libtimlocal → emulator: get list (paging
 * both ways), find by locators, delete, import and save; user A in this
 * process, user B in a child process.
 */
import { expect } from 'chai';
import { lastValueFrom } from 'rxjs';
import { isTimError, locatorOf, sentMessage, type Message, type TimClient } from '../../src/index.js';
import type { Peer } from '../support/peer.js';
import { twoUsers, type TwoUsers } from '../support/two-users.js';

const BOB = { type: 'c2c', id: 'bob' } as const;
const ALICE = { type: 'c2c', id: 'alice' } as const;
const textOf = (m: Message) => (m.elements[0] as { text?: string }).text;
const texts = (ms: readonly Message[]) => ms.map(textOf);

describe('message history through koffi → libtimlocal → emulator', function () {
  this.timeout(60_000);
  let users: TwoUsers;
  let a: TimClient;
  let b: Peer;
  const sent: Message[] = [];

  before(async () => {
    users = await twoUsers({ db: 'history.db' });
    ({ a, b } = users);
    for (let i = 1; i <= 7; i++) {
      if (i % 3 === 0) sent.push(await b.call<Message>('send', ALICE, `h${i}`));
      else sent.push(await lastValueFrom(a.messages.send(BOB, `h${i}`).pipe(sentMessage())));
    }
  });

  after(() => users.dispose());

  it('pages backward from the newest until the end, and forward from a message; [] past the end', async () => {
    const pages: string[][] = [];
    let from: Message | undefined;
    for (;;) {
      const page: readonly Message[] = await lastValueFrom(a.messages.getList(BOB, from ? { count: 3, from } : { count: 3 }));
      if (page.length === 0) break;
      pages.push(texts(page) as string[]);
      from = page.at(-1);
    }
    expect(pages).to.deep.equal([['h7', 'h6', 'h5'], ['h4', 'h3', 'h2'], ['h1']]);
    const newer = await lastValueFrom(a.messages.getList(BOB, { from: sent[3]!, count: 2, direction: 'newer' }));
    expect(texts(newer)).to.deep.equal(['h5', 'h6']);
    expect(await lastValueFrom(a.messages.getList(BOB, { from: sent[6]!, count: 2, direction: 'newer' }))).to.deep.equal([]);
    // B sees the same history from its side.
    const atB = (await b.call<Message[][]>('messages', 'getList', ALICE, { count: 2 }))[0]!;
    expect(atB.map((m) => [textOf(m), m.isFromSelf])).to.deep.equal([['h7', false], ['h6', true]]);
  });

  it('finds messages by locator', async () => {
    // h3 as A received it (a locator says whether the message is the caller's own).
    const h3 = (await lastValueFrom(a.messages.getList(BOB, { count: 10 }))).find((m) => textOf(m) === 'h3')!;
    const found = await lastValueFrom(a.messages.findByLocators(BOB, [locatorOf(sent[4]!), locatorOf(h3), locatorOf(sent[2]!)]));
    expect(texts(found)).to.deep.equal(['h5', 'h3']);
    expect(found[1]).to.deep.include({ sender: 'bob', isFromSelf: false, seq: sent[2]!.seq });
  });

  it('deletes one message for A only, then all of them; A\'s conversation follows', async () => {
    await lastValueFrom(a.messages.delete(BOB, sent[6]!), { defaultValue: undefined });
    expect(texts(await lastValueFrom(a.messages.getList(BOB, { count: 2 })))).to.deep.equal(['h6', 'h5']);
    const conv = (await lastValueFrom(a.conversations.list())).find((c) => c.key.id === 'bob');
    expect(conv?.lastMessage && textOf(conv.lastMessage)).to.equal('h6');
    expect((await b.call<Message[][]>('messages', 'getList', ALICE, { count: 1 }))[0]!.map(textOf)).to.deep.equal(['h7']);
    const again = await lastValueFrom(a.messages.delete(BOB, sent[6]!)).catch((e: unknown) => e);
    expect(isTimError(again, 6017), String(again)).to.equal(true);
    await lastValueFrom(a.messages.delete(BOB), { defaultValue: undefined });
    expect(await lastValueFrom(a.messages.getList(BOB, { count: 10 }))).to.deep.equal([]);
  });

  it('imports and saves messages that only A sees', async () => {
    await lastValueFrom(a.messages.import(BOB, [
      { elements: [{ type: 'text', text: 'imported from bob' }], sender: 'bob', serverTime: 1_600_000_000, clientTime: 1_600_000_000 },
      { elements: [{ type: 'text', text: 'imported mine' }], serverTime: 1_600_000_001 },
    ]), { defaultValue: undefined });
    const saved = await lastValueFrom(a.messages.save(BOB, { elements: [{ type: 'custom', data: 'local note' }] }));
    expect(saved).to.deep.include({ status: 'imported', sender: 'alice', conversation: BOB });
    const history = await lastValueFrom(a.messages.getList(BOB, { count: 10, direction: 'newer' }));
    expect(history.map((m) => [m.elements[0]!.type, m.sender, m.status])).to.deep.equal([
      ['text', 'bob', 'imported'], ['text', 'alice', 'imported'], ['custom', 'alice', 'imported'],
    ]);
    expect((await b.call<Message[][]>('messages', 'getList', ALICE, { count: 10 }))[0]!).to.have.length(7);
  });
});
