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
 * Server dialects. Every tmux from 1.9 to 3.7c says protocol 8, but what
 * crosses the socket changed; 1.7 and 1.8 speak protocol 7, with other
 * message numbers and fixed-size structures. This file alone knows how
 * (doc/protocol.md, sections 5, 10, 11 and 12). The rest of the client
 * asks the dialect table, and the transport translates protocol 7's
 * messages to and from ours through the map below.
 *
 * Choosing: a server we started has a known version. Otherwise a client
 * that needs what the guess below cannot give (control mode, terminal
 * features, the working directory, stdin in old stdio records) probes
 * first on a separate connection (probe.c). Anything else is sent at once
 * in a form every old-header server accepts, with a first header that
 * 3.6+ servers reject unread; if one does, the client reconnects speaking
 * the new header. A 1.7 or 1.8 server answers the first message with its
 * protocol version, and the client reconnects speaking protocol 7.
 */

#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tmux.h"

/*
 * Each server's feature table: bit i is entry i. Before 3.2 only -2's
 * "256" exists, as a client flag.
 */
static const char *const features_old[] = { "256", NULL };
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

/* Protocol 7's identify flags: bit i is entry i. */
static const uint64_t flags_17[] = {
	CLIENT_UTF8, CLIENT_256COLOURS, 0, CLIENT_CONTROL,
	CLIENT_CONTROLCONTROL
};

/*
 * Protocol 7's messages and ours. What goes out must have the size the
 * server insists on (SIZE_ANY: stdin records, of the server's size, which
 * file.c learns from it) and a descriptor exactly where it wants one;
 * anything else, or any other message, would end the server, so it is not
 * sent. What comes in is renumbered; structures holding a string are cut
 * after it, the rest is checked by the client like any message of ours.
 */
#define M_IN 0x1
#define M_OUT 0x2
#define M_FD 0x4	/* must carry a descriptor */
#define M_STRING 0x8	/* a structure holding one string */
#define SIZE_ANY ((size_t)-1)
struct msgmap {
	u_int	ours;
	u_int	wire;
	int	flags;
	size_t	size;	/* going out */
};
static const struct msgmap map_17[] = {
	{ MSG_COMMAND, MSG7_COMMAND, M_OUT, sizeof(struct msg7_command) },
	{ MSG_DETACH, MSG7_DETACH, M_IN, 0 },
	{ MSG_EXIT, MSG7_EXIT, M_IN, 0 },
	{ MSG_EXITED, MSG7_EXITED, M_IN, 0 },
	{ MSG_EXITING, MSG7_EXITING, M_OUT, 0 },
	{ MSG_IDENTIFY_STRUCT, MSG7_IDENTIFY, M_OUT|M_FD,
	  sizeof(struct msg7_identify) },
	{ MSG_OLDSTDIN, MSG7_STDIN, M_IN|M_OUT, SIZE_ANY },
	{ MSG_READY, MSG7_READY, M_IN, 0 },
	{ MSG_RESIZE, MSG7_RESIZE, M_OUT, 0 },
	{ MSG_SHUTDOWN, MSG7_SHUTDOWN, M_IN, 0 },
	{ MSG_SUSPEND, MSG7_SUSPEND, M_IN, 0 },
	{ MSG_VERSION, MSG7_VERSION, M_IN, 0 },
	{ MSG_WAKEUP, MSG7_WAKEUP, M_OUT, 0 },
	{ MSG_IDENTIFY_ENVIRON, MSG7_ENVIRON, M_OUT,
	  sizeof(struct msg7_environ) },
	{ MSG_UNLOCK, MSG7_UNLOCK, M_OUT, 0 },
	{ MSG_LOCK, MSG7_LOCK, M_IN|M_STRING, 0 },
	{ MSG_SHELL, MSG7_SHELL, M_IN|M_STRING|M_OUT, 0 },
	{ MSG_OLDSTDERR, MSG7_STDERR, M_IN, 0 },
	{ MSG_OLDSTDOUT, MSG7_STDOUT, M_IN, 0 },
	{ MSG_DETACHKILL, MSG7_DETACHKILL, M_IN, 0 },
	{ 0, 0, 0, 0 }
};

