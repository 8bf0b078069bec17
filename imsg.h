/*
 * Copyright (c) 2026 The tmux client authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF MIND, USE, DATA OR PROFITS, WHETHER
 * IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING
 * OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * Framing of tmux's client/server messages: a 16-byte header then the
 * payload. Two header layouts exist; each connection uses one.
 */

#ifndef IMSG_H
#define IMSG_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "compat.h"

/* One recvmsg reads at most this, as tmux does. */
#define IBUF_READ_SIZE 65535

/* Received descriptors waiting for a flagged message. */
#define IMSG_MAXFDS 16

enum imsg_layout {
	IMSG_OLD,	/* tmux <= 3.5a: 16-bit length, flag bit 0 = fd */
	IMSG_NEW	/* tmux >= 3.6: 32-bit length, bit 31 = fd */
};

struct imsg {
	uint32_t	 type;
	uint32_t	 peerid;
	int		 fd;
	size_t		 len;	/* payload only */
	void		*data;	/* valid until the next imsg_read */
};

struct ibuf {
	TAILQ_ENTRY(ibuf) entry;
	size_t		 size;
	size_t		 wpos;	/* bytes already sent */
	int		 fd;	/* passed with the first byte, or -1 */
	unsigned char	 buf[];
};
TAILQ_HEAD(ibufq, ibuf);

struct msgbuf {
	struct ibufq	 bufs;
	size_t		 queued;	/* bytes not yet sent */
	int		 fencing;	/* hold what is queued from now on */
	struct ibuf	*fence;		/* the first buffer held, or NULL */
};

struct imsgbuf {
	int		 fd;
	enum imsg_layout layout;
	uint32_t	 peerid;	/* in every header we write */
	int		 probe;		/* mark the next header, see imsg.c */
	struct msgbuf	 w;

	int		 fds[IMSG_MAXFDS];
	u_int		 nfds;

	size_t		 rlen;		/* bytes held in rbuf */
	size_t		 roff;		/* start of the next message */
	unsigned char	 rbuf[IBUF_READ_SIZE];
};

/* imsg-buffer.c */
struct ibuf	*ibuf_alloc(size_t);
void		 msgbuf_init(struct msgbuf *);
void		 msgbuf_clear(struct msgbuf *);
void		 msgbuf_enqueue(struct msgbuf *, struct ibuf *);
void		 msgbuf_fence(struct msgbuf *);
void		 msgbuf_release(struct msgbuf *);
int		 msgbuf_held(struct msgbuf *);
int		 msgbuf_writable(struct msgbuf *);
int		 msgbuf_write(struct msgbuf *, int);

/* imsg.c */
void		 imsg_init(struct imsgbuf *, int, enum imsg_layout, uint32_t);
void		 imsg_clear(struct imsgbuf *);
int		 imsg_compose(struct imsgbuf *, uint32_t, int, const void *,
		     size_t);
int		 imsg_compose2(struct imsgbuf *, uint32_t, const void *,
		     size_t, const void *, size_t);
ssize_t		 imsg_read(struct imsgbuf *);
int		 imsg_get(struct imsgbuf *, struct imsg *);
int		 imsg_write(struct imsgbuf *);

#endif /* IMSG_H */
