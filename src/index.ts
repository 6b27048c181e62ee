// tim-rx: the public entry point.
export { createTimClient, type TimClient, type TimClientOptions } from './client.js';
export { TimError, isTimError, TimCode, TimResult, type TimErrorKind } from './errors.js';
export type { TimBackend, RawReply, NativeArg, NativeEvent, NativeEventMap } from './backend/types.js';
export { commandApis, type CommandApi } from './backend/api.js';
export { KoffiBackend, defaultLibraryPath, type KoffiBackendOptions } from './backend/koffi-backend.js';
export * from './codecs/index.js';
export { login, logout } from './commands/manager.js';
export { getConversationList } from './commands/conversation.js';
export { sendMessage, type SendEvent, type MessageInput } from './commands/message.js';
export type { TimEvents, NetworkStatusEvent, LogEvent } from './streams/events.js';
export type { Diagnostic } from './streams/diagnostics.js';
