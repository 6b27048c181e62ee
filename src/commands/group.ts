/**
 * The 14 group functions of the spec (TIMGroup*), one cold Observable each:
 * nothing happens before subscribe, each subscription is one native call.
 * Paging helpers (`allMembers`, `allPendencies`) call again with the cursor
 * the previous page returned, until it is 0.
 */
import { EMPTY, Observable, expand, map, of, reduce } from 'rxjs';
import * as t from 'io-ts';
import type { TimBackend } from '../backend/types.js';
import { encodeJson } from '../codecs/decode.js';
import type { GroupMemberRole } from '../codecs/group-enums.js';
import {
  CreateGroupParam, CreateGroupResult, GetGroupInfoResult, GroupBaseInfoList, GroupModifyInfoParam,
  type GroupBaseInfo, type GroupDetailInfo,
} from '../codecs/group-info.js';
import {
  GroupDeleteMemberParam, GroupDeleteMemberResult, GroupGetMemberInfoListParam, GroupGetMemberInfoListResult,
  GroupInviteMemberParam, GroupInviteMemberResult, GroupModifyMemberInfoParam, type GroupMemberInfo,
} from '../codecs/group-member.js';
import { GroupHandlePendencyParam, GroupPendencyOption, GroupPendencyResult, type GroupPendency } from '../codecs/group-pendency.js';
import { command, decodeReply, noData } from './command.js';

/** One entry of `infoList`: the group's profile, or why there is none (10010 for an unknown id, …). */
export type GroupInfoResult =
  | { readonly groupId: string; readonly ok: true; readonly info: GroupDetailInfo }
  | { readonly groupId: string; readonly ok: false; readonly code: number; readonly desc: string };

const InviteResults = t.readonlyArray(GroupInviteMemberResult);
const DeleteResults = t.readonlyArray(GroupDeleteMemberResult);
const InfoResults = t.readonlyArray(GetGroupInfoResult);

/** TIMGroupCreate: emits the new group's id (the chosen one, or the one the server assigned). */
export function createGroup(backend: TimBackend, params: CreateGroupParam): Observable<CreateGroupResult> {
  return command(backend, 'TIMGroupCreate', () => [encodeJson(CreateGroupParam, params)], decodeReply('TIMGroupCreate', CreateGroupResult));
}

/** TIMGroupDelete: dissolves the group (its owner; never a Private group). */
export function deleteGroup(backend: TimBackend, groupId: string): Observable<void> {
  return command(backend, 'TIMGroupDelete', [groupId], noData);
}

/** TIMGroupJoin: joins at once, or leaves a request for the owner and admins (add option "auth"). */
export function joinGroup(backend: TimBackend, groupId: string, helloMessage?: string): Observable<void> {
  return command(backend, 'TIMGroupJoin', [groupId, helloMessage ?? null], noData);
}

/** TIMGroupQuit. */
export function quitGroup(backend: TimBackend, groupId: string): Observable<void> {
  return command(backend, 'TIMGroupQuit', [groupId], noData);
}

/** TIMGroupInviteMember: one result per user (ok, invited = waiting for consent, already a member, failed). */
export function inviteGroupMembers(backend: TimBackend, param: GroupInviteMemberParam): Observable<readonly GroupInviteMemberResult[]> {
  return command(backend, 'TIMGroupInviteMember', () => [encodeJson(GroupInviteMemberParam, param)],
    decodeReply('TIMGroupInviteMember', InviteResults));
}

/** TIMGroupDeleteMember: one result per user. */
export function deleteGroupMembers(backend: TimBackend, param: GroupDeleteMemberParam): Observable<readonly GroupDeleteMemberResult[]> {
  return command(backend, 'TIMGroupDeleteMember', () => [encodeJson(GroupDeleteMemberParam, param)],
    decodeReply('TIMGroupDeleteMember', DeleteResults));
}

/** TIMGroupGetJoinedGroupList. */
export function getJoinedGroupList(backend: TimBackend): Observable<readonly GroupBaseInfo[]> {
  return command(backend, 'TIMGroupGetJoinedGroupList', [], decodeReply('TIMGroupGetJoinedGroupList', GroupBaseInfoList));
}

