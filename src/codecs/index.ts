export { U64, Int, Seconds, enumCodec } from './primitives.js';
export {
  ConvType, ConvEventKind, NetworkStatus, MessageStatus, MessagePriority, LogLevel, ImageLevel, DownloadType, GroupTipType,
  GroupReportType,
} from './enums.js';
export {
  Element, TextElement, CustomElement, FaceElement, LocationElement, UnknownElement, type ElementType,
} from './elements.js';
export {
  ImageElement, SoundElement, FileElement, VideoElement, type ImageVariant, type VideoFile, type VideoSnapshot,
} from './elements-media.js';
export { GroupTipsElement, GroupReportElement, GroupChangeInfo, MemberChangeInfo } from './elements-group.js';
export { UserProfile } from './profile.js';
export { Message, MessageList, OutgoingMessage, ConversationKey } from './message.js';
export {
  MessageLocator, MessageLocatorList, locatorOf, GetMessageListParams, DeleteMessageParams, DownloadElementParams,
  DownloadProgress, BatchSendParams, BatchSendResult, BatchSendResultList, MessageReceipt, MessageReceiptList,
  downloadParamsOf, type DownloadPart, type UploadProgress,
} from './message-params.js';
export { Conversation, ConversationList, Draft, type ConversationEvent } from './conversation.js';
export { SdkConfig, SetConfig } from './config.js';
export {
  GroupType, GroupAddOption, GroupMemberRole, GroupMemberRoleInput, ReceiveMessageOption, MemberOperationResult, PendencyType,
  PendencyHandled, PendencyHandleResult, GroupJoinType, RoleFilter,
} from './group-enums.js';
export {
  GroupMemberInfo, InitialMember, GroupInviteMemberParam, GroupInviteMemberResult, GroupDeleteMemberParam, GroupDeleteMemberResult,
  GroupGetMemberInfoListParam, GroupGetMemberInfoListResult, GroupModifyMemberInfoParam,
} from './group-member.js';
export {
  CreateGroupParam, CreateGroupResult, GroupSelfInfo, GroupBaseInfo, GroupBaseInfoList, GroupDetailInfo, GetGroupInfoResult,
  GroupModifyInfoParam,
} from './group-info.js';
export { GroupPendencyOption, GroupPendency, GroupPendencyResult, GroupHandlePendencyParam } from './group-pendency.js';
export {
  GroupTipsPayload, groupTipsOf, groupReportOf, groupInfoChangeOf, type GroupTips, type GroupReport, type GroupInfoChange,
} from './group-tips.js';
export { decodeJson, decodeValue, encodeJson, type DecodeFailure } from './decode.js';
