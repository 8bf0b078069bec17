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
 * Tests for the imsg framing (imsg.c, imsg-buffer.c) over a socketpair,
 * in both header layouts. The expected wire bytes are those of a
 * little-endian host, as in doc/protocol.md 2.2.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"
#include "proto.h"
#include "unit.h"

#define TIMEOUT 60		/* seconds per check */
#define BIGFLUSH (2 * 1024 * 1024)

#define EXPECT(cond, ...) do {						\
	if (!(cond))							\
		return (set_why(__VA_ARGS__));				\
} while (0)

/* Both ends of the socketpair of the running check. */
struct ctx {
	int		 s[2];
	struct imsgbuf	*a;	/* on s[0], the sender */
	struct imsgbuf	*b;	/* on s[1], the receiver */
};

static struct ctx	 c;
static char		 why[512];
static char		 current[64];

/* Say why the running check failed; -1, for its caller to return. */
static int
set_why(const char *fmt, ...) printflike(1, 2);

static int
set_why(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return (-1);
}

static void
on_alarm(int sig)
{
	static const char	msg[] = ": timed out\n";
	ssize_t			n;

	/* Only async-signal-safe calls; the same line as fail() prints. */
	(void)sig;
	n = write(STDOUT_FILENO, "FAIL: ", 6);
	n = write(STDOUT_FILENO, current, strlen(current));
	n = write(STDOUT_FILENO, msg, sizeof msg - 1);
	(void)n;
	_exit(1);
}

/* Up to the first 40 bytes of p in hex, for failure messages. */
static const char *
hex(const void *p, size_t len)
{
	static char		 buf[3 * 40 + 8];
	const unsigned char	*u = p;
	size_t			 i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < len && i < 40; i++)
		off += snprintf(buf + off, sizeof buf - off, "%s%02x",
		    i == 0 ? "" : " ", u[i]);
	if (i < len)
		snprintf(buf + off, sizeof buf - off, " ...");
	return (buf);
}

static struct imsgbuf *
newib(int fd, enum imsg_layout layout)
{
	struct imsgbuf	*ib;

	if ((ib = malloc(sizeof *ib)) == NULL) {
		perror("malloc");
		exit(2);
	}
	imsg_init(ib, fd, layout, PROTOCOL_VERSION);
	return (ib);
}

static void
freeib(struct imsgbuf *ib)
{
	if (ib == NULL)
		return;
	imsg_clear(ib);
	free(ib);
}

/* Send everything queued, waiting for the socket as long as it takes. */
static int
flush(struct imsgbuf *ib)
{
	struct pollfd	pfd;
	int		r;

	for (;;) {
		if ((r = imsg_write(ib)) != 0)
			return (r == 1 ? 0 : -1);
		pfd.fd = ib->fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return (-1);
	}
}

static int
is_open(int fd)
{
	return (fcntl(fd, F_GETFD) != -1);
}

/* A pipe whose ends never block, so a wrong descriptor fails, not hangs. */
static void
newpipe(int p[2])
{
	int	i;

	if (pipe(p) != 0) {
		perror("pipe");
		exit(2);
	}
	for (i = 0; i < 2; i++) {
		if (fcntl(p[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(p[i], F_SETFD, FD_CLOEXEC) == -1) {
			perror("fcntl");
			exit(2);
		}
	}
}

static int
xdup(int fd)
{
	int	nfd;

	if ((nfd = dup(fd)) == -1) {
		perror("dup");
		exit(2);
	}
	return (nfd);
}

/* Whether a byte written to fd comes out of the pipe read end rd. */
static int
fd_reaches(int fd, int rd, char ch)
{
	char	got;

	if (fd == -1 || write(fd, &ch, 1) != 1)
		return (0);
	if (read(rd, &got, 1) != 1)
		return (0);
	return (got == ch);
}

static int
write_all(int fd, const void *p, size_t len)
{
	const char	*cp = p;
	ssize_t		 n;

	while (len != 0) {
		n = write(fd, cp, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		cp += n;
		len -= n;
	}
	return (0);
}

/*
 * One recvmsg on a raw socket: returns its byte count; *fd is the first
 * descriptor received (or -1), *nfd how many arrived (extras are closed).
 */
static ssize_t
raw_recv(int s, void *buf, size_t len, int *fd, int *nfd)
{
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * 8)];
	} cmsgbuf;
	ssize_t		 n;
	size_t		 i, k;
	int		 f;

	*fd = -1;
	*nfd = 0;
	memset(&msg, 0, sizeof msg);
	iov.iov_base = buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof cmsgbuf.buf;
	do
		n = recvmsg(s, &msg, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return (-1);
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < k; i++) {
			memcpy(&f, CMSG_DATA(cmsg) + i * sizeof f, sizeof f);
			if (*fd == -1)
				*fd = f;
			else
				close(f);
			(*nfd)++;
		}
	}
	return (n);
}

/*
 * Read exactly len bytes from a raw socket, with as many recvmsg as it
 * takes. Descriptors as for raw_recv, over all of them.
 */
static int
raw_exact(int s, void *buf, size_t len, int *fd, int *nfd)
{
	size_t	got = 0;
	ssize_t	n;
	int	f, k;

	*fd = -1;
	*nfd = 0;
	while (got < len) {
		n = raw_recv(s, (char *)buf + got, len - got, &f, &k);
		if (n <= 0)
			return (-1);
		if (f != -1) {
			if (*fd == -1)
				*fd = f;
			else
				close(f);
		}
		*nfd += k;
		got += n;
	}
	return (0);
}

/*
 * Next message on ib, reading (blocking) as needed: 1 with a message, 0
 * at end of file, -1 on error.
 */
static int
get_one(struct imsgbuf *ib, struct imsg *imsg)
{
	ssize_t	n;
	int	r;

	for (;;) {
		if ((r = imsg_get(ib, imsg)) != 0)
			return (r);
		n = imsg_read(ib);
		if (n <= 0)
			return (n == 0 ? 0 : -1);
	}
}

/* The 16 header bytes of a message as this host puts them on the wire. */
static void
header(unsigned char *p, uint32_t type, uint32_t lenword, uint16_t flags,
    enum imsg_layout layout)
{
	uint32_t	peerid = PROTOCOL_VERSION, pid = UINT32_MAX;
	uint16_t	len16 = lenword;

	memcpy(p, &type, 4);
	if (layout == IMSG_OLD) {
		memcpy(p + 4, &len16, 2);
		memcpy(p + 6, &flags, 2);
	} else
		memcpy(p + 4, &lenword, 4);
	memcpy(p + 8, &peerid, 4);
	memcpy(p + 12, &pid, 4);
}

/* One message as it should appear on the wire. */
struct wire {
	uint32_t		 type;
	const char		*data;
	size_t			 len;
	int			 hasfd;
	const unsigned char	*old;	/* 16 expected header bytes */
	const unsigned char	*new;
};

