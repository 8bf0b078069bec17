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
 * The transport: one connection to a server's socket, driven by the event
 * loop. It reads before it writes, so that when a server sends its last
 * words and closes, those words are dispatched before the connection is
 * given up, even if our write to it failed first. Nothing here blocks.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

/*
 * A server that has not taken any of our bytes for this long, has sent
 * none and has used no CPU time, is not going to: hung, or no tmux. One
 * that uses CPU time is busy with a long command (tmux reads its clients
 * only between commands) and is waited for as long as it takes; so is one
 * that is stopped (it lives, and whoever stopped it may let it go on) or
 * waits on a device. Only checked where the kernel tells (compat_unread).
 */
#define PEER_DEAF_SECONDS 10

/*
 * When to look again whether the server has read up to a fence, besides
 * when the kernel wakes us as it reads (compat_watch_reads): that wake
 * can come a moment before the count of unread bytes drops to zero. The
 * wait doubles up to the last.
 */
#define PEER_FENCE_LAST_MS 16

struct peer {
	struct event_base	*base;
	int			 fd;
	const struct dialect	*dialect;	/* numbers and peerid */
	struct event		 ev;
	short			 events;	/* as added to the loop */
	int			 paused;	/* not reading: PEER_PAUSE_* */
	int			 eof;		/* nothing more will come */
	int			 write_closed;	/* the server stopped reading */
	int			 received;	/* any byte from the server */
	int			 busy;		/* in callbacks */
	int			 freed;		/* ... which freed us */
	int			 lost;		/* lost callback made */
	char			*malformed;	/* why, if a bad message */

	struct event		 watchdog;
	long			 unread;	/* at the last look */
	long long		 cputime;	/* ... and the server's */
	int			 idle;		/* seconds without progress */

	struct backoff		 fence_retry;
	struct event		 fence_watch;
	int			 fence_fd;	/* compat_watch_reads, or -1 */
	u_int			 fence_looks;

	peer_dispatch_cb	*dispatch;
	peer_lost_cb		*lost_cb;
	peer_drained_cb		*drained_cb;
	void			*arg;

	/* Last: its read buffer is big and need not be zeroed. */
	struct imsgbuf		 ibuf;
};

/*
 * What each message from a server must look like: a fixed part (which may
 * be absent altogether where empty is allowed), then nothing, anything,
 * or NUL-terminated strings. Checked once here, for every conversation,
 * so that the handlers can trust what they get; tmux's client exits
 * silently on a bad one, we say what was wrong.
 */
#define P_ANY 0		/* anything may follow the fixed part */
#define P_EXACT 1	/* nothing may */
#define P_STRING 2	/* one string, required */
#define P_STRINGS 3	/* two strings, required */
#define P_PATH 4	/* one string, or nothing */
static const struct {
	u_int	type;
	size_t	fixed;
	int	rest;
	int	may_be_empty;
} peer_payloads[] = {
	{ MSG_VERSION, 0, P_EXACT, 0 },
	{ MSG_READY, 0, P_EXACT, 0 },
	{ MSG_EXITED, 0, P_EXACT, 0 },
	{ MSG_SUSPEND, 0, P_EXACT, 0 },
	{ MSG_EXIT, sizeof(int), P_ANY, 1 },
	{ MSG_SHUTDOWN, sizeof(int), P_ANY, 1 },
	{ MSG_FLAGS, sizeof(uint64_t), P_EXACT, 0 },
	{ MSG_SHELL, 0, P_STRING, 0 },
	{ MSG_DETACH, 0, P_STRING, 1 },		/* protocol 7: no session */
	{ MSG_DETACHKILL, 0, P_STRING, 1 },
	{ MSG_LOCK, 0, P_STRING, 0 },
	{ MSG_EXEC, 0, P_STRINGS, 0 },
	{ MSG_READ_OPEN, sizeof(struct msg_read_open), P_PATH, 0 },
	{ MSG_WRITE_OPEN, sizeof(struct msg_write_open), P_PATH, 0 },
	{ MSG_WRITE, sizeof(struct msg_write_data), P_ANY, 0 },
	{ MSG_WRITE_CLOSE, sizeof(struct msg_write_close), P_EXACT, 0 },
	{ MSG_READ_CANCEL, sizeof(struct msg_read_cancel), P_EXACT, 0 },
	{ MSG_OLDSTDOUT, OLDSTDIO_HEADER, P_ANY, 0 },
	{ MSG_OLDSTDERR, OLDSTDIO_HEADER, P_ANY, 0 },
};