/**
 * TIMGroupGetGroupInfoList: one result per id asked for, in order, unknown
 * ids included (not ok, with their code). No ids: emits `[]` without a call.
 */
export function getGroupInfoList(backend: TimBackend, groupIds: readonly string[]): Observable<readonly GroupInfoResult[]> {
  if (groupIds.length === 0) return of([]);
  const decode = decodeReply('TIMGroupGetGroupInfoList', InfoResults);
  return command(backend, 'TIMGroupGetGroupInfoList', () => [JSON.stringify(groupIds)], (reply) =>
    decode(reply).map((r, i): GroupInfoResult => {
      const groupId = r.info?.groupId ?? groupIds[i] ?? '';
      return r.code === 0 && r.info !== undefined ? { groupId, ok: true, info: r.info } : { groupId, ok: false, code: r.code, desc: r.desc };
    }));
}

/** TIMGroupModifyGroupInfo: the fields given change (their flags OR-ed); `owner` transfers the group. */
export function modifyGroupInfo(backend: TimBackend, param: GroupModifyInfoParam): Observable<void> {
  return command(backend, 'TIMGroupModifyGroupInfo', () => [encodeJson(GroupModifyInfoParam, param)], noData);
}

/** TIMGroupGetMemberInfoList: one page (`nextSeq` 0n = the last). */
export function getGroupMemberInfoList(backend: TimBackend, param: GroupGetMemberInfoListParam): Observable<GroupGetMemberInfoListResult> {
  return command(backend, 'TIMGroupGetMemberInfoList', () => [encodeJson(GroupGetMemberInfoListParam, param)],
    decodeReply('TIMGroupGetMemberInfoList', GroupGetMemberInfoListResult));
}

/** TIMGroupModifyMemberInfo: the fields given change (role, mute, name card, receive option, custom). */
export function modifyGroupMemberInfo(backend: TimBackend, param: GroupModifyMemberInfoParam): Observable<void> {
  return command(backend, 'TIMGroupModifyMemberInfo', () => [encodeJson(GroupModifyMemberInfoParam, param)], noData);
}

/** TIMGroupGetPendencyList: one page, newest first (`nextStartTime` 0n = the last). */
export function getGroupPendencyList(backend: TimBackend, option: GroupPendencyOption = { startTime: 0n }): Observable<GroupPendencyResult> {
  return command(backend, 'TIMGroupGetPendencyList', () => [encodeJson(GroupPendencyOption, option)],
    decodeReply('TIMGroupGetPendencyList', GroupPendencyResult));
}

/** TIMGroupReportPendencyReaded: pendencies added up to `timestamp` are read (they stay listed). */
export function reportGroupPendencyRead(backend: TimBackend, timestamp: bigint | number): Observable<void> {
  return command(backend, 'TIMGroupReportPendencyReaded', () => [BigInt(timestamp)], noData);
}

/** TIMGroupHandlePendency: accepts or refuses one pendency, as listed; once only (10024 after). */
export function handleGroupPendency(backend: TimBackend, param: GroupHandlePendencyParam): Observable<void> {
  return command(backend, 'TIMGroupHandlePendency', () => [encodeJson(GroupHandlePendencyParam, param)], noData);
}

/** Calls `page(cursor)` from 0n until a page's cursor is 0n; emits each page. */
function pages<P>(first: () => Observable<P>, next: (p: P) => bigint, again: (cursor: bigint) => Observable<P>): Observable<P> {
  return first().pipe(expand((p) => (next(p) === 0n ? EMPTY : again(next(p)))));
}

