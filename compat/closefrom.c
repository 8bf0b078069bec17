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
 * Closing every descriptor above the standard ones before a program we
 * run starts: closefrom(2) where the C library has it, else one close(2)
 * per possible descriptor.
 */

#include <unistd.h>

#include "compat.h"

#ifndef HAVE_CLOSEFROM
/*
 * No descriptor is at or above the limit on open files, unless the limit
 * was lowered after it was opened; an unbounded limit stops the loop
 * here (the hard limit Linux gives containers by default).
 */
#define CLOSEFROM_MAX (1L << 20)
#endif

void
compat_closefrom(int lowfd)
{
#ifdef HAVE_CLOSEFROM
	closefrom(lowfd);
#else
	long	maxfd, fd;

	if ((maxfd = sysconf(_SC_OPEN_MAX)) < 0 || maxfd > CLOSEFROM_MAX)
		maxfd = CLOSEFROM_MAX;
	for (fd = lowfd; fd < maxfd; fd++)
		close((int)fd);
#endif
}
