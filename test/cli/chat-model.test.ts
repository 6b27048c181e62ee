import { expect } from 'chai';
import {
  handleKey, initialModel, shownConversations, timelineOf, withMessages, withRevokedLocator, withSendFailed, type ChatModel, type Effect, type Key,
} from '../../src/cli/chat/model.js';
import { lastOwnMessage, markRevoked, mergeMessages, messageText } from '../../src/cli/chat/timeline.js';
import { conversation, textMessage } from '../../src/testing/index.js';

const bob = { type: 'c2c', id: 'bob' } as const;
const carol = { type: 'c2c', id: 'carol' } as const;
const team = { type: 'group', id: 'team' } as const;

const type = (text: string): Key[] => [...text].map((ch) => ({ name: ch === ' ' ? 'space' : ch.toLowerCase(), text: ch }));

/** Feeds keys; returns the final model and every effect, in order. */
function press(model: ChatModel, keys: readonly Key[], shown = [bob, carol, team]): { model: ChatModel; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const key of keys) {
    const step = handleKey(model, key, shown);
    model = step.model;
    effects.push(...step.effects);
  }
  return { model, effects };
}

describe('chat model (pure: keys → model and effects)', () => {
  it('starts composing in the peer conversation', () => {
    const m = initialModel('alice', bob);
    expect(m).to.include({ me: 'alice', focus: 'compose', input: '' });
    expect(m.open).to.deep.equal(bob);
  });

  it('types, edits (Left, Backspace, Ctrl-W, Ctrl-U) and sends on Enter', () => {
    const r = press(initialModel('alice', bob), [
      ...type('helo world'), ...Array.from({ length: 7 }, () => ({ name: 'left' })), ...type('l'), { name: 'end' }, { name: 'return' },
    ]);
    expect(r.effects).to.deep.equal([{ kind: 'send', to: bob, text: 'hello world' }]);
    expect(r.model.input).to.equal('');
    const w = press(initialModel('alice', bob), [...type('one two'), { name: 'w', ctrl: true }]);
    expect(w.model.input).to.equal('one ');
    const u = press(initialModel('alice', bob), [...type('one two'), { name: 'u', ctrl: true }]);
    expect(u.model.input).to.equal('');
  });

  it('counts the cursor in code points (CJK, emoji)', () => {
    const r = press(initialModel('alice', bob), [...type('你好😀'), { name: 'backspace' }, { name: 'left' }, { name: 'backspace' }]);
    expect(r.model.input).to.equal('好');
    expect(r.model.cursor).to.equal(0);
  });

  it('ignores an empty line and control characters', () => {
    const r = press(initialModel('alice', bob), [{ name: 'tab', text: '\t' }, { name: 'escape' }, { name: 'tab' }, ...type('   '), { name: 'return' }]);
    expect(r.effects).to.deep.equal([{ kind: 'open', key: bob }]);
  });

  it('commands: /to, /group, /quit, /help, unknown, and // to send a leading slash', () => {
    const to = press(initialModel('alice', bob), [...type('/to carol'), { name: 'return' }]);
    expect(to.effects).to.deep.equal([{ kind: 'open', key: carol }]);
    expect(to.model.open).to.deep.equal(carol);
    expect(press(initialModel('alice', bob), [...type('/group team'), { name: 'return' }]).effects).to.deep.equal([{ kind: 'open', key: team }]);
    expect(press(initialModel('alice', bob), [...type('/quit'), { name: 'return' }]).effects).to.deep.equal([{ kind: 'quit' }]);
    const bad = press(initialModel('alice', bob), [...type('/nope'), { name: 'return' }]);
    expect(bad.effects).to.deep.equal([]);
    expect(bad.model.notice).to.include({ kind: 'error' });
    expect(bad.model.input).to.equal('/nope');
    expect(press(initialModel('alice', bob), [...type('//slash'), { name: 'return' }]).effects)
      .to.deep.equal([{ kind: 'send', to: bob, text: '/slash' }]);
  });

  it('an unknown command stays on the compose line to be corrected, and the notice says so and where the list is', () => {
    const bad = press(initialModel('alice', bob), [...type('/frobnicate now'), { name: 'return' }]);
    expect(bad.model).to.include({ input: '/frobnicate now', cursor: 15 });
    expect(bad.model.notice).to.deep.equal({ text: 'unknown command /frobnicate (kept above to correct; /help lists the commands)', kind: 'error' });
    const fixed = press(bad.model, [{ name: 'home' }, { name: 'delete' }, { name: 'return' }]);
    expect(fixed.effects).to.deep.equal([{ kind: 'send', to: bob, text: 'frobnicate now' }]);
    expect(fixed.model.notice).to.equal(undefined);
  });

  it('/help shows the command list in the pane until Enter or Esc; typing keeps it up', () => {
    const help = press(initialModel('alice', bob), [...type('/help'), { name: 'return' }]);
    expect(help.model).to.include({ help: true, input: '' });
    expect(help.model.notice).to.equal(undefined);
    expect(press(help.model, type('/to')).model.help).to.equal(true);
    expect(press(help.model, [{ name: 'return' }]).model.help).to.equal(false);
    expect(press(help.model, [{ name: 'escape' }]).model.help).to.equal(false);
    expect(press(help.model, [...type('/to carol'), { name: 'return' }]).model.help).to.equal(false);
  });

  it('a failed send puts the text back on the compose line, as typed, unless something new was typed or another chat is open', () => {
    const sent = press(initialModel('alice', bob), [...type('hello'), { name: 'return' }]);
    expect(sent.model.input).to.equal('');
    const failed = withSendFailed(sent.model, bob, 'hello', 'TIMMsgSendNewMsg failed: 20003');
    expect(failed).to.include({ input: 'hello', cursor: 5 });
    expect(failed.notice).to.deep.equal({ text: 'not sent: TIMMsgSendNewMsg failed: 20003', kind: 'error' });
    // Enter sends it again.
    expect(press(failed, [{ name: 'return' }]).effects).to.deep.equal([{ kind: 'send', to: bob, text: 'hello' }]);
    // "//" sent a leading "/": it comes back as typed, so Enter does not run a command.
    const slash = press(initialModel('alice', bob), [...type('//slash'), { name: 'return' }]);
    expect(withSendFailed(slash.model, bob, '/slash', 'x').input).to.equal('//slash');
    // Typed since, or another conversation open: the line is left alone and the notice quotes the text.
    const typedSince = withSendFailed(press(sent.model, type('next')).model, bob, 'hello', 'boom');
    expect(typedSince.input).to.equal('next');
    expect(typedSince.notice?.text).to.equal('not sent to bob: "hello": boom');
    const moved = withSendFailed(press(sent.model, [...type('/to carol'), { name: 'return' }]).model, bob, 'hello', 'boom');
    expect(moved.input).to.equal('');
    expect(moved.notice?.text).to.equal('not sent to bob: "hello": boom');
    // In the new-chat prompt the compose line is the draft: it gets the text, and Esc brings it back.
    const prompt = press(sent.model, [{ name: 'escape' }, { name: 'n' }]).model;
    const restored = withSendFailed(prompt, bob, 'hello', 'boom');
    expect(restored.input).to.equal('');
    expect(press(restored, [{ name: 'escape' }]).model.input).to.equal('hello');
  });

  it('/revoke takes back the newest own message that is not revoked yet', () => {
    const mine1 = textMessage('c2c:bob', 'first', { isFromSelf: true, sender: 'alice', serverTime: 10, seq: 1n });
    const theirs = textMessage('c2c:bob', 'reply', { sender: 'bob', serverTime: 11, seq: 2n });
    const mine2 = textMessage('c2c:bob', 'second', { isFromSelf: true, sender: 'alice', serverTime: 12, seq: 3n, status: 'revoked' });
    const model = withMessages(initialModel('alice', bob), bob, [mine2, theirs, mine1]);
    const r = press(model, [...type('/revoke'), { name: 'return' }]);
    expect(r.effects).to.deep.equal([{ kind: 'revoke', conversation: bob, message: mine1 }]);
    const none = press(initialModel('alice', bob), [...type('/revoke'), { name: 'return' }]);
    expect(none.effects).to.deep.equal([]);
    expect(none.model.notice?.text).to.match(/nothing of yours/);
  });

  it('Esc goes to the list; ↑↓ choose, Enter opens, q quits; Ctrl-C quits anywhere', () => {
    const list = press(initialModel('alice', carol), [{ name: 'escape' }]);
    expect(list.model.focus).to.equal('list');
    expect(list.model.selected).to.equal(1);
    const open = press(list.model, [{ name: 'down' }, { name: 'down' }, { name: 'down' }, { name: 'return' }]);
    expect(open.effects).to.deep.equal([{ kind: 'open', key: team }]);
    expect(open.model).to.include({ focus: 'compose' });
    expect(press(list.model, [{ name: 'q', text: 'q' }]).effects).to.deep.equal([{ kind: 'quit' }]);
    expect(press(initialModel('alice', bob), [...type('typing'), { name: 'c', ctrl: true }]).effects).to.deep.equal([{ kind: 'quit' }]);
  });

  it('treats Meta+key (Esc and a key typed fast) as Esc, then the key', () => {
    expect(press(initialModel('alice', bob), [{ name: 'q', text: undefined, meta: true }]).effects).to.deep.equal([{ kind: 'quit' }]);
  });

  it('n opens a new chat by user id and keeps the draft; Esc cancels', () => {
    const r = press(initialModel('alice', bob), [...type('draft'), { name: 'escape' }, { name: 'n', text: 'n' }, ...type('dave'), { name: 'return' }]);
    expect(r.effects).to.deep.equal([{ kind: 'open', key: { type: 'c2c', id: 'dave' } }]);
    expect(r.model).to.include({ focus: 'compose', input: 'draft' });
    const c = press(initialModel('alice', bob), [{ name: 'escape' }, { name: 'n', text: 'n' }, ...type('x'), { name: 'escape' }]);
    expect(c.model).to.include({ focus: 'list', input: '' });
  });

  it('PgUp / PgDn scroll the messages', () => {
    const r = press(initialModel('alice', bob), [{ name: 'pageup' }, { name: 'pageup' }, { name: 'pagedown' }]);
    expect(r.model.scroll).to.equal(5);
  });

  it('shows the open conversation first while tim.state does not list it', () => {
    const list = [conversation('c2c:carol'), conversation('group:team')];
    expect(shownConversations(list, bob)).to.deep.equal([bob, carol, team]);
    expect(shownConversations(list, carol)).to.deep.equal([carol, team]);
  });
});

