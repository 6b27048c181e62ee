/**
 * The chat's view model: everything on screen as a pure function of the
 * state (tim.state's connection, conversations and unread counts, plus the
 * chat's own model) and the terminal size. Lines come out exactly `cols`
 * cells wide, as styled segments; the terminal layer only paints them.
 *
 *   row 0        header: who, connection indicator, server
 *   row 1        titles: "Chats" with the unread total │ the open conversation
 *   rows 2..     conversation list with unread badges │ the open conversation's messages
 *                (or, after /help, the command list at the bottom of the pane)
 *   rule
 *   input line (message, or the user id of a new chat)
 *   notice, word-wrapped over up to NOTICE_ROWS rows, or the keys of the current focus
 */
import type { Conversation } from '../../codecs/conversation.js';
import type { ConversationKey, Message } from '../../codecs/message.js';
import type { ConnectionState } from '../../streams/connection.js';
import { COMMAND_LINES, sameKey, shownConversations, timelineOf, type ChatModel } from './model.js';
import { messageText } from './timeline.js';
import { fit, fitRight, sanitize, textWidth, truncate, wrap } from './width.js';

export interface Style {
  readonly reverse?: boolean;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly color?: 'green' | 'yellow' | 'red' | 'cyan';
}

export interface Segment {
  readonly text: string;
  readonly style?: Style;
}

export type Line = readonly Segment[];

export interface Screen {
  readonly lines: readonly Line[];
  /** Where the terminal cursor goes (0-based), or hidden. */
  readonly cursor: { readonly row: number; readonly col: number } | undefined;
}

export interface ChatView {
  readonly model: ChatModel;
  readonly connection: ConnectionState;
  readonly conversations: readonly Conversation[];
  /** tim.state.unread(key). */
  readonly unread: (key: ConversationKey) => number;
  readonly totalUnread: number;
  /** Where the client is connected: `emulator 127.0.0.1:7171 (here)`, `Tencent cloud`, … */
  readonly server: string;
  /** Message time (server seconds) as shown, e.g. `14:05`. */
  readonly formatTime: (seconds: number) => string;
}

export interface Size {
  readonly cols: number;
  readonly rows: number;
}

export const MIN_SIZE: Size = { cols: 40, rows: 10 };

/** A notice longer than the screen is wide wraps over at most this many rows (the last one cut with "…"). */
export const NOTICE_ROWS = 3;

const TITLE: Style = { reverse: true };
const DIM: Style = { dim: true };

/** The text of a line (tests read screens through this). */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** The indicator for a connection state: symbol, words, colour. */
export function connectionIndicator(state: ConnectionState): { text: string; color: NonNullable<Style['color']> } {
  switch (state.status) {
    case 'connected': return { text: '● online', color: 'green' };
    case 'connecting': return { text: '◌ connecting…', color: 'yellow' };
    case 'logging-in': return { text: '◌ signing in…', color: 'yellow' };
    case 'disconnected': return { text: `○ offline, retrying (${state.code})`, color: 'red' };
    case 'kicked': return { text: '✕ signed in elsewhere (/login)', color: 'red' };
    case 'user-sig-expired': return { text: '✕ UserSig expired', color: 'red' };
    case 'logged-out': return { text: '○ signed out', color: 'red' };
  }
}

/** `3`, `99+`, or nothing. */
export function badge(unread: number): string {
  return unread <= 0 ? '' : unread > 99 ? '99+' : String(unread);
}

function conversationName(key: ConversationKey, conversations: readonly Conversation[]): string {
  const c = conversations.find((x) => sameKey(x.key, key));
  const name = c !== undefined && c.showName.length > 0 ? c.showName : key.id;
  return sanitize(key.type === 'group' ? `#${name}` : key.type === 'system' ? `(system) ${name}` : name);
}

/** One screen line from a left cell, the separator and a right cell. */
function split(left: Line, right: Line, sep: string): Line {
  return [...left, { text: sep, style: DIM }, ...right];
}

function header(view: ChatView, cols: number): Line {
  const who = ` tim-rx chat · ${sanitize(view.model.me)}`;
  const indicator = connectionIndicator(view.connection);
  const server = ` · ${view.server} `;
  const right = ` ${indicator.text}${server}`;
  const room = cols - textWidth(right);
  if (room < 8) return [{ text: fit(` ${indicator.text}`, cols), style: { ...TITLE, color: indicator.color } }];
  return [
    { text: fit(who, room), style: TITLE },
    { text: ` ${indicator.text}`, style: { ...TITLE, bold: true, color: indicator.color } },
    { text: server, style: TITLE },
  ];
}

