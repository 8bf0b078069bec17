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
 * Portable ways to the few things that are not the same everywhere.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/sockios.h>
#endif

#include "compat.h"

#if defined(__linux__) && !defined(PORTABLE)
#define HAVE_PROC 1
#endif
#if defined(SO_PEERCRED) && !defined(PORTABLE)
#define HAVE_PEERCRED 1
#endif
#if defined(LOCAL_PEERPID) && !defined(PORTABLE)
#define HAVE_PEERPID 1
#endif
#if defined(SIOCOUTQ) && !defined(PORTABLE)
#define HAVE_OUTQ 1
#endif

pid_t
compat_peer_pid(int fd)
{
#if defined(HAVE_PEERCRED)
	struct ucred	cred;
	socklen_t	len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		return (cred.pid);
#elif defined(HAVE_PEERPID)
	pid_t		pid;
	socklen_t	len = sizeof pid;

	if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERPID, &pid, &len) == 0)
		return (pid);
#else
	(void)fd;
#endif
	return (0);
}

long
compat_unread(int fd)
{
#ifdef HAVE_OUTQ
	int	n;

	/* On a UNIX socket, what the peer has not taken yet. */
	if (ioctl(fd, SIOCOUTQ, &n) == 0)
		return (n);
#else
	(void)fd;
#endif
	return (-1);
}

int
compat_self_stat(const char *argv0, struct stat *sb)
{
	const char	*path;
	char		*copy, *next, *dir, candidate[PATH_MAX];
	int		 r = -1;

#ifdef HAVE_PROC
	if (stat("/proc/self/exe", sb) == 0)
		return (0);
#endif
	/* As the shell found us: a path, or the first match in PATH. */
	if (argv0 == NULL || *argv0 == '\0')
		return (-1);
	if (strchr(argv0, '/') != NULL)
		return (stat(argv0, sb));
	if ((path = getenv("PATH")) == NULL || (copy = strdup(path)) == NULL)
		return (-1);
	next = copy;
	while (r != 0 && (dir = strsep(&next, ":")) != NULL) {
		if ((size_t)snprintf(candidate, sizeof candidate, "%s/%s",
		    *dir == '\0' ? "." : dir, argv0) >= sizeof candidate)
			continue;
		if (access(candidate, X_OK) == 0)
			r = stat(candidate, sb);
	}
	free(copy);
	return (r);
}

int
compat_pid_exe(pid_t pid, char *buf, size_t size)
{
#ifdef HAVE_PROC
	if ((size_t)snprintf(buf, size, "/proc/%ld/exe", (long)pid) < size)
		return (0);
#else
	(void)pid;
	(void)buf;
	(void)size;
#endif
	return (-1);
}

void
compat_closefrom(int lowfd)
{
#if defined(__GLIBC__) && !defined(PORTABLE) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	closefrom(lowfd);
#else
	long	maxfd, fd;

	if ((maxfd = sysconf(_SC_OPEN_MAX)) < 0 || maxfd > 65536)
		maxfd = 65536;
	for (fd = lowfd; fd < maxfd; fd++)
		close(fd);
#endif
}
