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
 * Command line and locale, as tmux 3.3a's client has them.
 */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tmux.h"

static const char	*progname;

static __dead void
usage(void)
{
	fprintf(stderr,
	    "usage: %s [-2CDlNuvV] [-c shell-command] [-f file] "
	    "[-L socket-name]\n"
	    "            [-S socket-path] [-T features] [command [flags]]\n",
	    progname);
	exit(1);
}

/*
 * tmux insists on a UTF-8 LC_CTYPE, trying en_US.UTF-8 then C.UTF-8. Where
 * C.UTF-8 is built in (glibc 2.35 on) this cannot fail, and nothing in a
 * client depends on LC_CTYPE: skip the cost of loading it.
 */
static void
set_locale(void)
{
#ifndef HAVE_BUILTIN_C_UTF8
	const char	*s;

	if (setlocale(LC_CTYPE, "en_US.UTF-8") != NULL ||
	    setlocale(LC_CTYPE, "C.UTF-8") != NULL)
		return;
	if (setlocale(LC_CTYPE, "") == NULL) {
		fprintf(stderr, "%s: invalid LC_ALL, LC_CTYPE or LANG\n",
		    progname);
		exit(1);
	}
	s = nl_langinfo(CODESET);
	if (strcasecmp(s, "UTF-8") != 0 && strcasecmp(s, "UTF8") != 0) {
		fprintf(stderr, "%s: need UTF-8 locale (LC_CTYPE) but have "
		    "%s\n", progname, s);
		exit(1);
	}
#endif
}

/* Does s name UTF-8, as "UTF-8" or "UTF8" in any case, anywhere? */
static int
names_utf8(const char *s)
{
	for (; *s != '\0'; s++) {
		if (strncasecmp(s, "UTF-8", 5) == 0 ||
		    strncasecmp(s, "UTF8", 4) == 0)
			return (1);
	}
	return (0);
}

/* The first of LC_ALL, LC_CTYPE and LANG that is set decides. */
static int
locale_is_utf8(void)
{
	static const char *const names[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char		*s;
	size_t			 i;

	for (i = 0; i < nitems(names); i++) {
		s = getenv(names[i]);
		if (s == NULL || *s == '\0')
			continue;
		return (names_utf8(s));
	}
	return (0);
}

/* Options given more than once are kept in order. */
static void
options_add(const char ***list, u_int *n, const char *s)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = s;
}

int
main(int argc, char **argv)
{
	static struct options	 options;
	struct options		*o = &options;
	const char		*path = NULL, *s;
	char			*arg, *cause, title[16], opt;
	int			 i, j, noargs;

	program_answer_self(argc, argv);
	progname = (s = strrchr(argv[0], '/')) != NULL ? s + 1 : argv[0];

	/*
	 * A closed 0, 1 or 2 would be reused by our own descriptors and then
	 * handed to the server: hold it with /dev/null, but never serve it.
	 */
	for (i = 0; i < 3; i++) {
		if (fcntl(i, F_GETFD) == -1 && errno == EBADF) {
			if (open("/dev/null", O_RDWR) != i)
				exit(1);
			o->std_closed[i] = 1;
		}
	}
	set_locale();
	if (*argv[0] == '-')
		o->flags |= CLIENT_LOGIN;

	/*
	 * tmux's own getopt: no permutation, grouped letters, "--" ends the
	 * options, a longer "--word" is a silent usage error, and a "-" later
	 * in a group ends the options there, the word being the command.
	 */
	for (i = 1; i < argc && !o->print_version; i++) {
		arg = argv[i];
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		if (arg[1] == '-') {
			if (arg[2] != '\0')
				usage();
			i++;
			break;
		}
		for (j = 1; arg[j] != '\0'; j++) {
			opt = arg[j];
			if (opt == '-')
				goto command;
			if (strchr("cfLST", opt) != NULL) {
				if (arg[j + 1] != '\0')
					s = arg + j + 1;
				else if (i + 1 < argc)
					s = argv[++i];
				else {
					fprintf(stderr, "%s: option requires "
					    "an argument -- %c\n", progname,
					    opt);
					usage();
				}
			}
			switch (opt) {
			case '2':
				options_add(&o->features, &o->nfeatures, "256");
				break;
			case 'c':
				o->shell_command = s;
				break;
			case 'C':
				if (o->flags & CLIENT_CONTROL)
					o->flags |= CLIENT_CONTROLCONTROL;
				else
					o->flags |= CLIENT_CONTROL;
				break;
			case 'D':
				o->flags |= CLIENT_NOFORK;
				break;
			case 'f':
				options_add(&o->config_files, &o->nconfig, s);
				break;
			case 'l':
				o->flags |= CLIENT_LOGIN;
				break;
			case 'L':
				o->label = s;
				break;
			case 'N':
				o->flags |= CLIENT_NOSTARTSERVER;
				break;
			case 'q':
				break;
			case 'S':
				path = s;
				break;
			case 'T':
				options_add(&o->features, &o->nfeatures, s);
				break;
			case 'u':
				o->flags |= CLIENT_UTF8;
				break;
			case 'v':
				o->verbose++;
				break;
			case 'V':
				o->print_version = 1;
				break;
			case 'd':
			case 'U':
				usage();
			default:
				fprintf(stderr, "%s: unknown option -- %c\n",
				    progname, opt);
				usage();
			}
			if (o->print_version || strchr("cfLST", opt) != NULL)
				break;
		}
	}
command:
	if (o->print_version) {
		/* tmux stops at -V before a -v has opened its log. */
		o->verbose = 0;
		/* A socket directory tmux would refuse only means no server. */
		if ((o->socket_path = socket_path(o, path, &cause)) == NULL)
			free(cause);
		return (client_main(o));
	}
	o->argc = argc - i;
	o->argv = argv + i;
	o->main_argv = argv;

	noargs = (o->argc == 0);
	if ((o->shell_command != NULL || (o->flags & CLIENT_NOFORK)) &&
	    !noargs)
		usage();

	if (getenv("TMUX") != NULL || locale_is_utf8())
		o->flags |= CLIENT_UTF8;
	if ((o->socket_path = socket_path(o, path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		exit(1);
	}

	/* No command is new-session; -c runs none. */
	if (noargs) {
		o->cmd_flags = CMD_STARTSERVER|CMD_CWD;
		if (o->shell_command == NULL)
			o->cmd_flags |= CMD_ENVIRON|CMD_CANTNEST;
	} else
		o->cmd_flags = cmd_flags(o->argc, o->argv);
	if (o->shell_command != NULL || (o->cmd_flags & CMD_STARTSERVER))
		o->flags |= CLIENT_STARTSERVER;

	/* What ps calls us: tmux's name for its client, cut as tmux's. */
	snprintf(title, sizeof title, "client (%s)", o->socket_path);
	compat_setproctitle(progname, title);
	return (client_main(o));
}
