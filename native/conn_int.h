/* conn_int.h - private to conn.c (connection life, the thread) and sock.c
 * (socket I/O). Everything here runs on the library thread only. */
#ifndef TL_CONN_INT_H
#define TL_CONN_INT_H

#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>

#include "wire.h"

#define CONNECT_TIMEOUT_MS 3000
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000
#define READ_CHUNK 65536
#define BIG_BUFFER (1u << 20) /* idle buffers larger than this are released */

enum phase {
    PH_IDLE,  /* not initialized: no socket, no timer */
    PH_WAIT,  /* waiting for the retry timer */
    PH_TCP,   /* non-blocking connect() in progress */
    PH_HELLO, /* HELLO sent, waiting for WELCOME */
    PH_UP,    /* established */
};

typedef struct {
    int fd;
    int phase;
    uint64_t gen;   /* init generation this connection belongs to */
    uint64_t epoch; /* bumped on every close */
    struct addrinfo *ai_list, *ai_next;
    int last_err;
    int64_t deadline; /* connect deadline (TCP + HELLO) or retry time */
    int backoff;
    buf_t rbuf, wbuf;
    size_t woff; /* bytes of wbuf already sent */
    uint64_t app_id;
    bool welcome_oom;
} conn_t;

/* conn.c */
void conn_close(conn_t *c);
void attempt_failed(conn_t *c, int32_t code, const char *reason);
void conn_fail(conn_t *c, const char *reason); /* lost if PH_UP, else attempt failed (9511) */
void on_welcome(conn_t *c, const char *server);

/* sock.c */
void sock_connect_next(conn_t *c); /* try the remaining resolved addresses */
void sock_check_connect(conn_t *c); /* POLLOUT during PH_TCP */
void sock_write(conn_t *c);
void sock_read(conn_t *c);

#endif
