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

static void	file_write_cb(int, short, void *);
static void	file_read_cb(int, short, void *);

static struct stream *
file_find(struct client *c, int id)
{
	struct stream	*s;

	TAILQ_FOREACH(s, &c->streams, entry) {
		if (s->id == id)
			return (s);
	}
	return (NULL);
}

static struct stream *
file_new(struct client *c, int id, int fd, int reading)
{
	struct stream	*s;
	int		 flags;

	s = xcalloc(1, sizeof *s);
	s->c = c;
	s->id = id;
	s->fd = fd;
	s->reading = reading;
	if ((flags = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, flags|O_NONBLOCK);
	if (!reading && (s->buf = evbuffer_new()) == NULL)
		fatalx("evbuffer_new failed");
	if (reading) {
		event_assign(&s->ev, c->base, fd, EV_READ|EV_PERSIST,
		    file_read_cb, s);
		event_add(&s->ev, NULL);
	} else
		event_assign(&s->ev, c->base, fd, EV_WRITE, file_write_cb, s);
	s->ev_set = reading;
	TAILQ_INSERT_TAIL(&c->streams, s, entry);
	return (s);
}

static void
file_free_stream(struct client *c, struct stream *s)
{
	TAILQ_REMOVE(&c->streams, s, entry);
	if (s->ev_set)
		event_del(&s->ev);
	if (s->buf != NULL) {
		c->buffered -= evbuffer_get_length(s->buf);
		evbuffer_free(s->buf);
	}
	close(s->fd);
	free(s);
}

/* Every byte the server gave us has reached its file. */
int
file_drained(struct client *c)
{
	struct stream	*s;

	TAILQ_FOREACH(s, &c->streams, entry) {
		if (s->buf != NULL && evbuffer_get_length(s->buf) != 0)
			return (0);
	}
	return (1);
}

/* Output went out: resume reading the server, maybe leave. */
static void
file_output_done(struct client *c)
{
	if (c->read_paused && c->buffered < FILE_LOW_WATER)
		client_resume(c);
	if (c->exiting && file_drained(c))
		client_stop(c);
}

/* Write what the descriptor takes now; wait for it if some is left. */
static void
file_push(struct client *c, struct stream *s)
{
	size_t	before = evbuffer_get_length(s->buf);
	int	n;

	while (evbuffer_get_length(s->buf) != 0) {
		n = evbuffer_write(s->buf, s->fd);
		if (n > 0)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		/* A dead reader: drop this stream's data quietly. */
		s->failed = 1;
		evbuffer_drain(s->buf, evbuffer_get_length(s->buf));
	}
	c->buffered -= before - evbuffer_get_length(s->buf);

	if (evbuffer_get_length(s->buf) != 0) {
		if (!s->ev_set) {
			event_add(&s->ev, NULL);
			s->ev_set = 1;
		}
		return;
	}
	if (s->closing)
		file_free_stream(c, s);
	file_output_done(c);
}

static void
file_write_cb(__unused int fd, __unused short events, void *arg)
{
	struct stream	*s = arg;

	s->ev_set = 0;
	file_push(s->c, s);
}

static void
file_append(struct client *c, struct stream *s, const void *data,
    size_t len)
{
	if (s->failed || len == 0)
		return;
	if (evbuffer_add(s->buf, data, len) != 0)
		fatalx("evbuffer_add failed");
	c->buffered += len;
	if (!s->ev_set)
		file_push(c, s);
	if (c->buffered > FILE_HIGH_WATER && !c->read_paused) {
		c->read_paused = 1;
		client_update_socket(c);
	}
}

/*
 * fd 0, 1 and 2 as a stream: tmux's client hands each to one stream only
 * (it closes the original), except for control clients. We keep ours
 * open, so our own messages still reach stderr, and refuse a second use.
 */
static int
file_std(struct client *c, int fd)
{
	if (c->std_closed[fd]) {
		errno = EBADF;
		return (-1);
	}
	if (!(c->flags & CLIENT_CONTROL)) {
		if (c->std_used[fd]) {
			errno = EBADF;
			return (-1);
		}
		c->std_used[fd] = 1;
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
file_open(struct client *c, struct imsg *imsg, int reading, int *stream)
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

	if (file_find(c, msg.stream) != NULL) {
		errno = EBADF;
		fd = -1;
	} else if (msg.fd == -1) {
		if (reading)
			fd = open(path, O_RDONLY|O_NONBLOCK);
		else {
			fd = open(path, msg.flags|O_NONBLOCK|O_WRONLY|O_CREAT,
			    0644);
		}
	} else if (reading ? msg.fd == STDIN_FILENO :
	    (msg.fd == STDOUT_FILENO || msg.fd == STDERR_FILENO))
		fd = file_std(c, msg.fd);
	else {
		errno = EBADF;
		fd = -1;
	}
	log_debug("%s open %d %s: %s", reading ? "read" : "write",
	    msg.stream, path, fd == -1 ? strerror(errno) : "ok");
	return (fd);
}

static void
file_write_open(struct client *c, struct imsg *imsg)
{
	struct msg_write_ready	 reply;
	int			 fd;

	fd = file_open(c, imsg, 0, &reply.stream);
	reply.error = (fd == -1) ? errno : 0;
	if (fd != -1)
		file_new(c, reply.stream, fd, 0);
	client_send(c, MSG_WRITE_READY, &reply, sizeof reply);
}

static void
file_write_data(struct client *c, struct imsg *imsg)
{
	struct msg_write_data	 msg;
	struct stream		*s;

	memcpy(&msg, imsg->data, sizeof msg);
	if ((s = file_find(c, msg.stream)) == NULL || s->reading)
		return;
	file_append(c, s, (char *)imsg->data + sizeof msg,
	    imsg->len - sizeof msg);
}

static void
file_write_close(struct client *c, struct imsg *imsg)
{
	struct msg_write_close	 msg;
	struct stream		*s;

	memcpy(&msg, imsg->data, sizeof msg);
	if ((s = file_find(c, msg.stream)) == NULL || s->reading)
		return;
	if (evbuffer_get_length(s->buf) == 0)
		file_free_stream(c, s);
	else
		s->closing = 1;
}

static void
file_read_done(struct client *c, struct stream *s, int error)
{
	struct msg_read_done	 msg;
	int64_t			 size;
	char			*buf;

	if (s->id == OLD_STDIN) {
		/* End of input is a record with size 0, or -1 for an error. */
		buf = xcalloc(1, c->stdio_size);
		size = error ? -1 : 0;
		memcpy(buf, &size, sizeof size);
		client_send(c, MSG_OLDSTDIN, buf, c->stdio_size);
		free(buf);
	} else {
		msg.stream = s->id;
		msg.error = error;
		client_send(c, MSG_READ_DONE, &msg, sizeof msg);
	}
	file_free_stream(c, s);
}

static void
file_read_cb(__unused int fd, __unused short events, void *arg)
{
	struct stream	*s = arg;
	struct client	*c = s->c;
	char		 buf[OLDSTDIO_HEADER + FILE_CHUNK];
	size_t		 room = FILE_CHUNK;
	ssize_t		 n;
	int64_t		 size;

	if (s->id == OLD_STDIN)
		room = c->stdio_size - OLDSTDIO_HEADER;
	n = read(s->fd, buf + OLDSTDIO_HEADER, room);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* tmux 3.3a reports a read error as a plain end of file. */
		file_read_done(c, s, n == -1 && s->id == OLD_STDIN);
		return;
	}
	if (s->id == OLD_STDIN) {
		size = n;
		memcpy(buf, &size, sizeof size);
		memset(buf + OLDSTDIO_HEADER + n, 0, room - n);
		client_send(c, MSG_OLDSTDIN, buf, c->stdio_size);
	} else {
		client_send2(c, MSG_READ, &s->id, sizeof s->id,
		    buf + OLDSTDIO_HEADER, n);
	}

	/* Let the server catch up before reading more. */
	if (c->ibuf->w.queued > FILE_HIGH_WATER) {
		event_del(&s->ev);
		s->ev_set = 0;
	}
}

/* The socket took our queued input: read the paused files again. */
void
file_socket_drained(struct client *c)
{
	struct stream	*s;

	if (c->ibuf->w.queued > FILE_LOW_WATER)
		return;
	TAILQ_FOREACH(s, &c->streams, entry) {
		if (s->reading && !s->ev_set) {
			event_add(&s->ev, NULL);
			s->ev_set = 1;
		}
	}
}

/* No reply if it opened: the data, or READ_DONE, is the answer. */
static void
file_read_open(struct client *c, struct imsg *imsg)
{
	struct msg_read_done	 reply;
	int			 fd;

	if ((fd = file_open(c, imsg, 1, &reply.stream)) != -1) {
		file_new(c, reply.stream, fd, 1);
		return;
	}
	reply.error = errno;
	client_send(c, MSG_READ_DONE, &reply, sizeof reply);
}

static void
file_read_cancel(struct client *c, struct imsg *imsg)
{
	struct msg_read_cancel	 msg;
	struct stream		*s;

	memcpy(&msg, imsg->data, sizeof msg);
	if ((s = file_find(c, msg.stream)) != NULL && s->reading)
		file_read_done(c, s, 0);
}

/* Old stdio output: a count, then the server's BUFSIZ bytes. */
static void
file_old_output(struct client *c, struct imsg *imsg, int id)
{
	struct stream	*s;
	int64_t		 size;
	int		 fd = (id == OLD_STDOUT) ? STDOUT_FILENO : STDERR_FILENO;

	memcpy(&size, imsg->data, sizeof size);
	if (size < 0 || (size_t)size > imsg->len - OLDSTDIO_HEADER) {
		client_bad(c, imsg);
		return;
	}
	if (c->stdio_size == 0)
		c->stdio_size = imsg->len;
	if ((s = file_find(c, id)) == NULL) {
		if ((fd = dup(fd)) == -1)
			return;
		s = file_new(c, id, fd, 0);
	}
	file_append(c, s, (char *)imsg->data + OLDSTDIO_HEADER, size);
}

/* An empty MSG_STDIN asks for our stdin in records of the server's size. */
static void
file_old_stdin(struct client *c, struct imsg *imsg)
{
	int	fd;

	if (imsg->len != 0 || file_find(c, OLD_STDIN) != NULL)
		return;
	if (c->stdio_size == 0 &&
	    (c->stdio_size = dialect_stdio_size(c)) <= OLDSTDIO_HEADER) {
		client_fail(c, "cannot learn the record size the server reads "
		    "stdin in");
		return;
	}
	if (c->std_closed[STDIN_FILENO])
		fd = open("/dev/null", O_RDONLY);
	else
		fd = dup(STDIN_FILENO);
	if (fd == -1)
		fatal("dup failed");
	file_new(c, OLD_STDIN, fd, 1);
}

/* Attached: the server reads the terminal itself from now on. */
void
file_attached(struct client *c)
{
	struct stream	*s;

	if ((s = file_find(c, OLD_STDIN)) != NULL)
		file_free_stream(c, s);
}

void
file_dispatch(struct client *c, struct imsg *imsg)
{
	switch (imsg->type) {
	case MSG_WRITE_OPEN:
		file_write_open(c, imsg);
		break;
	case MSG_WRITE:
		file_write_data(c, imsg);
		break;
	case MSG_WRITE_CLOSE:
		file_write_close(c, imsg);
		break;
	case MSG_READ_OPEN:
		file_read_open(c, imsg);
		break;
	case MSG_READ_CANCEL:
		file_read_cancel(c, imsg);
		break;
	case MSG_OLDSTDOUT:
		file_old_output(c, imsg, OLD_STDOUT);
		break;
	case MSG_OLDSTDERR:
		file_old_output(c, imsg, OLD_STDERR);
		break;
	case MSG_OLDSTDIN:
		file_old_stdin(c, imsg);
		break;
	}
}
