# An independent tmux client. "make" builds ./tmux, "make check" tests it.

PROG=	tmux
SRCS=	client.c cmd.c compat.c dialect.c file.c imsg.c imsg-buffer.c log.c \
	peer.c probe.c proc.c program.c signal.c socket.c start.c terminfo.c \
	tmux.c xmalloc.c
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

# make fuzz: tests/fuzz-client, a libFuzzer target (clang), and its seeds
# from tests/recordings in $(FUZZCORPUS). It runs the client in-process
# with -DFUZZING, so every source is compiled again for it.
FUZZCC?=	clang
FUZZCORPUS?=	tests/fuzz-corpus
FUZZSRCS=	$(filter-out tmux.c,$(SRCS)) tests/fuzz-client.c
FUZZFLAGS=	-g -O1 -std=c99 -D_GNU_SOURCE -DFUZZING -Wall -Wextra \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer

tests/fuzz-client: $(FUZZSRCS) tmux.h compat.h proto.h imsg.h
	$(FUZZCC) $(FUZZFLAGS) $(CPPFLAGS) -o $@ $(FUZZSRCS) $(LDLIBS)

fuzz: tests/fuzz-client
	python3 tests/fuzz-seeds.py $(FUZZCORPUS)

install: $(PROG)
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/$(PROG)

clean:
	rm -f $(PROG) $(OBJS) $(TESTPROGS) $(SELFTESTPROGS) tests/fuzz-client

.PHONY: all check fuzz install clean
