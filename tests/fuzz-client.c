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
 * A libFuzzer target ("make fuzz"): the client's own code (client.c's
 * conversation, peer.c, file.c, probe.c, dialect.c, imsg*.c) in this
 * process, on its own event loop, against a scripted server on a private
 * socket. The server is this file, on the same loop. Every run must end by
 * itself (the server closes when its script is done), free everything and
 * leave no descriptor open; a run that does not is reported, as are the
 * sanitizers' findings and fatal()'s exit.
 *
 * An input is
 *
 *	OPTIONS DATALEN REPEAT DATA[DATALEN] OP...
 *
 * OPTIONS pick the command line (fuzz_options). DATA, sent 1 + REPEAT * 32
 * times, is what the client reads on stdin and from any file the server
 * opens for reading. The ops are the scripts of the server's connections,
 * each ended by CLOSE, in the order in which the client first speaks on
 * them (a probe's before the conversation's). An op byte holds the op in
 * its low nibble, an argument in its high one:
 *
 *	0 FRAME	 arg 1: new header, 2: fd flag set, 4: fd passed, 8: an
 *		 extra byte follows (1: a peerid byte follows, 2: a u32
 *		 for the header's length field follows, 4: the fd passed is
 *		 a pipe, not /dev/null, 0xf0: more old-header flag bits);
 *		 then TYPE (below 0x80 an index in server_types, else a u16
 *		 type follows), LEN (255: a u16 follows) and the payload
 *	1 REPEAT the last frame (arg + 1) * (N + 1) more times
 *	2 YIELD	 let the loop turn arg + 1 times
 *	3 READ	 stop (arg even) or resume reading the client
 *	4 DRAIN	 stop (arg even) or resume draining its output
 *	5 SIGNAL raise signals[arg % 8], if this is the conversation
 *	6 RAW	 N bytes as they are
 *	7 WAIT	 until the client has sent a frame of type T (a u16; 0
 *		 is any) that no WAIT before took, for FUZZ_WAIT turns at
 *		 most
 *	8 CLOSE	 the end of this connection's script
 *	9-15	 as FRAME
 *
 * Numbers are little-endian; a missing byte reads as 0. When the client
 * closes a connection, the rest of its script is skipped.
 *
 * To look at a run: FUZZ_ECHO=1 copies what the client writes to stderr,
 * FUZZ_LOG=1 writes its log (as -v) in the current directory.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

#undef fork
#undef kill
#undef open

/* The longest WAIT, in turns of the loop. */
#define FUZZ_WAIT 64

/* What a run sends the client at most, repeats included. */
#define FUZZ_MAX_BYTES (4 * 1024 * 1024)
#define FUZZ_MAX_FRAMES 8192

/* Descriptors queued to pass, at most; more frames go without. */
#define FUZZ_MAX_FDS 64

/* Client message types that WAIT can name; 0 counts them all. */
#define FUZZ_TYPES 512

static const uint32_t server_types[] = {
	MSG_VERSION, MSG_DETACH, MSG_DETACHKILL, MSG_EXIT, MSG_EXITED,
	MSG_LOCK, MSG_READY, MSG_SHELL, MSG_SHUTDOWN, MSG_OLDSTDERR,
	MSG_OLDSTDIN, MSG_OLDSTDOUT, MSG_SUSPEND, MSG_EXEC, MSG_FLAGS,
	MSG_READ_OPEN, MSG_READ_DONE, MSG_WRITE_OPEN, MSG_WRITE,
	MSG_WRITE_CLOSE, MSG_READ_CANCEL, MSG_COMMAND, MSG_EXITING,
	MSG_RESIZE, MSG_UNLOCK, MSG_WAKEUP, MSG_READ, MSG_WRITE_READY
};

static const int signals[] = {
	SIGTERM, SIGHUP, SIGWINCH, SIGCONT, SIGCHLD, SIGINT, SIGUSR1, SIGUSR2
};

/*
 * During a run the client's handlers have these, behind ours that counts
 * them; one that we did not raise was meant for libFuzzer, and is raised
 * again after the run, when its handlers are back.
 */
