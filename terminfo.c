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
 * Read the terminal's terminfo entry into the NAME=VALUE strings the client
 * sends as MSG_IDENTIFY_TERMINFO, and, for a server that left without
 * putting the terminal back, what does so.
 */

#include <sys/types.h>

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "tmux.h"

enum terminfo_type {
	TI_STR,
	TI_NUM,
	TI_FLAG
};

struct terminfo_cap {
	const char		*name;
	enum terminfo_type	 type;
};

/*
 * tmux 3.7c's capabilities in the order of its internal enumeration, which
 * is the order they are sent; older servers ignore names they lack.
 */
static const struct terminfo_cap terminfo_caps[] = {
	{ "acsc", TI_STR }, { "am", TI_FLAG }, { "AX", TI_FLAG },
	{ "bce", TI_FLAG }, { "bel", TI_STR }, { "Bidi", TI_STR },
	{ "blink", TI_STR }, { "bold", TI_STR }, { "civis", TI_STR },
	{ "clear", TI_STR }, { "Clmg", TI_STR }, { "Cmg", TI_STR },
	{ "cnorm", TI_STR }, { "colors", TI_NUM }, { "Cr", TI_STR },
	{ "Cs", TI_STR }, { "csr", TI_STR }, { "cub", TI_STR },
	{ "cub1", TI_STR }, { "cud", TI_STR }, { "cud1", TI_STR },
	{ "cuf", TI_STR }, { "cuf1", TI_STR }, { "cup", TI_STR },
	{ "cuu", TI_STR }, { "cuu1", TI_STR }, { "cvvis", TI_STR },
	{ "dch", TI_STR }, { "dch1", TI_STR }, { "dim", TI_STR },
	{ "dl", TI_STR }, { "dl1", TI_STR }, { "Dsbp", TI_STR },
	{ "Dseks", TI_STR }, { "Dsfcs", TI_STR }, { "Dsmg", TI_STR },
	{ "E3", TI_STR }, { "ech", TI_STR }, { "ed", TI_STR }, { "el", TI_STR },
	{ "el1", TI_STR }, { "enacs", TI_STR }, { "Enbp", TI_STR },
	{ "Eneks", TI_STR }, { "Enfcs", TI_STR }, { "Enmg", TI_STR },
	{ "fsl", TI_STR }, { "Hls", TI_STR }, { "home", TI_STR },
	{ "hpa", TI_STR }, { "ich", TI_STR }, { "ich1", TI_STR },
	{ "il", TI_STR }, { "il1", TI_STR }, { "indn", TI_STR },
	{ "invis", TI_STR }, { "kcbt", TI_STR }, { "kcub1", TI_STR },
	{ "kcud1", TI_STR }, { "kcuf1", TI_STR }, { "kcuu1", TI_STR },
	{ "kDC", TI_STR }, { "kDC3", TI_STR }, { "kDC4", TI_STR },
	{ "kDC5", TI_STR }, { "kDC6", TI_STR }, { "kDC7", TI_STR },
	{ "kdch1", TI_STR }, { "kDN", TI_STR }, { "kDN3", TI_STR },
	{ "kDN4", TI_STR }, { "kDN5", TI_STR }, { "kDN6", TI_STR },
	{ "kDN7", TI_STR }, { "kend", TI_STR }, { "kEND", TI_STR },
	{ "kEND3", TI_STR }, { "kEND4", TI_STR }, { "kEND5", TI_STR },
	{ "kEND6", TI_STR }, { "kEND7", TI_STR }, { "kf1", TI_STR },
	{ "kf10", TI_STR }, { "kf11", TI_STR }, { "kf12", TI_STR },
	{ "kf13", TI_STR }, { "kf14", TI_STR }, { "kf15", TI_STR },
	{ "kf16", TI_STR }, { "kf17", TI_STR }, { "kf18", TI_STR },
	{ "kf19", TI_STR }, { "kf2", TI_STR }, { "kf20", TI_STR },
	{ "kf21", TI_STR }, { "kf22", TI_STR }, { "kf23", TI_STR },
	{ "kf24", TI_STR }, { "kf25", TI_STR }, { "kf26", TI_STR },
	{ "kf27", TI_STR }, { "kf28", TI_STR }, { "kf29", TI_STR },
	{ "kf3", TI_STR }, { "kf30", TI_STR }, { "kf31", TI_STR },
	{ "kf32", TI_STR }, { "kf33", TI_STR }, { "kf34", TI_STR },
	{ "kf35", TI_STR }, { "kf36", TI_STR }, { "kf37", TI_STR },
	{ "kf38", TI_STR }, { "kf39", TI_STR }, { "kf4", TI_STR },
	{ "kf40", TI_STR }, { "kf41", TI_STR }, { "kf42", TI_STR },
	{ "kf43", TI_STR }, { "kf44", TI_STR }, { "kf45", TI_STR },
	{ "kf46", TI_STR }, { "kf47", TI_STR }, { "kf48", TI_STR },
	{ "kf49", TI_STR }, { "kf5", TI_STR }, { "kf50", TI_STR },
	{ "kf51", TI_STR }, { "kf52", TI_STR }, { "kf53", TI_STR },
	{ "kf54", TI_STR }, { "kf55", TI_STR }, { "kf56", TI_STR },
	{ "kf57", TI_STR }, { "kf58", TI_STR }, { "kf59", TI_STR },
	{ "kf6", TI_STR }, { "kf60", TI_STR }, { "kf61", TI_STR },
	{ "kf62", TI_STR }, { "kf63", TI_STR }, { "kf7", TI_STR },
	{ "kf8", TI_STR }, { "kf9", TI_STR }, { "kHOM", TI_STR },
	{ "kHOM3", TI_STR }, { "kHOM4", TI_STR }, { "kHOM5", TI_STR },
	{ "kHOM6", TI_STR }, { "kHOM7", TI_STR }, { "khome", TI_STR },
	{ "kIC", TI_STR }, { "kIC3", TI_STR }, { "kIC4", TI_STR },
	{ "kIC5", TI_STR }, { "kIC6", TI_STR }, { "kIC7", TI_STR },
	{ "kich1", TI_STR }, { "kind", TI_STR }, { "kLFT", TI_STR },
	{ "kLFT3", TI_STR }, { "kLFT4", TI_STR }, { "kLFT5", TI_STR },
	{ "kLFT6", TI_STR }, { "kLFT7", TI_STR }, { "kmous", TI_STR },
	{ "knp", TI_STR }, { "kNXT", TI_STR }, { "kNXT3", TI_STR },
	{ "kNXT4", TI_STR }, { "kNXT5", TI_STR }, { "kNXT6", TI_STR },
	{ "kNXT7", TI_STR }, { "kpp", TI_STR }, { "kPRV", TI_STR },
	{ "kPRV3", TI_STR }, { "kPRV4", TI_STR }, { "kPRV5", TI_STR },
	{ "kPRV6", TI_STR }, { "kPRV7", TI_STR }, { "kri", TI_STR },
	{ "kRIT", TI_STR }, { "kRIT3", TI_STR }, { "kRIT4", TI_STR },
	{ "kRIT5", TI_STR }, { "kRIT6", TI_STR }, { "kRIT7", TI_STR },
	{ "kUP", TI_STR }, { "kUP3", TI_STR }, { "kUP4", TI_STR },
	{ "kUP5", TI_STR }, { "kUP6", TI_STR }, { "kUP7", TI_STR },
	{ "Ms", TI_STR }, { "Nobr", TI_STR }, { "ol", TI_STR },
	{ "op", TI_STR }, { "Rect", TI_STR }, { "rev", TI_STR },
	{ "RGB", TI_FLAG }, { "ri", TI_STR }, { "rin", TI_STR },
	{ "rmacs", TI_STR }, { "rmcup", TI_STR }, { "rmkx", TI_STR },
	{ "Se", TI_STR }, { "setab", TI_STR }, { "setaf", TI_STR },
	{ "setal", TI_STR }, { "setrgbb", TI_STR }, { "setrgbf", TI_STR },
	{ "Setulc", TI_STR }, { "Setulc1", TI_STR }, { "sgr0", TI_STR },
	{ "sitm", TI_STR }, { "smacs", TI_STR }, { "smcup", TI_STR },
	{ "smkx", TI_STR }, { "Smol", TI_STR }, { "smso", TI_STR },
	{ "smul", TI_STR }, { "Smulx", TI_STR }, { "smxx", TI_STR },
	{ "Spb", TI_STR }, { "Sxl", TI_FLAG }, { "Ss", TI_STR },
	{ "Swd", TI_STR }, { "Sync", TI_STR }, { "Tc", TI_FLAG },
	{ "tsl", TI_STR }, { "U8", TI_NUM }, { "vpa", TI_STR },
	{ "XT", TI_FLAG },
};
#define TERMINFO_NCAPS nitems(terminfo_caps)

