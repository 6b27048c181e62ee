/**
 * The connection state machine: one state built from login/logout outcomes,
 * the SDK's network status, kicked-offline and user-sig-expired. Every
 * transition is listed in docs/state.md.
 *
 * The SDK reconnects by itself while logged in and resumes the session
 * (docs/wire-protocol.md): `disconnected` is not an end, and nothing here
 * logs in again.
 */
import { distinctUntilChanged, map, scan, startWith, type OperatorFunction } from 'rxjs';
import type { NetworkStatus } from '../codecs/enums.js';
import type { SessionOutcome } from '../commands/manager.js';
import { TimCode } from '../errors.js';
import { sameValue } from './equal.js';

/** Where the session stands. Every state but `logged-out` names the user. */
export type ConnectionState =
  | { readonly status: 'logged-out' }
  | { readonly status: 'logging-in'; readonly userId: string }
  /** Logged in; the SDK is (re)connecting. */
  | { readonly status: 'connecting'; readonly userId: string }
  | { readonly status: 'connected'; readonly userId: string }
  /** Logged in; the connection is lost (code/desc of the last loss or failed attempt). The SDK retries by itself. */
  | { readonly status: 'disconnected'; readonly userId: string; readonly code: number; readonly desc: string }
  /** The same user logged in elsewhere: the session ended. Log in again to resume. */
  | { readonly status: 'kicked'; readonly userId: string }
  /** The UserSig expired (at login or during the session): the session ended. Log in with a new sig. */
  | { readonly status: 'user-sig-expired'; readonly userId: string };

export type ConnectionStatus = ConnectionState['status'];

/** The last network status the SDK reported. */
export interface NetworkSnapshot {
  readonly status: NetworkStatus;
  readonly code: number;
  readonly desc: string;
}

/** What drives the machine: session outcomes and the SDK's connection events. */
export type ConnectionInput =
  | SessionOutcome
  | ({ readonly kind: 'network' } & NetworkSnapshot)
  | { readonly kind: 'kicked-offline' }
  | { readonly kind: 'user-sig-expired' };

/** The machine: the public state plus the network status, which the SDK reports whether or not anyone is logged in. */
export interface ConnectionMachine {
  readonly state: ConnectionState;
  readonly network: NetworkSnapshot | undefined;
}

export const initialConnection: ConnectionMachine = { state: { status: 'logged-out' }, network: undefined };

const LOGGED_OUT: ConnectionState = { status: 'logged-out' };

/** True in the states where a session exists and the SDK keeps it connected. */
export function isLoggedIn(state: ConnectionState): state is Extract<ConnectionState, { status: 'connecting' | 'connected' | 'disconnected' }> {
  return state.status === 'connecting' || state.status === 'connected' || state.status === 'disconnected';
}

/** The logged-in state that a network status means. */
function sessionState(userId: string, network: NetworkSnapshot | undefined): ConnectionState {
  switch (network?.status) {
    case undefined:
    case 'connecting':
      return { status: 'connecting', userId };
    case 'connected':
      return { status: 'connected', userId };
    case 'disconnected':
    case 'connect-failed':
      return { status: 'disconnected', userId, code: network.code, desc: network.desc };
  }
}

/** The user of the current (or starting) session, if any. */
function sessionUser(state: ConnectionState): string | undefined {
  return state.status === 'logging-in' || isLoggedIn(state) ? state.userId : undefined;
}

type Transitions = {
  readonly [K in ConnectionInput['kind']]: (m: ConnectionMachine, input: Extract<ConnectionInput, { kind: K }>) => ConnectionMachine;
};

const withState = (m: ConnectionMachine, state: ConnectionState): ConnectionMachine =>
  sameValue(m.state, state) ? m : { state, network: m.network };

/** One handler per input kind: adding an input that is not handled fails to compile. */
const transitions: Transitions = {
  'login-start': (m, i) => withState(m, { status: 'logging-in', userId: i.userId }),
  'login-success': (m, i) => {
    if (m.state.status !== 'logging-in' || m.state.userId !== i.userId) return m; // a stale reply
    // The server answered, so the connection was up when it did.
    const network: NetworkSnapshot = { status: 'connected', code: 0, desc: '' };
    return { state: sessionState(i.userId, network), network };
  },
  'login-failure': (m, i) => {
    if (m.state.status !== 'logging-in' || m.state.userId !== i.userId) return m;
    return withState(m, i.code === TimCode.UserSigExpired ? { status: 'user-sig-expired', userId: i.userId } : LOGGED_OUT);
  },
  'logout-success': (m) => withState(m, LOGGED_OUT),
  network: (m, { status, code, desc }) => {
    const network: NetworkSnapshot = { status, code, desc };
    const state = isLoggedIn(m.state) ? sessionState(m.state.userId, network) : m.state;
    return { state: sameValue(state, m.state) ? m.state : state, network };
  },
  'kicked-offline': (m) => {
    const userId = sessionUser(m.state);
    return userId === undefined ? m : withState(m, { status: 'kicked', userId });
  },
  'user-sig-expired': (m) => {
    const userId = sessionUser(m.state);
    return userId === undefined ? m : withState(m, { status: 'user-sig-expired', userId });
  },
};

/** The pure reducer: returns the same machine when the input changes nothing. */
export function reduceConnection(machine: ConnectionMachine, input: ConnectionInput): ConnectionMachine {
  return (transitions[input.kind] as (m: ConnectionMachine, i: ConnectionInput) => ConnectionMachine)(machine, input);
}

/** The machine as an operator: the initial state at once, then a state after each input that changes it. */
export function connectionStates(initial: ConnectionMachine = initialConnection): OperatorFunction<ConnectionInput, ConnectionState> {
  return (inputs) => inputs.pipe(
    scan(reduceConnection, initial),
    map((m) => m.state),
    startWith<ConnectionState>(initial.state),
    distinctUntilChanged<ConnectionState>(sameValue),
  );
}
