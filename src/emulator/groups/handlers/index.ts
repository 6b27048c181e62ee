/** The group functions (ids 33–46 of the wire table) and their handlers. */
import type { Handler } from '../../handlers/context.js';
import { FunctionId } from '../../wire/constants.js';
import { getGroupInfoList, getJoinedGroupList, modifyGroupInfo } from './info.js';
import { createGroup, deleteGroup } from './lifecycle.js';
import { getMemberInfoList, modifyMemberInfo } from './members.js';
import { deleteMembers, inviteMembers, joinGroup, quitGroup } from './membership.js';
import { getPendencyList, handlePendency, reportPendencyReaded } from './pendency.js';

export const GROUP_HANDLERS: readonly (readonly [number, Handler])[] = [
  [FunctionId.GroupCreate, createGroup],
  [FunctionId.GroupDelete, deleteGroup],
  [FunctionId.GroupJoin, joinGroup],
  [FunctionId.GroupQuit, quitGroup],
  [FunctionId.GroupInviteMember, inviteMembers],
  [FunctionId.GroupDeleteMember, deleteMembers],
  [FunctionId.GroupGetJoinedGroupList, getJoinedGroupList],
  [FunctionId.GroupGetGroupInfoList, getGroupInfoList],
  [FunctionId.GroupModifyGroupInfo, modifyGroupInfo],
  [FunctionId.GroupGetMemberInfoList, getMemberInfoList],
  [FunctionId.GroupModifyMemberInfo, modifyMemberInfo],
  [FunctionId.GroupGetPendencyList, getPendencyList],
  [FunctionId.GroupReportPendencyReaded, reportPendencyReaded],
  [FunctionId.GroupHandlePendency, handlePendency],
];
