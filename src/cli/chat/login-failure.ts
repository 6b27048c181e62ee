/**
 * Why the chat's (or the demo peer's) login failed, in words that say what to
 * do. A UserSig whose signature does not check (70003) almost always means the
 * emulator was started with another secret than the one the chat signed with:
 * the bare code does not say which secret that was.
 */
import { isTimError, TimCode } from '../../errors.js';
import { DEFAULT_CHAT_SECRET } from './options.js';

/** How the chat got its UserSig: given whole (`--usersig`), or made with a secret. */
export type SigSource = { readonly userSig: string | undefined; readonly secret: string };

/** One line for an error: `<api> failed: <code> <desc>` for a TimError, else its message. */
export function describeError(e: unknown): string {
  if (isTimError(e)) return `${e.api} failed: ${e.code} ${e.desc}`;
  return e instanceof Error ? e.message : String(e);
}

/** `TIMLogin failed: <code> <desc>`, then, for a refused signature, which secret was used and how to pass another. */
export function loginFailure(e: unknown, source: SigSource): string {
  const what = describeError(e);
  if (!isTimError(e, TimCode.UserSigCheckFailed)) return what;
  if (source.userSig !== undefined) return `${what} — the UserSig given with --usersig was not made with this server's secret`;
  const used = source.secret === DEFAULT_CHAT_SECRET
    ? 'the chat signs UserSigs with its built-in development secret'
    : 'the chat signed the UserSig with the secret given (--secret or TIM_RX_SECRET)';
  return `${what} — ${used}; this emulator was started with another: pass --secret KEY (the emulator's)`;
}
