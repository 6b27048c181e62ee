/*
 * tim_local.h - libtimlocal's own exports, beyond the Tencent IM C ABI of
 * tim_api.h. Tencent's libImSDK.so has none of them: a host probes for them
 * (dlsym) and works without them.
 */
#ifndef TIM_LOCAL_H
#define TIM_LOCAL_H

#include "tim_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Host dispatch mode. With on = 1, the library stops calling callbacks from
 * its own thread: they wait, in order, until the host calls
 * TIMLocalDispatch, which runs them on the calling thread. Returns a file
 * descriptor (a pipe's read end, non-blocking) that becomes readable when
 * callbacks wait; the host reads and discards its bytes, then calls
 * TIMLocalDispatch. While the mode lasts, the same descriptor is returned
 * every time. Returns -1 if no pipe could be made (the mode is unchanged).
 * With on = 0, the library thread runs the callbacks again (those waiting
 * too), the library closes its end of the pipe, and the host closes the
 * descriptor it was given; returns 0.
 * Made for event-loop hosts (Node through koffi), where a callback from
 * another thread costs two thread wake-ups and blocks the library thread
 * until the host has run it. In this mode the library thread never waits
 * for the host: past 8192 waiting callbacks it stops reading the socket
 * until the host has run half of them.
 */
TIM_DECL int TIMLocalHostDispatch(int on);

/*
 * Sends the requests made since the last call (in host dispatch mode the
 * exported functions queue them without waking the library thread, so that
 * the calls of one turn of the host's loop share one wake-up: call this
 * before the host waits again), then runs up to max waiting callbacks
 * (max < 0: 1024; 0: none) on the calling thread, in order, and returns how
 * many ran. If more wait, the descriptor is readable again. Outside host
 * dispatch mode it runs nothing and returns 0. Callbacks may call the
 * library's functions.
 */
TIM_DECL int TIMLocalDispatch(int max);

#ifdef __cplusplus
}
#endif

#endif /* TIM_LOCAL_H */
