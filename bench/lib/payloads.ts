/**
 * Payloads exactly as the emulator renders them (src/emulator/render.ts):
 * Message and ConvInfo JSON with keys in the SDK's order and 64-bit values as
 * raw digits.
 */
import { convInfoView, messageView } from '../../src/emulator/render.js';
import type { StoredConversation, StoredMessage } from '../../src/emulator/storage/store.js';
import { stringifyJson } from '../../src/json/lossless.js';

const TEXTS = ['hello', '你好，今天下午三点开会吗？', 'ok 👍', 'The quarterly report is attached; please review section 3 before Friday.'];

export function storedMessage(i: number, sender = 'alice', receiver = 'bob'): StoredMessage {
  const serverTime = 1_763_700_000 + i;
  return {
    id: i + 1, convType: 1, sender, receiver, seq: i + 1, rand: (2_654_435_761 * (i + 1)) >>> 0,
    serverTime, clientTime: serverTime, priority: 1, isOnline: false,
    elems: JSON.stringify([{ elem_type: 0, text_elem_content: `${TEXTS[i % TEXTS.length]} #${i}` }]),
  };
}

/**
 * A TIMRecvNewMsgCallback array of `n` messages, as bob receives them.
 * With `uniqueId` false the 19-digit `message_unique_id` is left out, which is
 * what lets tim-rx take its fast `JSON.parse` path (the key is optional in B4).
 * `from` numbers the messages (ids, seqs, times) from there: arrays with other
 * `from` values hold other messages, which `messages$` does not drop as repeats.
 */
export function messageArrayJson(n: number, uniqueId = true, from = 0): string {
  const views = Array.from({ length: n }, (_, i) => {
    const v = messageView(storedMessage(from + i), 'bob');
    if (!uniqueId) delete v['message_unique_id'];
    return v;
  });
  return stringifyJson(views);
}

/** A conversation of `owner` with `peer`, its last message included. */
export function storedConversation(i: number, owner = 'bob', unread = 1): StoredConversation {
  const peer = `user${String(i).padStart(6, '0')}`;
  const last = storedMessage(i, peer, owner);
  return { owner, convType: 1, convId: peer, unreadNum: unread, activeTime: last.serverTime, lastMessage: last };
}

/** A ConvInfo array (TIMConvGetConvList reply, TIMConvEventCallback payload). */
export function conversationArrayJson(from: number, n: number, activeTimeOffset = 0): string {
  return stringifyJson(Array.from({ length: n }, (_, k) => {
    const c = storedConversation(from + k);
    return convInfoView({ ...c, activeTime: c.activeTime + activeTimeOffset });
  }));
}
