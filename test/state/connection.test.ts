import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import {
  connectionStates, initialConnection, reduceConnection, type ConnectionInput, type ConnectionState,
} from '../../src/streams/connection.js';

const marbles = () => new TestScheduler((actual, expected) => {
  expect(actual).to.deep.equal(expected);
});

const I = {
  start: { kind: 'login-start', userId: 'alice' },
  success: { kind: 'login-success', userId: 'alice' },
  failure: { kind: 'login-failure', userId: 'alice', code: 70003, desc: 'bad sig' },
  expiredAtLogin: { kind: 'login-failure', userId: 'alice', code: 70001, desc: 'expired' },
  logout: { kind: 'logout-success' },
  connecting: { kind: 'network', status: 'connecting', code: 0, desc: '' },
  connected: { kind: 'network', status: 'connected', code: 0, desc: '' },
  lost: { kind: 'network', status: 'disconnected', code: 9508, desc: 'lost' },
  refused: { kind: 'network', status: 'connect-failed', code: 9511, desc: 'refused' },
  kicked: { kind: 'kicked-offline' },
  expired: { kind: 'user-sig-expired' },
} satisfies Record<string, ConnectionInput>;

const S = {
  out: { status: 'logged-out' },
  in: { status: 'logging-in', userId: 'alice' },
  connecting: { status: 'connecting', userId: 'alice' },
  connected: { status: 'connected', userId: 'alice' },
  lost: { status: 'disconnected', userId: 'alice', code: 9508, desc: 'lost' },
  refused: { status: 'disconnected', userId: 'alice', code: 9511, desc: 'refused' },
  kicked: { status: 'kicked', userId: 'alice' },
  expired: { status: 'user-sig-expired', userId: 'alice' },
} satisfies Record<string, ConnectionState>;

describe('connection state machine', () => {
  it('marbles: login, a lost connection the SDK restores by itself (no re-login), logout', () => {
    marbles().run(({ cold, expectObservable }) => {
      const inputs = cold<ConnectionInput>('-c-s-o-l-n-f-n-c-x', {
        c: I.connected, s: I.start, o: I.success, l: I.lost, n: I.connecting, f: I.refused, x: I.logout,
      });
      expectObservable(inputs.pipe(connectionStates())).toBe('o--s-c-l-n-f-n-c-x', {
        o: S.out, s: S.in, c: S.connected, l: S.lost, n: S.connecting, f: S.refused, x: S.out,
      });
    });
  });

  it('marbles: kicked offline ends the session; network news after it changes nothing; a new login starts over', () => {
    marbles().run(({ cold, expectObservable }) => {
      const inputs = cold<ConnectionInput>('-so-k-l-c-s-o', { s: I.start, o: I.success, k: I.kicked, l: I.lost, c: I.connected });
      expectObservable(inputs.pipe(connectionStates())).toBe('xsc-k-----s-c', { x: S.out, s: S.in, c: S.connected, k: S.kicked });
    });
  });

  it('marbles: a session taken over while offline ends in kicked after the reconnect (RESUME refused), whatever the network state', () => {
    marbles().run(({ cold, expectObservable }) => {
      // lost → retrying → WELCOME → the refused RESUME's EVENT 8; later network news changes nothing
      const resumed = cold<ConnectionInput>('-so-l-n-c-k-l-n', { s: I.start, o: I.success, l: I.lost, n: I.connecting, c: I.connected, k: I.kicked });
      expectObservable(resumed.pipe(connectionStates())).toBe('xsc-l-n-c-k----', {
        x: S.out, s: S.in, c: S.connected, l: S.lost, n: S.connecting, k: S.kicked,
      });
      // the event may also meet the machine still connecting or disconnected (a network report not yet seen or already newer)
      const whileConnecting = cold<ConnectionInput>('-so-l-n-k-c', { s: I.start, o: I.success, l: I.lost, n: I.connecting, k: I.kicked, c: I.connected });
      expectObservable(whileConnecting.pipe(connectionStates())).toBe('xsc-l-n-k--', {
        x: S.out, s: S.in, c: S.connected, l: S.lost, n: S.connecting, k: S.kicked,
      });
      const whileDisconnected = cold<ConnectionInput>('-so-f-k-n', { s: I.start, o: I.success, f: I.refused, k: I.kicked, n: I.connecting });
      expectObservable(whileDisconnected.pipe(connectionStates())).toBe('xsc-f-k--', {
        x: S.out, s: S.in, c: S.connected, f: S.refused, k: S.kicked,
      });
      // a RESUME refused for its sig: user-sig-expired, likewise
      const sigRefused = cold<ConnectionInput>('-so-l-n-e-c', { s: I.start, o: I.success, l: I.lost, n: I.connecting, e: I.expired, c: I.connected });
      expectObservable(sigRefused.pipe(connectionStates())).toBe('xsc-l-n-e--', {
        x: S.out, s: S.in, c: S.connected, l: S.lost, n: S.connecting, e: S.expired,
      });
    });
  });

  it('marbles: the UserSig expires during the session; at login (event and 70001 reply, in either order)', () => {
    marbles().run(({ cold, expectObservable }) => {
      const during = cold<ConnectionInput>('-so-e', { s: I.start, o: I.success, e: I.expired });
      expectObservable(during.pipe(connectionStates())).toBe('xsc-e', { x: S.out, s: S.in, c: S.connected, e: S.expired });
      const eventFirst = cold<ConnectionInput>('-s-e-f', { s: I.start, e: I.expired, f: I.expiredAtLogin });
      expectObservable(eventFirst.pipe(connectionStates())).toBe('xs-e', { x: S.out, s: S.in, e: S.expired });
      const replyFirst = cold<ConnectionInput>('-s-f-e', { s: I.start, f: I.expiredAtLogin, e: I.expired });
      expectObservable(replyFirst.pipe(connectionStates())).toBe('xs-e', { x: S.out, s: S.in, e: S.expired });
    });
  });

  it('a failed login goes back to logged-out; a stale reply (another user, or after logout) is ignored', () => {
    const run = (...inputs: ConnectionInput[]) => inputs.reduce(reduceConnection, initialConnection).state;
    expect(run(I.start, I.failure)).to.deep.equal(S.out);
    expect(run(I.start, { kind: 'login-start', userId: 'bob' }, I.success)).to.deep.equal({ status: 'logging-in', userId: 'bob' });
    expect(run(I.start, I.logout, I.success)).to.deep.equal(S.out);
    expect(run(I.start, I.success, I.failure)).to.deep.equal(S.connected);
  });

  it('network status while logging in is remembered; login success means connected (the server answered)', () => {
    const m = [I.start, I.refused].reduce(reduceConnection, initialConnection);
    expect(m.state).to.deep.equal(S.in);
    expect(m.network?.status).to.equal('connect-failed');
    expect(reduceConnection(m, I.success).state).to.deep.equal(S.connected);
  });

  it('returns the same machine (no emission) for inputs that change nothing', () => {
    const connected = [I.start, I.success].reduce(reduceConnection, initialConnection);
    expect(reduceConnection(connected, I.connected).state).to.equal(connected.state);
    expect(reduceConnection(initialConnection, I.kicked)).to.equal(initialConnection);
    expect(reduceConnection(initialConnection, I.logout)).to.equal(initialConnection);
  });
});
