import * as t from 'io-ts';
import { mapped } from './mapped.js';
import { Int } from './primitives.js';

/** TextElem (elem_type 0, B5.0). */
export const TextElement = mapped(
  'TextElement',
  t.type({ elem_type: t.literal(0), text_elem_content: t.string }),
  (r) => ({ type: 'text' as const, text: r.text_elem_content }),
  (a) => ({ elem_type: 0 as const, text_elem_content: a.text }),
);
export type TextElement = t.TypeOf<typeof TextElement>;

/**
 * An element of a type this version does not model yet: kept whole, so
 * nothing is lost and it can be sent back unchanged.
 */
export const UnknownElement = mapped(
  'UnknownElement',
  t.intersection([t.type({ elem_type: Int }), t.UnknownRecord]),
  (r) => ({ type: 'unknown' as const, elemType: r.elem_type, raw: r as Readonly<Record<string, unknown>> }),
  (a) => ({ ...a.raw, elem_type: a.elemType }),
);
export type UnknownElement = t.TypeOf<typeof UnknownElement>;

/** Codec per elem_type; every other number decodes as UnknownElement. */
const byElemType: Readonly<Record<number, t.Type<Element, unknown, unknown>>> = {
  0: TextElement as t.Type<Element, unknown, unknown>,
};

/** Codec per model `type`, for encoding. Adding an element kind without one fails to compile. */
const byModelType: { readonly [K in Element['type']]: t.Type<Extract<Element, { type: K }>, unknown, unknown> } = {
  text: TextElement,
  unknown: UnknownElement,
};

export type Element = TextElement | UnknownElement;

/** One element of `message_elem_array`, dispatched on `elem_type`. */
export const Element = new t.Type<Element, unknown, unknown>(
  'Element',
  (u): u is Element => TextElement.is(u) || UnknownElement.is(u),
  (u, c) => {
    const r = UnknownElement.validate(u, c);
    if (r._tag === 'Left') return r;
    const specific = byElemType[r.right.elemType];
    return specific ? specific.validate(u, c) : r;
  },
  (a) => (byModelType[a.type] as t.Type<Element, unknown, unknown>).encode(a),
);
