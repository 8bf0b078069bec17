#!/bin/sh
#
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

# make install and make uninstall, into a DESTDIR: what is installed and
# where, the refusal to replace a tmux that is not this client (it is the
# server program the client starts), installing over our own copy and
# under another name, an uninstall that removes exactly what install put,
# and a manual page that renders.

cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

# make, quiet, as a user runs it: not as a child of "make check", and
# never building the client again (it is the one under test) unless
# NOBUILD is set and empty.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -s ${NOBUILD--o tmux} "$@" >"$T/make.out" 2>"$T/make.err"
}

# Every file under directory $1, relative, with its mode; one a line.
files() {
	(cd "$1" && find . -type f -exec stat -c '%A %n' {} + | sort |
	    sed 's| \./| |' | tr '\n' ' ')
}

# Our line on stderr, without make's own "*** [...] Error" line.
said() { grep -v '^make: \*\*\*' "$T/make.err" | tr '\n' '|'; }

INSTALLED="-rw-r--r-- usr/share/doc/tmux-client/LICENSE \
-rw-r--r-- usr/share/doc/tmux-client/README \
-rw-r--r-- usr/share/doc/tmux-client/protocol.md \
-rw-r--r-- usr/share/man/man1/tmux-client.1 \
-rwxr-xr-x usr/bin/tmux "

# ---------------------------------------------------------------------------
# A plain install, as a package would make it.

D=$T/stage
mk install DESTDIR="$D" PREFIX=/usr
check "install: status and stderr" "0:" "$?:$(said)"
check "install: the files and their modes" "$INSTALLED" "$(files "$D")"
same=yes
for f in tmux:usr/bin/tmux tmux-client.1:usr/share/man/man1/tmux-client.1 \
    LICENSE:usr/share/doc/tmux-client/LICENSE \
    README:usr/share/doc/tmux-client/README \
    doc/protocol.md:usr/share/doc/tmux-client/protocol.md; do
	cmp -s "${f%%:*}" "$D/${f#*:}" || same="no (${f#*:})"
done
check "install: each file is its source" yes "$same"
check "install: the installed client answers as this client" \
    "tmux-client: not a server" \
    "$(TMUX_CLIENT_PROBE=1 "$D/usr/bin/tmux" -V 2>&1)"
check "install: no tmux.1" no \
    "$([ -e "$D/usr/share/man/man1/tmux.1" ] && echo yes || echo no)"

# Over our own copy: replaced.
printf 'x' >>"$D/usr/bin/tmux"
mk install DESTDIR="$D" PREFIX=/usr
check "install over our own copy: status and stderr" "0:" "$?:$(said)"
check "install over our own copy: replaced" yes \
    "$(cmp -s tmux "$D/usr/bin/tmux" && echo yes || echo no)"

# Uninstall: what install put goes, nothing else does.
echo other >"$D/usr/bin/other"
echo other >"$D/usr/share/man/man1/other.1"
echo other >"$D/usr/share/doc/other"
mk uninstall DESTDIR="$D" PREFIX=/usr
check "uninstall: status and stderr" "0:" "$?:$(said)"
check "uninstall: only the others' files are left" \
    "-rw-r--r-- usr/bin/other -rw-r--r-- usr/share/doc/other \
-rw-r--r-- usr/share/man/man1/other.1 " "$(files "$D")"
check "uninstall: the documentation directory has gone" no \
    "$([ -e "$D/usr/share/doc/tmux-client" ] && echo yes || echo no)"
mk uninstall DESTDIR="$D" PREFIX=/usr
check "uninstall again: nothing to do" "0:" "$?:$(said)"

# ---------------------------------------------------------------------------
# A real tmux where we would install: refused, and nothing is touched.

D=$T/real
mkdir -p "$D/usr/bin"
cp "$REAL_TMUX" "$D/usr/bin/tmux"
mk install DESTDIR="$D" PREFIX=/usr
rc=$?
[ "$rc" -ne 0 ] && pass "over a real tmux: install fails ($rc)" ||
    fail "over a real tmux: install fails" "status 0"
check "over a real tmux: one line says why" \
    "make install: $D/usr/bin/tmux is not this client: replacing it \
would remove the server program (use PREFIX=/usr/local or NAME=tmuxc)|" \
    "$(said)"
check "over a real tmux: it is left as it was" yes \
    "$(cmp -s "$REAL_TMUX" "$D/usr/bin/tmux" && echo yes || echo no)"
check "over a real tmux: nothing else installed" \
    "-rwxr-xr-x usr/bin/tmux " "$(files "$D")"
# With BINDIR given, the way out is another BINDIR.
mk install DESTDIR="$D" BINDIR=/usr/bin
rc=$?
check "over a real tmux, BINDIR given: refused, one line" "1:make install: \
$D/usr/bin/tmux is not this client: replacing it would remove the \
server program (use BINDIR=/usr/local/bin or NAME=tmuxc)|" \
    "$([ "$rc" -ne 0 ] && echo 1 || echo 0):$(said)"
mk uninstall DESTDIR="$D" PREFIX=/usr
rc=$?
[ "$rc" -ne 0 ] && pass "over a real tmux: uninstall fails ($rc)" ||
    fail "over a real tmux: uninstall fails" "status 0"