static int
peer_valid(const struct imsg *imsg)
{
	const char	*rest;
	size_t		 left, n;
	u_int		 i;

	for (i = 0; i < nitems(peer_payloads); i++) {
		if (peer_payloads[i].type == imsg->type)
			break;
	}
	if (i == nitems(peer_payloads))
		return (1);
	if (imsg->len == 0 && peer_payloads[i].may_be_empty)
		return (1);
	if (imsg->len < peer_payloads[i].fixed)
		return (0);
	left = imsg->len - peer_payloads[i].fixed;
	if (left == 0) {
		/* No data pointer at all when the payload is empty. */
		return (peer_payloads[i].rest == P_EXACT ||
		    peer_payloads[i].rest == P_ANY ||
		    peer_payloads[i].rest == P_PATH);
	}
	rest = (const char *)imsg->data + peer_payloads[i].fixed;
	switch (peer_payloads[i].rest) {
	case P_EXACT:
		return (0);
	case P_PATH:
	case P_STRING:
		return (rest[left - 1] == '\0');
	case P_STRINGS:
		if (rest[left - 1] != '\0')
			return (0);
		n = strlen(rest) + 1;
		return (n < left);
	}
	return (1);
}

static void	peer_event(int, short, void *);
static void	peer_update(struct peer *);

/*
 * Connect without waiting. Returns 0 with *fd, or -1 with errno: EAGAIN
 * means the server has not accepted the connections before ours yet.
 */
int
peer_connect(const char *path, int *fd)
{
	struct sockaddr_un	sa;
	int			s, error;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	strcpy(sa.sun_path, path);

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return (-1);
	if (fcntl(s, F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(s, F_SETFL, O_NONBLOCK) == -1)
		goto fail;
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) == -1) {
		if (errno == EINPROGRESS)
			errno = EAGAIN;
		goto fail;
	}
	*fd = s;
	return (0);

fail:
	error = errno;
	close(s);
	errno = error;
	return (-1);
}

static void
peer_dial_try(struct dial *dl)
{
	int	fd;

	if (peer_connect(dl->path, &fd) == 0)
		dl->cb(fd, 0, dl->arg);
	else if (errno != EAGAIN || !dl->wait)
		dl->cb(-1, errno, dl->arg);
	else if (backoff_later(&dl->retry))
		log_debug("%s: backlog full, waiting", dl->path);
}

static void
peer_dial_timer(__unused int fd, __unused short events, void *arg)
{
	peer_dial_try(arg);
}

/*
 * Connect to the server on PATH and call cb with the descriptor and 0, or
 * -1 and errno. While its backlog is full, if WAIT, try again for as long
 * as it takes, as tmux's blocking connect waits, but with the loop
 * running; else that is EAGAIN. cb may be called before this returns;
 * PATH must last until it is. A dial still trying is given up first.
 */
void
peer_dial(struct dial *dl, struct event_base *base, const char *path,
    int wait, peer_dial_cb *cb, void *arg)
{
	peer_dial_cancel(dl);
	dl->path = path;
	dl->wait = wait;
	dl->cb = cb;
	dl->arg = arg;
	backoff_init(&dl->retry, base, BACKOFF_CONNECT_MS, peer_dial_timer,
	    dl);
	peer_dial_try(dl);
}