static const unsigned char h_abc[] = {
	0xc8, 0x00, 0x00, 0x00, 0x13, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff
};
static const unsigned char h_empty[] = {
	0x07, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff
};
static const unsigned char h_fd_old[] = {
	0x68, 0x00, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00,
	0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff
};
static const unsigned char h_fd_new[] = {
	0x68, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x80,
	0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff
};
static const unsigned char h_fdpay_old[] = {
	0x2c, 0x01, 0x00, 0x00, 0x14, 0x00, 0x01, 0x00,
	0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff
};
static const unsigned char h_fdpay_new[] = {
	0x2c, 0x01, 0x00, 0x00, 0x14, 0x00, 0x00, 0x80,
	0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff
};

static const struct wire wires[] = {
	{ 200, "abc", 3, 0, h_abc, h_abc },
	{ 7, NULL, 0, 0, h_empty, h_empty },
	{ 104, NULL, 0, 1, h_fd_old, h_fd_new },
	{ 300, "\x01\x02\x03\x04", 4, 1, h_fdpay_old, h_fdpay_new },
};
#define NWIRES (sizeof wires / sizeof wires[0])

/* Compose each message, flush, and compare the raw bytes received. */
static int
t_header_bytes(enum imsg_layout l)
{
	const struct wire	*w;
	const unsigned char	*exp;
	unsigned char		 buf[64];
	size_t			 i, total;
	int			 p[2], fd, nfd, ok, sent;

	for (i = 0; i < NWIRES; i++) {
		w = &wires[i];
		exp = (l == IMSG_OLD) ? w->old : w->new;
		total = IMSG_HEADER_SIZE + w->len;
		newpipe(p);
		sent = w->hasfd ? xdup(p[1]) : -1;
		EXPECT(imsg_compose(c.a, w->type, sent, w->data, w->len) == 0,
		    "compose type %u: %s", w->type, strerror(errno));
		EXPECT(c.a->w.queued == total, "queued %zu, not %zu",
		    c.a->w.queued, total);
		EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
		EXPECT(c.a->w.queued == 0, "queued %zu after flush",
		    c.a->w.queued);
		/* The sender's copy is closed once it has gone. */
		EXPECT(sent == -1 || !is_open(sent),
		    "type %u: sent fd %d still open", w->type, sent);
		EXPECT(raw_exact(c.s[1], buf, total, &fd, &nfd) == 0,
		    "raw read type %u failed", w->type);
		EXPECT(memcmp(buf, exp, IMSG_HEADER_SIZE) == 0,
		    "type %u header %s", w->type, hex(buf, IMSG_HEADER_SIZE));
		EXPECT(w->len == 0 ||
		    memcmp(buf + IMSG_HEADER_SIZE, w->data, w->len) == 0,
		    "type %u payload %s", w->type,
		    hex(buf + IMSG_HEADER_SIZE, w->len));
		EXPECT(nfd == (w->hasfd ? 1 : 0), "type %u came with %d fds",
		    w->type, nfd);
		ok = !w->hasfd || fd_reaches(fd, p[0], 'h');
		if (fd != -1)
			close(fd);
		close(p[0]);
		close(p[1]);
		EXPECT(ok, "type %u: received fd does not reach the pipe",
		    w->type);
	}
	return (0);
}

/* The same messages through imsg_read and imsg_get. */
static int
t_roundtrip(enum imsg_layout l)
{
	const struct wire	*w;
	struct imsg		 imsg;
	size_t			 i;
	int			 p[NWIRES][2], ok, cloexec;

	(void)l;
	for (i = 0; i < NWIRES; i++) {
		w = &wires[i];
		newpipe(p[i]);
		EXPECT(imsg_compose(c.a, w->type, w->hasfd ? xdup(p[i][1]) : -1,
		    w->data, w->len) == 0, "compose: %s", strerror(errno));
	}
	EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
	for (i = 0; i < NWIRES; i++) {
		w = &wires[i];
		EXPECT(get_one(c.b, &imsg) == 1, "message %zu missing", i);
		EXPECT(imsg.type == w->type, "type %u, not %u", imsg.type,
		    w->type);
		EXPECT(imsg.peerid == PROTOCOL_VERSION, "peerid %u",
		    imsg.peerid);
		EXPECT(imsg.len == w->len, "type %u: len %zu, not %zu",
		    w->type, imsg.len, w->len);
		EXPECT(w->len == 0 || memcmp(imsg.data, w->data, w->len) == 0,
		    "type %u: data %s", w->type, hex(imsg.data, imsg.len));
		if (!w->hasfd) {
			EXPECT(imsg.fd == -1, "type %u: fd %d, not -1",
			    w->type, imsg.fd);
		} else {
			ok = fd_reaches(imsg.fd, p[i][0], 'r');
			/* Not to be inherited by programs the client runs. */
			cloexec = fcntl(imsg.fd, F_GETFD);
			if (imsg.fd != -1)
				close(imsg.fd);
			EXPECT(ok, "type %u: fd %d does not reach the pipe",
			    w->type, imsg.fd);
			EXPECT(cloexec != -1 && (cloexec & FD_CLOEXEC),
			    "type %u: received fd not close-on-exec",
			    w->type);
		}
		close(p[i][0]);
		close(p[i][1]);
	}
	EXPECT(imsg_get(c.b, &imsg) == 0, "extra message");
	EXPECT(c.b->nfds == 0, "%u fds left over", c.b->nfds);
	return (0);
}

/* ib->probe marks only the next header: old flags bit 0x2. */
static int
t_probe(enum imsg_layout l)
{
	/* Expected bytes 4 to 7 of the header in each layout. */
	static const struct {
		int		probe;
		int		hasfd;
		unsigned char	old[4];
		unsigned char	new[4];
	} cases[] = {
		{ 1, 0, { 0x10, 0, 0x02, 0 }, { 0x10, 0, 0, 0 } },
		{ 0, 0, { 0x10, 0, 0x00, 0 }, { 0x10, 0, 0, 0 } },
		{ 1, 1, { 0x10, 0, 0x03, 0 }, { 0x10, 0, 0, 0x80 } },
		{ 0, 1, { 0x10, 0, 0x01, 0 }, { 0x10, 0, 0, 0x80 } },
	};
	struct imsg	 imsg;
	unsigned char	 buf[IMSG_HEADER_SIZE];
	const void	*exp;
	size_t		 i;
	int		 p[2], fd, nfd, ok;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		exp = (l == IMSG_OLD) ? cases[i].old : cases[i].new;
		newpipe(p);
		c.a->probe = cases[i].probe;
		EXPECT(imsg_compose(c.a, 1, cases[i].hasfd ? xdup(p[1]) : -1,
		    NULL, 0) == 0, "compose: %s", strerror(errno));
		/* Only the next one: a second message is never marked. */
		EXPECT(c.a->probe == 0, "case %zu: probe still set", i);
		EXPECT(imsg_compose(c.a, 2, -1, NULL, 0) == 0, "compose: %s",
		    strerror(errno));
		EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
		EXPECT(raw_exact(c.s[1], buf, sizeof buf, &fd, &nfd) == 0,
		    "raw read failed");
		ok = !cases[i].hasfd || fd_reaches(fd, p[0], 'p');
		if (fd != -1)
			close(fd);
		close(p[0]);
		close(p[1]);
		EXPECT(memcmp(buf + 4, exp, 4) == 0, "case %zu: header %s",
		    i, hex(buf, sizeof buf));
		EXPECT(ok, "case %zu: fd lost", i);
		EXPECT(raw_exact(c.s[1], buf, sizeof buf, &fd, &nfd) == 0,
		    "raw read failed");
		EXPECT(nfd == 0, "second message has an fd");
		EXPECT(memcmp(buf + 4, "\x10\x00\x00\x00", 4) == 0,
		    "case %zu: second header marked: %s", i,
		    hex(buf, sizeof buf));
	}

	/* The receiver ignores the probe bit. */
	c.a->probe = 1;
	EXPECT(imsg_compose(c.a, 5, -1, "xy", 2) == 0, "compose: %s",
	    strerror(errno));
	EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
	EXPECT(get_one(c.b, &imsg) == 1, "probe message not received");
	EXPECT(imsg.type == 5 && imsg.len == 2 && imsg.fd == -1 &&
	    memcmp(imsg.data, "xy", 2) == 0,
	    "probe message: type %u len %zu fd %d", imsg.type, imsg.len,
	    imsg.fd);
	return (0);
}

