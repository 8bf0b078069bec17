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
 * Files the server reads and writes through the client: the file
 * protocol of 3.1+ (numbered streams) and the old stdio messages of
 * 1.9-3.0a, which are served by the same streams under ids of our own.
 *
 * Neither protocol has flow control. Output is queued per stream and the
 * server socket is not read while too much is queued, so the server (not
 * us) holds the excess; input is not read while the socket is backed up.
 */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

/* Our ids for the old stdio streams; the server's are positive. */
#define OLD_STDOUT (-1)
#define OLD_STDERR (-2)
#define OLD_STDIN (-3)

/* A file the server reads or writes through us (or an old stdio fd). */
struct stream {
	struct files		*f;
	int			 id;
	int			 fd;
	int			 reading;
	int			 closing;	/* close once drained */
	int			 failed;	/* write error: drop data */
	char			*name;		/* for messages */
	struct evbuffer		*buf;
	struct event		 ev;
	int			 ev_set;
	TAILQ_ENTRY(stream)	 entry;
};

/* Every stream of a conversation. */
struct files {
	struct event_base	*base;
	struct peer		*peer;
	int			 control;	/* a control client */
	int			 std_closed[3];	/* fd 0-2 were not open */
	int			 std_used[3];	/* fd 0-2 given to a stream */
	int			 stdio_size;	/* old stdio record size */
	size_t			 buffered;	/* across write streams */
	char			*lost;		/* the first output lost */
	TAILQ_HEAD(, stream)	 streams;
	files_drained_cb	*drained;
	void			*arg;
};

/* How our own descriptors are named in messages. */
static const char *const file_std_names[] = { "stdin", "stdout", "stderr" };

static void	file_write_cb(int, short, void *);
static void	file_read_cb(int, short, void *);
static void	file_free_stream(struct files *, struct stream *);

struct files *
files_create(struct event_base *base, int control, const int *std_closed,
    files_drained_cb *drained, void *arg)
{
	struct files	*f;

	f = xcalloc(1, sizeof *f);
	f->base = base;
	f->control = control;
	memcpy(f->std_closed, std_closed, sizeof f->std_closed);
	TAILQ_INIT(&f->streams);
	f->drained = drained;
	f->arg = arg;
	return (f);
}

/*
 * The connection to send on; a new one replaces a dropped one. Without
 * one, what we read has nowhere to go: reading stops.
 */
void
files_set_peer(struct files *f, struct peer *peer)
{
	struct stream	*s, *next;

	f->peer = peer;
	if (peer != NULL)
		return;
	for (s = TAILQ_FIRST(&f->streams); s != NULL; s = next) {
		next = TAILQ_NEXT(s, entry);
		if (s->reading)
			file_free_stream(f, s);
	}
}

/* What a probe learnt of an old server's stdio record size. */
void
files_set_stdio_size(struct files *f, int size)
{
	if (size > OLDSTDIO_HEADER)
		f->stdio_size = size;
}

static struct stream *
file_find(struct files *f, int id)
{
	struct stream	*s;

	TAILQ_FOREACH(s, &f->streams, entry) {
		if (s->id == id)
			return (s);
	}
	return (NULL);
}

static struct stream *
file_new(struct files *f, int id, int fd, int reading, const char *name)
{
	struct stream	*s;

	s = xcalloc(1, sizeof *s);
	s->f = f;
	s->id = id;
	s->fd = fd;
	s->reading = reading;
	s->name = xstrdup(name);
	setblocking(fd, 0);
	if (!reading && (s->buf = evbuffer_new()) == NULL)
		fatalx("evbuffer_new failed");
	if (reading) {
		event_assign(&s->ev, f->base, fd, EV_READ|EV_PERSIST,
		    file_read_cb, s);
		event_add(&s->ev, NULL);
	} else
		event_assign(&s->ev, f->base, fd, EV_WRITE, file_write_cb, s);
	s->ev_set = reading;
	TAILQ_INSERT_TAIL(&f->streams, s, entry);
	return (s);
}

/*
 * Output the server gave us that we could not deliver. tmux says nothing;
 * we say what and why, once. A reader that went away (EPIPE) is not
 * asking for an error, as with any program whose output is cut short.
 */
static void
file_lost(struct files *f, const char *name, int error)
{
	if (error != EPIPE && f->lost == NULL) {
		xasprintf(&f->lost, "error writing to %s (%s)", name,
		    strerror(error));
	}
}

static void
file_free_stream(struct files *f, struct stream *s)
{
	TAILQ_REMOVE(&f->streams, s, entry);
	if (s->ev_set)
		event_del(&s->ev);
	if (s->buf != NULL) {
		f->buffered -= evbuffer_get_length(s->buf);
		evbuffer_free(s->buf);
	}
	/* Some file systems (NFS) report a failed write only here. */
	if (close(s->fd) != 0 && errno != EINTR && !s->reading)
		file_lost(f, s->name, errno);
	free(s->name);
	free(s);
}

