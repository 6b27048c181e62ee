import * as t from 'io-ts';
import { enumCodec } from './primitives.js';

/** TIMConvType (A.2). `invalid` (0) never appears in a decoded conversation. */
export const ConvType = enumCodec('ConvType', { 1: 'c2c', 2: 'group', 3: 'system' });
export type ConvType = t.TypeOf<typeof ConvType>;

/** TIMConvEvent (A.3), v8's start/finish included. */
export const ConvEventKind = enumCodec('ConvEvent', { 0: 'add', 1: 'delete', 2: 'update', 3: 'sync-start', 4: 'sync-finish' });
export type ConvEventKind = t.TypeOf<typeof ConvEventKind>;

/** TIMNetworkStatus (A.4). */
export const NetworkStatus = enumCodec('NetworkStatus', { 0: 'connected', 1: 'disconnected', 2: 'connecting', 3: 'connect-failed' });
export type NetworkStatus = t.TypeOf<typeof NetworkStatus>;

/** TIMMsgStatus (A.7). */
export const MessageStatus = enumCodec('MessageStatus', {
  1: 'sending', 2: 'sent', 3: 'failed', 4: 'deleted', 5: 'imported', 6: 'revoked', 7: 'cancelled',
});
export type MessageStatus = t.TypeOf<typeof MessageStatus>;

/** TIMMsgPriority (A.8). */
export const MessagePriority = enumCodec('MessagePriority', { 0: 'high', 1: 'normal', 2: 'low', 3: 'lowest' });
export type MessagePriority = t.TypeOf<typeof MessagePriority>;

/** TIMLogLevel, v8 numbering (A.5). */
export const LogLevel = enumCodec('LogLevel', {
  0: 'off', 1: 'test', 2: 'verbose', 3: 'debug', 4: 'info', 5: 'warn', 6: 'error', 7: 'assert',
});
export type LogLevel = t.TypeOf<typeof LogLevel>;

/** TIMImageLevel (A.10): the quality an image is sent at. */
export const ImageLevel = enumCodec('ImageLevel', { 0: 'original', 1: 'compressed', 2: 'hd' });
export type ImageLevel = t.TypeOf<typeof ImageLevel>;

/** TIMDownloadType (A.11): which file of an element TIMMsgDownloadElemToPath fetches. */
export const DownloadType = enumCodec('DownloadType', { 0: 'video-thumb', 1: 'file', 2: 'video', 3: 'sound' });
export type DownloadType = t.TypeOf<typeof DownloadType>;

/** TIMGroupTipType (A.16), v8 values included. */
export const GroupTipType = enumCodec('GroupTipType', {
  0: 'none', 1: 'invite', 2: 'quit', 3: 'kick', 4: 'set-admin', 5: 'cancel-admin', 6: 'group-info-change',
  7: 'member-info-change', 8: 'member-mark-change', 9: 'topic-info-change', 10: 'pinned-message-added',
  11: 'pinned-message-deleted',
});
export type GroupTipType = t.TypeOf<typeof GroupTipType>;

/** TIMGroupReportType (A.18), v8 names where they changed (11, 12, 15). */
export const GroupReportType = enumCodec('GroupReportType', {
  0: 'none', 1: 'add-request', 2: 'add-accept', 3: 'add-refuse', 4: 'kicked', 5: 'deleted', 6: 'created',
  7: 'invited', 8: 'quit', 9: 'grant-admin', 10: 'cancel-admin', 11: 'group-recycle', 12: 'invite-request',
  13: 'invite-accept', 14: 'invite-refuse', 15: 'read-report', 16: 'user-define', 17: 'shut-up-member',
  18: 'topic-create', 19: 'topic-delete', 20: 'group-message-read', 21: 'group-message-receive-option',
  22: 'banned', 23: 'unbanned', 24: 'invite-request-to-admin',
});
export type GroupReportType = t.TypeOf<typeof GroupReportType>;
