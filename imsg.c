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
 * Message framing over a stream socket, in either of the two header
 * layouts tmux has used (doc/protocol.md 2.2):
 *
 *	old: type u32, len u16, flags u16 (bit 0: fd), peerid u32, pid u32
 *	new: type u32, len u32 (bit 31: fd), peerid u32, pid u32
 *
 * Without a descriptor the two are the same bytes on a little-endian host.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"
#include "proto.h"

#define OLD_HASFD 0x1
#define OLD_PROBE 0x2		/* unused by any old receiver */
#define NEW_FDMARK 0x80000000U

void
imsg_init(struct imsgbuf *ib, int fd, enum imsg_layout layout,
    uint32_t peerid)
{
	ib->fd = fd;
	ib->layout = layout;
	ib->peerid = peerid;
	ib->probe = 0;
	msgbuf_init(&ib->w);
	ib->nfds = 0;
	ib->rlen = ib->roff = 0;
}

void
imsg_clear(struct imsgbuf *ib)
{
	u_int	i;

	msgbuf_clear(&ib->w);
	for (i = 0; i < ib->nfds; i++)
		close(ib->fds[i]);
	ib->nfds = 0;
	ib->rlen = ib->roff = 0;
}

static void
imsg_header(struct imsgbuf *ib, unsigned char *p, uint32_t type, size_t len,
    int hasfd)
{
	uint32_t	v32, pid = UINT32_MAX;
	uint16_t	v16, flags = 0;

	memcpy(p, &type, 4);
	if (ib->layout == IMSG_OLD) {
		v16 = len;
		if (hasfd)
			flags |= OLD_HASFD;
		if (ib->probe)
			flags |= OLD_PROBE;
		memcpy(p + 4, &v16, 2);
		memcpy(p + 6, &flags, 2);
	} else {
		v32 = len;
		if (hasfd)
			v32 |= NEW_FDMARK;
		memcpy(p + 4, &v32, 4);
	}
	ib->probe = 0;
	memcpy(p + 8, &ib->peerid, 4);
	memcpy(p + 12, &pid, 4);
}

/*
 * Queue a message whose payload is two pieces, so a struct and the data
 * behind it need not be copied together first. The descriptor, if any,
 * belongs to the queue from now on, whatever happens.
 */
static int
imsg_queue(struct imsgbuf *ib, uint32_t type, int fd, const void *p1,
    size_t l1, const void *p2, size_t l2)
{
	struct ibuf	*b;
	size_t		 len;

	/* Each piece alone, so that the sum cannot wrap. */
	if (l1 > MAX_PAYLOAD || l2 > MAX_PAYLOAD - l1) {
		if (fd != -1)
			close(fd);
		errno = ERANGE;
		return (-1);
	}
	len = IMSG_HEADER_SIZE + l1 + l2;
	if ((b = ibuf_alloc(len)) == NULL) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	imsg_header(ib, b->buf, type, len, fd != -1);
	if (l1 != 0)
		memcpy(b->buf + IMSG_HEADER_SIZE, p1, l1);
	if (l2 != 0)
		memcpy(b->buf + IMSG_HEADER_SIZE + l1, p2, l2);
	b->fd = fd;
	msgbuf_enqueue(&ib->w, b);
	return (0);
}

int
imsg_compose(struct imsgbuf *ib, uint32_t type, int fd, const void *data,
    size_t len)
{
	return (imsg_queue(ib, type, fd, data, len, NULL, 0));
}

int
imsg_compose2(struct imsgbuf *ib, uint32_t type, const void *p1, size_t l1,
    const void *p2, size_t l2)
{
	return (imsg_queue(ib, type, -1, p1, l1, p2, l2));
}

/* Returns bytes read, 0 at end of file, -1 on error (errno set). */
ssize_t
imsg_read(struct imsgbuf *ib)
{
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * IMSG_MAXFDS)];
	} cmsgbuf;
	ssize_t		 n;
	size_t		 i, nfd;
	int		 fd;

	if (ib->roff != 0) {
		memmove(ib->rbuf, ib->rbuf + ib->roff, ib->rlen - ib->roff);
		ib->rlen -= ib->roff;
		ib->roff = 0;
	}
	if (ib->rlen == sizeof ib->rbuf) {
		errno = ERANGE;
		return (-1);
	}

	memset(&msg, 0, sizeof msg);
	iov.iov_base = ib->rbuf + ib->rlen;
	iov.iov_len = sizeof ib->rbuf - ib->rlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof cmsgbuf.buf;

	do
		n = recvmsg(ib->fd, &msg, COMPAT_MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return (-1);

	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfd; i++) {
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof fd, sizeof fd);
			/* Not for the programs we run. */
			if (COMPAT_MSG_CMSG_CLOEXEC == 0)
				fcntl(fd, F_SETFD, FD_CLOEXEC);
			if (ib->nfds < IMSG_MAXFDS)
				ib->fds[ib->nfds++] = fd;
			else
				close(fd);
		}
	}
	ib->rlen += n;
	return (n);
}

/*
 * Take the next whole message from the read buffer. Returns 1 with a
 * message, 0 if more bytes are needed, -1 with errno ERANGE if the header
 * gives an impossible length.
 */
int
imsg_get(struct imsgbuf *ib, struct imsg *imsg)
{
	unsigned char	*p = ib->rbuf + ib->roff;
	size_t		 have = ib->rlen - ib->roff, len;
	uint32_t	 v32;
	uint16_t	 v16, flags;
	int		 hasfd;

	if (have < IMSG_HEADER_SIZE)
		return (0);
	if (ib->layout == IMSG_OLD) {
		memcpy(&v16, p + 4, 2);
		memcpy(&flags, p + 6, 2);
		len = v16;
		hasfd = flags & OLD_HASFD;
	} else {
		memcpy(&v32, p + 4, 4);
		len = v32 & ~NEW_FDMARK;
		hasfd = (v32 & NEW_FDMARK) != 0;
	}
	if (len < IMSG_HEADER_SIZE || len > MAX_IMSGSIZE) {
		errno = ERANGE;
		return (-1);
	}
	if (have < len)
		return (0);

	memcpy(&imsg->type, p, 4);
	memcpy(&imsg->peerid, p + 8, 4);
	imsg->len = len - IMSG_HEADER_SIZE;
	imsg->data = imsg->len != 0 ? p + IMSG_HEADER_SIZE : NULL;
	imsg->fd = -1;
	if (hasfd && ib->nfds != 0) {
		imsg->fd = ib->fds[0];
		memmove(ib->fds, ib->fds + 1, --ib->nfds * sizeof *ib->fds);
	}
	ib->roff += len;
	return (1);
}

/* Send without blocking: 1 all sent, 0 some left, -1 error. */
int
imsg_write(struct imsgbuf *ib)
{
	return (msgbuf_write(&ib->w, ib->fd));
}
