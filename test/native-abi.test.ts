/**
 * libtimlocal's C ABI through koffi, with no emulator: a raw loopback server
 * in this file speaks the wire protocol (docs/wire-protocol.md) by hand.
 */
import { expect } from 'chai';
import koffi from 'koffi';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, readFileSync, readSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../native/build/libtimlocal.so');

// ---- bindings (exact prototypes of reference.md C.1 / C.2) ----
for (const e of ['TIMConvType', 'TIMConvEvent', 'TIMNetworkStatus', 'TIMLogLevel']) koffi.alias(e, 'int');
const P = {
  comm: koffi.proto('void TIMCommCallback(int32_t code, const char* desc, const char* json_params, const void* user_data)'),
  recv: koffi.proto('void TIMRecvNewMsgCallback(const char* json_msg_array, const void* user_data)'),
  receipt: koffi.proto('void TIMMsgReadedReceiptCallback(const char* json_msg_readed_receipt_array, const void* user_data)'),
  revoke: koffi.proto('void TIMMsgRevokeCallback(const char* json_msg_locator_array, const void* user_data)'),
  upload: koffi.proto('void TIMMsgElemUploadProgressCallback(const char* json_msg, uint32_t index, uint32_t cur_size, uint32_t total_size, const void* user_data)'),
  tips: koffi.proto('void TIMGroupTipsEventCallback(const char* json_group_tip_array, const void* user_data)'),
  conv: koffi.proto('void TIMConvEventCallback(TIMConvEvent conv_event, const char* json_conv_array, const void* user_data)'),
  net: koffi.proto('void TIMNetworkStatusListenerCallback(TIMNetworkStatus status, int32_t code, const char* desc, const void* user_data)'),
  kicked: koffi.proto('void TIMKickedOfflineCallback(const void* user_data)'),
  expired: koffi.proto('void TIMUserSigExpiredCallback(const void* user_data)'),
  log: koffi.proto('void TIMLogCallback(TIMLogLevel level, const char* log, const void* user_data)'),
  update: koffi.proto('void TIMMsgUpdateCallback(const char* json_msg_array, const void* user_data)'),
};
const CB = 'TIMCommCallback* cb, const void* user_data';
const PROTOTYPES = [
  'void TIMSetRecvNewMsgCallback(TIMRecvNewMsgCallback* cb, const void* user_data)',
  'void TIMAddRecvNewMsgCallback(TIMRecvNewMsgCallback* cb, const void* user_data)',
  'void TIMRemoveRecvNewMsgCallback(TIMRecvNewMsgCallback* cb)',
  'void TIMSetMsgReadedReceiptCallback(TIMMsgReadedReceiptCallback* cb, const void* user_data)',
  'void TIMSetMsgRevokeCallback(TIMMsgRevokeCallback* cb, const void* user_data)',
  'void TIMSetMsgElemUploadProgressCallback(TIMMsgElemUploadProgressCallback* cb, const void* user_data)',
  'void TIMSetGroupTipsEventCallback(TIMGroupTipsEventCallback* cb, const void* user_data)',
  'void TIMSetConvEventCallback(TIMConvEventCallback* cb, const void* user_data)',
  'void TIMSetNetworkStatusListenerCallback(TIMNetworkStatusListenerCallback* cb, const void* user_data)',
  'void TIMSetKickedOfflineCallback(TIMKickedOfflineCallback* cb, const void* user_data)',
  'void TIMSetUserSigExpiredCallback(TIMUserSigExpiredCallback* cb, const void* user_data)',
  'void TIMSetLogCallback(TIMLogCallback* cb, const void* user_data)',
  'void TIMSetMsgUpdateCallback(TIMMsgUpdateCallback* cb, const void* user_data)',
  'int TIMInit(uint64_t sdk_app_id, const char* json_sdk_config)',
  'int TIMUninit()',
  'const char* TIMGetSDKVersion()',
  `int TIMSetConfig(const char* json_config, ${CB})`,
  `int TIMLogin(const char* user_id, const char* user_sig, ${CB})`,
  `int TIMLogout(${CB})`,
  `int TIMConvCreate(const char* conv_id, TIMConvType conv_type, ${CB})`,
  `int TIMConvDelete(const char* conv_id, TIMConvType conv_type, ${CB})`,
  `int TIMConvGetConvList(${CB})`,
  'int TIMConvSetDraft(const char* conv_id, TIMConvType conv_type, const char* json_draft_param)',
  'int TIMConvCancelDraft(const char* conv_id, TIMConvType conv_type)',
  ...['TIMMsgSendNewMsg', 'TIMMsgReportReaded', 'TIMMsgRevoke', 'TIMMsgFindByMsgLocatorList', 'TIMMsgImportMsgList', 'TIMMsgSaveMsg', 'TIMMsgGetMsgList', 'TIMMsgDelete']
    .map((f) => `int ${f}(const char* conv_id, TIMConvType conv_type, const char* json, ${CB})`),
  `int TIMMsgDownloadElemToPath(const char* json_download_elem_param, const char* path, ${CB})`,
  `int TIMMsgBatchSend(const char* json_batch_send_param, ${CB})`,
  `int TIMGroupJoin(const char* group_id, const char* hello_msg, ${CB})`,
  ...['TIMGroupCreate', 'TIMGroupDelete', 'TIMGroupQuit', 'TIMGroupInviteMember', 'TIMGroupDeleteMember', 'TIMGroupGetGroupInfoList', 'TIMGroupModifyGroupInfo',
    'TIMGroupGetMemberInfoList', 'TIMGroupModifyMemberInfo', 'TIMGroupGetPendencyList', 'TIMGroupHandlePendency'].map((f) => `int ${f}(const char* param, ${CB})`),
  `int TIMGroupGetJoinedGroupList(${CB})`,
  `int TIMGroupReportPendencyReaded(uint64_t time_stamp, ${CB})`,
];

