/**
 * The steps every client-sent message goes through before it is stored
 * (TIMMsgSendNewMsg C2C and group, TIMMsgBatchSend):
 *
 * 1. `parseOutgoing` (synchronous): the elements (6016) and the body size
 *    (80002), priority, client time, online flag;
 * 2. `prepareOutgoing` (asynchronous): uploads the files the elements name
 *    (their bytes come from the sender's library: transfers.ts), with EVENT 4 (upload progress) to the sender before the reply (a file
 *    error fails the send with its code, see files.ts), then the message
 *    hook (a refusal fails the send; a change is what gets stored).
 */
import { parseJson, stringifyJson } from '../../json/lossless.js';
import { ErrorCode } from '../errors.js';
import { FileError } from '../files.js';
import { HOOK_REJECT_C2C, HOOK_REJECT_GROUP, type HookMessage } from '../hook.js';
import { ElementFileError, hasFiles, uploadElementFiles, type UploadFile } from '../uploads.js';
import { arg } from '../wire/codec.js';
import { EventId } from '../wire/constants.js';
import { failure, nowSeconds, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { checkElements, elementsJson } from './elements.js';
import type { JsonObject } from './json-param.js';

/** Largest `message_elem_array` accepted, in UTF-8 bytes of its JSON (the cloud's 12 KB message limit). */
export const MAX_MESSAGE_BODY_BYTES = 12 * 1024;

const PRIORITY_NORMAL = 1;

/** A checked message, not yet uploaded. */
export interface ParsedOutgoing {
  readonly elems: readonly Record<string, unknown>[];
  readonly priority: number;
  /** `message_client_time` when given (a positive integer). */
  readonly clientTime: number | undefined;
  readonly isOnline: boolean;
  /** `stringifyJson(elems)` when already written (dropped once the uploads change the elements). */
  readonly elemsText?: string;
}

/** Where a message goes, for the hook and the upload progress events. */
export interface OutgoingTarget {
  readonly convType: 1 | 2;
  readonly convId: string;
  readonly sender: string;
}

/** A message ready to store: `elems` as stored (after the hook), `sentElems` as the sender sent them (after uploads). */
export interface PreparedOutgoing extends ParsedOutgoing {
  readonly elemsJson: string;
  readonly sentElemsJson: string;
  /** The hook changed the elements: the sender gets EVENT 11 with the stored message. */
  readonly changed: boolean;
}

export function parseOutgoing(input: JsonObject): ParsedOutgoing | CallResult {
  const checked = checkElements(input['message_elem_array']);
  if (!checked.ok) return failure(ErrorCode.INVALID_MSG_ELEM, checked.desc);
  const elemsText = elementsJson(checked.elems);
  // At most 3 UTF-8 bytes per UTF-16 unit: a short text is surely within the limit, unmeasured.
  const bytes = elemsText.length * 3 <= MAX_MESSAGE_BODY_BYTES ? 0 : Buffer.byteLength(elemsText, 'utf8');
  if (bytes > MAX_MESSAGE_BODY_BYTES) {
    return failure(ErrorCode.BODY_SIZE_LIMIT, `message body is ${bytes} bytes, above the ${MAX_MESSAGE_BODY_BYTES}-byte limit`);
  }
  const priority = input['message_priority'];
  const clientTime = input['message_client_time'];
  return {
    elems: checked.elems as Record<string, unknown>[],
    priority: typeof priority === 'number' && Number.isInteger(priority) && priority >= 0 && priority <= 3 ? priority : PRIORITY_NORMAL,
    clientTime: typeof clientTime === 'number' && Number.isSafeInteger(clientTime) && clientTime > 0 ? clientTime : undefined,
    isOnline: input['message_is_online_msg'] === true,
    elemsText,
  };
}

export const isCallResult = (v: unknown): v is CallResult =>
  typeof v === 'object' && v !== null && typeof (v as CallResult).code === 'number' && typeof (v as CallResult).desc === 'string';

/** The message as the upload progress events show it: the sender's view, status 1 (sending). */
function sendingView(ctx: EmulatorContext, target: OutgoingTarget, parsed: ParsedOutgoing, elems: unknown): string {
  const now = nowSeconds(ctx);
  return stringifyJson({
    message_client_time: parsed.clientTime ?? now,
    message_conv_id: target.convId,
    message_conv_type: target.convType,
    message_elem_array: elems,
    message_is_from_self: true,
    message_is_online_msg: parsed.isOnline,
    message_is_read: true,
    message_priority: parsed.priority,
    message_sender: target.sender,
    message_status: 1,
  });
}

/**
 * Uploads the element files (EVENT 4 to `call.conn` per chunk) and applies
 * the message hook. Resolves with the message to store, or the failure to
 * answer. `prepared` may be given instead of uploading again (batch send:
 * one upload, one hook call per recipient).
 */
export async function prepareOutgoing(
  ctx: EmulatorContext,
  call: CallInput,
  parsed: ParsedOutgoing,
  target: OutgoingTarget,
): Promise<PreparedOutgoing | CallResult> {
  const uploaded = await uploadFiles(ctx, call, parsed, target);
  if (isCallResult(uploaded)) return uploaded;
  return applyHook(ctx, target, { ...parsed, elems: uploaded, elemsText: undefined });
}

/**
 * Steps 2 and 3 of one send: the hook alone when no element names a file
 * (synchronous, so the reply goes out in the same turn), else the uploads
 * then the hook; then `commit`, unless the sender's session ended meanwhile
 * (logged out or kicked while the files were copied: 6014).
 */
export function prepareAndCommit(
  ctx: EmulatorContext,
  call: CallInput,
  parsed: ParsedOutgoing,
  target: OutgoingTarget,
  commit: (prepared: PreparedOutgoing) => CallResult,
): CallResult | Promise<CallResult> {
  const session = call.conn.session;
  const finish = (prepared: PreparedOutgoing | CallResult): CallResult => {
    if (isCallResult(prepared)) return prepared;
    if (call.conn.session !== session) return failure(ErrorCode.NOT_LOGGED_IN, 'not login');
    return commit(prepared);
  };
  if (!parsed.elems.some((e) => hasFiles(e['elem_type']))) return finish(applyHook(ctx, target, parsed));
  return prepareOutgoing(ctx, call, parsed, target).then(finish);
}

/** Step 2a: the uploads. Resolves with the elements, their file keys filled in. */
export async function uploadFiles(
  ctx: EmulatorContext,
  call: CallInput,
  parsed: ParsedOutgoing,
  target: OutgoingTarget,
): Promise<Record<string, unknown>[] | CallResult> {
  const elems = parsed.elems.map((e) => ({ ...e }));
  if (!elems.some((e) => hasFiles(e['elem_type']))) return elems;
  const view = sendingView(ctx, target, parsed, parsed.elems);
  const client = ctx.transfers.of(call.conn);
  const upload: UploadFile = (path, progress) => client.upload(call.requestId, path, ctx.files, progress);
  for (let i = 0; i < elems.length; i++) {
    if (!hasFiles(elems[i]!['elem_type'])) continue;
    try {
      await uploadElementFiles(ctx.files, upload, elems[i]!, i, (current, total) => {
        call.conn.event(EventId.MsgElemUploadProgress, [arg.str(view), arg.u64(BigInt(i)), arg.u64(BigInt(current)), arg.u64(BigInt(total))]);
      });
    } catch (e) {
      if (e instanceof FileError) return failure(e.code, e.message);
      if (e instanceof ElementFileError) return failure(ErrorCode.INVALID_MSG_ELEM, e.message);
      throw e;
    }
  }
  return sortKeys(elems);
}

/** Step 2b: the hook. Synchronous; the hook is called once per call. */
export function applyHook(ctx: EmulatorContext, target: OutgoingTarget, parsed: ParsedOutgoing): PreparedOutgoing | CallResult {
  const sentElemsJson = parsed.elemsText ?? stringifyJson(parsed.elems);
  const hook = ctx.rules.messageHook;
  const unchanged: PreparedOutgoing = {
    elems: parsed.elems, priority: parsed.priority, clientTime: parsed.clientTime, isOnline: parsed.isOnline,
    elemsJson: sentElemsJson, sentElemsJson, changed: false,
  };
  if (hook === undefined) return unchanged;
  const message: HookMessage = {
    convType: target.convType === 1 ? 'c2c' : 'group',
    convId: target.convId,
    sender: target.sender,
    elements: parseJson(sentElemsJson) as Record<string, unknown>[],
  };
  let result;
  try {
    result = hook(message);
  } catch (e) {
    ctx.log.error(`message hook threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return failure(ErrorCode.INTERNAL_ERROR, `the message hook failed: ${(e as Error).message}`);
  }
  if (result === undefined || result === null) return unchanged;
  if ('reject' in result) {
    const code = Number.isInteger(result.reject) && result.reject !== 0 ? result.reject : target.convType === 1 ? HOOK_REJECT_C2C : HOOK_REJECT_GROUP;
    return failure(code, result.desc ?? 'message refused by the message hook');
  }
  const checked = checkElements(result.elements);
  if (!checked.ok) return failure(ErrorCode.INTERNAL_ERROR, `the message hook returned invalid elements: ${checked.desc}`);
  const elemsJson = stringifyJson(checked.elems);
  return { ...parsed, elems: checked.elems as Record<string, unknown>[], elemsJson, sentElemsJson, changed: elemsJson !== sentElemsJson };
}

function sortKeys(elems: Record<string, unknown>[]): Record<string, unknown>[] {
  const checked = checkElements(elems);
  return checked.ok ? (checked.elems as Record<string, unknown>[]) : elems;
}
