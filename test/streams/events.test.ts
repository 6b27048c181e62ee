import { expect } from 'chai';
import { Subject, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { NativeEvent, NativeEventMap, NativeEventStreams, TimBackend } from '../../src/backend/types.js';
import { createDiagnostics, type Diagnostic } from '../../src/streams/diagnostics.js';
import { createEvents } from '../../src/streams/events.js';

/** A backend whose native events are driven by the given observables (marble tests). */
function backendWith(events: Partial<{ [K in NativeEvent]: Observable<NativeEventMap[K]> }>): TimBackend {
  const never = new Subject<never>();
  const streams = new Proxy({}, { get: (_t, name: string) => events[name as NativeEvent] ?? never }) as NativeEventStreams;
  return { init: () => 0, setConfig: () => 0, version: () => '', call: () => never, invoke: () => 0, events: streams, dispose: async () => undefined };
}

const textMessage = (id: string, text: string) =>
  `[{"message_conv_id":"${id}","message_conv_type":1,"message_sender":"${id}","message_elem_array":[{"elem_type":0,"text_elem_content":"${text}"}]}]`;

describe('hot event streams', () => {
  const scheduler = () => new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });

  it('flattens each callback array into one emission per message, and a bad payload goes to diagnostics$ while the stream goes on', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const recvNewMsg = cold('a-b-c', {
        a: { json: `[${textMessage('bob', 'one').slice(1, -1)},${textMessage('bob', 'two').slice(1, -1)}]` },
        b: { json: '[{"message_conv_type":1}]' },
        c: { json: textMessage('bob', 'three') },
      });
      const diagnostics = createDiagnostics();
      const events = createEvents(backendWith({ recvNewMsg }), diagnostics);
      const texts$ = events.messages$.pipe(map((m) => m.elements.map((e) => (e.type === 'text' ? e.text : '?')).join()));
      expectObservable(texts$).toBe('(xy)z', { x: 'one', y: 'two', z: 'three' });
      expectObservable(diagnostics.diagnostics$.pipe(map((d) => d.source))).toBe('--d', { d: 'TIMRecvNewMsgCallback' });
    });
  });

  it('reports which callback and which path failed to decode', () => {
    const recvNewMsg = new Subject<NativeEventMap['recvNewMsg']>();
    const diagnostics = createDiagnostics();
    const seen: Diagnostic[] = [];
    diagnostics.diagnostics$.subscribe((d) => seen.push(d));
    const events = createEvents(backendWith({ recvNewMsg }), diagnostics);
    const got: unknown[] = [];
    events.messages$.subscribe({ next: (m) => got.push(m), error: () => got.push('error') });
    recvNewMsg.next({ json: 'not json' });
    recvNewMsg.next({ json: '[{"message_conv_type":1}]' });
    recvNewMsg.next({ json: textMessage('bob', 'fine') });
    expect(got).to.have.length(1);
    expect(seen.map((d) => d.source)).to.deep.equal(['TIMRecvNewMsgCallback', 'TIMRecvNewMsgCallback']);
    expect(seen[0]!.raw).to.equal('not json');
    expect(seen[1]!.errors.join()).to.contain('message_conv_id');
  });

  it('types network status, conversation events (with v8 sync start/finish) and delivers on the injected scheduler', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const networkStatus = cold('a-b', { a: { status: 2, code: 0, desc: '' }, b: { status: 3, code: 9511, desc: 'refused' } });
      const convEvent = cold('-s-f', { s: { event: 3, json: '' }, f: { event: 4, json: '' } });
      const events = createEvents(backendWith({ networkStatus, convEvent }), createDiagnostics(), ts);
      expectObservable(events.networkStatus$).toBe('a-b', {
        a: { status: 'connecting', code: 0, desc: '' },
        b: { status: 'connect-failed', code: 9511, desc: 'refused' },
      });
      expectObservable(events.conversationEvents$).toBe('-s-f', { s: { kind: 'sync-start' }, f: { kind: 'sync-finish' } });
    });
  });

  it('an unknown network status number is a diagnostic, not an emission', () => {
    const networkStatus = new Subject<NativeEventMap['networkStatus']>();
    const diagnostics = createDiagnostics();
    const seen: Diagnostic[] = [];
    diagnostics.diagnostics$.subscribe((d) => seen.push(d));
    const got: unknown[] = [];
    createEvents(backendWith({ networkStatus }), diagnostics).networkStatus$.subscribe((s) => got.push(s.status));
    networkStatus.next({ status: 42, code: 0, desc: '' });
    networkStatus.next({ status: 0, code: 0, desc: '' });
    expect(got).to.deep.equal(['connected']);
    expect(seen).to.have.length(1);
    expect(seen[0]!.source).to.equal('TIMNetworkStatusListenerCallback');
  });
});
