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
 * What the kernel says about the other end of a UNIX socket: its process
 * (for messages, and to find an old server's binary), how much of what we
 * sent it has not read yet and how much CPU time it uses (to tell a
 * server that reads nothing from one busy with a long command) and
 * when it reads (to send a descriptor only once it has read what comes
 * before). Where the kernel does not say, the client does without.
 */

/* struct ucred, for SO_PEERCRED, is in glibc only for _GNU_SOURCE. */
#ifdef __linux__
#define _GNU_SOURCE 1
#endif

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#if defined(__FreeBSD__)
#include <sys/ucred.h>
#endif

#ifdef __linux__
#include <sys/epoll.h>
#include <linux/sockios.h>
#endif

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"

pid_t
compat_peer_pid(int fd)
{
#if defined(PORTABLE)
	(void)fd;
#elif defined(SO_PEERCRED) && defined(__OpenBSD__)
	struct sockpeercred	cred;
	socklen_t		len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		return (cred.pid);
#elif defined(SO_PEERCRED) && defined(__linux__)
	struct ucred	cred;
	socklen_t	len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		return (cred.pid);
#elif defined(LOCAL_PEERPID)
	/* macOS. */
	pid_t		pid;
	socklen_t	len = sizeof pid;

	if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERPID, &pid, &len) == 0)
		return (pid);
#elif defined(LOCAL_PEERCRED) && defined(__FreeBSD__) && __FreeBSD__ >= 13
	/* cr_pid is in struct xucred from FreeBSD 13. */
	struct xucred	xuc;
	socklen_t	len = sizeof xuc;

	if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERCRED, &xuc, &len) == 0 &&
	    xuc.cr_version == XUCRED_VERSION)
		return (xuc.cr_pid);
#else
	(void)fd;
#endif
	return (0);
}

/*
 * The user the other end runs as, in *uid; -1 where the kernel does not
 * say. Only a server of our own user may have its binary run by us.
 */
int
compat_peer_uid(int fd, uid_t *uid)
{
#if defined(PORTABLE)
	(void)fd;
	(void)uid;
#elif defined(SO_PEERCRED) && defined(__OpenBSD__)
	struct sockpeercred	cred;
	socklen_t		len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
		*uid = cred.uid;
		return (0);
	}
#elif defined(SO_PEERCRED) && defined(__linux__)
	struct ucred	cred;
	socklen_t	len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
		*uid = cred.uid;
		return (0);
	}
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__DragonFly__)
	gid_t	gid;

	if (getpeereid(fd, uid, &gid) == 0)
		return (0);
#else
	/* Elsewhere not known. */
	(void)fd;
	(void)uid;
#endif
	return (-1);
}

long
compat_unread(int fd)
{
#if defined(SIOCOUTQ) && !defined(PORTABLE)
	int	n;

	/* Linux: on a UNIX socket, what the peer has not taken yet. */
	if (ioctl(fd, SIOCOUTQ, &n) == 0)
		return (n);
#else
	/* Elsewhere we know of no way to ask it of a UNIX socket. */
	(void)fd;
#endif
	return (-1);
}

long long
compat_pid_state(pid_t pid, int *held)
{
#if defined(__linux__) && !defined(PORTABLE)
	char		 path[64], buf[1024], *s, state;
	unsigned long	 utime, stime;
	ssize_t		 n;
	int		 fd;

	*held = 0;
	/* Fields 3, 14 and 15 of /proc/PID/stat, after the ")" ending 2. */
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (pid <= 0 || (fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		return (-1);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (-1);
	buf[n] = '\0';
	if ((s = strrchr(buf, ')')) == NULL || sscanf(s + 1,
	    " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &state,
	    &utime, &stime) != 3)
		return (-1);
	*held = (state == 'T' || state == 't' || state == 'D');
	return ((long long)utime + stime);
#else
	/* Elsewhere, only where the unread count is known, it would matter. */
	(void)pid;
	*held = 0;
	return (-1);
#endif
}

/*
 * A descriptor that becomes readable when the other end of FD has taken
 * something we sent, or -1 where we know of no way. On Linux, the kernel
 * signals a socket's write space each time the reader frees a message it
 * has read; an edge-triggered epoll passes each signal on, even while the
 * socket stays writable. compat_reads_seen takes the signal.
 */
int
compat_watch_reads(int fd)
{
#if defined(__linux__) && !defined(PORTABLE)
	struct epoll_event	ev;
	int			wfd;

	if ((wfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return (-1);
	ev.events = EPOLLOUT|EPOLLET;
	ev.data.fd = fd;
	if (epoll_ctl(wfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
		close(wfd);
		return (-1);
	}
	/* The first report says only that the socket is writable. */
	compat_reads_seen(wfd);
	return (wfd);
#else
	(void)fd;
	return (-1);
#endif
}

void
compat_reads_seen(int wfd)
{
#if defined(__linux__) && !defined(PORTABLE)
	struct epoll_event	ev;

	(void)epoll_wait(wfd, &ev, 1, 0);
#else
	(void)wfd;
#endif
}
