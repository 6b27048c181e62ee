/**
 * Probes of the group-lives tests (groups-lives.test.ts, the reliability
 * test group-incarnation.test.ts): every way a user could learn the messages
 * of a life of a group id it was not in, through the wire functions.
 * Messages are told apart by `message_msg_id`.
 */
import { parseJson } from '../../src/json/lossless.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import { arg } from '../../src/emulator/wire/codec.js';
import { okJson, type Json, type User } from './groups-helpers.js';
import { convCall } from './message-helpers.js';
import { strArg } from './wire-client.js';

const CONV_GROUP = 2;

const idOf = (m: Json): string => m['message_msg_id'] as string;

/** Every message of `g` that `u`'s history shows (one page of `count`), or the refusal's code. */
export async function history(u: User, g: string, count = 1000): Promise<{ code: number; messages: Json[] }> {
  const r = await convCall(u.c, FunctionId.MsgGetMsgList, g, { msg_getmsglist_param_count: count }, CONV_GROUP);
  return { code: r.code, messages: r.code === 0 ? (parseJson(r.json) as Json[]) : [] };
}

/** `u`'s row of conversation `g` in TIMConvGetConvList. */
export async function convRow(u: User, g: string): Promise<Json | undefined> {
  const list = okJson(await u.call(FunctionId.ConvGetConvList)) as Json[];
  return list.find((c) => c['conv_id'] === g && c['conv_type'] === CONV_GROUP);
}

const lastId = (row: Json | undefined): string | undefined => {
  const m = row?.['conv_last_msg'] as Json | undefined;
  return m === undefined ? undefined : idOf(m);
};

const locator = (m: Json): Json => ({
  message_locator_seq: m['message_seq'], message_locator_rand: m['message_rand'], message_locator_time: m['message_server_time'],
});

/**
 * The ways `u` (a member of the current life of `g`, never of the life
 * `old` comes from) learns any of `old`: history, a page anchored on an old
 * message, find by locator, its conversation (TIMConvCreate, the list), the
 * group's message seq beyond `newSeq` (this life's last), revoking an old
 * message, pendencies of the id. Empty when nothing leaks.
 */
export async function oldLifeLeaks(u: User, g: string, old: readonly Json[], newSeq: number): Promise<string[]> {
  const oldIds = new Set(old.map(idOf));
  const leaks: string[] = [];
  const seen = (ms: readonly Json[]): number => ms.filter((m) => oldIds.has(idOf(m))).length;

  const h = await history(u, g);
  if (seen(h.messages) > 0) leaks.push(`TIMMsgGetMsgList shows ${seen(h.messages)} old message(s)`);
  const anchored = await convCall(u.c, FunctionId.MsgGetMsgList, g, { msg_getmsglist_param_last_msg: old[old.length - 1], msg_getmsglist_param_count: 1000 }, CONV_GROUP);
  if (anchored.code === 0) leaks.push(`TIMMsgGetMsgList accepts an old message as its anchor (${(parseJson(anchored.json) as Json[]).length} around it)`);
  const found = await convCall(u.c, FunctionId.MsgFindByMsgLocatorList, g, old.map(locator), CONV_GROUP);
  if (found.code === 0 && seen(parseJson(found.json) as Json[]) > 0) {
    leaks.push(`TIMMsgFindByMsgLocatorList finds ${seen(parseJson(found.json) as Json[])} old message(s)`);
  }
  const conv = okJson(await u.c.call(FunctionId.ConvCreate, [arg.str(g), arg.i64(CONV_GROUP)])) as Json;
  if (oldIds.has(lastId(conv) ?? '')) leaks.push('TIMConvCreate shows an old last message');
  if (oldIds.has(lastId(await convRow(u, g)) ?? '')) leaks.push('TIMConvGetConvList shows an old last message');

  const info = okJson(await u.call(FunctionId.GroupGetGroupInfoList, JSON.stringify([g]))) as Json[];
  const detail = info[0]?.['get_groups_info_result_info'] as Json | undefined;
  const seq = Number(detail?.['group_detail_info_next_msg_seq'] ?? 0);
  if (seq > newSeq) leaks.push(`group info counts ${seq} messages (this life has ${newSeq})`);
  const joined = (okJson(await u.call(FunctionId.GroupGetJoinedGroupList)) as Json[]).find((j) => j['group_base_info_group_id'] === g);
  const latest = Number(joined?.['group_base_info_latest_seq'] ?? 0);
  if (latest > newSeq) leaks.push(`the joined list counts ${latest} messages (this life has ${newSeq})`);

  const pend = okJson(await u.pendencies()) as Json;
  const ofG = (pend['group_pendency_result_pendency_array'] as Json[]).filter((p) => p['group_pendency_group_id'] === g);
  if (ofG.length > 0) leaks.push(`TIMGroupGetPendencyList lists ${ofG.length} pendency(ies) of the id`);

  const victim = old.find((m) => m['message_sender'] !== u.id && m['message_sender'] !== '@TIM#SYSTEM');
  if (victim !== undefined) {
    const r = await convCall(u.c, FunctionId.MsgRevoke, g, victim, CONV_GROUP);
    if (r.code === 0) leaks.push(`TIMMsgRevoke revokes an old message of ${String(victim['message_sender'])}`);
  }
  return leaks;
}

