/**
 * Validation of `message_elem_array` for sending (reference § B5).
 * Elements are kept as given, with their keys sorted (like the SDK's output).
 */
import { jsonString, stringifyJson } from '../../json/lossless.js';
import { isJsonObject } from './json-param.js';

/** kTIMElem_Text */
export const ELEM_TEXT = 0;
/** Group tips (5) and group reports (8) are produced by the server, never sent by a client. */
const SERVER_ONLY_ELEM_TYPES: ReadonlyMap<number, string> = new Map([
  [5, 'GroupTips'],
  [8, 'GroupReport'],
]);

export type ElemCheck = { readonly ok: true; readonly elems: unknown[] } | { readonly ok: false; readonly desc: string };

/**
 * The deepest nesting of arrays and objects an element may have (the element
 * itself is level 1). Real elements nest a few levels; a deeper one is refused
 * (6017) rather than copied, sorted and written by recursive code until the
 * stack runs out (issue 12).
 */
export const MAX_ELEMENT_DEPTH = 64;

/** Thrown by `sortKeysDeep` past `MAX_ELEMENT_DEPTH`. */
const TOO_DEEP = new RangeError('nested too deeply');

function sortKeysDeep(v: unknown, depth: number): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (depth > MAX_ELEMENT_DEPTH) throw TOO_DEEP;
  if (Array.isArray(v)) return v.map((item) => sortKeysDeep(item, depth + 1));
  const o = v as Record<string, unknown>;
  // No prototype: a "__proto__" key stays an ordinary own key.
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(o).sort()) out[k] = sortKeysDeep(o[k], depth + 1);
  return out;
}

export function checkElements(value: unknown): ElemCheck {
  if (!Array.isArray(value) || value.length === 0) {
    return { ok: false, desc: 'message_elem_array must be a non-empty JSON array of elements' };
  }
  const elems: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const e: unknown = value[i];
    if (!isJsonObject(e)) return { ok: false, desc: `message_elem_array[${i}] is not an object` };
    const type = e['elem_type'];
    if (typeof type !== 'number' || !Number.isInteger(type) || type < 0) {
      return { ok: false, desc: `message_elem_array[${i}].elem_type must be a non-negative integer` };
    }
    if (type === ELEM_TEXT && typeof e['text_elem_content'] !== 'string') {
      return { ok: false, desc: `message_elem_array[${i}] is a text element without a string text_elem_content` };
    }
    const serverOnly = SERVER_ONLY_ELEM_TYPES.get(type);
    if (serverOnly !== undefined) {
      return { ok: false, desc: `message_elem_array[${i}]: ${serverOnly} elements (elem_type ${type}) cannot be sent` };
    }
    try {
      elems.push(sortKeysDeep(e, 1));
    } catch (err) {
      if (err !== TOO_DEEP) throw err;
      return { ok: false, desc: `message_elem_array[${i}] nests arrays and objects deeper than ${MAX_ELEMENT_DEPTH} levels` };
    }
  }
  return { ok: true, elems };
}

/**
 * `stringifyJson(elems)` of checked elements (`checkElements(…).elems`),
 * written directly for the common message: one text element with no other
 * key (its keys sorted: `elem_type`, `text_elem_content`).
 */
export function elementsJson(elems: readonly unknown[]): string {
  if (elems.length === 1) {
    const e = elems[0] as Record<string, unknown>;
    const text = e['text_elem_content'];
    if (e['elem_type'] === ELEM_TEXT && typeof text === 'string' && Object.keys(e).length === 2) {
      return '[{"elem_type":0,"text_elem_content":' + jsonString(text) + '}]';
    }
  }
  return stringifyJson(elems);
}
