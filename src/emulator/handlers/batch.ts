/**
 * TIMMsgBatchSend (32): one message to several users, as C2C messages.
 *
 * The message is checked once (6016 / 80002 fail the whole call) and its
 * files uploaded once (EVENT 4 to the sender). Then each recipient in the
 * order given (a repeated id gets the message again): an unknown account
 * (20003) or a refusal of the message hook fails that recipient only. The
 * reply is code 0 with one MsgBatchSendResult per recipient (code, desc, and
 * the message as sent when it was), even when every recipient failed. An
 * empty or missing identifier array is 6017 (v8 never calls back).
 */
import { stringifyJson } from '../../json/lossless.js';
import { ErrorCode } from '../errors.js';
import { messageView } from '../render.js';
import { expectArgCount, stringArg } from './args.js';
import { failure, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { isJsonObject, parseObjectParam } from './json-param.js';
import { checkC2CReceiver, commitC2C } from './message.js';
import { applyHook, isCallResult, parseOutgoing, uploadFiles, type OutgoingTarget } from './outgoing.js';

export async function batchSend(ctx: EmulatorContext, call: CallInput): Promise<CallResult> {
  expectArgCount(call.args, 1);
  const p = parseObjectParam(stringArg(call.args, 0, 'json_batch_send_param'), 'json_batch_send_param');
  const ids = p['msg_batch_send_param_identifier_array'];
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
    return failure(ErrorCode.INVALID_PARAMETERS, 'msg_batch_send_param_identifier_array must be a non-empty array of user ids');
  }
  const msg = p['msg_batch_send_param_msg'];
  if (!isJsonObject(msg)) return failure(ErrorCode.INVALID_PARAMETERS, 'msg_batch_send_param_msg must be a message object');
  const parsed = parseOutgoing(msg);
  if (isCallResult(parsed)) return parsed;
  const session = call.conn.session!;
  const sender = session.userId;
  const recipients = ids as string[];
  const elems = await uploadFiles(ctx, call, parsed, { convType: 1, convId: recipients[0]!, sender });
  if (isCallResult(elems)) return elems;
  if (call.conn.session !== session) return failure(ErrorCode.NOT_LOGGED_IN, 'not login');

  const results: Record<string, unknown>[] = [];
  const afters: (() => void)[] = [];
  for (const id of recipients) {
    const result = (code: number, desc: string, m?: Record<string, unknown>) =>
      results.push({ msg_batch_send_result_code: code, msg_batch_send_result_desc: desc, msg_batch_send_result_identifier: id, ...(m ? { msg_batch_send_result_msg: m } : {}) });
    const bad = checkC2CReceiver(ctx, id);
    if (bad) {
      result(bad.code, bad.desc);
      continue;
    }
    const target: OutgoingTarget = { convType: 1, convId: id, sender };
    const prepared = applyHook(ctx, target, { ...parsed, elems, elemsText: undefined });
    if (isCallResult(prepared)) {
      result(prepared.code, prepared.desc);
      continue;
    }
    const { message, after } = commitC2C(ctx, target, prepared);
    afters.push(after);
    result(0, '', messageView({ ...message, elems: prepared.sentElemsJson }, sender));
  }
  return ok(stringifyJson(results), () => {
    for (const after of afters) after();
  });
}
