/**
 * TIMConvGetConvList (20): the user's conversations, most recently active first.
 */
import { renderConversations } from '../render.js';
import { expectArgCount } from './args.js';
import { ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';

export function getConvList(ctx: EmulatorContext, call: CallInput): CallResult {
  expectArgCount(call.args, 0);
  return ok(renderConversations(ctx.store.conversations(call.conn.session!.userId)));
}
