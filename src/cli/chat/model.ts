/**
 * The chat's own state (what is open, what is typed, where the focus is,
 * the messages held per conversation) and what a key does to it. Pure: a
 * key gives a new model and the effects the app must carry out with
 * tim-rx's commands (send, open, revoke, log in, quit).
 */
import type { Conversation } from '../../codecs/conversation.js';
import type { ConversationKey, Message } from '../../codecs/message.js';
import type { MessageLocator } from '../../codecs/message-params.js';
import { conversationKeyString } from '../../streams/conversation-list.js';
import { lastOwnMessage, markRevoked, mergeMessages, revokeLocated } from './timeline.js';

export type Focus = 'compose' | 'list' | 'new-chat';

export interface Notice {
  readonly text: string;
  readonly kind: 'info' | 'error';
}

export interface ChatModel {
  readonly me: string;
  readonly focus: Focus;
  /** The conversation shown on the right. */
  readonly open: ConversationKey | undefined;
  /** Highlighted row of the conversation list (list focus). */
  readonly selected: number;
  /** The line being typed (message, or user id in new-chat focus) and the cursor, in code points. */
  readonly input: string;
  readonly cursor: number;
  /** The message draft kept while the new-chat prompt is up. */
  readonly draft: string;
  /** Message lines scrolled back from the newest. */
  readonly scroll: number;
  readonly notice: Notice | undefined;
  /** The command list (`/help`) is shown in the conversation pane, until Enter, Esc or Tab. */
  readonly help: boolean;
  /** Messages held per conversation (`conversationKeyString`). */
  readonly timelines: ReadonlyMap<string, readonly Message[]>;
}

export type Effect =
  | { readonly kind: 'send'; readonly to: ConversationKey; readonly text: string }
  | { readonly kind: 'open'; readonly key: ConversationKey }
  | { readonly kind: 'revoke'; readonly conversation: ConversationKey; readonly message: Message }
  | { readonly kind: 'login' }
  | { readonly kind: 'quit' };

export interface Step {
  readonly model: ChatModel;
  readonly effects: readonly Effect[];
}

/** A key as the terminal reports it: a name (`return`, `up`, `a`, …) and, for printable input, its text. */
export interface Key {
  readonly name?: string | undefined;
  readonly text?: string | undefined;
  readonly ctrl?: boolean | undefined;
  readonly meta?: boolean | undefined;
  readonly shift?: boolean | undefined;
}

/** The chat's commands, one line each, as `/help` lists them in the conversation pane. */
export const COMMAND_LINES: readonly string[] = [
  '/to USER     open the chat with USER',
  '/group ID    open the group ID (you must be a member)',
  '/revoke      revoke your last message here',
  '/login       sign in again (after a kick)',
  '/quit        leave (also Ctrl-C)',
  '/help        this list',
  '//text       send text that starts with a /',
];

export function initialModel(me: string, open: ConversationKey | undefined): ChatModel {
  return {
    me, focus: open === undefined ? 'list' : 'compose', open, selected: 0, input: '', cursor: 0, draft: '', scroll: 0,
    notice: undefined, help: false, timelines: new Map(),
  };
}

/** The conversation list as shown: tim.state's list, plus the open conversation at the top while the list lacks it. */
export function shownConversations(conversations: readonly Conversation[], open: ConversationKey | undefined): readonly ConversationKey[] {
  const keys = conversations.map((c) => c.key);
  if (open !== undefined && !keys.some((k) => sameKey(k, open))) return [open, ...keys];
  return keys;
}

export function sameKey(a: ConversationKey | undefined, b: ConversationKey | undefined): boolean {
  return a !== undefined && b !== undefined && a.type === b.type && a.id === b.id;
}

export function timelineOf(model: ChatModel, key: ConversationKey | undefined): readonly Message[] {
  return key === undefined ? [] : model.timelines.get(conversationKeyString(key)) ?? [];
}

/** `model` with `messages` merged into their conversation's timeline. */
export function withMessages(model: ChatModel, key: ConversationKey, messages: readonly Message[]): ChatModel {
  const id = conversationKeyString(key);
  const before = model.timelines.get(id) ?? [];
  const after = mergeMessages(before, messages);
  if (after === before) return model;
  const timelines = new Map(model.timelines);
  timelines.set(id, after);
  return { ...model, timelines };
}

