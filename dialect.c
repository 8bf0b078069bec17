/*
 * Server dialects. Every tmux from 1.9 to 3.7c says protocol 8, but what
 * crosses the socket changed; this file alone knows how (PROTOCOL.md,
 * sections 4, 8 and 9). The rest of the client asks the dialect table.
 *
 * Choosing: a server we started has a known version. Otherwise a client
 * that needs what the guess below cannot give (control mode, terminal
 * features, the working directory) probes first on a separate
 * connection. Anything else is sent at once in a form every old-header
 * server accepts, with a first header that 3.6+ servers reject unread; if
 * one does, the client reconnects speaking the new header (client_lost).
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "tmux.h"

/* Seconds a probe may take: a new server first reads its configuration. */
#define PROBE_TIMEOUT 10

/* Feature names as -T takes them (3.7c's set). */
static const char *const feature_names[] = {
	"256", "bpaste", "ccolour", "clipboard", "hyperlinks", "cstyle",
	"extkeys", "focus", "ignorefkeys", "margins", "mouse", "osc7",
	"overline", "progressbar", "rectfill", "RGB", "sixel",
	"strikethrough", "sync", "title", "usstyle", NULL
};

/* Each server's feature table: bit i is entry i. */
static const char *const features_32[] = {
	"256", "bpaste", "ccolour", "clipboard", "cstyle", "extkeys", "focus",
	"margins", "overline", "rectfill", "RGB", "strikethrough", "sync",
	"title", "usstyle", NULL
};
static const char *const features_32a[] = {
	"256", "bpaste", "ccolour", "clipboard", "cstyle", "extkeys", "focus",
	"margins", "mouse", "overline", "rectfill", "RGB", "strikethrough",
	"sync", "title", "usstyle", NULL
};
static const char *const features_33[] = {
	"256", "bpaste", "ccolour", "clipboard", "cstyle", "extkeys", "focus",
	"margins", "mouse", "osc7", "overline", "rectfill", "RGB",
	"strikethrough", "sync", "title", "usstyle", NULL
};
static const char *const features_34[] = {
	"256", "bpaste", "ccolour", "clipboard", "hyperlinks", "cstyle",
	"extkeys", "focus", "ignorefkeys", "margins", "mouse", "osc7",
	"overline", "rectfill", "RGB", "sixel", "strikethrough", "sync",
	"title", "usstyle", NULL
};
static const char *const features_37[] = {
	"256", "bpaste", "ccolour", "clipboard", "hyperlinks", "cstyle",
	"extkeys", "focus", "ignorefkeys", "margins", "mouse", "osc7",
	"overline", "progressbar", "rectfill", "RGB", "sixel",
	"strikethrough", "sync", "title", "usstyle", NULL
};

/* Bits whose meaning is the same in every release. */
#define FLAGS_ALWAYS (CLIENT_CONTROL|CLIENT_CONTROLCONTROL|CLIENT_UTF8)

#define ID_OLD (ID_CWD|ID_STDIN_FD|ID_CLIENTPID)
#define ID_32 (ID_LONGFLAGS|ID_FEATURES|ID_CWD|ID_TERMINFO|ID_STDIN_FD| \
    ID_STDOUT|ID_STDOUT_FD|ID_CLIENTPID)

enum {
	D_19, D_22, D_31, D_32, D_32A, D_33, D_34, D_36, D_37, D_GUESS,
	D_GUESS_NEW
};

