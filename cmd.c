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
 * The client's own parse of the command words, done to learn whether a
 * missing server may be started (as tmux 3.3a: every command must parse
 * and at least one must carry the start-server flag) and whether the
 * client's working directory matters to the server. Failures are
 * silent because the server parses the words again and reports errors
 * itself (it may also know aliases or commands that we do not).
 */

#include <sys/types.h>

#include <ctype.h>
#include <string.h>

#include "tmux.h"

struct cmd_entry {
	const char	*name;
	const char	*alias;
	const char	*flags;		/* a letter then ':' takes a value */
	int		 lower;		/* positional arguments */
	int		 upper;		/* -1 is unlimited */
	int		 cmdflags;	/* CMD_* */
};

/*
 * Only a path other than "-" involves the working directory; "-" is our
 * stdin or stdout, and reading stdin matters to old servers.
 */
#define CMD_CWDPATH 0x100
#define CMD_READPATH 0x200

/*
 * tmux 3.7c's table in its own order, which is alphabetical except that
 * display-popup precedes display-panes; the order decides ambiguity.
 */
static const struct cmd_entry cmd_table[] = {
	{ "attach-session", "attach", "c:dEf:rt:x", 0, 0,
	  CMD_STARTSERVER|CMD_ENVIRON|CMD_CANTNEST },
	{ "bind-key", "bind", "nrN:T:", 1, -1, 0 },
	{ "break-pane", "breakp", "abdPF:n:s:t:", 0, 0, 0 },
	{ "capture-pane", "capturep", "ab:CeE:FHJLMNpPqS:Tt:", 0, 0, 0 },
	{ "choose-buffer", NULL, "F:f:K:NO:rt:yZ", 0, 1, 0 },
	{ "choose-client", NULL, "F:f:K:NO:rt:yZ", 0, 1, 0 },
	{ "choose-tree", NULL, "F:f:GK:NO:rst:wyZ", 0, 1, 0 },
	{ "clear-history", "clearhist", "Ht:", 0, 0, 0 },
	{ "clear-prompt-history", "clearphist", "T:", 0, 0, 0 },
	{ "clock-mode", NULL, "t:", 0, 0, 0 },
	{ "command-prompt", NULL, "1CbeFiklI:Np:t:T:", 0, 1, 0 },
	{ "confirm-before", "confirm", "bc:p:t:y", 1, 1, 0 },
	{ "copy-mode", NULL, "deHMqSs:t:u", 0, 0, 0 },
	{ "customize-mode", NULL, "F:f:Nt:yZ", 0, 0, 0 },
	{ "delete-buffer", "deleteb", "b:", 0, 0, 0 },
	{ "detach-client", "detach", "aE:s:t:P", 0, 0, 0 },
	{ "display-menu", "menu", "b:c:C:H:s:S:MOt:T:x:y:", 1, -1, 0 },
	{ "display-message", "display", "aCc:d:lINpt:F:v", 0, 1, 0 },
	{ "display-popup", "popup",
	  "Bb:Cc:d:e:Eh:kNs:S:t:T:w:x:y:", 0, -1, 0 },
	{ "display-panes", "displayp", "bd:Nt:", 0, 1, 0 },
	{ "find-window", "findw", "CiNrt:TZ", 1, 1, 0 },
	{ "has-session", "has", "t:", 0, 0, 0 },
	{ "if-shell", "if", "bFt:", 2, 3, CMD_CWD },
	{ "join-pane", "joinp", "bdfhvp:l:s:t:", 0, 0, 0 },
	{ "kill-pane", "killp", "at:", 0, 0, 0 },
	{ "kill-server", NULL, "", 0, 0, 0 },
	{ "kill-session", NULL, "aCgt:", 0, 0, 0 },
	{ "kill-window", "killw", "at:", 0, 0, 0 },
	{ "last-pane", "lastp", "det:Z", 0, 0, 0 },
	{ "last-window", "last", "t:", 0, 0, 0 },
	{ "link-window", "linkw", "abdks:t:", 0, 0, 0 },
	{ "list-buffers", "lsb", "F:f:O:r", 0, 0, 0 },
	{ "list-clients", "lsc", "F:f:O:rt:", 0, 0, 0 },
	{ "list-commands", "lscm", "F:", 0, 1, CMD_STARTSERVER },
	{ "list-keys", "lsk", "1aF:NO:P:rT:", 0, 1, CMD_STARTSERVER },
	{ "list-panes", "lsp", "aF:f:O:rst:", 0, 0, 0 },
	{ "list-sessions", "ls", "F:f:O:r", 0, 0, 0 },
	{ "list-windows", "lsw", "aF:f:O:rt:", 0, 0, 0 },
	{ "load-buffer", "loadb", "b:t:w", 1, 1, CMD_CWDPATH|CMD_READPATH },
	{ "lock-client", "lockc", "t:", 0, 0, 0 },
	{ "lock-server", "lock", "", 0, 0, 0 },
	{ "lock-session", "locks", "t:", 0, 0, 0 },
	{ "move-pane", "movep", "bdfhvp:l:s:t:", 0, 0, 0 },
	{ "move-window", "movew", "abdkrs:t:", 0, 0, 0 },
	{ "new-pane", "newp",
	  "bc:de:EfF:hIkl:Lm:p:PR:s:S:t:vx:X:y:Y:Z", 0, -1, 0 },
	{ "new-session", "new", "Ac:dDe:EF:f:n:Ps:t:x:Xy:", 0, -1,
	  CMD_STARTSERVER|CMD_CWD|CMD_ENVIRON|CMD_CANTNEST },
	{ "new-window", "neww", "abc:de:F:kn:PSt:", 0, -1, CMD_CWD },
	{ "next-layout", "nextl", "t:", 0, 0, 0 },
	{ "next-window", "next", "at:", 0, 0, 0 },
	{ "paste-buffer", "pasteb", "db:prSs:t:", 0, 0, 0 },
	{ "pipe-pane", "pipep", "IOot:", 0, 1, 0 },
	{ "previous-layout", "prevl", "t:", 0, 0, 0 },
	{ "previous-window", "prev", "at:", 0, 0, 0 },
	{ "refresh-client", "refresh", "A:B:cC:Df:r:F:lLRSt:U", 0, 1, 0 },
	{ "rename-session", "rename", "t:", 1, 1, 0 },
	{ "rename-window", "renamew", "t:", 1, 1, 0 },
	{ "resize-pane", "resizep", "DLMRTt:Ux:y:Z", 0, 1, 0 },
	{ "resize-window", "resizew", "aADLRt:Ux:y:", 0, 1, 0 },
	{ "respawn-pane", "respawnp", "c:e:kt:", 0, -1, 0 },
	{ "respawn-window", "respawnw", "c:e:kt:", 0, -1, 0 },
	{ "rotate-window", "rotatew", "Dt:UZ", 0, 0, 0 },
	{ "run-shell", "run", "bd:Ct:Es:c:", 0, -1, CMD_CWD },
	{ "save-buffer", "saveb", "ab:", 1, 1, CMD_CWDPATH },
	{ "select-layout", "selectl", "Enopt:", 0, 1, 0 },
	{ "select-pane", "selectp", "DdegLlMmP:RT:t:UZ", 0, 0, 0 },
	{ "select-window", "selectw", "lnpTt:", 0, 0, 0 },
	{ "send-keys", "send", "c:FHKlMN:Rt:X", 0, -1, 0 },
	{ "send-prefix", NULL, "2t:", 0, 0, 0 },
	{ "server-access", NULL, "adlrw", 0, 1, 0 },
	{ "set-buffer", "setb", "ab:t:n:w", 0, 1, 0 },
	{ "set-environment", "setenv", "Fhgrt:u", 1, 2, 0 },
	{ "set-hook", NULL, "agpRt:uw", 1, 2, 0 },
	{ "set-option", "set", "aFgopqst:uUw", 1, 2, 0 },
	{ "set-window-option", "setw", "aFgoqt:u", 1, 2, 0 },
	{ "show-buffer", "showb", "b:", 0, 0, 0 },
	{ "show-environment", "showenv", "hgst:", 0, 1, 0 },
	{ "show-hooks", NULL, "gpt:w", 0, 1, 0 },
	{ "show-messages", "showmsgs", "JTt:", 0, 0, 0 },
	{ "show-options", "show", "AgHpqst:vw", 0, 1, 0 },
	{ "show-prompt-history", "showphist", "T:", 0, 0, 0 },
	{ "show-window-options", "showw", "gvt:", 0, 1, 0 },
	{ "source-file", "source", "t:Fnqv", 1, -1, 0 },
	{ "split-window", "splitw",
	  "bc:de:EfF:hIkl:m:p:PR:s:S:t:vZ", 0, -1, CMD_CWD },
	{ "start-server", "start", "", 0, 0, CMD_STARTSERVER },
	{ "suspend-client", "suspendc", "t:", 0, 0, 0 },
	{ "swap-pane", "swapp", "dDs:t:UZ", 0, 0, 0 },
	{ "swap-window", "swapw", "ds:t:", 0, 0, 0 },
	{ "switch-client", "switchc", "c:EFlnO:pt:rT:Z", 0, 0, 0 },
	{ "unbind-key", "unbind", "anqT:", 0, 1, 0 },
	{ "unlink-window", "unlinkw", "kt:", 0, 0, 0 },
	{ "wait-for", "wait", "LSU", 1, 1, 0 },
};