/** `model` with `message` shown revoked by `revoker`. */
export function withRevoked(model: ChatModel, key: ConversationKey, message: Message, revoker: string): ChatModel {
  const id = conversationKeyString(key);
  const timelines = new Map(model.timelines);
  timelines.set(id, markRevoked(model.timelines.get(id) ?? [], message, revoker));
  return { ...model, timelines };
}

/** `model` with the message a revoke event names shown revoked (in its conversation, or wherever it is held). */
export function withRevokedLocator(model: ChatModel, locator: MessageLocator): ChatModel {
  const only = locator.conversation === undefined ? undefined : conversationKeyString(locator.conversation);
  let timelines: Map<string, readonly Message[]> | undefined;
  for (const [id, messages] of model.timelines) {
    if (only !== undefined && id !== only) continue;
    const after = revokeLocated(messages, locator);
    if (after === messages) continue;
    timelines ??= new Map(model.timelines);
    timelines.set(id, after);
  }
  return timelines === undefined ? model : { ...model, timelines };
}

export function withNotice(model: ChatModel, text: string, kind: Notice['kind'] = 'info'): ChatModel {
  return { ...model, notice: { text, kind } };
}

/**
 * `model` after the send of `text` to `to` failed for `reason`: the text is
 * back on the compose line, as typed (a leading "/" doubled again), when
 * that conversation is still open and nothing new was typed there; else the
 * notice quotes it.
 */
export function withSendFailed(model: ChatModel, to: ConversationKey, text: string, reason: string): ChatModel {
  const typed = text.startsWith('/') ? `/${text}` : text;
  const inPrompt = model.focus === 'new-chat';
  const composing = inPrompt ? model.draft : model.input;
  if (!sameKey(model.open, to) || composing.length > 0) return withNotice(model, `not sent to ${to.id}: "${text}": ${reason}`, 'error');
  const restored = inPrompt ? { ...model, draft: typed } : { ...model, input: typed, cursor: [...typed].length };
  return withNotice(restored, `not sent: ${reason}`, 'error');
}

const step = (model: ChatModel, ...effects: Effect[]): Step => ({ model, effects });

function openConversation(model: ChatModel, key: ConversationKey): Step {
  return step({ ...model, open: key, focus: 'compose', scroll: 0, notice: undefined, help: false }, { kind: 'open', key });
}

/** Line editing shared by the compose line and the new-chat prompt; undefined when `key` is not an edit. */
function edit(model: ChatModel, key: Key): ChatModel | undefined {
  const chars = [...model.input];
  const at = Math.min(model.cursor, chars.length);
  const set = (next: string[], cursor: number): ChatModel => ({ ...model, input: next.join(''), cursor });
  if (key.ctrl) {
    switch (key.name) {
      case 'a': return { ...model, cursor: 0 };
      case 'e': return { ...model, cursor: chars.length };
      case 'u': return set(chars.slice(at), 0);
      case 'k': return set(chars.slice(0, at), at);
      case 'w': {
        let start = at;
        while (start > 0 && chars[start - 1] === ' ') start--;
        while (start > 0 && chars[start - 1] !== ' ') start--;
        return set([...chars.slice(0, start), ...chars.slice(at)], start);
      }
      default: return undefined;
    }
  }
  switch (key.name) {
    case 'backspace': return at === 0 ? model : set([...chars.slice(0, at - 1), ...chars.slice(at)], at - 1);
    case 'delete': return at >= chars.length ? model : set([...chars.slice(0, at), ...chars.slice(at + 1)], at);
    case 'left': return { ...model, cursor: Math.max(0, at - 1) };
    case 'right': return { ...model, cursor: Math.min(chars.length, at + 1) };
    case 'home': return { ...model, cursor: 0 };
    case 'end': return { ...model, cursor: chars.length };
    default: break;
  }
  if (key.text !== undefined && !key.meta && key.text.length > 0 && !/[\u0000-\u001f\u007f]/.test(key.text)) {
    const typed = [...key.text];
    return set([...chars.slice(0, at), ...typed, ...chars.slice(at)], at + typed.length);
  }
  return undefined;
}

