// tim-rx: the public entry point.
export { createTimClient, type TimClient, type TimClientOptions } from './client.js';
export type { Disposal } from './disposal.js';
export { TimError, isTimError, TimCode, TimResult, type TimErrorKind } from './errors.js';
export type { TimBackend, RawReply, NativeArg, NativeEvent, NativeEventMap } from './backend/types.js';
export { commandApis, type CommandApi } from './backend/api.js';
export { KoffiBackend, defaultLibraryPath, type CallbackDelivery, type KoffiBackendOptions } from './backend/koffi-backend.js';
export * from './codecs/index.js';
export { login, logout } from './commands/manager.js';
export {
  getConversationList, createConversation, deleteConversation, setDraft, cancelDraft, type DraftInput, type ConversationApi,
} from './commands/conversation.js';
export {
  sendMessage, batchSend, sentMessage, toOutgoing, type SendEvent, type SentEvent, type MessageInput, type MessageApi,
} from './commands/message.js';
export {
  reportRead, revokeMessage, findMessages, getMessageList, deleteMessages, importMessages, saveMessage, downloadElement,
  type GetListOptions,
} from './commands/message-ops.js';
export { UploadTracker, type UploadProgressEvent } from './commands/upload-tracker.js';
export {
  groupApi, createGroup, deleteGroup, joinGroup, quitGroup, inviteGroupMembers, deleteGroupMembers, getJoinedGroupList,
  getGroupInfoList, modifyGroupInfo, getGroupMemberInfoList, modifyGroupMemberInfo, getGroupPendencyList,
  reportGroupPendencyRead, handleGroupPendency, type GroupApi, type GroupInfoResult,
} from './commands/group.js';
export type { TimEvents, NetworkStatusEvent, LogEvent } from './streams/events.js';
export type { Diagnostic } from './streams/diagnostics.js';
export type { SessionOutcome, SessionReporter } from './commands/manager.js';
// State: replayed, de-duplicated, with a getter beside each stream; the pure reducers and operators it is built from.
export { createTimState, type TimState, type TimStateOptions, type StateSources, type TimStateHandle } from './streams/state.js';
export {
  ConversationListState, reduceConversationList, conversationList,
  byRecentActivity, byKey, thenByKey, conversationKeyString,
  type ConversationComparator, type ConversationListAction, type ConversationChange, type ConversationListStep,
} from './streams/conversation-list.js';
export {
  totalUnread, sumUnread, countsTowardTotal, DO_NOT_DISTURB, UNCOUNTED_GROUP_TYPES, effectiveUnread, applyUnreadChanges, applyReceivedMessage, noUnread,
  type UnreadPolicy, type UnreadRules, type UnreadCounts,
} from './streams/unread.js';
export {
  reduceConnection, connectionStates, initialConnection, isLoggedIn,
  type ConnectionState, type ConnectionStatus, type ConnectionInput, type ConnectionMachine, type NetworkSnapshot,
} from './streams/connection.js';
export { throttleState } from './streams/throttle.js';
export { runInZone, inZone, ZoneScheduler, type ZoneLike } from './streams/zone.js';
