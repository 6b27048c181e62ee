import { expect } from 'chai';
import { arg, decodeFrameBody, encodeFrame, WireProtocolError, type Frame } from '../../src/emulator/wire/codec.js';
import { FrameKind, MAX_FRAME_LENGTH } from '../../src/emulator/wire/constants.js';
import { FrameReader, SKIPPED_HEAD_BYTES } from '../../src/emulator/wire/frame-reader.js';

const roundTrip = (f: Frame): Frame => {
  const buf = encodeFrame(f);
  expect(buf.readUInt32BE(0)).to.equal(buf.length - 4);
  return decodeFrameBody(buf.subarray(4));
};

describe('emulator wire codec', () => {
  it('round-trips every frame kind', () => {
    const frames: Frame[] = [
      { kind: FrameKind.Hello, protocol: 1, sdkAppId: 18446744073709551615n, sdkVersion: 'v1 é' },
      { kind: FrameKind.Welcome, protocol: 1, serverName: 'tim-rx emulator' },
      {
        kind: FrameKind.Call,
        requestId: 4294967295,
        functionId: 100,
        args: [arg.null(), arg.str('ü😀'), arg.i64(-9223372036854775808n), arg.u64(18446744073709551615n), arg.str('')],
      },
      { kind: FrameKind.Reply, requestId: 7, flags: 1, code: -2147483648, desc: 'd', json: '[{"a":1}]' },
      { kind: FrameKind.Event, eventId: 6, args: [arg.i64(2), arg.str('[]')] },
      { kind: FrameKind.Event, eventId: 8, args: [] },
      { kind: FrameKind.Event, eventId: 1, args: [arg.str('[]'), arg.u64(7n)] },
      { kind: FrameKind.Ack, token: 18446744073709551615n },
    ];
    for (const f of frames) expect(roundTrip(f)).to.deep.equal(f);
  });

  it('writes the exact byte layout of the doc (ACK)', () => {
    expect(encodeFrame({ kind: FrameKind.Ack, token: 258n }).toString('hex')).to.equal('00000009' + '06' + '0000000000000102');
  });

  it('writes the exact byte layout of the doc (HELLO)', () => {
    const buf = encodeFrame({ kind: FrameKind.Hello, protocol: 1, sdkAppId: 1400000000n, sdkVersion: 'ab' });
    expect(buf.toString('hex')).to.equal(
      '00000011' + '01' + '0001' + '0000000053724e00' + '00000002' + '6162',
    );
  });

  it('rejects unknown kinds, unknown tags, truncated bodies and trailing bytes', () => {
    expect(() => decodeFrameBody(Buffer.from([9]))).to.throw(WireProtocolError, /kind 9/);
    const call = encodeFrame({ kind: FrameKind.Call, requestId: 1, functionId: 16, args: [arg.str('x')] }).subarray(4);
    const badTag = Buffer.from(call);
    badTag[8] = 7;
    expect(() => decodeFrameBody(badTag)).to.throw(WireProtocolError, /tag 7/);
    expect(() => decodeFrameBody(call.subarray(0, call.length - 1))).to.throw(WireProtocolError, /truncated/);
    expect(() => decodeFrameBody(Buffer.concat([call, Buffer.from([0])]))).to.throw(WireProtocolError, /trailing/);
    const hugeString = Buffer.from(call);
    hugeString.writeUInt32BE(0xffffffff, 9);
    expect(() => decodeFrameBody(hugeString)).to.throw(WireProtocolError, /truncated/);
  });

  it('refuses to encode out-of-range fields', () => {
    expect(() => encodeFrame({ kind: FrameKind.Call, requestId: -1, functionId: 1, args: [] })).to.throw(RangeError);
    expect(() => encodeFrame({ kind: FrameKind.Event, eventId: 70000, args: [] })).to.throw(RangeError);
    expect(() => encodeFrame({ kind: FrameKind.Reply, requestId: 1, flags: 0, code: 2 ** 31, desc: '', json: '' })).to.throw(RangeError);
  });

  describe('FrameReader', () => {
    const f1 = encodeFrame({ kind: FrameKind.Event, eventId: 1, args: [arg.str('x'.repeat(1000))] });
    const f2 = encodeFrame({ kind: FrameKind.Event, eventId: 9, args: [] });

    it('reassembles frames split at every byte boundary', () => {
      const all = Buffer.concat([f1, f2]);
      for (const step of [1, 2, 3, 5, 7, 64, 1001]) {
        const r = new FrameReader();
        const bodies: Buffer[] = [];
        for (let i = 0; i < all.length; i += step) bodies.push(...r.push(all.subarray(i, i + step)));
        expect(bodies.map((b) => decodeFrameBody(b))).to.deep.equal([
          decodeFrameBody(f1.subarray(4)),
          decodeFrameBody(f2.subarray(4)),
        ]);
        expect(r.midFrame).to.equal(false);
      }
    });

    it('returns several frames from one chunk and keeps a partial tail', () => {
      const r = new FrameReader();
      const bodies = r.push(Buffer.concat([f1, f2, f1.subarray(0, 10)]));
      expect(bodies).to.have.length(2);
      expect(r.midFrame).to.equal(true);
      expect(r.push(f1.subarray(10))).to.have.length(1);
    });

    it('fails on a zero length and on a length above 16 MiB as soon as the header is in', () => {
      expect(() => new FrameReader().push(Buffer.from([0, 0, 0, 0]))).to.throw(WireProtocolError, /length 0/);
      const big = Buffer.alloc(4);
      big.writeUInt32BE(MAX_FRAME_LENGTH + 1);
      expect(() => new FrameReader().push(big)).to.throw(WireProtocolError, /16777217/);
      const max = Buffer.alloc(4);
      max.writeUInt32BE(MAX_FRAME_LENGTH);
      expect(new FrameReader().push(max)).to.deep.equal([]);
    });

    it('holds each frame to the limits given when its header is read: above maxLength it fails, above maxBuffered only its head is kept', () => {
      const big = encodeFrame({ kind: FrameKind.Call, requestId: 7, functionId: 15, args: [arg.str('y'.repeat(5000))] });
      const all = Buffer.concat([f2, big, f1]);
      for (const step of [1, 3, 7, 100, 4096, all.length]) {
        const r = new FrameReader();
        const got: unknown[] = [];
        for (let i = 0; i < all.length; i += step) {
          r.append(all.subarray(i, i + step));
          for (let b = r.next(MAX_FRAME_LENGTH, 2000); b !== undefined; b = r.next(MAX_FRAME_LENGTH, 2000)) {
            got.push(Buffer.isBuffer(b) ? decodeFrameBody(b) : { length: b.length, head: [...b.head] });
          }
        }
        expect(got).to.deep.equal([
          decodeFrameBody(f2.subarray(4)),
          { length: big.length - 4, head: [...big.subarray(4, 4 + SKIPPED_HEAD_BYTES)] },
          decodeFrameBody(f1.subarray(4)),
        ]);
        expect(r.midFrame).to.equal(false);
      }
      const r = new FrameReader();
      r.append(big.subarray(0, 4));
      expect(() => r.next(4096)).to.throw(WireProtocolError, /outside 1\.\.4096/);
    });
  });
});