static const struct dialect dialects[] = {
	[D_19] = { .name = "1.9-2.1", .layout = IMSG_OLD,
	    .identify = ID_OLDCWD_FD|ID_STDIN_FD|ID_CLIENTPID,
	    .flagmask32 = FLAGS_ALWAYS|CLIENT_256COLOURS,
	    .flag256 = CLIENT_256COLOURS },
	[D_22] = { .name = "2.2-3.0a", .layout = IMSG_OLD, .identify = ID_OLD,
	    .flagmask32 = FLAGS_ALWAYS|CLIENT_LOGIN|CLIENT_256COLOURS,
	    .flag256 = CLIENT_256COLOURS },
	[D_31] = { .name = "3.1-3.1c", .layout = IMSG_OLD, .identify = ID_OLD,
	    .flagmask32 = FLAGS_ALWAYS|CLIENT_LOGIN|CLIENT_256COLOURS,
	    .flag256 = CLIENT_256COLOURS },
	[D_32] = { .name = "3.2", .layout = IMSG_OLD, .identify = ID_32,
	    .flagmask = UINT64_MAX, .flagmask32 = UINT32_MAX,
	    .features = features_32, .can_start = 1, .config_list = 1 },
	[D_32A] = { .name = "3.2a", .layout = IMSG_OLD, .identify = ID_32,
	    .flagmask = UINT64_MAX, .flagmask32 = UINT32_MAX,
	    .features = features_32a, .can_start = 1 },
	[D_33] = { .name = "3.3-3.3a", .layout = IMSG_OLD, .identify = ID_32,
	    .flagmask = UINT64_MAX, .flagmask32 = UINT32_MAX,
	    .features = features_33, .can_start = 1 },
	[D_34] = { .name = "3.4-3.5a", .layout = IMSG_OLD, .identify = ID_32,
	    .flagmask = UINT64_MAX, .flagmask32 = UINT32_MAX,
	    .features = features_34, .can_start = 1 },
	[D_36] = { .name = "3.6-3.6b", .layout = IMSG_NEW, .identify = ID_32,
	    .flagmask = UINT64_MAX, .flagmask32 = UINT32_MAX,
	    .features = features_34, .can_start = 1 },
	[D_37] = { .name = "3.7-3.7c", .layout = IMSG_NEW, .identify = ID_32,
	    .flagmask = UINT64_MAX, .flagmask32 = UINT32_MAX,
	    .features = features_37, .can_start = 1 },

	/*
	 * Not yet known: what every old-header server takes without harm.
	 * No descriptor an old server would keep for ever (its stdin fd is
	 * consumed by all), the cwd both ways, and in the 32-bit flags only
	 * bits that never changed meaning; 3.2+ take the rest from LONGFLAGS.
	 */
	[D_GUESS] = { .name = "unknown, old header", .layout = IMSG_OLD,
	    .identify = ID_PROBE|ID_LONGFLAGS|ID_OLDCWD|ID_CWD|ID_TERMINFO|
	    ID_STDIN_FD|ID_CLIENTPID, .flagmask = UINT64_MAX,
	    .flagmask32 = FLAGS_ALWAYS, .guess = 1 },
	[D_GUESS_NEW] = { .name = "3.6+", .layout = IMSG_NEW,
	    .identify = ID_32, .flagmask = UINT64_MAX,
	    .flagmask32 = UINT32_MAX, .features = features_37 },
};

/* Versions from which each dialect applies, newest first. */
static const struct {
	int	version;	/* major * 1000 + minor * 10 + letter */
	int	dialect;
} dialect_versions[] = {
	{ 3070, D_37 }, { 3060, D_36 }, { 3040, D_34 }, { 3030, D_33 },
	{ 3021, D_32A }, { 3020, D_32 }, { 3010, D_31 }, { 2020, D_22 },
	{ 0, D_19 }
};

const struct dialect *
dialect_guess(void)
{
	return (&dialects[D_GUESS]);
}

const struct dialect *
dialect_after_drop(void)
{
	return (&dialects[D_GUESS_NEW]);
}

/*
 * "3.3a" -> 3031, "3.1-rc" -> 3010, "next-3.6" -> 3060, "tmux 2.1" ->
 * 2010; -1 if there is no number.
 */
static int
version_number(const char *s)
{
	int	major, minor, letter = 0;
	char	*end;

	while (*s != '\0' && !isdigit((u_char)*s))
		s++;
	if (*s == '\0')
		return (-1);
	major = strtol(s, &end, 10);
	if (*end != '.' || !isdigit((u_char)end[1]))
		return (-1);
	minor = strtol(end + 1, &end, 10);
	if (*end >= 'a' && *end <= 'z')
		letter = *end - 'a' + 1;
	return (major * 1000 + minor * 10 + letter);
}

static const struct dialect *
dialect_number(int v)
{
	u_int	i, last = sizeof dialect_versions / sizeof *dialect_versions - 1;

	/* The last entry takes whatever is older. */
	for (i = 0; i < last; i++) {
		if (v >= dialect_versions[i].version)
			break;
	}
	return (&dialects[dialect_versions[i].dialect]);
}