/* Stop trying, if it still is. */
void
peer_dial_cancel(struct dial *dl)
{
	backoff_cancel(&dl->retry);
}

/*
 * Once a second until the server says anything or has read all we sent:
 * is it reading us at all?
 */
static void
peer_watchdog(__unused int fd, __unused short events, void *arg)
{
	struct peer	*p = arg;
	struct timeval	 tv = { 1, 0 };
	long		 unread;
	long long	 cputime;
	int		 held;

	if (p->received || p->eof)
		return;
	unread = compat_unread(p->fd);
	if (unread == -1 || (unread == 0 && p->ibuf.w.queued == 0)) {
		/* Cannot tell, or it has taken all we had: not deaf. */
		return;
	}
	cputime = compat_pid_state(compat_peer_pid(p->fd), &held);
	if (unread < p->unread || cputime != p->cputime || held)
		p->idle = 0;
	else if (++p->idle >= PEER_DEAF_SECONDS) {
		log_debug("peer: %ld bytes unread for %d seconds", unread,
		    p->idle);
		p->lost = 1;
		p->lost_cb(PEER_DEAF, p->arg);
		return;
	}
	p->unread = unread;
	p->cputime = cputime;
	evtimer_add(&p->watchdog, &tv);
}

/* Look again whether the server has read up to the fence. */
static void
peer_fence_timer(__unused int fd, __unused short events, void *arg)
{
	struct peer	*p = arg;

	peer_update(p);
}

/* The server has taken some of what we sent: look again. */
static void
peer_fence_seen(__unused int fd, __unused short events, void *arg)
{
	struct peer	*p = arg;

	compat_reads_seen(p->fence_fd);
	peer_update(p);
}

/* Stop waiting for the server to read. */
static void
peer_fence_end(struct peer *p)
{
	backoff_cancel(&p->fence_retry);
	if (p->fence_fd != -1) {
		event_del(&p->fence_watch);
		close(p->fence_fd);
		p->fence_fd = -1;
	}
}

/* Release the fence once the server has read everything before it. */
static void
peer_check_fence(struct peer *p)
{
	long	unread;

	if (!msgbuf_held(&p->ibuf.w) || msgbuf_writable(&p->ibuf.w))
		return;
	unread = compat_unread(p->fd);
	if (unread > 0 && p->fence_looks++ == 0) {
		/* Watch, then look again: no read can slip between. */
		p->fence_fd = compat_watch_reads(p->fd);
		if (p->fence_fd != -1) {
			event_assign(&p->fence_watch, p->base, p->fence_fd,
			    EV_READ|EV_PERSIST, peer_fence_seen, p);
			event_add(&p->fence_watch, NULL);
			unread = compat_unread(p->fd);
		}
	}
	if (unread > 0) {
		backoff_later(&p->fence_retry);
		return;
	}
	log_debug("peer: fence released after %u looks (%ld unread)",
	    p->fence_looks, unread);
	peer_fence_end(p);
	msgbuf_release(&p->ibuf.w);
	peer_update(p);
}

/* A connection speaking dialect D. */
struct peer *
peer_new(struct event_base *base, int fd, const struct dialect *d,
    peer_dispatch_cb *dispatch, peer_lost_cb *lost, void *arg)
{
	struct peer	*p;
	struct timeval	 tv = { 1, 0 };

	p = xmalloc(sizeof *p);
	memset(p, 0, offsetof(struct peer, ibuf));
	p->base = base;
	p->fd = fd;
	p->dialect = d;
	imsg_init(&p->ibuf, fd, d->layout, d->protocol);
	p->dispatch = dispatch;
	p->lost_cb = lost;
	p->arg = arg;
	p->unread = -1;
	p->cputime = -1;
	p->fence_fd = -1;
	evtimer_assign(&p->watchdog, base, peer_watchdog, p);
	evtimer_add(&p->watchdog, &tv);
	backoff_init(&p->fence_retry, base, PEER_FENCE_LAST_MS,
	    peer_fence_timer, p);
	peer_update(p);
	return (p);
}

