/*
 * Connecting, and starting a server when none answers. We cannot become
 * a server, so we run the installed tmux as one ("tmux -D", 3.2+) in its
 * own session, after taking tmux's lock file exactly as its clients do.
 *
 * A -D server starts with exit-empty off. To make it behave like a forked
 * server its first configuration file is a pipe holding
 * "set -s exit-empty on"; then come the files given with -f, or those of
 * tmux's default list that exist, as tmux would load them. A configuration
 * that sets exit-empty itself is read later and wins.
 */

#include <sys/types.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tmux.h"

/* How long a new server may take to open its socket. */
#define START_TIMEOUT_MS 5000

/* Where the configuration pipe sits in the server. */
#define CONFIG_FD 3

/* The server program, or exit with a one-line reason. */
static void
start_program(struct program *p)
{
	char	*cause;

	if (program_find(p, 0, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		exit(1);
	}
}

/*
 * The configuration files for the server: -f as given, else tmux 3.3a's
 * default list expanded, resolved, and without missing or repeated files,
 * as tmux builds it.
 */
static char **
start_config(struct client *c, u_int *nfiles)
{
	static const char *const list[] = {
		"/etc/tmux.conf", "~/.tmux.conf",
		"$XDG_CONFIG_HOME/tmux/tmux.conf", "~/.config/tmux/tmux.conf"
	};
	struct passwd	 *pw;
	const char	 *home, *xdg;
	char		**files, *path, resolved[PATH_MAX];
	u_int		  i, j, n = 0;

	files = xcalloc(sizeof list / sizeof list[0] + c->nconfig + 1,
	    sizeof *files);
	if (c->nconfig != 0) {
		for (i = 0; i < c->nconfig; i++)
			files[n++] = xstrdup(c->config_files[i]);
		*nfiles = n;
		return (files);
	}
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		home = (pw = getpwuid(getuid())) != NULL ? pw->pw_dir : NULL;
	xdg = getenv("XDG_CONFIG_HOME");
	for (i = 0; i < sizeof list / sizeof list[0]; i++) {
		if (strncmp(list[i], "~/", 2) == 0) {
			if (home == NULL)
				continue;
			xasprintf(&path, "%s%s", home, list[i] + 1);
		} else if (*list[i] == '$') {
			if (xdg == NULL)
				continue;
			xasprintf(&path, "%s%s", xdg, strchr(list[i], '/'));
		} else
			path = xstrdup(list[i]);
		if (realpath(path, resolved) != NULL) {
			for (j = 0; j < n; j++) {
				if (strcmp(files[j], resolved) == 0)
					break;
			}
			if (j == n)
				files[n++] = xstrdup(resolved);
		}
		free(path);
	}
	*nfiles = n;
	return (files);
}

/* The -D server's command line; the strings are those of files. */
static char **
start_argv(struct client *c, const char *program, const struct dialect *d,
    char **files, u_int nfiles)
{
	char	**argv, *list, *next;
	u_int	  n = 0, i;
	int	  v;

	argv = xcalloc(8 + 2 * nfiles + c->verbose, sizeof *argv);
	argv[n++] = (char *)program;
	argv[n++] = "-D";
	if (c->flags & CLIENT_DEFAULTSOCKET) {
		/* So the server sets its socket up as a default one. */
		argv[n++] = "-L";
		argv[n++] = (char *)(c->label != NULL ? c->label : "default");
	} else {
		argv[n++] = "-S";
		argv[n++] = (char *)c->socket_path;
	}
	argv[n++] = "-f";
	if (d->config_list) {
		/* 3.2 takes one -f, split at colons; files has room. */
		list = xstrdup("/dev/fd/3");
		for (i = 0; i < nfiles; i++) {
			next = list;
			xasprintf(&list, "%s:%s", next, files[i]);
			free(next);
		}
		argv[n++] = files[nfiles] = list;
	} else {
		argv[n++] = "/dev/fd/3";
		for (i = 0; i < nfiles; i++) {
			argv[n++] = "-f";
			argv[n++] = files[i];
		}
	}
	for (v = 0; v < c->verbose; v++)
		argv[n++] = "-v";
	argv[n] = NULL;
	return (argv);
}

/*
 * Launch the server detached from us: a child that starts a new session
 * and forks the server, so nothing is left as our child. Its stderr comes
 * back through a pipe for as long as we wait for it.
 */
static int
start_spawn(struct client *c, const char *program, const struct dialect *d,
    int *errfd, pid_t *pgid)
{
	static const char	  config[] = "set -s exit-empty on\n";
	char			**argv, **files;
	int			  cfgpipe[2], errpipe[2], null, status;
	u_int			  nfiles, i;
	pid_t			  pid;

	files = start_config(c, &nfiles);
	argv = start_argv(c, program, d, files, nfiles);
	if (pipe(cfgpipe) != 0)
		return (-1);
	if (pipe(errpipe) != 0) {
		close(cfgpipe[0]);
		close(cfgpipe[1]);
		return (-1);
	}
	/* Small enough for the pipe's buffer. */
	if (write(cfgpipe[1], config, sizeof config - 1) == -1)
		log_debug("config pipe: %s", strerror(errno));
	close(cfgpipe[1]);

	switch (pid = fork()) {
	case -1:
		close(cfgpipe[0]);
		close(errpipe[0]);
		close(errpipe[1]);
		return (-1);
	case 0:
		setsid();
		if (fork() != 0)
			_exit(0);
		signal_restore();
		if ((null = open("/dev/null", O_RDWR)) == -1)
			_exit(1);
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(errpipe[1], STDERR_FILENO);
		if (cfgpipe[0] != CONFIG_FD)
			dup2(cfgpipe[0], CONFIG_FD);
		else
			fcntl(CONFIG_FD, F_SETFD, 0);
		closefrom(CONFIG_FD + 1);
		execvp(argv[0], argv);
		dprintf(STDERR_FILENO, "%s: %s\n", argv[0], strerror(errno));
		_exit(1);
	}
	close(cfgpipe[0]);
	close(errpipe[1]);
	free(argv);
	for (i = 0; i <= nfiles; i++)
		free(files[i]);
	free(files);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		/* nothing */;
	*errfd = errpipe[0];
	*pgid = pid;	/* the server is in the group setsid made */
	return (0);
}

static int
start_try_connect(const struct sockaddr_un *sa)
{
	int	fd;

	if ((fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0)
		return (fd);
	close(fd);
	return (-1);
}

/*
 * Start a server and connect to it. The new server's stderr tells us why
 * if it gives up; tmux reports that with status 0, so do we.
 */
static int
start_server(struct client *c, const struct sockaddr_un *sa)
{
	const struct dialect	*d;
	struct timespec		 ts = { 0, 2 * 1000 * 1000 };
	struct program		 p;
	char			*program, *version, msg[512];
	int			 fd = -1, errfd, waited, flags;
	ssize_t			 n, total = 0;
	pid_t			 pgid;

	start_program(&p);
	program = p.path;
	version = p.version;
	d = dialect_from_version(version);
	if (d == NULL || !d->can_start) {
		fprintf(stderr, "%s is tmux %s; starting a server needs tmux "
		    "3.2 or later\n", program, version);
		exit(1);
	}
	log_debug("starting %s (tmux %s) as server", program, version);
	if (start_spawn(c, program, d, &errfd, &pgid) != 0) {
		fprintf(stderr, "cannot start %s (%s)\n", program,
		    strerror(errno));
		exit(1);
	}
	if ((flags = fcntl(errfd, F_GETFL)) != -1)
		fcntl(errfd, F_SETFL, flags|O_NONBLOCK);

	for (waited = 0; waited < START_TIMEOUT_MS; waited += 2) {
		if ((fd = start_try_connect(sa)) != -1)
			break;
		n = read(errfd, msg + total, sizeof msg - 1 - total);
		if (n > 0)
			total += n;
		else if (n == 0) {
			/* The server has gone: report what it said. */
			msg[total] = '\0';
			if ((fd = start_try_connect(sa)) != -1)
				break;
			if (total == 0) {
				fprintf(stderr, "server %s exited without "
				    "opening %s\n", program, c->socket_path);
				exit(1);
			}
			fputs(msg, stderr);
			if (msg[total - 1] != '\n')
				fputc('\n', stderr);
			exit(0);
		}
		nanosleep(&ts, NULL);
	}
	close(errfd);
	if (fd == -1) {
		kill(-pgid, SIGTERM);
		fprintf(stderr, "server %s did not open %s within %d seconds\n",
		    program, c->socket_path, START_TIMEOUT_MS / 1000);
		exit(1);
	}
	free(program);
	free(version);
	c->dialect = d;
	return (fd);
}

/*
 * -D with no server running: become the server, as tmux does, by running
 * the real one in our place with the same options.
 */
void
start_foreground(struct client *c, char **argv)
{
	struct program	p;
	int		fd;

	if ((fd = server_connect(c, 0)) != -1) {
		close(fd);
		return;
	}
	if (errno != ENOENT && errno != ECONNREFUSED)
		return;
	start_program(&p);
	argv[0] = p.path;
	execv(p.path, argv);
	fprintf(stderr, "cannot run %s (%s)\n", p.path, strerror(errno));
	exit(1);
}

/*
 * Connect, or start a server first if allowed, following tmux's client:
 * the lock file PATH.lock, held with flock, decides who starts it. We let
 * go of it before launching, since "tmux -D" takes the same lock.
 */
int
server_connect(struct client *c, int may_start)
{
	struct sockaddr_un	 sa;
	char			*lockfile = NULL;
	int			 fd, lockfd = -1, locked = 0, error;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(c->socket_path) >= sizeof sa.sun_path) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	strcpy(sa.sun_path, c->socket_path);

	for (;;) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1)
			return (-1);
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
			break;
		error = errno;
		close(fd);
		if ((error != ECONNREFUSED && error != ENOENT) || !may_start)
			goto fail;
		if (locked) {
			if (lockfd != -1 && unlink(c->socket_path) != 0 &&
			    errno != ENOENT) {
				error = errno;
				goto fail;
			}
			if (lockfd != -1)
				close(lockfd);
			lockfd = -1;
			fd = start_server(c, &sa);
			break;
		}

		xasprintf(&lockfile, "%s.lock", c->socket_path);
		lockfd = open(lockfile, O_WRONLY|O_CREAT|O_CLOEXEC, 0600);
		if (lockfd != -1 && flock(lockfd, LOCK_EX|LOCK_NB) == -1 &&
		    errno == EWOULDBLOCK) {
			/* Someone is starting one: wait, then look again. */
			while (flock(lockfd, LOCK_EX) == -1 && errno == EINTR)
				/* nothing */;
			close(lockfd);
			lockfd = -1;
			free(lockfile);
			lockfile = NULL;
			continue;
		}
		/* Look once more: it may have started meanwhile. */
		locked = 1;
	}
	if (lockfd != -1)
		close(lockfd);
	free(lockfile);
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		return (-1);
	return (fd);

fail:
	if (lockfd != -1)
		close(lockfd);
	free(lockfile);
	errno = error;
	return (-1);
}
