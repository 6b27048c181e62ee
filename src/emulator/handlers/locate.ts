/**
 * How a client names a stored message: a Message object (as received, with
 * its `message_seq`, `message_rand` and `message_sender` / `message_is_from_self`)
 * or a MsgLocator (`message_locator_seq`, `…_rand`, `…_is_self`). Both are
 * matched on seq and rand within the conversation, and on the sender when it
 * can be told (C2C: self or peer; group: self, or anyone).
 */
import type { MessageKey, Scope } from '../storage/history.js';
import { ArgError } from './args.js';
import { isJsonObject, type JsonObject } from './json-param.js';

function integer(v: unknown): number | undefined {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function senderOf(s: Scope, isSelf: unknown): string | undefined {
  if (isSelf === true) return s.owner;
  if (isSelf === false && s.convType === 1) return s.convId;
  return undefined;
}

/** The key of a Message object; throws ArgError (→ 6017) when it has no seq and rand. */
export function keyOfMessage(s: Scope, m: unknown, name: string): MessageKey {
  if (!isJsonObject(m)) throw new ArgError(`${name} must be a message object`);
  const seq = integer(m['message_seq']);
  const rand = integer(m['message_rand']);
  if (seq === undefined || rand === undefined) throw new ArgError(`${name} needs message_seq and message_rand (a message as received)`);
  const sender = typeof m['message_sender'] === 'string' && m['message_sender'] !== '' ? m['message_sender'] : senderOf(s, m['message_is_from_self']);
  return sender === undefined ? { seq, rand } : { seq, rand, sender };
}

/** The key of a MsgLocator; undefined when it has no seq and rand. */
export function keyOfLocator(s: Scope, l: JsonObject): MessageKey | undefined {
  const seq = integer(l['message_locator_seq']);
  const rand = integer(l['message_locator_rand']);
  if (seq === undefined || rand === undefined) return undefined;
  const sender = senderOf(s, l['message_locator_is_self']);
  return sender === undefined ? { seq, rand } : { seq, rand, sender };
}

/** True for `{}` (or a missing / null value): "no message". */
export const isEmptyMessage = (v: unknown): boolean => v === undefined || v === null || (isJsonObject(v) && Object.keys(v).length === 0);
