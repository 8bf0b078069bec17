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