const struct dialect *
dialect_from_version(const char *version)
{
	int	v;

	if ((v = version_number(version)) == -1)
		return (NULL);
	return (dialect_number(v));
}

/* -T and -2: names into bits of feature_names; stop at an unknown one. */
int
feature_parse(const char *list, uint64_t *bits)
{
	char	*copy, *next, *name;
	u_int	 i;

	next = copy = xstrdup(list);
	while ((name = strsep(&next, ",:")) != NULL) {
		for (i = 0; feature_names[i] != NULL; i++) {
			if (strcasecmp(feature_names[i], name) == 0)
				break;
		}
		if (feature_names[i] == NULL)
			break;
		*bits |= 1ULL << i;
	}
	free(copy);
	return (0);
}

/* Our feature bits in the positions of this server's table. */
int
dialect_features(const struct dialect *d, uint64_t bits)
{
	u_int	i, j;
	int	out = 0;

	if (d->features == NULL) {
		/* Only "256" exists before 3.2, as a client flag. */
		return (bits & 1);
	}
	for (i = 0; feature_names[i] != NULL; i++) {
		if (~bits & (1ULL << i))
			continue;
		for (j = 0; d->features[j] != NULL; j++) {
			if (strcmp(d->features[j], feature_names[i]) == 0)
				out |= 1 << j;
		}
	}
	return (out);
}

/* What a probe learnt. */
struct probe {
	int	 dropped;	/* closed before any reply */
	int	 version_msg;	/* MSG_VERSION */
	u_int	 peer_version;
	int	 oldstdio;	/* MSG_STDOUT/MSG_STDERR */
	int	 fileproto;	/* MSG_WRITE_OPEN */
	int	 exited;
	int	 status;
	int	 stdio_size;
	char	*exit_message;
	char	 out[1024];
	size_t	 outlen;
	pid_t	 pid;
};

static void
probe_append(struct probe *p, const char *data, size_t len)
{
	if (len > sizeof p->out - 1 - p->outlen)
		len = sizeof p->out - 1 - p->outlen;
	memcpy(p->out + p->outlen, data, len);
	p->outlen += len;
	p->out[p->outlen] = '\0';
}

static void
probe_message(struct imsgbuf *ib, struct imsg *imsg, struct probe *p)
{
	struct msg_write_open	 wo;
	struct msg_write_ready	 wr;
	int64_t			 size;
	int			 stream;

	switch (imsg->type) {
	case MSG_VERSION:
		p->version_msg = 1;
		p->peer_version = imsg->peerid & 0xff;
		break;
	case MSG_OLDSTDOUT:
	case MSG_OLDSTDERR:
		p->oldstdio = 1;
		if (imsg->len < sizeof size)
			break;
		p->stdio_size = imsg->len;
		memcpy(&size, imsg->data, sizeof size);
		if (imsg->type == MSG_OLDSTDOUT && size > 0 &&
		    (size_t)size <= imsg->len - sizeof size)
			probe_append(p, (char *)imsg->data + sizeof size, size);
		break;
	case MSG_WRITE_OPEN:
		p->fileproto = 1;
		if (imsg->len < sizeof wo)
			break;
		memcpy(&wo, imsg->data, sizeof wo);
		wr.stream = wo.stream;
		wr.error = 0;
		imsg_compose(ib, MSG_WRITE_READY, -1, &wr, sizeof wr);
		break;
	case MSG_WRITE:
		if (imsg->len < sizeof stream)
			break;
		memcpy(&stream, imsg->data, sizeof stream);
		if (stream == 1) {
			probe_append(p, (char *)imsg->data + sizeof stream,
			    imsg->len - sizeof stream);
		}
		break;
	case MSG_EXIT:
	case MSG_SHUTDOWN:
		p->exited = 1;
		if (imsg->len >= sizeof(int))
			memcpy(&p->status, imsg->data, sizeof p->status);
		if (imsg->len > sizeof(int)) {
			p->exit_message = xmalloc(imsg->len - sizeof(int));
			memcpy(p->exit_message, (char *)imsg->data + sizeof(int),
			    imsg->len - sizeof(int));
			p->exit_message[imsg->len - sizeof(int) - 1] = '\0';
		}
		break;
	}
}

