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
 * Short conversations on a connection of their own, without passing a
 * descriptor: identify as every release accepts it, run one command,
 * collect the reply. Used to learn a server's dialect before speaking to
 * it, and to set an option on a server we started. Each is a state of the
 * event loop; nothing here waits.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

/* One conversation. */
struct talk {
	struct event_base	*base;
	struct dial		 dial;
	const struct dialect	*dialect;
	const char *const	*argv;
	struct peer		*peer;
	struct probe_reply	 reply;
	probe_reply_cb		*cb;
	void			*arg;
};

/* Keep the start of what came for stdout (1) or stderr (2). */
static void
talk_append(struct probe_reply *r, int fd, const char *data, size_t len)
{
	char	*buf = (fd == 1) ? r->out : r->err;
	size_t	*used = (fd == 1) ? &r->outlen : &r->errlen;
	size_t	 size = (fd == 1) ? sizeof r->out : sizeof r->err;

	if (len > size - 1 - *used)
		len = size - 1 - *used;
	memcpy(buf + *used, data, len);
	*used += len;
	buf[*used] = '\0';
}

static void
talk_finish(struct talk *t)
{
	peer_free(t->peer);
	t->cb(&t->reply, t->arg);
	free(t->reply.exit_message);
	free(t->reply.malformed);
	free(t);
}

static void
talk_dispatch(struct imsg *imsg, void *arg)
{
	struct talk		*t = arg;
	struct probe_reply	*r = &t->reply;
	struct msg_write_open	 wo;
	struct msg_write_ready	 wr;
	ssize_t			 size;
	int			 stream, status;

	switch (imsg->type) {
	case MSG_VERSION:
		r->version_msg = 1;
		r->peer_version = imsg->peerid & 0xff;
		talk_finish(t);
		return;
	case MSG_OLDSTDOUT:
	case MSG_OLDSTDERR:
		r->oldstdio = 1;
		if (imsg->len < sizeof size)
			break;
		r->stdio_size = imsg->len;
		memcpy(&size, imsg->data, sizeof size);
		if (imsg->type == MSG_OLDSTDOUT && size > 0 &&
		    (size_t)size <= imsg->len - sizeof size)
			talk_append(r, 1, (char *)imsg->data + sizeof size,
			    size);
		break;
	case MSG_OLDSTDIN:
		/* Nothing a probe runs reads stdin: no answer will come. */
		r->asked_stdin = 1;
		talk_finish(t);
		return;
	case MSG_WRITE_OPEN:
		r->fileproto = 1;
		if (imsg->len < sizeof wo)
			break;
		memcpy(&wo, imsg->data, sizeof wo);
		wr.stream = wo.stream;
		wr.error = 0;
		peer_send(t->peer, MSG_WRITE_READY, &wr, sizeof wr);
		break;
	case MSG_WRITE:
		if (imsg->len < sizeof stream)
			break;
		memcpy(&stream, imsg->data, sizeof stream);
		/* tmux's streams 1 and 2 are the client's stdout and stderr. */
		if (stream == 1 || stream == 2) {
			talk_append(r, stream, (char *)imsg->data +
			    sizeof stream, imsg->len - sizeof stream);
		}
		break;
	case MSG_EXIT:
	case MSG_SHUTDOWN:
		r->exited = 1;
		if (imsg->len >= sizeof status) {
			memcpy(&status, imsg->data, sizeof status);
			r->status = status;
		}
		if (imsg->len > sizeof status && r->exit_message == NULL) {
			r->exit_message = xmalloc(imsg->len - sizeof status);
			memcpy(r->exit_message, (char *)imsg->data +
			    sizeof status, imsg->len - sizeof status);
			r->exit_message[imsg->len - sizeof status - 1] = '\0';
		}
		talk_finish(t);
		return;
	}
}

static void
talk_lost(int why, void *arg)
{
	struct talk	*t = arg;

	if (why == PEER_DEAF)
		t->reply.deaf = 1;
	else if (why == PEER_MALFORMED)
		t->reply.malformed = peer_malformed(t->peer);
	else if (!t->reply.oldstdio && !t->reply.fileproto)
		t->reply.dropped = 1;
	talk_finish(t);
}

