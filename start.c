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
 * Connecting when a server may have to be started first. We cannot
 * become a server, so we run the installed tmux as one ("tmux -D", 3.2+)
 * in a session of its own, after taking tmux's lock file as its clients
 * do. Every step is a state of the event loop: waiting for the lock, for
 * the program's answer, for the socket to appear.
 *
 * A -D server starts with exit-empty off, where a forked one has it on.
 * Once it listens we connect (our conversation's connection, which then
 * waits), then run "set-option -s exit-empty on" on a second connection.
 * That client is not the server's first, so its command runs at once,
 * before any configuration is read: the configuration is read when the
 * first client identifies, and it may still set exit-empty itself. Then
 * the first connection goes on, and the server is left as tmux's own fork
 * would leave it. Should we die before that, a child of ours that waits
 * for the word turns exit-empty on instead (start_watch).
 */

#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tmux.h"

/* What the server said on stderr before it listened, at most. */
#define START_MESSAGE 512

/* What a -D server needs to exit with its last session, as a fork does. */
static const char *const start_exitempty[] = {
	"set-option", "-s", "exit-empty", "on", NULL
};

enum start_state {
	START_CONNECT,		/* try the socket */
	START_LOCK,		/* someone else holds the lock */
	START_PROGRAM,		/* finding the server program */
	START_LISTEN,		/* waiting for our server's socket */
	START_EXITEMPTY		/* setting exit-empty on */
};

struct start {
	struct event_base	*base;
	const struct options	*opt;
	enum start_state	 state;

	char			*lockfile;
	int			 lockfd;
	int			 locked;
	struct backoff		 retry;		/* for the lock or the socket */
	struct dial		 dial;		/* to the socket */

	struct program		 program;
	const struct dialect	*dialect;
	pid_t			 pid;		/* of the server */
	int			 pidfd;		/* ... on its way */
	struct event		 pidev;
	struct output		*errout;	/* its stderr */
	int			 gone;		/* ... until it went */
	int			 donefd;	/* to start_watch */
	int			 fd;		/* our connection */

	start_done_cb		*cb;
	void			*arg;
};

static void	start_connect(struct start *);

/*
 * tmux -D writes a client log before it becomes the server; a forked
 * server leaves none, so when the server PID has listened or gone its
 * log goes too. It is in the cwd, which the server shares with us.
 */
static void
start_drop_log(const struct options *opt, pid_t pid)
{
	char	log[64];

	if (opt->verbose == 0 || pid == 0)
		return;
	snprintf(log, sizeof log, "tmux-client-%ld.log", (long)pid);
	unlink(log);
}

/*
 * Let the lock go. A server we start takes it next and removes its file;
 * with none coming, we remove it, as tmux leaves none behind.
 */
static void
start_unlock(struct start *s, int remove)
{
	if (s->lockfd == -1)
		return;
	if (remove && s->locked)
		unlink(s->lockfile);
	close(s->lockfd);
	s->lockfd = -1;
}

/*
 * Our server went without listening. tmux -D removes the lock file once it
 * holds the lock; one that never got so far leaves it: remove it unless
 * another client holds it now.
 */
static void
start_unlock_gone(struct start *s)
{
	if (!s->locked || s->lockfd != -1)
		return;
	if ((s->lockfd = open(s->lockfile, O_WRONLY|O_CLOEXEC)) == -1)
		return;
	start_unlock(s, flock(s->lockfd, LOCK_EX|LOCK_NB) == 0);
}

static void
start_free(struct start *s)
{
	start_drop_log(s->opt, s->pid);
	start_unlock(s, 1);
	if (s->donefd != -1)
		close(s->donefd);	/* start_watch takes over */
	free(s->lockfile);
	backoff_cancel(&s->retry);
	peer_dial_cancel(&s->dial);
	if (s->pidfd != -1) {
		event_del(&s->pidev);
		close(s->pidfd);
	}
	output_free(s->errout);
	program_free(&s->program);
	free(s);
}