/**
 * The ways `f` (a former member of an earlier life of `g`, not in the
 * current one) learns any of `fresh` (messages of the current life) or of
 * the current life itself: EVENT 1 or EVENT 6 after `eventsBefore` (its
 * event count when the life began), its conversation (list, group type,
 * TIMConvCreate), history and find by locator.
 */
export async function newLifeLeaks(f: User, g: string, fresh: readonly Json[], eventsBefore: number): Promise<string[]> {
  const freshIds = new Set(fresh.map(idOf));
  const leaks: string[] = [];
  const later = f.c.allEvents.slice(eventsBefore);
  const delivered = later.filter((e) => e.eventId === EventId.RecvNewMsg)
    .flatMap((e) => parseJson(strArg(e.args[0])) as Json[]).filter((m) => freshIds.has(idOf(m)));
  if (delivered.length > 0) leaks.push(`EVENT 1 delivers ${delivered.length} message(s) of the new life`);
  const convEvents = later.filter((e) => e.eventId === EventId.ConvEvent)
    .flatMap((e) => parseJson(strArg(e.args[1])) as Json[]).filter((c) => c['conv_id'] === g);
  if (convEvents.length > 0) leaks.push(`EVENT 6 updates the conversation ${convEvents.length} time(s)`);

  const row = await convRow(f, g);
  if (freshIds.has(lastId(row) ?? '')) leaks.push('TIMConvGetConvList shows a message of the new life');
  if (row?.['conv_group_type'] !== undefined) leaks.push(`TIMConvGetConvList shows the new life's group type ${String(row['conv_group_type'])}`);
  const conv = await f.c.call(FunctionId.ConvCreate, [arg.str(g), arg.i64(CONV_GROUP)]);
  if (conv.code === 0 && freshIds.has(lastId(parseJson(conv.json) as Json) ?? '')) leaks.push('TIMConvCreate shows a message of the new life');
  const h = await history(f, g);
  if (h.messages.some((m) => freshIds.has(idOf(m)))) leaks.push('TIMMsgGetMsgList shows messages of the new life');
  const found = await convCall(f.c, FunctionId.MsgFindByMsgLocatorList, g, fresh.map(locator), CONV_GROUP);
  if (found.code === 0 && (parseJson(found.json) as Json[]).some((m) => freshIds.has(idOf(m)))) {
    leaks.push('TIMMsgFindByMsgLocatorList finds messages of the new life');
  }
  return leaks;
}
