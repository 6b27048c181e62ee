/**
 * Routing of CALL frames to handlers, with the rules common to all of them:
 * unknown function id → 6017; not logged in → 6014 (except SetConfig,
 * Login, Logout, RESUME); known but not implemented → 7013; bad arguments
 * → 6017; an unexpected failure → 7012. A REPLY is sent unless the request
 * id is 0; the handler's follow-up work runs after it.
 */
import type { Connection } from '../connection.js';
import { ErrorCode } from '../errors.js';
import type { CallFrame } from '../wire/codec.js';
import { FrameKind, FUNCTION_NAMES, FunctionId } from '../wire/constants.js';
import { login, logout, resume, setConfig } from './account.js';
import { ArgError } from './args.js';
import { failure, type CallResult, type EmulatorContext, type Handler } from './context.js';
import { batchSend } from './batch.js';
import { convCancelDraft, convCreate, convDelete, convSetDraft, getConvList } from './conversation.js';
import { downloadElemToPath } from './download.js';
import { findByMsgLocatorList, getMsgList } from './history.js';
import { importMsgList, saveMsg } from './local-messages.js';
import { sendNewMsg } from './message.js';
import { deleteMsg, reportReaded, revoke } from './message-state.js';
import { GROUP_HANDLERS } from '../groups/handlers/index.js';

const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [FunctionId.SetConfig, setConfig],
  [FunctionId.Login, login],
  [FunctionId.Logout, logout],
  [FunctionId.ConvCreate, convCreate],
  [FunctionId.ConvDelete, convDelete],
  [FunctionId.ConvGetConvList, getConvList],
  [FunctionId.ConvSetDraft, convSetDraft],
  [FunctionId.ConvCancelDraft, convCancelDraft],
  [FunctionId.MsgSendNewMsg, sendNewMsg],
  [FunctionId.MsgReportReaded, reportReaded],
  [FunctionId.MsgRevoke, revoke],
  [FunctionId.MsgFindByMsgLocatorList, findByMsgLocatorList],
  [FunctionId.MsgImportMsgList, importMsgList],
  [FunctionId.MsgSaveMsg, saveMsg],
  [FunctionId.MsgGetMsgList, getMsgList],
  [FunctionId.MsgDelete, deleteMsg],
  [FunctionId.MsgDownloadElemToPath, downloadElemToPath],
  [FunctionId.MsgBatchSend, batchSend],
  [FunctionId.Resume, resume],
  ...GROUP_HANDLERS,
]);

const ALLOWED_WITHOUT_LOGIN: ReadonlySet<number> = new Set([
  FunctionId.SetConfig,
  FunctionId.Login,
  FunctionId.Logout,
  FunctionId.Resume,
]);

/** Function ids the emulator implements (the others of the wire table answer 7013). */
export const IMPLEMENTED_FUNCTIONS: readonly number[] = [...HANDLERS.keys()];

function run(ctx: EmulatorContext, conn: Connection, call: CallFrame): CallResult | Promise<CallResult> {
  const name = FUNCTION_NAMES.get(call.functionId);
  if (name === undefined) return failure(ErrorCode.INVALID_PARAMETERS, `unknown function id ${call.functionId}`);
  if (!ALLOWED_WITHOUT_LOGIN.has(call.functionId) && conn.session === undefined) {
    return failure(ErrorCode.NOT_LOGGED_IN, 'not login');
  }
  // Only C2C sends join the tick's shared transaction; any other call sees committed state only.
  if (call.functionId !== FunctionId.MsgSendNewMsg) ctx.store.commits.flush();
  const handler = HANDLERS.get(call.functionId);
  if (handler === undefined) {
    return failure(ErrorCode.NOT_IMPLEMENTED, `${name} is not implemented yet by the tim-rx emulator`);
  }
  const failed = (e: unknown): CallResult => {
    if (e instanceof ArgError) return failure(ErrorCode.INVALID_PARAMETERS, `${name}: ${e.message}`);
    ctx.log.error(`${conn.tag}: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return failure(ErrorCode.INTERNAL_ERROR, `${name} failed inside the tim-rx emulator: ${(e as Error).message}`);
  };
  try {
    const result = handler(ctx, { conn, requestId: call.requestId, functionName: name, args: call.args });
    return result instanceof Promise ? result.catch(failed) : result;
  } catch (e) {
    return failed(e);
  }
}

/**
 * Answers a call once what it wrote is durable: C2C sends share the tick's
 * transaction (storage/group-commit.ts), so their REPLY and follow-up events
 * wait for its COMMIT; so does every answer queued behind them, in order.
 */
function finish(ctx: EmulatorContext, conn: Connection, call: CallFrame, result: CallResult): void {
  ctx.store.commits.whenCommitted(
    () => answerNow(ctx, conn, call, result),
    (e) => {
      ctx.log.error(`${conn.tag}: commit of function ${call.functionId} failed: ${e.message}`);
      conn.reply(call.requestId, ErrorCode.INTERNAL_ERROR, `storing the result failed inside the tim-rx emulator: ${e.message}`, '');
    },
  );
}

function answerNow(ctx: EmulatorContext, conn: Connection, call: CallFrame, result: CallResult): void {
  conn.reply(call.requestId, result.code, result.desc, result.json);
  if (result.after === undefined) return;
  try {
    result.after();
  } catch (e) {
    ctx.log.error(`${conn.tag}: follow-up of function ${call.functionId} failed: ${(e as Error).message}`);
  }
}

/**
 * Calls still being answered, per connection. While one is pending (an
 * upload, a download), the next calls of that connection wait for it: the
 * frames of a connection are answered in order.
 */
const pending = new WeakMap<Connection, Promise<void>>();

type Run = () => CallResult | Promise<CallResult>;

function answer(ctx: EmulatorContext, conn: Connection, call: CallFrame, work: Run): Promise<void> | undefined {
  if (conn.closed) return undefined;
  const result = work();
  if (!(result instanceof Promise)) {
    finish(ctx, conn, call, result);
    return undefined;
  }
  return result.then((r) => finish(ctx, conn, call, r));
}

/** Runs a call of `conn`, or, when calls before it are still being answered, once they were and its output is below the pause bound. */
export function handleCall(ctx: EmulatorContext, conn: Connection, call: CallFrame): void {
  answerInOrder(ctx, conn, call, () => run(ctx, conn, call));
}

/** Answers a call with `code` without running it (a CALL before login above the size bound), in order with the others. */
export function refuseCall(ctx: EmulatorContext, conn: Connection, requestId: number, functionId: number, code: number, desc: string): void {
  const call: CallFrame = { kind: FrameKind.Call, requestId, functionId, args: [] };
  answerInOrder(ctx, conn, call, () => failure(code, desc));
}

function answerInOrder(ctx: EmulatorContext, conn: Connection, call: CallFrame, work: Run): void {
  const before = pending.get(conn);
  const done = before === undefined
    ? answer(ctx, conn, call, work)
    : before.then(() => conn.whenOutputBelowPause()).then(() => answer(ctx, conn, call, work));
  if (done === undefined) return;
  const chained = done.catch((e: unknown) => ctx.log.error(`${conn.tag}: call ${call.functionId} failed: ${String(e)}`));
  pending.set(conn, chained);
  void chained.then(() => {
    if (pending.get(conn) === chained) pending.delete(conn);
  });
}