/** `tim.groups`: the group functions of the spec, grouped. */
export function groupApi(backend: TimBackend) {
  type Role = Exclude<GroupMemberRole, 'none'>;
  const memberPage = (groupId: string, roles: readonly Role[] | undefined, nextSeq: bigint) =>
    getGroupMemberInfoList(backend, roles === undefined ? { groupId, nextSeq } : { groupId, roles, nextSeq });
  const memberPages = (groupId: string, roles?: readonly Role[]) =>
    pages(() => memberPage(groupId, roles, 0n), (p) => p.nextSeq, (seq) => memberPage(groupId, roles, seq));
  const pendencyPage = (maxCount: number | undefined, startTime: bigint) =>
    getGroupPendencyList(backend, maxCount === undefined ? { startTime } : { startTime, maxCount });
  const pendencyPages = (maxCount?: number) =>
    pages(() => pendencyPage(maxCount, 0n), (p) => p.nextStartTime, (start) => pendencyPage(maxCount, start));
  return {
    /** TIMGroupCreate. */
    create: (params: CreateGroupParam) => createGroup(backend, params),
    /** TIMGroupDelete (dissolve). */
    delete: (groupId: string) => deleteGroup(backend, groupId),
    /** TIMGroupJoin. */
    join: (groupId: string, helloMessage?: string) => joinGroup(backend, groupId, helloMessage),
    /** TIMGroupQuit. */
    quit: (groupId: string) => quitGroup(backend, groupId),
    /** TIMGroupInviteMember. */
    inviteMembers: (param: GroupInviteMemberParam) => inviteGroupMembers(backend, param),
    /** TIMGroupDeleteMember. */
    deleteMembers: (param: GroupDeleteMemberParam) => deleteGroupMembers(backend, param),
    /** TIMGroupGetJoinedGroupList. */
    joinedList: () => getJoinedGroupList(backend),
    /** TIMGroupGetGroupInfoList. */
    infoList: (groupIds: readonly string[]) => getGroupInfoList(backend, groupIds),
    /** TIMGroupModifyGroupInfo. */
    modifyInfo: (param: GroupModifyInfoParam) => modifyGroupInfo(backend, param),
    /** TIMGroupModifyGroupInfo with the owner flag alone. */
    transferOwner: (groupId: string, newOwner: string) => modifyGroupInfo(backend, { groupId, owner: newOwner }),
    /** TIMGroupGetMemberInfoList: one page. */
    memberList: (param: GroupGetMemberInfoListParam) => getGroupMemberInfoList(backend, param),
    /** Every page of TIMGroupGetMemberInfoList, one emission per page. */
    memberPages: (groupId: string, roles?: readonly Role[]) => memberPages(groupId, roles).pipe(map((p) => p.members)),
    /** Every member (all pages), as one array. */
    allMembers: (groupId: string, roles?: readonly Role[]): Observable<readonly GroupMemberInfo[]> =>
      memberPages(groupId, roles).pipe(reduce((all: readonly GroupMemberInfo[], p) => [...all, ...p.members], [])),
    /** TIMGroupModifyMemberInfo. */
    modifyMemberInfo: (param: GroupModifyMemberInfoParam) => modifyGroupMemberInfo(backend, param),
    /** TIMGroupGetPendencyList: one page. */
    pendencyList: (option?: GroupPendencyOption) => getGroupPendencyList(backend, option),
    /** Every page of TIMGroupGetPendencyList, one emission per page. */
    pendencyPages: (maxCount?: number) => pendencyPages(maxCount),
    /** Every pendency (all pages), newest first. */
    allPendencies: (maxCount?: number): Observable<readonly GroupPendency[]> =>
      pendencyPages(maxCount).pipe(reduce((all: readonly GroupPendency[], p) => [...all, ...p.pendencies], [])),
    /** TIMGroupReportPendencyReaded. */
    reportPendencyRead: (timestamp: bigint | number) => reportGroupPendencyRead(backend, timestamp),
    /** TIMGroupHandlePendency. */
    handlePendency: (param: GroupHandlePendencyParam) => handleGroupPendency(backend, param),
    /** TIMGroupHandlePendency, accepting. */
    accept: (pendency: GroupPendency, message?: string) =>
      handleGroupPendency(backend, message === undefined ? { pendency, accept: true } : { pendency, accept: true, message }),
    /** TIMGroupHandlePendency, refusing. */
    refuse: (pendency: GroupPendency, message?: string) =>
      handleGroupPendency(backend, message === undefined ? { pendency, accept: false } : { pendency, accept: false, message }),
  };
}
export type GroupApi = ReturnType<typeof groupApi>;