void
files_free(struct files *f)
{
	files_discard(f);
	free(f->lost);
	free(f);
}

const char *
files_lost(struct files *f)
{
	return (f->lost);
}

/* Is anything on its way: input not all sent, or output not all out? */
int
files_busy(struct files *f)
{
	struct stream	*s;

	TAILQ_FOREACH(s, &f->streams, entry) {
		if (s->reading || evbuffer_get_length(s->buf) != 0)
			return (1);
	}
	return (0);
}

/*
 * The conversation ended before all went out (a signal, a broken server):
 * stop every stream at once, so that nothing follows our last words, and
 * count what was still to be written as lost.
 */
void
files_discard(struct files *f)
{
	struct stream	*s;

	while ((s = TAILQ_FIRST(&f->streams)) != NULL) {
		if (!s->reading && evbuffer_get_length(s->buf) != 0)
			file_lost(f, s->name, ECANCELED);
		file_free_stream(f, s);
	}
}

/* Every byte the server gave us has reached its file. */
int
files_drained(struct files *f)
{
	struct stream	*s;

	TAILQ_FOREACH(s, &f->streams, entry) {
		if (s->buf != NULL && evbuffer_get_length(s->buf) != 0)
			return (0);
	}
	return (1);
}

/* Output went out: resume reading the server, tell the owner. */
static void
file_output_done(struct files *f)
{
	if (f->peer != NULL && f->buffered < FILE_LOW_WATER)
		peer_pause(f->peer, PEER_PAUSE_OUTPUT, 0);
	if (files_drained(f))
		f->drained(f->arg);
}

/* Write what the descriptor takes now; wait for it if some is left. */
static void
file_push(struct files *f, struct stream *s)
{
	size_t	before = evbuffer_get_length(s->buf);
	int	n;

	while (evbuffer_get_length(s->buf) != 0) {
		n = evbuffer_write(s->buf, s->fd);
		if (n > 0)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		/* From now on this stream's data is dropped. */
		file_lost(f, s->name, n == -1 ? errno : EIO);
		s->failed = 1;
		evbuffer_drain(s->buf, evbuffer_get_length(s->buf));
	}
	f->buffered -= before - evbuffer_get_length(s->buf);

	if (evbuffer_get_length(s->buf) != 0) {
		if (!s->ev_set) {
			event_add(&s->ev, NULL);
			s->ev_set = 1;
		}
		return;
	}
	if (s->closing)
		file_free_stream(f, s);
	file_output_done(f);
}

static void
file_write_cb(__unused int fd, __unused short events, void *arg)
{
	struct stream	*s = arg;

	s->ev_set = 0;
	file_push(s->f, s);
}

static void
file_append(struct files *f, struct stream *s, const void *data,
    size_t len)
{
	if (s->failed || len == 0)
		return;
	if (evbuffer_add(s->buf, data, len) != 0)
		fatalx("evbuffer_add failed");
	f->buffered += len;
	if (!s->ev_set)
		file_push(f, s);
	if (f->buffered > FILE_HIGH_WATER)
		peer_pause(f->peer, PEER_PAUSE_OUTPUT, 1);
}

/*
 * fd 0, 1 and 2 as a stream: tmux's client hands each to one stream only
 * (it closes the original), except for control clients. We keep ours
 * open, so our own messages still reach stderr, and refuse a second use.
 */
static int
file_std(struct files *f, int fd)
{
	if (f->std_closed[fd]) {
		if (fd != STDIN_FILENO)
			file_lost(f, file_std_names[fd], EBADF);
		errno = EBADF;
		return (-1);
	}
	if (!f->control) {
		if (f->std_used[fd]) {
			errno = EBADF;
			return (-1);
		}
		f->std_used[fd] = 1;
	}
	return (dup(fd));
}

/*
 * Open what MSG_READ_OPEN or MSG_WRITE_OPEN names: a path, or one of our
 * own descriptors (0 to read, 1 or 2 to write). Both start with the
 * stream and the fd; MSG_WRITE_OPEN adds open flags. A path follows, or
 * none for "-". Returns the fd or -1 with errno set.
 */
