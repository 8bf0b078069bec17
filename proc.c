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
 * Child processes. Their exits arrive as SIGCHLD through the event loop
 * and go to whoever is watching that pid; what they write to a pipe is
 * read from the loop too, so that nothing waits. A job is a program run
 * for its standard output.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

/* Output kept from a job: enough for a version line or two. */
#define JOB_OUTPUT 256

struct watch {
	pid_t			 pid;
	proc_exit_cb		*cb;
	void			*arg;
	LIST_ENTRY(watch)	 entry;
};
static LIST_HEAD(, watch) watches = LIST_HEAD_INITIALIZER(watches);

/* What a pipe says until its end, the start of it kept. */
struct output {
	int		 fd;
	struct event	 ev;
	int		 eof;
	char		*buf;
	size_t		 size;
	size_t		 len;
	proc_eof_cb	*cb;
	void		*arg;
};

struct job {
	pid_t		 pid;
	struct output	*output;
	int		 eof;
	int		 exited;
	int		 status;
	proc_output_cb	*cb;
	void		*arg;
	LIST_ENTRY(job)	 entry;
};
static LIST_HEAD(, job) jobs = LIST_HEAD_INITIALIZER(jobs);

/* Call cb with the wait status when pid exits. */
void
proc_watch(pid_t pid, proc_exit_cb *cb, void *arg)
{
	struct watch	*w;

	w = xcalloc(1, sizeof *w);
	w->pid = pid;
	w->cb = cb;
	w->arg = arg;
	LIST_INSERT_HEAD(&watches, w, entry);
}

/* Forget pid: it will be reaped with no call. */
void
proc_unwatch(pid_t pid)
{
	struct watch	*w;

	LIST_FOREACH(w, &watches, entry) {
		if (w->pid == pid) {
			LIST_REMOVE(w, entry);
			free(w);
			return;
		}
	}
}

/* SIGCHLD: collect every child that has exited. */
void
proc_reap(void)
{
	struct watch	*w;
	pid_t		 pid;
	int		 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0 ||
	    (pid == -1 && errno == EINTR)) {
		if (pid == -1)
			continue;
		LIST_FOREACH(w, &watches, entry) {
			if (w->pid == pid)
				break;
		}
		if (w == NULL)
			continue;
		LIST_REMOVE(w, entry);
		w->cb(status, w->arg);
		free(w);
	}
}

/*
 * fork(2) with every signal held across it: our handlers write to the
 * loop's socketpair, which a child shares with us. A child keeps them
 * held until proc_exec_prepare or its exit.
 */
