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
# GNU make (gmake on the BSDs). "make PORTABLE=1" uses the portable
# fallbacks of compat/ even where the system has better (see compat.h).

PROG=	tmux
SRCS=	client.c cmd.c dialect.c file.c imsg.c imsg-buffer.c log.c peer.c \
	probe.c proc.c program.c signal.c socket.c start.c terminfo.c tmux.c \
	xmalloc.c
COMPAT=	compat/closefrom.c compat/dprintf.c compat/event.c compat/exe.c \
	compat/peer.c compat/proctitle.c compat/strsep.c compat/vasprintf.c
OBJS=	$(SRCS:.c=.o) $(COMPAT:.c=.o)

# make install: the client as $(BINDIR)/$(NAME), its manual as
# tmux-client.1 (never tmux.1), the licence and the documentation in
# $(DOCDIR). DESTDIR is honoured.
PREFIX?=	/usr/local
NAME?=		tmux
BINDIR?=	$(PREFIX)/bin
MANDIR?=	$(PREFIX)/share/man
DOCDIR?=	$(PREFIX)/share/doc/tmux-client
DOCS=		LICENSE README doc/protocol.md
# The server program used when PATH has none that is not this client.
SERVER_PROGRAM?=	/usr/bin/tmux

OS:=		$(shell uname -s)
CC?=		cc
CFLAGS?=	-O2 -g
override CFLAGS+=	-std=c99 -pedantic -Wall -Wextra
override CPPFLAGS+=	-I. -DTMUX_SERVER_DEFAULT='"$(SERVER_PROGRAM)"'
# glibc shows what POSIX.1-2008 and BSD have (flock, strsep, u_int) only
# when asked; the other systems show it unless told to be strict.
ifeq ($(OS),Linux)
override CPPFLAGS+=	-D_DEFAULT_SOURCE
endif
ifdef PORTABLE
override CPPFLAGS+=	-DPORTABLE
endif

# libevent's core, and terminfo from tinfo where it is a library of its
# own, else from ncurses; without pkg-config, -levent_core -lcurses.
PKG_CONFIG?=	pkg-config
TINFO:=		$(shell $(PKG_CONFIG) --exists tinfo 2>/dev/null && \
		    echo tinfo || echo ncurses)
PKGS=		libevent_core $(TINFO)
override CPPFLAGS+=	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS:=	$(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || \
		    echo -levent_core -lcurses)

# libevent and terminfo are linked statically on Linux: resolving their
# symbols at every start costs more than the rest of a one-shot command
# together. make STATIC= links them dynamically.
ifeq ($(OS),Linux)
STATIC?=	1
endif
ifdef STATIC
LDLIBS+=	-Wl,-Bstatic $(PKG_LIBS) -Wl,-Bdynamic
else
LDLIBS+=	$(PKG_LIBS)
endif

# make SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer, built
# with clang where it is installed (unless CC is given): its UBSan also
# checks pointer arithmetic on NULL, which gcc's misses. A small
# quarantine keeps the memory bounds of the stream tests true.
ifdef SANITIZE
ifeq ($(origin CC),default)
CC=	$(if $(shell command -v clang),clang,cc)
endif
override CFLAGS+=	-fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS+=	-fsanitize=address,undefined
export ASAN_OPTIONS=quarantine_size_mb=4:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
endif

# The tests assert what each build does (tests/run).
export PORTABLE

all: $(PROG)

# Everything is built again when the compiler or its flags change, so
# that "make PORTABLE=1" or "make SANITIZE=1" after a plain "make" (or
# the reverse) never mixes objects of two builds.
BUILD=	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) $(LDLIBS)
.build: FORCE
	@echo '$(BUILD)' | cmp -s - $@ || echo '$(BUILD)' >$@

$(PROG): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(OBJS): tmux.h compat.h compat/queue.h proto.h imsg.h .build

TESTPROGS=	tests/imsg-test tests/cmd-test tests/terminfo-test
# For tests/run-selftest: a unit program whose checks hold, and the same
# with one expectation wrong.
SELFTESTPROGS=	tests/selftest-good tests/selftest-broken
TESTSRCS=	$(filter %.c %.o,$^)

$(TESTPROGS) $(SELFTESTPROGS): tests/unit.h compat.h .build
tests/imsg-test: tests/imsg-test.c imsg.o imsg-buffer.o compat/peer.o
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $(TESTSRCS)
tests/cmd-test: tests/cmd-test.c cmd.o
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $(TESTSRCS)
tests/terminfo-test: tests/terminfo-test.c terminfo.o xmalloc.o \
    compat/vasprintf.o
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $(TESTSRCS) $(LDLIBS)
tests/selftest-good: tests/selftest.c
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $(TESTSRCS)
tests/selftest-broken: tests/selftest.c
	$(CC) $(CFLAGS) $(CPPFLAGS) -DBROKEN $(LDFLAGS) -o $@ $(TESTSRCS)