static const int stop_signals[] = { SIGINT, SIGTERM };
static struct sigaction stop_client[nitems(stop_signals)];
static volatile sig_atomic_t stop_caught[nitems(stop_signals)];

/*
 * A connection the client made to us: we are its peer, with imsg.c. seen
 * counts its frames by type, taken those that WAITs took; wait_entry is
 * for one that spoke while another's script ran.
 */
struct conn {
	int			 fd;
	struct imsgbuf		 ibuf;		/* old header: reads both */
	u_int			 frames;	/* queued since it was empty */
	int			 nfds;		/* ... with a descriptor */
	struct event		 ev;
	short			 events;
	int			 reading;
	int			 spoke;		/* the client sent a byte */
	int			 gone;		/* ... and has closed */
	int			 done;		/* our script is over */
	int			 main;		/* not a probe */
	u_int			 seen[FUZZ_TYPES];
	u_int			 taken[FUZZ_TYPES];
	TAILQ_ENTRY(conn)	 entry;
	TAILQ_ENTRY(conn)	 wait_entry;
};

/* A pipe end we feed DATA into (for a reader) or drain (for a writer). */
struct pipe_end {
	int			 fd;
	int			 feed;
	size_t			 sent;
	struct event		 ev;
	int			 ev_set;
	TAILQ_ENTRY(pipe_end)	 entry;
};

/* One run. */
static struct fuzz {
	struct event_base	*base;
	const unsigned char	*p;		/* the next op */
	const unsigned char	*end;
	const unsigned char	*data;
	size_t			 datalen;
	size_t			 datatotal;	/* with repeats */

	struct event		 listen_ev;
	struct event		 tick;
	TAILQ_HEAD(, conn)	 conns;
	TAILQ_HEAD(, conn)	 waiting;
	struct conn		*owner;		/* whose script runs */
	int			 turns;		/* to YIELD or WAIT */
	int			 wait_type;	/* -1: none */
	int			 draining;

	unsigned char		*last;		/* the last frame, for REPEAT */
	size_t			 lastlen;
	int			 lastfd;	/* 1 /dev/null, 2 pipe */
	size_t			 bytes;
	u_int			 frames;

	TAILQ_HEAD(, pipe_end)	 pipes;

	int			 raised[nitems(stop_signals)];
} fz;

/* Set up once. */
static char		 fuzz_dir[] = "/tmp/fuzz-client.XXXXXX";
static char		 fuzz_socket[PATH_MAX];
static char		 fuzz_cwd[PATH_MAX];
static int		 fuzz_listen = -1;
static int		 fuzz_null = -1;
static int		 fuzz_report = -1;	/* libFuzzer's stderr */
static int		 fuzz_echo;
static unsigned long long fuzz_frames, fuzz_runs;	/* frames sent */

static void	fuzz_update(struct conn *);
static void	fuzz_schedule(void);

static u_int
get8(void)
{
	return (fz.p < fz.end ? *fz.p++ : 0);
}

static u_int
get16(void)
{
	u_int	v = get8();

	return (v | get8() << 8);
}

static uint32_t
get32(void)
{
	uint32_t	v = get16();

	return (v | (uint32_t)get16() << 16);
}

/* Give the client input: a pipe we fill with DATA, then close. */
static void
pipe_feed_cb(__unused int fd, __unused short events, void *arg)
{
	struct pipe_end	*pe = arg;
	size_t		 off;
	ssize_t		 n = 0;

	while (pe->sent < fz.datatotal) {
		off = pe->sent % fz.datalen;
		n = write(pe->fd, fz.data + off, fz.datalen - off);
		if (n <= 0)
			break;
		pe->sent += n;
	}
	if (pe->sent == fz.datatotal || (n == -1 && errno != EAGAIN)) {
		event_del(&pe->ev);
		pe->ev_set = 0;
		close(pe->fd);
		pe->fd = -1;
	}
}

/* Take what the client writes; stopped by DRAIN. Shown if FUZZ_ECHO. */
static void
pipe_drain_cb(__unused int fd, __unused short events, void *arg)
{
	struct pipe_end	*pe = arg;
	char		 buf[65536];
	ssize_t		 n;

	if ((n = read(pe->fd, buf, sizeof buf)) > 0 && fuzz_echo)
		write(fuzz_report, buf, n);
	if (n == 0) {
		event_del(&pe->ev);
		pe->ev_set = 0;
		close(pe->fd);
		pe->fd = -1;
	}
}

