/**
 * The elements that carry a file (B5.1 image, B5.2 sound, B5.4 file, B5.9
 * video). The sender names a local path; the server fills in the ids, sizes
 * and URLs a receiver downloads with. Every key except `elem_type` is
 * optional (B.0: v8 omits some), so encode ∘ decode keeps exactly the keys
 * that were there.
 */
import * as t from 'io-ts';
import { ImageLevel } from './enums.js';
import { defined, mapped } from './mapped.js';
import { Int } from './primitives.js';

/** `undefined` when every value of `o` is undefined: a sub-object exists only if one of its keys did. */
function nonEmpty<T extends Record<string, unknown>>(o: T): ReturnType<typeof defined<T>> | undefined {
  const d = defined(o);
  return Object.keys(d).length === 0 ? undefined : d;
}

const imageRaw = t.intersection([
  t.type({ elem_type: t.literal(1) }),
  t.partial({
    image_elem_orig_path: t.string,
    image_elem_level: ImageLevel,
    image_elem_format: Int,
    image_elem_orig_id: t.string,
    image_elem_orig_pic_height: Int,
    image_elem_orig_pic_width: Int,
    image_elem_orig_pic_size: Int,
    image_elem_orig_url: t.string,
    image_elem_thumb_id: t.string,
    image_elem_thumb_pic_height: Int,
    image_elem_thumb_pic_width: Int,
    image_elem_thumb_pic_size: Int,
    image_elem_thumb_url: t.string,
    image_elem_large_id: t.string,
    image_elem_large_pic_height: Int,
    image_elem_large_pic_width: Int,
    image_elem_large_pic_size: Int,
    image_elem_large_url: t.string,
    image_elem_task_id: Int,
  }),
]);
type ImageRaw = t.TypeOf<typeof imageRaw>;
type Variant = 'orig' | 'thumb' | 'large';

const variantOf = (r: ImageRaw, v: Variant) => nonEmpty({
  id: r[`image_elem_${v}_id`],
  width: r[`image_elem_${v}_pic_width`],
  height: r[`image_elem_${v}_pic_height`],
  size: r[`image_elem_${v}_pic_size`],
  url: r[`image_elem_${v}_url`],
});

const variantKeys = (v: Variant, a: ReturnType<typeof variantOf>) => ({
  [`image_elem_${v}_id`]: a?.id,
  [`image_elem_${v}_pic_width`]: a?.width,
  [`image_elem_${v}_pic_height`]: a?.height,
  [`image_elem_${v}_pic_size`]: a?.size,
  [`image_elem_${v}_url`]: a?.url,
});

/**
 * ImageElem (elem_type 1). `format`: v8 doc values 1 JPG, 2 GIF, 3 PNG, 4 BMP,
 * 255 unknown. `original` / `thumb` / `large` are filled by the server.
 */
export const ImageElement = mapped(
  'ImageElement',
  imageRaw,
  (r) => defined({
    type: 'image' as const,
    path: r.image_elem_orig_path,
    level: r.image_elem_level,
    format: r.image_elem_format,
    original: variantOf(r, 'orig'),
    thumb: variantOf(r, 'thumb'),
    large: variantOf(r, 'large'),
    taskId: r.image_elem_task_id,
  }),
  (a) => defined({
    elem_type: 1 as const,
    image_elem_orig_path: a.path,
    image_elem_level: a.level,
    image_elem_format: a.format,
    ...variantKeys('orig', a.original),
    ...variantKeys('thumb', a.thumb),
    ...variantKeys('large', a.large),
    image_elem_task_id: a.taskId,
  }) as ImageRaw,
);
export type ImageElement = t.TypeOf<typeof ImageElement>;

/** One stored size of an image (original, thumbnail or large). */
export type ImageVariant = NonNullable<ImageElement['original']>;

/** SoundElem (elem_type 2): `size` in bytes, `duration` in seconds. */
export const SoundElement = mapped(
  'SoundElement',
  t.intersection([
    t.type({ elem_type: t.literal(2) }),
    t.partial({
      sound_elem_file_path: t.string,
      sound_elem_file_size: Int,
      sound_elem_file_time: Int,
      sound_elem_file_id: t.string,
      sound_elem_business_id: Int,
      sound_elem_download_flag: Int,
      sound_elem_url: t.string,
      sound_elem_task_id: Int,
    }),
  ]),
  (r) => defined({
    type: 'sound' as const,
    path: r.sound_elem_file_path,
    size: r.sound_elem_file_size,
    duration: r.sound_elem_file_time,
    fileId: r.sound_elem_file_id,
    businessId: r.sound_elem_business_id,
    downloadFlag: r.sound_elem_download_flag,
    url: r.sound_elem_url,
    taskId: r.sound_elem_task_id,
  }),
  (a) => defined({
    elem_type: 2 as const,
    sound_elem_file_path: a.path,
    sound_elem_file_size: a.size,
    sound_elem_file_time: a.duration,
    sound_elem_file_id: a.fileId,
    sound_elem_business_id: a.businessId,
    sound_elem_download_flag: a.downloadFlag,
    sound_elem_url: a.url,
    sound_elem_task_id: a.taskId,
  }),
);
export type SoundElement = t.TypeOf<typeof SoundElement>;