/* Report: a connection, or a one-line cause, or a connect error. */
static void
start_done(struct start *s, int fd, int error, const char *cause, int status)
{
	s->cb(fd, fd != -1 ? s->dialect : NULL, error, cause, status, s->arg);
	start_free(s);
}

static void
start_failf(struct start *s, int status, const char *fmt, ...)
{
	va_list	 ap;
	char	*cause;

	va_start(ap, fmt);
	xvasprintf(&cause, fmt, ap);
	va_end(ap);
	start_done(s, -1, 0, cause, status);
	free(cause);
}

/* The -D server's command line. */
static char **
start_argv(struct start *s, char **list)
{
	const struct options	 *opt = s->opt;
	char			**argv, *next;
	u_int			  n = 0, i;
	int			  v;

	*list = NULL;
	argv = xcalloc(6 + 2 * opt->nconfig + opt->verbose, sizeof *argv);
	argv[n++] = s->program.path;
	argv[n++] = "-D";
	if (opt->flags & CLIENT_DEFAULTSOCKET) {
		/* So the server sets its socket up as a default one. */
		argv[n++] = "-L";
		argv[n++] = (char *)(opt->label != NULL ? opt->label :
		    "default");
	} else {
		argv[n++] = "-S";
		argv[n++] = (char *)opt->socket_path;
	}
	if (s->dialect->config_list && opt->nconfig != 0) {
		/* 3.2 takes one -f, split at colons. */
		*list = xstrdup(opt->config_files[0]);
		for (i = 1; i < opt->nconfig; i++) {
			next = *list;
			xasprintf(list, "%s:%s", next, opt->config_files[i]);
			free(next);
		}
		argv[n++] = "-f";
		argv[n++] = *list;
	} else {
		for (i = 0; i < opt->nconfig; i++) {
			argv[n++] = "-f";
			argv[n++] = (char *)opt->config_files[i];
		}
	}
	for (v = 0; v < opt->verbose; v++)
		argv[n++] = "-v";
	argv[n] = NULL;
	return (argv);
}

/*
 * The child that forks the server stays until we say that exit-empty is
 * on. If we go first (killed, or a signal while the server starts), it
 * waits for the server to listen and has the server program, as a client,
 * turn it on; a server left with it off would never exit. As on our own
 * way (start_listening), a connection held open first makes that client
 * not the server's first, so that it runs before any configuration: the
 * server then exits with no session, as tmux's own whose client died.
 */
static __dead void
start_watch(struct start *s, pid_t server, int donefd)
{
	const char	*argv[3 + nitems(start_exitempty)];
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	int		 null, fd;
	pid_t		 pid;
	char		 c;
	ssize_t		 n;

	argv[0] = s->program.path;
	argv[1] = "-S";
	argv[2] = s->opt->socket_path;
	memcpy(argv + 3, start_exitempty, sizeof start_exitempty);

	/* Nothing of ours open but the word's pipe, as stdin. */
	if (dup2(donefd, STDIN_FILENO) == -1 ||
	    (null = open("/dev/null", O_RDWR)) == -1)
		_exit(1);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	proc_exec_prepare();

	do
		n = read(STDIN_FILENO, &c, 1);
	while (n == -1 && errno == EINTR);
	if (n == 1)
		_exit(0);
	dup2(STDOUT_FILENO, STDIN_FILENO);

	/* Until it listens and takes us, or goes. */
	while (waitpid(server, NULL, WNOHANG) == 0) {
		if (peer_connect(s->opt->socket_path, &fd) != 0) {
			nanosleep(&ts, NULL);
			continue;
		}
		if ((pid = fork()) == 0) {
			execv(argv[0], (char *const *)argv);
			_exit(1);
		}
		while (pid != -1 && waitpid(pid, NULL, 0) == -1 &&
		    errno == EINTR)
			;
		close(fd);
		break;
	}
	start_drop_log(s->opt, server);
	_exit(0);
}

/* The server's pid, which it sends before it can listen. */
static void
start_pid(int fd, __unused short events, void *arg)
{
	struct start	*s = arg;

	if (read(fd, &s->pid, sizeof s->pid) != sizeof s->pid)
		s->pid = 0;
	close(fd);
	s->pidfd = -1;
}