/* Several fd messages in a row: each gets its own, in order. */
static int
t_fd_order(enum imsg_layout l)
{
	struct imsg	 imsg;
	unsigned char	 buf[IMSG_HEADER_SIZE];
	int		 p[4][2], i, fd, nfd, ok;
	int		 round;

	(void)l;
	for (i = 0; i < 4; i++)
		newpipe(p[i]);

	/* Raw: one descriptor per message, travelling with its header. */
	for (i = 0; i < 4; i++) {
		EXPECT(imsg_compose(c.a, 104 + i, xdup(p[i][1]), NULL, 0) == 0,
		    "compose: %s", strerror(errno));
	}
	EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
	for (i = 0; i < 4; i++) {
		EXPECT(raw_exact(c.s[1], buf, sizeof buf, &fd, &nfd) == 0,
		    "raw read failed");
		ok = fd_reaches(fd, p[i][0], 'a' + i);
		if (fd != -1)
			close(fd);
		EXPECT(nfd == 1, "message %d came with %d fds", i, nfd);
		EXPECT(buf[0] == 104 + i, "message %d has type %u", i, buf[0]);
		EXPECT(ok, "message %d: fd is not its own", i);
	}

	/* Through imsg_get, with fd-less messages in between. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 4; i++) {
			EXPECT(imsg_compose(c.a, 104 + i, xdup(p[i][1]), NULL,
			    0) == 0, "compose: %s", strerror(errno));
			if (round == 1) {
				EXPECT(imsg_compose(c.a, 50, -1, "z", 1) == 0,
				    "compose: %s", strerror(errno));
			}
		}
		EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
		for (i = 0; i < 4; i++) {
			EXPECT(get_one(c.b, &imsg) == 1, "message missing");
			EXPECT(imsg.type == (uint32_t)(104 + i),
			    "type %u, not %d", imsg.type, 104 + i);
			ok = fd_reaches(imsg.fd, p[i][0], 'A' + i);
			if (imsg.fd != -1)
				close(imsg.fd);
			EXPECT(ok, "round %d message %d: fd %d is not its own",
			    round, i, imsg.fd);
			if (round == 1) {
				EXPECT(get_one(c.b, &imsg) == 1,
				    "message missing");
				EXPECT(imsg.type == 50 && imsg.fd == -1,
				    "type %u fd %d, not 50 and -1", imsg.type,
				    imsg.fd);
			}
		}
	}
	EXPECT(c.b->nfds == 0, "%u fds left over", c.b->nfds);
	for (i = 0; i < 4; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	return (0);
}

/*
 * Data, fd message, data: the descriptor must start a sendmsg of its own,
 * so reading exactly the first message yields no descriptor, and the one
 * read of the fd message's header brings it.
 */
static int
t_fd_first(enum imsg_layout l)
{
	struct imsg	 imsg;
	unsigned char	 buf[256];
	char		 d1[100], d3[50];
	const void	*exp;
	int		 p[2], fd, nfd, ok, round;

	memset(d1, '1', sizeof d1);
	memset(d3, '3', sizeof d3);
	exp = (l == IMSG_OLD) ? h_fd_old : h_fd_new;
	newpipe(p);
	for (round = 0; round < 2; round++) {
		EXPECT(imsg_compose(c.a, 1, -1, d1, sizeof d1) == 0,
		    "compose: %s", strerror(errno));
		EXPECT(imsg_compose(c.a, 104, xdup(p[1]), NULL, 0) == 0,
		    "compose: %s", strerror(errno));
		EXPECT(imsg_compose(c.a, 3, -1, d3, sizeof d3) == 0,
		    "compose: %s", strerror(errno));
		EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
		if (round == 0) {
			EXPECT(raw_exact(c.s[1], buf, 16 + sizeof d1, &fd,
			    &nfd) == 0, "raw read failed");
			if (fd != -1)
				close(fd);
			EXPECT(nfd == 0, "fd came with the message before");
			EXPECT(raw_recv(c.s[1], buf, IMSG_HEADER_SIZE, &fd,
			    &nfd) == IMSG_HEADER_SIZE, "short read");
			ok = fd_reaches(fd, p[0], 'f');
			if (fd != -1)
				close(fd);
			EXPECT(nfd == 1, "%d fds with the fd message", nfd);
			EXPECT(memcmp(buf, exp, IMSG_HEADER_SIZE) == 0,
			    "fd message header %s", hex(buf, 16));
			EXPECT(ok, "received fd does not reach the pipe");
			EXPECT(raw_exact(c.s[1], buf, 16 + sizeof d3, &fd,
			    &nfd) == 0, "raw read failed");
			if (fd != -1)
				close(fd);
			EXPECT(nfd == 0, "fd came with the message after");
			EXPECT(buf[0] == 3 &&
			    memcmp(buf + 16, d3, sizeof d3) == 0,
			    "last message %s", hex(buf, 16 + sizeof d3));
			continue;
		}
		EXPECT(get_one(c.b, &imsg) == 1, "message 1 missing");
		EXPECT(imsg.type == 1 && imsg.fd == -1 &&
		    imsg.len == sizeof d1, "message 1: type %u fd %d len %zu",
		    imsg.type, imsg.fd, imsg.len);
		EXPECT(get_one(c.b, &imsg) == 1, "message 2 missing");
		ok = imsg.type == 104 && fd_reaches(imsg.fd, p[0], 'g');
		if (imsg.fd != -1)
			close(imsg.fd);
		EXPECT(ok, "message 2: type %u fd %d", imsg.type, imsg.fd);
		EXPECT(get_one(c.b, &imsg) == 1, "message 3 missing");
		EXPECT(imsg.type == 3 && imsg.fd == -1 &&
		    imsg.len == sizeof d3, "message 3: type %u fd %d len %zu",
		    imsg.type, imsg.fd, imsg.len);
	}
	close(p[0]);
	close(p[1]);
	return (0);
}

/* A frame split over several reads; the tail read with the next frames. */
static int
t_split(enum imsg_layout l)
{
	static const size_t	 cuts[] = { 7, 16, 21, 26 };
	struct imsg		 imsg;
	unsigned char		 buf[3 * 32];
	size_t			 i, off = 0;

	for (i = 0; i < 3; i++) {
		header(buf + i * 26, 60 + i, 26, 0, l);
		memcpy(buf + i * 26 + 16, "0123456789", 10);
		buf[i * 26 + 16] = 'a' + i;
	}
	for (i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		EXPECT(write_all(c.s[0], buf + off, cuts[i] - off) == 0,
		    "write: %s", strerror(errno));
		EXPECT(imsg_read(c.b) == (ssize_t)(cuts[i] - off),
		    "imsg_read did not return %zu", cuts[i] - off);
		off = cuts[i];
		if (off < 26) {
			EXPECT(imsg_get(c.b, &imsg) == 0,
			    "message returned with only %zu bytes", off);
		}
	}
	EXPECT(imsg_get(c.b, &imsg) == 1, "whole message not returned");
	EXPECT(imsg.type == 60 && imsg.len == 10 && imsg.fd == -1 &&
	    memcmp(imsg.data, "a123456789", 10) == 0,
	    "message: type %u len %zu fd %d", imsg.type, imsg.len, imsg.fd);
	EXPECT(imsg_get(c.b, &imsg) == 0, "message from nothing");

	/* Rest of a frame, a whole one and the start of the next at once. */
	EXPECT(write_all(c.s[0], buf + off, 26 + 5) == 0, "write: %s",
	    strerror(errno));
	EXPECT(imsg_read(c.b) == 26 + 5, "short imsg_read");
	off += 26 + 5;
	EXPECT(imsg_get(c.b, &imsg) == 1, "second message not returned");
	EXPECT(imsg.type == 61 && imsg.len == 10 &&
	    memcmp(imsg.data, "b123456789", 10) == 0,
	    "second message: type %u len %zu", imsg.type, imsg.len);
	EXPECT(imsg_get(c.b, &imsg) == 0, "third message returned early");
	EXPECT(write_all(c.s[0], buf + off, 3 * 26 - off) == 0, "write: %s",
	    strerror(errno));
	EXPECT(get_one(c.b, &imsg) == 1, "third message not returned");
	EXPECT(imsg.type == 62 && imsg.len == 10 &&
	    memcmp(imsg.data, "c123456789", 10) == 0,
	    "third message: type %u len %zu", imsg.type, imsg.len);
	return (0);
}

/* Many frames in one write, taken by one read. */
static int
t_many(enum imsg_layout l)
{
	struct imsg	 imsg;
	unsigned char	*buf;
	size_t		 n = 500, each = IMSG_HEADER_SIZE + 4, i;
	uint32_t	 v;
	ssize_t		 r;

	if ((buf = malloc(n * each)) == NULL)
		return (set_why("malloc"));
	for (i = 0; i < n; i++) {
		header(buf + i * each, 1000 + i, each, 0, l);
		v = i * 3;
		memcpy(buf + i * each + 16, &v, 4);
	}
	r = write_all(c.s[0], buf, n * each);
	free(buf);
	EXPECT(r == 0, "write: %s", strerror(errno));
	r = imsg_read(c.b);
	EXPECT(r == (ssize_t)(n * each), "imsg_read returned %zd, not %zu",
	    r, n * each);
	for (i = 0; i < n; i++) {
		EXPECT(imsg_get(c.b, &imsg) == 1, "message %zu missing", i);
		EXPECT(imsg.len == 4, "message %zu: len %zu", i, imsg.len);
		memcpy(&v, imsg.data, 4);
		EXPECT(imsg.type == 1000 + i && v == i * 3 &&
		    imsg.peerid == PROTOCOL_VERSION && imsg.fd == -1,
		    "message %zu: type %u value %u", i, imsg.type, v);
	}
	EXPECT(imsg_get(c.b, &imsg) == 0, "extra message");
	return (0);
}

/*
 * Frames of every size across reads that cut them anywhere, so the read
 * buffer is compacted with partial frames in it.
 */
static int
t_stream(enum imsg_layout l)
{
	struct imsg	 imsg;
	unsigned char	*buf;
	size_t		 n = 300, total = 0, off, chunk, i, j, len;
	uint32_t	 v;

	for (i = 0; i < n; i++)
		total += IMSG_HEADER_SIZE + (i * 131) % 3000;
	if ((buf = malloc(total)) == NULL)
		return (set_why("malloc"));
	off = 0;
	for (i = 0; i < n; i++) {
		len = (i * 131) % 3000;
		header(buf + off, i, IMSG_HEADER_SIZE + len, 0, l);
		for (j = 0; j < len; j++)
			buf[off + 16 + j] = i + j;
		off += IMSG_HEADER_SIZE + len;
	}
	off = 0;
	i = 0;
	while (off < total || i < n) {
		if (off < total) {
			chunk = 777 + (off % 5000);
			if (chunk > total - off)
				chunk = total - off;
			if (write_all(c.s[0], buf + off, chunk) != 0 ||
			    imsg_read(c.b) != (ssize_t)chunk) {
				free(buf);
				return (set_why("write or read failed"));
			}
			off += chunk;
		}
		while (imsg_get(c.b, &imsg) == 1) {
			len = (i * 131) % 3000;
			if (imsg.type != i || imsg.len != len) {
				free(buf);
				set_why("message %zu: type %u len %zu", i,
				    imsg.type, imsg.len);
				return (-1);
			}
			for (j = 0; j < len; j++) {
				if (((unsigned char *)imsg.data)[j] !=
				    (unsigned char)(i + j))
					break;
			}
			if (j != len) {
				free(buf);
				set_why("message %zu: bad data", i);
				return (-1);
			}
			i++;
		}
		if (off == total && i < n) {
			free(buf);
			return (set_why("%zu messages of %zu", i, n));
		}
	}
	free(buf);
	v = c.b->rlen - c.b->roff;
	EXPECT(v == 0, "%u bytes left", v);
	return (0);
}

/* The largest message, and the ones just too large. */
static int
t_max(enum imsg_layout l)
{
	static const unsigned char	 h_max[] = {
		0x09, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00,
		0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff
	};
	struct imsg			 imsg;
	unsigned char			*data, *buf;
	size_t				 i;
	int				 fd, nfd, p[2], r;

	(void)l;
	data = malloc(MAX_IMSGSIZE + 1);
	buf = malloc(MAX_IMSGSIZE);
	if (data == NULL || buf == NULL) {
		free(data);
		free(buf);
		return (set_why("malloc"));
	}
	for (i = 0; i < MAX_IMSGSIZE + 1; i++)
		data[i] = i % 251;

	r = -1;
	if (imsg_compose(c.a, 9, -1, data, MAX_PAYLOAD) != 0)
		set_why("compose of %d bytes: %s", MAX_PAYLOAD,
		    strerror(errno));
	else if (flush(c.a) != 0)
		set_why("flush: %s", strerror(errno));
	else if (raw_exact(c.s[1], buf, MAX_IMSGSIZE, &fd, &nfd) != 0)
		set_why("raw read failed");
	else if (memcmp(buf, h_max, 16) != 0)
		set_why("header %s", hex(buf, 16));
	else if (memcmp(buf + 16, data, MAX_PAYLOAD) != 0)
		set_why("payload differs");
	else if (imsg_compose2(c.a, 9, data, 5000, data + 5000,
	    MAX_PAYLOAD - 5000) != 0)
		set_why("compose2 of %d bytes: %s", MAX_PAYLOAD,
		    strerror(errno));
	else if (flush(c.a) != 0)
		set_why("flush: %s", strerror(errno));
	else if (get_one(c.b, &imsg) != 1)
		set_why("message not received");
	else if (imsg.type != 9 || imsg.len != MAX_PAYLOAD ||
	    memcmp(imsg.data, data, MAX_PAYLOAD) != 0)
		set_why("message: type %u len %zu", imsg.type, imsg.len);
	else
		r = 0;
	if (r != 0) {
		free(data);
		free(buf);
		return (-1);
	}

	errno = 0;
	r = imsg_compose(c.a, 9, -1, data, MAX_PAYLOAD + 1);
	EXPECT(r == -1 && errno == ERANGE, "compose of %d bytes: %d (%s)",
	    MAX_PAYLOAD + 1, r, strerror(errno));
	errno = 0;
	r = imsg_compose2(c.a, 9, data, 5000, data, MAX_PAYLOAD + 1 - 5000);
	EXPECT(r == -1 && errno == ERANGE, "compose2 of %d bytes: %d (%s)",
	    MAX_PAYLOAD + 1, r, strerror(errno));
	free(data);
	free(buf);

	/* A refused message still takes its descriptor. */
	newpipe(p);
	fd = xdup(p[1]);
	errno = 0;
	r = imsg_compose(c.a, 104, fd, NULL, MAX_PAYLOAD + 1);
	EXPECT(r == -1 && errno == ERANGE, "compose with fd: %d (%s)", r,
	    strerror(errno));
	EXPECT(!is_open(fd), "fd of a refused message left open");
	close(p[0]);
	close(p[1]);
	EXPECT(c.a->w.queued == 0 && TAILQ_EMPTY(&c.a->w.bufs),
	    "refused messages queued");
	return (0);
}

/*
 * A payload length so large that adding the header wraps around must be
 * refused too. Run in a child: the failure is a heap overflow.
 */
static int
t_len_wrap(enum imsg_layout l)
{
	static const char	 x[16];
	pid_t			 pid;
	int			 status, r, e;

	(void)l;
	fflush(stdout);
	if ((pid = fork()) == -1)
		return (set_why("fork: %s", strerror(errno)));
	if (pid == 0) {
		errno = 0;
		r = imsg_compose(c.a, 1, -1, x, SIZE_MAX - 8);
		e = errno;
		if (r != -1 || e != ERANGE)
			_exit(r == -1 ? 4 : 3);
		errno = 0;
		r = imsg_compose2(c.a, 1, x, 8, x, SIZE_MAX - 8);
		e = errno;
		if (r != -1 || e != ERANGE)
			_exit(r == -1 ? 6 : 5);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) == -1)
		return (set_why("waitpid: %s", strerror(errno)));
	EXPECT(!WIFSIGNALED(status), "compose of SIZE_MAX - 8 bytes: "
	    "killed by signal %d", WTERMSIG(status));
	e = WEXITSTATUS(status);
	EXPECT(e == 0, "%s of SIZE_MAX - 8 bytes %s (exit %d)",
	    e == 5 || e == 6 ? "imsg_compose2" : "imsg_compose",
	    e == 3 || e == 5 ? "returned 0 (length wrapped)" :
	    (e == 4 || e == 6 ? "failed without ERANGE" : "crashed"), e);
	return (0);
}

