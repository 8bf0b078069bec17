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
 * Reporting for the unit programs, as for every test (tests/run): one
 * "PASS: name" or "FAIL: name: why" line per check, flushed at once so
 * that nothing is lost or repeated across a fork or a crash; main returns
 * unit_status().
 */

#ifndef UNIT_H
#define UNIT_H

#include <stdarg.h>
#include <stdio.h>

#include "compat.h"

static int	unit_failures;

static void	pass(const char *, ...) printflike(1, 2) __unused;
static void	fail(const char *, ...) printflike(1, 2) __unused;

static void
unit_line(const char *what, const char *fmt, va_list ap)
{
	printf("%s: ", what);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

/* The check named by fmt passed. */
static void
pass(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	unit_line("PASS", fmt, ap);
	va_end(ap);
}

/* A check failed: fmt gives "name: why". */
static void
fail(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	unit_line("FAIL", fmt, ap);
	va_end(ap);
	unit_failures++;
}

static int
unit_status(void)
{
	return (unit_failures != 0);
}

#endif
