/**
 * The account flags of `tim-rx emulator`: `--accounts ID,ID,…` (imported at
 * start) and `--unknown-accounts accept|refuse` (accounts.ts).
 */
import { accountIdProblem, DEFAULT_UNKNOWN_ACCOUNTS, UNKNOWN_ACCOUNT_MODES, type UnknownAccounts } from './accounts.js';

export const ACCOUNT_USAGE = `accounts (docs/emulator.md, "Accounts"):
  --accounts ID,ID,…          user ids made accounts at start, like Tencent's REST account_import
                              (comma-separated; an id already an account stays as it is)
  --unknown-accounts M        ${UNKNOWN_ACCOUNT_MODES.join(' | ')}: a user id a client names that never logged in and
                              was not imported counts as an account, or is refused as Tencent does
                              (20003 for a C2C peer, 10019 for a group member) (default ${DEFAULT_UNKNOWN_ACCOUNTS})`;

export interface AccountOptions {
  readonly accounts?: readonly string[];
  readonly unknownAccounts?: UnknownAccounts;
}

/** The options the two flags give (those not given left out), or the problem naming the flag. */
export function accountFlags(accountsText: string | undefined, modeText: string | undefined): AccountOptions | string {
  const options: { -readonly [K in keyof AccountOptions]: AccountOptions[K] } = {};
  if (accountsText !== undefined) {
    const ids = accountsText.split(',');
    for (const [i, id] of ids.entries()) {
      const problem = accountIdProblem(id);
      if (problem !== undefined) return `--accounts: id ${i + 1} ${problem} (ids are separated by commas, e.g. --accounts alice,bob)`;
    }
    options.accounts = ids;
  }
  if (modeText !== undefined) {
    if (!(UNKNOWN_ACCOUNT_MODES as readonly string[]).includes(modeText)) {
      return `--unknown-accounts must be one of ${UNKNOWN_ACCOUNT_MODES.join(', ')}, got "${modeText}"`;
    }
    options.unknownAccounts = modeText as UnknownAccounts;
  }
  return options;
}
