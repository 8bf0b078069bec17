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
 * A unit program for tests/run-selftest, reporting as the real ones do
 * (tests/unit.h): three checks that hold or, built with -DBROKEN, one of
 * them with a wrong expectation, as when one is flipped in a real unit
 * program.
 */

#include "unit.h"

static void
expect(const char *name, int got, int want)
{
	if (got == want)
		pass("%s", name);
	else
		fail("%s: got %d, want %d", name, got, want);
}

int
main(void)
{
	expect("one", 1, 1);
#ifdef BROKEN
	expect("two", 2, 3);
#else
	expect("two", 2, 2);
#endif
	expect("three", 3, 3);
	return (unit_status());
}
