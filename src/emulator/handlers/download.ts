/**
 * TIMMsgDownloadElemToPath (31): sends a stored file to the client library,
 * which writes it to the path of the call in its own process (the emulator
 * never opens that path: transfers.ts).
 *
 * The file is named by `msg_download_elem_param_id` (or, without an id, by a
 * `msg_download_elem_param_url` of this emulator); the download type and
 * business id are not checked. While the library writes, REPLY frames with
 * flag MORE, desc "downloading" and a MsgDownloadElemResult {current, total}
 * (bytes the library reported written); then the final REPLY: code 0, desc
 * "", {total, total}. Errors: no such file 6009, the library cannot write
 * the path (e.g. its folder is missing, not a regular file) 6022.
 * Anyone logged in may download any stored file (like a URL).
 */
import { stringifyJson } from '../../json/lossless.js';
import { ErrorCode } from '../errors.js';
import { FileError } from '../files.js';
import { REPLY_FLAG_MORE } from '../wire/constants.js';
import { expectArgCount, stringArg } from './args.js';
import { failure, ok, type CallInput, type CallResult, type EmulatorContext } from './context.js';
import { parseObjectParam } from './json-param.js';

const result = (current: number, total: number): string =>
  stringifyJson({ msg_download_elem_result_current_size: current, msg_download_elem_result_total_size: total });

export async function downloadElemToPath(ctx: EmulatorContext, call: CallInput): Promise<CallResult> {
  expectArgCount(call.args, 2);
  const p = parseObjectParam(stringArg(call.args, 0, 'json_download_elem_param'), 'json_download_elem_param');
  const path = stringArg(call.args, 1, 'path');
  if (path.length === 0) return failure(ErrorCode.INVALID_PARAMETERS, 'path is empty');
  const id = p['msg_download_elem_param_id'];
  const url = p['msg_download_elem_param_url'];
  const fileId = typeof id === 'string' && id !== '' ? id : typeof url === 'string' ? ctx.files.idOfUrl(url) ?? '' : '';
  try {
    const file = await ctx.files.open(fileId);
    try {
      await ctx.transfers.of(call.conn).download(call.requestId, file, path, (current, size) => {
        call.conn.reply(call.requestId, 0, 'downloading', result(current, size), REPLY_FLAG_MORE);
      });
    } finally {
      await file.handle.close().catch(() => undefined);
    }
    return ok(result(file.size, file.size));
  } catch (e) {
    if (e instanceof FileError) return failure(e.code, e.message);
    throw e;
  }
}
