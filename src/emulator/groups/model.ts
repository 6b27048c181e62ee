/**
 * Numbers of the group part of the spec (reference § A.12–A.27, v8 values)
 * and the group error codes the emulator answers with (§ D.2).
 */

/** TIMGroupType (A.12). */
export const GroupType = { Public: 0, Private: 1, ChatRoom: 2, BChatRoom: 3, AVChatRoom: 4, Community: 5 } as const;

/** TIMGroupAddOption (A.13). */
export const AddOption = { Forbid: 0, Auth: 1, Any: 2 } as const;

/** TIMGroupMemberRole, v8 values (A.14). */
export const Role = { None: 0, Member: 200, Admin: 300, Owner: 400 } as const;
export type Role = typeof Role.Member | typeof Role.Admin | typeof Role.Owner;

/** TIMReceiveMessageOpt (A.15). */
export const RecvOpt = { Receive: 0, NotReceive: 1, NotNotify: 2, NotNotifyExceptAt: 3 } as const;

/** TIMGroupTipType (A.16). */
export const TipType = {
  Invite: 1, Quit: 2, Kick: 3, SetAdmin: 4, CancelAdmin: 5, GroupInfoChange: 6, MemberInfoChange: 7,
} as const;

/** TIMGroupJoinType (A.28): how a member came in (join tips). */
export const JoinType = { None: 0, Apply: 1, Invite: 2 } as const;

/** TIMGroupTipGroupChangeFlag, v8 numbering (A.17). */
export const ChangeFlag = {
  Name: 1, Introduction: 2, Notification: 3, FaceUrl: 4, Owner: 5, Custom: 6, ShutupAll: 8, GroupAddOpt: 11, GroupApproveOpt: 12,
} as const;

/** TIMGroupReportType (A.18). */
export const ReportType = {
  AddRequest: 1, AddAccept: 2, AddRefuse: 3, BeKicked: 4, Delete: 5, Create: 6, Invite: 7,
  InviteReqToInvitee: 12, InviteAccept: 13, InviteRefuse: 14,
} as const;

/** TIMGroupModifyInfoFlag (A.19), bitwise OR; Owner is bit 31 (normalised with `>>> 0`). */
export const ModifyInfoFlag = {
  Name: 0x1, Notification: 0x2, Introduction: 0x4, FaceUrl: 0x8, AddOption: 0x10, MaxMemberNum: 0x20,
  Visible: 0x40, Searchable: 0x80, ShutupAll: 0x100, Custom: 0x200, ApproveOption: 0x1000, Owner: 0x80000000,
} as const;

/** TIMGroupMemberModifyInfoFlag (A.20), bitwise OR. */
export const MemberModifyFlag = { MsgFlag: 0x1, MemberRole: 0x2, ShutupTime: 0x4, NameCard: 0x8, Custom: 0x10 } as const;

/** TIMGroupMemberRoleFlag (A.23): member list filter, 0 = all. */
export const RoleFlag = { Owner: 0x1, Admin: 0x2, Member: 0x4 } as const;

/** HandleGroupMemberResult (A.24): per-user result of invite / delete. */
export const MemberResult = { Failed: 0, Ok: 1, AlreadyMember: 2, Invited: 3 } as const;

/** TIMGroupPendencyType (A.25). */
export const PendencyType = { JoinRequest: 0, Invitation: 1 } as const;

/** TIMGroupPendencyHandle (A.26): as seen by the viewer. */
export const PendencyHandled = { NotHandled: 0, OtherHandled: 1, OperatorHandled: 2 } as const;

/** The sender of server-produced messages (tips and reports), as in the seed examples. */
export const SYSTEM_SENDER = '@TIM#SYSTEM';

/** Prefix of the ids the server assigns; a caller's own id may not use it. */
export const SERVER_ID_PREFIX = '@TGS#';

