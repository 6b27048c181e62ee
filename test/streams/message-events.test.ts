import { expect } from 'chai';
import { Subject, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { NativeEvent, NativeEventMap, NativeEventStreams, TimBackend } from '../../src/backend/types.js';
import { createDiagnostics } from '../../src/streams/diagnostics.js';
import { createEvents } from '../../src/streams/events.js';

function backendWith(events: Partial<{ [K in NativeEvent]: Observable<NativeEventMap[K]> }>): TimBackend {
  const never = new Subject<never>();
  const streams = new Proxy({}, { get: (_t, name: string) => events[name as NativeEvent] ?? never }) as NativeEventStreams;
  return { init: () => 0, setConfig: () => 0, version: () => '', call: () => never, invoke: () => 0, events: streams, dispose: async () => undefined };
}

const receipt = (id: string) => `{"msg_receipt_conv_id":"${id}","msg_receipt_conv_type":1,"msg_receipt_time_stamp":5}`;
const locator = (seq: number) =>
  `{"message_locator_is_revoked":true,"message_locator_is_self":false,"message_locator_rand":1,"message_locator_seq":${seq},"message_locator_time":3}`;
const message = (text: string) =>
  `{"message_conv_id":"bob","message_conv_type":1,"message_elem_array":[{"elem_type":0,"text_elem_content":"${text}"}]}`;

describe('hot message event streams: receipts$, revokes$, uploadProgress$, messageUpdates$', () => {
  const scheduler = () => new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });

  it('emit one value per array item; a bad payload is a diagnostic and the stream goes on', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const diagnostics = createDiagnostics();
      const events = createEvents(backendWith({
        msgReadedReceipt: cold('a-b-c', { a: { json: `[${receipt('bob')},${receipt('carol')}]` }, b: { json: '[{"msg_receipt_conv_type":1}]' }, c: { json: `[${receipt('dan')}]` } }),
        msgRevoke: cold('a-b', { a: { json: `[${locator(1)},${locator(2)}]` }, b: { json: 'not json' } }),
        msgElemUploadProgress: cold('--a', { a: { json: message('file'), index: 0, current: 5, total: 10 } }),
        msgUpdate: cold('-a', { a: { json: `[${message('edited')}]` } }),
      }), diagnostics);
      expectObservable(events.receipts$.pipe(map((r) => r.conversation.id))).toBe('(xy)z', { x: 'bob', y: 'carol', z: 'dan' });
      expectObservable(events.revokes$.pipe(map((l) => l.seq))).toBe('(xy)', { x: 1n, y: 2n });
      expectObservable(events.uploadProgress$.pipe(map((p) => `${p.index}:${p.current}/${p.total}:${p.message.conversation.id}`))).toBe('--p', { p: '0:5/10:bob' });
      expectObservable(events.messageUpdates$.pipe(map((m) => (m.elements[0] as { text: string }).text))).toBe('-u', { u: 'edited' });
      expectObservable(diagnostics.diagnostics$.pipe(map((d) => d.source))).toBe('--(rv)', { r: 'TIMMsgReadedReceiptCallback', v: 'TIMMsgRevokeCallback' });
    });
  });
});