type Fn = (...args: unknown[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
const dlopen = koffi.load('libc.so.6').func('void *dlopen(const char *file, int mode)');
dlopen(LIB, 2 /* RTLD_NOW */ | 0x1000 /* RTLD_NODELETE */); // never dlclose'd under our thread
const lib = koffi.load(LIB);
const T: Record<string, Fn> = {};
for (const proto of PROTOTYPES) T[/(\w+)\(/.exec(proto)![1]!] = lib.func(proto);
// libtimlocal's own exports (native/tim_local.h), not part of the Tencent ABI above.
const hostDispatch = lib.func('int TIMLocalHostDispatch(int on)') as Fn;
const dispatch = lib.func('int TIMLocalDispatch(int max)') as Fn;

// ---- one registered trampoline per callback type, for the whole file ----
interface CommResult { code: number; desc: string; json: string; ud: bigint | null; duringCall: boolean }
let inCall = false; // true while a synchronous FFI call made by this file runs
const comm: CommResult[] = [];
const netEvents: Array<{ status: number; code: number; desc: string }> = [];
const recvA: string[] = [];
const recvB: string[] = [];
const logs: Array<{ level: number; line: string }> = [];
let kicked = 0;
let onNet: ((status: number) => void) | undefined; // runs inside the network callback
const commCb = koffi.register((code: number, desc: string, json: string, ud: bigint | null) => {
  comm.push({ code, desc, json, ud, duringCall: inCall });
}, koffi.pointer(P.comm));
const netCb = koffi.register((status: number, code: number, desc: string) => {
  netEvents.push({ status, code, desc });
  try { onNet?.(status); } catch (e) { console.error(e); } // never throw out of a trampoline
}, koffi.pointer(P.net));
const recvCbA = koffi.register((json: string) => recvA.push(json), koffi.pointer(P.recv));
const recvCbB = koffi.register((json: string) => recvB.push(json), koffi.pointer(P.recv));
const logCb = koffi.register((level: number, line: string) => logs.push({ level, line }), koffi.pointer(P.log));
const kickedCb = koffi.register(() => kicked++, koffi.pointer(P.kicked));
let expired = 0;
const expiredCb = koffi.register(() => expired++, koffi.pointer(P.expired));

function call(name: string, ...args: unknown[]): number {
  inCall = true;
  try {
    return T[name]!(...args) as number;
  } finally {
    inCall = false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<R>(what: string, get: () => R | undefined | false, ms = 5000): Promise<R> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
const result = (ud: bigint) => waitFor(`callback with user_data ${ud}`, () => comm.find((r) => r.ud === ud));

// ---- the raw test server ----
const frame = (body: Buffer) => Buffer.concat([u32(body.length), body]);
const u8 = (v: number) => Buffer.from([v]);
const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; };
const i32 = (v: number) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; };
const str = (s: string) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([u32(b.length), b]); };
const welcome = () => frame(Buffer.concat([u8(2), u16(1), str('raw-test-server')]));
const reply = (id: number, code: number, desc: string, json: string, flags = 0) =>
  frame(Buffer.concat([u8(4), u32(id), u8(flags), i32(code), str(desc), str(json)]));
const i64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigInt64BE(v); return b; };
const event = (id: number, ...args: Array<string | bigint>) => frame(Buffer.concat([u8(5), u16(id), u8(args.length),
  ...args.map((a) => (typeof a === 'string' ? Buffer.concat([u8(1), str(a)]) : Buffer.concat([u8(2), i64(a)])))]));

const u64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(v); return b; };
/** EVENT 100 (internal): the session generation (tag 3) of the TIMLogin whose REPLY follows. */
const sessionEvent = (generation: bigint) => frame(Buffer.concat([u8(5), u16(100), u8(1), u8(3), u64(generation)]));
/** EVENT 1 with its delivery token (tag 3), as the emulator sends it. */
const newMessages = (json: string, token: bigint) =>
  frame(Buffer.concat([u8(5), u16(1), u8(2), u8(1), str(json), u8(3), u64(token)]));