/* Write one raw header; return imsg_get's answer on a fresh receiver. */
static int
raw_get(enum imsg_layout l, uint32_t lenword, uint16_t flags,
    struct imsg *imsg, int *error)
{
	unsigned char	 buf[IMSG_HEADER_SIZE];
	int		 s[2], r;
	struct imsgbuf	*ib;

	*error = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) != 0)
		return (-2);
	ib = newib(s[1], l);
	header(buf, 104, lenword, flags, l);
	r = -2;
	if (write_all(s[0], buf, sizeof buf) == 0 &&
	    imsg_read(ib) == (ssize_t)sizeof buf) {
		errno = 0;
		r = imsg_get(ib, imsg);
		*error = errno;
		/* A broken stream stays broken. */
		if (r == -1 && imsg_get(ib, imsg) != -1)
			r = -3;
	}
	freeib(ib);
	close(s[0]);
	close(s[1]);
	return (r);
}

/* Impossible lengths make imsg_get fail with ERANGE. */
static int
t_bad_len(enum imsg_layout l)
{
	static const uint32_t	 old_bad[] = {
		0, 1, 15, 16385, 0x8000, 0xffff
	};
	static const uint32_t	 new_bad[] = {
		0, 15, 16385, 0x10000, 0x00010010, 0x7fffffff,
		0x80000000, 0x8000000f, 0x80004001, 0x80010010, 0xffffffff
	};
	const uint32_t		*bad;
	struct imsg		 imsg;
	size_t			 i, n;
	int			 r, e;

	if (l == IMSG_OLD) {
		bad = old_bad;
		n = sizeof old_bad / sizeof old_bad[0];
	} else {
		bad = new_bad;
		n = sizeof new_bad / sizeof new_bad[0];
	}
	for (i = 0; i < n; i++) {
		r = raw_get(l, bad[i], 0, &imsg, &e);
		EXPECT(r == -1 && e == ERANGE,
		    "length word %#x: imsg_get %d (%s)", bad[i], r,
		    strerror(e));
		if (l == IMSG_OLD) {
			r = raw_get(l, bad[i], 1, &imsg, &e);
			EXPECT(r == -1 && e == ERANGE,
			    "length %#x with fd flag: imsg_get %d (%s)",
			    bad[i], r, strerror(e));
		}
	}

	/* The limits themselves are fine: no payload, and not all here. */
	r = raw_get(l, 16, 0, &imsg, &e);
	EXPECT(r == 1 && imsg.len == 0, "length 16: %d", r);
	r = raw_get(l, 16384, 0, &imsg, &e);
	EXPECT(r == 0, "length 16384: %d, not 0 (wait for more)", r);
	if (l == IMSG_NEW) {
		r = raw_get(l, 0x80000000 | 16384, 0, &imsg, &e);
		EXPECT(r == 0, "length 16384 with fd mark: %d, not 0", r);
	}
	return (0);
}

