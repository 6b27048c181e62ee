import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import type { Conversation } from '../../src/codecs/conversation.js';
import { ConversationListState, reduceConversationList, type ConversationListAction } from '../../src/streams/conversation-list.js';
import {
  applyReceivedMessage, applyUnreadChanges, effectiveUnread, noUnread, sumUnread, totalUnread, type UnreadCounts, type UnreadRules,
} from '../../src/streams/unread.js';
import { conversation as conv, groupTipsMessage, textMessage } from '../../src/testing/index.js';

const marbles = () => new TestScheduler((actual, expected) => {
  expect(actual).to.deep.equal(expected);
});

/** Runs list actions and messages through the list reducer and the incremental unread reducer together. */
function track(rules: UnreadRules) {
  let list = ConversationListState.empty();
  let counts: UnreadCounts = noUnread;
  return {
    act(action: ConversationListAction) {
      const step = list.apply(action);
      list = step.list;
      counts = applyUnreadChanges(counts, step.changes, rules);
      return this;
    },
    receive(m: ReturnType<typeof textMessage>) {
      counts = applyReceivedMessage(counts, m, list.get(m.conversation), rules);
      return this;
    },
    get total() {
      return counts.total;
    },
    unread(key: string) {
      const c = list.get(key);
      return c === undefined ? 0 : effectiveUnread(c, counts);
    },
    get list() {
      return list;
    },
  };
}

