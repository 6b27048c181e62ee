import { expect } from 'chai';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Conversation } from '../../src/codecs/conversation.js';
import {
  ConversationListState, byKey, byRecentActivity, conversationList, reduceConversationList, thenByKey,
  type ConversationComparator, type ConversationListAction,
} from '../../src/streams/conversation-list.js';
import { conversation as conv } from '../../src/testing/index.js';

const ids = (list: Iterable<Conversation>) => [...list].map((c) => c.key.id).join(',');
const marbles = () => new TestScheduler((actual, expected) => {
  expect(actual).to.deep.equal(expected);
});
const add = (...conversations: Conversation[]): ConversationListAction => ({ kind: 'add', conversations });
const update = (...conversations: Conversation[]): ConversationListAction => ({ kind: 'update', conversations });
const del = (...conversations: Conversation[]): ConversationListAction => ({ kind: 'delete', conversations });
const snapshot = (...conversations: Conversation[]): ConversationListAction => ({ kind: 'snapshot', conversations });

function build(...actions: ConversationListAction[]): ConversationListState {
  return actions.reduce(reduceConversationList, ConversationListState.empty());
}

describe('conversation list reducer', () => {
  it('marbles: add, update, delete; most recent activity first; an identical update emits nothing', () => {
    marbles().run(({ cold, expectObservable }) => {
      const actions = cold<ConversationListAction>('-a-b-c-d-e', {
        a: add(conv('c2c:bob', { activeTime: 10n })),
        b: add(conv('c2c:carol', { activeTime: 20n })),
        c: update(conv('c2c:bob', { activeTime: 30n, unreadCount: 1 })),
        d: update(conv('c2c:bob', { activeTime: 30n, unreadCount: 1 })), // a duplicate (TIMSDK#698)
        e: del(conv('c2c:carol')),
      });
      expectObservable(actions.pipe(conversationList(), map(ids))).toBe('xa-b-c---e', {
        x: '', a: 'bob', b: 'carol,bob', c: 'bob,carol', e: 'bob',
      });
    });
  });

  it('marbles: a late subscriber of the operator starts from the empty list, then its own actions', () => {
    marbles().run(({ hot, expectObservable }) => {
      const actions = hot<ConversationListAction>('-a-^-b', { a: add(conv('c2c:x')), b: add(conv('c2c:y')) });
      expectObservable(actions.pipe(conversationList(), map(ids))).toBe('x-b', { x: '', b: 'y' });
    });
  });

  it('pinned first; then active time as 64-bit values (v8 pinned bits above 2^53); then last message time; ties by key', () => {
    const list = build(add(
      conv('c2c:d', { activeTime: 5n }),
      conv('c2c:c', { activeTime: 5n }),
      conv('c2c:huge', { activeTime: 4611686018427387909n }),
      conv('c2c:huge2', { activeTime: 4611686018427387908n }),
      conv('c2c:pinned', { activeTime: 1n, isPinned: true }),
      conv('group:a', { activeTime: 5n }),
    ));
    expect(ids(list)).to.equal('pinned,huge,huge2,c,d,a');
    // c2c:… sorts before group:… by key string
    expect(list.slice(3).map((c) => c.key.type)).to.deep.equal(['c2c', 'c2c', 'group']);
  });

  it('an add of a held conversation is an update; an update of an unknown one is an add; deleting an unknown one changes nothing', () => {
    const start = build(add(conv('c2c:a', { activeTime: 1n })));
    const added = start.apply(add(conv('c2c:a', { activeTime: 2n })));
    expect(added.changes.map((c) => [c.key, c.before?.activeTime, c.after?.activeTime])).to.deep.equal([['c2c:a', 1n, 2n]]);
    const inserted = added.list.apply(update(conv('c2c:b', { activeTime: 3n })));
    expect(ids(inserted.list)).to.equal('b,a');
    const none = inserted.list.apply(del(conv('c2c:zzz')));
    expect(none.list).to.equal(inserted.list);
    expect(none.changes).to.deep.equal([]);
  });

  it('one event naming a conversation twice yields one change (first before, last after)', () => {
    const step = build(add(conv('c2c:a', { unreadCount: 1 }))).apply(update(conv('c2c:a', { unreadCount: 2 }), conv('c2c:a', { unreadCount: 3 })));
    expect(step.changes).to.have.length(1);
    expect(step.changes[0]!.before?.unreadCount).to.equal(1);
    expect(step.changes[0]!.after?.unreadCount).to.equal(3);
  });

  it('a snapshot replaces stale state, keeps the identity of unchanged conversations, and is a no-op when nothing changed', () => {
    const bob = conv('c2c:bob', { activeTime: 1n, unreadCount: 4 });
    const carol = conv('c2c:carol', { activeTime: 2n });
    const before = build(add(bob, carol, conv('c2c:gone')));
    const step = before.apply(snapshot(conv('c2c:carol', { activeTime: 2n }), conv('c2c:bob', { activeTime: 3n }), conv('c2c:new')));
    expect(ids(step.list)).to.equal('bob,carol,new');
    expect(step.list.get('c2c:carol')).to.equal(carol); // same object: its per-key stream stays silent
    expect(step.list.get({ type: 'c2c', id: 'gone' })).to.equal(undefined);
    expect(step.changes.map((c) => c.key).sort()).to.deep.equal(['c2c:bob', 'c2c:gone', 'c2c:new']);
    const again = step.list.apply(snapshot(...step.list.toArray().map((c) => ({ ...c }))));
    expect(again.list).to.equal(step.list);
  });

  it('every version stays valid: applying an action never changes an older list', () => {
    const v1 = build(add(conv('c2c:a', { activeTime: 1n }), conv('c2c:b', { activeTime: 2n })));
    const sorted1 = v1.toArray();
    const v2 = reduceConversationList(v1, update(conv('c2c:a', { activeTime: 3n, unreadCount: 9 })));
    reduceConversationList(v2, del(conv('c2c:b')));
    expect(ids(v1)).to.equal('b,a');
    expect(v1.toArray()).to.equal(sorted1);
    expect(v1.get('c2c:a')?.unreadCount).to.equal(0);
    expect(v2.get('c2c:a')?.unreadCount).to.equal(9);
  });

  it('the comparator can be swapped; ties still go by key', () => {
    const byName: ConversationComparator = (a, b) => a.showName.localeCompare(b.showName);
    const list = build(add(conv('c2c:1', { showName: 'Zoe' }), conv('c2c:2', { showName: 'Adam' }), conv('c2c:0', { showName: 'Adam' })));
    const sorted = list.apply({ kind: 'sort', comparator: byName }).list;
    expect(sorted.toArray().map((c) => c.key.id)).to.deep.equal(['0', '2', '1']);
    const inserted = sorted.apply(add(conv('c2c:3', { showName: 'Bea' })));
    expect(inserted.list.toArray().map((c) => c.showName)).to.deep.equal(['Adam', 'Adam', 'Bea', 'Zoe']);
    expect(sorted.apply({ kind: 'sort', comparator: byName }).list).to.equal(sorted);
  });

  it('matches a full re-sort after a long random sequence of events (binary search never loses a conversation)', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const order = thenByKey(byRecentActivity);
    let list = ConversationListState.empty();
    const model = new Map<string, Conversation>();
    for (let i = 0; i < 3000; i++) {
      const id = `u${random(60)}`;
      const c = conv(`c2c:${id}`, { activeTime: BigInt(random(20)), isPinned: random(10) === 0, unreadCount: random(3) });
      const action = random(5) === 0 ? del(c) : random(2) === 0 ? add(c) : update(c);
      list = reduceConversationList(list, action);
      if (action.kind === 'delete') model.delete(id);
      else model.set(id, c);
    }
    const expected = [...model.values()].sort(order);
    expect(list.toArray().map((c) => c.key.id)).to.deep.equal(expected.map((c) => c.key.id));
    expect(list.size).to.equal(model.size);
    for (const c of expected) expect(list.get(c.key)?.unreadCount).to.equal(c.unreadCount);
  });

  it('one update costs O(log n) comparisons: 100× more conversations, fewer than 3× the comparisons', () => {
    const comparisonsPerUpdate = (n: number): number => {
      let count = 0;
      const counting: ConversationComparator = (a, b) => {
        count++;
        return byRecentActivity(a, b);
      };
      let list = ConversationListState.empty(counting).apply(snapshot(
        ...Array.from({ length: n }, (_, i) => conv(`c2c:u${i}`, { activeTime: BigInt(i) })),
      )).list;
      count = 0;
      for (let i = 0; i < 50; i++) list = reduceConversationList(list, update(conv(`c2c:u${(i * 7919) % n}`, { activeTime: BigInt(n + i) })));
      return count / 50;
    };
    const small = comparisonsPerUpdate(100);
    const large = comparisonsPerUpdate(10_000);
    expect(large / small, `${small} vs ${large} comparisons per update`).to.be.below(3);
  });

  it('reads like a list: size, at, slice, indexOf, get, iteration and a cached, frozen toArray', () => {
    const list = build(add(...Array.from({ length: 300 }, (_, i) => conv(`c2c:u${String(i).padStart(3, '0')}`, { activeTime: BigInt(i) }))));
    const expected = Array.from({ length: 300 }, (_, i) => `u${String(299 - i).padStart(3, '0')}`);
    expect(list.size).to.equal(300);
    expect(list.length).to.equal(300);
    expect([...list].map((c) => c.key.id)).to.deep.equal(expected);
    expect(list.at(0)?.key.id).to.equal('u299');
    expect(list.at(-1)?.key.id).to.equal('u000');
    expect(list.at(300)).to.equal(undefined);
    expect(list.slice(0, 20).map((c) => c.key.id)).to.deep.equal(expected.slice(0, 20));
    expect(list.slice(250).map((c) => c.key.id)).to.deep.equal(expected.slice(250));
    expect(list.indexOf({ type: 'c2c', id: 'u100' })).to.equal(199);
    expect(list.indexOf('c2c:u100')).to.equal(199);
    expect(list.indexOf({ type: 'group', id: 'u100' })).to.equal(-1);
    expect(list.get('c2c:u042')?.activeTime).to.equal(42n);
    const array = list.toArray();
    expect(array.map((c) => c.key.id)).to.deep.equal(expected);
    expect(list.toArray()).to.equal(array);
    expect(Object.isFrozen(array)).to.equal(true);
  });

  it('every version keeps its content: later events never change a list a view still holds', () => {
    let list = build(add(...Array.from({ length: 200 }, (_, i) => conv(`c2c:u${i}`, { activeTime: BigInt(i) }))));
    const versions: [ConversationListState, string][] = [];
    for (let i = 0; i < 300; i++) {
      versions.push([list, ids(list)]);
      const id = `u${(i * 37) % 250}`;
      list = reduceConversationList(list, i % 5 === 4 ? del(conv(`c2c:${id}`)) : update(conv(`c2c:${id}`, { activeTime: BigInt(1000 + i) })));
    }
    for (const [held, content] of versions) expect(ids(held)).to.equal(content);
  });

  it('byKey orders by type then id', () => {
    expect([conv('group:a'), conv('c2c:b'), conv('c2c:a')].sort(byKey).map((c) => `${c.key.type}:${c.key.id}`))
      .to.deep.equal(['c2c:a', 'c2c:b', 'group:a']);
  });
});