type Arg = string | bigint | null;
/** An answer of the library to a file-transfer frame (`n`: size, offset or bytes written). */
interface FileAnswer { kind: 'info' | 'data' | 'written'; id: number; code: number; n: bigint; data?: Buffer }
const fileOpen = (tid: number, reqId: number, path: string) => frame(Buffer.concat([u8(7), u32(tid), u32(reqId), str(path)]));
const fileRead = (tid: number, offset: bigint, length: number) => frame(Buffer.concat([u8(9), u32(tid), u64(offset), u32(length)]));
const fileClose = (tid: number) => frame(Buffer.concat([u8(11), u32(tid)]));
const filePush = (reqId: number, offset: bigint, total: bigint, data: Buffer) =>
  frame(Buffer.concat([u8(12), u32(reqId), u64(offset), u64(total), u32(data.length), data]));
interface Call { reqId: number; fn: number; args: Arg[] }
interface Hello { protocol: number; appId: bigint; version: string }
class Conn {
  hello?: Hello;
  calls: Call[] = [];
  /** Delivery tokens of the ACK frames received, in order. */
  acks: bigint[] = [];
  /** FILE_INFO, FILE_DATA and FILE_WRITTEN frames received, in order. */
  files: FileAnswer[] = [];
  private buf = Buffer.alloc(0);
  constructor(readonly sock: net.Socket) {
    sock.on('error', () => {});
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readUInt32BE(0)) {
        const body = this.buf.subarray(4, 4 + this.buf.readUInt32BE(0));
        this.buf = this.buf.subarray(4 + body.length);
        this.onBody(body);
      }
    });
  }
  private onBody(b: Buffer): void {
    let o = 1;
    const s = () => { const n = b.readUInt32BE(o); o += 4 + n; return b.toString('utf8', o - n, o); };
    if (b[0] === 1) {
      this.hello = { protocol: b.readUInt16BE(1), appId: b.readBigUInt64BE(3), version: (o = 11, s()) };
      this.sock.write(welcome());
    } else if (b[0] === 3) {
      const reqId = b.readUInt32BE(1), fn = b.readUInt16BE(5), argc = b[7]!, args: Arg[] = [];
      o = 8;
      for (let i = 0; i < argc; i++) {
        const tag = b[o++];
        if (tag === 0) args.push(null);
        else if (tag === 1) args.push(s());
        else { args.push(tag === 2 ? b.readBigInt64BE(o) : b.readBigUInt64BE(o)); o += 8; }
      }
      this.calls.push({ reqId, fn, args });
    } else if (b[0] === 6 && b.length === 9) {
      this.acks.push(b.readBigUInt64BE(1));
    } else if (b[0] === 8 && b.length === 17) {
      this.files.push({ kind: 'info', id: b.readUInt32BE(1), code: b.readInt32BE(5), n: b.readBigUInt64BE(9) });
    } else if (b[0] === 10) {
      const n = b.readUInt32BE(17);
      expect(b.length).to.equal(21 + n);
      this.files.push({ kind: 'data', id: b.readUInt32BE(1), n: b.readBigUInt64BE(5), code: b.readInt32BE(13), data: b.subarray(21) });
    } else if (b[0] === 13 && b.length === 17) {
      this.files.push({ kind: 'written', id: b.readUInt32BE(1), code: b.readInt32BE(5), n: b.readBigUInt64BE(9) });
    }
  }
  call(fn: number) { return waitFor(`CALL fn ${fn}`, () => this.calls.find((c) => c.fn === fn)); }
  /** The next file answer of `kind` for `id` after the first `skip` ones. */
  answer(kind: FileAnswer['kind'], id: number, skip = 0) {
    return waitFor(`${kind} #${skip} of ${id}`, () => this.files.filter((f) => f.kind === kind && f.id === id)[skip]);
  }
}

class RawServer {
  conns: Conn[] = [];
  private server = net.createServer((s) => this.conns.push(new Conn(s)));
  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as net.AddressInfo).port;
  }
  conn(i: number) { return waitFor(`connection #${i}`, () => this.conns[i]); }
  close() { for (const c of this.conns) c.sock.destroy(); this.server.close(); }
}

async function unusedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const APP_ID = 1400000123n;
function init(port: number): void {
  process.env['TIM_EMULATOR_HOST'] = `127.0.0.1:${port}`;
  netEvents.length = 0;
  call('TIMSetNetworkStatusListenerCallback', netCb, 7n);
  call('TIMSetLogCallback', logCb, 8n);
  expect(call('TIMInit', APP_ID, '{}')).to.equal(0);
}
const netSeq = (n: number) => waitFor(`${n} network events`, () => netEvents.length >= n && netEvents.slice(0, n));

/** Init against a raw server, log in as alice (session `generation`, announced by EVENT 100); returns the connection. */
async function loggedIn(server: RawServer, port: number, ud: bigint, generation = 7n): Promise<Conn> {
  init(port);
  expect(call('TIMLogin', 'alice', 'sig-a', commCb, ud)).to.equal(0);
  const c = await server.conn(server.conns.length);
  c.sock.write(Buffer.concat([sessionEvent(generation), reply((await c.call(16)).reqId, 0, '', '')]));
  expect((await result(ud)).code).to.equal(0);
  return c;
}