/* A header that claims an fd when none came gets -1. */
static int
t_flag_no_fd(enum imsg_layout l)
{
	struct imsg	imsg;
	int		r, e;

	if (l == IMSG_OLD)
		r = raw_get(l, 16, 1, &imsg, &e);
	else
		r = raw_get(l, 0x80000000 | 16, 0, &imsg, &e);
	EXPECT(r == 1, "imsg_get %d", r);
	EXPECT(imsg.type == 104 && imsg.len == 0 && imsg.fd == -1,
	    "type %u len %zu fd %d", imsg.type, imsg.len, imsg.fd);
	if (l == IMSG_OLD) {
		/* Other flag bits are ignored. */
		r = raw_get(l, 16, 0xfffe, &imsg, &e);
		EXPECT(r == 1 && imsg.len == 0 && imsg.fd == -1,
		    "flags 0xfffe: imsg_get %d fd %d", r, imsg.fd);
	}
	return (0);
}

/*
 * Across layouts (doc/protocol.md 2.2): an old receiver takes a new fd
 * message as one without an fd; a new receiver refuses an old one.
 */
static int
t_cross(enum imsg_layout l)
{
	struct imsg	 imsg;
	int		 p[2], r, held;

	newpipe(p);
	imsg_init(c.b, c.s[1], l == IMSG_OLD ? IMSG_NEW : IMSG_OLD,
	    PROTOCOL_VERSION);
	EXPECT(imsg_compose(c.a, 104, xdup(p[1]), NULL, 0) == 0,
	    "compose: %s", strerror(errno));
	EXPECT(imsg_compose(c.a, 5, -1, "ok", 2) == 0, "compose: %s",
	    strerror(errno));
	EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
	errno = 0;
	r = get_one(c.b, &imsg);
	if (l == IMSG_OLD) {
		EXPECT(r == -1 && errno == ERANGE,
		    "new receiver took an old fd message: %d", r);
	} else {
		EXPECT(r == 1 && imsg.type == 104 && imsg.len == 0 &&
		    imsg.fd == -1, "old receiver: %d type %u len %zu fd %d",
		    r, imsg.type, imsg.len, imsg.fd);
		EXPECT(get_one(c.b, &imsg) == 1 && imsg.type == 5 &&
		    imsg.len == 2, "next message not right");
		/* The descriptor waits for a flagged message. */
		EXPECT(c.b->nfds == 1, "%u fds held, not 1", c.b->nfds);
		held = c.b->fds[0];
		imsg_clear(c.b);
		EXPECT(!is_open(held), "imsg_clear left a held fd open");
	}
	close(p[0]);
	close(p[1]);
	return (0);
}

