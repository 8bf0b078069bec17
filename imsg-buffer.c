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
 * Outgoing message queue. Each queued buffer is one whole message; a
 * buffer may carry one descriptor, which travels with its first byte. A
 * fence holds back what is queued after it until it is released.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

/* Gather at most this many buffers into one sendmsg. */
#define MSGBUF_IOV 64

struct ibuf *
ibuf_alloc(size_t size)
{
	struct ibuf	*b;

	if ((b = malloc(sizeof *b + size)) == NULL)
		return (NULL);
	b->size = size;
	b->wpos = 0;
	b->fd = -1;
	return (b);
}

static void
ibuf_free(struct ibuf *b)
{
	if (b == NULL)
		return;
	if (b->fd != -1)
		close(b->fd);
	free(b);
}

void
msgbuf_init(struct msgbuf *mb)
{
	TAILQ_INIT(&mb->bufs);
	mb->queued = 0;
	msgbuf_release(mb);
}

void
msgbuf_clear(struct msgbuf *mb)
{
	struct ibuf	*b;

	while ((b = TAILQ_FIRST(&mb->bufs)) != NULL) {
		TAILQ_REMOVE(&mb->bufs, b, entry);
		ibuf_free(b);
	}
	mb->queued = 0;
	msgbuf_release(mb);
}

void
msgbuf_enqueue(struct msgbuf *mb, struct ibuf *b)
{
	TAILQ_INSERT_TAIL(&mb->bufs, b, entry);
	mb->queued += b->size;
	if (mb->fencing && mb->fence == NULL)
		mb->fence = b;
}

/* Hold what is queued from now on, until msgbuf_release. */
void
msgbuf_fence(struct msgbuf *mb)
{
	mb->fencing = 1;
}

void
msgbuf_release(struct msgbuf *mb)
{
	mb->fencing = 0;
	mb->fence = NULL;
}

int
msgbuf_held(struct msgbuf *mb)
{
	return (mb->fencing);
}

/* Is anything queued that may be sent now? */
int
msgbuf_writable(struct msgbuf *mb)
{
	struct ibuf	*b = TAILQ_FIRST(&mb->bufs);

	return (b != NULL && b != mb->fence);
}

/*
 * Send what the socket takes, up to the fence. A descriptor goes out with
 * the first byte of its own message, and that message starts the sendmsg:
 * receivers match descriptors to headers either by order or by read batch,
 * and both agree only if the fd arrives with the start of its message.
 * Returns 1 if all that may go was sent, 0 if some is left, -1 on error
 * (errno set; EAGAIN is not).
 */
int
msgbuf_write(struct msgbuf *mb, int fd)
{
	struct iovec	 iov[MSGBUF_IOV];
	struct ibuf	*b, *next;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	ssize_t		 n;
	size_t		 left;
	int		 i = 0, passfd = -1;

	TAILQ_FOREACH(b, &mb->bufs, entry) {
		if (i == MSGBUF_IOV || b == mb->fence)
			break;
		if (b->fd != -1) {
			if (i != 0)
				break;
			passfd = b->fd;
		}
		iov[i].iov_base = b->buf + b->wpos;
		iov[i].iov_len = b->size - b->wpos;
		i++;
	}
	if (i == 0)
		return (1);

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = iov;
	msg.msg_iovlen = i;
	if (passfd != -1) {
		memset(&cmsgbuf, 0, sizeof cmsgbuf);
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof cmsgbuf.buf;
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), &passfd, sizeof passfd);
	}

	do
		n = sendmsg(fd, &msg, COMPAT_MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return (errno == EAGAIN || errno == ENOBUFS ? 0 : -1);

	/* The descriptor has gone with the first byte. */
	if (passfd != -1) {
		b = TAILQ_FIRST(&mb->bufs);
		close(b->fd);
		b->fd = -1;
	}

	mb->queued -= n;
	for (b = TAILQ_FIRST(&mb->bufs); b != NULL && n > 0; b = next) {
		next = TAILQ_NEXT(b, entry);
		left = b->size - b->wpos;
		if ((size_t)n < left) {
			b->wpos += n;
			break;
		}
		n -= left;
		TAILQ_REMOVE(&mb->bufs, b, entry);
		ibuf_free(b);
	}
	return (!msgbuf_writable(mb));
}
