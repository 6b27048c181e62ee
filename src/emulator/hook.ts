/**
 * The message hook: a function the emulator calls before it stores a message
 * sent by a client (TIMMsgSendNewMsg, TIMMsgBatchSend, group sends), like
 * Tencent's before-send server callback. It sees the message with its files
 * already uploaded and may let it through, change its elements, or refuse it.
 *
 * A changed message is what is stored and delivered; the sender's reply
 * still shows what it sent, and EVENT 11 (TIMMsgUpdateCallback) then brings
 * the sender the message as stored.
 */

/** What the hook sees: elements in the spec's JSON keys (B5), parsed losslessly. */
export interface HookMessage {
  readonly convType: 'c2c' | 'group';
  /** The receiver (C2C) or the group id. */
  readonly convId: string;
  readonly sender: string;
  readonly elements: readonly Record<string, unknown>[];
}

export type MessageHookResult =
  /** Store the message as sent. */
  | undefined
  /** Store these elements instead (validated like a send). */
  | { readonly elements: readonly Record<string, unknown>[] }
  /** Refuse: the send fails with this code (Tencent: 20006 C2C, 10016 groups) and desc. */
  | { readonly reject: number; readonly desc?: string };

export type MessageHook = (message: HookMessage) => MessageHookResult;

/** ERR_SVR_MSG_PUSH_DENY: a C2C message refused by the before-send hook. */
export const HOOK_REJECT_C2C = 20006;
/** ERR_SVR_GROUP_REJECT_FROM_THIRDPARTY: a group message refused by the hook. */
export const HOOK_REJECT_GROUP = 10016;