static void
talk_dialed(int fd, int error, void *arg)
{
	struct talk		*t = arg;
	const struct dialect	*d = t->dialect;
	const char *const	*argv = t->argv;
	struct peer		*p;
	void			*buf;
	size_t			 len;
	int			 argc, flags = CLIENT_UTF8;
	pid_t			 pid = getpid();

	if (fd == -1) {
		t->reply.connect_error = error;
		talk_finish(t);
		return;
	}
	t->peer = p = peer_new(t->base, fd, d, talk_dispatch, talk_lost, t);
	t->reply.pid = peer_pid(p);
	t->reply.same_user = peer_same_user(p);

	if (d->identify & ID_PROBE)
		peer_mark_probe(p);
	if (~d->identify & ID_STRUCTS) {
		peer_send(p, MSG_IDENTIFY_FLAGS, &flags, sizeof flags);
		peer_send(p, MSG_IDENTIFY_TERM, "", 1);
		peer_send(p, MSG_IDENTIFY_TTYNAME, "", 1);
		peer_send(p, MSG_IDENTIFY_OLDCWD, NULL, 0);
		peer_send(p, MSG_IDENTIFY_CWD, "/", 2);
		peer_send(p, MSG_IDENTIFY_STDIN, NULL, 0);
		peer_send(p, MSG_IDENTIFY_CLIENTPID, &pid, sizeof pid);
		peer_send(p, MSG_IDENTIFY_DONE, NULL, 0);
	}

	for (argc = 0; argv[argc] != NULL; argc++)
		/* nothing */;
	if (dialect_command(d, argc, (char *const *)argv, &buf, &len) != NULL)
		fatalx("probe command too long");
	peer_send(p, MSG_COMMAND, buf, len);
	free(buf);
}

/*
 * Talk to the server on PATH in dialect D: run ARGV and call cb with what
 * came back, or with the connect error. The first header carries the
 * layout probe's mark if D says so. PATH and ARGV must last until cb is
 * called.
 */
void
probe_command(struct event_base *base, const char *path,
    const struct dialect *d, const char *const *argv, probe_reply_cb *cb,
    void *arg)
{
	struct talk	*t;

	t = xcalloc(1, sizeof *t);
	t->base = base;
	t->dialect = d;
	t->argv = argv;
	t->cb = cb;
	t->arg = arg;
	peer_dial(&t->dial, base, path, 1, talk_dialed, t);
}

/* "server on PATH (pid N) ...", without the pid if it is not known. */
char *
probe_cause(const char *path, pid_t pid, const char *fmt, ...)
{
	va_list	 ap;
	char	*what, *cause;

	va_start(ap, fmt);
	xvasprintf(&what, fmt, ap);
	va_end(ap);
	if (pid != 0)
		xasprintf(&cause, "server on %s (pid %ld) %s", path, (long)pid,
		    what);
	else
		xasprintf(&cause, "server on %s %s", path, what);
	free(what);
	return (cause);
}

/* A server that answered our first message with MSG_VERSION. */
char *
probe_refused(const char *path, pid_t pid, u_int version)
{
	const char	*releases = dialect_releases(version);

	if (version == PROTOCOL_VERSION ||
	    dialect_for_protocol(version) != NULL)
		return (probe_cause(path, pid, "refused protocol version %u",
		    version));
	if (releases == NULL) {
		return (probe_cause(path, pid, "speaks protocol version %u, "
		    "not %d or %d", version, PROTOCOL_VERSION_OLD,
		    PROTOCOL_VERSION));
	}
	return (probe_cause(path, pid, "speaks protocol version %u (%s), "
	    "not %d or %d", version, releases, PROTOCOL_VERSION_OLD,
	    PROTOCOL_VERSION));
}

/* Learning the dialect: two or three talks, maybe a look at the binary. */
struct probe {
	struct event_base	*base;
	char			*path;
	int			 flags;		/* PROBE_* */
	const struct dialect	*dialect;	/* of the talk now */
	struct probe_result	 result;
	probe_done_cb		*cb;
	void			*arg;
};

static void
probe_done(struct probe *pr)
{
	pr->cb(&pr->result, pr->arg);
	free(pr->path);
	free(pr);
}

static void
probe_fail(struct probe *pr, char *cause)
{
	pr->result.cause = cause;
	pr->result.status = 1;
	probe_done(pr);
}

static void
probe_binary_version(char *version, void *arg)
{
	struct probe	*pr = arg;

	if (version != NULL) {
		free(pr->result.version);
		pr->result.version = version;
	}
	probe_done(pr);
}