/* Tell the owner after each write, so input held for a full queue resumes. */
void
peer_set_drained(struct peer *p, peer_drained_cb *cb)
{
	p->drained_cb = cb;
}

/* Close the connection; from inside a callback, once it returns. */
void
peer_free(struct peer *p)
{
	if (p == NULL)
		return;
	if (p->busy) {
		p->freed = 1;
		return;
	}
	if (p->events != 0)
		event_del(&p->ev);
	evtimer_del(&p->watchdog);
	peer_fence_end(p);
	imsg_clear(&p->ibuf);
	close(p->fd);
	free(p->malformed);
	free(p);
}

/* The next header carries the layout probe's mark. */
void
peer_mark_probe(struct peer *p)
{
	p->ibuf.probe = 1;
}

/*
 * Hold what is sent from now on until the server has read everything
 * before it: a 1.7 or 1.8 server keeps a descriptor that arrives in the
 * same read as a message it refuses. Where the kernel cannot tell what
 * the server has read, nothing is held.
 */
void
peer_fence(struct peer *p)
{
	msgbuf_fence(&p->ibuf.w);
	p->fence_looks = 0;
	backoff_reset(&p->fence_retry);
}

/* Our message type in the dialect's numbers, or -1 to drop it. */
static int
peer_type(struct peer *p, int type, size_t len, int fd)
{
	int	wire;

	wire = dialect_send_type(p->dialect, type, len, fd != -1);
	if (wire == -1) {
		log_debug("peer: %s takes no message %d of %zu bytes%s",
		    p->dialect->name, type, len, fd != -1 ? " with fd" : "");
	}
	return (wire);
}

void
peer_send2(struct peer *p, int type, const void *p1, size_t l1,
    const void *p2, size_t l2)
{
	if (p->write_closed || (type = peer_type(p, type, l1 + l2, -1)) == -1)
		return;
	if (imsg_compose2(&p->ibuf, type, p1, l1, p2, l2) != 0)
		fatal("imsg_compose");
	peer_update(p);
}

void
peer_send(struct peer *p, int type, const void *data, size_t len)
{
	peer_send2(p, type, data, len, NULL, 0);
}

/* Queue a message carrying FD (or none for -1); the queue owns FD. */
void
peer_send_fd(struct peer *p, int type, int fd, const void *data, size_t len)
{
	if (p->write_closed || (type = peer_type(p, type, len, fd)) == -1) {
		if (fd != -1)
			close(fd);
		return;
	}
	if (imsg_compose(&p->ibuf, type, fd, data, len) != 0)
		fatal("imsg_compose");
	peer_update(p);
}

size_t
peer_queued(struct peer *p)
{
	return (p->ibuf.w.queued);
}

int
peer_received(struct peer *p)
{
	return (p->received);
}

pid_t
peer_pid(struct peer *p)
{
	return (compat_peer_pid(p->fd));
}

/* Does the server run as the user we run as? 0 if not, or not known. */
int
peer_same_user(struct peer *p)
{
	uid_t	uid;

	return (compat_peer_uid(p->fd, &uid) == 0 && uid == geteuid());
}

/* Ask the loop for exactly the socket events we need now. */
static void
peer_update(struct peer *p)
{
	short	events = 0;

	if (!p->paused && !p->eof)
		events |= EV_READ;
	if (msgbuf_writable(&p->ibuf.w) && !p->write_closed)
		events |= EV_WRITE;
	if (events != p->events) {
		if (p->events != 0)
			event_del(&p->ev);
		p->events = events;
		if (events != 0) {
			event_assign(&p->ev, p->base, p->fd,
			    events|EV_PERSIST, peer_event, p);
			event_add(&p->ev, NULL);
		}
	}
	peer_check_fence(p);
}