function listLines(view: ChatView, keys: readonly ConversationKey[], width: number, height: number): Line[] {
  const { model } = view;
  const focusIndex = model.focus === 'list' ? Math.min(model.selected, keys.length - 1) : keys.findIndex((k) => sameKey(k, model.open));
  const first = Math.max(0, Math.min(focusIndex - height + 1, keys.length - height));
  const lines: Line[] = [];
  for (let i = first; i < Math.min(keys.length, first + height); i++) {
    const key = keys[i]!;
    const isOpen = sameKey(key, model.open);
    const count = badge(view.unread(key));
    const badgeWidth = count.length === 0 ? 0 : count.length + 1;
    const name = fit(`${isOpen ? '▸' : ' '}${conversationName(key, view.conversations)}`, width - badgeWidth);
    const selected = model.focus === 'list' && i === focusIndex;
    const base: Style = { ...(selected ? { reverse: true } : {}), ...(isOpen ? { bold: true } : {}) };
    lines.push(badgeWidth === 0
      ? [{ text: name, style: base }]
      : [{ text: name, style: base }, { text: fitRight(count, badgeWidth), style: { ...base, bold: true, color: 'yellow' } }]);
  }
  if (keys.length === 0) lines.push([{ text: fit(' (none yet: n)', width), style: DIM }]);
  while (lines.length < height) lines.push([{ text: ' '.repeat(width) }]);
  return lines;
}

function messageLines(view: ChatView, messages: readonly Message[], width: number): Line[] {
  const lines: Line[] = [];
  for (const m of messages) {
    const time = view.formatTime(m.serverTime);
    const indent = textWidth(time) + 1;
    const who = sanitize(m.sender.length > 0 ? m.sender : m.isFromSelf ? view.model.me : '?');
    const mark = m.status === 'sending' ? ' …' : m.status === 'failed' ? ' ✗ not sent' : '';
    const body = wrap(`${who}: ${sanitize(messageText(m))}${mark}`, Math.max(1, width - indent));
    const style: Style = m.status === 'revoked' ? DIM : m.status === 'failed' ? { color: 'red' } : {};
    body.forEach((text, i) => {
      const prefix = i === 0 ? `${time} ` : ' '.repeat(indent);
      const name = `${who}:`;
      if (i === 0 && m.status !== 'revoked' && text.startsWith(name)) {
        lines.push([
          { text: prefix, style: DIM },
          { text: name, style: { bold: true, ...(m.isFromSelf ? { color: 'cyan' as const } : {}) } },
          { text: fit(text.slice(name.length), width - indent - textWidth(name)), style },
        ]);
      } else {
        lines.push([{ text: prefix, style: DIM }, { text: fit(text, width - indent), style }]);
      }
    });
  }
  return lines;
}

/** The command list (`/help`), as notice lines under a rule. */
function helpLines(width: number): Line[] {
  const style: Style = { color: 'green' };
  return [
    [{ text: fit(` ${'╌'.repeat(Math.max(0, width - 2))}`, width), style: DIM }],
    [{ text: fit(' Commands (Enter or Esc closes this list):', width), style: { ...style, bold: true } }],
    ...COMMAND_LINES.map((l): Line => [{ text: fit(`   ${l}`, width), style }]),
  ];
}

function conversationPane(view: ChatView, width: number, height: number): { title: Line; body: Line[] } {
  const pane = conversationBody(view, width, height);
  if (!view.model.help) return pane;
  const help = helpLines(width).slice(0, height);
  return { title: pane.title, body: [...pane.body.slice(help.length), ...help] };
}

function conversationBody(view: ChatView, width: number, height: number): { title: Line; body: Line[] } {
  const { model } = view;
  if (model.open === undefined) {
    const body: Line[] = [[{ text: fit(' No conversation open: Enter on one, or n for a new chat.', width), style: DIM }]];
    while (body.length < height) body.push([{ text: ' '.repeat(width) }]);
    return { title: [{ text: fit(' ', width) }], body };
  }
  const all = messageLines(view, timelineOf(model, model.open), width);
  const maxScroll = Math.max(0, all.length - height);
  const scroll = Math.min(model.scroll, maxScroll);
  const end = all.length - scroll;
  const body = all.slice(Math.max(0, end - height), end);
  if (all.length === 0) body.push([{ text: fit(' No messages yet. Type one and press Enter.', width), style: DIM }]);
  while (body.length < height) body.unshift([{ text: ' '.repeat(width) }]);
  const more = scroll > 0 ? `↓ ${scroll} newer lines (PgDn)` : maxScroll > 0 ? '↑ PgUp for older' : '';
  const name = ` ${conversationName(model.open, view.conversations)}`;
  const moreText = more.length === 0 ? '' : `${more} `;
  return {
    title: [
      { text: fit(name, width - textWidth(moreText)), style: { bold: true } },
      { text: moreText, style: DIM },
    ],
    body,
  };
}

