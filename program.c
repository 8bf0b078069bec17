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
 * Finding the real tmux to run as a server, and learning its version.
 *
 * This client may be installed as "tmux", ahead of the real one in PATH,
 * and reached through wrapper scripts, symlinks or copies. It must never
 * pick itself: it would run itself again and again. So every candidate is
 * asked for its version with SELF_ENV set in its environment, SELF_ARG
 * after the -V and SELF_ARG waiting on its standard input (every tmux
 * prints its version at -V and reads no further; a wrapper may make an
 * environment of its own, or arguments, but seldom both and a standard
 * input too); a candidate that is this client, however it was reached,
 * answers SELF_ANSWER at once (program_answer_self) and the search goes
 * on. SELF_ARG waits on a spare descriptor too (JOB_SPARE_FD), for a
 * wrapper that takes all three away.
 *
 * Running a candidate costs an exec, so what was learnt is kept in the
 * per-user socket directory, keyed on the file's path, device, inode,
 * size, modification and change times. A script's version is not kept:
 * what a wrapper runs may change while the wrapper does not (an upgraded
 * tmux behind it); that it is this client is.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

#define SELF_ENV "TMUX_CLIENT_PROBE"
#define SELF_ARG "tmux-client-probe"
#define SELF_ANSWER "tmux-client: not a server"

/* The cache file, in the socket directory; a name no label is likely. */
#define CACHE_NAME ".tmux-client-versions"
#define CACHE_ENTRIES 16
#define CACHE_MAX 8192

/* What running a candidate with -V told us. */
enum answer {
	ANSWER_NONE,		/* failed, or not "tmux X" */
	ANSWER_SELF,		/* this client */
	ANSWER_VERSION
};

/* Is SELF_ARG waiting on fd, left there by program_ask? */
static int
program_asked(int fd)
{
	struct stat	 sb;
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	char		 buf[sizeof SELF_ARG - 1];

	/* Looked at, not read: any other input is left as it was. */
	if (fstat(fd, &sb) != 0 || !S_ISSOCK(sb.st_mode) ||
	    poll(&pfd, 1, 0) != 1 || (pfd.revents & POLLIN) == 0)
		return (0);
	if (recv(fd, buf, sizeof buf, MSG_PEEK) != sizeof buf)
		return (0);
	return (memcmp(buf, SELF_ARG, sizeof buf) == 0);
}

/* Reached as a candidate server program: say so and stop. */
void
program_answer_self(int argc, char **argv)
{
	if (getenv(SELF_ENV) == NULL && (argc < 3 ||
	    strcmp(argv[argc - 2], "-V") != 0 ||
	    strcmp(argv[argc - 1], SELF_ARG) != 0) &&
	    !program_asked(STDIN_FILENO) && !program_asked(JOB_SPARE_FD))
		return;
	printf("%s\n", SELF_ANSWER);
	exit(0);
}

/*
 * What PATH -V printed. tmux says "NAME VERSION", NAME being "tmux" from
 * 3.4 and the name it was run as before: PATH's, or, behind a wrapper,
 * that of the program it runs, which we take if it is "tmux" and then no
 * letter, and the version has a digit (tmux-3.2a 3.2a, say, but not
 * tmuxinator 3.1 or tmux-wrapper: loading). On ANSWER_VERSION, *version
 * is the second word.
 */
