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
 * Finding executables: our own (so that the server program search skips
 * us without running us) and a running server's (so that a server too old
 * to say its version can be asked through its binary). The kernel knows
 * both on Linux, macOS and FreeBSD; elsewhere neither is known.
 *
 * Our own is not guessed from argv[0] and PATH: a program may run us under
 * any name, and taking the real tmux for ourselves would leave no server
 * program. Unknown, it costs a run of any candidate that is this client,
 * which then says so (program.c).
 */

#include <sys/types.h>
#include <sys/stat.h>
#if defined(__FreeBSD__) || defined(__DragonFly__)
#include <sys/sysctl.h>
#endif

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <libproc.h>
#include <mach-o/dyld.h>
#endif

#include "compat.h"

#if !defined(PORTABLE) && defined(__linux__)
#define HAVE_PROC_EXE 1
#elif !defined(PORTABLE) && defined(__APPLE__)
#define HAVE_DARWIN_EXE 1
#elif !defined(PORTABLE) && (defined(__FreeBSD__) || defined(__DragonFly__))
#define HAVE_SYSCTL_EXE 1
#endif

#ifdef HAVE_SYSCTL_EXE
/* The executable of process pid (-1 for ourselves). */
static int
sysctl_exe(pid_t pid, char *buf, size_t size)
{
	int	mib[4] = { CTL_KERN, KERN_PROC, KERN_PROC_PATHNAME, 0 };
	size_t	len = size;

	mib[3] = pid;
	if (sysctl(mib, 4, buf, &len, NULL, 0) != 0 || len == 0)
		return (-1);
	return (0);
}
#endif

int
compat_self_stat(struct stat *sb)
{
#if defined(HAVE_PROC_EXE)
	return (stat("/proc/self/exe", sb));
#elif defined(HAVE_DARWIN_EXE)
	char		path[PATH_MAX];
	uint32_t	size = sizeof path;

	if (_NSGetExecutablePath(path, &size) != 0)
		return (-1);
	return (stat(path, sb));
#elif defined(HAVE_SYSCTL_EXE)
	char	path[PATH_MAX];

	if (sysctl_exe(-1, path, sizeof path) != 0)
		return (-1);
	return (stat(path, sb));
#else
	(void)sb;
	return (-1);
#endif
}

int
compat_pid_exe(pid_t pid, char *buf, size_t size)
{
#if defined(HAVE_PROC_EXE)
	/* Runs the process's binary even if its path has gone. */
	if ((size_t)snprintf(buf, size, "/proc/%ld/exe", (long)pid) < size)
		return (0);
#elif defined(HAVE_DARWIN_EXE)
	if (proc_pidpath(pid, buf, (uint32_t)size) > 0)
		return (0);
#elif defined(HAVE_SYSCTL_EXE)
	if (sysctl_exe(pid, buf, size) == 0)
		return (0);
#else
	(void)pid;
	(void)buf;
	(void)size;
#endif
	return (-1);
}