/* The server's stderr has ended: it has gone. */
static void
start_gone(void *arg)
{
	struct start	*s = arg;

	/* Its pid came first, if it got so far: have it now. */
	if (s->pidfd != -1) {
		event_del(&s->pidev);
		start_pid(s->pidfd, EV_READ, s);
	}
	s->gone = 1;
	backoff_cancel(&s->retry);
	start_connect(s);
}

/*
 * Launch the server detached from us: a child starts a new session and
 * forks the server, so that the server is not our child. The server
 * sends us its pid before it execs; its stderr comes back through a pipe.
 */
static int
start_spawn(struct start *s)
{
	char	**argv, *list;
	int	  pipes[6], i, null;
	pid_t	  pid, child;

	/* The server's pid, its stderr, and our word to start_watch. */
	for (i = 0; i < 6; i += 2) {
		if (pipe(pipes + i) != 0) {
			while (i > 0)
				close(pipes[--i]);
			return (-1);
		}
	}
	argv = start_argv(s, &list);
	switch (child = proc_fork()) {
	case -1:
		for (i = 0; i < 6; i++)
			close(pipes[i]);
		free(argv);
		free(list);
		return (-1);
	case 0:
		/* Both in sessions of their own, as tmux's server is. */
		setsid();
		if ((pid = fork()) == -1)
			_exit(1);
		if (pid != 0)
			start_watch(s, pid, pipes[4]);
		setsid();
		pid = getpid();
		if (write(pipes[1], &pid, sizeof pid) != sizeof pid)
			_exit(1);
		if ((null = open("/dev/null", O_RDWR)) == -1)
			_exit(1);
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(pipes[3], STDERR_FILENO);
		proc_exec_prepare();
		execv(argv[0], argv);
		dprintf(STDERR_FILENO, "%s: %s\n", argv[0], strerror(errno));
		_exit(1);
	}
	free(argv);
	free(list);
	close(pipes[1]);
	close(pipes[3]);
	close(pipes[4]);
	s->donefd = pipes[5];
	fcntl(s->donefd, F_SETFD, FD_CLOEXEC);

	/*
	 * Read when it comes: before the server can listen, so before we
	 * can talk to it.
	 */
	s->pidfd = pipes[0];
	event_assign(&s->pidev, s->base, s->pidfd, EV_READ, start_pid, s);
	event_add(&s->pidev, NULL);

	s->errout = output_new(s->base, pipes[2], START_MESSAGE,
	    start_gone, s);
	return (0);
}

/* The server set exit-empty (or could not): hand over our connection. */
static void
start_exitempty_done(struct probe_reply *r, void *arg)
{
	struct start	*s = arg;

	if (!r->exited || r->status != 0)
		log_debug("start: setting exit-empty failed");
	else if (write(s->donefd, "", 1) != 1)
		log_debug("start: start_watch has gone");
	start_done(s, s->fd, 0, NULL, 0);
}

/* Our server listens: connect, then turn exit-empty back on. */
static void
start_listening(struct start *s, int fd)
{
	s->fd = fd;
	s->state = START_EXITEMPTY;
	output_free(s->errout);
	s->errout = NULL;
	probe_command(s->base, s->opt->socket_path, s->dialect,
	    start_exitempty, start_exitempty_done, s);
}

/* We hold the lock and there is still no server: start one. */
static void
start_program_found(struct program *p, const char *cause, void *arg)
{
	struct start	*s = arg;

	if (p == NULL) {
		start_failf(s, 1, "%s", cause);
		return;
	}
	s->program = *p;
	s->dialect = dialect_from_version(p->version);
	if (s->dialect == NULL || !s->dialect->can_start) {
		start_failf(s, 1, "%s is tmux %s; starting a server needs tmux "
		    "3.2 or later", p->path, p->version);
		return;
	}
	log_debug("starting %s (tmux %s) as server", p->path, p->version);
	if (start_spawn(s) != 0) {
		start_failf(s, 1, "cannot start %s (%s)", p->path,
		    strerror(errno));
		return;
	}
	start_unlock(s, 0);	/* tmux -D takes the same lock */
	s->state = START_LISTEN;
	backoff_reset(&s->retry);
	start_connect(s);
}