/*
 * The default command-alias entries; the client never reads a
 * configuration file, so knows no others. The expansions also add -JT, -w
 * or -s, but those take no value and are valid for the target command, so
 * they cannot change the outcome and are left out.
 */
static const struct {
	const char	*alias;
	const char	*name;
} cmd_aliases[] = {
	{ "split-pane", "split-window" },
	{ "splitp", "split-window" },
	{ "server-info", "show-messages" },
	{ "info", "show-messages" },
	{ "choose-window", "choose-tree" },
	{ "choose-session", "choose-tree" }
};

/*
 * Length of a word without a command-ending ';', and whether it had one.
 * A trailing "\;" is a literal ';' and is kept as it is: neither '\' nor
 * ';' can be part of a command name or a flag, so the backslash gives the
 * same result as the ';' it stands for.
 */
static size_t
cmd_word_length(const char *w, int *end)
{
	size_t	n = strlen(w);

	*end = (n != 0 && w[n - 1] == ';' && (n == 1 || w[n - 2] != '\\'));
	return (*end ? n - 1 : n);
}

/* Whether the first len bytes of w are exactly s. */
static int
cmd_equal(const char *s, const char *w, size_t len)
{
	return (strncmp(s, w, len) == 0 && s[len] == '\0');
}

/* Look up a command name: alias, exact name or unique prefix. */
static const struct cmd_entry *
cmd_find(const char *w, size_t len)
{
	const struct cmd_entry	*ce, *found = NULL;
	int			 ambiguous = 0;

	for (ce = cmd_table; ce < cmd_table + nitems(cmd_table); ce++) {
		if (ce->alias != NULL && cmd_equal(ce->alias, w, len))
			return (ce);
		if (strncmp(ce->name, w, len) != 0)
			continue;
		if (found != NULL)
			ambiguous = 1;
		found = ce;
		if (ce->name[len] == '\0')
			break;
	}
	return (ambiguous ? NULL : found);
}