static void
pipe_update(struct pipe_end *pe)
{
	int	want = pe->fd != -1 && (pe->feed || fz.draining);

	if (want && !pe->ev_set)
		event_add(&pe->ev, NULL);
	else if (!want && pe->ev_set)
		event_del(&pe->ev);
	pe->ev_set = want;
}

/* DRAIN: stop or resume taking the client's output. */
static void
fuzz_drain(int on)
{
	struct pipe_end	*pe;

	fz.draining = on;
	TAILQ_FOREACH(pe, &fz.pipes, entry)
		pipe_update(pe);
}

/* A pipe for the client: returns its end, keeps ours. */
static int
pipe_new(int feed)
{
	struct pipe_end	*pe;
	int		 p[2];

	if (pipe2(p, O_CLOEXEC) != 0)
		return (-1);
	pe = xcalloc(1, sizeof *pe);
	pe->fd = p[feed ? 1 : 0];
	pe->feed = feed;
	fcntl(pe->fd, F_SETFL, O_NONBLOCK);
	event_assign(&pe->ev, fz.base, pe->fd, (feed ? EV_WRITE : EV_READ)|
	    EV_PERSIST, feed ? pipe_feed_cb : pipe_drain_cb, pe);
	TAILQ_INSERT_TAIL(&fz.pipes, pe, entry);
	if (feed && fz.datatotal == 0) {
		close(pe->fd);
		pe->fd = -1;
	}
	pipe_update(pe);
	return (p[feed ? 0 : 1]);
}

/*
 * The client's own opens: /dev/null, and the directories it passes to
 * old servers, are real. A file a server names never is: by the length
 * of its name it does not exist, is /dev/null, or is a pipe to or from
 * us, so that its reader or writer can be slow.
 */
int
fuzz_open(const char *path, int flags, ...)
{
	int	reading = (flags & O_ACCMODE) == O_RDONLY;

	if (strcmp(path, "/dev/null") == 0 || (reading &&
	    (strcmp(path, "/") == 0 || strcmp(path, fuzz_cwd) == 0)))
		return (open(path, flags, 0644));
	switch (strlen(path) % 4) {
	case 0:
		errno = ENOENT;
		return (-1);
	case 1:
		return (open("/dev/null", flags & (O_ACCMODE|O_NONBLOCK)));
	}
	return (pipe_new(reading));
}

/* The lock command: as if the system had no process to spare. */
pid_t
fuzz_fork(void)
{
	errno = EAGAIN;
	return (-1);
}

/* Nobody is signalled; a suspend is resumed at once. */
int
fuzz_kill(pid_t pid, int sig)
{
	if (pid == getpid() && sig == SIGTSTP)
		raise(SIGCONT);
	return (0);
}

static void
conn_queue(struct conn *cn, const void *data, size_t len, int fd, int frame)
{
	struct ibuf	*b;

	if ((b = ibuf_alloc(len)) == NULL)
		abort();
	memcpy(b->buf, data, len);
	b->fd = fd;
	msgbuf_enqueue(&cn->ibuf.w, b);
	fz.bytes += len;
	fz.frames += frame;
	cn->frames += frame;
	cn->nfds += fd != -1;
}

/* A descriptor to pass: /dev/null or the read end of a closed pipe. */
static int
fuzz_passfd(int kind)
{
	int	p[2];

	if (kind == 1)
		return (open("/dev/null", O_RDWR|O_CLOEXEC));
	if (pipe2(p, O_CLOEXEC) != 0)
		return (-1);
	close(p[1]);
	return (p[0]);
}

/* Queue the last frame (again). */
static void
fuzz_resend(struct conn *cn)
{
	int	fd = -1;

	if (fz.last == NULL || fz.bytes > FUZZ_MAX_BYTES ||
	    fz.frames >= FUZZ_MAX_FRAMES)
		return;
	if (fz.lastfd != 0 && cn->nfds < FUZZ_MAX_FDS)
		fd = fuzz_passfd(fz.lastfd);
	conn_queue(cn, fz.last, fz.lastlen, fd, 1);
}

