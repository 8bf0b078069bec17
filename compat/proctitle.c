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
 * The name ps and top show for a process. On Linux tmux's processes call
 * themselves "PROGNAME: TITLE", within the 15 bytes the kernel keeps,
 * cut at a word; elsewhere this client leaves its name alone.
 */

#include <stdio.h>
#include <string.h>

#include "compat.h"

#if !defined(PORTABLE) && defined(__linux__)
#include <sys/prctl.h>
#endif

void
compat_setproctitle(const char *progname, const char *title)
{
#if !defined(PORTABLE) && defined(__linux__)
	char	name[16], *cp;

	if (snprintf(name, sizeof name, "%s: %s", progname, title) >=
	    (int)sizeof name && (cp = strrchr(name, ' ')) != NULL)
		*cp = '\0';
	prctl(PR_SET_NAME, name);
#else
	(void)progname;
	(void)title;
#endif
}