static int
file_open(struct files *f, struct imsg *imsg, int reading, int *stream,
    const char **name)
{
	struct msg_write_open	 msg;
	size_t			 fixed;
	const char		*path;
	int			 fd;

	fixed = reading ? sizeof(struct msg_read_open) : sizeof msg;
	memset(&msg, 0, sizeof msg);
	memcpy(&msg, imsg->data, fixed);
	*stream = msg.stream;
	path = (const char *)imsg->data + fixed;
	if (imsg->len == fixed)
		path = "-";
	*name = path;

	/* Not for a stream number in use, nor a descriptor not ours. */
	errno = EBADF;
	fd = -1;
	if (file_find(f, msg.stream) != NULL)
		/* nothing */;
	else if (msg.fd == -1 && reading)
		fd = open(path, O_RDONLY|O_NONBLOCK|O_CLOEXEC);
	else if (msg.fd == -1) {
		fd = open(path, msg.flags|O_NONBLOCK|O_WRONLY|O_CREAT|O_CLOEXEC,
		    0644);
	} else if (reading ? msg.fd == STDIN_FILENO :
	    (msg.fd == STDOUT_FILENO || msg.fd == STDERR_FILENO)) {
		fd = file_std(f, msg.fd);
		*name = file_std_names[msg.fd];
	}
	log_debug("%s open %d %s: %s", reading ? "read" : "write",
	    msg.stream, path, fd == -1 ? strerror(errno) : "ok");
	return (fd);
}

static void
file_write_open(struct files *f, struct imsg *imsg)
{
	struct msg_write_ready	 reply;
	const char		*name;
	int			 fd;

	fd = file_open(f, imsg, 0, &reply.stream, &name);
	reply.error = (fd == -1) ? errno : 0;
	if (fd != -1)
		file_new(f, reply.stream, fd, 0, name);
	peer_send(f->peer, MSG_WRITE_READY, &reply, sizeof reply);
}

static void
file_write_data(struct files *f, struct imsg *imsg)
{
	struct msg_write_data	 msg;
	struct stream		*s;

	memcpy(&msg, imsg->data, sizeof msg);
	if ((s = file_find(f, msg.stream)) == NULL || s->reading)
		return;
	file_append(f, s, (char *)imsg->data + sizeof msg,
	    imsg->len - sizeof msg);
}

static void
file_write_close(struct files *f, struct imsg *imsg)
{
	struct msg_write_close	 msg;
	struct stream		*s;

	memcpy(&msg, imsg->data, sizeof msg);
	if ((s = file_find(f, msg.stream)) == NULL || s->reading)
		return;
	if (evbuffer_get_length(s->buf) == 0)
		file_free_stream(f, s);
	else
		s->closing = 1;
}

static void
file_read_done(struct files *f, struct stream *s, int error)
{
	struct msg_read_done	 msg;
	ssize_t			 size;
	char			*buf;

	if (s->id == OLD_STDIN) {
		/* End of input is a record with size 0, or -1 for an error. */
		buf = xcalloc(1, f->stdio_size);
		size = error ? -1 : 0;
		memcpy(buf, &size, sizeof size);
		peer_send(f->peer, MSG_OLDSTDIN, buf, f->stdio_size);
		free(buf);
	} else {
		msg.stream = s->id;
		msg.error = error;
		peer_send(f->peer, MSG_READ_DONE, &msg, sizeof msg);
	}
	file_free_stream(f, s);
}

static void
file_read_cb(__unused int fd, __unused short events, void *arg)
{
	struct stream	*s = arg;
	struct files	*f = s->f;
	char		 buf[OLDSTDIO_HEADER + FILE_CHUNK];
	size_t		 room = FILE_CHUNK;
	ssize_t		 n;
	ssize_t		 size;

	if (s->id == OLD_STDIN)
		room = f->stdio_size - OLDSTDIO_HEADER;
	n = read(s->fd, buf + OLDSTDIO_HEADER, room);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/*
		 * tmux 3.3a reports a read error as a plain end of file, and
		 * the server makes an empty buffer of it; we tell the server,
		 * which reports it.
		 */
		file_read_done(f, s, n == 0 ? 0 : errno);
		return;
	}
	if (s->id == OLD_STDIN) {
		size = n;
		memcpy(buf, &size, sizeof size);
		memset(buf + OLDSTDIO_HEADER + n, 0, room - n);
		peer_send(f->peer, MSG_OLDSTDIN, buf, f->stdio_size);
	} else {
		peer_send2(f->peer, MSG_READ, &s->id, sizeof s->id,
		    buf + OLDSTDIO_HEADER, n);
	}

	/* Let the server catch up before reading more. */
	if (peer_queued(f->peer) > FILE_HIGH_WATER) {
		event_del(&s->ev);
		s->ev_set = 0;
	}
}

/* The socket took our queued input: read the paused files again. */
void
files_socket_drained(struct files *f)
{
	struct stream	*s;

	if (f->peer == NULL || peer_queued(f->peer) > FILE_LOW_WATER)
		return;
	TAILQ_FOREACH(s, &f->streams, entry) {
		if (s->reading && !s->ev_set) {
			event_add(&s->ev, NULL);
			s->ev_set = 1;
		}
	}
}

