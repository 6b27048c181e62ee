/**
 * Group tips and reports as discriminated unions, built on the element
 * codecs of elements-group.ts (GroupTipsElem B5.5, GroupReportElem B5.8):
 * `kind` says what happened and each kind carries what matters for it.
 *
 * `GroupTipsPayload` decodes TIMGroupTipsEventCallback's `json_group_tip`:
 * one GroupTipsElem object (v8) or an array of them (2019, "a list").
 */
import * as t from 'io-ts';
import { GroupReportElement, GroupTipsElement, type GroupChangeInfo } from './elements-group.js';
import { tryDecode } from './group-common.js';
import { GroupAddOption, GroupJoinType } from './group-enums.js';
import type { GroupMemberInfo } from './group-member.js';
import type { GroupReportType, GroupTipType } from './enums.js';

/** One changed field of a group-info-change tip (TIMGroupTipGroupChangeFlag, v8 numbering). */
export type GroupInfoChange =
  | { readonly field: 'name' | 'introduction' | 'notification' | 'face-url' | 'owner'; readonly value: string }
  | { readonly field: 'custom'; readonly key: string; readonly value: string }
  | { readonly field: 'all-muted'; readonly value: boolean }
  | { readonly field: 'add-option' | 'approve-option'; readonly value: GroupAddOption | undefined }
  | { readonly field: 'other'; readonly flag: number; readonly change: GroupChangeInfo };

const TEXT_FIELDS: Readonly<Record<number, 'name' | 'introduction' | 'notification' | 'face-url' | 'owner'>> = {
  1: 'name', 2: 'introduction', 3: 'notification', 4: 'face-url', 5: 'owner',
};

export function groupInfoChangeOf(c: GroupChangeInfo): GroupInfoChange {
  const flag = c.flag ?? 0;
  const field = TEXT_FIELDS[flag];
  if (field !== undefined) return { field, value: c.value ?? '' };
  if (flag === 6) return { field: 'custom', key: c.key ?? '', value: c.value ?? '' };
  if (flag === 8) return { field: 'all-muted', value: c.boolValue ?? c.value === '1' };
  if (flag === 11 || flag === 12) {
    return { field: flag === 11 ? 'add-option' : 'approve-option', value: tryDecode(GroupAddOption, c.intValue ?? Number(c.value)) };
  }
  return { field: 'other', flag, change: c };
}

interface TipsCommon {
  readonly groupId: string;
  readonly opUser: string;
  /** The operator as a member (role at the time), when the tip carries it. */
  readonly opMember?: GroupMemberInfo;
  /** Members after the change (join, quit and kick tips). */
  readonly memberCount: number;
  /** The whole element, every key included. */
  readonly element: GroupTipsElement;
}

/** A GroupTips element (TIMGroupTipType) by what happened. */
export type GroupTips = TipsCommon & (
  | { readonly kind: 'joined'; readonly joinType: GroupJoinType; readonly userIds: readonly string[] }
  | { readonly kind: 'quit' | 'kicked' | 'admin-granted' | 'admin-revoked'; readonly userIds: readonly string[] }
  | { readonly kind: 'info-changed'; readonly changes: readonly GroupInfoChange[] }
  | {
    readonly kind: 'member-info-changed';
    /** Mutes set (seconds; 0 = lifted). */
    readonly mutes: readonly { readonly userId: string; readonly muteSeconds: number }[];
    /** The changed members as they are now (name cards, mutes). */
    readonly members: readonly GroupMemberInfo[];
  }
  | { readonly kind: 'other'; readonly tipType: GroupTipType | undefined }
);

const USER_KINDS: Partial<Record<GroupTipType, 'quit' | 'kicked' | 'admin-granted' | 'admin-revoked'>> = {
  quit: 'quit', kick: 'kicked', 'set-admin': 'admin-granted', 'cancel-admin': 'admin-revoked',
};

export function groupTipsOf(e: GroupTipsElement): GroupTips {
  const common: TipsCommon = {
    groupId: e.groupId ?? '',
    opUser: e.opUser ?? '',
    memberCount: e.memberCount ?? 0,
    element: e,
    ...(e.opMemberInfo === undefined ? {} : { opMember: e.opMemberInfo }),
  };
  const userIds = e.users ?? [];
  const usersKind = e.tipType === undefined ? undefined : USER_KINDS[e.tipType];
  if (e.tipType === 'invite') return { ...common, kind: 'joined', joinType: tryDecode(GroupJoinType, e.joinType ?? 0) ?? 'none', userIds };
  if (usersKind !== undefined) return { ...common, kind: usersKind, userIds };
  if (e.tipType === 'group-info-change') return { ...common, kind: 'info-changed', changes: (e.groupChanges ?? []).map(groupInfoChangeOf) };
  if (e.tipType === 'member-info-change') {
    return {
      ...common,
      kind: 'member-info-changed',
      mutes: (e.memberChanges ?? []).map((c) => ({ userId: c.userId ?? '', muteSeconds: c.shutUpTime ?? 0 })),
      members: e.changedMemberInfos ?? [],
    };
  }
  return { ...common, kind: 'other', tipType: e.tipType };
}

/** TIMGroupTipsEventCallback's payload: one GroupTipsElem (v8) or a list (2019); `elem_type` may be absent. */
export const GroupTipsPayload = new t.Type<readonly GroupTips[], unknown, unknown>(
  'GroupTipsPayload',
  (u): u is readonly GroupTips[] => Array.isArray(u),
  (u, c) => {
    const items = Array.isArray(u) ? u : [u];
    const out: GroupTips[] = [];
    for (const [i, item] of items.entries()) {
      const withType = typeof item === 'object' && item !== null && !('elem_type' in item) ? { elem_type: 5, ...item } : item;
      const r = GroupTipsElement.validate(withType, Array.isArray(u) ? t.appendContext(c, String(i), GroupTipsElement, item) : c);
      if (r._tag === 'Left') return r;
      out.push(groupTipsOf(r.right));
    }
    return t.success(out);
  },
  (tips) => tips.map((tip) => GroupTipsElement.encode(tip.element)),
);

/** A GroupReport element (TIMGroupReportType) by what happened, for the user it concerns. */
export interface GroupReport {
  readonly kind: GroupReportType | 'none';
  readonly groupId: string;
  readonly opUser: string;
  /** The request, invitation or answer text. */
  readonly message: string;
  readonly userData: string;
  readonly opMember?: GroupMemberInfo;
  /** Mute reports (v8). */
  readonly muteSeconds?: number;
  readonly element: GroupReportElement;
}

export function groupReportOf(e: GroupReportElement): GroupReport {
  const opMember = e.opMemberInfo;
  return {
    kind: e.reportType ?? 'none',
    groupId: e.groupId ?? '',
    opUser: e.opUser ?? '',
    message: e.message ?? '',
    userData: e.userData ?? '',
    ...(opMember === undefined ? {} : { opMember }),
    ...(e.shutUpTime === undefined ? {} : { muteSeconds: e.shutUpTime }),
    element: e,
  };
}
