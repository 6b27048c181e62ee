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
import { int, num, optEnumOf, optInt, optStr, put, record, str, via, type Mutable } from './fast.js';

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

function customElement(raw: Raw): CustomElement {
  const data = optStr(raw['custom_elem_data']);
  const desc = optStr(raw['custom_elem_desc']);
  const ext = optStr(raw['custom_elem_ext']);
  const sound = optStr(raw['custom_elem_sound']);
  const e: Mutable<CustomElement> = { type: 'custom' };
  put(e, 'data', data);
  put(e, 'desc', desc);
  put(e, 'ext', ext);
  put(e, 'sound', sound);
  return e;
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

/** One size of an image, or undefined when none of its keys is there. */
function imageVariant(raw: Raw, v: 'orig' | 'thumb' | 'large'): ImageVariant | undefined {
  const id = optStr(raw[`image_elem_${v}_id`]);
  const height = optInt(raw[`image_elem_${v}_pic_height`]);
  const width = optInt(raw[`image_elem_${v}_pic_width`]);
  const size = optInt(raw[`image_elem_${v}_pic_size`]);
  const url = optStr(raw[`image_elem_${v}_url`]);
  if (id === undefined && width === undefined && height === undefined && size === undefined && url === undefined) return undefined;
  const o: Mutable<ImageVariant> = {};
  put(o, 'id', id);
  put(o, 'width', width);
  put(o, 'height', height);
  put(o, 'size', size);
  put(o, 'url', url);
  return o;
}

function imageElement(raw: Raw): ImageElement {
  const path = optStr(raw['image_elem_orig_path']);
  const level = optEnumOf(ImageLevel, raw['image_elem_level']);
  const format = optInt(raw['image_elem_format']);
  const original = imageVariant(raw, 'orig');
  const thumb = imageVariant(raw, 'thumb');
  const large = imageVariant(raw, 'large');
  const taskId = optInt(raw['image_elem_task_id']);
  const e: Mutable<ImageElement> = { type: 'image' };
  put(e, 'path', path);
  put(e, 'level', level);
  put(e, 'format', format);
  put(e, 'original', original);
  put(e, 'thumb', thumb);
  put(e, 'large', large);
  put(e, 'taskId', taskId);
  return e;
}

function soundElement(raw: Raw): SoundElement {
  const path = optStr(raw['sound_elem_file_path']);
  const size = optInt(raw['sound_elem_file_size']);
  const duration = optInt(raw['sound_elem_file_time']);
  const fileId = optStr(raw['sound_elem_file_id']);
  const businessId = optInt(raw['sound_elem_business_id']);
  const downloadFlag = optInt(raw['sound_elem_download_flag']);
  const url = optStr(raw['sound_elem_url']);
  const taskId = optInt(raw['sound_elem_task_id']);
  const e: Mutable<SoundElement> = { type: 'sound' };
  put(e, 'path', path);
  put(e, 'size', size);
  put(e, 'duration', duration);
  put(e, 'fileId', fileId);
  put(e, 'businessId', businessId);
  put(e, 'downloadFlag', downloadFlag);
  put(e, 'url', url);
  put(e, 'taskId', taskId);
  return e;
}

function fileElement(raw: Raw): FileElement {
  const path = optStr(raw['file_elem_file_path']);
  const name = optStr(raw['file_elem_file_name']);
  const size = optInt(raw['file_elem_file_size']);
  const fileId = optStr(raw['file_elem_file_id']);
  const businessId = optInt(raw['file_elem_business_id']);
  const downloadFlag = optInt(raw['file_elem_download_flag']);
  const url = optStr(raw['file_elem_url']);
  const taskId = optInt(raw['file_elem_task_id']);
  const e: Mutable<FileElement> = { type: 'file' };
  put(e, 'path', path);
  put(e, 'name', name);
  put(e, 'size', size);
  put(e, 'fileId', fileId);
  put(e, 'businessId', businessId);
  put(e, 'downloadFlag', downloadFlag);
  put(e, 'url', url);
  put(e, 'taskId', taskId);
  return e;
}

function videoElement(raw: Raw): VideoElement {
  const video: Mutable<VideoFile> = {};
  const snapshot: Mutable<VideoSnapshot> = {};
  // Read in the codec's order of validation, then placed in the model's order.
  const videoType = optStr(raw['video_elem_video_type']);
  const videoSize = optInt(raw['video_elem_video_size']);
  const duration = optInt(raw['video_elem_video_duration']);
  const videoPath = optStr(raw['video_elem_video_path']);
  const videoId = optStr(raw['video_elem_video_id']);
  const videoUrl = optStr(raw['video_elem_video_url']);
  const videoFlag = optInt(raw['video_elem_video_download_flag']);
  const businessId = optInt(raw['video_elem_business_id']);
  const imageType = optStr(raw['video_elem_image_type']);
  const imageSize = optInt(raw['video_elem_image_size']);
  const width = optInt(raw['video_elem_image_width']);
  const height = optInt(raw['video_elem_image_height']);
  const imagePath = optStr(raw['video_elem_image_path']);
  const imageId = optStr(raw['video_elem_image_id']);
  const imageUrl = optStr(raw['video_elem_image_url']);
  const imageFlag = optInt(raw['video_elem_image_download_flag']);
  const taskId = optInt(raw['video_elem_task_id']);
  put(video, 'path', videoPath);
  put(video, 'type', videoType);
  put(video, 'size', videoSize);
  put(video, 'duration', duration);
  put(video, 'id', videoId);
  put(video, 'url', videoUrl);
  put(video, 'downloadFlag', videoFlag);
  put(snapshot, 'path', imagePath);
  put(snapshot, 'type', imageType);
  put(snapshot, 'size', imageSize);
  put(snapshot, 'width', width);
  put(snapshot, 'height', height);
  put(snapshot, 'id', imageId);
  put(snapshot, 'url', imageUrl);
  put(snapshot, 'downloadFlag', imageFlag);
  const e: Mutable<VideoElement> = { type: 'video', video, snapshot };
  put(e, 'businessId', businessId);
  put(e, 'taskId', taskId);
  return e;
}
