/* conn.h - the library thread: connection life, socket I/O, running callbacks.
 *
 * One thread per process, created lazily (pthread_once) on first need,
 * detached, never joined; it survives TIMUninit and idles until the next
 * TIMInit. It is the only thread that touches the socket and the only one
 * that calls user callbacks, except in host dispatch mode (tim_local.h),
 * where the host's thread runs them in TIMLocalDispatch.
 */
#ifndef TL_CONN_H
#define TL_CONN_H

void conn_ensure_thread(void);
/* Wake the thread (new work queued, or the init generation changed). Never blocks. */
void conn_wake(void);

#endif