/* Queued descriptors are closed by imsg_clear. */
static int
t_clear(enum imsg_layout l)
{
	int	p[2], fd;

	(void)l;
	newpipe(p);
	fd = xdup(p[1]);
	EXPECT(imsg_compose(c.a, 104, fd, NULL, 0) == 0, "compose: %s",
	    strerror(errno));
	EXPECT(is_open(fd), "fd closed before it was sent");
	imsg_clear(c.a);
	EXPECT(!is_open(fd), "imsg_clear left a queued fd open");
	EXPECT(c.a->w.queued == 0 && TAILQ_EMPTY(&c.a->w.bufs),
	    "queue not empty");
	EXPECT(imsg_write(c.a) == 1, "imsg_write on an empty queue");
	close(p[0]);
	close(p[1]);
	return (0);
}

/*
 * A fence holds what is queued after it: nothing of it, descriptor
 * included, leaves before msgbuf_release, and then all of it does.
 */
static int
t_fence(enum imsg_layout l)
{
	unsigned char	 buf[256];
	struct imsg	 imsg;
	ssize_t		 n;
	int		 p[2], fd, nfd;

	(void)l;
	newpipe(p);
	EXPECT(imsg_compose(c.a, 100, -1, "a", 1) == 0, "compose a");
	msgbuf_fence(&c.a->w);
	EXPECT(imsg_compose(c.a, 106, -1, NULL, 0) == 0, "compose b");
	EXPECT(imsg_compose(c.a, 104, xdup(p[1]), NULL, 0) == 0, "compose c");
	EXPECT(imsg_write(c.a) == 1, "not all that may go was sent");
	EXPECT(imsg_write(c.a) == 1, "held messages written");
	EXPECT(!msgbuf_writable(&c.a->w), "writable behind the fence");
	EXPECT(c.a->w.queued == 2 * IMSG_HEADER_SIZE, "%zu bytes queued",
	    c.a->w.queued);
	n = raw_recv(c.s[1], buf, sizeof buf, &fd, &nfd);
	EXPECT(n == IMSG_HEADER_SIZE + 1 && nfd == 0,
	    "%zd bytes and %d fds before the release", n, nfd);
	msgbuf_release(&c.a->w);
	EXPECT(msgbuf_writable(&c.a->w), "not writable after the release");
	EXPECT(flush(c.a) == 0, "flush after the release: %s", strerror(errno));
	EXPECT(get_one(c.b, &imsg) == 1 && imsg.type == 106,
	    "first held message");
	EXPECT(get_one(c.b, &imsg) == 1 && imsg.type == 104 &&
	    fd_reaches(imsg.fd, p[0], 'f'), "held message with its fd");
	close(imsg.fd);

	/* Clearing the queue takes the fence down. */
	msgbuf_fence(&c.a->w);
	EXPECT(imsg_compose(c.a, 106, -1, NULL, 0) == 0, "compose d");
	msgbuf_clear(&c.a->w);
	EXPECT(!msgbuf_held(&c.a->w), "fence left after clear");
	close(p[0]);
	close(p[1]);
	return (0);
}

/*
 * Where the kernel says what the peer has not read, a watch wakes as the
 * peer reads: not before, at once after, and once for each read.
 */
static int
t_watch_reads(enum imsg_layout l)
{
	struct pollfd	 pfd;
	char		 buf[16];
	int		 w;

	(void)l;
	EXPECT(write(c.s[0], "abc", 3) == 3, "write: %s", strerror(errno));
	w = compat_watch_reads(c.s[0]);
	if (compat_unread(c.s[0]) == -1) {
		EXPECT(w == -1, "a watch, but no count of unread bytes");
		return (0);
	}
	EXPECT(w != -1, "no watch: %s", strerror(errno));
	pfd.fd = w;
	pfd.events = POLLIN;
	EXPECT(poll(&pfd, 1, 0) == 0, "woken before the peer read");
	EXPECT(read(c.s[1], buf, sizeof buf) == 3, "read");
	EXPECT(poll(&pfd, 1, 1000) == 1, "not woken by the read");
	EXPECT(compat_unread(c.s[0]) == 0, "%ld bytes still unread",
	    compat_unread(c.s[0]));
	compat_reads_seen(w);
	EXPECT(poll(&pfd, 1, 0) == 0, "woken again without a read");
	close(w);
	return (0);
}

/* Every header carries the peerid the buffer was made with. */
static int
t_peerid(enum imsg_layout l)
{
	struct imsg	imsg;

	imsg_init(c.a, c.s[0], l, 7);
	EXPECT(imsg_compose(c.a, 6, -1, NULL, 0) == 0, "compose");
	EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
	EXPECT(get_one(c.b, &imsg) == 1 && imsg.peerid == 7,
	    "peerid %u, not 7", imsg.peerid);
	return (0);
}

/* Send len bytes with one sendmsg, with descriptor fd if not -1. */
static int
raw_send(int s, const void *p, size_t len, int fd)
{
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;

	memset(&msg, 0, sizeof msg);
	iov.iov_base = (void *)p;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd != -1) {
		memset(&cmsgbuf, 0, sizeof cmsgbuf);
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof cmsgbuf.buf;
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
	}
	return (sendmsg(s, &msg, 0) == (ssize_t)len ? 0 : -1);
}

