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
 * For t-lost.sh, by LD_PRELOAD (Linux): close(2) of the file named by
 * $CLOSEFAIL closes it and then fails with EIO, as NFS reports a write
 * that failed on the server.
 */

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
close(int fd)
{
	static int	(*real)(int);
	const char	*want = getenv("CLOSEFAIL");
	char		 link[64], path[PATH_MAX];
	ssize_t		 n;
	int		 match = 0;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "close");
	if (want != NULL) {
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof path - 1);
		if (n > 0) {
			path[n] = '\0';
			match = (strcmp(path, want) == 0);
		}
	}
	if (real(fd) != 0)
		return (-1);
	if (match) {
		errno = EIO;
		return (-1);
	}
	return (0);
}
