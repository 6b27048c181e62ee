import { expect } from 'chai';
import { handleKey, initialModel, withMessages, withNotice, type ChatModel } from '../../src/cli/chat/model.js';
import { badge, connectionIndicator, lineText, renderChat, type ChatView, type Screen } from '../../src/cli/chat/view.js';
import { fit, textWidth, truncate, wrap } from '../../src/cli/chat/width.js';
import type { ConnectionState } from '../../src/streams/connection.js';
import { conversation, textMessage } from '../../src/testing/index.js';

const bob = { type: 'c2c', id: 'bob' } as const;
const unread: Record<string, number> = { 'c2c:bob': 0, 'c2c:carol': 3, 'group:team': 120 };
const conversations = [conversation('c2c:bob'), conversation('c2c:carol'), conversation('group:team', { showName: 'Team' })];

function view(model: ChatModel, connection: ConnectionState = { status: 'connected', userId: 'alice' }): ChatView {
  return {
    model, connection, conversations,
    unread: (k) => unread[`${k.type}:${k.id}`] ?? 0,
    totalUnread: 123,
    server: 'emulator 127.0.0.1:7171 (here)',
    formatTime: (s) => `t${String(s).padStart(4, '0')}`,
  };
}

const text = (screen: Screen): string[] => screen.lines.map(lineText);

const history = [
  textMessage('c2c:bob', 'hi alice', { sender: 'bob', serverTime: 1, seq: 1n, msgId: 'a' }),
  textMessage('c2c:bob', 'hello bob, this line is long enough that it has to wrap inside the message pane', {
    sender: 'alice', isFromSelf: true, serverTime: 2, seq: 2n, msgId: 'b',
  }),
  textMessage('c2c:bob', 'oops', { sender: 'bob', serverTime: 3, seq: 3n, msgId: 'c', status: 'revoked', revoker: 'bob' }),
];

