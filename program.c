/*
 * Finding the real tmux to run as a server, and learning its version.
 *
 * This client may be installed as "tmux", ahead of the real one in PATH,
 * and reached through wrapper scripts, symlinks or copies. It must never
 * pick itself: it would run itself again and again. So every candidate is
 * asked for its version with SELF_ENV set in its environment; a candidate
 * that is this client, however it was reached, answers SELF_ANSWER at
 * once (program_answer_self) and the search goes on.
 *
 * Running a candidate costs an exec, so what was learnt is kept in the
 * per-user socket directory, keyed on the file's path, device, inode,
 * size and modification time.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

#define SELF_ENV "TMUX_CLIENT_PROBE"
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

/* Reached as a candidate server program: say so and stop. */
void
program_answer_self(void)
{
	if (getenv(SELF_ENV) == NULL)
		return;
	printf("%s\n", SELF_ANSWER);
	exit(0);
}

/* Run PATH -V; on ANSWER_VERSION, *version is the part after "tmux ". */
static enum answer
program_ask(const char *path, char **version)
{
	char		 buf[256], *line, *next;
	int		 pipefd[2], status;
	ssize_t		 n, total = 0;
	pid_t		 pid;
	enum answer	 answer = ANSWER_NONE;

	if (pipe(pipefd) != 0)
		return (ANSWER_NONE);
	switch (pid = fork()) {
	case -1:
		close(pipefd[0]);
		close(pipefd[1]);
		return (ANSWER_NONE);
	case 0:
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		signal_restore();
		setenv(SELF_ENV, "1", 1);
		execl(path, path, "-V", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while (total < (ssize_t)sizeof buf - 1) {
		n = read(pipefd[0], buf + total, sizeof buf - 1 - total);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		/* nothing */;
	buf[total] = '\0';

	/* A wrapper may print more: the answer is any line that fits. */
	for (next = buf; (line = strsep(&next, "\n")) != NULL;) {
		if (strcmp(line, SELF_ANSWER) == 0)
			return (ANSWER_SELF);
		if (answer == ANSWER_NONE && strncmp(line, "tmux ", 5) == 0 &&
		    line[5] != '\0' && strchr(line + 5, ' ') == NULL &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			*version = xstrdup(line + 5);
			answer = ANSWER_VERSION;
		}
	}
	return (answer);
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
 * A cache line is "DEV INO SIZE SEC NSEC ANSWER PATH": the file's identity
 * when it was asked, then "=" for this client or the version. Returns the
 * answer if LINE is about PATH (whatever its identity), else -1.
 */
static int
cache_parse(const char *line, const char *path, const struct stat *sb,
    char *answer, size_t size)
{
	unsigned long long	dev, ino;
	long long		fsize, sec;
	long			nsec;
	int			n;
	char			fmt[64];

	snprintf(fmt, sizeof fmt, "%%llu %%llu %%lld %%lld %%ld %%%zus %%n",
	    size - 1);
	if (sscanf(line, fmt, &dev, &ino, &fsize, &sec, &nsec, answer,
	    &n) != 6 || strcmp(line + n, path) != 0)
		return (-1);
	return (dev == (unsigned long long)sb->st_dev &&
	    ino == (unsigned long long)sb->st_ino &&
	    fsize == (long long)sb->st_size &&
	    sec == (long long)sb->st_mtim.tv_sec &&
	    nsec == sb->st_mtim.tv_nsec);
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
	char		*cpath, *tmp, *lines, *next, *line, *keep[CACHE_ENTRIES];
	char		 old[64];
	FILE		*f;
	u_int		 n = 0, i;
	int		 fd;

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
		if (*line == '\0' ||
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
		fprintf(f, "%llu %llu %lld %lld %ld %s %s\n",
		    (unsigned long long)sb->st_dev,
		    (unsigned long long)sb->st_ino, (long long)sb->st_size,
		    (long long)sb->st_mtim.tv_sec, sb->st_mtim.tv_nsec, answer,
		    path);
		if (fclose(f) != 0 || rename(tmp, cpath) != 0)
			unlink(tmp);
	} else if (fd != -1) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	free(lines);
	free(cpath);
}

/*
 * What PATH is: this client, a tmux with a version, or neither. The cache
 * answers if allowed and if the file has not changed since.
 */
static enum answer
program_identify(const char *path, int use_cache, char **version)
{
	struct stat	 sb;
	enum answer	 answer;

	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    access(path, X_OK) != 0)
		return (ANSWER_NONE);
	if (use_cache &&
	    (answer = cache_get(path, &sb, version)) != ANSWER_NONE) {
		log_debug("%s: cached (%s)", path, answer == ANSWER_SELF ?
		    "this client" : *version);
		return (answer);
	}
	answer = program_ask(path, version);
	log_debug("%s: asked (%s)", path, answer == ANSWER_SELF ?
	    "this client" : answer == ANSWER_VERSION ? *version : "no answer");
	if (answer != ANSWER_NONE)
		cache_put(path, &sb, answer == ANSWER_SELF ? "=" : *version);
	return (answer);
}

/* This executable's own file, to skip without asking. */
static int
program_self(struct stat *sb)
{
	return (stat("/proc/self/exe", sb));
}

/* Is PATH an executable file? Not if it is this very one. */
static int
program_is_file(const char *path, const struct stat *self, int *selves)
{
	struct stat	sb;

	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    access(path, X_OK) != 0)
		return (0);
	if (sb.st_dev == self->st_dev && sb.st_ino == self->st_ino) {
		(*selves)++;
		return (0);
	}
	return (1);
}

/* Ask CANDIDATE; 1 if it is a tmux (p is filled in), 0 to go on. */
static int
program_try(struct program *p, const char *candidate, int use_cache,
    int *selves, char **cause)
{
	switch (program_identify(candidate, use_cache, &p->version)) {
	case ANSWER_SELF:
		(*selves)++;
		return (0);
	case ANSWER_NONE:
		xasprintf(cause, "cannot run %s as a tmux server", candidate);
		return (-1);
	case ANSWER_VERSION:
		break;
	}
	p->path = xstrdup(candidate);
	return (1);
}

/*
 * The server program: TMUX_SERVER_PROGRAM if set, else the first tmux in
 * PATH that is not this client, else the build's default. On success
 * p->path and p->version are set, else *cause says why in one line.
 * Starting a server passes use_cache 0: a wrapper may run something else
 * by now, and we must never exec ourselves as the server.
 */
int
program_find(struct program *p, int use_cache, char **cause)
{
	struct stat	 self;
	const char	*env, *path;
	char		*copy, *next, *dir, *candidate;
	int		 r = 0, selves = 0;

	memset(p, 0, sizeof *p);
	if ((env = getenv(TMUX_SERVER_ENV)) != NULL && *env != '\0') {
		if ((r = program_try(p, env, use_cache, &selves, cause)) == 0) {
			xasprintf(cause, "%s=%s is this client, not a tmux "
			    "server", TMUX_SERVER_ENV, env);
		}
		return (r == 1 ? 0 : -1);
	}

	if (program_self(&self) != 0)
		memset(&self, 0, sizeof self);
	if ((path = getenv("PATH")) == NULL)
		path = "";
	next = copy = xstrdup(path);
	while (r == 0 && (dir = strsep(&next, ":")) != NULL) {
		xasprintf(&candidate, "%s/tmux", *dir == '\0' ? "." : dir);
		if (program_is_file(candidate, &self, &selves))
			r = program_try(p, candidate, use_cache, &selves, cause);
		free(candidate);
	}
	free(copy);
	if (r == 0 &&
	    program_is_file(TMUX_SERVER_DEFAULT, &self, &selves))
		r = program_try(p, TMUX_SERVER_DEFAULT, use_cache, &selves,
		    cause);
	if (r == 0) {
		xasprintf(cause, "no tmux server program found%s (install tmux "
		    "or set %s)", selves != 0 ? ": each tmux in PATH is this "
		    "client" : "", TMUX_SERVER_ENV);
	}
	return (r == 1 ? 0 : -1);
}

void
program_free(struct program *p)
{
	free(p->path);
	free(p->version);
}

/* The version of a running server's binary, for those too old to say. */
char *
program_server_version(pid_t pid)
{
	char	 path[64], *version = NULL;

	snprintf(path, sizeof path, "/proc/%ld/exe", (long)pid);
	if (program_ask(path, &version) != ANSWER_VERSION)
		return (NULL);
	return (version);
}
