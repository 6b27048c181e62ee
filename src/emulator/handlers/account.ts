/**
 * TIMSetConfig (15), TIMLogin (16), TIMLogout (17) and RESUME (100).
 */
import { ErrorCode } from '../errors.js';
import { verifyUserSig } from '../usersig.js';
import { EventId } from '../wire/constants.js';
import { expectArgCount, stringArg } from './args.js';
import { failure, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { parseObjectParam } from './json-param.js';
import { startGroupBacklog } from '../groups/deliver.js';

/** Stores the connection's config; the reply echoes the input JSON (as v8 does). */
export function setConfig(_ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const text = stringArg(call.args, 0, 'json_config');
  call.conn.config = parseObjectParam(text, 'json_config');
  return ok(text);
}

/** Login and RESUME: same checks; a success kicks the user's other connection. */
export function login(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 2);
  const userId = stringArg(call.args, 0, 'user_id');
  const userSig = stringArg(call.args, 1, 'user_sig');
  const { conn } = call;
  const helloAppId = conn.helloSdkAppId;
  if (helloAppId !== BigInt(ctx.sdkAppId)) {
    return failure(
      ErrorCode.SDKAPPID_NOT_FOUND,
      `sdk_app_id ${helloAppId} passed to TIMInit is not served by this emulator (it serves ${ctx.sdkAppId})`,
    );
  }
  if (userId.length === 0) return failure(ErrorCode.INVALID_PARAMETERS, 'user_id is empty');
  const verdict = verifyUserSig({ userId, userSig, sdkAppId: ctx.sdkAppId, secretKey: ctx.secretKey });
  if (!verdict.ok) {
    ctx.log.info(`${conn.tag}: ${call.functionName} of "${userId}" refused: ${verdict.code} ${verdict.desc}`);
    if (verdict.code === ErrorCode.USERSIG_EXPIRED) {
      return { code: verdict.code, desc: verdict.desc, json: '', after: () => conn.event(EventId.UserSigExpired, []) };
    }
    return failure(verdict.code, verdict.desc);
  }
  const created = ctx.store.ensureAccount(userId, Math.floor(Date.now() / 1000));
  ctx.sessions.logIn(conn, userId, userSig, verdict.claims.expiresAtMs);
  ctx.log.info(`${conn.tag}: ${call.functionName} ok${created ? ' (new account)' : ''}`);
  return ok('', () => {
    ctx.delivery.startBacklog(conn);
    startGroupBacklog(ctx, conn);
  });
}

/** Always succeeds (also when not logged in), like the library's local answer. */
export function logout(ctx: EmulatorContext, call: CallInput): CallResult {
  if (call.conn.session !== undefined) ctx.log.info(`${call.conn.tag}: logged out`);
  ctx.sessions.logOut(call.conn);
  return ok('');
}
