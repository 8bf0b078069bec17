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
 * The conversation: find the server (starting one if we may), learn its
 * dialect, identify, send the command, then follow the server until it
 * lets us go. Frames before MSG_READY go to the wait-state handler, after
 * it to the attached-state handler. Everything happens in one event loop
 * and every state of it obeys SIGTERM and SIGHUP.
 */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tmux.h"

extern char	**environ;

/* After SIGTERM or SIGHUP, how long an attached client waits to be let go. */
#define CLIENT_EXIT_WAIT_MS 500

/* How long the last words may wait for a stuck output. */
#define CLIENT_PRINT_WAIT_MS 1000

/*
 * After SIGTERM or SIGHUP, by when the client is gone, however stuck its
 * outputs: the exit wait and every last word share it.
 */
#define CLIENT_SIGNAL_WAIT_MS 750

/* tmux's client has this much for its exit text, and dies past it. */
#define CLIENT_EXIT_TEXT_MAX 256

enum client_phase {
	PHASE_CONNECT,		/* connecting; starting or probing a server */
	PHASE_WAIT,		/* talking, before MSG_READY */
	PHASE_ATTACHED,		/* after MSG_READY */
	PHASE_WAITEXIT		/* control mode: waiting for an empty line */
};

enum exit_reason {
	EXIT_NONE,
	EXIT_DETACHED,
	EXIT_DETACHED_HUP,
	EXIT_LOST_TTY,
	EXIT_TERMINATED,
	EXIT_LOST_SERVER,
	EXIT_EXITED,
	EXIT_SERVER_EXITED,
	EXIT_MESSAGE_PROVIDED
};

struct client {
	struct event_base	*base;
	const struct options	*opt;
	enum client_phase	 phase;
	uint64_t		 flags;		/* as the server last set it */

	/* The server. */
	const struct dialect	*dialect;
	int			 fd;		/* connected, not talking yet */
	struct peer		*peer;
	struct dial		 dial;
	struct files		*files;

	/* How it ends. */
	int			 exiting;	/* EXIT or EXITED: draining */
	int			 stopped;	/* leave the loop */
	int			 printed;	/* control mode's %exit went */
	enum exit_reason	 reason;
	int			 exit_type;
	char			*detached;	/* "detached (from ...)" */
	char			*exit_message;
	int			 retval;
	int			 suspended;
	pid_t			 lock_pid;	/* the lock command runs */
	char			*exec_command;
	char			*exec_shell;
	struct event		 exit_timer;
	long long		 deadline;	/* after a signal, in ms */

	/* The terminal. */
	int			 terminal_set;
	int			 terminfo_done;
	char			*terminfo_cause; /* why TERM is unusable */
	char			**caps;
	u_int			 ncaps;
	struct termios		 saved_tio;
	int			 tio_saved;	/* stdin was a terminal */
	int			 cc_raw;	/* -CC changed the terminal */
	int			 tty_ended;	/* the server put it back */

	/* Control mode's wait for an empty line. */
	struct event		 ev_stdin;
	size_t			 linelen;
};

static void	client_stop(struct client *);
static void	client_talk(struct client *);
static void	client_dispatch(struct imsg *, void *);
static void	client_lost(int, void *);

/* The monotonic clock, in milliseconds. */
static long long
client_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1000LL + ts.tv_nsec / 1000000);
}

/*
 * Write the last words, waiting a little if the descriptor is full but
 * never for ever: a reader that has stopped must not keep us, nor make us
 * miss the deadline of a signal. The descriptor's mode is put back as it
 * was.
 */