/*
 * One fd-free conversation: identify as every release accepts it, ask
 * for a few formats, read the answer (PROTOCOL.md 9.2 and 9.3).
 */
static int
probe_run(struct client *c, enum imsg_layout layout, struct probe *p)
{
	static const char	 cmd[] = "display-message\0-p\0"
	    "#{version}|#{socket_path}|#{pid}|#{active_window_index}|"
	    "#{sixel_support}";
	struct imsgbuf		*ib;
	struct imsg		 imsg;
	struct pollfd		 pfd;
	struct ucred		 cred;
	socklen_t		 credlen = sizeof cred;
	time_t			 deadline;
	int			 fd, argc = 3, flags = CLIENT_UTF8, r;
	pid_t			 pid = getpid();
	ssize_t			 n;

	memset(p, 0, sizeof *p);
	if ((fd = server_connect(c, 0)) == -1)
		return (-1);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &credlen) == 0)
		p->pid = cred.pid;

	ib = xmalloc(sizeof *ib);
	imsg_init(ib, fd, layout);
	ib->probe = (layout == IMSG_OLD);
	imsg_compose(ib, MSG_IDENTIFY_FLAGS, -1, &flags, sizeof flags);
	imsg_compose(ib, MSG_IDENTIFY_TERM, -1, "", 1);
	imsg_compose(ib, MSG_IDENTIFY_TTYNAME, -1, "", 1);
	imsg_compose(ib, MSG_IDENTIFY_OLDCWD, -1, NULL, 0);
	imsg_compose(ib, MSG_IDENTIFY_CWD, -1, "/", 2);
	imsg_compose(ib, MSG_IDENTIFY_STDIN, -1, NULL, 0);
	imsg_compose(ib, MSG_IDENTIFY_CLIENTPID, -1, &pid, sizeof pid);
	imsg_compose(ib, MSG_IDENTIFY_DONE, -1, NULL, 0);
	imsg_compose2(ib, MSG_COMMAND, &argc, sizeof argc, cmd, sizeof cmd);

	deadline = time(NULL) + PROBE_TIMEOUT;
	pfd.fd = fd;
	while (!p->exited && !p->version_msg && time(NULL) < deadline) {
		pfd.events = POLLIN | (ib->w.queued != 0 ? POLLOUT : 0);
		if (poll(&pfd, 1, 1000) == -1 && errno != EINTR)
			break;
		if ((pfd.revents & POLLOUT) && imsg_write(ib) == -1) {
			/* Refused before reading: EPIPE or ECONNRESET. */
			p->dropped = 1;
			break;
		}
		if (!(pfd.revents & (POLLIN|POLLHUP|POLLERR)))
			continue;
		n = imsg_read(ib);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			p->dropped = 1;
			break;
		}
		while ((r = imsg_get(ib, &imsg)) == 1)
			probe_message(ib, &imsg, p);
		if (r == -1)
			break;
	}
	if (p->dropped && (p->oldstdio || p->fileproto || p->exited))
		p->dropped = 0;
	imsg_clear(ib);
	free(ib);
	close(fd);
	return (0);
}

static char *
probe_field(const char *s, u_int n)
{
	const char	*end;

	while (n-- > 0 && s != NULL) {
		if ((s = strchr(s, '|')) != NULL)
			s++;
	}
	if (s == NULL)
		return (xstrdup(""));
	end = s + strcspn(s, "|\n");
	return (strndup(s, end - s));
}

/* Say what the server is when nothing we know fits it. */
static const struct dialect *
probe_fail(struct client *c, struct probe *p, char **cause, const char *what)
{
	if (cause != NULL) {
		if (p->pid != 0) {
			xasprintf(cause, "server on %s (pid %ld) %s",
			    c->socket_path, (long)p->pid, what);
		} else
			xasprintf(cause, "server on %s %s", c->socket_path, what);
	}
	return (NULL);
}

/*
 * Work out the dialect without passing a descriptor. On success the
 * version string (possibly empty) is returned too; on failure *cause says
 * why, or it is NULL with errno set if there was no server to ask.
 */