/* Decode a FRAME; queue it unless skipping. */
static void
op_frame(struct conn *cn, u_int arg)
{
	unsigned char	*b;
	uint32_t	 type, peerid = PROTOCOL_VERSION, pid = UINT32_MAX;
	uint32_t	 field = 0, v32;
	uint16_t	 v16, flags;
	u_int		 x = 0, t;
	size_t		 len;

	if (arg & 8)
		x = get8();
	if (x & 1)
		peerid = get8();
	if (x & 2)
		field = get32();
	t = get8();
	type = t < 0x80 ? server_types[t % nitems(server_types)] : get16();
	if ((len = get8()) == 255)
		len = get16();
	if (len > (size_t)(fz.end - fz.p))
		len = fz.end - fz.p;
	if (cn == NULL) {
		fz.p += len;
		return;
	}
	if (~x & 2)
		field = IMSG_HEADER_SIZE + len;

	b = xmalloc(IMSG_HEADER_SIZE + len);
	memcpy(b, &type, 4);
	if (arg & 1) {
		v32 = field;
		if (arg & 2)
			v32 |= 0x80000000U;
		memcpy(b + 4, &v32, 4);
	} else {
		v16 = field;
		flags = ((arg & 2) ? 1 : 0) | (x & 0xf0) >> 3;
		memcpy(b + 4, &v16, 2);
		memcpy(b + 6, &flags, 2);
	}
	memcpy(b + 8, &peerid, 4);
	memcpy(b + 12, &pid, 4);
	memcpy(b + IMSG_HEADER_SIZE, fz.p, len);
	fz.p += len;

	free(fz.last);
	fz.last = b;
	fz.lastlen = IMSG_HEADER_SIZE + len;
	fz.lastfd = (arg & 4) ? ((x & 4) ? 2 : 1) : 0;
	fuzz_resend(cn);
}

/* SIGNAL: counted, so that one from outside can be told apart. */
static void
fuzz_raise(int sig)
{
	u_int	i;

	for (i = 0; i < nitems(stop_signals); i++) {
		if (stop_signals[i] == sig)
			fz.raised[i]++;
	}
	raise(sig);
}

/* Decode the next op and, unless skipping (cn NULL), do it. */
static u_int
fuzz_op(struct conn *cn)
{
	u_int	o = get8(), arg = o >> 4, n;

	switch (o & 0xf) {
	case 1:
		n = (arg + 1) * (get8() + 1);
		while (cn != NULL && n-- > 0 && fz.bytes <= FUZZ_MAX_BYTES &&
		    fz.frames < FUZZ_MAX_FRAMES)
			fuzz_resend(cn);
		break;
	case 2:
		if (cn != NULL)
			fz.turns = arg + 1;
		break;
	case 3:
		if (cn != NULL)
			cn->reading = arg & 1;
		break;
	case 4:
		if (cn != NULL)
			fuzz_drain(arg & 1);
		break;
	case 5:
		if (cn != NULL && cn->main)
			fuzz_raise(signals[arg % nitems(signals)]);
		break;
	case 6:
		if ((n = get8()) > (size_t)(fz.end - fz.p))
			n = fz.end - fz.p;
		if (cn != NULL && n != 0)
			conn_queue(cn, fz.p, n, -1, 0);
		fz.p += n;
		break;
	case 7:
		n = get16();
		if (cn == NULL)
			break;
		fz.wait_type = n < FUZZ_TYPES ? n : 0;
		fz.turns = FUZZ_WAIT;
		break;
	case 8:
		break;
	default:
		op_frame(cn, arg);
		break;
	}
	return (o & 0xf);
}

static void
fuzz_schedule(void)
{
	struct timeval	tv = { 0, 0 };

	evtimer_add(&fz.tick, &tv);
}

