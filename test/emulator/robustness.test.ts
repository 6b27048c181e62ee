import { expect } from 'chai';
import { connect } from 'node:net';
import { ErrorCode } from '../../src/emulator/errors.js';
import { arg, encodeFrame } from '../../src/emulator/wire/codec.js';
import { EventId, FrameKind, FunctionId, MAX_FRAME_LENGTH } from '../../src/emulator/wire/constants.js';
import { Harness, makeSig, textMessage } from './helpers.js';
import type { WireClient } from './wire-client.js';

function lengthPrefix(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

describe('emulator robustness: bad peers lose only their own socket', function () {
  this.timeout(10_000);
  let h: Harness;
  let alice: WireClient;
  let bob: WireClient;

  beforeEach(async () => {
    h = await new Harness().start();
    alice = await h.loggedIn('alice');
    bob = await h.loggedIn('bob');
  });
  afterEach(async () => {
    await h.close();
  });

  /** The others are still served, and what was stored is still there. */
  async function othersStillServed(): Promise<void> {
    const r = await alice.call(FunctionId.MsgSendNewMsg, [arg.str('bob'), arg.i64(1), arg.str(textMessage('still here'))]);
    expect(r.code, r.desc).to.equal(0);
    await bob.nextEvent(EventId.RecvNewMsg);
    const fresh = await h.client();
    expect((await fresh.call(FunctionId.Login, [arg.str('carol'), arg.str(makeSig('carol'))])).code).to.equal(0);
  }

  it('closes a socket that announces a frame above 16 MiB', async () => {
    const bad = await h.client();
    bad.writeRaw(lengthPrefix(MAX_FRAME_LENGTH + 1));
    expect(await bad.waitClosed()).to.equal(true);
    await othersStillServed();
  });

  it('closes a socket that sends a zero-length frame', async () => {
    const bad = await h.client();
    bad.writeRaw(lengthPrefix(0));
    expect(await bad.waitClosed()).to.equal(true);
    await othersStillServed();
  });

  it('closes a socket that sends garbage instead of HELLO', async () => {
    const bad = await h.client({ hello: false });
    bad.writeRaw(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(await bad.waitClosed()).to.equal(true);
    await othersStillServed();
  });

  it('closes a socket whose first frame is a CALL, or whose HELLO has another protocol', async () => {
    const early = await h.client({ hello: false });
    early.writeRaw(encodeFrame({ kind: FrameKind.Call, requestId: 1, functionId: FunctionId.Logout, args: [] }));
    expect(await early.waitClosed()).to.equal(true);
    const v2 = await h.client({ hello: false });
    v2.writeRaw(encodeFrame({ kind: FrameKind.Hello, protocol: 2, sdkAppId: 1n, sdkVersion: 'x' }));
    expect(await v2.waitClosed()).to.equal(true);
    await othersStillServed();
  });

  it('closes a logged-in socket that sends an undecodable body or a server-only frame kind', async () => {
    const carol = await h.loggedIn('carol');
    carol.writeRaw(Buffer.concat([lengthPrefix(3), Buffer.from([3, 0, 0])]));
    expect(await carol.waitClosed()).to.equal(true);
    const dave = await h.loggedIn('dave');
    dave.writeRaw(encodeFrame({ kind: FrameKind.Event, eventId: 1, args: [] }));
    expect(await dave.waitClosed()).to.equal(true);
    await othersStillServed();
  });

  it('survives a client that disconnects mid-frame, and logs that user out', async () => {
    const carol = await h.loggedIn('carol');
    const frame = encodeFrame({ kind: FrameKind.Call, requestId: 9, functionId: FunctionId.MsgSendNewMsg, args: [arg.str('bob'), arg.i64(1), arg.str(textMessage('half'))] });
    carol.writeRaw(frame.subarray(0, frame.length - 5));
    await new Promise((r) => setTimeout(r, 30));
    carol.close();
    await othersStillServed();
    await bob.expectNoEvent(EventId.RecvNewMsg, 50);
    // carol's session is gone: a new login is not a kick of anything
    const again = await h.loggedIn('carol');
    await again.expectNoEvent(EventId.KickedOffline, 50);
  });

  it('keeps serving other clients while one client streams a large frame slowly', async () => {
    const slow = await h.loggedIn('slow');
    const big = encodeFrame({
      kind: FrameKind.Call, requestId: 1000, functionId: FunctionId.SetConfig, args: [arg.str(JSON.stringify({ pad: 'x'.repeat(400_000) }))],
    });
    slow.writeRaw(big.subarray(0, 200_000));
    await othersStillServed();
    slow.writeRaw(big.subarray(200_000));
    expect((await slow.call(FunctionId.ConvGetConvList)).code).to.equal(0);
    expect(slow.unexpectedReplies.map((r) => r.code)).to.deep.equal([0]); // the SetConfig echo
  });

  it('close() of the emulator ends every socket, logged in or not', async () => {
    const raw = connect({ host: h.emulator.host, port: h.emulator.port });
    await new Promise<void>((r) => raw.once('connect', () => r()));
    const closed = new Promise<void>((r) => raw.once('close', () => r()));
    raw.on('error', () => {});
    await h.emulator.close();
    await closed;
    expect(alice.isClosed || (await alice.waitClosed())).to.equal(true);
    expect((await bob.waitClosed())).to.equal(true);
  });

  it('answers a CALL of a logged-out connection with 6014 and keeps the socket', async () => {
    const c = await h.client();
    expect((await c.call(FunctionId.MsgSendNewMsg, [arg.str('bob'), arg.i64(1), arg.str(textMessage('x'))])).code).to.equal(
      ErrorCode.NOT_LOGGED_IN,
    );
    expect(c.isClosed).to.equal(false);
  });
});
