// tim-rx/testing: drive a tim-rx client from tests, without native code.
export { FakeTimBackend, type FakeTimBackendOptions } from './fake-backend.js';
export {
  ok, okWith, fails, malformed, syncFails, never, replies, late,
  type RecordedCall, type ReplyScript, type ScriptedReply, type ScriptContext, type SyncFailure,
} from './replies.js';
export { conversation, textMessage, groupTipsMessage, nativeEvent, keyOf, type KeyLike } from './fixtures.js';
