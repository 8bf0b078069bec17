# Copyright (c) 2026 The tmux client authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF MIND, USE, DATA OR PROFITS, WHETHER
# IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING
# OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

# An independent tmux client. "make" builds ./tmux, "make check" tests it.

PROG=	tmux
SRCS=	client.c cmd.c compat.c dialect.c file.c imsg.c imsg-buffer.c log.c \
	peer.c probe.c proc.c program.c signal.c start.c terminfo.c tmux.c \
	xmalloc.c
OBJS=	$(SRCS:.c=.o)

PREFIX?=	/usr/local
BINDIR=		$(PREFIX)/bin

PKGS=		libevent_core ncurses
CC?=		cc
CFLAGS?=	-O2 -g
override CFLAGS+=	-std=c99 -D_GNU_SOURCE -Wall -Wextra
CPPFLAGS+=	-I. $(shell pkg-config --cflags $(PKGS))

# libevent and terminfo are linked statically: resolving their symbols at
# every start costs more than the rest of a one-shot command together.
# make STATIC= links them dynamically.
STATIC?=	1
ifdef STATIC
LDLIBS+=	-Wl,-Bstatic -levent_core -ltinfo -Wl,-Bdynamic
else
LDLIBS+=	$(shell pkg-config --libs $(PKGS))
endif

# make SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer.
# A small quarantine keeps the memory bounds of the stream tests true.
ifdef SANITIZE
CFLAGS+=	-fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS+=	-fsanitize=address,undefined
export ASAN_OPTIONS=quarantine_size_mb=4:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
endif

all: $(PROG)

$(PROG): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(OBJS): tmux.h compat.h proto.h imsg.h

TESTPROGS=	tests/imsg-test tests/cmd-test tests/terminfo-test
# For tests/run-selftest: a unit program whose checks hold, and the same
# with one expectation wrong.
SELFTESTPROGS=	tests/selftest-good tests/selftest-broken
TESTSRCS=	$(filter %.c %.o,$^)

$(TESTPROGS) $(SELFTESTPROGS): tests/unit.h
tests/imsg-test: tests/imsg-test.c imsg.o imsg-buffer.o
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $(TESTSRCS)
tests/cmd-test: tests/cmd-test.c cmd.o
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $(TESTSRCS)
tests/terminfo-test: tests/terminfo-test.c terminfo.o xmalloc.o
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $(TESTSRCS) $(LDLIBS)
tests/selftest-good: tests/selftest.c
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $(TESTSRCS)
tests/selftest-broken: tests/selftest.c
	$(CC) $(CFLAGS) $(CPPFLAGS) -DBROKEN $(LDFLAGS) -o $@ $(TESTSRCS)

# The runner's self-test first: a runner that hides failures would make
# the count that follows worthless.
check: $(PROG) $(TESTPROGS) $(SELFTESTPROGS)
	tests/run-selftest
	tests/run

install: $(PROG)
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/$(PROG)

clean:
	rm -f $(PROG) $(OBJS) $(TESTPROGS) $(SELFTESTPROGS)

.PHONY: all check install clean