static enum answer
program_answer(const char *path, const char *out, int status,
    char **version)
{
	const char	*name, *v;
	char		*copy, *next, *line;
	size_t		 len;
	enum answer	 answer = ANSWER_NONE;

	name = (name = strrchr(path, '/')) != NULL ? name + 1 : path;
	len = strlen(name);

	/* A wrapper may print more: the answer is any line that fits. */
	next = copy = xstrdup(out);
	while ((line = strsep(&next, "\n")) != NULL) {
		if (strcmp(line, SELF_ANSWER) == 0) {
			answer = ANSWER_SELF;
			break;
		}
		if (strncmp(line, name, len) == 0 && line[len] == ' ')
			v = line + len + 1;
		else if (strncmp(line, "tmux ", 5) == 0)
			v = line + 5;
		else if (strncmp(line, "tmux", 4) == 0 &&
		    !isalpha((u_char)line[4]) &&
		    (v = strchr(line, ' ')) != NULL &&
		    strpbrk(v, "0123456789") != NULL)
			v++;
		else
			continue;
		if (answer == ANSWER_NONE && *v != '\0' &&
		    strchr(v, ' ') == NULL && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0) {
			*version = xstrdup(v);
			answer = ANSWER_VERSION;
		}
	}
	if (answer == ANSWER_SELF) {
		free(*version);
		*version = NULL;
	}
	free(copy);
	return (answer);
}

/* Run PATH as ARGV0 -V, asking whether it is this client too. */
static struct job *
program_ask(struct event_base *base, const char *path, const char *argv0,
    proc_output_cb *cb, void *arg)
{
	const char	*argv[] = { argv0, "-V", SELF_ARG, NULL };

	return (job_run(base, path, argv, SELF_ENV, SELF_ARG, cb, arg));
}

/* The cache file's path, if the socket directory is safe to use. */
static char *
cache_path(void)
{
	char	*dir, *cause, *path;

	if ((dir = socket_dir(&cause)) == NULL) {
		free(cause);
		return (NULL);
	}
	xasprintf(&path, "%s/%s", dir, CACHE_NAME);
	free(dir);
	return (path);
}

/* The cache, read whole; NULL if there is none we trust. */
static char *
cache_read(const char *path)
{
	struct stat	 sb;
	char		*buf;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC)) == -1)
		return (NULL);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_uid != getuid() || sb.st_size >= CACHE_MAX) {
		close(fd);
		return (NULL);
	}
	buf = xmalloc(CACHE_MAX);
	n = read(fd, buf, CACHE_MAX - 1);
	close(fd);
	if (n < 0) {
		free(buf);
		return (NULL);
	}
	buf[n] = '\0';
	return (buf);
}

/*
 * A cache line is "DEV INO SIZE MSEC MNSEC CSEC CNSEC ANSWER PATH": the
 * file's identity (with its modification and change times) when it was
 * asked, then "=" for this client or the version. Returns -1
 * if LINE is not one, or not about PATH; else the answer, and whether the
 * identity is still SB's. A NULL PATH is any: only the form is checked.
 */
static int
cache_parse(const char *line, const char *path, const struct stat *sb,
    char *answer, size_t size)
{
	unsigned long long	dev, ino;
	long long		fsize, msec, csec;
	long			mnsec, cnsec;
	int			n;
	char			fmt[64];

	snprintf(fmt, sizeof fmt,
	    "%%llu %%llu %%lld %%lld %%ld %%lld %%ld %%%zus %%n", size - 1);
	if (sscanf(line, fmt, &dev, &ino, &fsize, &msec, &mnsec, &csec, &cnsec,
	    answer, &n) != 8 || line[n] == '\0')
		return (-1);
	if (path == NULL)
		return (0);
	if (strcmp(line + n, path) != 0)
		return (-1);
	return (dev == (unsigned long long)sb->st_dev &&
	    ino == (unsigned long long)sb->st_ino &&
	    fsize == (long long)sb->st_size &&
	    msec == (long long)sb->st_mtime &&
	    mnsec == COMPAT_MTIME_NSEC(sb) &&
	    csec == (long long)sb->st_ctime &&
	    cnsec == COMPAT_CTIME_NSEC(sb));
}