static void	probe_reply(struct probe_reply *, void *);

static void
probe_talk(struct probe *pr, const struct dialect *d)
{
	pr->dialect = d;
	probe_command(pr->base, pr->path, d, dialect_probe_argv(d),
	    probe_reply, pr);
}

static void
probe_reply(struct probe_reply *r, void *arg)
{
	struct probe		*pr = arg;
	const struct dialect	*d;
	char			*v, *cause;

	if (r->connect_error != 0) {
		/*
		 * A probe follows a connection that was made: with no one
		 * listening now, the server has gone since, as tmux's client
		 * would have seen it go.
		 */
		if (r->connect_error == ECONNREFUSED ||
		    r->connect_error == ENOENT) {
			cause = xstrdup("server exited unexpectedly");
			pr->result.gone = 1;
		} else {
			xasprintf(&cause, "error connecting to %s (%s)",
			    pr->path, strerror(r->connect_error));
		}
		probe_fail(pr, cause);
		return;
	}
	if (r->dropped && (pr->dialect->identify & ID_PROBE)) {
		/* 3.6 or later: ask again only if the release matters. */
		if (~pr->flags & PROBE_EXACT) {
			pr->result.dialect = dialect_after_drop();
			probe_done(pr);
		} else
			probe_talk(pr, dialect_after_drop());
		return;
	}
	if (r->malformed != NULL) {
		probe_fail(pr, xstrdup(r->malformed));
		return;
	}
	if (r->asked_stdin) {
		probe_fail(pr, probe_cause(pr->path, r->pid, "%s",
		    "asked for stdin in answer to a probe"));
		return;
	}
	if (r->version_msg) {
		/* 1.7 or 1.8: ask again in protocol 7. */
		d = dialect_for_protocol(r->peer_version);
		if (d != NULL && d != pr->dialect)
			probe_talk(pr, d);
		else {
			probe_fail(pr, probe_refused(pr->path, r->pid,
			    r->peer_version));
		}
		return;
	}
	if (r->exit_message != NULL && !r->oldstdio && !r->fileproto) {
		/*
		 * Refused ("access not allowed"): exit as tmux would. Not
		 * by talking on: a 3.3 server crashes if a control client
		 * leaves before its identify is done.
		 */
		pr->result.cause = xstrdup(r->exit_message);
		pr->result.status = r->status;
		pr->result.refused = 1;
		probe_done(pr);
		return;
	}
	if (dialect_readonly(r) && (pr->flags & PROBE_VERSION)) {
		probe_fail(pr, probe_cause(pr->path, r->pid, "%s",
		    "does not tell a read-only client its version"));
		return;
	}
	if (!r->exited && !r->oldstdio && !r->fileproto) {
		probe_fail(pr, probe_cause(pr->path, r->pid, "%s", r->deaf ?
		    "did not answer" : (pr->dialect->identify & ID_STRUCTS) ?
		    "closed the connection at once" :
		    "closed the connection at once, with either header"));
		return;
	}

	pr->result.dialect = dialect_classify(r, pr->dialect, &v);
	pr->result.stdio_size = r->stdio_size;
	log_debug("probe: %s, dialect %s", r->out, pr->result.dialect->name);
	if (~pr->flags & PROBE_VERSION) {
		free(v);
		probe_done(pr);
		return;
	}
	pr->result.version = v;
	if (*v == '\0' && r->same_user) {
		/*
		 * Before 2.4 only the binary can say; we run it only for a
		 * server of our own user, which could run it as us anyway.
		 */
		program_server_version(pr->base, r->pid, probe_binary_version,
		    pr);
		return;
	}
	probe_done(pr);
}

/*
 * Find the dialect of the server on PATH without passing a descriptor;
 * cb gets the result, with a cause on failure.
 */
void
probe_start(struct event_base *base, const char *path, int flags,
    probe_done_cb *cb, void *arg)
{
	struct probe	*pr;

	pr = xcalloc(1, sizeof *pr);
	pr->base = base;
	pr->path = xstrdup(path);
	pr->flags = flags;
	pr->cb = cb;
	pr->arg = arg;
	probe_talk(pr, dialect_guess());
}

void
probe_result_free(struct probe_result *r)
{
	free(r->version);
	free(r->cause);
}
