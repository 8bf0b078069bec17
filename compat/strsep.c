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
 * strsep(3) for C libraries without it: the token up to the first of
 * delim, which is overwritten with a NUL; *sp moves past it, or to NULL
 * after the last token.
 */

#include <string.h>

#include "compat.h"

char *
compat_strsep(char **sp, const char *delim)
{
	char	*s = *sp, *end;

	if (s == NULL)
		return (NULL);
	end = s + strcspn(s, delim);
	if (*end == '\0')
		*sp = NULL;
	else {
		*end = '\0';
		*sp = end + 1;
	}
	return (s);
}
