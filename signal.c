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
 * Signal dispositions of tmux's client: some ignored, the rest delivered
 * through the event loop, even if they were blocked when we started.
 * Exec'd programs get the defaults back, except SIGTTIN and SIGTTOU,
 * which tmux leaves ignored, and the blocked signals we found.
 */

#include <signal.h>
#include <string.h>

#include "tmux.h"

static const int signal_ignored[] = {
	SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGQUIT
};
static const int signal_caught[] = {
	SIGINT, SIGHUP, SIGCHLD, SIGCONT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH
};
#define NCAUGHT nitems(signal_caught)

static struct event	 signal_events[NCAUGHT];
static void		(*signal_cb)(int, void *);
/* The blocked signals we started with, for the programs we run. */
static sigset_t		 signal_mask;

static void
signal_event(int sig, __unused short events, void *arg)
{
	signal_cb(sig, arg);
}

/* One signal's disposition; interrupted calls restart. */
void
signal_action(int sig, void (*handler)(int))
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = handler;
	sigaction(sig, &sa, NULL);
}

void
signal_init(struct event_base *base, void (*cb)(int, void *), void *arg)
{
	sigset_t	caught;
	size_t		i;

	signal_cb = cb;
	sigprocmask(SIG_BLOCK, NULL, &signal_mask);
	for (i = 0; i < nitems(signal_ignored); i++)
		signal_action(signal_ignored[i], SIG_IGN);
	sigemptyset(&caught);
	for (i = 0; i < NCAUGHT; i++) {
		evsignal_assign(&signal_events[i], base, signal_caught[i],
		    signal_event, arg);
		evsignal_add(&signal_events[i], NULL);
		sigaddset(&caught, signal_caught[i]);
	}
	/*
	 * A blocked SIGCHLD would leave us waiting for ever for a program
	 * we run, and a blocked SIGTERM would not end us: obey them all.
	 */
	sigprocmask(SIG_UNBLOCK, &caught, NULL);
}

void
signal_restore(void)
{
	size_t	i;

	for (i = 0; i < NCAUGHT; i++) {
		if (signal_cb != NULL)
			evsignal_del(&signal_events[i]);
		signal_action(signal_caught[i], SIG_DFL);
	}
	signal_action(SIGPIPE, SIG_DFL);
	signal_action(SIGTSTP, SIG_DFL);
	signal_action(SIGQUIT, SIG_DFL);
	if (signal_cb == NULL)
		sigemptyset(&signal_mask);
	sigprocmask(SIG_SETMASK, &signal_mask, NULL);
}