/* The owner's script is over: the next connection that spoke goes on. */
static void
fuzz_script_end(struct conn *cn)
{
	cn->done = 1;
	fuzz_drain(1);
	fz.turns = 0;
	if ((fz.owner = TAILQ_FIRST(&fz.waiting)) != NULL)
		TAILQ_REMOVE(&fz.waiting, fz.owner, wait_entry);
	fuzz_update(cn);
}

/* Run the owner's script until it must wait. */
static void
fuzz_tick_cb(__unused int fd, __unused short events, __unused void *arg)
{
	struct conn	*cn;

	while ((cn = fz.owner) != NULL) {
		if (fz.wait_type != -1 && cn->seen[fz.wait_type] >
		    cn->taken[fz.wait_type]) {
			cn->taken[fz.wait_type]++;
			fz.turns = 0;
		}
		if (fz.turns > 0 && !cn->gone) {
			fz.turns--;
			fuzz_schedule();
			return;
		}
		fz.turns = 0;
		fz.wait_type = -1;
		if (cn->gone) {
			while (fz.p < fz.end && fuzz_op(NULL) != 8)
				;
			fuzz_script_end(cn);
		} else if (fz.p == fz.end || fuzz_op(cn) == 8)
			fuzz_script_end(cn);
		else
			fuzz_update(cn);
	}
}

static void
conn_free(struct conn *cn)
{
	if (cn->events != 0)
		event_del(&cn->ev);
	imsg_clear(&cn->ibuf);
	close(cn->fd);
	TAILQ_REMOVE(&fz.conns, cn, entry);
	free(cn);
}

/* What the client sent: count its frames by type, find its command. */
static void
conn_read(struct conn *cn)
{
	struct imsg	imsg;
	ssize_t		n;
	int		r;

	if ((n = imsg_read(&cn->ibuf)) == -1 && errno == EAGAIN)
		return;
	if (n <= 0) {
		cn->gone = 1;
		return;
	}
	while ((r = imsg_get(&cn->ibuf, &imsg)) == 1) {
		if (imsg.fd != -1)
			close(imsg.fd);
		if (imsg.type < FUZZ_TYPES && imsg.type != 0)
			cn->seen[imsg.type]++;
		cn->seen[0]++;
		if ((imsg.type == MSG_COMMAND && (imsg.len == 0 ||
		    memmem(imsg.data, imsg.len, "#{version}", 10) == NULL)) ||
		    imsg.type == MSG_SHELL)
			cn->main = 1;
	}
	if (r == -1)
		cn->ibuf.rlen = cn->ibuf.roff = 0;
	if (!cn->spoke) {
		cn->spoke = 1;
		if (fz.owner == NULL) {
			fz.owner = cn;
			fuzz_schedule();
		} else
			TAILQ_INSERT_TAIL(&fz.waiting, cn, wait_entry);
	}
}

/* Frames are counted once all that was queued has gone. */
static void
conn_write(struct conn *cn)
{
	switch (imsg_write(&cn->ibuf)) {
	case -1:
		cn->gone = 1;
		break;
	case 1:
		fuzz_frames += cn->frames;
		cn->frames = 0;
		cn->nfds = 0;
		break;
	}
}

static void
conn_cb(__unused int fd, short events, void *arg)
{
	struct conn	*cn = arg;

	if (events & EV_READ)
		conn_read(cn);
	if ((events & EV_WRITE) && !cn->gone)
		conn_write(cn);
	if (cn->gone && fz.owner == cn)
		fuzz_schedule();
	fuzz_update(cn);
}

/* The events a connection needs now; close it once it is finished. */
static void
fuzz_update(struct conn *cn)
{
	short	events = 0;

	if (cn->gone)
		msgbuf_clear(&cn->ibuf.w);
	if ((cn->done && cn->ibuf.w.queued == 0) || (cn->gone && !cn->spoke)) {
		conn_free(cn);
		return;
	}
	if (cn->reading && !cn->gone)
		events |= EV_READ;
	if (cn->ibuf.w.queued != 0)
		events |= EV_WRITE;
	if (events == cn->events)
		return;
	if (cn->events != 0)
		event_del(&cn->ev);
	cn->events = events;
	if (events != 0) {
		event_assign(&cn->ev, fz.base, cn->fd, events|EV_PERSIST,
		    conn_cb, cn);
		event_add(&cn->ev, NULL);
	}
}