/* Check the flags and the number of positional arguments. */
static int
cmd_check(const struct cmd_entry *ce, char **argv, int argc)
{
	const char	*w, *found;
	size_t		 len, j;
	int		 i, end;
	unsigned char	 c;

	for (i = 0; i < argc; /* nothing */) {
		w = argv[i];
		len = cmd_word_length(w, &end);
		if (len < 2 || w[0] != '-')
			break;
		i++;
		if (len == 2 && w[1] == '-')
			break;
		for (j = 1; j < len; j++) {
			c = w[j];
			if (!isalnum(c))
				return (0);
			if ((found = strchr(ce->flags, c)) == NULL)
				return (0);
			if (found[1] == ':') {
				/* 3.3a accepts a missing value at the end. */
				if (j == len - 1 && i < argc)
					i++;
				break;
			}
		}
	}
	argc -= i;
	return (argc >= ce->lower && (ce->upper == -1 || argc <= ce->upper));
}

/* Parse one command: -1 if it fails, else its CMD_* flags. */
static int
cmd_parse_one(char **argv, int argc)
{
	const struct cmd_entry	*ce;
	const char		*name;
	size_t			 len;
	u_int			 i;
	int			 end;

	if (argc == 0)
		return (0);
	name = argv[0];
	len = cmd_word_length(name, &end);
	for (i = 0; i < nitems(cmd_aliases); i++) {
		if (cmd_equal(cmd_aliases[i].alias, name, len)) {
			name = cmd_aliases[i].name;
			len = strlen(name);
			break;
		}
	}
	if ((ce = cmd_find(name, len)) == NULL)
		return (-1);
	if (!cmd_check(ce, argv + 1, argc - 1))
		return (-1);
	if (ce->cmdflags & CMD_CWDPATH) {
		len = cmd_word_length(argv[argc - 1], &end);
		if (!cmd_equal("-", argv[argc - 1], len))
			return (CMD_CWD);
		return ((ce->cmdflags & CMD_READPATH) ? CMD_STDIN : 0);
	}
	return (ce->cmdflags);
}

/* What the commands need, or 0 if any of them does not parse. */
int
cmd_flags(int argc, char **argv)
{
	int	i, first = 0, n, end, r, flags = 0;
	size_t	len;

	for (i = 0; i < argc; i++) {
		len = cmd_word_length(argv[i], &end);
		if (!end && i != argc - 1)
			continue;
		n = i + 1 - first;
		if (end && len == 0)
			n--;	/* a bare ";" adds no word */
		if ((r = cmd_parse_one(argv + first, n)) == -1)
			return (0);
		flags |= r;
		first = i + 1;
	}
	return (flags);
}