/** What Enter does on the compose line. */
function submit(shown: ChatModel): Step {
  const model: ChatModel = { ...shown, help: false };
  const text = model.input.trim();
  const cleared: ChatModel = { ...model, input: '', cursor: 0, notice: undefined };
  if (text.length === 0) return step(model);
  if (text.startsWith('/') && !text.startsWith('//')) {
    const [command = '', ...rest] = text.slice(1).split(/\s+/);
    const arg = rest.join(' ');
    switch (command) {
      case 'q':
      case 'quit':
        return step(cleared, { kind: 'quit' });
      case 'to':
      case 'group':
        if (arg.length === 0) return step(withNotice(model, `usage: /${command} ${command === 'to' ? 'USER' : 'GROUP_ID'}`, 'error'));
        return openConversation(cleared, { type: command === 'to' ? 'c2c' : 'group', id: arg });
      case 'revoke': {
        if (model.open === undefined) return step(withNotice(cleared, 'no conversation is open', 'error'));
        const mine = lastOwnMessage(timelineOf(model, model.open));
        if (mine === undefined) return step(withNotice(cleared, 'nothing of yours to revoke here', 'error'));
        return step(cleared, { kind: 'revoke', conversation: model.open, message: mine });
      }
      case 'login':
        return step(cleared, { kind: 'login' });
      case 'help':
        return step({ ...cleared, help: true });
      default:
        // Kept on the compose line to be corrected, as a failed send's text is.
        return step(withNotice(model, `unknown command /${command} (kept above to correct; /help lists the commands)`, 'error'));
    }
  }
  if (model.open === undefined) return step(withNotice(model, 'open a conversation first (Esc, then Enter; or /to USER)', 'error'));
  return step({ ...cleared, scroll: 0 }, { kind: 'send', to: model.open, text: text.startsWith('//') ? text.slice(1) : text });
}

/**
 * What `key` does. `shown` is the conversation list as displayed
 * (`shownConversations`), which the list focus moves over.
 */
export function handleKey(model: ChatModel, key: Key, shown: readonly ConversationKey[]): Step {
  // Esc and a key typed quickly after it reach a terminal program as one Meta+key: do both.
  if (key.meta && key.name !== undefined && key.name !== 'escape') {
    const first = handleKey(model, { name: 'escape' }, shown);
    const second = handleKey(first.model, { ...key, meta: false, text: key.name.length === 1 ? key.name : undefined }, shown);
    return { model: second.model, effects: [...first.effects, ...second.effects] };
  }
  if (key.ctrl && (key.name === 'c' || (key.name === 'd' && model.input.length === 0))) return step(model, { kind: 'quit' });
  if (key.name === 'pageup') return step({ ...model, scroll: model.scroll + 5 });
  if (key.name === 'pagedown') return step({ ...model, scroll: Math.max(0, model.scroll - 5) });

  switch (model.focus) {
    case 'compose': {
      if (key.name === 'escape' || key.name === 'tab') {
        const index = shown.findIndex((k) => sameKey(k, model.open));
        return step({ ...model, focus: 'list', selected: Math.max(0, index), notice: undefined, help: false });
      }
      if (key.name === 'return' || key.name === 'enter') return submit(model);
      const edited = edit(model, key);
      return step(edited ?? model);
    }
    case 'list': {
      const last = Math.max(0, shown.length - 1);
      const selected = Math.min(model.selected, last);
      switch (key.name) {
        case 'up':
        case 'k':
          return step({ ...model, selected: Math.max(0, selected - 1) });
        case 'down':
        case 'j':
          return step({ ...model, selected: Math.min(last, selected + 1) });
        case 'return':
        case 'enter':
        case 'right':
        case 'tab': {
          const key0 = shown[selected];
          if (key0 === undefined) return step(model.open === undefined ? model : { ...model, focus: 'compose' });
          return openConversation(model, key0);
        }
        case 'escape':
          return step(model.open === undefined ? model : { ...model, focus: 'compose' });
        case 'n':
          return step({ ...model, focus: 'new-chat', draft: model.input, input: '', cursor: 0, notice: undefined });
        case 'q':
          return step(model, { kind: 'quit' });
        default:
          return step(model);
      }
    }
    case 'new-chat': {
      if (key.name === 'escape') return step({ ...model, focus: 'list', input: model.draft, cursor: [...model.draft].length, draft: '' });
      if (key.name === 'return' || key.name === 'enter') {
        const id = model.input.trim();
        const restored = { ...model, input: model.draft, cursor: [...model.draft].length, draft: '' };
        if (id.length === 0) return step({ ...restored, focus: 'list' });
        return openConversation(restored, { type: 'c2c', id });
      }
      const edited = edit(model, key);
      return step(edited ?? model);
    }
  }
}
