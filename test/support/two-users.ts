/**
 * The fixture most integration tests share: an emulator in this process on a
 * scratch database, user A ("alice") as a tim-rx client in this process, and
 * user B ("bob") as a tim-rx client in a child process, both logged in.
 */
import { lastValueFrom } from 'rxjs';
import { createTimClient, type TimClient, type TimClientOptions } from '../../src/index.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { scratchDir } from './emulator.js';
import { Peer } from './peer.js';
import { SDK_APP_ID, SECRET, userSig } from './usersig.js';

export interface TwoUsers {
  readonly emulator: RunningEmulator;
  /** alice, in this process. */
  readonly a: TimClient;
  /** bob, in a child process. */
  readonly b: Peer;
  /** The scratch folder (the database, and files for uploads). */
  readonly dir: string;
  /** A's client disposed, B stopped, the emulator closed, the database removed. */
  dispose(): Promise<void>;
}

export interface TwoUsersOptions {
  /** The database file's name in the scratch folder. */
  readonly db: string;
  /** More emulator options (hook, clock, …). */
  readonly emulator?: Partial<Omit<EmulatorOptions, 'port' | 'dbPath' | 'sdkAppId' | 'secretKey'>>;
  /** A's TIMSetConfig. */
  readonly aConfig?: TimClientOptions['config'];
  /** B's TIMSetConfig, and the users B logs in as once before becoming bob (a receiver must exist). */
  readonly b?: { readonly register?: readonly string[]; readonly config?: unknown };
  /** Runs with A's client before A logs in (to record streams from the start). */
  readonly beforeLogin?: (a: TimClient) => void;
}

export async function twoUsers(options: TwoUsersOptions): Promise<TwoUsers> {
  const dir = scratchDir();
  const emulator = await startEmulator({
    port: 0, dbPath: `${dir.path}/${options.db}`, sdkAppId: SDK_APP_ID, secretKey: SECRET, ...options.emulator,
  });
  const a = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address, ...(options.aConfig ? { config: options.aConfig } : {}) });
  options.beforeLogin?.(a);
  const b = await Peer.loggedIn(emulator.address, 'bob', options.b ?? {});
  await lastValueFrom(a.login('alice', userSig('alice')), { defaultValue: undefined });
  return {
    emulator, a, b, dir: dir.path,
    dispose: async () => {
      await lastValueFrom(a.dispose(), { defaultValue: undefined });
      await b.stop();
      await emulator.close();
      dir.dispose();
    },
  };
}
