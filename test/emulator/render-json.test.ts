import { expect } from 'chai';
import { parseJson, stringifyJson } from '../../src/json/lossless.js';
import { convInfoView, messageView } from '../../src/emulator/render.js';
import { convInfoJson, messageJson } from '../../src/emulator/render-json.js';
import type { StoredConversation, StoredMessage } from '../../src/emulator/storage/store.js';

/** Element arrays as the send path stores them: written by stringifyJson from parsed client JSON. */
const ELEMENTS = [
  '[{"elem_type":0,"text_elem_content":"hello"}]',
  '[{"elem_type":0,"text_elem_content":"quote \\" backslash \\\\ newline \\n tab \\t \\u0001 é 𝄞 \\ud800"}]',
  '[{"elem_type":3,"custom_elem_data":"{\\"a\\":1}","custom_elem_desc":"","custom_elem_ext":""}]',
  '[{"elem_type":3,"n":12345678901234567890,"m":-98765432109876543210,"f":1.5e+300,"g":0.1234567890123456789,"s":9007199254740991}]',
  '[{"2":"integer keys first","b":[1,[2,{"z":null,"a":true}]],"elem_type":0,"text_elem_content":"x"}]',
  '[{"elem_type":7,"face_elem_buf":"","face_elem_index":-0}]',
].map((text) => stringifyJson(parseJson(text)));

const base: StoredMessage = {
  id: 41, convType: 1, sender: 'alice', receiver: 'bob "b"', seq: 3, rand: 4_294_967_295, serverTime: 1_763_000_000,
  clientTime: 1_763_000_001, priority: 1, isOnline: false, elems: ELEMENTS[0]!,
};
const MESSAGES: StoredMessage[] = [
  base,
  { ...base, isOnline: true, priority: 3, rand: 0 },
  { ...base, status: 6, revokedBy: 'alice', revokedAt: 1_763_000_100 },
  { ...base, status: 5, localOwner: 'alice' },
  { ...base, convType: 2, receiver: '@TGS#group', seq: 99 },
  ...ELEMENTS.map((elems) => ({ ...base, elems })),
];

describe('emulator render-json (the send path writes JSON text directly)', () => {
  it('keeps every element array of the send path as it is through parse and stringify', () => {
    for (const text of ELEMENTS) expect(stringifyJson(parseJson(text))).to.equal(text);
  });

  it('writes the same Message text as stringifyJson(messageView) for every viewer and read mark', () => {
    for (const m of MESSAGES) {
      for (const viewer of ['alice', 'bob "b"', 'carol']) {
        for (const marks of [{}, { readUpTo: 41 }, { peerReadUpTo: 41 }, { readUpTo: 40, peerReadUpTo: 50 }]) {
          expect(messageJson(m, viewer, marks)).to.equal(stringifyJson(messageView(m, viewer, marks)));
        }
      }
    }
  });

  it('writes the same ConvInfo text as stringifyJson(convInfoView)', () => {
    const convs: StoredConversation[] = [
      { owner: 'alice', convType: 1, convId: 'bob "b"', unreadNum: 0, activeTime: 1_763_000_000, lastMessage: base },
      { owner: 'bob "b"', convType: 1, convId: 'alice', unreadNum: 7, activeTime: 5, lastMessage: base },
      { owner: 'alice', convType: 1, convId: 'dave', unreadNum: 0, activeTime: 5, lastMessage: undefined },
      { owner: 'alice', convType: 2, convId: '@TGS#g', unreadNum: 2, activeTime: 5, lastMessage: MESSAGES[4], groupType: 1, recvOpt: 2 },
      { owner: 'alice', convType: 1, convId: 'erin', unreadNum: 0, activeTime: 5, lastMessage: base, draft: '{"draft_edit_time":3,"draft_msg":{},"draft_user_define":""}' },
    ];
    for (const c of convs) {
      const last = c.lastMessage === undefined ? undefined : messageJson(c.lastMessage, c.owner, {});
      expect(convInfoJson(c, last)).to.equal(stringifyJson(convInfoView(c)));
    }
  });
});
