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
 * Where the server's socket is, as tmux 3.3a's client finds it: -S, else
 * $TMUX, else a label in the per-user directory, with tmux's checks on
 * that directory.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

extern char	**environ;

/*
 * A variable as tmux reads its environment into a table: one set more
 * than once has its last value, where getenv(3) finds the first. The
 * server we start finds its socket so.
 */
static const char *
socket_getenv(const char *name)
{
	const char	*value = NULL;
	size_t		 len = strlen(name);
	char		**ep;

	for (ep = environ; *ep != NULL; ep++) {
		if (strncmp(*ep, name, len) == 0 && (*ep)[len] == '=')
			value = *ep + len + 1;
	}
	return (value);
}

/*
 * BASE/tmux-UID, made if missing, with tmux's checks on it. On failure
 * *cause says why in tmux's words.
 */
char *
socket_dir(char **cause)
{
	const char	*base[] = { socket_getenv("TMUX_TMPDIR"), "/tmp/" };
	char		 resolved[PATH_MAX], *dir;
	struct stat	 sb;
	uid_t		 uid = getuid();
	size_t		 i;

	for (i = 0; i < 2; i++) {
		if (base[i] != NULL && realpath(base[i], resolved) != NULL)
			break;
	}
	if (i == 2) {
		*cause = xstrdup("no suitable socket path");
		return (NULL);
	}
	xasprintf(&dir, "%s/tmux-%ld", resolved, (long)uid);
	if (mkdir(dir, S_IRWXU) != 0 && errno != EEXIST) {
		xasprintf(cause, "couldn't create directory %s (%s)", dir,
		    strerror(errno));
	} else if (lstat(dir, &sb) != 0) {
		xasprintf(cause, "couldn't read directory %s (%s)", dir,
		    strerror(errno));
	} else if (!S_ISDIR(sb.st_mode))
		xasprintf(cause, "%s is not a directory", dir);
	else if (sb.st_uid != uid || (sb.st_mode & S_IRWXO) != 0)
		xasprintf(cause, "directory %s has unsafe permissions", dir);
	else
		return (dir);
	free(dir);
	return (NULL);
}

/* The default socket of LABEL. */
static char *
socket_default(const char *label, char **cause)
{
	char	*dir, *path;

	if ((dir = socket_dir(cause)) == NULL)
		return (NULL);
	xasprintf(&path, "%s/%s", dir, label);
	free(dir);
	return (path);
}

const char *
socket_path(struct options *opt, const char *path, char **cause)
{
	const char	*s;
	char		*copy;

	if (path != NULL)
		return (path);
	s = getenv("TMUX");
	if (opt->label == NULL && s != NULL && *s != '\0' && *s != ',') {
		copy = xstrdup(s);
		copy[strcspn(copy, ",")] = '\0';
		return (copy);
	}
	opt->flags |= CLIENT_DEFAULTSOCKET;
	return (socket_default(opt->label != NULL ? opt->label : "default",
	    cause));
}
