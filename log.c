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
 * Debug log (-v): tmux-client-PID.log in the current directory. A fatal
 * error also goes to stderr, where tmux's client exits without a word.
 */

#include <sys/time.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmux.h"

static FILE	*log_file;

void
log_open(int level, const char *name)
{
	char	path[64];

	if (level == 0 || log_file != NULL)
		return;
	snprintf(path, sizeof path, "tmux-%s-%ld.log", name, (long)getpid());
	if ((log_file = fopen(path, "a")) != NULL)
		setvbuf(log_file, NULL, _IOLBF, 0);
}

/* Write one line, escaping what is not printable. */
static void
log_vwrite(const char *fmt, va_list ap, const char *suffix)
{
	struct timeval	 tv;
	char		*msg;
	const char	*p;

	if (log_file == NULL)
		return;
	if (vasprintf(&msg, fmt, ap) == -1)
		return;
	gettimeofday(&tv, NULL);
	fprintf(log_file, "%lld.%06d ", (long long)tv.tv_sec,
	    (int)tv.tv_usec);
	for (p = msg; *p != '\0'; p++) {
		if (*p == '\n')
			fputs("\\n", log_file);
		else if (*p == '\t')
			fputs("\\t", log_file);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fprintf(log_file, "\\%03o", (unsigned char)*p);
		else
			fputc(*p, log_file);
	}
	fprintf(log_file, "%s\n", suffix);
	free(msg);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(fmt, ap, "");
	va_end(ap);
}

/*
 * Say on stderr and in the log why we cannot go on, and exit 1. Without
 * allocating: memory may be what ran out.
 */
static __dead void
log_fatal(const char *fmt, va_list ap, const char *suffix)
{
	char		msg[512];
	struct iovec	iov[3];
	va_list		ap2;
	int		n;

	va_copy(ap2, ap);
	if ((n = vsnprintf(msg, sizeof msg, fmt, ap2)) >= 0) {
		iov[0].iov_base = msg;
		iov[0].iov_len = (size_t)n < sizeof msg ? (size_t)n :
		    sizeof msg - 1;
		iov[1].iov_base = (char *)suffix;
		iov[1].iov_len = strlen(suffix);
		iov[2].iov_base = "\n";
		iov[2].iov_len = 1;
		/* If stderr is gone, the log is all there is. */
		if (writev(STDERR_FILENO, iov, 3) == -1)
			errno = 0;
	}
	va_end(ap2);
	log_vwrite(fmt, ap, suffix);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	char	suffix[256];
	va_list	ap;

	snprintf(suffix, sizeof suffix, ": %s", strerror(errno));
	va_start(ap, fmt);
	log_fatal(fmt, ap, suffix);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_fatal(fmt, ap, "");
}
