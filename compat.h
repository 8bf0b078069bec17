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
 * What the C library, the kernel or the compiler may or may not offer.
 * There is no configure step: the systems known to have something are
 * named here, and every other one gets the portable way from compat/.
 * Built with PORTABLE defined (make PORTABLE=1), the portable ways are
 * used even where better ones exist, so that they are tested on Linux.
 *
 * Outside compat/ the code is C99 and POSIX.1-2008, with these BSD
 * additions that glibc, musl, macOS and the BSDs all have: flock(2),
 * strsep(3) and vasprintf(3) (or compat/'s), u_int and u_char, and
 * <sys/queue.h> (compat/queue.h where it is missing).
 */

#ifndef COMPAT_H
#define COMPAT_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <stdarg.h>

/* Attributes, for the compilers that know them (GCC and clang). */
#ifdef __GNUC__
#define COMPAT_ATTRIBUTE(x) __attribute__(x)
#else
#define COMPAT_ATTRIBUTE(x)
#endif
#ifndef __unused
#define __unused COMPAT_ATTRIBUTE((__unused__))
#endif
#ifndef __dead
#define __dead COMPAT_ATTRIBUTE((__noreturn__))
#endif
#define printflike(a, b) COMPAT_ATTRIBUTE((__format__(__printf__, a, b)))

#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__) || \
    defined(__NetBSD__) || defined(__OpenBSD__) || defined(__DragonFly__)
#define COMPAT_KNOWN_LIBC 1
#endif

/* The BSD list and queue macros. */
#if defined(COMPAT_KNOWN_LIBC) && !defined(PORTABLE)
#include <sys/queue.h>
#else
#include "compat/queue.h"
#endif

/* vasprintf(3), strsep(3), dprintf(3): not C99, in every known libc. */
#if defined(COMPAT_KNOWN_LIBC) && !defined(PORTABLE)
#define HAVE_VASPRINTF 1
#define HAVE_STRSEP 1
#define HAVE_DPRINTF 1
#endif
#ifdef HAVE_VASPRINTF
#if defined(__GLIBC__) && !defined(__USE_GNU)
/* glibc declares it only for _GNU_SOURCE, which we do not ask for. */
int	vasprintf(char **, const char *, va_list);
#endif
#else
#define vasprintf compat_vasprintf
int	compat_vasprintf(char **, const char *, va_list);
#endif
#ifndef HAVE_STRSEP
#define strsep compat_strsep
char	*compat_strsep(char **, const char *);
#endif
#ifndef HAVE_DPRINTF
#define dprintf compat_dprintf
int	compat_dprintf(int, const char *, ...) printflike(2, 3);
#endif

/* closefrom(2): the BSDs and glibc from 2.34; else compat/closefrom.c. */
#if !defined(PORTABLE) && (defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__) || (defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))))
#define HAVE_CLOSEFROM 1
#endif

/* glibc 2.35 and later have C.UTF-8 built in: setlocale cannot fail. */
#if !defined(PORTABLE) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
#define HAVE_BUILTIN_C_UTF8 1
#endif

/*
 * The nanoseconds of a file's modification and change times: st_mtim
 * (POSIX.1-2008), st_mtimespec (macOS), or none (0) where neither is known.
 */
#if !defined(PORTABLE) && defined(__APPLE__)
#define COMPAT_MTIME_NSEC(sb) ((long)(sb)->st_mtimespec.tv_nsec)
#define COMPAT_CTIME_NSEC(sb) ((long)(sb)->st_ctimespec.tv_nsec)
#elif !defined(PORTABLE) && (defined(__linux__) || defined(__FreeBSD__) || \
    defined(__NetBSD__) || defined(__OpenBSD__) || defined(__DragonFly__))
#define COMPAT_MTIME_NSEC(sb) ((long)(sb)->st_mtim.tv_nsec)
#define COMPAT_CTIME_NSEC(sb) ((long)(sb)->st_ctim.tv_nsec)
#else
#define COMPAT_MTIME_NSEC(sb) 0L
#define COMPAT_CTIME_NSEC(sb) 0L
#endif

/*
 * recvmsg(2) and sendmsg(2) flags where they exist. Without the first,
 * imsg.c marks each received descriptor close-on-exec itself; without
 * the second, a write to a closed socket raises SIGPIPE, which the client
 * ignores (signal.c).
 */
#if defined(MSG_CMSG_CLOEXEC) && !defined(PORTABLE)
#define COMPAT_MSG_CMSG_CLOEXEC MSG_CMSG_CLOEXEC
#else
#define COMPAT_MSG_CMSG_CLOEXEC 0
#endif
#if defined(MSG_NOSIGNAL) && !defined(PORTABLE)
#define COMPAT_MSG_NOSIGNAL MSG_NOSIGNAL
#else
#define COMPAT_MSG_NOSIGNAL 0
#endif

/* compat/peer.c: the process at the other end of a connected socket, or 0. */
pid_t	compat_peer_pid(int);
int	compat_peer_uid(int, uid_t *);

/* compat/peer.c: bytes we sent that the other end has not read, or -1. */
long	compat_unread(int);

/*
 * compat/peer.c: what the kernel says of a process: the CPU time it has
 * used, in ticks, or -1; and in *held 1 if it is held (stopped, traced, or
 * waiting on a device), 0 if not or unknown.
 */
long long compat_pid_state(pid_t, int *);

/* compat/peer.c: readable when the other end reads from us, or -1. */
int	compat_watch_reads(int);
void	compat_reads_seen(int);

/* compat/exe.c: our own executable file, or -1 if the kernel cannot say. */
int	compat_self_stat(struct stat *);

/* compat/exe.c: a path that runs the binary of a process, or -1. */
int	compat_pid_exe(pid_t, char *, size_t);

/* compat/closefrom.c: close every descriptor from this one up. */
void	compat_closefrom(int);

/* compat/proctitle.c: the process name ps shows, where it can be set. */
void	compat_setproctitle(const char *, const char *);

/* compat/event.c: an event loop that serves every kind of descriptor. */
struct event_base;
struct event_base *compat_event_base(void);

#endif /* COMPAT_H */
