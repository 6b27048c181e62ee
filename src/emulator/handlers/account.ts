/**
 * TIMSetConfig (15), TIMLogin (16), TIMLogout (17) and RESUME (100).
 *
 * Every TIMLogin begins a new session generation (stored per account) and
 * kicks the user's other connection; the library learns the generation from
 * an internal EVENT 100 sent just before the REPLY and gives it back with
 * RESUME. A RESUME may continue only the latest generation: the newest login
 * wins (docs/wire-protocol.md, "Session generations").
 */
import { ErrorCode } from '../errors.js';
import { verifyUserSig } from '../usersig.js';
import { arg } from '../wire/codec.js';
import { EventId } from '../wire/constants.js';
import { ArgError, expectArgCount, stringArg, u64Arg } from './args.js';
import { MAX_GENERATION } from '../storage/generations.js';
import { failure, nowSeconds, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { parseObjectParam } from './json-param.js';

/** Stores the connection's config; the reply echoes the input JSON (as v8 does). */
export function setConfig(_ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 1);
  const text = stringArg(call.args, 0, 'json_config');
  call.conn.config = parseObjectParam(text, 'json_config');
  return ok(text);
}

/** The user a Login / RESUME may log in as, or why not. */
type Admission =
  | { readonly ok: true; readonly userId: string; readonly userSig: string; readonly expiresAtMs: number }
  | { readonly ok: false; readonly code: number; readonly desc: string; readonly sigProblem: boolean };

/** The checks Login and RESUME share: HELLO's app id, the user id, the UserSig. */
function admit(ctx: EmulatorContext, call: CallInput): Admission {
  const userId = stringArg(call.args, 0, 'user_id');
  const userSig = stringArg(call.args, 1, 'user_sig');
  const helloAppId = call.conn.helloSdkAppId;
  if (helloAppId !== BigInt(ctx.sdkAppId)) {
    const desc = `sdk_app_id ${helloAppId} passed to TIMInit is not served by this emulator (it serves ${ctx.sdkAppId})`;
    return { ok: false, code: ErrorCode.SDKAPPID_NOT_FOUND, desc, sigProblem: false };
  }
  if (userId.length === 0) return { ok: false, code: ErrorCode.INVALID_PARAMETERS, desc: 'user_id is empty', sigProblem: false };
  const verdict = verifyUserSig({ userId, userSig, sdkAppId: ctx.sdkAppId, secretKey: ctx.secretKey });
  if (!verdict.ok) {
    ctx.log.info(`${call.conn.tag}: ${call.functionName} of "${userId}" refused: ${verdict.code} ${verdict.desc}`);
    return { ok: false, code: verdict.code, desc: verdict.desc, sigProblem: true };
  }
  return { ok: true, userId, userSig, expiresAtMs: verdict.claims.expiresAtMs };
}

/** After a successful Login / RESUME: the messages kept for the user. */
function sendBacklog(ctx: EmulatorContext, call: CallInput): () => void {
  return () => {
    ctx.delivery.startBacklog(call.conn);
  };
}

/** TIMLogin: a new session generation; a success kicks the user's other connection. */
export function login(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 2);
  const { conn } = call;
  const a = admit(ctx, call);
  if (!a.ok) {
    if (a.code === ErrorCode.USERSIG_EXPIRED) {
      return { code: a.code, desc: a.desc, json: '', after: () => conn.event(EventId.UserSigExpired, []) };
    }
    return failure(a.code, a.desc);
  }
  const taken = ctx.store.generations.login(a.userId, nowSeconds(ctx));
  if (!taken.ok) {
    ctx.log.error(`${conn.tag}: TIMLogin of "${a.userId}" refused: its session generation ${taken.latest} is the last one`);
    return failure(ErrorCode.INTERNAL_ERROR, `TIMLogin: the session generations of "${a.userId}" are exhausted (${taken.latest})`);
  }
  const { created, generation } = taken;
  ctx.sessions.logIn(conn, a.userId, a.userSig, a.expiresAtMs, generation);
  // Before the REPLY: the library pairs it with the next TIMLogin reply it reads.
  conn.event(EventId.Session, [arg.u64(generation)]);
  ctx.log.info(`${conn.tag}: TIMLogin ok, generation ${generation}${created ? ' (new account)' : ''}`);
  return ok('', sendBacklog(ctx, call));
}

/**
 * RESUME (user_id, user_sig, generation): continues the session of that
 * generation after a reconnect. Every refusal is followed by exactly one
 * event, so the library's owner learns the session is over: EVENT 9 when
 * the UserSig is refused (any sig code: the app needs a new sig), EVENT 8
 * otherwise (6208 when someone logged in since; also a bad app id, bad
 * arguments — a generation that is negative, above 2^63-1, or above both
 * the latest and 2^62 — or an internal error).
 */
export function resume(ctx: EmulatorContext, call: CallInput): CallResult {
  try {
    return resumeChecked(ctx, call);
  } catch (e) {
    const internal = !(e instanceof ArgError);
    if (internal) ctx.log.error(`${call.conn.tag}: RESUME failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    const code = internal ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_PARAMETERS;
    return refused(call, code, `RESUME: ${(e as Error).message}`, EventId.KickedOffline);
  }
}

function resumeChecked(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 3);
  const generation = u64Arg(call.args, 2, 'generation', MAX_GENERATION);
  const a = admit(ctx, call);
  if (!a.ok) return refused(call, a.code, a.desc, a.sigProblem ? EventId.UserSigExpired : EventId.KickedOffline);
  const verdict = ctx.store.generations.resume(a.userId, generation, nowSeconds(ctx));
  if (!verdict.ok && verdict.reason === 'out-of-range') {
    ctx.log.info(`${call.conn.tag}: RESUME of "${a.userId}" generation ${generation} refused: above the latest (${verdict.latest}) and 2^62, never adopted`);
    return refused(call, ErrorCode.INVALID_PARAMETERS, `RESUME: argument generation is out of range: ${generation}`, EventId.KickedOffline);
  }
  if (!verdict.ok) {
    ctx.log.info(`${call.conn.tag}: RESUME of "${a.userId}" generation ${generation} refused: generation ${verdict.latest} logged in since`);
    return refused(call, ErrorCode.KICKED_OFF_BY_OTHER, `kicked offline: "${a.userId}" logged in on another device while this one was offline`,
      EventId.KickedOffline);
  }
  ctx.sessions.logIn(call.conn, a.userId, a.userSig, a.expiresAtMs, generation);
  ctx.log.info(`${call.conn.tag}: RESUME ok, generation ${generation}${verdict.created ? ' (new account)' : ''}`);
  return ok('', sendBacklog(ctx, call));
}

/** A refused RESUME: the reply, then the one event that ends the session for the library's owner. */
function refused(call: CallInput, code: number, desc: string, event: typeof EventId.KickedOffline | typeof EventId.UserSigExpired): CallResult {
  return { code, desc, json: '', after: () => call.conn.event(event, []) };
}

/** Always succeeds (also when not logged in), like the library's local answer. */
export function logout(ctx: EmulatorContext, call: CallInput): CallResult {
  if (call.conn.session !== undefined) ctx.log.info(`${call.conn.tag}: logged out`);
  ctx.sessions.logOut(call.conn);
  return ok('');
}