describe('native ABI (libtimlocal through koffi, no emulator)', function () {
  this.timeout(20000);
  let server: RawServer | undefined;
  const savedHost = process.env['TIM_EMULATOR_HOST'];
  before(() => call('TIMUninit')); // the library is process-wide: start from a clean state
  afterEach(() => { hostDispatch(0); call('TIMUninit'); server?.close(); server = undefined; });
  after(() => { // trampolines stay registered until the process exits
    call('TIMUninit');
    if (savedHost === undefined) delete process.env['TIM_EMULATOR_HOST'];
    else process.env['TIM_EMULATOR_HOST'] = savedHost;
  });

  it('exports the 48 functions; TIMGetSDKVersion', () => {
    expect(Object.keys(T)).to.have.length(48);
    expect(call('TIMGetSDKVersion')).to.match(/timlocal/);
  });

  it('returns the synchronous error codes without calling back', async () => {
    expect(call('TIMConvCreate', null, 1, commCb, 101n)).to.equal(-4);
    expect(call('TIMConvCreate', 'c', 7, commCb, 102n)).to.equal(-5);
    expect(call('TIMMsgSendNewMsg', 'c', 3, '{}', commCb, 103n)).to.equal(-5);
    expect(call('TIMMsgSendNewMsg', 'c', 1, 'not json', commCb, 104n)).to.equal(-3);
    expect(call('TIMMsgSendNewMsg', 'c', 1, '', commCb, 105n)).to.equal(-3);
    expect(call('TIMGroupGetGroupInfoList', '{}', commCb, 106n)).to.equal(-3);
    expect(call('TIMLogin', 'u', null, commCb, 107n)).to.equal(-4);
    expect(call('TIMInit', 0, '{}')).to.equal(-4);
    expect(call('TIMInit', 1, null)).to.equal(-4);
    expect(call('TIMInit', 1, '[]')).to.equal(-3);
    await sleep(100);
    expect(comm.filter((r) => r.ud !== null && r.ud >= 101n && r.ud <= 107n)).to.deep.equal([]);
  });

  it('before TIMInit: TIMLogin returns 0 and calls back 6013 later, from another thread', async () => {
    expect(call('TIMLogin', 'u', 's', commCb, 201n)).to.equal(0);
    const r = await result(201n);
    expect(r).to.include({ code: 6013, duringCall: false });
    expect(call('TIMSetConfig', ' {"k":1}', commCb, 202n)).to.equal(0);
    expect(await result(202n)).to.include({ code: 0, json: ' {"k":1}', duringCall: false });
  });

  it('refused port: Connecting then ConnectFailed 9511; calls queued or made meanwhile get 6200', async () => {
    // Made inside the ConnectFailed callback: the library thread is blocked in
    // that callback, so it is certainly between two attempts.
    onNet = (status) => { if (status === 3) call('TIMLogin', 'u', 's', commCb, 302n); };
    try {
      init(await unusedPort());
      expect(call('TIMLogin', 'u', 's', commCb, 301n)).to.equal(0); // queued while connecting
      const [a, b] = await netSeq(2);
      expect(a).to.include({ status: 2, code: 0 });
      expect(b).to.include({ status: 3, code: 9511 });
      expect((await result(301n)).code).to.equal(6200);
      expect((await result(302n)).code).to.equal(6200);
      expect((await netSeq(3))[2]).to.include({ status: 2 }); // retried
    } finally {
      onNet = undefined;
    }
  });

  it('raw server: HELLO, login CALL, REPLY, new-message EVENT, then loss -> 9508 and 6201', async () => {
    server = new RawServer();
    init(await server.listen());
    call('TIMSetRecvNewMsgCallback', recvCbA, 11n);
    call('TIMAddRecvNewMsgCallback', recvCbB, 12n);
    expect(call('TIMLogin', 'alice', 'sig-a', commCb, 0x1234567890abn)).to.equal(0); // queued until WELCOME
    const c = await server.conn(0);
    await waitFor('HELLO', () => c.hello);
    expect(c.hello).to.deep.include({ protocol: 1, appId: APP_ID });
    expect(c.hello!.version).to.match(/timlocal/);
    const login = await c.call(16);
    expect(login).to.deep.equal({ reqId: login.reqId, fn: 16, args: ['alice', 'sig-a'] });
    expect(login.reqId).to.be.greaterThan(0);
    expect((await netSeq(2)).map((e) => e.status)).to.deep.equal([2, 0]);
    c.sock.write(reply(login.reqId, 0, 'ok-desc', '{"a":"中文"}'));
    expect(await result(0x1234567890abn)).to.deep.include({ code: 0, desc: 'ok-desc', json: '{"a":"中文"}', duringCall: false });
    c.sock.write(Buffer.concat([event(1, '[{"m":1}]'), event(10, 5n, 'server says hi')])); // one read, two frames
    await waitFor('new message', () => recvB.includes('[{"m":1}]'));
    expect(recvA).to.include('[{"m":1}]');
    expect(await waitFor('EVENT 10', () => logs.find((l) => l.line === 'server says hi'))).to.include({ level: 5 });
    call('TIMRemoveRecvNewMsgCallback', recvCbA);
    c.sock.write(event(1, '[{"m":2}]'));
    await waitFor('second message', () => recvB.includes('[{"m":2}]'));
    expect(recvA).to.not.include('[{"m":2}]');
    expect(logs.some((l) => l.level === 4 && /connected/.test(l.line))).to.equal(true);
    expect(call('TIMConvGetConvList', commCb, 501n)).to.equal(0);
    await c.call(20);
    c.sock.destroy();
    expect(await waitFor('Disconnected', () => netEvents.find((e) => e.status === 1))).to.include({ code: 9508 });
    expect((await result(501n)).code).to.equal(6201);
  });

  it('ACKs an EVENT 1 delivery token once the new-message listeners returned; no token or no listener: no ACK', async () => {
    server = new RawServer();
    const c = await loggedIn(server, await server.listen(), 1001n);
    c.sock.write(newMessages('[{"m":"no listener"}]', 4n)); // nobody listens yet: not acknowledged
    await sleep(100);
    call('TIMSetRecvNewMsgCallback', recvCbA, 13n);
    call('TIMAddRecvNewMsgCallback', recvCbB, 14n);
    c.sock.write(Buffer.concat([newMessages('[{"m":5}]', 5n), event(1, '[{"m":"untokened"}]'), newMessages('[{"m":6}]', 6n)]));
    await waitFor('the ACK of token 6', () => c.acks.includes(6n));
    expect(recvA).to.include.members(['[{"m":5}]', '[{"m":"untokened"}]', '[{"m":6}]']);
    expect(recvB).to.include.members(['[{"m":5}]', '[{"m":6}]']);
    await sleep(100);
    // ACKs are cumulative: frames handled in one round get one ACK, of the last token (5 is then covered by 6).
    expect([[6n], [5n, 6n]], 'ACKs in order, ending with the last token').to.deep.include(c.acks);
    expect(recvA).to.not.include('[{"m":"no listener"}]');
  });

  it('host dispatch mode: callbacks wait for TIMLocalDispatch and run inside it, in order; requests go out at the next dispatch', async () => {
    server = new RawServer();
    const c = await loggedIn(server, await server.listen(), 1101n);
    call('TIMSetRecvNewMsgCallback', recvCbA, 15n);
    call('TIMSetLogCallback', null, null); // only the callbacks this test causes wait in the queue
    const fd = hostDispatch(1) as number;
    expect(fd).to.be.at.least(0);
    expect(hostDispatch(1), 'the same descriptor every time').to.equal(fd);
    const readable = () => { try { return readSync(fd, Buffer.alloc(64)) > 0; } catch { return false; } }; // EAGAIN: empty

    c.sock.write(Buffer.concat([newMessages('[{"m":"h1"}]', 8n), event(1, '[{"m":"h2"}]')]));
    await waitFor('the pipe to signal', readable);
    const cpu = process.cpuUsage();
    await sleep(300);
    const { user, system } = process.cpuUsage(cpu);
    // A resource bound, not a speed one: a library thread that polled in a loop while callbacks wait would burn ~300 ms.
    expect((user + system) / 1000, 'CPU ms used while callbacks wait for the host').to.be.below(150);
    expect(recvA, 'nothing runs before TIMLocalDispatch').to.not.include('[{"m":"h1"}]');
    expect(c.acks).to.not.include(8n);
    expect(dispatch(1)).to.equal(1); // at most max
    expect(recvA.slice(-1)).to.deep.equal(['[{"m":"h1"}]']);
    expect(dispatch(-1)).to.equal(1);
    expect(recvA.slice(-2), 'in order, before TIMLocalDispatch returned').to.deep.equal(['[{"m":"h1"}]', '[{"m":"h2"}]']);
    expect(dispatch(-1)).to.equal(0);
    await waitFor('the deferred ACK of token 8', () => c.acks.includes(8n)); // rides on the thread's next wake-up (≤ 5 ms)

    const before = c.calls.length;
    expect(call('TIMConvGetConvList', commCb, 1102n)).to.equal(0);
    await sleep(50);
    expect(c.calls.length, 'a request waits for the next dispatch').to.equal(before);
    expect(dispatch(0)).to.equal(0); // sends, runs nothing
    c.sock.write(reply((await c.call(20)).reqId, 0, '', '[]'));
    const replied = await waitFor('the reply, run by a TIMLocalDispatch', () => {
      if (readable()) {
        inCall = true;
        try { dispatch(-1); } finally { inCall = false; }
      }
      return comm.find((r) => r.ud === 1102n);
    });
    expect(replied, 'run inside TIMLocalDispatch').to.include({ code: 0, json: '[]', duringCall: true });

    expect(hostDispatch(0)).to.equal(0); // back to the library thread
    closeSync(fd); // the host's end
    c.sock.write(event(1, '[{"m":"h3"}]'));
    await waitFor('a callback from the library thread again', () => recvA.includes('[{"m":"h3"}]'));
    expect(dispatch(-1)).to.equal(0);
  });

  it('host dispatch mode: past 8192 waiting callbacks the library stops reading, and reads on once the host has run them; nothing lost', async () => {
    server = new RawServer();
    const c = await loggedIn(server, await server.listen(), 1201n);
    call('TIMSetRecvNewMsgCallback', recvCbA, 16n);
    call('TIMSetLogCallback', null, null);
    const fd = hostDispatch(1) as number;
    const N = 200_000; // ~7 MB of frames: more than the library reads before it checks its queue
    const first = recvA.length;
    // Without delivery tokens: no ACK is to come, so only the host's dispatch can set the library reading again.
    c.sock.write(Buffer.concat(Array.from({ length: N }, (_, i) => event(1, `[{"n":${i}}]`))));
    await sleep(300); // nobody dispatches: the library fills its queue and stops reading
    for (const end = Date.now() + 10_000; recvA.length - first < N;) {
      if (Date.now() > end) throw new Error(`stalled after ${recvA.length - first} of ${N}: the library did not read on`);
      if (dispatch(-1) === 0) await sleep(5); // the library thread reads on
    }
    const got = recvA.slice(first);
    expect(got).to.have.length(N);
    expect(got.every((json, i) => json === `[{"n":${i}}]`), 'every one, in order').to.equal(true);
    hostDispatch(0);
    closeSync(fd);
  });

  it('reconnects after a bad frame and RESUMEs the session first', async () => {
    server = new RawServer();
    const c0 = await loggedIn(server, await server.listen(), 601n);
    expect(call('TIMSetConfig', '{"cfg":1}', commCb, 603n)).to.equal(0);
    expect(await c0.call(15)).to.deep.equal({ reqId: 0, fn: 15, args: ['{"cfg":1}'] }); // sent now, no reply wanted
    c0.sock.write(u32(0)); // zero-length frame: garbage
    expect(await waitFor('Disconnected', () => netEvents.find((e) => e.status === 1))).to.include({ code: 9508 });
    const c1 = await server.conn(1);
    const resume = await c1.call(100);
    expect(resume.args).to.deep.equal(['alice', 'sig-a', 7n]); // the generation of the login, tag 3
    expect(c1.calls[0]!.fn).to.equal(100);
    expect(await c1.call(15)).to.deep.equal({ reqId: 0, fn: 15, args: ['{"cfg":1}'] }); // replayed
    c1.sock.write(reply(resume.reqId, 0, '', ''));
    expect(call('TIMConvGetConvList', commCb, 602n)).to.equal(0);
    c1.sock.write(reply((await c1.call(20)).reqId, 0, '', '[]'));
    expect(await result(602n)).to.include({ code: 0, json: '[]' });
  });

  it('RESUMEs with the generation of the latest login (EVENT 100 before its REPLY), never a failed one\'s', async () => {
    server = new RawServer();
    const c0 = await loggedIn(server, await server.listen(), 1101n, 41n);
    expect(call('TIMLogin', 'alice', 'sig-b', commCb, 1102n)).to.equal(0); // logs in again: generation 42
    const second = await waitFor('second login', () => c0.calls.filter((x) => x.fn === 16)[1]);
    c0.sock.write(Buffer.concat([sessionEvent(42n), reply(second.reqId, 0, '', '')]));
    expect((await result(1102n)).code).to.equal(0);
    c0.sock.destroy();
    const c1 = await server.conn(1);
    expect((await c1.call(100)).args).to.deep.equal(['alice', 'sig-b', 42n]);
    c1.sock.write(reply((await c1.call(100)).reqId, 0, '', ''));
    expect(call('TIMLogin', 'alice', 'sig-c', commCb, 1103n)).to.equal(0); // refused: keeps nothing of it
    c1.sock.write(Buffer.concat([sessionEvent(99n), reply((await waitFor('third login', () => c1.calls.find((x) => x.fn === 16))).reqId, 6017, 'no', '')]));
    expect((await result(1103n)).code).to.equal(6017);
    c1.sock.destroy();
    const c2 = await server.conn(2);
    expect((await c2.call(100)).args).to.deep.equal(['alice', 'sig-b', 42n]);
  });

  for (const [what, code, ev] of [['a taken-over session', 6208, 8], ['a refused sig', 70003, 9]] as const) {
    it(`a refused RESUME (${what}: ${code}) logs out, forwards EVENT ${ev}, and calls fail with 6014`, async () => {
      server = new RawServer();
      call('TIMSetKickedOfflineCallback', kickedCb, 9n);
      call('TIMSetUserSigExpiredCallback', expiredCb, 10n);
      const c0 = await loggedIn(server, await server.listen(), 1201n, 3n);
      const [kickedBefore, expiredBefore] = [kicked, expired];
      c0.sock.destroy();
      const c1 = await server.conn(1);
      const resume = await c1.call(100);
      expect(resume.args).to.deep.equal(['alice', 'sig-a', 3n]);
      c1.sock.write(Buffer.concat([reply(resume.reqId, code, 'refused', ''), event(ev)]));
      await waitFor(`EVENT ${ev} forwarded`, () => (ev === 8 ? kicked > kickedBefore : expired > expiredBefore));
      expect(call('TIMConvGetConvList', commCb, 1202n)).to.equal(0);
      expect((await result(1202n)).code).to.equal(6014);
      expect([kicked - kickedBefore, expired - expiredBefore]).to.deep.equal(ev === 8 ? [1, 0] : [0, 1]);
      expect(logs.some((l) => l.line.includes(`resume failed (${code}`))).to.equal(true);
      c1.sock.destroy(); // logged out: the next connection sends no RESUME
      const c2 = await server.conn(2);
      await waitFor('HELLO', () => c2.hello);
      await sleep(100);
      expect(c2.calls.map((x) => x.fn)).to.not.include(100);
    });
  }

  it('EVENT 8 logs out and calls the kicked listener', async () => {
    server = new RawServer();
    call('TIMSetKickedOfflineCallback', kickedCb, 9n);
    const c = await loggedIn(server, await server.listen(), 701n);
    const before = kicked;
    c.sock.write(event(8));
    await waitFor('kicked', () => kicked > before);
    expect(call('TIMConvGetConvList', commCb, 702n)).to.equal(0);
    expect((await result(702n)).code).to.equal(6014);
  });

  it('TIMLogout while disconnected ends the session locally: callback 0, then 6014', async () => {
    server = new RawServer();
    const c = await loggedIn(server, await server.listen(), 901n);
    server.close();
    c.sock.destroy();
    await waitFor('Disconnected', () => netEvents.find((e) => e.status === 1));
    expect(call('TIMLogout', commCb, 902n)).to.equal(0);
    expect(await result(902n)).to.include({ code: 0, desc: '' });
    expect(call('TIMConvGetConvList', commCb, 903n)).to.equal(0);
    expect((await result(903n)).code).to.equal(6014);
  });

  describe('file transfers (the library reads and writes the files itself)', () => {
    let dir: string;
    beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'timlocal-files-')); });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('FILE_OPEN of a pending send: FILE_INFO with the size, FILE_READ answered with the bytes; the library\'s own checks (7004-7007)', async () => {
      server = new RawServer();
      const c = await loggedIn(server, await server.listen(), 1201n);
      const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
      writeFileSync(path.join(dir, 'a.bin'), bytes);
      writeFileSync(path.join(dir, 'empty.bin'), '');
      writeFileSync(path.join(dir, 'huge.bin'), '');
      truncateSync(path.join(dir, 'huge.bin'), 100 * 1024 * 1024 + 1); // sparse: 100 MiB + 1
      execFileSync('mkfifo', [path.join(dir, 'fifo')]);
      const named = ['a.bin', 'missing.bin', 'empty.bin', 'huge.bin', 'fifo'].map((f) => path.join(dir, f)).concat([dir, '/dev/zero']);
      const elements = named.map((p) => ({ elem_type: 4, file_elem_file_path: p }));
      expect(call('TIMMsgSendNewMsg', 'bob', 1, JSON.stringify({ message_elem_array: elements }), commCb, 1202n)).to.equal(0);
      const send = await c.call(23);
      c.sock.write(Buffer.concat([fileOpen(1, send.reqId, path.join(dir, 'a.bin')), fileRead(1, 0n, 1000), fileRead(1, 1000n, 2000)]));
      expect(await c.answer('info', 1)).to.deep.include({ code: 0, n: 3000n });
      const first = await c.answer('data', 1);
      const second = await c.answer('data', 1, 1);
      expect([first.n, first.code, second.n, second.code]).to.deep.equal([0n, 0, 1000n, 0]);
      expect(Buffer.concat([first.data!, second.data!])).to.deep.equal(bytes);
      c.sock.write(Buffer.concat([fileRead(1, 2500n, 1000), fileClose(1), fileRead(1, 0n, 10)])); // past the end; after close
      expect(await c.answer('data', 1, 2)).to.deep.include({ code: 6022, n: 2500n });
      expect((await c.answer('data', 1, 3)).code).to.equal(6022);
      const cases: Array<[string, number]> = [
        [path.join(dir, 'missing.bin'), 7004], [path.join(dir, 'empty.bin'), 7006], [path.join(dir, 'huge.bin'), 7005],
        [dir, 7007], [path.join(dir, 'fifo'), 7007], ['/dev/zero', 7007],
      ];
      for (const [i, [p, code]] of cases.entries()) {
        c.sock.write(fileOpen(10 + i, send.reqId, p));
        expect((await c.answer('info', 10 + i)).code, p).to.equal(code);
      }
      // Only a path the send's own JSON names (as a JSON string, '/' also as '\/'): the server cannot pick another file.
      c.sock.write(fileOpen(17, send.reqId, '/etc/hostname'));
      expect((await c.answer('info', 17)).code, 'a path the message does not name').to.equal(7007);
      c.sock.write(fileOpen(18, send.reqId, path.join(dir, 'a.bi')));
      expect((await c.answer('info', 18)).code, 'a prefix of a named path').to.equal(7007);
      // Only for a pending send of this library: not for another call, not after the send's reply.
      expect(call('TIMConvGetConvList', commCb, 1203n)).to.equal(0);
      c.sock.write(fileOpen(20, (await c.call(20)).reqId, path.join(dir, 'a.bin')));
      expect((await c.answer('info', 20)).code).to.equal(7007);
      c.sock.write(Buffer.concat([reply(send.reqId, 0, '', '{}'), fileOpen(21, send.reqId, path.join(dir, 'a.bin'))]));
      expect((await c.answer('info', 21)).code).to.equal(7007);
      // A batch send whose JSON writes '/' as '\/' (valid JSON, not JSON.stringify's way) names the file too.
      const slashed = JSON.stringify(path.join(dir, 'a.bin')).replaceAll('/', '\\/');
      expect(call('TIMMsgBatchSend', `{"msg_batch_send_param_msg":{"message_elem_array":[{"elem_type":4,"file_elem_file_path":${slashed}}]}}`, commCb, 1204n)).to.equal(0);
      c.sock.write(fileOpen(22, (await c.call(32)).reqId, path.join(dir, 'a.bin')));
      expect(await c.answer('info', 22)).to.deep.include({ code: 0, n: 3000n });
    });

    it('FILE_PUSH of a pending download is written to its path and acknowledged (FILE_WRITTEN); a target it cannot write gets 6022', async () => {
      server = new RawServer();
      const c = await loggedIn(server, await server.listen(), 1301n);
      const target = path.join(dir, 'got.bin');
      writeFileSync(target, 'older and longer content than the download');
      expect(call('TIMMsgDownloadElemToPath', '{}', target, commCb, 1302n)).to.equal(0);
      const dl = await c.call(31);
      expect(dl.args[1]).to.equal(target);
      c.sock.write(Buffer.concat([filePush(dl.reqId, 0n, 6n, Buffer.from('abc')), filePush(dl.reqId, 3n, 6n, Buffer.from('def'))]));
      expect(await c.answer('written', dl.reqId)).to.deep.include({ code: 0, n: 3n });
      expect(await c.answer('written', dl.reqId, 1)).to.deep.include({ code: 0, n: 6n });
      expect(readFileSync(target, 'utf8')).to.equal('abcdef');
      c.sock.write(reply(dl.reqId, 0, '', '{"done":1}'));
      expect(await result(1302n)).to.include({ code: 0 });
      mkdirSync(path.join(dir, 'folder'));
      execFileSync('mkfifo', [path.join(dir, 'fifo')]);
      for (const [i, bad] of [path.join(dir, 'no', 'such.bin'), path.join(dir, 'folder'), path.join(dir, 'fifo'), '/dev/null'].entries()) {
        expect(call('TIMMsgDownloadElemToPath', '{}', bad, commCb, 1310n + BigInt(i))).to.equal(0);
        const id = (await waitFor('download call', () => c.calls.filter((x) => x.fn === 31)[i + 1])).reqId;
        c.sock.write(filePush(id, 0n, 1n, Buffer.from('x')));
        expect((await c.answer('written', id)).code, bad).to.equal(6022);
      }
      // A push for a request that is not a pending download is refused too.
      c.sock.write(filePush(999, 0n, 1n, Buffer.from('x')));
      expect((await c.answer('written', 999)).code).to.equal(6022);
    });

    it('a FILE_READ above 1 MiB, or a push past its total, is a protocol error: the library reconnects', async () => {
      server = new RawServer();
      const c = await loggedIn(server, await server.listen(), 1401n);
      c.sock.write(fileRead(1, 0n, 1024 * 1024 + 1));
      expect(await waitFor('Disconnected', () => netEvents.find((e) => e.status === 1))).to.include({ code: 9508 });
      const c2 = await server.conn(1);
      await c2.call(100); // RESUME
      netEvents.length = 0;
      c2.sock.write(filePush(1, 5n, 4n, Buffer.from('x')));
      expect(await waitFor('Disconnected', () => netEvents.find((e) => e.status === 1))).to.include({ code: 9508 });
    });
  });

  it('TIMUninit fails a pending request with 7009 and returns 0 (twice too)', async () => {
    server = new RawServer();
    const c = await loggedIn(server, await server.listen(), 801n);
    expect(call('TIMConvGetConvList', commCb, 802n)).to.equal(0);
    await c.call(20);
    expect(call('TIMUninit')).to.equal(0);
    expect(call('TIMUninit')).to.equal(0);
    expect(await result(802n)).to.include({ code: 7009, duringCall: false });
  });
});