/* The releases of the protocols before those the client speaks. */
static const struct {
	u_int		 protocol;
	const char	*releases;
} protocol_releases[] = {
	{ 5, "tmux 1.1 to 1.2" }, { 6, "tmux 1.3 to 1.6" }
};

#define ID_19 (ID_OLDCWD_FD|ID_STDIN_FD|ID_CLIENTPID)
#define ID_OLD (ID_CWD|ID_STDIN_FD|ID_CLIENTPID)
#define ID_32 (ID_LONGFLAGS|ID_FEATURES|ID_CWD|ID_TERMINFO|ID_STDIN_FD| \
    ID_STDOUT|ID_STDOUT_FD|ID_CLIENTPID)

enum {
	D_17, D_19, D_21, D_22, D_31, D_32, D_32A, D_33, D_34, D_36, D_37,
	D_GUESS, D_GUESS_32, D_GUESS_NEW
};

static const struct dialect dialects[] = {
	[D_17] = { .name = "1.7-1.8", .protocol = PROTOCOL_VERSION_OLD,
	    .layout = IMSG_OLD, .identify = ID_STRUCTS, .map = map_17,
	    .flagbits = flags_17, .nflagbits = nitems(flags_17),
	    .flag256 = CLIENT_256COLOURS, .nest_check = 1 },
	[D_19] = { .name = "1.9-2.0", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_OLD, .identify = ID_19,
	    .flagmask32 = FLAGS_ALWAYS|CLIENT_256COLOURS,
	    .flag256 = CLIENT_256COLOURS, .nest_check = 1 },
	/* 0x2 was CLIENT_PREFIX before 2.1, CLIENT_LOGIN from it. */
	[D_21] = { .name = "2.1", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_OLD, .identify = ID_19,
	    .flagmask32 = FLAGS_ALWAYS|CLIENT_LOGIN|CLIENT_256COLOURS,
	    .flag256 = CLIENT_256COLOURS },
	[D_22] = { .name = "2.2-3.0a", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_OLD, .identify = ID_OLD,
	    .flagmask32 = FLAGS_ALWAYS|CLIENT_LOGIN|CLIENT_256COLOURS,
	    .flag256 = CLIENT_256COLOURS },
	[D_31] = { .name = "3.1-3.1c", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_OLD, .identify = ID_OLD,
	    .flagmask32 = FLAGS_ALWAYS|CLIENT_LOGIN|CLIENT_256COLOURS,
	    .flag256 = CLIENT_256COLOURS },
	[D_32] = { .name = "3.2", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_OLD, .identify = ID_32, .flagmask = UINT64_MAX,
	    .flagmask32 = UINT32_MAX, .features = features_32,
	    .can_start = 1, .config_list = 1 },
	[D_32A] = { .name = "3.2a", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_OLD, .identify = ID_32, .flagmask = UINT64_MAX,
	    .flagmask32 = UINT32_MAX, .features = features_32a,
	    .can_start = 1 },
	[D_33] = { .name = "3.3-3.3a", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_OLD, .identify = ID_32, .flagmask = UINT64_MAX,
	    .flagmask32 = UINT32_MAX, .features = features_33,
	    .can_start = 1 },
	[D_34] = { .name = "3.4-3.5a", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_OLD, .identify = ID_32, .flagmask = UINT64_MAX,
	    .flagmask32 = UINT32_MAX, .features = features_34,
	    .can_start = 1 },
	[D_36] = { .name = "3.6-3.6b", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_NEW, .identify = ID_32, .flagmask = UINT64_MAX,
	    .flagmask32 = UINT32_MAX, .features = features_34,
	    .can_start = 1 },
	[D_37] = { .name = "3.7-3.7c", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_NEW, .identify = ID_32, .flagmask = UINT64_MAX,
	    .flagmask32 = UINT32_MAX, .features = features_37,
	    .can_start = 1 },

	/*
	 * Not yet known: what every old-header server takes without harm.
	 * No descriptor an old server would keep for ever (its stdin fd is
	 * consumed by all, and held back until a 1.7 or 1.8 server has read
	 * the message it refuses), the cwd both ways, and in the 32-bit
	 * flags only bits that never changed meaning; 3.2+ take the rest
	 * from LONGFLAGS.
	 */
	[D_GUESS] = { .name = "unknown, old header",
	    .protocol = PROTOCOL_VERSION, .layout = IMSG_OLD,
	    .identify = ID_PROBE|ID_FENCE|ID_LONGFLAGS|ID_OLDCWD|ID_CWD|
	    ID_TERMINFO|ID_STDIN_FD|ID_CLIENTPID,
	    .flagmask = UINT64_MAX, .flagmask32 = FLAGS_ALWAYS, .guess = 1 },

	/*
	 * 3.2 or later, the release not known (a read-only client cannot ask,
	 * or the version is no number): only the feature names every
	 * candidate numbers alike, 3.2 to 3.5a in the old header (3.2a
	 * inserted "mouse", 3.4 "hyperlinks"), 3.6 on in the new (3.7
	 * inserted "progressbar").
	 */
	[D_GUESS_32] = { .name = "3.2-3.5a", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_OLD, .identify = ID_32, .flagmask = UINT64_MAX,
	    .flagmask32 = UINT32_MAX, .features = features_33, .nfeatures = 4 },
	[D_GUESS_NEW] = { .name = "3.6+", .protocol = PROTOCOL_VERSION,
	    .layout = IMSG_NEW, .identify = ID_32, .flagmask = UINT64_MAX,
	    .flagmask32 = UINT32_MAX, .features = features_37,
	    .nfeatures = 13 },
};