static void
fuzz_accept_cb(__unused int fd, __unused short events, __unused void *arg)
{
	struct conn	*cn;
	int		 s;

	if ((s = accept4(fuzz_listen, NULL, NULL,
	    SOCK_NONBLOCK|SOCK_CLOEXEC)) == -1)
		return;
	cn = xcalloc(1, sizeof *cn);
	cn->fd = s;
	imsg_init(&cn->ibuf, s, IMSG_OLD, PROTOCOL_VERSION);
	cn->reading = 1;
	TAILQ_INSERT_TAIL(&fz.conns, cn, entry);
	fuzz_update(cn);
}

static void
fuzz_stop_handler(int sig)
{
	u_int	i;

	for (i = 0; i < nitems(stop_signals); i++) {
		if (stop_signals[i] == sig) {
			stop_caught[i]++;
			stop_client[i].sa_handler(sig);
		}
	}
}

/* Put ours in front of the client's handlers, or take it away. */
static void
fuzz_stop_signals(int on)
{
	struct sigaction	sa;
	u_int			i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = fuzz_stop_handler;
	for (i = 0; i < nitems(stop_signals); i++) {
		if (on) {
			stop_caught[i] = 0;
			sigaction(stop_signals[i], &sa, &stop_client[i]);
		} else
			sigaction(stop_signals[i], &stop_client[i], NULL);
	}
}

/* Open descriptors, to see that a run leaves none behind. */
static int
fuzz_fds(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return (n);
}

/* Our stdio for the run: a pipe for each, fed or drained by us. */
static void
fuzz_stdio(void)
{
	int	fd, i;

	for (i = 0; i < 3; i++) {
		if ((fd = pipe_new(i == STDIN_FILENO)) == -1)
			abort();
		if (dup2(fd, i) == -1)
			abort();
		close(fd);
	}
}

/*
 * The command line, from the options byte: bits 0-1 the command, 2 -C,
 * 3 -CC, 4 -c, 5 -2, 6 CLIENT_CONTROL_WAITEXIT, 7 -l. A command that uses
 * stdin or the working directory, -C and -2 make the client probe first.
 */