/** FileElem (elem_type 4): `name` is the display name, `size` in bytes. */
export const FileElement = mapped(
  'FileElement',
  t.intersection([
    t.type({ elem_type: t.literal(4) }),
    t.partial({
      file_elem_file_path: t.string,
      file_elem_file_name: t.string,
      file_elem_file_size: Int,
      file_elem_file_id: t.string,
      file_elem_business_id: Int,
      file_elem_download_flag: Int,
      file_elem_url: t.string,
      file_elem_task_id: Int,
    }),
  ]),
  (r) => defined({
    type: 'file' as const,
    path: r.file_elem_file_path,
    name: r.file_elem_file_name,
    size: r.file_elem_file_size,
    fileId: r.file_elem_file_id,
    businessId: r.file_elem_business_id,
    downloadFlag: r.file_elem_download_flag,
    url: r.file_elem_url,
    taskId: r.file_elem_task_id,
  }),
  (a) => defined({
    elem_type: 4 as const,
    file_elem_file_path: a.path,
    file_elem_file_name: a.name,
    file_elem_file_size: a.size,
    file_elem_file_id: a.fileId,
    file_elem_business_id: a.businessId,
    file_elem_download_flag: a.downloadFlag,
    file_elem_url: a.url,
    file_elem_task_id: a.taskId,
  }),
);
export type FileElement = t.TypeOf<typeof FileElement>;

/** VideoElem (elem_type 9): a video file and its snapshot, each uploaded from its own path. */
export const VideoElement = mapped(
  'VideoElement',
  t.intersection([
    t.type({ elem_type: t.literal(9) }),
    t.partial({
      video_elem_video_type: t.string,
      video_elem_video_size: Int,
      video_elem_video_duration: Int,
      video_elem_video_path: t.string,
      video_elem_video_id: t.string,
      video_elem_video_url: t.string,
      video_elem_video_download_flag: Int,
      video_elem_business_id: Int,
      video_elem_image_type: t.string,
      video_elem_image_size: Int,
      video_elem_image_width: Int,
      video_elem_image_height: Int,
      video_elem_image_path: t.string,
      video_elem_image_id: t.string,
      video_elem_image_url: t.string,
      video_elem_image_download_flag: Int,
      video_elem_task_id: Int,
    }),
  ]),
  (r) => defined({
    type: 'video' as const,
    video: defined({
      path: r.video_elem_video_path,
      type: r.video_elem_video_type,
      size: r.video_elem_video_size,
      duration: r.video_elem_video_duration,
      id: r.video_elem_video_id,
      url: r.video_elem_video_url,
      downloadFlag: r.video_elem_video_download_flag,
    }),
    snapshot: defined({
      path: r.video_elem_image_path,
      type: r.video_elem_image_type,
      size: r.video_elem_image_size,
      width: r.video_elem_image_width,
      height: r.video_elem_image_height,
      id: r.video_elem_image_id,
      url: r.video_elem_image_url,
      downloadFlag: r.video_elem_image_download_flag,
    }),
    businessId: r.video_elem_business_id,
    taskId: r.video_elem_task_id,
  }),
  (a) => defined({
    elem_type: 9 as const,
    video_elem_video_type: a.video.type,
    video_elem_video_size: a.video.size,
    video_elem_video_duration: a.video.duration,
    video_elem_video_path: a.video.path,
    video_elem_video_id: a.video.id,
    video_elem_video_url: a.video.url,
    video_elem_video_download_flag: a.video.downloadFlag,
    video_elem_business_id: a.businessId,
    video_elem_image_type: a.snapshot.type,
    video_elem_image_size: a.snapshot.size,
    video_elem_image_width: a.snapshot.width,
    video_elem_image_height: a.snapshot.height,
    video_elem_image_path: a.snapshot.path,
    video_elem_image_id: a.snapshot.id,
    video_elem_image_url: a.snapshot.url,
    video_elem_image_download_flag: a.snapshot.downloadFlag,
    video_elem_task_id: a.taskId,
  }),
);
export type VideoElement = t.TypeOf<typeof VideoElement>;

/** The video file of a VideoElem: `type` is the file type (extension, e.g. "mp4"), `duration` in seconds. */
export type VideoFile = VideoElement['video'];

/** The snapshot (cover image) of a VideoElem. */
export type VideoSnapshot = VideoElement['snapshot'];