/*
 * Old receivers queue descriptors and hand them to flagged messages in
 * order (doc/protocol.md 2.4), wherever they arrived: three descriptors come
 * before the first header is whole, and one comes with an unflagged
 * message but belongs to the flagged message after it.
 */
static int
t_fd_fifo(enum imsg_layout l)
{
	struct imsg	 imsg;
	unsigned char	 buf[4 * IMSG_HEADER_SIZE];
	int		 p[4][2], i, ok;

	for (i = 0; i < 4; i++)
		newpipe(p[i]);
	for (i = 0; i < 3; i++)
		header(buf + i * 16, 104 + i, 16, 1, l);
	for (i = 0; i < 3; i++) {
		EXPECT(raw_send(c.s[0], buf + i * 4, 4, p[i][1]) == 0,
		    "sendmsg: %s", strerror(errno));
	}
	EXPECT(raw_send(c.s[0], buf + 12, 36, -1) == 0, "sendmsg: %s",
	    strerror(errno));
	for (i = 0; i < 3; i++) {
		EXPECT(get_one(c.b, &imsg) == 1, "message %d missing", i);
		ok = imsg.type == (uint32_t)(104 + i) &&
		    fd_reaches(imsg.fd, p[i][0], 'a' + i);
		if (imsg.fd != -1)
			close(imsg.fd);
		EXPECT(ok, "message %d: type %u fd %d is not the %dth sent",
		    i, imsg.type, imsg.fd, i + 1);
		EXPECT(c.b->nfds == (u_int)(2 - i), "%u fds held, not %d",
		    c.b->nfds, 2 - i);
	}

	header(buf, 102, 16, 0, l);
	header(buf + 16, 104, 16, 1, l);
	EXPECT(raw_send(c.s[0], buf, 16, p[3][1]) == 0, "sendmsg: %s",
	    strerror(errno));
	EXPECT(raw_send(c.s[0], buf + 16, 16, -1) == 0, "sendmsg: %s",
	    strerror(errno));
	EXPECT(get_one(c.b, &imsg) == 1, "unflagged message missing");
	EXPECT(imsg.type == 102 && imsg.fd == -1,
	    "unflagged message: type %u fd %d", imsg.type, imsg.fd);
	EXPECT(get_one(c.b, &imsg) == 1, "flagged message missing");
	ok = imsg.type == 104 && fd_reaches(imsg.fd, p[3][0], 'x');
	if (imsg.fd != -1)
		close(imsg.fd);
	EXPECT(ok, "flagged message: type %u fd %d", imsg.type, imsg.fd);
	for (i = 0; i < 4; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	return (0);
}

/*
 * A non-blocking socket that fills up: imsg_write says "some left" and
 * never fails, and the rest goes out, descriptors included, as the
 * receiver makes room.
 */
static int
t_write_full(enum imsg_layout l)
{
	struct imsg	 imsg;
	unsigned char	*data;
	size_t		 n = 64, got = 0, before;
	uint32_t	 v;
	int		 p[2], i, r, stalled = 0, ok;

	(void)l;
	if (fcntl(c.s[0], F_SETFL, O_NONBLOCK) == -1)
		return (set_why("fcntl: %s", strerror(errno)));
	if ((data = malloc(MAX_PAYLOAD)) == NULL)
		return (set_why("malloc"));
	memset(data, 'w', MAX_PAYLOAD);
	newpipe(p);
	r = 0;
	for (v = 0; v < n && r == 0; v++) {
		memcpy(data, &v, 4);
		r = imsg_compose(c.a, v, v % 8 == 3 ? xdup(p[1]) : -1, data,
		    MAX_PAYLOAD);
	}
	free(data);
	EXPECT(r == 0, "compose: %s", strerror(errno));

	for (i = 0; i < 20; i++) {
		before = c.a->w.queued;
		r = imsg_write(c.a);
		EXPECT(r == 0, "imsg_write %d on a full socket: %d (%s)", i,
		    r, strerror(errno));
		if (c.a->w.queued == before)
			stalled = 1;
	}
	EXPECT(stalled, "the socket never filled");

	while (got < n) {
		EXPECT(imsg_write(c.a) != -1, "imsg_write: %s",
		    strerror(errno));
		EXPECT(imsg_read(c.b) > 0, "imsg_read: %s", strerror(errno));
		while ((r = imsg_get(c.b, &imsg)) == 1) {
			memcpy(&v, imsg.data, 4);
			ok = imsg.type == got && v == got &&
			    imsg.len == MAX_PAYLOAD;
			if (got % 8 == 3)
				ok = ok && fd_reaches(imsg.fd, p[0], 'f');
			else
				ok = ok && imsg.fd == -1;
			if (imsg.fd != -1)
				close(imsg.fd);
			EXPECT(ok, "message %zu: type %u fd %d len %zu", got,
			    imsg.type, imsg.fd, imsg.len);
			got++;
		}
		EXPECT(r == 0, "imsg_get: %s", strerror(errno));
	}
	EXPECT(c.a->w.queued == 0 && imsg_write(c.a) == 1,
	    "%zu bytes left", c.a->w.queued);
	close(p[0]);
	close(p[1]);
	return (0);
}

/* imsg_read returns 0 at end of file, after the last message. */
static int
t_eof(enum imsg_layout l)
{
	struct imsg	imsg;
	ssize_t		n;

	(void)l;
	EXPECT(imsg_compose(c.a, 11, -1, "bye", 3) == 0, "compose: %s",
	    strerror(errno));
	EXPECT(flush(c.a) == 0, "flush: %s", strerror(errno));
	close(c.s[0]);
	c.s[0] = -1;
	EXPECT((n = imsg_read(c.b)) == 19, "imsg_read %zd, not 19", n);
	EXPECT(imsg_get(c.b, &imsg) == 1 && imsg.type == 11 &&
	    imsg.len == 3, "last message lost");
	EXPECT((n = imsg_read(c.b)) == 0, "imsg_read at eof: %zd", n);
	EXPECT(imsg_get(c.b, &imsg) == 0, "message after eof");
	EXPECT((n = imsg_read(c.b)) == 0, "imsg_read after eof: %zd", n);

	/*
	 * Writing to a closed peer fails with EPIPE, not SIGPIPE: by
	 * MSG_NOSIGNAL, or where there is none by SIGPIPE being ignored, as
	 * the client ignores it (signal.c).
	 */
	EXPECT(imsg_compose(c.b, 1, -1, NULL, 0) == 0, "compose: %s",
	    strerror(errno));
	if (COMPAT_MSG_NOSIGNAL == 0)
		signal(SIGPIPE, SIG_IGN);
	errno = 0;
	EXPECT(flush(c.b) == -1 && errno == EPIPE,
	    "flush to a closed peer: %s", strerror(errno));
	return (0);
}

static size_t
big_len(u_int i)
{
	return (4 + (i * 7919U) % (MAX_PAYLOAD - 3));
}

static int
big_hasfd(u_int i)
{
	return (i % 37 == 5);
}

/* The child: read everything, check it, exit 0 if all is right. */
static void
big_child(u_int n)
{
	struct imsgbuf	*ib;
	struct imsg	 imsg;
	struct stat	 sb;
	size_t		 j, len;
	uint32_t	 v;
	u_int		 i;
	int		 r;

	close(c.s[0]);
	ib = newib(c.s[1], c.b->layout);
	for (i = 0; i < n; i++) {
		if ((r = get_one(ib, &imsg)) != 1) {
			fprintf(stderr, "child: message %u: get %d\n", i, r);
			_exit(1);
		}
		len = big_len(i);
		if (imsg.type != i || imsg.len != len) {
			fprintf(stderr, "child: message %u: type %u len %zu\n",
			    i, imsg.type, imsg.len);
			_exit(1);
		}
		memcpy(&v, imsg.data, 4);
		for (j = 4; j < len; j++) {
			if (((unsigned char *)imsg.data)[j] !=
			    (unsigned char)(i * 31 + j))
				break;
		}
		if (v != i || j != len) {
			fprintf(stderr, "child: message %u: bad data\n", i);
			_exit(1);
		}
		if (big_hasfd(i) != (imsg.fd != -1)) {
			fprintf(stderr, "child: message %u: fd %d\n", i,
			    imsg.fd);
			_exit(1);
		}
		if (imsg.fd != -1) {
			if (fstat(imsg.fd, &sb) != 0 || !S_ISFIFO(sb.st_mode)) {
				fprintf(stderr, "child: message %u: fd %d is "
				    "not the pipe\n", i, imsg.fd);
				_exit(1);
			}
			close(imsg.fd);
		}
	}
	if ((r = get_one(ib, &imsg)) != 0) {
		fprintf(stderr, "child: no eof after %u messages: %d\n", n, r);
		_exit(1);
	}
	freeib(ib);
	_exit(0);
}

/* imsg_flush of 2 MB while a child drains it. */
static int
big_flush(enum imsg_layout l, int nonblock)
{
	unsigned char	*data;
	size_t		 total = 0, j, len;
	uint32_t	 v;
	pid_t		 pid;
	u_int		 n, i;
	int		 p[2], status, r;

	(void)l;
	for (n = 0; total < BIGFLUSH; n++)
		total += IMSG_HEADER_SIZE + big_len(n);
	fflush(stdout);
	if ((pid = fork()) == -1)
		return (set_why("fork: %s", strerror(errno)));
	if (pid == 0)
		big_child(n);
	/* Only the child holds the receiving end: if it dies, writes fail. */
	close(c.s[1]);
	c.s[1] = -1;

	if ((data = malloc(MAX_PAYLOAD)) == NULL)
		return (set_why("malloc"));
	newpipe(p);
	r = 0;
	for (i = 0; i < n; i++) {
		len = big_len(i);
		v = i;
		memcpy(data, &v, 4);
		for (j = 4; j < len; j++)
			data[j] = i * 31 + j;
		if (imsg_compose(c.a, i, big_hasfd(i) ? xdup(p[1]) : -1, data,
		    len) != 0) {
			set_why("compose %u: %s", i, strerror(errno));
			r = -1;
			break;
		}
	}
	free(data);
	close(p[0]);
	close(p[1]);
	if (r == 0 && c.a->w.queued != total) {
		set_why("queued %zu, not %zu", c.a->w.queued, total);
		r = -1;
	}
	if (r == 0 && nonblock) {
		if (fcntl(c.s[0], F_SETFL, O_NONBLOCK) == -1) {
			set_why("fcntl: %s", strerror(errno));
			r = -1;
		} else if (imsg_write(c.a) == -1) {
			set_why("imsg_write: %s", strerror(errno));
			r = -1;
		} else if (c.a->w.queued >= total) {
			set_why("imsg_write sent nothing");
			r = -1;
		}
	}
	if (r == 0 && flush(c.a) != 0) {
		set_why("imsg_flush: %s", strerror(errno));
		r = -1;
	}
	if (r == 0 && (c.a->w.queued != 0 || !TAILQ_EMPTY(&c.a->w.bufs))) {
		set_why("%zu bytes left after flush", c.a->w.queued);
		r = -1;
	}
	close(c.s[0]);
	c.s[0] = -1;
	if (waitpid(pid, &status, 0) == -1)
		return (set_why("waitpid: %s", strerror(errno)));
	if (r != 0)
		return (-1);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "receiver of %u messages (%zu bytes) failed: status %#x", n,
	    total, status);
	return (0);
}

