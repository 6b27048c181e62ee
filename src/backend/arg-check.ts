/**
 * Names the argument a C function cannot take, before the call is made: a
 * string parameter given `undefined`, `null` (where the C API does not accept
 * NULL) or a non-string. Without it such a call reaches the C function and
 * comes back as a bare TIM_ERR_PARAM (`TIMLogin returned -4`), which does not
 * say which argument was wrong. Parameter names are the C API's (reference.md § C.1).
 */
import type { CommandApi, SyncApi } from './api.js';
import { TimError } from '../errors.js';
import type { NativeArg } from './types.js';

/** C parameter names; a trailing `?` marks one for which NULL is a documented value. */
type ParamNames = readonly string[];

const CONV = ['conv_id', 'conv_type'] as const;

/** The non-callback parameters of every C function tim-rx calls, in order. */
const paramNames: Record<CommandApi | SyncApi, ParamNames> = {
  TIMLogin: ['user_id', 'user_sig'],
  TIMLogout: [],
  TIMConvCreate: CONV,
  TIMConvDelete: CONV,
  TIMConvGetConvList: [],
  TIMConvSetDraft: [...CONV, 'json_draft_param'],
  TIMConvCancelDraft: CONV,
  TIMMsgSendNewMsg: [...CONV, 'json_msg_param'],
  TIMMsgReportReaded: [...CONV, 'json_msg_param?'],
  TIMMsgRevoke: [...CONV, 'json_msg_param'],
  TIMMsgFindByMsgLocatorList: [...CONV, 'json_msg_Locator_array'],
  TIMMsgImportMsgList: [...CONV, 'json_msg_array'],
  TIMMsgSaveMsg: [...CONV, 'json_msg_param'],
  TIMMsgGetMsgList: [...CONV, 'json_get_msg_param'],
  TIMMsgDelete: [...CONV, 'json_msgdel_param'],
  TIMMsgDownloadElemToPath: ['json_download_elem_param', 'path'],
  TIMMsgBatchSend: ['json_batch_send_param'],
  TIMGroupCreate: ['json_group_create_param'],
  TIMGroupDelete: ['group_id'],
  TIMGroupJoin: ['group_id', 'hello_msg?'],
  TIMGroupQuit: ['group_id'],
  TIMGroupInviteMember: ['json_group_invite_param'],
  TIMGroupDeleteMember: ['json_group_delete_param'],
  TIMGroupGetJoinedGroupList: [],
  TIMGroupGetGroupInfoList: ['json_group_getinfo_param'],
  TIMGroupModifyGroupInfo: ['json_group_modifyinfo_param'],
  TIMGroupGetMemberInfoList: ['json_group_getmeminfo_param'],
  TIMGroupModifyMemberInfo: ['json_group_modifymeminfo_param'],
  TIMGroupGetPendencyList: ['json_group_getpendence_list_param'],
  TIMGroupReportPendencyReaded: ['time_stamp'],
  TIMGroupHandlePendency: ['json_group_handle_pendency_param'],
};

/** String parameters are the ones named `*_id`, `*_sig`, `json_*`, `path` or `hello_msg`; the others are numbers. */
const isStringParam = (name: string): boolean => name !== 'conv_type' && name !== 'time_stamp';

/**
 * Why `args` cannot be passed to `api` (e.g. `user_sig is missing (undefined)`),
 * or undefined when every string argument is a string (or a documented NULL).
 */
export function argumentProblem(api: CommandApi | SyncApi, args: readonly unknown[]): string | undefined {
  const names = paramNames[api];
  for (let i = 0; i < names.length; i++) {
    const spec = names[i]!;
    const nullable = spec.endsWith('?');
    const name = nullable ? spec.slice(0, -1) : spec;
    if (!isStringParam(name)) continue;
    const value = args[i] as NativeArg | undefined;
    if (typeof value === 'string' || (nullable && value === null)) continue;
    if (value === undefined || value === null) return `${name} is missing (${value === null ? 'NULL' : 'undefined'})`;
    return `${name} must be a string, got ${typeof value}`;
  }
  return undefined;
}

/** The `sync` -4 TimError naming the argument `api` cannot take, or undefined (see {@link argumentProblem}). */
export function argumentError(api: CommandApi | SyncApi, args: readonly unknown[]): TimError | undefined {
  const problem = argumentProblem(api, args);
  return problem === undefined ? undefined : TimError.badArguments(api, problem);
}