/* No server: take the lock, or wait for whoever has it. */
static void
start_lock(struct start *s)
{
	if (s->lockfile == NULL) {
		xasprintf(&s->lockfile, "%s.lock", s->opt->socket_path);
		s->lockfd = open(s->lockfile, O_WRONLY|O_CREAT|O_CLOEXEC,
		    0600);
	}
	if (s->lockfd == -1 || flock(s->lockfd, LOCK_EX|LOCK_NB) == 0) {
		if (s->state == START_LOCK) {
			/* Whoever had it has started one: look again. */
			close(s->lockfd);
			s->lockfd = -1;
			free(s->lockfile);
			s->lockfile = NULL;
			s->state = START_CONNECT;
		} else
			s->locked = 1;
		start_connect(s);
		return;
	}
	if (errno != EWOULDBLOCK && errno != EINTR) {
		/* As tmux: carry on without it. */
		close(s->lockfd);
		s->lockfd = -1;
		start_lock(s);
		return;
	}
	if (s->state != START_LOCK) {
		s->state = START_LOCK;
		backoff_reset(&s->retry);
	}
	backoff_later(&s->retry);
}

static void
start_timer(__unused int fd, __unused short events, void *arg)
{
	struct start	*s = arg;

	if (s->state == START_LOCK)
		start_lock(s);
	else
		start_connect(s);
}

static void
start_dialed(int fd, int error, void *arg)
{
	struct start	*s = arg;
	const char	*msg;
	size_t		 len;

	if (fd != -1) {
		if (s->state == START_LISTEN)
			start_listening(s, fd);
		else
			start_done(s, fd, 0, NULL, 0);
		return;
	}
	if (error != ECONNREFUSED && error != ENOENT) {
		start_done(s, -1, error, NULL, 1);
		return;
	}
	if (s->state == START_LISTEN) {
		if (!s->gone) {
			backoff_later(&s->retry);
			return;
		}
		/* It has gone without listening: say what it said. */
		start_unlock_gone(s);
		msg = output_text(s->errout);
		if ((len = strlen(msg)) == 0) {
			start_failf(s, 1, "server %s exited without opening %s",
			    s->program.path, s->opt->socket_path);
		} else {
			/* tmux reports "error creating" with status 0. */
			start_failf(s, strncmp(msg, "error creating ", 15) != 0,
			    "%.*s", (int)len - (msg[len - 1] == '\n'), msg);
		}
		return;
	}
	if (!s->locked) {
		start_lock(s);
		return;
	}
	/* Locked and still nothing: a stale socket goes, then start one. */
	if (s->lockfd != -1 && unlink(s->opt->socket_path) != 0 &&
	    errno != ENOENT) {
		start_done(s, -1, errno, NULL, 1);
		return;
	}
	s->state = START_PROGRAM;
	program_find(s->base, 0, start_program_found, s);
}

static void
start_connect(struct start *s)
{
	peer_dial(&s->dial, s->base, s->opt->socket_path, 1, start_dialed, s);
}

/*
 * Connect to the socket of opt, starting a server if there is none, as
 * tmux's client does: the lock file SOCKET.lock, held with flock, decides
 * who starts it. cb gets the connection and, if we started the server, its
 * dialect; or a connect error; or a one-line cause and exit status.
 */
void
start_server(struct event_base *base, const struct options *opt,
    start_done_cb *cb, void *arg)
{
	struct start	*s;

	s = xcalloc(1, sizeof *s);
	s->base = base;
	s->opt = opt;
	s->lockfd = -1;
	s->fd = -1;
	s->pidfd = -1;
	s->donefd = -1;
	s->cb = cb;
	s->arg = arg;
	backoff_init(&s->retry, base, BACKOFF_CONNECT_MS, start_timer, s);
	start_connect(s);
}