/*
 * What puts back the modes an attached server may have set, in order,
 * each if the entry has the capability: the entry's own strings, and on a
 * terminal with a mouse (kmous) the xterm modes servers set there, mouse,
 * bracketed paste, focus reports and extended keys. The normal screen
 * comes last.
 */
static const struct {
	const char	*name;
	const char	*instead;	/* sent in its place, if not NULL */
} terminfo_resets[] = {
	{ "sgr0", NULL }, { "rmkx", NULL }, { "cnorm", NULL },
	{ "kmous", "\033[?1000l\033[?1002l\033[?1003l\033[?1006l"
	    "\033[?1005l\033[?2004l\033[?1004l\033[>4m" },
	{ "rmcup", NULL }
};

/* Load TERM's entry; on failure, nothing is left loaded. */
static int
terminfo_setup(const char *term, int fd, int *error)
{
	if (setupterm((char *)term, fd, error) == OK)
		return (0);
	/* Some failures come after the entry was loaded. */
	if (cur_term != NULL)
		del_curterm(cur_term);
	return (-1);
}

int
terminfo_read(const char *term, char ***caps, u_int *ncaps, char **cause)
{
	const struct terminfo_cap	*tc;
	char				**list;
	const char			*s;
	u_int				 i, n;
	int				 error, v;

	if (terminfo_setup(term, STDIN_FILENO, &error) != 0) {
		switch (error) {
		case 1:
			xasprintf(cause, "can't use hardcopy terminal: %s",
			    term);
			break;
		case 0:
			xasprintf(cause, "missing or unsuitable terminal: %s",
			    term);
			break;
		case -1:
			xasprintf(cause, "can't find terminfo database");
			break;
		default:
			xasprintf(cause, "unknown error");
			break;
		}
		return (-1);
	}

	list = xcalloc(TERMINFO_NCAPS, sizeof *list);
	n = 0;
	for (i = 0; i < TERMINFO_NCAPS; i++) {
		tc = &terminfo_caps[i];
		switch (tc->type) {
		case TI_STR:
			/* -1 means not a string, including unknown names. */
			s = tigetstr((char *)tc->name);
			if (s == NULL || s == (char *)-1)
				continue;
			xasprintf(&list[n], "%s=%s", tc->name, s);
			break;
		case TI_NUM:
			v = tigetnum((char *)tc->name);
			if (v == -1 || v == -2)
				continue;
			xasprintf(&list[n], "%s=%d", tc->name, v);
			break;
		case TI_FLAG:
			v = tigetflag((char *)tc->name);
			if (v == -1)
				continue;
			xasprintf(&list[n], "%s=%d", tc->name, v != 0);
			break;
		}
		n++;
	}
	del_curterm(cur_term);

	*caps = list;
	*ncaps = n;
	return (0);
}

/*
 * terminfo_resets for TERM, without the padding ("$<2>") a terminal would
 * show; NULL if TERM cannot be read or has none.
 */
char *
terminfo_reset(const char *term)
{
	const char	*s, *end;
	char		*out = NULL;
	size_t		 len = 0;
	u_int		 i;
	int		 error;

	if (term == NULL || terminfo_setup(term, STDOUT_FILENO, &error) != 0)
		return (NULL);
	for (i = 0; i < nitems(terminfo_resets); i++) {
		s = tigetstr((char *)terminfo_resets[i].name);
		if (s == NULL || s == (char *)-1)
			continue;
		if (terminfo_resets[i].instead != NULL)
			s = terminfo_resets[i].instead;
		out = xreallocarray(out, len + strlen(s) + 1, 1);
		for (; *s != '\0'; s++) {
			if (s[0] == '$' && s[1] == '<' &&
			    (end = strchr(s, '>')) != NULL)
				s = end;
			else
				out[len++] = *s;
		}
		out[len] = '\0';
	}
	del_curterm(cur_term);
	return (out);
}

void
terminfo_free(char **caps, u_int ncaps)
{
	u_int	i;

	for (i = 0; i < ncaps; i++)
		free(caps[i]);
	free(caps);
}
