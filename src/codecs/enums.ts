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
