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
 * Tests for cmd_flags(): each line is a command line and whether
 * tmux 3.3a's client would let it start a server.
 */

#include <stdio.h>

#include "tmux.h"
#include "unit.h"

#define MAXWORDS 12

struct test {
	int		 expect;
	const char	*words[MAXWORDS];	/* NULL-terminated */
};

static const struct test tests[] = {
	{ 1, { "new", "-d" } },
	{ 1, { "new-session" } },
	{ 1, { "attach" } },
	{ 1, { "a" } },
	{ 1, { "lsk" } },
	{ 1, { "lscm" } },
	{ 1, { "start;" } },
	{ 1, { "new", "-d", "-s" } },		/* missing value accepted */
	{ 1, { "start", ";", "has", "-t" } },
	{ 0, { "start", ";", "has", "-Q" } },
	{ 0, { "new", "-d", ";", "foo" } },
	{ 0, { "info" } },			/* alias, not start-server */
	{ 0, { "list" } },			/* ambiguous */
	{ 0, { "start", "extra" } },
	{ 0, { "choose-session" } },
	{ 0, { "kill-s" } },
	{ 0, { "ls" } },
	{ 0, { "new-" } },
	{ 0, { "e" } },
	{ 1, { "st" } },
	{ 0, { "display", "-p", "x" } },
	{ 1, { "set", "-g", "status", "off", ";", "new" } },
	{ 1, { ";", "new" } },
	{ 0, { "display", "a\\;" } },
	{ 1, { "new", "a\\;" } },		/* literal "a;" */
	{ 0, { "start", "\\;" } },		/* literal ";" is an argument */
	{ 0, { "start", "\\;", ";", "new" } },	/* one bad fails all */
	{ 1, { "new", "--", "-x" } },
	{ 0, { "attach", "extra" } },
	{ 1, { "lsk", "-T" } },
	{ 0, { "kill-server" } },

	/* Splitting. */
	{ 1, { "new;" } },
	{ 1, { "new-session;" } },
	{ 0, { "start\\;" } },			/* name "start;" */
	{ 1, { ";", ";", "new" } },
	{ 0, { ";" } },
	{ 1, { "has;", "start" } },
	{ 1, { "new", "-t", ";" } },
	{ 1, { "new", "-d;" } },
	{ 0, { "new", "-d\\;" } },		/* flag ';' */
	{ 1, { "new", "-;" } },
	{ 1, { "start", "--;" } },
	{ 0, { "start", "-;" } },

	/* Aliases. */
	{ 1, { "splitp", ";", "new" } },
	{ 1, { "split-pane", "-h", ";", "new" } },
	{ 1, { "info", "-t", "x", ";", "new" } },
	{ 0, { "info", "-x", ";", "new" } },
	{ 0, { "server-info", "x", ";", "new" } },
	{ 1, { "choose-window", "-s", "x", ";", "new" } },
	{ 0, { "choose-session", "x", "y", ";", "new" } },
	{ 1, { "info;", "new" } },

	/* Lookup. */
	{ 1, { "last", ";", "new" } },
	{ 1, { "next", ";", "prev", ";", "lock", ";", "new" } },
	{ 1, { "set", "x", ";", "show", ";", "display", ";", "new" } },
	{ 0, { "lis" } },
	{ 0, { "sw", ";", "new" } },
	{ 0, { "se", ";", "new" } },
	{ 0, { "", ";", "new" } },
	{ 1, { "sp", ";", "f", "x", ";", "w", "x", ";", "new" } },
	{ 0, { "display-p", ";", "new" } },
	{ 1, { "display-po", ";", "display-pa", ";", "new" } },
	{ 1, { "newp", ";", "new-p", ";", "new-s" } },
	{ 1, { "attach-session" } },
	{ 1, { "list-k" } },
	{ 0, { "list-c" } },			/* clients or commands */
	{ 1, { "list-co" } },
	{ 0, { "list-cl" } },
	{ 1, { "start-server" } },
	{ 0, { "start-server-" } },

	/* Flags and arguments. */
	{ 0, { "new", "-Q" } },
	{ 0, { "new", "-?" } },
	{ 0, { "new", "--x" } },
	{ 0, { "new", "-d-" } },
	{ 1, { "new", "-sfoo", "-dPX" } },
	{ 1, { "new", "-s", "-d" } },		/* "-d" is the value */
	{ 1, { "new", "-ds", "x", "y" } },
	{ 1, { "new", "-d", "-", "-x" } },
	{ 1, { "new", "", "-x" } },
	{ 1, { "start", "--" } },
	{ 0, { "start", "--", "x" } },
	{ 0, { "start", "-" } },
	{ 0, { "start", "" } },
	{ 0, { "attach", "-" } },
	{ 1, { "attach", "-t" } },
	{ 1, { "attach", "-t", "x", "-d" } },
	{ 1, { "lsk", "-T", "root", "C-b" } },
	{ 0, { "lsk", "a", "b" } },
	{ 1, { "lscm", "-F", "x", "new" } },
	{ 0, { "if", "a", ";", "new" } },
	{ 1, { "if", "a", "b", ";", "new" } },
	{ 0, { "if", "a", "b", "c", "d", ";", "new" } },
	{ 0, { "kill-server", "-a", ";", "new" } },
	{ 1, { "run", "-c", "/", "a", "b", ";", "new" } },	/* 3.7c */
	{ 1, { "new", "-d", "-d", "-d" } },
};

int
main(void)
{
	char	*argv[MAXWORDS], name[256];
	int	 argc, got, want;
	size_t	 i, len;

	for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		len = (size_t)snprintf(name, sizeof name, "%zu", i + 1);
		for (argc = 0; tests[i].words[argc] != NULL; argc++) {
			argv[argc] = (char *)tests[i].words[argc];
			if (len < sizeof name)
				len += (size_t)snprintf(name + len,
				    sizeof name - len, " '%s'", argv[argc]);
		}
		argv[argc] = NULL;
		want = tests[i].expect;
		got = cmd_flags(argc, argv) & CMD_STARTSERVER;
		if (got == want)
			pass("%s", name);
		else
			fail("%s: got %d, want %d", name, got, want);
	}
	return (unit_status());
}
