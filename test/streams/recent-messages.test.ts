import { expect } from 'chai';
import { Subject, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { NativeEvent, NativeEventMap, NativeEventStreams, TimBackend } from '../../src/backend/types.js';
import { createDiagnostics } from '../../src/streams/diagnostics.js';
import { createEvents } from '../../src/streams/events.js';
import { RECENT_MESSAGE_IDS, RecentKeys } from '../../src/streams/recent-messages.js';

function backendWith(events: Partial<{ [K in NativeEvent]: Observable<NativeEventMap[K]> }>): TimBackend {
  const never = new Subject<never>();
  const streams = new Proxy({}, { get: (_t, name: string) => events[name as NativeEvent] ?? never }) as NativeEventStreams;
  return { init: () => 0, setConfig: () => 0, version: () => '', call: () => never, invoke: () => 0, events: streams, dispose: async () => undefined };
}

/** One message JSON object; `id` becomes its msg id (left out when undefined), `unique` its unique id. */
const message = (text: string, id?: string, unique?: string) =>
  `{"message_conv_id":"bob","message_conv_type":1,"message_elem_array":[{"elem_type":0,"text_elem_content":"${text}"}]`
  + `${id === undefined ? '' : `,"message_msg_id":"${id}"`}${unique === undefined ? '' : `,"message_unique_id":${unique}`}}`;

const textOf = (m: { elements: readonly unknown[] }): string => (m.elements[0] as { text: string }).text;

describe('messages$ de-duplication (at-least-once delivery)', () => {
  const scheduler = () => new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });

  it('drops a message delivered again (same msg id, or same unique id without a msg id); messages without either pass', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const recvNewMsg = cold('a 9ms b 9ms c', {
        a: { json: `[${message('one', 'm1')},${message('two', 'm2')},${message('u', undefined, '7')}]` },
        b: { json: `[${message('two again', 'm2')},${message('three', 'm3')},${message('u again', undefined, '7')}]` },
        c: { json: `[${message('anon')},${message('anon')},${message('one again', 'm1')}]` },
      });
      const events = createEvents(backendWith({ recvNewMsg }), createDiagnostics());
      expectObservable(events.messages$.pipe(map(textOf))).toBe('(xyu) 5ms z 9ms (ww)', { x: 'one', y: 'two', u: 'u', z: 'three', w: 'anon' });
    });
  });

  it('remembers the last N keys only: the oldest is forgotten first', () => {
    const recent = new RecentKeys(3);
    expect(['a', 'b', 'c'].map((k) => recent.add(k))).to.deep.equal([true, true, true]);
    expect(recent.add('a')).to.equal(false);
    expect(recent.add('d')).to.equal(true); // forgets a
    expect(recent.add('a')).to.equal(true); // forgets b
    expect(recent.add('c')).to.equal(false);
    expect(recent.add('b')).to.equal(true);
    expect(RECENT_MESSAGE_IDS).to.equal(10_000);
  });

  it('keeps one memory per subscription of the source (a later subscriber shares it while the stream is hot)', () => {
    const source = new Subject<NativeEventMap['recvNewMsg']>();
    const events = createEvents(backendWith({ recvNewMsg: source }), createDiagnostics());
    const first: string[] = [];
    const second: string[] = [];
    const a = events.messages$.subscribe((m) => first.push(textOf(m)));
    source.next({ json: `[${message('one', 'm1')}]` });
    const b = events.messages$.subscribe((m) => second.push(textOf(m)));
    source.next({ json: `[${message('one again', 'm1')},${message('two', 'm2')}]` });
    a.unsubscribe();
    b.unsubscribe();
    expect(first).to.deep.equal(['one', 'two']);
    expect(second).to.deep.equal(['two']);
  });
});