describe('chat timeline (pure)', () => {
  const a = textMessage('c2c:bob', 'a', { sender: 'bob', serverTime: 5, seq: 1n, msgId: 'm1' });
  const b = textMessage('c2c:bob', 'b', { sender: 'alice', isFromSelf: true, serverTime: 6, seq: 2n, msgId: 'm2' });

  it('merges history pages, received and sent messages: one entry per message, oldest first', () => {
    const merged = mergeMessages(mergeMessages([], [b, a]), [{ ...a, isRead: true }]);
    expect(merged.map((m) => m.msgId)).to.deep.equal(['m1', 'm2']);
    expect(merged[0]!.isRead).to.equal(true);
    expect(mergeMessages(merged, [])).to.equal(merged);
  });

  it('keeps at most the limit, dropping the oldest', () => {
    const many = Array.from({ length: 10 }, (_, i) => textMessage('c2c:bob', `${i}`, { serverTime: i, seq: BigInt(i), msgId: `m${i}` }));
    expect(mergeMessages([], many, 3).map((m) => m.msgId)).to.deep.equal(['m7', 'm8', 'm9']);
  });

  it('shows revoked messages and element types in text', () => {
    expect(messageText(markRevoked([b], b, 'alice')[0]!)).to.equal('(you revoked a message)');
    expect(messageText({ ...a, status: 'revoked', revoker: 'bob' })).to.equal('(bob revoked a message)');
    expect(lastOwnMessage(markRevoked([a, b], b, 'alice'))).to.equal(undefined);
  });

  it('shows the message a revoke event locates as revoked, by unique id or by seq, rand and time', () => {
    const c = textMessage('c2c:bob', 'c', { sender: 'bob', serverTime: 7, seq: 3n, rand: 9n, msgId: 'm3' });
    const model = withMessages(initialModel('alice', bob), bob, [a, c]);
    const byFields = withRevokedLocator(model, { conversation: bob, isRevoked: true, time: 7, seq: 3n, rand: 9n, isSelf: false, revoker: 'bob' });
    expect(timelineOf(byFields, bob).map((m) => m.status)).to.deep.equal(['sent', 'revoked']);
    expect(messageText(timelineOf(byFields, bob)[1]!)).to.equal('(bob revoked a message)');
    const withUnique = withMessages(initialModel('alice', bob), bob, [{ ...a, uniqueId: 77n }]);
    const byUnique = withRevokedLocator(withUnique, { isRevoked: true, time: 0, seq: 0n, rand: 0n, isSelf: false, uniqueId: 77n });
    expect(timelineOf(byUnique, bob)[0]!.status).to.equal('revoked');
    expect(withRevokedLocator(model, { conversation: carol, isRevoked: true, time: 7, seq: 3n, rand: 9n, isSelf: false })).to.equal(model);
  });

  it('keeps timelines per conversation', () => {
    const m = withMessages(initialModel('alice', bob), bob, [a]);
    expect(timelineOf(m, bob)).to.have.length(1);
    expect(timelineOf(m, carol)).to.deep.equal([]);
  });
});
