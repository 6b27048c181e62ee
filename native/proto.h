/* proto.h - handling of REPLY and EVENT frames from the server. */
#ifndef TL_PROTO_H
#define TL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define TL_SDK_VERSION "0.1.0-timlocal"

/* Handle one frame body received on an established connection that belongs
 * to init generation gen; answers to file-transfer frames go to out. Returns false if the frame is malformed or of an
 * unexpected kind (the caller then drops the connection). Queues the
 * resulting callbacks; never calls user code itself. */
bool proto_handle(uint64_t gen, const uint8_t *body, size_t len, buf_t *out);

#endif