static void
fuzz_options(struct options *opt, u_int bits)
{
	static char	*display[] = { "display", "-p", "x", NULL };
	static char	*loadbuf[] = { "load-buffer", "-", NULL };
	static char	*newwindow[] = { "new-window", "-d", NULL };
	static char	*attach[] = { "attach", NULL };
	static char	**argvs[] = { display, loadbuf, newwindow, attach };
	static int	 argcs[] = { 3, 2, 2, 1 };
	static const char *two[] = { "256" };

	memset(opt, 0, sizeof *opt);
	opt->socket_path = fuzz_socket;
	opt->flags = CLIENT_UTF8;
	if (bits & 0x4)
		opt->flags |= CLIENT_CONTROL;
	if ((bits & 0xc) == 0xc)
		opt->flags |= CLIENT_CONTROLCONTROL;
	if (bits & 0x40)
		opt->flags |= CLIENT_CONTROL_WAITEXIT;
	if (bits & 0x80)
		opt->flags |= CLIENT_LOGIN;
	if (bits & 0x20) {
		opt->features = two;
		opt->nfeatures = 1;
	}
	if (bits & 0x10) {
		opt->shell_command = "true";
		opt->cmd_flags = CMD_STARTSERVER|CMD_CWD;
		return;
	}
	opt->argc = argcs[bits & 3];
	opt->argv = argvs[bits & 3];
	opt->cmd_flags = cmd_flags(opt->argc, opt->argv);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options		 opt;
	struct client		*c;
	struct conn		*cn;
	struct pipe_end		*pe;
	char			 buf[4096];
	ssize_t			 n;
	int			 nfds = fuzz_fds(), s, i;
	u_int			 rep;

	memset(&fz, 0, sizeof fz);
	fz.p = data;
	fz.end = data + size;
	fuzz_options(&opt, get8());
	fz.datalen = get8();
	rep = get8();
	if (fz.datalen > (size_t)(fz.end - fz.p))
		fz.datalen = fz.end - fz.p;
	fz.data = fz.p;
	fz.datatotal = fz.datalen * (1 + rep * 32);
	fz.p += fz.datalen;
	fz.wait_type = -1;
	fz.draining = 1;
	TAILQ_INIT(&fz.conns);
	TAILQ_INIT(&fz.waiting);
	TAILQ_INIT(&fz.pipes);

	/* Not client_main, which would exec: its parts, on our loop. */
	if ((fz.base = compat_event_base()) == NULL)
		abort();
	event_assign(&fz.listen_ev, fz.base, fuzz_listen, EV_READ|EV_PERSIST,
	    fuzz_accept_cb, NULL);
	event_add(&fz.listen_ev, NULL);
	evtimer_assign(&fz.tick, fz.base, fuzz_tick_cb, NULL);
	fuzz_stdio();

	c = client_new(fz.base, &opt);
	fuzz_stop_signals(1);
	client_run(c);
	client_free(c);
	fuzz_stop_signals(0);
	fuzz_runs++;

	/* Whatever the client left, then what we had. */
	while ((s = accept(fuzz_listen, NULL, NULL)) != -1)
		close(s);
	while ((cn = TAILQ_FIRST(&fz.conns)) != NULL)
		conn_free(cn);
	for (i = 0; i < 3; i++)
		dup2(fuzz_null, i);
	while ((pe = TAILQ_FIRST(&fz.pipes)) != NULL) {
		TAILQ_REMOVE(&fz.pipes, pe, entry);
		if (pe->ev_set)
			event_del(&pe->ev);
		while (fuzz_echo && !pe->feed && pe->fd != -1 &&
		    (n = read(pe->fd, buf, sizeof buf)) > 0)
			write(fuzz_report, buf, n);
		if (pe->fd != -1)
			close(pe->fd);
		free(pe);
	}
	event_del(&fz.listen_ev);
	evtimer_del(&fz.tick);
	event_base_free(fz.base);
	free(fz.last);
	for (i = 0; i < (int)nitems(stop_signals); i++) {
		if (stop_caught[i] > fz.raised[i])
			raise(stop_signals[i]);
	}

	if (fuzz_fds() != nfds) {
		dprintf(fuzz_report, "fuzz-client: %d descriptors open after "
		    "the run, %d before\n", fuzz_fds(), nfds);
		abort();
	}
	return (0);
}

static void
fuzz_atexit(void)
{
	dprintf(fuzz_report, "fuzz-client: %llu frames sent in %llu runs\n",
	    fuzz_frames, fuzz_runs);
	unlink(fuzz_socket);
	rmdir(fuzz_dir);
}

/*
 * Once: a private socket to serve on, and libFuzzer's output off fds 1
 * and 2 (-close_fd_mask=3, added last so that it wins), which are the
 * client's during a run.
 */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char		**args;
	struct sockaddr_un	  sa;
	int			  i;

	args = xcalloc(*argc + 2, sizeof *args);
	for (i = 0; i < *argc; i++)
		args[i] = (*argv)[i];
	args[i] = "-close_fd_mask=3";
	*argc += 1;
	*argv = args;

	if ((fuzz_report = dup(STDERR_FILENO)) == -1 ||
	    (fuzz_null = open("/dev/null", O_RDWR|O_CLOEXEC)) == -1 ||
	    getcwd(fuzz_cwd, sizeof fuzz_cwd) == NULL ||
	    mkdtemp(fuzz_dir) == NULL)
		abort();
	fcntl(fuzz_report, F_SETFD, FD_CLOEXEC);
	fuzz_echo = getenv("FUZZ_ECHO") != NULL;
	if (getenv("FUZZ_LOG") != NULL)
		log_open(1, "client");
	snprintf(fuzz_socket, sizeof fuzz_socket, "%s/s", fuzz_dir);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(fuzz_socket) >= sizeof sa.sun_path)
		abort();
	strcpy(sa.sun_path, fuzz_socket);
	if ((fuzz_listen = socket(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|
	    SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fuzz_listen, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(fuzz_listen, 16) != 0)
		abort();
	atexit(fuzz_atexit);
	return (0);
}