/* What the cache says about PATH as it is now. */
static enum answer
cache_get(const char *path, const struct stat *sb, char **version)
{
	char		*cpath, *lines, *next, *line, answer[64];
	enum answer	 found = ANSWER_NONE;

	if ((cpath = cache_path()) == NULL)
		return (ANSWER_NONE);
	if ((lines = cache_read(cpath)) != NULL) {
		next = lines;
		while ((line = strsep(&next, "\n")) != NULL) {
			if (cache_parse(line, path, sb, answer,
			    sizeof answer) != 1)
				continue;
			if (strcmp(answer, "=") == 0)
				found = ANSWER_SELF;
			else {
				*version = xstrdup(answer);
				found = ANSWER_VERSION;
			}
			break;
		}
		free(lines);
	}
	free(cpath);
	return (found);
}

/*
 * Remember ANSWER for PATH: the other entries (the newest few) and this
 * one, written to a new file that then replaces the old one, so that a
 * reader never sees half of it. Failing only costs an exec next time.
 */
static void
cache_put(const char *path, const struct stat *sb, const char *answer)
{
	struct stat	 lsb;
	char		*cpath, *tmp, *lines, *next, *line;
	char		*keep[CACHE_ENTRIES];
	char		 old[64];
	FILE		*f;
	u_int		 n = 0, i;
	int		 fd, bad;

	if (strchr(path, '\n') != NULL || strpbrk(answer, " \t\n") != NULL ||
	    (cpath = cache_path()) == NULL)
		return;
	if (lstat(cpath, &lsb) == 0 && !S_ISREG(lsb.st_mode)) {
		/* Something else has the name, a socket maybe: leave it. */
		free(cpath);
		return;
	}
	lines = cache_read(cpath);
	for (next = lines; next != NULL && (line = strsep(&next, "\n"));) {
		/* Only the others' entries, and only what can be read. */
		if (cache_parse(line, NULL, sb, old, sizeof old) == -1 ||
		    cache_parse(line, path, sb, old, sizeof old) != -1)
			continue;
		if (n == CACHE_ENTRIES - 1) {
			memmove(keep, keep + 1, (n - 1) * sizeof *keep);
			n--;
		}
		keep[n++] = line;
	}

	xasprintf(&tmp, "%s.XXXXXX", cpath);
	if ((fd = mkstemp(tmp)) != -1 && (f = fdopen(fd, "w")) != NULL) {
		for (i = 0; i < n; i++)
			fprintf(f, "%s\n", keep[i]);
		fprintf(f, "%llu %llu %lld %lld %ld %lld %ld %s %s\n",
		    (unsigned long long)sb->st_dev,
		    (unsigned long long)sb->st_ino, (long long)sb->st_size,
		    (long long)sb->st_mtime, COMPAT_MTIME_NSEC(sb),
		    (long long)sb->st_ctime, COMPAT_CTIME_NSEC(sb), answer,
		    path);
		/* A short file must not replace a whole one. */
		bad = ferror(f);
		if (fclose(f) != 0 || bad || rename(tmp, cpath) != 0)
			unlink(tmp);
	} else if (fd != -1) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	free(lines);
	free(cpath);
}

/* Is PATH an executable file? */
static int
program_is_file(const char *path, struct stat *sb)
{
	return (stat(path, sb) == 0 && S_ISREG(sb->st_mode) &&
	    access(path, X_OK) == 0);
}

/* Is PATH a script ("#!"), which runs another program? */
static int
program_is_script(const char *path)
{
	char	buf[2];
	int	fd, script;

	/* One that cannot be read cannot be a script either. */
	if ((fd = open(path, O_RDONLY|O_NONBLOCK|O_CLOEXEC)) == -1)
		return (0);
	script = read(fd, buf, sizeof buf) == 2 && memcmp(buf, "#!", 2) == 0;
	close(fd);
	return (script);
}

/* A search for the server program, one candidate at a time. */
struct search {
	struct event_base	 *base;
	int			  use_cache;
	char			**candidates;
	u_int			  ncandidates;
	u_int			  next;
	int			  selves;	/* candidates that were us */
	int			  named;	/* by TMUX_SERVER_PROGRAM */
	struct stat		  sb;		/* of the one being asked */
	struct stat		 *seen;		/* our file, those asked */
	u_int			  nseen;
	struct job		 *job;
	program_done_cb		 *cb;
	void			 *arg;
};

