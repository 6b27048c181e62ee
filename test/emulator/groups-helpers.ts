/**
 * Wire-level helpers of the group tests: several users in one process, each a
 * WireClient logged in to one emulator (test/emulator/helpers.ts Harness).
 */
import { expect } from 'chai';
import { parseJson } from '../../src/json/lossless.js';
import { arg, type ReplyFrame } from '../../src/emulator/wire/codec.js';
import { EventId, FunctionId } from '../../src/emulator/wire/constants.js';
import type { Harness } from './helpers.js';
import { strArg, type WireClient } from './wire-client.js';

export type Json = Record<string, unknown>;

export const GroupType = { Public: 0, Private: 1, ChatRoom: 2, AVChatRoom: 4 } as const;
export type TypeName = keyof typeof GroupType;
export const TYPES: readonly TypeName[] = ['Private', 'Public', 'ChatRoom', 'AVChatRoom'];
export const Role = { Member: 200, Admin: 300, Owner: 400 } as const;
export const OWNER_FLAG = -2147483648;

/** One user of a test: its id and its connection. */
export class User {
  constructor(readonly id: string, readonly c: WireClient) {}

  call(fn: number, ...args: (string | bigint | null)[]): Promise<ReplyFrame> {
    return this.c.call(fn, args.map((a) => (a === null ? arg.null() : typeof a === 'bigint' ? arg.u64(a) : arg.str(a))));
  }

  json(fn: number, param: unknown): Promise<ReplyFrame> {
    return this.call(fn, JSON.stringify(param));
  }

  /** Creates a group; returns its id (asserts success). */
  async create(type: TypeName, extra: Json = {}): Promise<string> {
    const r = await this.json(FunctionId.GroupCreate, { create_group_param_group_name: 'g', create_group_param_group_type: GroupType[type], ...extra });
    return (okJson(r) as Json)['create_group_result_groupid'] as string;
  }

  join(groupId: string, hello: string | null = null): Promise<ReplyFrame> {
    return this.call(FunctionId.GroupJoin, groupId, hello);
  }

  quit(groupId: string): Promise<ReplyFrame> {
    return this.call(FunctionId.GroupQuit, groupId);
  }

  dissolve(groupId: string): Promise<ReplyFrame> {
    return this.call(FunctionId.GroupDelete, groupId);
  }

  invite(groupId: string, ids: string[]): Promise<ReplyFrame> {
    return this.json(FunctionId.GroupInviteMember, { group_invite_member_param_group_id: groupId, group_invite_member_param_identifier_array: ids });
  }

  kick(groupId: string, ids: string[]): Promise<ReplyFrame> {
    return this.json(FunctionId.GroupDeleteMember, { group_delete_member_param_group_id: groupId, group_delete_member_param_identifier_array: ids });
  }

  modifyInfo(groupId: string, flag: number, fields: Json = {}): Promise<ReplyFrame> {
    return this.json(FunctionId.GroupModifyGroupInfo, { group_modify_info_param_group_id: groupId, group_modify_info_param_modify_flag: flag, ...fields });
  }

  modifyMember(groupId: string, userId: string, flag: number, fields: Json = {}): Promise<ReplyFrame> {
    return this.json(FunctionId.GroupModifyMemberInfo, {
      group_modify_member_info_group_id: groupId, group_modify_member_info_identifier: userId, group_modify_member_info_modify_flag: flag, ...fields,
    });
  }

  members(groupId: string, extra: Json = {}): Promise<ReplyFrame> {
    return this.json(FunctionId.GroupGetMemberInfoList, { group_get_members_info_list_param_group_id: groupId, ...extra });
  }

  send(groupId: string, text: string): Promise<ReplyFrame> {
    return this.c.call(FunctionId.MsgSendNewMsg, [arg.str(groupId), arg.i64(2),
      arg.str(JSON.stringify({ message_elem_array: [{ elem_type: 0, text_elem_content: text }] }))]);
  }

  pendencies(start = 0, max = 0): Promise<ReplyFrame> {
    return this.json(FunctionId.GroupGetPendencyList, { group_pendency_option_start_time: start, group_pendency_option_max_limited: max });
  }

  handle(pendency: Json, accept: boolean, msg = ''): Promise<ReplyFrame> {
    return this.json(FunctionId.GroupHandlePendency, {
      group_handle_pendency_param_is_accept: accept, group_handle_pendency_param_handle_msg: msg, group_handle_pendency_param_pendency: pendency,
    });
  }

  /** The ids of the members (asserts success). */
  async memberIds(groupId: string): Promise<string[]> {
    const r = okJson(await this.members(groupId)) as Json;
    return (r['group_get_member_info_list_result_info_array'] as Json[]).map((m) => m['group_member_info_identifier'] as string);
  }

  /** Every message received by EVENT 1 so far (consumed or not). */
  received(): Json[] {
    return this.c.allEvents.filter((e) => e.eventId === EventId.RecvNewMsg)
      .flatMap((e) => parseJson(strArg(e.args[0])) as Json[]);
  }

  /** Every GroupTipsElem received by EVENT 5 so far. */
  tips(): Json[] {
    return this.c.allEvents.filter((e) => e.eventId === EventId.GroupTipsEvent).map((e) => parseJson(strArg(e.args[0])) as Json);
  }

  /** The elements of received messages of conversation type 2 (tips) or 3 (reports) with that elem_type. */
  elements(convType: 2 | 3, elemType: 5 | 8): Json[] {
    return this.received().filter((m) => m['message_conv_type'] === convType)
      .flatMap((m) => m['message_elem_array'] as Json[]).filter((e) => e['elem_type'] === elemType);
  }

  reports(): Json[] {
    return this.elements(3, 8);
  }
}

/** Logs each id in on its own connection. */
export async function users<const Ids extends readonly string[]>(h: Harness, ...ids: Ids): Promise<{ -readonly [K in keyof Ids]: User }> {
  return Promise.all(ids.map(async (id) => new User(id, await h.loggedIn(id)))) as Promise<{ -readonly [K in keyof Ids]: User }>;
}

export function okJson(r: ReplyFrame): unknown {
  expect(r.code, `${r.code} ${r.desc}`).to.equal(0);
  return r.json === '' ? undefined : parseJson(r.json);
}

export function expectCode(r: ReplyFrame, code: number): void {
  expect(r.code, r.desc).to.equal(code);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Lets the events that follow replies arrive. */
export const settle = (): Promise<void> => sleep(60);

/** Polls until `check` stops throwing (events arrive after the reply). */
export async function eventually(check: () => void, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(20);
    }
  }
}