static void printflike(3, 4)
client_print(struct client *c, int fd, const char *fmt, ...)
{
	struct pollfd	 pfd;
	va_list		 ap;
	char		*s;
	size_t		 len, done = 0;
	ssize_t		 n;
	int		 mode, ready;
	long long	 end, left;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	len = strlen(s);
	if ((mode = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, mode|O_NONBLOCK);
	/* From one start, so that no run of signals stretches the wait. */
	end = client_now() + CLIENT_PRINT_WAIT_MS;
	if (c->deadline != 0 && c->deadline < end)
		end = c->deadline;
	while (done < len) {
		n = write(fd, s + done, len - done);
		if (n > 0) {
			done += n;
			continue;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			break;
		if ((left = end - client_now()) <= 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		ready = poll(&pfd, 1, (int)left);
		if (ready == 0 || (ready == -1 && errno != EINTR))
			break;
	}
	if (mode != -1)
		fcntl(fd, F_SETFL, mode);
	free(s);
}

/* Give up before talking: say why on stderr. */
static void printflike(3, 4)
client_error(struct client *c, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	client_print(c, STDERR_FILENO, "%s\n", s);
	free(s);
	c->retval = status;
	client_stop(c);
}

/* Give up while talking, saying why where tmux prints its exit reason. */
static void printflike(2, 3)
client_fail(struct client *c, const char *fmt, ...)
{
	va_list	ap;

	free(c->exit_message);
	va_start(ap, fmt);
	xvasprintf(&c->exit_message, fmt, ap);
	va_end(ap);
	c->reason = EXIT_MESSAGE_PROVIDED;
	c->retval = 1;
	client_stop(c);
}

static void
client_connect_error(struct client *c, int error)
{
	if (error == ECONNREFUSED)
		client_error(c, 1, "no server running on %s",
		    c->opt->socket_path);
	else {
		client_error(c, 1, "error connecting to %s (%s)",
		    c->opt->socket_path, strerror(error));
	}
}

static void
client_send(struct client *c, int type, const void *data, size_t len)
{
	peer_send(c->peer, type, data, len);
}

/* doc/protocol.md 5.3: $PWD if it is the same directory, else getcwd. */
static const char *
client_cwd(void)
{
	static char	 cwd[PATH_MAX];
	char		 r1[PATH_MAX], r2[PATH_MAX];
	const char	*pwd, *home;
	struct passwd	*pw;

	if (getcwd(cwd, sizeof cwd) != NULL) {
		pwd = getenv("PWD");
		if (pwd != NULL && *pwd != '\0' &&
		    realpath(pwd, r1) != NULL && realpath(cwd, r2) != NULL &&
		    strcmp(r1, r2) == 0)
			return (pwd);
		return (cwd);
	}
	if ((home = getenv("HOME")) != NULL && *home != '\0')
		return (home);
	if ((pw = getpwuid(getuid())) != NULL)
		return (pw->pw_dir);
	return ("/");
}

/*
 * A string as TYPE: as long as it is, or in a structure of SIZE bytes
 * (protocol 7). tmux silently drops a string that cannot fit.
 */
static void
client_send_string(struct client *c, int type, const char *s, size_t size)
{
	size_t	 len = strlen(s) + 1;
	char	*buf;

	if (size == 0 && len <= MAX_PAYLOAD)
		client_send(c, type, s, len);
	else if (size != 0 && len <= size) {
		buf = xcalloc(1, size);
		memcpy(buf, s, len);
		client_send(c, type, buf, size);
		free(buf);
	}
}

/* Our environment, each variable as TYPE (in SIZE bytes if not 0). */
static void
client_send_environ(struct client *c, int type, size_t size)
{
	static const char	  noepoll[] = "EVENT_NOEPOLL=";
	char			**ss;

	for (ss = environ; *ss != NULL; ss++) {
		/* tmux's client has removed this while starting libevent. */
		if (strncmp(*ss, noepoll, sizeof noepoll - 1) != 0)
			client_send_string(c, type, *ss, size);
	}
}

/* The client flags the identify says, -2 included. */
static uint64_t
client_identify_flags(struct client *c)
{
	const struct dialect	*d = c->dialect;

	/* Before 3.2, -2 is a flag bit; from 3.2 it is a feature. */
	if (dialect_features(d, c->opt) & 1)
		return (c->flags | d->flag256);
	return (c->flags);
}

static const char *
client_term(void)
{
	const char	*term;

	if ((term = getenv("TERM")) == NULL)
		return ("");
	return (term);
}

/*
 * Protocol 7: the environment for the commands that read it, then one
 * structure that must carry a descriptor: stdin as tmux's client passes
 * it (the server keeps a terminal, closes anything else), or /dev/null.
 */
static int
client_identify_struct(struct client *c)
{
	struct msg7_identify	 id;
	const char		*cwd, *term = client_term();
	int			 fd;

	/* The descriptor first, so that nothing goes if there is none. */
	if (!c->opt->std_closed[STDIN_FILENO])
		fd = dup(STDIN_FILENO);
	else
		fd = open("/dev/null", O_RDONLY|O_CLOEXEC);
	if (fd == -1)
		return (-1);
	if (c->opt->cmd_flags & CMD_ENVIRON) {
		client_send_environ(c, MSG_IDENTIFY_ENVIRON,
		    sizeof(struct msg7_environ));
	}
	memset(&id, 0, sizeof id);
	cwd = client_cwd();
	if (strlen(cwd) < sizeof id.cwd)
		strcpy(id.cwd, cwd);
	if (strlen(term) < sizeof id.term)
		strcpy(id.term, term);
	id.flags = dialect_identify_flags(c->dialect,
	    client_identify_flags(c));
	peer_send_fd(c->peer, MSG_IDENTIFY_STRUCT, fd, &id, sizeof id);
	return (0);
}

/* The identify sequence, with what this server's dialect takes. */
static int
client_identify(struct client *c)
{
	const struct dialect	*d = c->dialect;
	const int		*closed = c->opt->std_closed;
	const char		*tty, *cwd;
	uint64_t		 flags = client_identify_flags(c);
	int			 id = d->identify, flags32, feat, error;
	int			 cwdfd = -1, infd = -1, outfd = -1;
	pid_t			 pid;
	u_int			 i;

	if (id & ID_STRUCTS)
		return (client_identify_struct(c));
	if ((tty = ttyname(STDIN_FILENO)) == NULL)
		tty = "";
	cwd = client_cwd();

	/*
	 * Every descriptor before any message: a server can die of an
	 * identify left unfinished (3.3a's, for a control client). A closed
	 * stdin is never passed, but a control client's is: our placeholder
	 * is /dev/null, so the server sees the end of its input at once,
	 * where tmux's client would wait for ever.
	 */
	if ((id & ID_OLDCWD_FD) &&
	    (cwdfd = open(cwd, O_RDONLY|O_CLOEXEC)) == -1 &&
	    (cwdfd = open("/", O_RDONLY|O_CLOEXEC)) == -1)
		goto fail;
	if ((id & ID_STDIN_FD) &&
	    (!closed[STDIN_FILENO] || (c->flags & CLIENT_CONTROL)) &&
	    (infd = dup(STDIN_FILENO)) == -1)
		goto fail;
	if ((id & ID_STDOUT_FD) && !closed[STDOUT_FILENO] &&
	    (outfd = dup(STDOUT_FILENO)) == -1)
		goto fail;

	if (id & ID_PROBE)
		peer_mark_probe(c->peer);
	flags32 = dialect_identify_flags(d, flags);
	client_send(c, MSG_IDENTIFY_FLAGS, &flags32, sizeof flags32);
	if (id & ID_LONGFLAGS) {
		flags &= d->flagmask;
		client_send(c, MSG_IDENTIFY_LONGFLAGS, &flags, sizeof flags);
	}
	client_send_string(c, MSG_IDENTIFY_TERM, client_term(), 0);
	if (id & ID_FEATURES) {
		feat = dialect_features(d, c->opt);
		client_send(c, MSG_IDENTIFY_FEATURES, &feat, sizeof feat);
	}
	client_send_string(c, MSG_IDENTIFY_TTYNAME, tty, 0);
	if (id & (ID_OLDCWD|ID_OLDCWD_FD))
		peer_send_fd(c->peer, MSG_IDENTIFY_OLDCWD, cwdfd, NULL, 0);
	if (id & ID_CWD)
		client_send_string(c, MSG_IDENTIFY_CWD, cwd, 0);
	if (id & ID_TERMINFO) {
		for (i = 0; i < c->ncaps; i++)
			client_send_string(c, MSG_IDENTIFY_TERMINFO,
			    c->caps[i], 0);
	}
	/*
	 * The first descriptor: a 1.7 or 1.8 server answers our first
	 * message by refusing us, and keeps a descriptor that came in the
	 * same read; so it waits until the server has read what is above.
	 */
	if (id & ID_FENCE)
		peer_fence(c->peer);
	peer_send_fd(c->peer, MSG_IDENTIFY_STDIN, infd, NULL, 0);
	if (id & ID_STDOUT)
		peer_send_fd(c->peer, MSG_IDENTIFY_STDOUT, outfd, NULL, 0);
	if (id & ID_CLIENTPID) {
		pid = getpid();
		client_send(c, MSG_IDENTIFY_CLIENTPID, &pid, sizeof pid);
	}
	client_send_environ(c, MSG_IDENTIFY_ENVIRON, 0);
	client_send(c, MSG_IDENTIFY_DONE, NULL, 0);
	return (0);

fail:
	error = errno;
	if (cwdfd != -1)
		close(cwdfd);
	if (infd != -1)
		close(infd);
	errno = error;
	return (-1);
}

/*
 * The payload of MSG_COMMAND, with tmux's size limits, made before the
 * server is sent anything: 3.3a's server dies when a control client
 * leaves between its identify and its command. None for -c's MSG_SHELL.
 */
static int
client_command(struct client *c, void **buf, size_t *len)
{
	const struct options	*opt = c->opt;
	const char		*cause;

	*buf = NULL;
	*len = 0;
	if (opt->shell_command != NULL)
		return (0);
	cause = dialect_command(c->dialect, opt->argc, opt->argv, buf, len);
	if (cause != NULL) {
		client_error(c, 1, "%s", cause);
		return (-1);
	}
	return (0);
}

/* Servers before 2.1 leave it to the client to refuse nesting. */
static int
client_nested(struct client *c)
{
	if (!dialect_nested(c->dialect, c->opt))
		return (0);
	client_error(c, 1, "sessions should be nested with care, unset $TMUX "
	    "to force");
	return (-1);
}

/* -CC: tmux's raw settings on the terminal, saved to restore at exit. */
static int
client_control_raw(struct client *c)
{
	struct termios	tio;

	if (tcgetattr(STDIN_FILENO, &c->saved_tio) != 0) {
		client_error(c, 1, "tcgetattr failed: %s", strerror(errno));
		return (-1);
	}
	/* tmux's settings; the rest zero, not left as tmux leaves it. */
	memset(&tio, 0, sizeof tio);
	tio.c_iflag = ICRNL|IXANY;
	tio.c_oflag = OPOST|ONLCR;
	tio.c_lflag = 0;
	tio.c_cflag = CREAD|CS8|HUPCL;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, cfgetispeed(&c->saved_tio));
	cfsetospeed(&tio, cfgetospeed(&c->saved_tio));
	tcsetattr(STDIN_FILENO, TCSANOW, &tio);
	c->cc_raw = 1;
	return (0);
}

/*
 * The terminal's capabilities, read once, for a terminal on stdin: 0, or
 * -1 with terminfo_cause saying why TERM cannot be used.
 */
static int
client_terminfo(struct client *c)
{
	const char	*term = getenv("TERM");

	if (!c->terminfo_done) {
		c->terminfo_done = 1;
		if (isatty(STDIN_FILENO) && term != NULL && *term != '\0')
			terminfo_read(term, &c->caps, &c->ncaps,
			    &c->terminfo_cause);
	}
	return (c->terminfo_cause != NULL ? -1 : 0);
}

/*
 * Once, before the first identify: terminfo, if this server takes it (as
 * tmux's client, an unusable TERM is then an error), and the terminal's
 * state.
 */
static int
client_terminal(struct client *c)
{
	if (c->terminal_set)
		return (0);
	c->terminal_set = 1;
	if ((c->dialect->identify & ID_TERMINFO) && client_terminfo(c) != 0) {
		client_error(c, 1, "%s", c->terminfo_cause);
		return (-1);
	}
	/* Fails but on a terminal. */
	if (tcgetattr(STDIN_FILENO, &c->saved_tio) == 0)
		c->tio_saved = 1;
	if ((c->flags & CLIENT_CONTROLCONTROL) && client_control_raw(c) != 0)
		return (-1);
	return (0);
}

static void
client_peer_drained(void *arg)
{
	struct client	*c = arg;

	files_socket_drained(c->files);
}

/* Begin the conversation on the connection we have. */
static void
client_talk(struct client *c)
{
	void	*cmd;
	size_t	 len;

	log_debug("flags are %#llx, dialect %s", (unsigned long long)c->flags,
	    c->dialect->name);
	if (client_nested(c) != 0 || client_terminal(c) != 0 ||
	    client_command(c, &cmd, &len) != 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	c->peer = peer_new(c->base, c->fd, c->dialect, client_dispatch,
	    client_lost, c);
	c->fd = -1;
	peer_set_drained(c->peer, client_peer_drained);
	files_set_peer(c->files, c->peer);
	if (client_identify(c) != 0) {
		client_error(c, 1, "cannot pass a descriptor (%s)",
		    strerror(errno));
		free(cmd);
		return;
	}
	if (c->opt->shell_command != NULL)
		client_send(c, MSG_SHELL, NULL, 0);
	else
		client_send(c, MSG_COMMAND, cmd, len);
	free(cmd);
	c->phase = PHASE_WAIT;
}

/* Connected again, the server having refused the layout we guessed. */
static void
client_redialed(int fd, int error, void *arg)
{
	struct client	*c = arg;

	if (fd == -1) {
		log_debug("connecting again: %s", strerror(error));
		c->reason = EXIT_LOST_SERVER;
		c->retval = 1;
		client_stop(c);
		return;
	}
	c->fd = fd;
	client_talk(c);
}

/* Let go of the connection. */
static void
client_drop(struct client *c)
{
	peer_free(c->peer);
	c->peer = NULL;
	files_set_peer(c->files, NULL);
}

/* Talk to the server again on a new connection, speaking D. */
static void
client_redial(struct client *c, const struct dialect *d, const char *why)
{
	c->dialect = d;
	log_debug("%s, now %s", why, d->name);
	peer_dial(&c->dial, c->base, c->opt->socket_path, 1, client_redialed,
	    c);
}

/* Give up because the server said what it is not. */
static void
client_fail_cause(struct client *c, char *cause)
{
	client_fail(c, "%s", cause);
	free(cause);
}

/*
 * The server refused the protocol we spoke with MSG_VERSION, naming its
 * own. A guess may speak that if we can.
 */
static void
client_refused(struct client *c, u_int version)
{
	const struct dialect	*d = dialect_for_protocol(version);

	if (d != NULL && c->dialect->guess) {
		client_drop(c);
		client_redial(c, d, "protocol refused");
	} else {
		client_fail_cause(c, probe_refused(c->opt->socket_path,
		    peer_pid(c->peer), version));
	}
}

/*
 * The connection went away. If it was our first guess at the dialect and
 * the server said nothing, it rejected the layout probe: speak the other
 * layout on a new connection.
 */
static void
client_lost(int why, void *arg)
{
	struct client	*c = arg;
	pid_t		 pid = peer_pid(c->peer);
	int		 received = peer_received(c->peer);
	char		*malformed = peer_malformed(c->peer);

	client_drop(c);
	if (c->stopped) {
		free(malformed);
		return;
	}
	if (why == PEER_MALFORMED) {
		client_fail(c, "%s", malformed);
		free(malformed);
		return;
	}
	if (why == PEER_DEAF) {
		client_fail_cause(c, probe_cause(c->opt->socket_path, pid,
		    "did not answer"));
		return;
	}
	if (c->dialect->guess && !received && !c->exiting) {
		client_redial(c, dialect_after_drop(), "layout probe refused");
		return;
	}
	if (!c->exiting) {
		c->reason = EXIT_LOST_SERVER;
		c->retval = 1;
		client_stop(c);
	} else if (files_drained(c->files))
		client_stop(c);
}

/* Give up because the server broke the protocol. */
static void
client_bad(struct client *c, struct imsg *imsg)
{
	client_fail(c, PEER_MALFORMED_TEXT, imsg->type, imsg->len);
}

/* MSG_EXIT: an optional status, then an optional message (3.2+). */
static void
client_exit_payload(struct client *c, struct imsg *imsg)
{
	int	retval;

	if (imsg->len >= sizeof retval) {
		memcpy(&retval, imsg->data, sizeof retval);
		c->retval = retval;
	}
	if (imsg->len > sizeof retval) {
		free(c->exit_message);
		c->exit_message = xmalloc(imsg->len - sizeof retval);
		memcpy(c->exit_message, (char *)imsg->data + sizeof retval,
		    imsg->len - sizeof retval);
		c->exit_message[imsg->len - sizeof retval - 1] = '\0';
		c->reason = EXIT_MESSAGE_PROVIDED;
	}
}

static void
client_flags_update(struct client *c, struct imsg *imsg)
{
	memcpy(&c->flags, imsg->data, sizeof c->flags);
	log_debug("new flags are %#llx", (unsigned long long)c->flags);
}

/* The output has drained: a client that was told to exit can go. */
static void
client_files_drained(void *arg)
{
	struct client	*c = arg;

	if (c->exiting && !c->stopped)
		client_stop(c);
}

/* Was the last word the server's to run a command (-c, detach -E)? */
static int
client_execs(struct client *c)
{
	return (c->exit_type == MSG_SHELL || c->exit_type == MSG_EXEC);
}

/*
 * Replace ourselves with SHELL -c COMMAND, as tmux does for -c and -E.
 * Done by client_main once the loop is gone, never by the conversation.
 */
static __dead void
client_exec(struct client *c)
{
	const char	*shell = c->exec_shell, *command, *name, *p;
	char		*argv0;
	int		 login = (c->flags & CLIENT_LOGIN) != 0, fd;

	command = c->exit_type == MSG_SHELL ? c->opt->shell_command :
	    c->exec_command;
	p = strrchr(shell, '/');
	name = (p != NULL && p[1] != '\0') ? p + 1 : shell;
	xasprintf(&argv0, "%s%s", login ? "-" : "", name);
	setenv("SHELL", shell, 1);

	proc_exec_prepare();
	setblocking(STDIN_FILENO, 1);
	setblocking(STDOUT_FILENO, 1);
	setblocking(STDERR_FILENO, 1);
	/* What was closed when we started is closed for the shell too. */
	for (fd = 0; fd < 3; fd++) {
		if (c->opt->std_closed[fd])
			close(fd);
	}

	execl(shell, argv0, "-c", command, (char *)NULL);
	/* tmux's client exits 1 here without a word. */
	fprintf(stderr, "cannot run %s (%s)\n", shell, strerror(errno));
	exit(1);
}

static void
client_dispatch_wait(struct client *c, struct imsg *imsg)
{
	char	*cause;

	switch (imsg->type) {
	case MSG_EXIT:
	case MSG_SHUTDOWN:
		client_exit_payload(c, imsg);
		c->exiting = 1;
		if (files_drained(c->files))
			client_stop(c);
		break;
	case MSG_READY:
		c->phase = PHASE_ATTACHED;
		files_attached(c->files);
		client_send(c, MSG_RESIZE, NULL, 0);
		break;
	case MSG_VERSION:
		client_refused(c, imsg->peerid & 0xff);
		break;
	case MSG_FLAGS:
		client_flags_update(c, imsg);
		break;
	case MSG_SHELL:
		/* Only an answer to ours (-c); tmux's would run no command. */
		if (c->opt->shell_command == NULL) {
			client_bad(c, imsg);
			break;
		}
		/* Exec at once: nothing after this message is read. */
		c->exec_shell = xstrdup(imsg->data);
		c->exit_type = imsg->type;
		client_stop(c);
		break;
	case MSG_DETACH:
	case MSG_DETACHKILL:
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case MSG_EXITED:
		/* Unlike tmux, not before the output has gone out. */
		c->exiting = 1;
		if (files_drained(c->files))
			client_stop(c);
		break;
	default:
		if (files_dispatch(c->files, imsg, &cause) == 0)
			break;
		if (cause == NULL)
			client_bad(c, imsg);
		else {
			client_fail(c, "%s", cause);
			free(cause);
		}
		break;
	}
}

/*
 * The lock command has finished: the server may show us again, and what
 * it sent meanwhile is read, as tmux reads it after system() returns.
 */
static void
client_unlocked(__unused int status, void *arg)
{
	struct client	*c = arg;

	c->lock_pid = 0;
	if (c->peer != NULL && !c->stopped) {
		client_send(c, MSG_UNLOCK, NULL, 0);
		peer_pause(c->peer, PEER_PAUSE_LOCK, 0);
	}
}

/*
 * MSG_LOCK: run the lock command on our terminal and read nothing more
 * from the server until it has finished (a detach must not take the
 * terminal from under it).
 */
static void
client_lock(struct client *c, const char *command)
{
	pid_t	pid;

	switch (pid = proc_fork()) {
	case -1:
		log_debug("lock: fork: %s", strerror(errno));
		client_send(c, MSG_UNLOCK, NULL, 0);
		return;
	case 0:
		proc_exec_prepare();
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	c->lock_pid = pid;
	peer_pause(c->peer, PEER_PAUSE_LOCK, 1);
	proc_watch(pid, client_unlocked, c);
}

static void
client_dispatch_attached(struct client *c, struct imsg *imsg)
{
	const char		*data, *what;

	switch (imsg->type) {
	case MSG_FLAGS:
		client_flags_update(c, imsg);
		break;
	case MSG_DETACH:
	case MSG_DETACHKILL:
		free(c->detached);
		what = imsg->type == MSG_DETACHKILL ? "detached and SIGHUP" :
		    "detached";
		if (imsg->len == 0)	/* protocol 7: no session */
			c->detached = xstrdup(what);
		else {
			xasprintf(&c->detached, "%s (from session %s)", what,
			    (const char *)imsg->data);
		}
		c->exit_type = imsg->type;
		if (imsg->type == MSG_DETACHKILL)
			c->reason = EXIT_DETACHED_HUP;
		else
			c->reason = EXIT_DETACHED;
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case MSG_EXEC:
		data = imsg->data;
		free(c->exec_command);
		free(c->exec_shell);
		c->exec_command = xstrdup(data);
		c->exec_shell = xstrdup(data + strlen(data) + 1);
		c->exit_type = imsg->type;
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case MSG_EXIT:
		client_exit_payload(c, imsg);
		if (c->reason == EXIT_NONE)
			c->reason = EXIT_EXITED;
		client_send(c, MSG_EXITING, NULL, 0);
		break;
	case MSG_EXITED:
		c->tty_ended = 1;
		client_stop(c);
		break;
	case MSG_SHUTDOWN:
		client_send(c, MSG_EXITING, NULL, 0);
		c->reason = EXIT_SERVER_EXITED;
		c->retval = 1;
		break;
	case MSG_SUSPEND:
		signal_action(SIGTSTP, SIG_DFL);
		c->suspended = 1;
		kill(getpid(), SIGTSTP);
		break;
	case MSG_LOCK:
		client_lock(c, imsg->data);
		break;
	}
}

static void	client_leave(struct client *);

static void
client_dispatch(struct imsg *imsg, void *arg)
{
	struct client	*c = arg;

	if (c->stopped)
		return;
	if ((imsg->peerid & 0xff) != c->dialect->protocol &&
	    imsg->type != MSG_VERSION) {
		/* tmux answers a wrong version and gives up on the server. */
		client_send(c, MSG_VERSION, NULL, 0);
		peer_try_write(c->peer);
		c->reason = EXIT_LOST_SERVER;
		c->retval = 1;
		client_stop(c);
		return;
	}
	log_debug("%s message %u, %zu bytes", c->phase == PHASE_ATTACHED ?
	    "attached" : "waiting", imsg->type, imsg->len);
	if (c->phase == PHASE_ATTACHED)
		client_dispatch_attached(c, imsg);
	else
		client_dispatch_wait(c, imsg);
}

static void
client_exit_timer(__unused int fd, __unused short events, void *arg)
{
	client_stop(arg);
}

/* Leave now, or soon if the server does not let us go. */
static void
client_exiting(struct client *c)
{
	struct timeval	tv = { 0, CLIENT_EXIT_WAIT_MS * 1000 };

	/* Asked again: the first wait is bounded already. */
	if (evtimer_pending(&c->exit_timer, NULL))
		return;
	client_send(c, MSG_EXITING, NULL, 0);
	evtimer_add(&c->exit_timer, &tv);
	if (c->lock_pid != 0) {
		/* A signal ends the lock command with us, not after it. */
		proc_unwatch(c->lock_pid);
		kill(c->lock_pid, SIGTERM);
		c->lock_pid = 0;
		peer_pause(c->peer, PEER_PAUSE_LOCK, 0);
	}
}

static void
client_signal(int sig, void *arg)
{
	struct client		*c = arg;

	if (sig == SIGCHLD) {
		proc_reap();
		return;
	}
	if (c->opt->print_version &&
	    (sig == SIGTERM || sig == SIGHUP || sig == SIGINT)) {
		/*
		 * -V is instant in tmux: it dies as tmux would, and the
		 * program it was asking with it.
		 */
		job_kill_all();
		signal_restore();
		raise(sig);
		return;
	}
	if ((sig == SIGTERM || sig == SIGHUP) && c->deadline == 0)
		c->deadline = client_now() + CLIENT_SIGNAL_WAIT_MS;
	if (c->phase != PHASE_ATTACHED || c->peer == NULL) {
		if (sig != SIGTERM && sig != SIGHUP)
			return;
		if (c->phase == PHASE_WAITEXIT) {
			client_leave(c);
			return;
		}
		if (c->phase == PHASE_CONNECT && (c->flags & CLIENT_CONTROL)) {
			/*
			 * tmux's client connects (or starts a server) before
			 * its loop sees the signal: it leaves as a control
			 * client that has sent its command, with %exit.
			 */
			if ((c->flags & CLIENT_CONTROLCONTROL) &&
			    client_control_raw(c) != 0)
				return;
			c->phase = PHASE_WAIT;
		}
		/*
		 * tmux leaves silently with status 0. If input or output was
		 * still on its way, we say it was cut short.
		 */
		if (files_busy(c->files)) {
			c->reason = (sig == SIGTERM) ? EXIT_TERMINATED :
			    EXIT_LOST_TTY;
			c->retval = 1;
		}
		client_stop(c);
		return;
	}
	switch (sig) {
	case SIGHUP:
		c->reason = EXIT_LOST_TTY;
		c->retval = 1;
		client_exiting(c);
		break;
	case SIGTERM:
		if (!c->suspended)
			c->reason = EXIT_TERMINATED;
		c->retval = 1;
		client_exiting(c);
		break;
	case SIGWINCH:
		client_send(c, MSG_RESIZE, NULL, 0);
		break;
	case SIGCONT:
		signal_action(SIGTSTP, SIG_IGN);
		client_send(c, MSG_WAKEUP, NULL, 0);
		c->suspended = 0;
		break;
	}
}

static const char *
client_exit_message(struct client *c)
{
	switch (c->reason) {
	case EXIT_NONE:
		break;
	case EXIT_DETACHED:
	case EXIT_DETACHED_HUP:
		return (c->detached);
	case EXIT_LOST_TTY:
		return ("lost tty");
	case EXIT_TERMINATED:
		return ("terminated");
	case EXIT_LOST_SERVER:
		return ("server exited unexpectedly");
	case EXIT_EXITED:
		return ("exited");
	case EXIT_SERVER_EXITED:
		return ("server exited");
	case EXIT_MESSAGE_PROVIDED:
		return (c->exit_message);
	}
	return ("unknown reason");
}

/* Control mode after %exit: stdin until an empty line or its end. */
static void
client_waitexit_read(__unused int fd, __unused short events, void *arg)
{
	struct client	*c = arg;
	char		 buf[1024];
	ssize_t		 n, i;

	n = read(STDIN_FILENO, buf, sizeof buf);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			c->linelen++;
			continue;
		}
		if (c->linelen == 0)
			break;
		c->linelen = 0;
	}
	if (n <= 0 || i < n)
		client_leave(c);
}

/* Leave the loop now, whatever is going on. */
static void
client_leave(struct client *c)
{
	if (c->phase == PHASE_WAITEXIT)
		event_del(&c->ev_stdin);
	else if (!c->stopped && c->peer != NULL)
		peer_try_write(c->peer);
	c->stopped = 1;
	event_base_loopbreak(c->base);
}

/*
 * The conversation is over. Control clients say %exit at once and may
 * then wait for an empty line (still in the loop, so that a signal can
 * end the wait); everyone else leaves the loop.
 */
static void
client_stop(struct client *c)
{
	if (c->stopped || c->phase == PHASE_WAITEXIT)
		return;
	evtimer_del(&c->exit_timer);
	files_discard(c->files);
	if ((c->flags & CLIENT_CONTROL) && c->phase == PHASE_WAIT &&
	    !client_execs(c)) {
		setblocking(STDOUT_FILENO, 1);
		if (c->reason != EXIT_NONE)
			client_print(c, STDOUT_FILENO, "%%exit %s\n",
			    client_exit_message(c));
		else
			client_print(c, STDOUT_FILENO, "%%exit\n");
		c->printed = 1;
		if (c->flags & CLIENT_CONTROL_WAITEXIT) {
			/* As tmux's, whose loop is over: read no more. */
			if (c->peer != NULL) {
				peer_try_write(c->peer);
				peer_pause(c->peer, PEER_PAUSE_DONE, 1);
			}
			c->phase = PHASE_WAITEXIT;
			setblocking(STDIN_FILENO, 0);
			event_assign(&c->ev_stdin, c->base, STDIN_FILENO,
			    EV_READ|EV_PERSIST, client_waitexit_read, c);
			event_add(&c->ev_stdin, NULL);
			return;
		}
	}
	client_leave(c);
}

/* -V: the version of the server we would talk to, in tmux's form. */
static void
client_print_version(struct client *c, const char *version)
{
	client_print(c, STDOUT_FILENO, "tmux %s\n", version);
	c->retval = 0;
	client_leave(c);
}

static void
client_version_program(struct program *p, const char *cause, void *arg)
{
	struct client	*c = arg;

	if (p == NULL) {
		client_error(c, 1, "%s", cause);
		return;
	}
	client_print_version(c, p->version);
	program_free(p);
}

static void
client_version_probed(struct probe_result *r, void *arg)
{
	struct client	*c = arg;

	if (r->dialect != NULL && r->version != NULL && *r->version != '\0')
		client_print_version(c, r->version);
	else if (r->dialect != NULL && r->version != NULL) {
		/* Before 2.4, and its binary could not be asked (probe.c). */
		client_error(c, 1, "server on %s (tmux before 2.4) does not "
		    "say which version it is", c->opt->socket_path);
	} else if (r->dialect == NULL && !r->gone) {
		/* A server we cannot talk to: not the program's version. */
		client_error(c, 1, "%s", r->cause);
	} else
		program_find(c->base, 1, client_version_program, c);
	probe_result_free(r);
}

/* -D and no server: the real tmux becomes the server in our place. */
static void
client_foreground_program(struct program *p, const char *cause, void *arg)
{
	struct client	*c = arg;
	char		**argv;
	int		  argc;

	if (p == NULL) {
		client_error(c, 1, "%s", cause);
		return;
	}
	for (argc = 0; c->opt->main_argv[argc] != NULL; argc++)
		/* nothing */;
	/* Our arguments, -D among them, under the program's name. */
	argv = xcalloc(argc + 1, sizeof *argv);
	memcpy(argv, c->opt->main_argv, argc * sizeof *argv);
	argv[0] = p->path;
	proc_exec_prepare();
	execv(p->path, argv);
	client_error(c, 1, "cannot run %s (%s)", p->path, strerror(errno));
	free(argv);
	program_free(p);
}

/* The probe has said what the server is: talk to it. */
static void
client_probed(struct probe_result *r, void *arg)
{
	struct client	*c = arg;

	if (r->dialect != NULL) {
		c->dialect = r->dialect;
		files_set_stdio_size(c->files, r->stdio_size);
		client_talk(c);
		probe_result_free(r);
		return;
	}
	close(c->fd);
	c->fd = -1;
	if (r->refused && (c->flags & CLIENT_CONTROL)) {
		/*
		 * As if the conversation had been refused: %exit says why,
		 * framed for -CC as the server would have framed it.
		 */
		if (c->flags & CLIENT_CONTROLCONTROL)
			client_print(c, STDOUT_FILENO, "\033P1000p");
		free(c->exit_message);
		c->exit_message = xstrdup(r->cause);
		c->reason = EXIT_MESSAGE_PROVIDED;
		c->retval = r->status;
		c->phase = PHASE_WAIT;
		client_stop(c);
	} else
		client_error(c, r->status, "%s", r->cause);
	probe_result_free(r);
}

/* Connected, to a server we started if dialect is set. */
static void
client_connected(struct client *c, int fd, const struct dialect *dialect)
{
	c->fd = fd;
	c->dialect = dialect;
	if (c->dialect != NULL)
		client_talk(c);
	else if (dialect_guess_serves(c->opt) && client_terminfo(c) == 0 &&
	    compat_unread(fd) != -1) {
		/*
		 * A guess holds its descriptor until the server has read. With
		 * an unusable TERM, only the probe can tell whether the server
		 * is old enough not to need it.
		 */
		c->dialect = dialect_guess();
		client_talk(c);
	} else {
		probe_start(c->base, c->opt->socket_path,
		    dialect_probe_flags(c->opt), client_probed, c);
	}
}

static void
client_started(int fd, const struct dialect *d, int error, const char *cause,
    int status, void *arg)
{
	struct client	*c = arg;

	if (fd != -1)
		client_connected(c, fd, d);
	else if (cause != NULL)
		client_error(c, status, "%s", cause);
	else
		client_connect_error(c, error);
}

/*
 * -V: a server that takes the connection is asked, else the server
 * program (tmux's -V answers at once: a full backlog is not waited for).
 */
static void
client_version_dialed(int fd, __unused int error, void *arg)
{
	struct client	*c = arg;

	if (fd != -1) {
		close(fd);
		probe_start(c->base, c->opt->socket_path,
		    PROBE_EXACT|PROBE_VERSION, client_version_probed, c);
	} else
		program_find(c->base, 1, client_version_program, c);
}

static void
client_dialed(int fd, int error, void *arg)
{
	struct client		*c = arg;
	const struct options	*opt = c->opt;

	if (fd != -1)
		client_connected(c, fd, NULL);
	else if ((opt->flags & CLIENT_NOFORK) &&
	    !(opt->flags & CLIENT_NOSTARTSERVER) &&
	    (error == ENOENT || error == ECONNREFUSED))
		program_find(c->base, 0, client_foreground_program, c);
	else
		client_connect_error(c, error);
}

/* Find the server; what then depends on what we were asked. */
static void
client_connect(struct client *c)
{
	const struct options	*opt = c->opt;

	if (opt->print_version) {
		/* A socket directory tmux would refuse only means no server. */
		if (opt->socket_path != NULL) {
			peer_dial(&c->dial, c->base, opt->socket_path, 0,
			    client_version_dialed, c);
		} else
			program_find(c->base, 1, client_version_program, c);
		return;
	}
	if ((opt->flags & CLIENT_STARTSERVER) &&
	    !(opt->flags & CLIENT_NOSTARTSERVER) &&
	    !(opt->flags & CLIENT_NOFORK)) {
		start_server(c->base, opt, client_started, c);
		return;
	}
	peer_dial(&c->dial, c->base, opt->socket_path, 1, client_dialed, c);
}

/*
 * Attached to a terminal, and the server did not put it back (it died, or
 * stopped answering): undo what it may have set, the alternate screen
 * above all, where tmux's client leaves it to the user's "reset".
 */
static void
client_tty_reset(struct client *c)
{
	char	*reset;

	if (c->phase != PHASE_ATTACHED || c->tty_ended ||
	    (c->flags & CLIENT_CONTROL) || !isatty(STDOUT_FILENO))
		return;
	if ((reset = terminfo_reset(getenv("TERM"))) != NULL) {
		client_print(c, STDOUT_FILENO, "%s", reset);
		free(reset);
	}
}

/* After the loop: put the terminal back, say why we left. */
static int
client_exit(struct client *c)
{
	pid_t	ppid;

	/*
	 * A server that dies leaves the terminal as it set it; put back the
	 * settings we found. After a clean exit this changes nothing.
	 */
	if (c->phase == PHASE_ATTACHED && c->tio_saved && !c->cc_raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &c->saved_tio);
	client_tty_reset(c);

	if (client_execs(c)) {
		if (c->exit_type == MSG_EXEC && c->cc_raw)
			tcsetattr(STDOUT_FILENO, TCSAFLUSH, &c->saved_tio);
		return (c->retval);
	}

	setblocking(STDIN_FILENO, 1);
	setblocking(STDOUT_FILENO, 1);
	setblocking(STDERR_FILENO, 1);
	if (c->cc_raw && c->phase != PHASE_ATTACHED && !c->printed)
		tcsetattr(STDOUT_FILENO, TCSAFLUSH, &c->saved_tio);

	if (c->phase == PHASE_ATTACHED) {
		/* As tmux's fatalx: status 1, nothing said, no SIGHUP. */
		if ((c->reason == EXIT_DETACHED ||
		    c->reason == EXIT_DETACHED_HUP) &&
		    strlen(c->detached) >= CLIENT_EXIT_TEXT_MAX)
			return (1);
		if (c->reason != EXIT_NONE)
			client_print(c, STDOUT_FILENO, "[%s]\n",
			    client_exit_message(c));
		ppid = getppid();
		if (c->exit_type == MSG_DETACHKILL && ppid > 1)
			kill(ppid, SIGHUP);
	} else if (c->printed) {
		if (c->flags & CLIENT_CONTROLCONTROL) {
			client_print(c, STDOUT_FILENO, "\033\\");
			/* Not if refused before the terminal was ours. */
			if (c->cc_raw)
				tcsetattr(STDOUT_FILENO, TCSAFLUSH,
				    &c->saved_tio);
		}
	} else if (c->reason != EXIT_NONE)
		client_print(c, STDERR_FILENO, "%s\n", client_exit_message(c));
	/* Only where the server thought all went well. */
	if (files_lost(c->files) != NULL && c->retval == 0) {
		client_print(c, STDERR_FILENO, "%s\n", files_lost(c->files));
		c->retval = 1;
	}
	return (c->retval);
}

/*
 * A conversation on a loop that the caller owns: client_main's, or the
 * fuzz target's (tests/fuzz-client.c), which runs it in its own process.
 */
struct client *
client_new(struct event_base *base, const struct options *opt)
{
	struct client	*c;

	c = xcalloc(1, sizeof *c);
	c->base = base;
	c->opt = opt;
	c->flags = opt->flags;
	c->fd = -1;
	evtimer_assign(&c->exit_timer, c->base, client_exit_timer, c);

	log_open(opt->verbose, "client");
	log_debug("client started (%ld): socket %s", (long)getpid(),
	    opt->socket_path != NULL ? opt->socket_path : "none");
	signal_init(c->base, client_signal, c);
	c->files = files_create(c->base, (opt->flags & CLIENT_CONTROL) != 0,
	    opt->std_closed, client_files_drained, c);
	return (c);
}

/* Talk until the server lets us go; the exit status. */
int
client_run(struct client *c)
{
	client_connect(c);
	while (!c->stopped)
		event_base_loop(c->base, EVLOOP_ONCE);
	return (client_exit(c));
}

/* Everything the conversation holds, an exec it was asked for included. */
void
client_free(struct client *c)
{
	peer_dial_cancel(&c->dial);
	evtimer_del(&c->exit_timer);
	peer_free(c->peer);
	if (c->fd != -1)
		close(c->fd);
	files_free(c->files);
	terminfo_free(c->caps, c->ncaps);
	free(c->terminfo_cause);
	free(c->detached);
	free(c->exit_message);
	free(c->exec_command);
	free(c->exec_shell);
	free(c);
}

int
client_main(const struct options *opt)
{
	struct event_base	*base;
	struct client		*c;
	int			 retval;

	if ((base = compat_event_base()) == NULL)
		fatalx("event_base_new failed");
	c = client_new(base, opt);
	retval = client_run(c);
	if (client_execs(c))
		client_exec(c);
	client_free(c);
	/*
	 * The loop is left for the exit to take: a server start or a probe
	 * that a signal cut short still hangs on it. Not so their programs.
	 */
	job_kill_all();
	return (retval);
}