static void	search_next(struct search *);

static void
search_free(struct search *s)
{
	u_int	i;

	job_free(s->job);
	for (i = 0; i < s->ncandidates; i++)
		free(s->candidates[i]);
	free(s->candidates);
	free(s->seen);
	free(s);
}

/* Report and finish: p on success, else cause. */
static void
search_done(struct search *s, struct program *p, const char *cause)
{
	s->cb(p, cause, s->arg);
	search_free(s);
}

/* What the current candidate turned out to be. */
static void
search_answer(struct search *s, enum answer answer, char *version)
{
	const char	*path = s->candidates[s->next - 1];
	struct program	 p;
	char		*cause;

	switch (answer) {
	case ANSWER_SELF:
		s->selves++;
		if (s->named) {
			xasprintf(&cause, "%s=%s is this client, not a tmux "
			    "server", TMUX_SERVER_ENV, path);
			search_done(s, NULL, cause);
			free(cause);
			return;
		}
		search_next(s);
		return;
	case ANSWER_NONE:
		xasprintf(&cause, "cannot run %s as a tmux server", path);
		search_done(s, NULL, cause);
		free(cause);
		return;
	case ANSWER_VERSION:
		break;
	}
	p.path = xstrdup(path);
	p.version = version;
	search_done(s, &p, NULL);
}

static void
search_job_done(const char *out, int status, void *arg)
{
	struct search	*s = arg;
	const char	*path = s->candidates[s->next - 1];
	enum answer	 answer;
	char		*version = NULL;

	answer = program_answer(path, out, status, &version);
	job_free(s->job);
	s->job = NULL;
	log_debug("%s: asked (%s)", path, answer == ANSWER_SELF ?
	    "this client" : answer == ANSWER_VERSION ? version : "no answer");
	if (answer == ANSWER_SELF ||
	    (answer == ANSWER_VERSION && !program_is_script(path)))
		cache_put(path, &s->sb, answer == ANSWER_SELF ? "=" : version);
	search_answer(s, answer, version);
}

/* Note SB as seen: our own file, or a candidate about to be asked. */
static void
search_see(struct search *s, const struct stat *sb)
{
	s->seen = xreallocarray(s->seen, s->nseen + 1, sizeof *s->seen);
	s->seen[s->nseen++] = *sb;
}

/*
 * Is SB our own file, or one asked already (through another directory of
 * PATH or as the default)? Either is this client: the search would have
 * ended at anything else.
 */
static int
search_seen(struct search *s, const struct stat *sb)
{
	u_int	i;

	for (i = 0; i < s->nseen; i++) {
		if (sb->st_dev == s->seen[i].st_dev &&
		    sb->st_ino == s->seen[i].st_ino) {
			s->selves++;
			return (1);
		}
	}
	return (0);
}

/* Ask the next candidate: from the cache if allowed, else by running it. */
static void
search_next(struct search *s)
{
	const char	*path;
	enum answer	 answer;
	char		*version = NULL, *cause;

	for (;;) {
		if (s->next == s->ncandidates) {
			xasprintf(&cause, "no tmux server program found%s "
			    "(install tmux or set %s)", s->selves != 0 ?
			    ": each tmux found is this client" : "",
			    TMUX_SERVER_ENV);
			search_done(s, NULL, cause);
			free(cause);
			return;
		}
		path = s->candidates[s->next++];
		if (!program_is_file(path, &s->sb)) {
			if (s->named) {
				search_answer(s, ANSWER_NONE, NULL);
				return;
			}
			continue;
		}
		if (s->named || !search_seen(s, &s->sb))
			break;
	}
	search_see(s, &s->sb);
	if (s->use_cache &&
	    (answer = cache_get(path, &s->sb, &version)) != ANSWER_NONE) {
		log_debug("%s: cached (%s)", path, answer == ANSWER_SELF ?
		    "this client" : version);
		search_answer(s, answer, version);
		return;
	}
	s->job = program_ask(s->base, path, path, search_job_done, s);
	if (s->job == NULL) {
		xasprintf(&cause, "cannot run %s (%s)", path, strerror(errno));
		search_done(s, NULL, cause);
		free(cause);
	}
}

