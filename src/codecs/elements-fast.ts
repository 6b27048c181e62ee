/**
 * Hand-written decoders of the elements (B5) a message carries, each the
 * model exactly as its codec builds it (keys in the codec's order, absent
 * ones left out), or `MISMATCH` (see fast.ts). Group tips, group reports and
 * unknown element types go through the `Element` codec.
 */
import type * as t from 'io-ts';
import { Element, type CustomElement, type FaceElement, type LocationElement, type TextElement } from './elements.js';
import { groupElementByKeys } from './elements-group.js';
import type { FileElement, ImageElement, ImageVariant, SoundElement, VideoElement, VideoFile, VideoSnapshot } from './elements-media.js';
import { ImageLevel } from './enums.js';
import { int, num, optEnumOf, optInt, optStr, put, putFields, record, str, via, type Mutable, type OptionalFields } from './fast.js';

type Raw = Readonly<Record<string, unknown>>;
type AnyElement = t.TypeOf<typeof Element>;

/** One element of `message_elem_array`, as the `Element` codec decodes it. */
export function fastElement(u: unknown): AnyElement {
  const raw = record(u);
  switch (raw['elem_type']) {
    case 0:
      return { type: 'text', text: str(raw['text_elem_content']) } satisfies TextElement;
    case 1:
      return imageElement(raw);
    case 2:
      return soundElement(raw);
    case 3:
      return customElement(raw);
    case 4:
      return fileElement(raw);
    case 6:
      if (groupElementByKeys(raw) !== undefined) break; // group tips or a report by its keys (see `Element`)
      return faceElement(raw);
    case 7:
      return locationElement(raw);
    case 9:
      if (groupElementByKeys(raw) !== undefined) break; // group tips or a report by its keys
      return videoElement(raw);
  }
  // Group tips and reports, unknown numbers, an elem_type that is not a plain number: the codec.
  return via(Element, u);
}

const customFields: OptionalFields<CustomElement> = {
  data: ['custom_elem_data', optStr],
  desc: ['custom_elem_desc', optStr],
  ext: ['custom_elem_ext', optStr],
  sound: ['custom_elem_sound', optStr],
};

function customElement(raw: Raw): CustomElement {
  return putFields<CustomElement>({ type: 'custom' }, raw, customFields);
}

function faceElement(raw: Raw): FaceElement {
  const index = int(raw['face_elem_index']);
  const buf = optStr(raw['face_elem_buf']);
  return buf === undefined ? { type: 'face', index } : { type: 'face', index, buf };
}

function locationElement(raw: Raw): LocationElement {
  const longitude = num(raw['location_elem_longitude']);
  const latitude = num(raw['location_elem_latitude']);
  const desc = optStr(raw['location_elem_desc']);
  return desc === undefined ? { type: 'location', longitude, latitude } : { type: 'location', longitude, latitude, desc };
}

type Variant = 'orig' | 'thumb' | 'large';

const variantFields = (v: Variant): OptionalFields<ImageVariant> => ({
  id: [`image_elem_${v}_id`, optStr],
  width: [`image_elem_${v}_pic_width`, optInt],
  height: [`image_elem_${v}_pic_height`, optInt],
  size: [`image_elem_${v}_pic_size`, optInt],
  url: [`image_elem_${v}_url`, optStr],
});
const imageVariantFields: { readonly [V in Variant]: OptionalFields<ImageVariant> } = {
  orig: variantFields('orig'),
  thumb: variantFields('thumb'),
  large: variantFields('large'),
};

/** One size of an image, or undefined when none of its keys is there. */
function imageVariant(raw: Raw, v: Variant): ImageVariant | undefined {
  const o = putFields<ImageVariant>({}, raw, imageVariantFields[v]);
  for (const _ in o) return o;
  return undefined;
}

const imageFields: OptionalFields<ImageElement> = {
  path: ['image_elem_orig_path', optStr],
  level: ['image_elem_level', (u) => optEnumOf(ImageLevel, u)],
  format: ['image_elem_format', optInt],
};

function imageElement(raw: Raw): ImageElement {
  const e = putFields<ImageElement>({ type: 'image' }, raw, imageFields);
  put(e, 'original', imageVariant(raw, 'orig'));
  put(e, 'thumb', imageVariant(raw, 'thumb'));
  put(e, 'large', imageVariant(raw, 'large'));
  put(e, 'taskId', optInt(raw['image_elem_task_id']));
  return e;
}

const soundFields: OptionalFields<SoundElement> = {
  path: ['sound_elem_file_path', optStr],
  size: ['sound_elem_file_size', optInt],
  duration: ['sound_elem_file_time', optInt],
  fileId: ['sound_elem_file_id', optStr],
  businessId: ['sound_elem_business_id', optInt],
  downloadFlag: ['sound_elem_download_flag', optInt],
  url: ['sound_elem_url', optStr],
  taskId: ['sound_elem_task_id', optInt],
};

function soundElement(raw: Raw): SoundElement {
  return putFields<SoundElement>({ type: 'sound' }, raw, soundFields);
}

const fileFields: OptionalFields<FileElement> = {
  path: ['file_elem_file_path', optStr],
  name: ['file_elem_file_name', optStr],
  size: ['file_elem_file_size', optInt],
  fileId: ['file_elem_file_id', optStr],
  businessId: ['file_elem_business_id', optInt],
  downloadFlag: ['file_elem_download_flag', optInt],
  url: ['file_elem_url', optStr],
  taskId: ['file_elem_task_id', optInt],
};

function fileElement(raw: Raw): FileElement {
  return putFields<FileElement>({ type: 'file' }, raw, fileFields);
}

const videoFileFields: OptionalFields<VideoFile> = {
  path: ['video_elem_video_path', optStr],
  type: ['video_elem_video_type', optStr],
  size: ['video_elem_video_size', optInt],
  duration: ['video_elem_video_duration', optInt],
  id: ['video_elem_video_id', optStr],
  url: ['video_elem_video_url', optStr],
  downloadFlag: ['video_elem_video_download_flag', optInt],
};

const videoSnapshotFields: OptionalFields<VideoSnapshot> = {
  path: ['video_elem_image_path', optStr],
  type: ['video_elem_image_type', optStr],
  size: ['video_elem_image_size', optInt],
  width: ['video_elem_image_width', optInt],
  height: ['video_elem_image_height', optInt],
  id: ['video_elem_image_id', optStr],
  url: ['video_elem_image_url', optStr],
  downloadFlag: ['video_elem_image_download_flag', optInt],
};

function videoElement(raw: Raw): VideoElement {
  const e: Mutable<VideoElement> = {
    type: 'video',
    video: putFields<VideoFile>({}, raw, videoFileFields),
    snapshot: putFields<VideoSnapshot>({}, raw, videoSnapshotFields),
  };
  put(e, 'businessId', optInt(raw['video_elem_business_id']));
  put(e, 'taskId', optInt(raw['video_elem_task_id']));
  return e;
}