describe('chat view (pure: state → lines)', () => {
  it('draws the whole 80×24 screen: header, list with badges, messages, input, keys', () => {
    const model = { ...withMessages(initialModel('alice', bob), bob, history), input: 'typing', cursor: 6 };
    const screen = renderChat(view(model), { cols: 80, rows: 24 });
    const lines = text(screen);
    for (const l of lines) expect(textWidth(l)).to.equal(80);
    expect(lines).to.deep.equal([
      ' tim-rx chat · alice                  ● online · emulator 127.0.0.1:7171 (here) ',
      ' Chats           99+│ bob                                                       ',
      '▸bob                │                                                           ',
      ' carol             3│                                                           ',
      ' #Team           99+│                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │                                                           ',
      '                    │t0001 bob: hi alice                                        ',
      '                    │t0002 alice: hello bob, this line is long enough that it   ',
      '                    │      has to wrap inside the message pane                  ',
      '                    │t0003 bob: (bob revoked a message)                         ',
      '────────────────────┴───────────────────────────────────────────────────────────',
      ' alice› typing                                                                  ',
      ' Enter send · Esc chats · PgUp/PgDn · /revoke · /to USER · /help · Ctrl-C quit  ',
    ]);
    expect(screen.cursor).to.deep.equal({ row: 22, col: 14 });
  });

  it('styles: badges bold yellow, own name cyan, revoked dim, selected row reversed in the list', () => {
    const model = withMessages(initialModel('alice', bob), bob, history);
    const compose = renderChat(view(model), { cols: 80, rows: 24 });
    expect(compose.lines[3]!.find((s) => s.text.trim() === '3')?.style).to.include({ bold: true, color: 'yellow' });
    expect(compose.lines[18]!.find((s) => s.text === 'alice:')?.style).to.include({ color: 'cyan' });
    expect(compose.lines[20]!.some((s) => s.text.includes('revoked') && s.style?.dim === true)).to.equal(true);
    const list = renderChat(view(handleKey(handleKey(model, { name: 'escape' }, [bob]).model, { name: 'down' }, [bob]).model), { cols: 80, rows: 24 });
    expect(list.lines[2]![0]!.style).to.include({ reverse: true });
    expect(list.cursor).to.equal(undefined);
    expect(lineText(list.lines[23]!)).to.match(/q quit/);
  });

  it('shows every connection state in the header', () => {
    const states: ConnectionState[] = [
      { status: 'logged-out' }, { status: 'logging-in', userId: 'alice' }, { status: 'connecting', userId: 'alice' },
      { status: 'connected', userId: 'alice' }, { status: 'disconnected', userId: 'alice', code: 9508, desc: 'lost' },
      { status: 'kicked', userId: 'alice' }, { status: 'user-sig-expired', userId: 'alice' },
    ];
    const headers = states.map((s) => lineText(renderChat(view(initialModel('alice', bob), s), { cols: 80, rows: 24 }).lines[0]!));
    expect(headers.map((h) => h.includes(connectionIndicator(states[headers.indexOf(h)]!).text))).to.deep.equal(states.map(() => true));
    expect(headers[4]).to.include('offline, retrying (9508)');
    expect(headers[5]).to.include('signed in elsewhere');
  });

  it('keeps the newest messages in view and scrolls back with PgUp', () => {
    const many = Array.from({ length: 40 }, (_, i) => textMessage('c2c:bob', `message ${i}`, { sender: 'bob', serverTime: i + 1, seq: BigInt(i + 1), msgId: `m${i}` }));
    const model = withMessages(initialModel('alice', bob), bob, many);
    const bottom = text(renderChat(view(model), { cols: 80, rows: 24 }));
    expect(bottom[20]).to.include('message 39');
    expect(bottom[2]).to.include('message 21');
    expect(bottom[1]).to.include('↑ PgUp for older');
    const up = text(renderChat(view({ ...model, scroll: 5 }), { cols: 80, rows: 24 }));
    expect(up[20]).to.include('message 34');
    expect(up[1]).to.include('↓ 5 newer lines');
    const top = text(renderChat(view({ ...model, scroll: 1000 }), { cols: 80, rows: 24 }));
    expect(top[2]).to.include('message 0');
  });

  it('keeps lines exactly as wide as the terminal with CJK and emoji, and strips control characters', () => {
    const model = withMessages(initialModel('alice', bob), bob, [
      textMessage('c2c:bob', '你好，世界！😀 '.repeat(8), { sender: 'bob', serverTime: 1, msgId: 'x' }),
      textMessage('c2c:bob', 'evil\x1b[2J\nline', { sender: 'bob', serverTime: 2, msgId: 'y' }),
    ]);
    const lines = text(renderChat(view(model), { cols: 80, rows: 24 }));
    for (const l of lines) expect(textWidth(l)).to.equal(80);
    expect(lines.join('\n')).to.not.include('\x1b');
    expect(lines.join('\n')).to.include('evil [2J line');
  });

  it('fits other sizes and says when the terminal is too small', () => {
    const model = withNotice(withMessages(initialModel('alice', bob), bob, history), 'send failed: 20003 unknown', 'error');
    for (const size of [{ cols: 120, rows: 40 }, { cols: 40, rows: 10 }]) {
      const lines = text(renderChat(view(model), size));
      expect(lines).to.have.length(size.rows);
      for (const l of lines) expect(textWidth(l)).to.equal(size.cols);
      expect(lines[size.rows - 1]).to.include('send failed');
    }
    expect(text(renderChat(view(model), { cols: 30, rows: 8 }))[0]).to.include('too small');
  });

  it('wraps a long error notice over up to three rows above the screen bottom, shrinking the panes, and cuts the rest with …', () => {
    const reason = 'TIMMsgSendNewMsg failed: 20003 receiver "bob" is unknown: the account was never logged in to this emulator';
    const model = withNotice(withMessages(initialModel('alice', bob), bob, history), `not sent: ${reason}`, 'error');
    const screen = renderChat(view(model), { cols: 80, rows: 24 });
    const lines = text(screen);
    expect(lines).to.have.length(24);
    for (const l of lines) expect(textWidth(l)).to.equal(80);
    expect(lines.slice(-2).join(' ').replace(/\s+/g, ' ').trim()).to.equal(`not sent: ${reason}`);
    expect(lines[21]).to.match(/^ alice› /);
    expect(screen.cursor).to.deep.equal({ row: 21, col: 8 });
    expect(lines[20]).to.match(/^─+┴─+$/);
    const long = text(renderChat(view(withNotice(model, 'word '.repeat(100), 'error')), { cols: 40, rows: 10 }));
    expect(long).to.have.length(10);
    expect(long.slice(-3).every((l) => l.startsWith(' word'))).to.equal(true);
    expect(long[9]!.trimEnd()).to.match(/…$/);
  });

  it('/help lists the commands at the bottom of the conversation pane', () => {
    const help = handleKey({ ...withMessages(initialModel('alice', bob), bob, history), input: '/help', cursor: 5 }, { name: 'return' }, []).model;
    const lines = text(renderChat(view(help), { cols: 80, rows: 24 }));
    const pane = lines.slice(2, 21).map((l) => l.slice(21).trimEnd());
    expect(pane.slice(-7)).to.deep.equal([
      '   /to USER     open the chat with USER',
      '   /group ID    open the group ID (you must be a member)',
      '   /revoke      revoke your last message here',
      '   /login       sign in again (after a kick)',
      '   /quit        leave (also Ctrl-C)',
      '   /help        this list',
      '   //text       send text that starts with a /',
    ]);
    expect(pane).to.include('t0001 bob: hi alice');
    const small = text(renderChat(view(help), { cols: 40, rows: 10 }));
    expect(small).to.have.length(10);
    for (const l of small) expect(textWidth(l)).to.equal(40);
  });

  it('badges and width helpers', () => {
    expect([0, 1, 99, 100].map(badge)).to.deep.equal(['', '1', '99', '99+']);
    expect(textWidth('a你😀é')).to.equal(6);
    expect(truncate('你好世界', 5)).to.equal('你好…');
    expect(fit('ab', 4)).to.equal('ab  ');
    expect(wrap('one two three', 7)).to.deep.equal(['one two', 'three']);
    expect(wrap('abcdefghij', 4)).to.deep.equal(['abcd', 'efgh', 'ij']);
    expect(wrap('', 4)).to.deep.equal(['']);
  });
});