/* No reply if it opened: the data, or READ_DONE, is the answer. */
static void
file_read_open(struct files *f, struct imsg *imsg)
{
	struct msg_read_done	 reply;
	const char		*name;
	int			 fd;

	if ((fd = file_open(f, imsg, 1, &reply.stream, &name)) != -1) {
		file_new(f, reply.stream, fd, 1, name);
		return;
	}
	reply.error = errno;
	peer_send(f->peer, MSG_READ_DONE, &reply, sizeof reply);
}

static void
file_read_cancel(struct files *f, struct imsg *imsg)
{
	struct msg_read_cancel	 msg;
	struct stream		*s;

	memcpy(&msg, imsg->data, sizeof msg);
	if ((s = file_find(f, msg.stream)) != NULL && s->reading)
		file_read_done(f, s, 0);
}

/* Old stdio output: a count, then the server's BUFSIZ bytes. */
static int
file_old_output(struct files *f, struct imsg *imsg, int id, char **cause)
{
	struct stream	*s;
	ssize_t		 size;
	int		 std, fd;

	memcpy(&size, imsg->data, sizeof size);
	if (size < 0 || (size_t)size > imsg->len - OLDSTDIO_HEADER)
		return (-1);
	if (f->stdio_size == 0)
		files_set_stdio_size(f, imsg->len);
	if ((s = file_find(f, id)) == NULL) {
		std = (id == OLD_STDOUT) ? STDOUT_FILENO : STDERR_FILENO;
		if ((fd = file_std(f, std)) == -1) {
			/* Closed: lost, and file_std has said so. */
			if (f->std_closed[std])
				return (0);
			xasprintf(cause, "cannot write to %s (%s)",
			    file_std_names[std], strerror(errno));
			return (-1);
		}
		s = file_new(f, id, fd, 0, file_std_names[std]);
	}
	file_append(f, s, (char *)imsg->data + OLDSTDIO_HEADER, size);
	return (0);
}

/*
 * An empty MSG_STDIN asks for our stdin in records of the server's size,
 * which we know from its output or from the probe; a client that reads
 * stdin always probes first (dialect_guess_serves).
 */
static int
file_old_stdin(struct files *f, struct imsg *imsg, char **cause)
{
	int	fd;

	if (imsg->len != 0)
		return (-1);
	if (file_find(f, OLD_STDIN) != NULL)
		return (0);
	if (f->stdio_size == 0) {
		*cause = xstrdup("server asked for stdin without saying its "
		    "record size");
		return (-1);
	}
	if (f->std_closed[STDIN_FILENO])
		fd = open("/dev/null", O_RDONLY|O_CLOEXEC);
	else
		fd = dup(STDIN_FILENO);
	if (fd == -1) {
		xasprintf(cause, "cannot read stdin (%s)", strerror(errno));
		return (-1);
	}
	file_new(f, OLD_STDIN, fd, 1, file_std_names[STDIN_FILENO]);
	return (0);
}

/* Attached: the server reads the terminal itself from now on. */
void
files_attached(struct files *f)
{
	struct stream	*s;

	if ((s = file_find(f, OLD_STDIN)) != NULL)
		file_free_stream(f, s);
}

/* The messages of the file protocol, each starting with a stream number. */
static const struct {
	u_int	  type;
	void	(*fn)(struct files *, struct imsg *);
} file_handlers[] = {
	{ MSG_WRITE_OPEN, file_write_open },
	{ MSG_READ_OPEN, file_read_open },
	{ MSG_WRITE, file_write_data },
	{ MSG_WRITE_CLOSE, file_write_close },
	{ MSG_READ_CANCEL, file_read_cancel },
};

/*
 * A file message from the server. Returns -1 if it cannot be served:
 * with *cause saying why, or NULL if the message was malformed.
 */
int
files_dispatch(struct files *f, struct imsg *imsg, char **cause)
{
	u_int	i;
	int	stream;

	*cause = NULL;
	switch (imsg->type) {
	case MSG_OLDSTDOUT:
		return (file_old_output(f, imsg, OLD_STDOUT, cause));
	case MSG_OLDSTDERR:
		return (file_old_output(f, imsg, OLD_STDERR, cause));
	case MSG_OLDSTDIN:
		return (file_old_stdin(f, imsg, cause));
	}
	for (i = 0; i < nitems(file_handlers); i++) {
		if (file_handlers[i].type != imsg->type)
			continue;
		/*
		 * Servers number their streams from 1; the numbers below are
		 * ours, for old stdio.
		 */
		memcpy(&stream, imsg->data, sizeof stream);
		if (stream <= 0)
			return (-1);
		file_handlers[i].fn(f, imsg);
		break;
	}
	return (0);
}
