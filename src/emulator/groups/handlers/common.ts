/** What the group handlers share: the caller, group lookup, field limits, composing follow-up work. */
import { failure, ok, type CallInput, type CallResult, type EmulatorContext } from '../../handlers/context.js';
import type { After } from '../deliver.js';
import { GroupCode, Limits, SERVER_ID_PREFIX } from '../model.js';
import { utf8Length } from '../params.js';
import type { Denial } from '../rules.js';
import type { Group } from '../store.js';

/** The logged-in user making the call (the dispatcher checked the session). */
export const caller = (call: CallInput): string => call.conn.session!.userId;

export const refuse = (d: Denial): CallResult => failure(d.code, d.desc);

/** The group, or the failure for an empty id (8501) or an unknown one (10010). */
export function findGroup(ctx: EmulatorContext, groupId: string | undefined): Group | CallResult {
  if (groupId === undefined || groupId.length === 0) return failure(GroupCode.SDK_INVALID_ID, 'group id is empty');
  const g = ctx.store.groups.group(groupId);
  return g ?? failure(GroupCode.NOT_FOUND, `group "${groupId}" does not exist`);
}

export const isResult = (v: unknown): v is CallResult =>
  typeof v === 'object' && v !== null && 'code' in v && 'desc' in v && 'json' in v;

/** `ok(json)` whose follow-up runs every `afters` in order. */
export function okThen(json: string, afters: readonly After[]): CallResult {
  return afters.length === 0 ? ok(json) : ok(json, () => afters.forEach((a) => a()));
}

/** The SDK's local checks of profile fields (8502–8506): byte lengths, a name is required. */
const FIELD_LIMITS = {
  name: { max: Limits.name, code: GroupCode.SDK_INVALID_NAME, label: 'group name' },
  introduction: { max: Limits.introduction, code: GroupCode.SDK_INVALID_INTRODUCTION, label: 'introduction' },
  notification: { max: Limits.notification, code: GroupCode.SDK_INVALID_NOTIFICATION, label: 'notification' },
  faceUrl: { max: Limits.faceUrl, code: GroupCode.SDK_INVALID_FACE_URL, label: 'face url' },
  nameCard: { max: Limits.nameCard, code: GroupCode.SDK_INVALID_NAME_CARD, label: 'name card' },
} as const;

export function checkField(field: keyof typeof FIELD_LIMITS, value: string | undefined): Denial | undefined {
  if (value === undefined) return undefined;
  const limit = FIELD_LIMITS[field];
  if (field === 'name' && value.length === 0) return { code: limit.code, desc: 'a group name is required' };
  const bytes = utf8Length(value);
  return bytes > limit.max ? { code: limit.code, desc: `${limit.label} is ${bytes} bytes, above ${limit.max}` } : undefined;
}

/**
 * A group id chosen by the caller: printable ASCII (spaces allowed, the seed
 * uses "first group id"), at most 48 bytes, not the server's `@TGS#` prefix (10015).
 */
export function checkCustomGroupId(id: string): Denial | undefined {
  if (!/^[\x20-\x7e]+$/.test(id)) return { code: GroupCode.INVALID_GROUP_ID, desc: `group id "${id}" must be printable ASCII` };
  if (id.length > Limits.groupId) return { code: GroupCode.INVALID_GROUP_ID, desc: `group id is longer than ${Limits.groupId} bytes` };
  if (id.startsWith(SERVER_ID_PREFIX)) return { code: GroupCode.INVALID_GROUP_ID, desc: `group ids starting with ${SERVER_ID_PREFIX} are assigned by the server` };
  return undefined;
}