const struct dialect *
dialect_probe(struct client *c, char **version, char **cause)
{
	struct probe		 p;
	const struct dialect	*d;
	enum imsg_layout	 layout = IMSG_OLD;
	char			*v, *path, *awi, *sixel;
	int			 n;

	if (cause != NULL)
		*cause = NULL;
	if (probe_run(c, IMSG_OLD, &p) != 0)
		return (NULL);
	if (p.dropped) {
		/*
		 * 3.6 or later. Only the feature table and -V tell 3.6 from
		 * 3.7, so ask again only for those.
		 */
		free(p.exit_message);
		if (version == NULL && c->features == 0)
			return (&dialects[D_GUESS_NEW]);
		layout = IMSG_NEW;
		if (probe_run(c, IMSG_NEW, &p) != 0)
			return (NULL);
	}
	if (p.version_msg) {
		free(p.exit_message);
		xasprintf(&v, "speaks protocol version %u, not %d",
		    p.peer_version, PROTOCOL_VERSION);
		d = probe_fail(c, &p, cause, v);
		free(v);
		return (d);
	}
	if (p.exit_message != NULL && !p.oldstdio && !p.fileproto) {
		/* Refused ("access not allowed"): exit as tmux would. */
		c->retval = p.status;
		if (cause != NULL)
			*cause = p.exit_message;
		else
			free(p.exit_message);
		return (NULL);
	}
	free(p.exit_message);
	if (!p.exited && !p.oldstdio && !p.fileproto) {
		return (probe_fail(c, &p, cause, p.dropped ?
		    "closed the connection at once, with either header" :
		    "did not answer"));
	}

	v = probe_field(p.out, 0);
	path = probe_field(p.out, 1);
	awi = probe_field(p.out, 3);
	sixel = probe_field(p.out, 4);
	n = version_number(v);
	if (p.oldstdio) {
		/* 1.9-2.1 have no #{socket_path} and no empty server. */
		d = &dialects[*path == '\0' && p.status == 0 ? D_19 : D_22];
	} else if (n != -1)
		d = dialect_number(n);
	else if (*sixel != '\0')
		d = &dialects[D_37];
	else if (*awi != '\0')
		d = &dialects[D_34];
	else
		d = &dialects[D_31];
	/* The header probe, not the version string, decides the layout. */
	if (d->layout != layout)
		d = &dialects[layout == IMSG_NEW ? D_GUESS_NEW : D_34];
	c->stdio_size = p.stdio_size;
	if (version != NULL && *v == '\0' && p.pid != 0) {
		/* Before 2.4 only the binary can say. */
		free(v);
		if ((v = program_server_version(p.pid)) == NULL)
			v = xstrdup("");
	}
	if (version != NULL)
		*version = v;
	else
		free(v);
	free(path);
	free(awi);
	free(sixel);
	log_debug("probe: %s, dialect %s", p.out, d->name);
	return (d);
}

/*
 * Pick the dialect for a server that was already running. On failure the
 * reason is printed and c->retval is the exit status.
 */
int
dialect_choose(struct client *c)
{
	char	*cause;

	/*
	 * The guess gets everything right but terminal features, control
	 * mode (3.2+ want a stdout descriptor that older ones would keep)
	 * and the working directory on 1.9-2.1.
	 */
	if (!(c->flags & CLIENT_CONTROL) && c->features == 0 &&
	    !(c->cmd_flags & CMD_CWD)) {
		c->dialect = dialect_guess();
		return (0);
	}
	c->retval = 1;
	if ((c->dialect = dialect_probe(c, NULL, &cause)) != NULL) {
		c->retval = 0;
		return (0);
	}
	if (cause == NULL) {
		fprintf(stderr, "error connecting to %s (%s)\n",
		    c->socket_path, strerror(errno));
	} else {
		fprintf(stderr, "%s\n", cause);
		free(cause);
	}
	return (-1);
}

/* An old stdio server wants our stdin: learn its record size first. */
int
dialect_stdio_size(struct client *c)
{
	struct probe	p;

	if (probe_run(c, IMSG_OLD, &p) != 0)
		return (0);
	free(p.exit_message);
	return (p.stdio_size);
}