/* Versions from which each dialect applies, newest first. */
static const struct {
	int	version;	/* major * 1000 + minor * 10 + letter */
	int	dialect;
} dialect_versions[] = {
	{ 3070, D_37 }, { 3060, D_36 }, { 3040, D_34 }, { 3030, D_33 },
	{ 3021, D_32A }, { 3020, D_32 }, { 3010, D_31 }, { 2020, D_22 },
	{ 2010, D_21 }, { 0, D_19 }
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

/* What to speak to a server that refused ours, naming its protocol. */
const struct dialect *
dialect_for_protocol(u_int protocol)
{
	return (protocol == PROTOCOL_VERSION_OLD ? &dialects[D_17] : NULL);
}

/* The releases that spoke a protocol ("tmux 1.3 to 1.6"), or NULL. */
const char *
dialect_releases(u_int protocol)
{
	u_int	i;

	for (i = 0; i < nitems(protocol_releases); i++) {
		if (protocol_releases[i].protocol == protocol)
			return (protocol_releases[i].releases);
	}
	return (NULL);
}

/*
 * The number our message TYPE has in this dialect, or -1 if it must not
 * be sent to its servers as it is.
 */
int
dialect_send_type(const struct dialect *d, u_int type, size_t len,
    int hasfd)
{
	const struct msgmap	*m;

	if (d->map == NULL)
		return (type);
	for (m = d->map; m->flags != 0; m++) {
		if (m->ours != type || !(m->flags & M_OUT))
			continue;
		if ((m->size != SIZE_ANY && len != m->size) ||
		    (m->size == SIZE_ANY && len <= OLDSTDIO_HEADER) ||
		    hasfd != ((m->flags & M_FD) != 0))
			return (-1);
		return (m->wire);
	}
	return (-1);
}

/*
 * A message received in this dialect, as one of ours. Returns -1 if it
 * is not one a server sends; the client ignores it as any unknown type.
 */
int
dialect_receive(const struct dialect *d, struct imsg *imsg)
{
	const struct msgmap	*m;
	const char		*end;

	if (d->map == NULL)
		return (0);
	for (m = d->map; m->flags != 0; m++) {
		if (m->wire == imsg->type && (m->flags & M_IN))
			break;
	}
	if (m->flags == 0)
		return (-1);
	imsg->type = m->ours;
	if ((m->flags & M_STRING) && imsg->len != 0 &&
	    (end = memchr(imsg->data, '\0', imsg->len)) != NULL)
		imsg->len = end - (const char *)imsg->data + 1;
	return (0);
}

/* The 32-bit identify flags word for the client flags. */
int
dialect_identify_flags(const struct dialect *d, uint64_t flags)
{
	u_int	i;
	int	out = 0;

	if (d->flagbits == NULL)
		return ((int)(flags & d->flagmask32));
	for (i = 0; i < d->nflagbits; i++) {
		if (flags & d->flagbits[i])
			out |= 1 << i;
	}
	return (out);
}

/*
 * $TMUX as 1.7 and 1.8 read it: a path of 1 to 255 bytes, the server's
 * pid, the session's index and anything. False if it is not that.
 */
static int
dialect_parse_tmux(const char *env, pid_t *pid, int *session)
{
	const char	*comma;
	char		*end;
	long		 n;

	if ((comma = strchr(env, ',')) == NULL || comma == env ||
	    comma - env > 255)
		return (0);
	errno = 0;
	n = strtol(comma + 1, &end, 10);
	if (end == comma + 1 || *end != ',' || errno != 0 || n != (pid_t)n)
		return (0);
	*pid = n;
	comma = end;
	n = strtol(comma + 1, &end, 10);
	if (end == comma + 1 || errno != 0 || n < INT_MIN || n > INT_MAX)
		return (0);
	*session = n;
	return (1);
}

/* Protocol 7's command: $TMUX says which server and session we are in. */
static const char *
dialect_command_struct(int argc, char *const *argv, void **buf,
    size_t *len)
{
	struct msg7_command	*cmd;
	const char		*env;
	pid_t			 pid;
	int			 i, session;
	size_t			 used = 0, n;

	cmd = xcalloc(1, sizeof *cmd);
	cmd->pid = -1;
	cmd->session = -1;
	if ((env = getenv("TMUX")) != NULL &&
	    dialect_parse_tmux(env, &pid, &session)) {
		cmd->pid = pid;
		cmd->session = session;
	}
	cmd->argc = argc;
	for (i = 0; i < argc; i++) {
		n = strlen(argv[i]) + 1;
		if (n > sizeof cmd->argv - used) {
			free(cmd);
			return ("command too long");
		}
		memcpy(cmd->argv + used, argv[i], n);
		used += n;
	}
	*buf = cmd;
	*len = sizeof *cmd;
	return (NULL);
}

/*
 * The payload of MSG_COMMAND for ARGV in this dialect: NULL with *buf to
 * free, or why it cannot be sent, in tmux's words.
 */
const char *
dialect_command(const struct dialect *d, int argc, char *const *argv,
    void **buf, size_t *len)
{
	char	*p;
	size_t	 size = 0, n;
	int	 i;

	if (d->identify & ID_STRUCTS)
		return (dialect_command_struct(argc, argv, buf, len));
	for (i = 0; i < argc; i++)
		size += strlen(argv[i]) + 1;
	if (size > MAX_IMSGSIZE - sizeof argc)
		return ("command too long");
	if (size > MAX_PAYLOAD - sizeof argc)
		return ("failed to send command");
	p = *buf = xmalloc(sizeof argc + size);
	memcpy(p, &argc, sizeof argc);
	p += sizeof argc;
	for (i = 0; i < argc; i++) {
		n = strlen(argv[i]) + 1;
		memcpy(p, argv[i], n);
		p += n;
	}
	*len = sizeof argc + size;
	return (NULL);
}

/*
 * "3.3a" -> 3031, "3.1-rc" -> 3010, "next-3.6" -> 3060, "tmux 2.1" ->
 * 2010; -1 if there is no number, or none that fits (a server says what
 * it likes: major * 1000 must not overflow, minor * 10 must stay below
 * 1000).
 */
static int
version_number(const char *s)
{
	long	major, minor;
	int	letter = 0;
	char	*end;

	while (*s != '\0' && !isdigit((u_char)*s))
		s++;
	if (*s == '\0')
		return (-1);
	major = strtol(s, &end, 10);
	if (*end != '.' || !isdigit((u_char)end[1]) || major > 999)
		return (-1);
	minor = strtol(end + 1, &end, 10);
	if (minor > 99)
		return (-1);
	if (*end >= 'a' && *end <= 'z')
		letter = *end - 'a' + 1;
	return (major * 1000 + minor * 10 + letter);
}

static const struct dialect *
dialect_number(int v)
{
	u_int	i, last;

	/* The last entry takes whatever is older. */
	last = nitems(dialect_versions) - 1;
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

/*
 * Is the command one that starts or attaches a session, run from inside a
 * session of the same server ($TMUX, as tmux 1.7 to 2.0 parse it,
 * names our socket)?
 */
static int
dialect_inside(const struct options *opt)
{
	const char	*env;
	pid_t		 pid;
	int		 session;
	size_t		 len;

	if (opt->shell_command != NULL || !(opt->cmd_flags & CMD_CANTNEST) ||
	    (env = getenv("TMUX")) == NULL ||
	    !dialect_parse_tmux(env, &pid, &session))
		return (0);
	len = strcspn(env, ",");
	return (strncmp(env, opt->socket_path, len) == 0 &&
	    opt->socket_path[len] == '\0');
}

/*
 * Before 2.1 the client, not the server, refused such a command, before
 * it connected: "unset $TMUX to force".
 */
int
dialect_nested(const struct dialect *d, const struct options *opt)
{
	return (d->nest_check && dialect_inside(opt));
}

/*
 * Whether the guess serves what the command line asks for. It gets all
 * right but terminal features, control mode (3.2+ want a stdout
 * descriptor that older ones would keep), the working directory on
 * 1.9-2.1, stdin for old stdio servers, which want it in records of
 * their own size, and a session started or attached from inside one,
 * which 1.9-2.0 refuse in the client.
 */
int
dialect_guess_serves(const struct options *opt)
{
	return (!(opt->flags & CLIENT_CONTROL) && opt->nfeatures == 0 &&
	    !(opt->cmd_flags & (CMD_CWD|CMD_STDIN)) && !dialect_inside(opt));
}

/* What a probe for this command line must find out. */
int
dialect_probe_flags(const struct options *opt)
{
	/* Only the feature tables tell 3.6 from 3.7. */
	return (opt->nfeatures != 0 ? PROBE_EXACT : 0);
}

/*
 * The -T lists and -2 as bits of this server's feature table. As with
 * tmux's own client, each list ends at the first name the table lacks:
 * what a release does not know ends the list for that release only.
 */
int
dialect_features(const struct dialect *d, const struct options *opt)
{
	const char *const	*table;
	char			*copy, *next, *name;
	u_int			 i, j, n;
	int			 out = 0;

	table = d->features != NULL ? d->features : features_old;
	for (n = 0; table[n] != NULL; n++)
		;
	if (d->nfeatures != 0 && d->nfeatures < n)
		n = d->nfeatures;
	for (i = 0; i < opt->nfeatures; i++) {
		next = copy = xstrdup(opt->features[i]);
		while ((name = strsep(&next, ",:")) != NULL) {
			for (j = 0; j < n; j++) {
				if (strcasecmp(table[j], name) == 0)
					break;
			}
			if (j == n)
				break;
			out |= 1 << j;
		}
		free(copy);
	}
	return (out);
}

/*
 * What the probe asks a server that speaks protocol 8: the fields below,
 * in this order, which dialect_classify reads back.
 */
enum probe_field {
	PF_VERSION,
	PF_SOCKET_PATH,
	PF_PID,
	PF_ACTIVE_WINDOW_INDEX,
	PF_SIXEL_SUPPORT
};
static const char *const probe_argv[] = {
	"display-message", "-p",
	"#{version}|#{socket_path}|#{pid}|#{active_window_index}|"
	"#{sixel_support}", NULL
};

/*
 * What a 1.7 or 1.8 server is asked, in protocol 7 and without an
 * identify (which would need a descriptor): anything it prints tells the
 * size of its stdio records, which its stdin records must have.
 */
static const char *const probe7_argv[] = {
	"show-options", "-s", "quiet", NULL
};

/* The probe's command for a server spoken to in dialect D. */
const char *const *
dialect_probe_argv(const struct dialect *d)
{
	return ((d->identify & ID_STRUCTS) ? probe7_argv : probe_argv);
}

/* Field n of the probe's "a|b|c" answer. */
static char *
dialect_field(const char *s, u_int n)
{
	const char	*end;
	char		*field;

	while (n-- > 0 && s != NULL) {
		if ((s = strchr(s, '|')) != NULL)
			s++;
	}
	if (s == NULL)
		return (xstrdup(""));
	end = s + strcspn(s, "|\n");
	field = xmalloc(end - s + 1);
	memcpy(field, s, end - s);
	field[end - s] = '\0';
	return (field);
}

/* Did the server refuse our command to a read-only client, as 3.3+ do? */
int
dialect_readonly(const struct probe_reply *r)
{
	return (r->fileproto && r->status != 0 && r->outlen == 0 &&
	    strstr(r->err, "client is read-only") != NULL);
}

/*
 * The dialect of a server that answered the probe spoken in dialect
 * SPOKEN, from how it answered and what (probe_argv). *version is its
 * first field. A server that answered in protocol 7 has no more to say.
 */
const struct dialect *
dialect_classify(const struct probe_reply *r, const struct dialect *spoken,
    char **version)
{
	const struct dialect	*d;
	enum imsg_layout	 layout = spoken->layout;
	char			*path, *pid, *awi, *sixel;
	int			 n;

	if (spoken->protocol != PROTOCOL_VERSION) {
		*version = xstrdup("");
		return (spoken);
	}
	if (dialect_readonly(r)) {
		/* Which release cannot be asked: the first that refuses so. */
		*version = xstrdup("");
		return (&dialects[layout == IMSG_NEW ? D_GUESS_NEW :
		    D_GUESS_32]);
	}
	*version = dialect_field(r->out, PF_VERSION);
	path = dialect_field(r->out, PF_SOCKET_PATH);
	pid = dialect_field(r->out, PF_PID);
	awi = dialect_field(r->out, PF_ACTIVE_WINDOW_INDEX);
	sixel = dialect_field(r->out, PF_SIXEL_SUPPORT);
	n = version_number(*version);
	if (r->oldstdio) {
		/*
		 * 1.9-2.1 have no #{socket_path} and no empty server; 2.1 has
		 * #{pid}.
		 */
		if (*path != '\0' || r->status != 0)
			d = &dialects[D_22];
		else
			d = &dialects[*pid != '\0' ? D_21 : D_19];
	} else if (n != -1)
		d = dialect_number(n);
	else if (*sixel != '\0')
		d = &dialects[D_GUESS_NEW];	/* 3.6 and later */
	else if (*awi != '\0')
		d = &dialects[D_GUESS_32];	/* 3.2 to 3.5a */
	else
		d = &dialects[D_31];
	/* The header probe, not the version string, decides the layout. */
	if (d->layout != layout)
		d = &dialects[layout == IMSG_NEW ? D_GUESS_NEW : D_34];
	free(path);
	free(pid);
	free(awi);
	free(sixel);
	return (d);
}
