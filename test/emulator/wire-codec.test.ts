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
      { kind: FrameKind.FileOpen, transferId: 4294967295, requestId: 3, path: '/tmp/é.png' },
      { kind: FrameKind.FileInfo, transferId: 1, code: 7007, size: 0n },
      { kind: FrameKind.FileInfo, transferId: 2, code: 0, size: 104857600n },
      { kind: FrameKind.FileRead, transferId: 1, offset: 18446744073709551615n, length: 262144 },
      { kind: FrameKind.FileData, transferId: 1, offset: 262144n, code: 0, data: Buffer.from([0, 1, 255]) },
      { kind: FrameKind.FileData, transferId: 1, offset: 0n, code: 6022, data: Buffer.alloc(0) },
      { kind: FrameKind.FileClose, transferId: 9 },
      { kind: FrameKind.FilePush, requestId: 5, offset: 0n, total: 3n, data: Buffer.from('abc') },
      { kind: FrameKind.FileWritten, requestId: 5, code: -1, written: 3n },
    ];
    for (const f of frames) expect(roundTrip(f)).to.deep.equal(f);
  });

  it('writes the exact byte layout of the doc (file transfer frames)', () => {
    const hex = (f: Frame): string => encodeFrame(f).toString('hex');
    expect(hex({ kind: FrameKind.FileOpen, transferId: 1, requestId: 2, path: 'ab' })).to.equal('0000000f' + '07' + '00000001' + '00000002' + '00000002' + '6162');
    expect(hex({ kind: FrameKind.FileInfo, transferId: 1, code: 7004, size: 0n })).to.equal('00000011' + '08' + '00000001' + '00001b5c' + '0000000000000000');
    expect(hex({ kind: FrameKind.FileRead, transferId: 1, offset: 256n, length: 16 })).to.equal('00000011' + '09' + '00000001' + '0000000000000100' + '00000010');
    expect(hex({ kind: FrameKind.FileData, transferId: 1, offset: 256n, code: 0, data: Buffer.from([7]) })).to.equal(
      '00000016' + '0a' + '00000001' + '0000000000000100' + '00000000' + '00000001' + '07',
    );
    expect(hex({ kind: FrameKind.FileClose, transferId: 258 })).to.equal('00000005' + '0b' + '00000102');
    expect(hex({ kind: FrameKind.FilePush, requestId: 3, offset: 0n, total: 1n, data: Buffer.from([9]) })).to.equal(
      '0000001a' + '0c' + '00000003' + '0000000000000000' + '0000000000000001' + '00000001' + '09',
    );
    expect(hex({ kind: FrameKind.FileWritten, requestId: 3, code: 6022, written: 1n })).to.equal('00000011' + '0d' + '00000003' + '00001786' + '0000000000000001');
  });

  it('rejects truncated file frames and data longer than the body', () => {
    const data = encodeFrame({ kind: FrameKind.FileData, transferId: 1, offset: 0n, code: 0, data: Buffer.alloc(10) }).subarray(4);
    expect(() => decodeFrameBody(data.subarray(0, data.length - 1))).to.throw(WireProtocolError, /truncated/);
    const long = Buffer.from(data);
    long.writeUInt32BE(11, 17);
    expect(() => decodeFrameBody(long)).to.throw(WireProtocolError, /truncated/);
    expect(() => decodeFrameBody(Buffer.concat([data, Buffer.from([0])]))).to.throw(WireProtocolError, /trailing/);
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
    expect(() => decodeFrameBody(Buffer.from([99]))).to.throw(WireProtocolError, /kind 99/);
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

    it('skips a frame above maxBuffered only if its kind is one `skips` names; another kind is buffered whole', () => {
      const call = encodeFrame({ kind: FrameKind.Call, requestId: 7, functionId: 15, args: [arg.str('y'.repeat(5000))] });
      const data = encodeFrame({ kind: FrameKind.FileData, transferId: 3, offset: 0n, code: 0, data: Buffer.alloc(5000, 1) });
      const all = Buffer.concat([data, call, f1]);
      const onlyCalls = (kind: number): boolean => kind === FrameKind.Call;
      for (const step of [1, 4, 5, 100, all.length]) {
        const r = new FrameReader();
        const got: unknown[] = [];
        for (let i = 0; i < all.length; i += step) {
          r.append(all.subarray(i, i + step));
          for (let b = r.next(MAX_FRAME_LENGTH, 2000, onlyCalls); b !== undefined; b = r.next(MAX_FRAME_LENGTH, 2000, onlyCalls)) {
            got.push(Buffer.isBuffer(b) ? decodeFrameBody(b) : { length: b.length, head: [...b.head] });
          }
        }
        expect(got).to.deep.equal([
          decodeFrameBody(data.subarray(4)),
          { length: call.length - 4, head: [...call.subarray(4, 4 + SKIPPED_HEAD_BYTES)] },
          decodeFrameBody(f1.subarray(4)),
        ]);
        expect(r.midFrame).to.equal(false);
      }
    });
  });
});