function inputLine(view: ChatView, cols: number): { line: Line; cursorCol: number | undefined } {
  const { model } = view;
  if (model.focus === 'list') {
    return { line: [{ text: fit(' ↑↓ choose a conversation, Enter to open it', cols), style: DIM }], cursorCol: undefined };
  }
  const prompt = model.focus === 'new-chat' ? ' new chat with user: ' : ` ${sanitize(model.me)}› `;
  const promptWidth = textWidth(prompt);
  const room = Math.max(1, cols - promptWidth - 1);
  const chars = [...sanitize(model.input)];
  const cursor = Math.min(model.cursor, chars.length);
  let start = 0;
  while (textWidth(chars.slice(start, cursor).join('')) > room) start++;
  const shown = truncate(chars.slice(start).join(''), room + 1, false);
  return {
    line: [{ text: prompt, style: { bold: true, color: 'cyan' } }, { text: fit(shown, cols - promptWidth) }],
    cursorCol: promptWidth + textWidth(chars.slice(start, cursor).join('')),
  };
}

const HELP: Record<ChatModel['focus'], string> = {
  compose: 'Enter send · Esc chats · PgUp/PgDn · /revoke · /to USER · /help · Ctrl-C quit',
  list: '↑↓ choose · Enter open · n new chat · Esc back · q quit',
  'new-chat': 'Enter open the chat · Esc cancel',
};

/** The last rows: the notice, word-wrapped (at most NOTICE_ROWS rows), or the keys of the current focus. */
function footer(view: ChatView, cols: number): Line[] {
  const { notice } = view.model;
  if (notice === undefined) return [[{ text: fit(` ${HELP[view.model.focus]}`, cols), style: DIM }]];
  const style: Style = notice.kind === 'error' ? { color: 'red', bold: true } : { color: 'green' };
  const all = wrap(sanitize(notice.text), cols - 1);
  const rows = all.slice(0, NOTICE_ROWS);
  if (all.length > NOTICE_ROWS) rows[NOTICE_ROWS - 1] = truncate(`${rows[NOTICE_ROWS - 1]!} ${all[NOTICE_ROWS]!}`, cols - 1);
  return rows.map((text): Line => [{ text: fit(` ${text}`, cols), style }]);
}

/** The whole screen. */
export function renderChat(view: ChatView, size: Size): Screen {
  const cols = Math.max(1, size.cols);
  const rows = Math.max(1, size.rows);
  if (cols < MIN_SIZE.cols || rows < MIN_SIZE.rows) {
    const lines: Line[] = [[{ text: fit(`Terminal too small (${cols}×${rows}); need ${MIN_SIZE.cols}×${MIN_SIZE.rows}. Ctrl-C quits.`, cols) }]];
    while (lines.length < rows) lines.push([{ text: ' '.repeat(cols) }]);
    return { lines, cursor: undefined };
  }
  const leftWidth = Math.min(24, Math.max(14, Math.floor(cols / 4)));
  const rightWidth = cols - leftWidth - 1;
  const foot = footer(view, cols);
  const bodyHeight = rows - 4 - foot.length;
  const keys = shownConversations(view.conversations, view.model.open);
  const total = badge(view.totalUnread);
  const leftTitle: Line = [
    { text: fit(' Chats', leftWidth - total.length - (total.length > 0 ? 1 : 0)), style: { bold: true } },
    ...(total.length > 0 ? [{ text: ` ${total}`, style: { bold: true, color: 'yellow' as const } }] : []),
  ];
  const pane = conversationPane(view, rightWidth, bodyHeight);
  const list = listLines(view, keys, leftWidth, bodyHeight);
  const input = inputLine(view, cols);
  const lines: Line[] = [
    header(view, cols),
    split(leftTitle, pane.title, '│'),
    ...list.map((l, i) => split(l, pane.body[i]!, '│')),
    [{ text: `${'─'.repeat(leftWidth)}┴${'─'.repeat(rightWidth)}`, style: DIM }],
    input.line,
    ...foot,
  ];
  return { lines, cursor: input.cursorCol === undefined ? undefined : { row: rows - 1 - foot.length, col: input.cursorCol } };
}