static void
search_add(struct search *s, const char *path)
{
	s->candidates = xreallocarray(s->candidates, s->ncandidates + 1,
	    sizeof *s->candidates);
	s->candidates[s->ncandidates++] = xstrdup(path);
}

/*
 * The search path execvp uses when PATH is unset: the system's, never
 * the current directory.
 */
static char *
program_default_path(void)
{
	size_t	 len;
	char	*path;

	if ((len = confstr(_CS_PATH, NULL, 0)) == 0)
		return (xstrdup("/usr/bin:/bin"));
	path = xmalloc(len);
	confstr(_CS_PATH, path, len);
	return (path);
}

/*
 * Find the server program: TMUX_SERVER_PROGRAM if set, else the first tmux
 * in PATH (or the default path) that is not this client, else the build's
 * default. cb gets the program, or NULL and a one-line cause. Starting a
 * server passes use_cache 0: a wrapper may run something else by now, and
 * we must never run ourselves as the server.
 */
void
program_find(struct event_base *base, int use_cache, program_done_cb *cb,
    void *arg)
{
	struct search	*s;
	struct stat	 self;
	const char	*env, *path;
	char		*copy, *next, *dir, *candidate;

	s = xcalloc(1, sizeof *s);
	s->base = base;
	s->use_cache = use_cache;
	s->cb = cb;
	s->arg = arg;
	if (compat_self_stat(&self) == 0)
		search_see(s, &self);
	if ((env = getenv(TMUX_SERVER_ENV)) != NULL && *env != '\0') {
		s->named = 1;
		search_add(s, env);
	} else {
		if ((path = getenv("PATH")) != NULL)
			copy = xstrdup(path);
		else
			copy = program_default_path();
		next = copy;
		while ((dir = strsep(&next, ":")) != NULL) {
			xasprintf(&candidate, "%s/tmux", *dir == '\0' ? "." :
			    dir);
			search_add(s, candidate);
			free(candidate);
		}
		free(copy);
		search_add(s, TMUX_SERVER_DEFAULT);
	}
	search_next(s);
}

void
program_free(struct program *p)
{
	free(p->path);
	free(p->version);
}

/* Asking a running server's own binary, for those too old to say. */
struct server_version {
	char			 path[PATH_MAX];
	struct job		*job;
	program_version_cb	*cb;
	void			*arg;
};

static void
server_version_done(const char *out, int status, void *arg)
{
	struct server_version	*sv = arg;
	char			*version = NULL;

	if (program_answer(sv->path, out, status, &version) !=
	    ANSWER_VERSION) {
		free(version);
		version = NULL;
	}
	job_free(sv->job);
	sv->cb(version, sv->arg);
	free(sv);
}

/*
 * cb gets the version of the binary pid runs, or NULL. It is run as
 * "tmux": up to 3.3a, -V prints the name a release was run as.
 */
void
program_server_version(struct event_base *base, pid_t pid,
    program_version_cb *cb, void *arg)
{
	struct server_version	*sv;

	sv = xcalloc(1, sizeof *sv);
	sv->cb = cb;
	sv->arg = arg;
	if (pid == 0 || compat_pid_exe(pid, sv->path, sizeof sv->path) != 0 ||
	    (sv->job = program_ask(base, sv->path, "tmux", server_version_done,
	    sv)) == NULL) {
		free(sv);
		cb(NULL, arg);
	}
}
