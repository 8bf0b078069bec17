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
 * crosses the socket changed; this file alone knows how (doc/protocol.md,
 * sections 5, 10 and 11). The rest of the client asks the dialect table.
 *
 * Choosing: a server we started has a known version. Otherwise a client
 * that needs what the guess below cannot give (control mode, terminal
 * features, the working directory, stdin in old stdio records) probes
 * first on a separate connection (probe.c). Anything else is sent at once
 * in a form every old-header server accepts, with a first header that
 * 3.6+ servers reject unread; if one does, the client reconnects speaking
 * the new header.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tmux.h"

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

/*
 * Whether the guess serves what the command line asks for. It gets all
 * right but terminal features, control mode (3.2+ want a stdout
 * descriptor that older ones would keep), the working directory on
 * 1.9-2.1, and stdin for old stdio servers, which want it in records of
 * their own size.
 */
int
dialect_guess_serves(const struct options *opt)
{
	return (!(opt->flags & CLIENT_CONTROL) && opt->features == 0 &&
	    !(opt->cmd_flags & (CMD_CWD|CMD_STDIN)));
}

/* What a probe for this command line must find out. */
int
dialect_probe_flags(const struct options *opt)
{
	/* Only the feature tables tell 3.6 from 3.7. */
	return (opt->features != 0 ? PROBE_EXACT : 0);
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

/*
 * The dialect of a server that answered the probe in LAYOUT, from how it
 * answered and what (probe.c asks for "#{version}|#{socket_path}|#{pid}|
 * #{active_window_index}|#{sixel_support}"). *version is the first field.
 */
const struct dialect *
dialect_classify(const struct probe_reply *r, enum imsg_layout layout,
    char **version)
{
	const struct dialect	*d;
	char			*path, *awi, *sixel;
	int			 n;

	*version = dialect_field(r->out, 0);
	path = dialect_field(r->out, 1);
	awi = dialect_field(r->out, 3);
	sixel = dialect_field(r->out, 4);
	n = version_number(*version);
	if (r->oldstdio) {
		/* 1.9-2.1 have no #{socket_path} and no empty server. */
		d = &dialects[*path == '\0' && r->status == 0 ? D_19 : D_22];
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
	free(path);
	free(awi);
	free(sixel);
	return (d);
}