check "over a real tmux: uninstall says why" \
    "make uninstall: $D/usr/bin/tmux is not this client: nothing \
removed|" "$(said)"
check "over a real tmux: uninstall leaves it" yes \
    "$(cmp -s "$REAL_TMUX" "$D/usr/bin/tmux" && echo yes || echo no)"

# Another name beside it: installed and uninstalled, the real one kept.
mk install DESTDIR="$D" PREFIX=/usr NAME=tmuxc
check "NAME=tmuxc: status and stderr" "0:" "$?:$(said)"
check "NAME=tmuxc: the files" "-rw-r--r-- usr/share/doc/tmux-client/LICENSE \
-rw-r--r-- usr/share/doc/tmux-client/README \
-rw-r--r-- usr/share/doc/tmux-client/protocol.md \
-rw-r--r-- usr/share/man/man1/tmux-client.1 \
-rwxr-xr-x usr/bin/tmux -rwxr-xr-x usr/bin/tmuxc " "$(files "$D")"
check "NAME=tmuxc: it is this client" yes \
    "$(cmp -s tmux "$D/usr/bin/tmuxc" && echo yes || echo no)"
mk uninstall DESTDIR="$D" PREFIX=/usr NAME=tmuxc
check "NAME=tmuxc: uninstall status and stderr" "0:" "$?:$(said)"
check "NAME=tmuxc: uninstall leaves the real tmux alone" \
    "-rwxr-xr-x usr/bin/tmux " "$(files "$D")"
check "NAME=tmuxc: the real tmux is as it was" yes \
    "$(cmp -s "$REAL_TMUX" "$D/usr/bin/tmux" && echo yes || echo no)"

# Something else that is not us: a program that is never run, or it would
# leave its mark and keep make a while.
D=$T/other
mkdir -p "$D/usr/local/bin"
printf '#!/bin/sh\ntouch "%s"\nexec sleep 5\n' "$T/ran" \
    >"$D/usr/local/bin/tmux"
chmod +x "$D/usr/local/bin/tmux"
mk install DESTDIR="$D"
rc=$?
check "over another program: refused, one line" "1:make install: \
$D/usr/local/bin/tmux is not this client: replacing it would remove the \
server program (use NAME=tmuxc)|" \
    "$([ "$rc" -ne 0 ] && echo 1 || echo 0):$(said)"
check "over another program: it was never run" no \
    "$([ -e "$T/ran" ] && echo yes || echo no)"

# A symbolic link to nothing is no program: replaced by install, left by
# uninstall.
D=$T/dangling
mkdir -p "$D/usr/local/bin"
ln -s "$T/nothing/tmux" "$D/usr/local/bin/tmux"
mk uninstall DESTDIR="$D"
rc=$?
check "uninstall, a link to nothing: refused, the link left" "1:yes" \
    "$([ "$rc" -ne 0 ] && echo 1 || echo 0):$([ -L \
    "$D/usr/local/bin/tmux" ] && echo yes || echo no)"
check "uninstall, a link to nothing: one line says so" "make uninstall: \
$D/usr/local/bin/tmux is a link to nothing, not this client: nothing \
removed|" "$(said)"
mk install DESTDIR="$D"
check "install over a link to nothing: status and stderr" "0:" \
    "$?:$(said)"
check "install over a link to nothing: this client in its place" yes \
    "$(cmp -s tmux "$D/usr/local/bin/tmux" && echo yes || echo no)"

# ---------------------------------------------------------------------------
# make SERVER_PROGRAM=path: the program used when PATH has no tmux, built
# in a copy of the sources; a CPPFLAGS of the user's own adds to ours.

B=$T/build
mkdir -p "$B/compat"
cp Makefile ./*.c ./*.h "$B" && cp compat/* "$B/compat"
printf '#!/bin/sh\necho "tmux 9.9z"\n' >"$T/server"
chmod +x "$T/server"
mkdir "$T/empty"
NOBUILD= mk -C "$B" SERVER_PROGRAM="$T/server" CPPFLAGS=-DUNUSED_BY_US
check "SERVER_PROGRAM: builds with the user's CPPFLAGS" "0:" "$?:$(said)"
check "SERVER_PROGRAM: -V with no tmux in PATH asks it" "tmux 9.9z" \
    "$(PATH=$T/empty "$B/tmux" -S "$T/nosock" -V 2>&1)"

# ---------------------------------------------------------------------------
# The manual page renders, and mandoc finds nothing wrong with it (but that
# the system's mandoc.db is out of date, which is not the page's fault).

if command -v man >/dev/null 2>&1; then
	out=$(MANWIDTH=80 man ./tmux-client.1 2>&1)
	case $out in
	*'independent client for tmux servers'*)
		pass "manual: man ./tmux-client.1 renders" ;;
	*) fail "manual: man ./tmux-client.1 renders" \
	    "$(printf '%s' "$out" | head -c 300)" ;;
	esac
else
	echo "SKIP: manual: no man program to render tmux-client.1"
fi
if command -v mandoc >/dev/null 2>&1; then
	check "manual: mandoc -T lint" "" \
	    "$(mandoc -T lint tmux-client.1 2>&1 | grep -v 'mandoc\.db')"
else
	echo "SKIP: manual: no mandoc to check tmux-client.1"
fi

exit 0