# For t-lost.sh, preloaded: a close(2) that fails. Built without our
# flags, which may ask for the sanitizers: it must load before them.
ifeq ($(OS),Linux)
PRELOADS=	tests/closefail.so
endif
tests/closefail.so: tests/closefail.c
	$(CC) -shared -fPIC -D_GNU_SOURCE -o $@ tests/closefail.c -ldl

# For t-wrapper.sh: a server program that is not a script.
tests/fakeversion: tests/fakeversion.c
	$(CC) -o $@ tests/fakeversion.c

# The runner's self-test first: a runner that hides failures would make
# the count that follows worthless.
check: $(PROG) $(TESTPROGS) $(SELFTESTPROGS) $(PRELOADS) tests/fakeversion
	tests/run-selftest
	tests/run

# make fuzz: tests/fuzz-client, a libFuzzer target (clang), and its seeds
# from tests/recordings in $(FUZZCORPUS). It runs the client in-process
# with -DFUZZING, so every source is compiled again for it.
FUZZCC?=	clang
FUZZCORPUS?=	tests/fuzz-corpus
FUZZSRCS=	$(filter-out tmux.c,$(SRCS)) $(COMPAT) tests/fuzz-client.c
FUZZFLAGS=	-g -O1 -std=c99 -pedantic -Wall -Wextra -D_GNU_SOURCE \
		-DFUZZING -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer

tests/fuzz-client: $(FUZZSRCS) tmux.h compat.h compat/queue.h proto.h imsg.h
	$(FUZZCC) $(FUZZFLAGS) $(CPPFLAGS) -o $@ $(FUZZSRCS) $(LDLIBS)

fuzz: tests/fuzz-client
	python3 tests/fuzz-seeds.py $(FUZZCORPUS)

# A file already at $(BINDIR)/$(NAME) is replaced or removed only if it is
# this client, which holds the answer it gives to TMUX_CLIENT_PROBE
# (program.c). It is read, never run: running it would trust whatever it
# is, as whoever installs, for as long as it likes. Anything else is most
# likely the real tmux, the program this client starts as its server:
# replacing it would leave none. A symbolic link to nothing is no program:
# install replaces it, uninstall leaves it.
TARGET=		$(DESTDIR)$(BINDIR)/$(NAME)
SELF_ANSWER=	tmux-client: not a server
CHECK_TARGET=	if [ -e "$(TARGET)" ] || { [ -L "$(TARGET)" ] && \
		    [ "$@" = uninstall ]; }; then \
		    if ! LC_ALL=C grep -qF '$(SELF_ANSWER)' "$(TARGET)" \
			2>/dev/null; then \
			what=; \
			[ -e "$(TARGET)" ] || what="a link to nothing, "; \
			echo "make $@: $(TARGET) is $$what""not this" \
			    "client: $$why" >&2; \
			exit 1; \
		    fi; \
		fi

# The way out that the refusal offers: another prefix (or BINDIR, if
# that was given), unless it is the one already in use.
ifneq ($(filter command environment,$(origin BINDIR)),)
ELSEWHERE=	BINDIR=/usr/local/bin
else
ELSEWHERE=	PREFIX=/usr/local
endif
OTHER=		$(if $(filter /usr/local/bin,$(BINDIR)),,$(ELSEWHERE) or )
install: $(PROG)
	@why="replacing it would remove the server program (use \
	$(OTHER)NAME=tmuxc)"; \
	$(CHECK_TARGET)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DOCDIR)
	install -m 755 $(PROG) $(TARGET)
	install -m 644 tmux-client.1 $(DESTDIR)$(MANDIR)/man1/tmux-client.1
	install -m 644 $(DOCS) $(DESTDIR)$(DOCDIR)

# What install put, and nothing else: the directories it may have made
# are left, but for $(DOCDIR), which is ours alone.
uninstall:
	@why="nothing removed"; \
	$(CHECK_TARGET)
	rm -f $(TARGET) $(DESTDIR)$(MANDIR)/man1/tmux-client.1
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS)))
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	rm -f $(PROG) $(OBJS) $(TESTPROGS) $(SELFTESTPROGS) .build \
	    tests/fuzz-client tests/closefail.so tests/fakeversion

FORCE:

.PHONY: all check fuzz install uninstall clean FORCE