/** Limits (bytes of UTF-8) of the cloud's group fields. */
export const Limits = {
  groupId: 48,
  name: 30,
  introduction: 240,
  notification: 300,
  faceUrl: 100,
  nameCard: 50,
  /** TIMGroupGetGroupInfoList: ids per call. */
  infoIds: 50,
  /** TIMGroupGetMemberInfoList: members per page. */
  memberPage: 50,
  /** TIMGroupGetPendencyList: default and largest page. */
  pendencyPage: 20,
  pendencyPageMax: 100,
  /** AVChatRoom member lists show owner, admins and this many ordinary members. */
  avChatRoomListedMembers: 30,
} as const;

/** Default max_member_num per group type (the cloud's defaults; 0 = no limit). */
export const DEFAULT_MAX_MEMBERS: Readonly<Record<number, number>> = {
  [GroupType.Public]: 2000,
  [GroupType.Private]: 200,
  [GroupType.ChatRoom]: 6000,
  [GroupType.BChatRoom]: 0,
  [GroupType.AVChatRoom]: 0,
};

/** Group callback codes (§ D.2, v8 names). */
export const GroupCode = {
  /** ERR_SVR_GROUP_INVALID_PARAMETERS */
  INVALID_PARAMETERS: 10004,
  /** ERR_SVR_GROUP_PERMISSION_DENY */
  PERMISSION_DENY: 10007,
  /** ERR_SVR_GROUP_SUPER_NOT_ALLOW_QUIT: the owner of a non-private group quits. */
  OWNER_CANNOT_QUIT: 10009,
  /** ERR_SVR_GROUP_NOT_FOUND */
  NOT_FOUND: 10010,
  /** ERR_SVR_GROUP_ALLREADY_MEMBER */
  ALREADY_MEMBER: 10013,
  /** ERR_SVR_GROUP_FULL_MEMBER_COUNT */
  FULL: 10014,
  /** ERR_SVR_GROUP_INVALID_GROUPID: a custom id of a bad form. */
  INVALID_GROUP_ID: 10015,
  /** ERR_SVR_GROUP_SHUTUP_DENY: muted member, or everyone muted. */
  MUTED: 10017,
  /** ERR_SVR_GROUP_ACCOUNT_NOT_FOUND: an initial member who never logged in. */
  ACCOUNT_NOT_FOUND: 10019,
  /** ERR_SVR_GROUP_GROUPID_IN_USED */
  ID_IN_USE: 10021,
  /** ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND */
  REVOKE_NOT_FOUND: 10030,
  /** ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT */
  REVOKE_TIME_LIMIT: 10031,
  /** ERR_SVR_GROUP_REVOKE_MSG_DENY: another member's message without the rank to revoke it, or a tip. */
  REVOKE_DENY: 10032,
  /** ERR_SVR_GROUP_REQ_ALLREADY_BEEN_PROCESSED */
  ALREADY_PROCESSED: 10024,
  /** ERR_SDK_GROUP_INVALID_ID: empty group id. */
  SDK_INVALID_ID: 8501,
  /** ERR_SDK_GROUP_INVALID_NAME */
  SDK_INVALID_NAME: 8502,
  /** ERR_SDK_GROUP_INVALID_INTRODUCTION */
  SDK_INVALID_INTRODUCTION: 8503,
  /** ERR_SDK_GROUP_INVALID_NOTIFICATION */
  SDK_INVALID_NOTIFICATION: 8504,
  /** ERR_SDK_GROUP_INVALID_FACE_URL */
  SDK_INVALID_FACE_URL: 8505,
  /** ERR_SDK_GROUP_INVALID_NAME_CARD */
  SDK_INVALID_NAME_CARD: 8506,
  /** ERR_SDK_GROUP_JOIN_PRIVATE_GROUP_DENY */
  JOIN_PRIVATE_DENY: 8508,
  /** ERR_SDK_GROUP_INVITE_NO_MEMBER: invite with an empty list. */
  INVITE_NO_MEMBER: 8510,
  /** ERR_SDK_GROUP_GET_GROUPS_INFO_LIMIT: more than 50 ids. */
  INFO_LIMIT: 8513,
} as const;