describe('unread total', () => {
  it('marbles: totalUnread() sums the list, leaves system conversations out, and emits only on change', () => {
    marbles().run(({ cold, expectObservable }) => {
      const lists = cold<readonly Conversation[]>('a-b-c-d', {
        a: [conv('c2c:bob', { unreadCount: 1 })],
        b: [conv('c2c:bob', { unreadCount: 1 }), conv('system:@TIM#SYSTEM', { unreadCount: 5 })],
        c: [conv('c2c:bob', { unreadCount: 2 }), conv('group:g', { unreadCount: 3 })],
        d: [],
      });
      expectObservable(lists.pipe(totalUnread())).toBe('a---c-d', { a: 1, c: 5, d: 0 });
      expectObservable(lists.pipe(totalUnread({ includeSystem: true }))).toBe('a-b-c-d', { a: 1, b: 6, c: 5, d: 0 });
      expectObservable(lists.pipe(totalUnread({ counts: (c) => c.key.type !== 'group' }))).toBe('a---c-d', { a: 1, c: 2, d: 0 });
    });
  });

  it('marbles: by default, "do not disturb" conversations and AVChatRoom groups stay out of the total, as in Tencent\'s SDKs', () => {
    marbles().run(({ cold, expectObservable }) => {
      const lists = cold<readonly Conversation[]>('a-b-c', {
        a: [conv('c2c:bob', { unreadCount: 1, receiveOption: 'receive' }), conv('group:team', { unreadCount: 2, groupType: 'public', receiveOption: 'receive' })],
        b: [
          conv('c2c:bob', { unreadCount: 1 }),
          conv('group:team', { unreadCount: 2, groupType: 'public', receiveOption: 'not-notify' }),
          conv('group:quiet', { unreadCount: 4, groupType: 'private', receiveOption: 'not-receive' }),
          conv('group:ping', { unreadCount: 8, groupType: 'chat-room', receiveOption: 'not-notify-except-at' }),
        ],
        c: [conv('c2c:bob', { unreadCount: 1 }), conv('group:live', { unreadCount: 16, groupType: 'av-chat-room' }), conv('group:big', { unreadCount: 32, groupType: 'b-chat-room' })],
      });
      expectObservable(lists.pipe(totalUnread())).toBe('a-b-c', { a: 3, b: 1, c: 33 });
      expectObservable(lists.pipe(totalUnread({ includeDoNotDisturb: true }))).toBe('a-b-c', { a: 3, b: 15, c: 33 });
      expectObservable(lists.pipe(totalUnread({ includeAllGroupTypes: true }))).toBe('a-b-c', { a: 3, b: 1, c: 49 });
    });
  });

  it('a conversation switched to "do not disturb" (an update) leaves the incremental total, and comes back when switched back', () => {
    const t = track({}).act({ kind: 'add', conversations: [conv('group:g', { unreadCount: 5, groupType: 'public', receiveOption: 'receive' })] });
    expect(t.total).to.equal(5);
    t.act({ kind: 'update', conversations: [conv('group:g', { unreadCount: 6, groupType: 'public', receiveOption: 'not-notify-except-at' })] });
    expect([t.total, t.unread('group:g')]).to.deep.equal([0, 6]);
    t.act({ kind: 'update', conversations: [conv('group:g', { unreadCount: 6, groupType: 'public', receiveOption: 'receive' })] });
    expect(t.total).to.equal(6);
  });

  it('the incremental total equals the full sum after every step of a random sequence (O(changes) per event)', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const types = ['c2c', 'group', 'system'] as const;
    const options = [undefined, 'receive', 'not-receive', 'not-notify', 'not-notify-except-at'] as const;
    const groupTypes = [undefined, 'public', 'private', 'chat-room', 'av-chat-room'] as const;
    const t = track({});
    for (let i = 0; i < 2000; i++) {
      const type = types[random(3)]!;
      const receiveOption = options[random(5)];
      const groupType = type === 'group' ? groupTypes[random(5)] : undefined;
      const c = conv({ type, id: `x${random(25)}` }, {
        unreadCount: random(6), activeTime: BigInt(random(9)),
        ...(receiveOption === undefined ? {} : { receiveOption }), ...(groupType === undefined ? {} : { groupType }),
      });
      const kind = (['add', 'update', 'delete'] as const)[random(3)]!;
      t.act(random(40) === 0 ? { kind: 'snapshot', conversations: [c] } : { kind, conversations: [c] });
      expect(t.total).to.equal(sumUnread(t.list));
    }
  });

  // The one place that applies user_config_is_ignore_grouptips_unread: neither v8's library nor the emulator
  // does (the server counts tips for all but their operator), so the state subtracts them, once.
  describe('group tips (user_config_is_ignore_grouptips_unread)', () => {
    it('count by default, like any message', () => {
      const t = track({}).receive(groupTipsMessage('g')).act({ kind: 'add', conversations: [conv('group:g', { unreadCount: 1 })] });
      expect(t.total).to.equal(1);
      expect(t.unread('group:g')).to.equal(1);
    });

    it('when ignored: a received group tip is left out until the conversation is read, then forgotten', () => {
      const t = track({ ignoreGroupTips: true });
      t.act({ kind: 'add', conversations: [conv('group:g', { unreadCount: 1 })] }); // one real message
      expect(t.total).to.equal(1);
      t.receive(groupTipsMessage('g')); // the tip arrives before the conversation update, as the SDK sends them
      t.act({ kind: 'update', conversations: [conv('group:g', { unreadCount: 2 })] });
      expect([t.total, t.unread('group:g')]).to.deep.equal([1, 1]);
      t.receive(textMessage('group:g', 'hi')).act({ kind: 'update', conversations: [conv('group:g', { unreadCount: 3 })] });
      expect(t.total).to.equal(2);
      t.act({ kind: 'update', conversations: [conv('group:g', { unreadCount: 0 })] }); // read
      expect(t.total).to.equal(0);
      t.act({ kind: 'update', conversations: [conv('group:g', { unreadCount: 1 })] }); // a new real message
      expect(t.total).to.equal(1);
    });

    it('when ignored: tips sent by oneself, or in C2C conversations, are not tips to leave out', () => {
      const t = track({ ignoreGroupTips: true }).act({ kind: 'add', conversations: [conv('group:g', { unreadCount: 2 })] });
      t.receive(groupTipsMessage('g', { isFromSelf: true }));
      t.receive(textMessage('c2c:bob', 'x'));
      expect(t.total).to.equal(2);
    });

    it('when ignored: a tip received after the update lowers the total at once; deleting the conversation forgets its tips', () => {
      const t = track({ ignoreGroupTips: true }).act({ kind: 'add', conversations: [conv('group:g', { unreadCount: 2 })] });
      t.receive(groupTipsMessage('g'));
      expect(t.total).to.equal(1);
      t.act({ kind: 'delete', conversations: [conv('group:g')] });
      expect(t.total).to.equal(0);
      t.act({ kind: 'add', conversations: [conv('group:g', { unreadCount: 2 })] });
      expect(t.total).to.equal(2);
    });
  });

  it('the unread reducer returns new counts, leaves the old ones alone, and returns the same counts for no change', () => {
    const a = applyUnreadChanges(noUnread, [{ key: 'c2c:x', before: undefined, after: conv('c2c:x', { unreadCount: 2 }) }], {});
    expect(noUnread.total).to.equal(0);
    expect(a.total).to.equal(2);
    expect(applyUnreadChanges(a, [], {})).to.equal(a);
    expect(reduceConversationList(ConversationListState.empty(), { kind: 'sync-start' }).size).to.equal(0);
  });
});