static int
t_flush_block(enum imsg_layout l)
{
	return (big_flush(l, 0));
}

static int
t_flush_nonblock(enum imsg_layout l)
{
	return (big_flush(l, 1));
}

static void
run(const char *name, int (*fn)(enum imsg_layout), enum imsg_layout l)
{
	int	r;

	snprintf(current, sizeof current, "%s-%s", name,
	    l == IMSG_OLD ? "old" : "new");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, c.s) != 0) {
		fail("%s: socketpair: %s", current, strerror(errno));
		return;
	}
	c.a = newib(c.s[0], l);
	c.b = newib(c.s[1], l);
	why[0] = '\0';
	fflush(stdout);
	alarm(TIMEOUT);
	r = fn(l);
	alarm(0);
	if (r == 0)
		pass("%s", current);
	else
		fail("%s: %s", current, why);
	freeib(c.a);
	freeib(c.b);
	c.a = c.b = NULL;
	if (c.s[0] != -1)
		close(c.s[0]);
	if (c.s[1] != -1)
		close(c.s[1]);
}

static const struct {
	const char	*name;
	int		(*fn)(enum imsg_layout);
	int		 oldonly;
} tests[] = {
	{ "header-bytes", t_header_bytes, 0 },
	{ "roundtrip", t_roundtrip, 0 },
	{ "probe", t_probe, 0 },
	{ "fd-order", t_fd_order, 0 },
	{ "fd-first", t_fd_first, 0 },
	{ "fd-fifo", t_fd_fifo, 1 },	/* 3.6+ receivers match by read */
	{ "split", t_split, 0 },
	{ "many", t_many, 0 },
	{ "stream", t_stream, 0 },
	{ "max-size", t_max, 0 },
	{ "len-wrap", t_len_wrap, 0 },
	{ "bad-len", t_bad_len, 0 },
	{ "flag-no-fd", t_flag_no_fd, 0 },
	{ "cross-layout", t_cross, 0 },
	{ "clear", t_clear, 0 },
	{ "fence", t_fence, 0 },
	{ "watch-reads", t_watch_reads, 1 },
	{ "peerid", t_peerid, 0 },
	{ "write-full", t_write_full, 0 },
	{ "eof", t_eof, 0 },
	{ "flush-2mb", t_flush_block, 0 },
	{ "flush-2mb-nonblock", t_flush_nonblock, 0 },
};

int
main(void)
{
	size_t	i;

	signal(SIGALRM, on_alarm);
	for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		run(tests[i].name, tests[i].fn, IMSG_OLD);
		if (!tests[i].oldonly)
			run(tests[i].name, tests[i].fn, IMSG_NEW);
	}
	return (unit_status());
}
