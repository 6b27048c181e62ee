import { expect } from 'chai';
import { stringifyJson } from '../../src/json/lossless.js';
import { checkElements, elementsJson, MAX_ELEMENT_DEPTH } from '../../src/emulator/handlers/elements.js';
import { isCallResult, MAX_MESSAGE_BODY_BYTES, parseOutgoing, type ParsedOutgoing } from '../../src/emulator/handlers/outgoing.js';

const checked = (elems: unknown): unknown[] => {
  const c = checkElements(elems);
  if (!c.ok) throw new Error(c.desc);
  return c.elems;
};

describe('emulator message elements', () => {
  it('writes checked elements as stringifyJson does (the one-text-element message directly)', () => {
    const cases: unknown[] = [
      [{ elem_type: 0, text_elem_content: 'hi' }],
      [{ text_elem_content: 'keys in the other order', elem_type: 0 }],
      [{ elem_type: 0, text_elem_content: 'quote " backslash \\ newline \n tab \t nul \u0000 lone \ud800 中文 😀' }],
      [{ elem_type: 0, text_elem_content: '' }],
      [{ elem_type: 0, text_elem_content: 'extra key', text_elem_extra: 1 }],
      [{ elem_type: 0, text_elem_content: 'a' }, { elem_type: 0, text_elem_content: 'b' }],
      [{ elem_type: 3, custom_elem_data: 'x', custom_elem_desc: 'y' }],
      JSON.parse('[{"elem_type":0,"__proto__":"an own key","text_elem_content":"z"}]'),
    ];
    for (const c of cases) {
      const elems = checked(c);
      expect(elementsJson(elems)).to.equal(stringifyJson(elems));
    }
  });

  it('refuses a body above the limit in UTF-8 bytes, whether or not its length was measured', () => {
    const send = (text: string): ParsedOutgoing | number => {
      const r = parseOutgoing({ message_elem_array: [{ elem_type: 0, text_elem_content: text }] });
      return isCallResult(r) ? r.code : r;
    };
    const overhead = stringifyJson([{ elem_type: 0, text_elem_content: '' }]).length;
    const ascii = MAX_MESSAGE_BODY_BYTES - overhead;
    expect(send('x'.repeat(ascii))).to.not.be.a('number');
    expect(send('x'.repeat(ascii + 1))).to.equal(80002);
    const wide = Math.floor((MAX_MESSAGE_BODY_BYTES - overhead) / 3); // 中 is 3 bytes
    expect(send('中'.repeat(wide))).to.not.be.a('number');
    expect(send('中'.repeat(wide + 1))).to.equal(80002);
    expect(send('中'.repeat(Math.floor(wide / 3)))).to.not.be.a('number'); // short enough not to be measured
  });

  it(`refuses an element nesting deeper than ${MAX_ELEMENT_DEPTH} levels with a clear reason, at any depth (the stack is never exhausted)`, () => {
    /** An element whose extra key holds arrays down to `levels` levels in all (the element is level 1). */
    const nested = (levels: number): unknown => JSON.parse(`{"elem_type":0,"text_elem_content":"x","x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`);
    expect(checkElements([nested(MAX_ELEMENT_DEPTH)]).ok).to.equal(true);
    for (const levels of [MAX_ELEMENT_DEPTH + 1, 20_000, 200_000]) {
      expect(checkElements([nested(levels)]), `${levels} levels`).to.deep.equal({
        ok: false,
        desc: `message_elem_array[0] nests arrays and objects deeper than ${MAX_ELEMENT_DEPTH} levels`,
      });
    }
  });
});
