import * as t from 'io-ts';
import { GroupReportElement, GroupTipsElement, groupElementByKeys } from './elements-group.js';
import { FileElement, ImageElement, SoundElement, VideoElement } from './elements-media.js';
import { defined, mapped } from './mapped.js';
import { Int } from './primitives.js';

/** TextElem (elem_type 0, B5.0). */
export const TextElement = mapped(
  'TextElement',
  t.type({ elem_type: t.literal(0), text_elem_content: t.string }),
  (r) => ({ type: 'text' as const, text: r.text_elem_content }),
  (a) => ({ elem_type: 0 as const, text_elem_content: a.text }),
);
export type TextElement = t.TypeOf<typeof TextElement>;

/** CustomElem (elem_type 3, B5.3): app data, a description and push fields; every key optional. */
export const CustomElement = mapped(
  'CustomElement',
  t.intersection([
    t.type({ elem_type: t.literal(3) }),
    t.partial({ custom_elem_data: t.string, custom_elem_desc: t.string, custom_elem_ext: t.string, custom_elem_sound: t.string }),
  ]),
  (r) => defined({
    type: 'custom' as const,
    data: r.custom_elem_data,
    desc: r.custom_elem_desc,
    ext: r.custom_elem_ext,
    sound: r.custom_elem_sound,
  }),
  (a) => defined({
    elem_type: 3 as const,
    custom_elem_data: a.data,
    custom_elem_desc: a.desc,
    custom_elem_ext: a.ext,
    custom_elem_sound: a.sound,
  }),
);
export type CustomElement = t.TypeOf<typeof CustomElement>;

/** FaceElem (elem_type 6, B5.6): an app-defined emoji index and optional data. */
export const FaceElement = mapped(
  'FaceElement',
  t.intersection([t.type({ elem_type: t.literal(6), face_elem_index: Int }), t.partial({ face_elem_buf: t.string })]),
  (r) => defined({ type: 'face' as const, index: r.face_elem_index, buf: r.face_elem_buf }),
  (a) => defined({ elem_type: 6 as const, face_elem_index: a.index, face_elem_buf: a.buf }),
);
export type FaceElement = t.TypeOf<typeof FaceElement>;

/** LocationElem (elem_type 7, B5.7): longitude and latitude (doubles) and a description. */
export const LocationElement = mapped(
  'LocationElement',
  t.intersection([
    t.type({ elem_type: t.literal(7), location_elem_longitude: t.number, location_elem_latitude: t.number }),
    t.partial({ location_elem_desc: t.string }),
  ]),
  (r) => defined({
    type: 'location' as const,
    longitude: r.location_elem_longitude,
    latitude: r.location_elem_latitude,
    desc: r.location_elem_desc,
  }),
  (a) => defined({
    elem_type: 7 as const,
    location_elem_longitude: a.longitude,
    location_elem_latitude: a.latitude,
    location_elem_desc: a.desc,
  }),
);
export type LocationElement = t.TypeOf<typeof LocationElement>;

/**
 * An element of a type this version does not model (v8's friend change,
 * profile change, merge, …): kept whole, so nothing is lost and it can be
 * sent back unchanged.
 */
export const UnknownElement = mapped(
  'UnknownElement',
  t.intersection([t.type({ elem_type: Int }), t.UnknownRecord]),
  (r) => ({ type: 'unknown' as const, elemType: r.elem_type, raw: r as Readonly<Record<string, unknown>> }),
  (a) => ({ ...a.raw, elem_type: a.elemType }),
);
export type UnknownElement = t.TypeOf<typeof UnknownElement>;

export type Element =
  | TextElement | ImageElement | SoundElement | CustomElement | FileElement | GroupTipsElement
  | FaceElement | LocationElement | GroupReportElement | VideoElement | UnknownElement;

/** The model's element kinds. */
export type ElementType = Element['type'];

type AnyElementCodec = t.Type<Element, unknown, unknown>;

/** Codec per elem_type (A.6); every other number decodes as UnknownElement. */
const byElemType: Readonly<Record<number, AnyElementCodec>> = {
  0: TextElement as AnyElementCodec,
  1: ImageElement as AnyElementCodec,
  2: SoundElement as AnyElementCodec,
  3: CustomElement as AnyElementCodec,
  4: FileElement as AnyElementCodec,
  5: GroupTipsElement as AnyElementCodec,
  6: FaceElement as AnyElementCodec,
  7: LocationElement as AnyElementCodec,
  8: GroupReportElement as AnyElementCodec,
  9: VideoElement as AnyElementCodec,
};

/** Codec per model `type`, for encoding. Adding an element kind without one fails to compile. */
const byModelType: { readonly [K in ElementType]: t.Type<Extract<Element, { type: K }>, unknown, unknown> } = {
  text: TextElement,
  image: ImageElement,
  sound: SoundElement,
  custom: CustomElement,
  file: FileElement,
  groupTips: GroupTipsElement,
  face: FaceElement,
  location: LocationElement,
  groupReport: GroupReportElement,
  video: VideoElement,
  unknown: UnknownElement,
};

/**
 * Group tips and reports are recognised by their keys before their number
 * (reference § 1.1): old runtimes and the seed examples number them 6 and 9,
 * which the enum gives to Face and Video.
 */
function codecFor(raw: Readonly<Record<string, unknown>>, elemType: number): AnyElementCodec | undefined {
  const group = elemType === 5 || elemType === 6 || elemType === 8 || elemType === 9 ? groupElementByKeys(raw) : undefined;
  return (group as AnyElementCodec | undefined) ?? byElemType[elemType];
}

/** One element of `message_elem_array`, dispatched on `elem_type` (and keys, for group tips/reports). */
export const Element = new t.Type<Element, unknown, unknown>(
  'Element',
  (u): u is Element =>
    typeof u === 'object' && u !== null && typeof (u as { type?: unknown }).type === 'string' &&
    (u as Element).type in byModelType && (byModelType[(u as Element).type] as AnyElementCodec).is(u),
  (u, c) => {
    const r = UnknownElement.validate(u, c);
    if (r._tag === 'Left') return r;
    const specific = codecFor(r.right.raw, r.right.elemType);
    return specific ? specific.validate(u, c) : r;
  },
  (a) => (byModelType[a.type] as AnyElementCodec).encode(a),
);

export { FileElement, ImageElement, SoundElement, VideoElement, GroupReportElement, GroupTipsElement };