/* Report the loss once, after every whole message has been handled. */
static void
peer_check_lost(struct peer *p)
{
	if (!p->eof || p->lost || p->freed || p->paused)
		return;
	p->lost = 1;
	evtimer_del(&p->watchdog);
	p->lost_cb(p->malformed != NULL ? PEER_MALFORMED : PEER_CLOSED,
	    p->arg);
}

/* What was wrong with the message that ended the conversation. */
char *
peer_malformed(struct peer *p)
{
	return (p->malformed != NULL ? xstrdup(p->malformed) : NULL);
}

/* Dispatch the whole messages read so far, unless told to stop. */
static void
peer_parse(struct peer *p)
{
	struct imsg	imsg;
	int		r;

	while (!p->paused && !p->freed && !p->lost) {
		if ((r = imsg_get(&p->ibuf, &imsg)) == 0)
			break;
		if (r == -1) {
			/* Undecodable: nothing after it can be trusted. */
			log_debug("peer: bad frame");
			p->eof = 1;
			p->ibuf.rlen = p->ibuf.roff = 0;
			break;
		}
		if (dialect_receive(p->dialect, &imsg) != 0)
			log_debug("peer: ignored message %u", imsg.type);
		else if ((imsg.peerid & 0xff) == p->dialect->protocol &&
		    !peer_valid(&imsg)) {
			/* The conversation ends here, whoever it is. */
			free(p->malformed);
			xasprintf(&p->malformed, PEER_MALFORMED_TEXT,
			    imsg.type, imsg.len);
			p->eof = 1;
			p->ibuf.rlen = p->ibuf.roff = 0;
		} else
			p->dispatch(&imsg, p->arg);
		/* A descriptor the handler did not take is closed now. */
		if (imsg.fd != -1)
			close(imsg.fd);
	}
}

/* Run the callbacks for what the loop says happened. */
static void
peer_event(__unused int fd, short events, void *arg)
{
	struct peer	*p = arg;
	ssize_t		 n;

	p->busy++;
	if (events & EV_READ) {
		n = imsg_read(&p->ibuf);
		if (n > 0) {
			p->received = 1;
			evtimer_del(&p->watchdog);
		} else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			p->eof = 1;
		peer_parse(p);
	}
	if ((events & EV_WRITE) && !p->freed && !p->write_closed) {
		if (imsg_write(&p->ibuf) == -1) {
			/*
			 * The server stopped reading: whatever it sent before
			 * is still to be read, and then the end of file.
			 */
			log_debug("peer: write: %s", strerror(errno));
			p->write_closed = 1;
			msgbuf_clear(&p->ibuf.w);
		} else if (p->drained_cb != NULL)
			p->drained_cb(p->arg);
	}
	if (--p->busy == 0 && p->freed) {
		peer_free(p);
		return;
	}
	peer_update(p);
	peer_check_lost(p);
}

/* Send what the socket takes now, without waiting. */
void
peer_try_write(struct peer *p)
{
	if (!p->write_closed && imsg_write(&p->ibuf) == -1) {
		p->write_closed = 1;
		msgbuf_clear(&p->ibuf.w);
	}
	peer_update(p);
}

/*
 * Stop reading for a reason (PEER_PAUSE_*), or no longer for it; reading
 * starts again when no reason is left. Messages already read wait while
 * paused; on resuming they are dispatched first.
 */
void
peer_pause(struct peer *p, int why, int on)
{
	int	was = p->paused;

	if (on)
		p->paused |= why;
	else
		p->paused &= ~why;
	if ((was != 0) == (p->paused != 0))
		return;
	if (!p->paused) {
		p->busy++;
		peer_parse(p);
		p->busy--;
		if (p->freed && p->busy == 0) {
			peer_free(p);
			return;
		}
	}
	peer_update(p);
	if (!p->busy)
		peer_check_lost(p);
}