pid_t
proc_fork(void)
{
	sigset_t	set, old;
	pid_t		pid;

	sigfillset(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	if ((pid = fork()) != 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	return (pid);
}

/* The first wait of a backoff, in milliseconds. */
#define BACKOFF_FIRST_MS 1

/*
 * A timer calling cb(-1, EV_TIMEOUT, arg) after waits that double up to
 * LAST milliseconds.
 */
void
backoff_init(struct backoff *b, struct event_base *base, int last,
    void (*cb)(int, short, void *), void *arg)
{
	evtimer_assign(&b->ev, base, cb, arg);
	b->ms = BACKOFF_FIRST_MS;
	b->last = last;
}

/* Start again from the first wait. */
void
backoff_reset(struct backoff *b)
{
	b->ms = BACKOFF_FIRST_MS;
}

/* Wait once more, longer than before; 1 if it is the first wait. */
int
backoff_later(struct backoff *b)
{
	struct timeval	tv;
	int		first = (b->ms == BACKOFF_FIRST_MS);

	tv.tv_sec = 0;
	tv.tv_usec = b->ms * 1000;
	evtimer_add(&b->ev, &tv);
	if ((b->ms *= 2) > b->last)
		b->ms = b->last;
	return (first);
}

/* No more waiting, if it ever started. */
void
backoff_cancel(struct backoff *b)
{
	if (evtimer_initialized(&b->ev))
		evtimer_del(&b->ev);
}

/* Make FD blocking (STATE 1) or not, its other flags as they were. */
void
setblocking(int fd, int state)
{
	int	mode;

	if ((mode = fcntl(fd, F_GETFL)) == -1)
		return;
	if (state)
		mode &= ~O_NONBLOCK;
	else
		mode |= O_NONBLOCK;
	fcntl(fd, F_SETFL, mode);
}

/* Signals and descriptors as a program we run should find them. */
void
proc_exec_prepare(void)
{
	signal_restore();
	compat_closefrom(STDERR_FILENO + 1);
}

static void
output_read(__unused int fd, __unused short events, void *arg)
{
	struct output	*o = arg;
	char		 buf[4096];
	size_t		 room = o->size - 1 - o->len;
	ssize_t		 n;

	n = read(o->fd, buf, sizeof buf);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		/* Keep the start; the rest is read and dropped. */
		if ((size_t)n > room)
			n = room;
		memcpy(o->buf + o->len, buf, n);
		o->len += n;
		o->buf[o->len] = '\0';
		return;
	}
	event_del(&o->ev);
	o->eof = 1;
	o->cb(o->arg);
}

/*
 * Read FD from the loop, keeping up to SIZE - 1 bytes, and call cb at its
 * end. The output owns FD.
 */
struct output *
output_new(struct event_base *base, int fd, size_t size, proc_eof_cb *cb,
    void *arg)
{
	struct output	*o;

	o = xcalloc(1, sizeof *o);
	o->fd = fd;
	o->buf = xcalloc(1, size);
	o->size = size;
	o->cb = cb;
	o->arg = arg;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	setblocking(fd, 0);
	event_assign(&o->ev, base, fd, EV_READ|EV_PERSIST, output_read, o);
	event_add(&o->ev, NULL);
	return (o);
}

const char *
output_text(struct output *o)
{
	return (o->buf);
}

void
output_free(struct output *o)
{
	if (o == NULL)
		return;
	if (!o->eof)
		event_del(&o->ev);
	close(o->fd);
	free(o->buf);
	free(o);
}

static void
job_finish(struct job *j)
{
	if (j->eof && j->exited)
		j->cb(output_text(j->output), j->status, j->arg);
}

static void
job_exited(int status, void *arg)
{
	struct job	*j = arg;

	j->exited = 1;
	j->status = status;
	job_finish(j);
}

static void
job_eof(void *arg)
{
	struct job	*j = arg;

	j->eof = 1;
	job_finish(j);
}

/*
 * Run PATH with ARGV (NULL-terminated, its name first), with ENV=1 set if
 * ENV is not NULL and INPUT waiting on its standard input (a socket, so
 * that it can be looked at without being read) and on JOB_SPARE_FD, the
 * same socket, which a wrapper that makes its own standard input
 * seldom closes; and call
 * cb with its output and wait status once it has both closed its output
 * and exited. The output belongs to the job: cb must be done with it
 * before freeing the job. Returns NULL if it could not be started.
 */
struct job *
job_run(struct event_base *base, const char *path, const char *const *argv,
    const char *env, const char *input, proc_output_cb *cb, void *cbarg)
{
	struct job	*j;
	int		 pipefd[2], infd[2];
	size_t		 len = strlen(input);

	/* So small an input is all in the socket before the child runs. */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, infd) != 0)
		return (NULL);
	if (write(infd[0], input, len) != (ssize_t)len) {
		close(infd[0]);
		close(infd[1]);
		return (NULL);
	}
	close(infd[0]);
	if (pipe(pipefd) != 0) {
		close(infd[1]);
		return (NULL);
	}
	j = xcalloc(1, sizeof *j);
	j->cb = cb;
	j->arg = cbarg;
	switch (j->pid = proc_fork()) {
	case -1:
		close(infd[1]);
		close(pipefd[0]);
		close(pipefd[1]);
		free(j);
		return (NULL);
	case 0:
		/*
		 * A session of its own, so that what it runs goes with it
		 * (job_kill); without a controlling terminal, never stopped
		 * for writing to ours. It has none of our input.
		 */
		setsid();
		if (dup2(infd[1], STDIN_FILENO) == -1 ||
		    dup2(pipefd[1], STDOUT_FILENO) == -1)
			_exit(127);
		proc_exec_prepare();
		if (dup2(STDIN_FILENO, JOB_SPARE_FD) == -1)
			_exit(127);
		if (env != NULL)
			setenv(env, "1", 1);
		execv(path, (char *const *)argv);
		_exit(127);
	}
	close(infd[1]);
	close(pipefd[1]);
	j->output = output_new(base, pipefd[0], JOB_OUTPUT, job_eof, j);
	proc_watch(j->pid, job_exited, j);
	LIST_INSERT_HEAD(&jobs, j, entry);
	return (j);
}

/*
 * Kill a job and what it runs: its session's process group, and the job
 * itself should it not have made the session yet.
 */
static void
job_kill(struct job *j)
{
	kill(-j->pid, SIGKILL);
	kill(j->pid, SIGKILL);
}

/* Forget a job; it is killed if it is still running. */
void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	if (!j->exited) {
		proc_unwatch(j->pid);
		job_kill(j);
	}
	LIST_REMOVE(j, entry);
	output_free(j->output);
	free(j);
}

/*
 * Leaving with jobs still running (a signal cut a server start or a probe
 * short, and what waited on them stays with the loop): end them, so that
 * no program we ran outlives us.
 */
void
job_kill_all(void)
{
	struct job	*j;

	LIST_FOREACH(j, &jobs, entry) {
		if (!j->exited)
			job_kill(j);
	}
}
