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
 * Check terminfo_read and terminfo_reset against facts of Debian's
 * terminfo entries.
 */

#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmux.h"
#include "unit.h"

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Value of capability name, or NULL if it was not returned. */
static const char *
find(char **caps, u_int ncaps, const char *name)
{
	size_t	len;
	u_int	i;

	len = strlen(name);
	for (i = 0; i < ncaps; i++) {
		if (strncmp(caps[i], name, len) == 0 && caps[i][len] == '=')
			return (caps[i] + len + 1);
	}
	return (NULL);
}

static void
expect(char **caps, u_int ncaps, const char *term, const char *name,
    const char *value)
{
	const char	*found;

	found = find(caps, ncaps, name);
	if ((value == NULL && found == NULL) || (value != NULL &&
	    found != NULL && (*value == '\0' || strcmp(found, value) == 0))) {
		pass("%s %s", term, name);
		return;
	}
	fail("%s %s: expected %s, got %s", term, name,
	    value == NULL ? "absent" : (*value == '\0' ? "present" : value),
	    found == NULL ? "absent" : found);
}

static void
read_term(const char *term, char ***caps, u_int *ncaps)
{
	char	*cause;

	if (terminfo_read(term, caps, ncaps, &cause) != 0) {
		fail("%s read: %s", term, cause);
		free(cause);
		exit(unit_status());
	}
	pass("%s read", term);
}

/* What terminfo_reset gives for term: want, or NULL for nothing. */
static void
reset(const char *term, const char *want)
{
	char	*got;

	got = terminfo_reset(term);
	if ((got == NULL && want == NULL) || (got != NULL && want != NULL &&
	    strcmp(got, want) == 0))
		pass("%s reset", term);
	else {
		fail("%s reset: expected %s, got %s", term,
		    want == NULL ? "none" : want, got == NULL ? "none" : got);
	}
	free(got);
}

int
main(void)
{
	char	**caps, *cause;
	u_int	  ncaps;

	read_term("xterm-256color", &caps, &ncaps);
	expect(caps, ncaps, "xterm-256color", "am", "1");
	expect(caps, ncaps, "xterm-256color", "AX", "1");
	expect(caps, ncaps, "xterm-256color", "bce", "1");
	expect(caps, ncaps, "xterm-256color", "XT", "1");
	expect(caps, ncaps, "xterm-256color", "colors", "256");
	expect(caps, ncaps, "xterm-256color", "bel", "\007");
	expect(caps, ncaps, "xterm-256color", "clear", "\033[H\033[2J");
	expect(caps, ncaps, "xterm-256color", "cup", "");
	expect(caps, ncaps, "xterm-256color", "Tc", NULL);
	expect(caps, ncaps, "xterm-256color", "RGB", NULL);
	expect(caps, ncaps, "xterm-256color", "U8", NULL);
	expect(caps, ncaps, "xterm-256color", "ich1", NULL);
	if (ncaps == 0 || strncmp(caps[0], "acsc=", 5) != 0 ||
	    strcmp(caps[ncaps - 1], "XT=1") != 0)
		fail("xterm-256color order: wrong first or last entry");
	else
		pass("xterm-256color order");
	terminfo_free(caps, ncaps);

	read_term("vt100", &caps, &ncaps);
	expect(caps, ncaps, "vt100", "bce", "0");
	expect(caps, ncaps, "vt100", "am", "1");
	expect(caps, ncaps, "vt100", "XT", NULL);
	terminfo_free(caps, ncaps);

	if (terminfo_read("nosuchterm", &caps, &ncaps, &cause) == 0) {
		fail("nosuchterm: no error");
		terminfo_free(caps, ncaps);
	} else {
		if (strcmp(cause,
		    "missing or unsuitable terminal: nosuchterm") != 0)
			fail("nosuchterm: cause \"%s\"", cause);
		else
			pass("nosuchterm");
		free(cause);
	}

	reset("xterm", "\033(B\033[m\033[?1l\033>\033[?12l\033[?25h"
	    "\033[?1000l\033[?1002l\033[?1003l\033[?1006l\033[?1005l"
	    "\033[?2004l\033[?1004l\033[>4m\033[?1049l\033[23;0;0t");
	/* No mouse, no alternate screen: what there is, without padding. */
	reset("vt100", "\033[m\017\033[?1l\033>");
	reset("nosuchterm", NULL);
	return (unit_status());
}
