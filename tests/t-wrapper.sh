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

# Our client reached through wrapper scripts named "tmux" first in PATH
# must never take itself for the server program: -V and starting a server
# go on to the real tmux, and the number of our processes stays bounded.
# The wrappers guard the machine themselves: each counts its depth in the
# environment and refuses past 5, so a regression fails here, not there.

cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

unset TMUX_SERVER_PROGRAM
TIMEOUT="$(command -v timeout) 30"
REAL_VERSION=$("$REAL_TMUX" -V)
W=$T/w
mkdir -p "$W/one" "$W/two" "$W/inner" "$W/clean" "$W/bare" "$W/sneaky" \
    "$W/wrapped" "$W/prog"

# wrapper FILE TARGET [ENV [FIRST]]: a script that counts its runs in
# $W/runs, refuses past depth 5, runs the shell line FIRST, and execs
# TARGET, through ENV if given.
wrapper() {
	cat >"$1" <<EOF
#!/bin/sh
WRAP_DEPTH=\$((\${WRAP_DEPTH:-0} + 1))
export WRAP_DEPTH
echo \$\$ >>"$W/runs"
[ "\$WRAP_DEPTH" -gt 5 ] && { echo "wrapper: depth \$WRAP_DEPTH" >&2; exit 99; }
$4
exec $3 "$2" "\$@"
EOF
	chmod +x "$1"
}
wrapper "$W/one/tmux" "$TEST_TMUX"
wrapper "$W/inner/tmux" "$TEST_TMUX"
wrapper "$W/two/tmux" "$W/inner/tmux"
# One that runs us with an environment of its own making (as env -i or
# sudo do): what we put in the environment of a candidate is gone.
CLEAN='env -i WRAP_DEPTH="$WRAP_DEPTH" PATH="$PATH" HOME="$HOME" \
    TMUX_TMPDIR="$TMUX_TMPDIR"'
wrapper "$W/clean/tmux" "$TEST_TMUX" "$CLEAN"
# And one that makes its own arguments too: only what waits on its
# standard input tells our client that it is being asked.
wrapper "$W/bare/tmux" "$TEST_TMUX" "$CLEAN" '[ "$1" = -V ] && set -- -V'
# And one that takes away its standard input as well: only the spare
# descriptor is left to tell.
wrapper "$W/sneaky/tmux" "$TEST_TMUX" "$CLEAN" \
    '[ "$1" = -V ] && set -- -V; exec </dev/null'

runs() { if [ -f "$W/runs" ]; then wc -l <"$W/runs" | tr -d ' '; else echo 0; fi; }

# NAME:OWN:MOST: the command's own wrappers run OWN times; asking each
# wrapper in PATH once with -V makes MOST in all.
for variant in one:1:3 two:2:5 clean:1:3 bare:1:3 sneaky:1:3; do
	name=${variant%%:*}
	own=${variant#*:}
	most=${own#*:}
	own=${own%:*}
	path=$W/$name:$W/inner:$(dirname "$REAL_TMUX"):$PATH
	rm -f "$W/runs" "$T"/tmux-*/.tmux-client-versions

	out=$(PATH=$path $TIMEOUT tmux -V 2>&1)
	check "wrapper ($name): -V names the real tmux" "$REAL_VERSION" "$out"
	n=$(runs)
	[ "$n" -le "$most" ] && pass "wrapper ($name): -V: $n runs" ||
	    fail "wrapper ($name): -V: bounded runs" "$n runs"

	rm -f "$W/runs"
	out=$(PATH=$path $TIMEOUT tmux -V 2>&1)
	check "wrapper ($name): -V again names the real tmux" "$REAL_VERSION" \
	    "$out"
	check "wrapper ($name): -V again asks no wrapper" "$own" "$(runs)"

	rm -f "$W/runs"
	S=$T/s-$name
	out=$(PATH=$path $TIMEOUT tmux -S "$S" new -d -s x \; \
	    display -p started 2>&1)
	check "wrapper ($name): new -d starts a server" started "$out"
	p=$(track_server "$S")
	check "wrapper ($name): the server is the real tmux" \
	    "$(readlink -f "$REAL_TMUX")" "$(readlink "/proc/$p/exe" 2>&1)"
	n=$(runs)
	[ "$n" -le "$most" ] && pass "wrapper ($name): new -d: $n runs" ||
	    fail "wrapper ($name): new -d: bounded runs" "$n runs"
	"$REAL_TMUX" -S "$S" kill-server 2>/dev/null
done

# A wrapper changed since it was asked is asked again.
path=$W/one:$(dirname "$REAL_TMUX"):$PATH
PATH=$path $TIMEOUT tmux -V >/dev/null 2>&1
echo "# changed" >>"$W/one/tmux"
rm -f "$W/runs"
out=$(PATH=$path $TIMEOUT tmux -V 2>&1)
check "wrapper changed: -V names the real tmux" "$REAL_VERSION" "$out"
check "wrapper changed: asked again" 2 "$(runs)"
# One wrapper reached through two directories of PATH is asked once.
ln -s one "$W/alias"
rm -f "$W/runs" "$T"/tmux-*/.tmux-client-versions
out=$(PATH=$W/one:$W/alias:$(dirname "$REAL_TMUX"):$PATH $TIMEOUT tmux -V 2>&1)
check "wrapper in PATH twice: -V names the real tmux" "$REAL_VERSION" "$out"
check "wrapper in PATH twice: asked once" 2 "$(runs)"

# setversion FILE V: FILE, a copy of tests/fakeversion, answers "tmux V"
# from now on; it is rewritten in place, its size and modification time
# kept, once the clock has left the second of its last change (so that
# even a build that knows no nanoseconds can tell the change).
setversion() {
	wait_until [ "$(date +%s)" -gt "$(stat -c %Z "$1")" ]
	python3 - "$1" "$2" <<'EOF'
import os, sys
st = os.stat(sys.argv[1])
with open(sys.argv[1], "r+b") as f:
	data = f.read()
	f.seek(data.index(b"VERSION=") + 8)
	f.write(sys.argv[2].encode().ljust(8, b"\0"))
os.utime(sys.argv[1], ns=(st.st_atime_ns, st.st_mtime_ns))
EOF
}
P=$W/prog/tmux
cp tests/fakeversion "$P"
setversion "$P" 3.1
askv() { TMUX_SERVER_PROGRAM=$1 $TIMEOUT "$TEST_TMUX" -S "$T/none" -V 2>&1; }
check "a program: its version" "tmux 3.1" "$(askv "$P")"
f=$(ls "$T"/tmux-*/.tmux-client-versions 2>/dev/null)
check "a program: its version kept" 1 "$(grep -c " 3\.1 $P\$" "$f")"
check "cache: in the socket directory, private" "-rw-------" \
    "$(ls -l "$f" 2>&1 | cut -c1-10)"
setversion "$P" 3.2
check "a program rewritten in place, size and time kept: asked again" \
    "tmux 3.2" "$(askv "$P")"
# What a wrapper runs may change while the wrapper does not: its
# version is never kept.
wrapper "$W/wrapped/tmux" "$P"
check "a wrapper of a program: its version" "tmux 3.2" \
    "$(askv "$W/wrapped/tmux")"
setversion "$P" 3.3
check "a wrapper of a program upgraded: the new version" "tmux 3.3" \
    "$(askv "$W/wrapped/tmux")"
# Lines that are not entries (a damaged file) are not carried on when
# the cache is written again.
printf 'garbage\n1 2 3\n\n' >>"$f"
cp tests/fakeversion "$W/prog/another"
setversion "$W/prog/another" 3.4
check "cache: damaged: the answer" "tmux 3.4" "$(askv "$W/prog/another")"
check "cache: damaged lines dropped when written again" "" \
    "$(grep -Ev '^([0-9]+ ){3}(-?[0-9]+ [0-9]+ ){2}[^ ]+ /' "$f")"

# A wrapper of a tmux of another name, which before 3.4 says that name at
# -V ("tmux-copy 3.3a"): it is the real tmux all the same.
mkdir -p "$W/renamed" "$W/real"
cp "$REAL_TMUX" "$W/real/tmux-copy"
wrapper "$W/renamed/tmux" "$W/real/tmux-copy"
path=$W/renamed:$PATH
check "a wrapper of a tmux of another name: -V" "$REAL_VERSION" \
    "$(PATH=$path $TIMEOUT "$TEST_TMUX" -S "$T/none" -V 2>&1)"
S=$T/s-renamed
check "a wrapper of a tmux of another name: new -d starts it" started \
    "$(PATH=$path $TIMEOUT "$TEST_TMUX" -S "$S" new -d -s x \; \
    display -p started 2>&1)"
p=$(track_server "$S")
check "a wrapper of a tmux of another name: the server is it" \
    "$W/real/tmux-copy" "$(readlink "/proc/$p/exe" 2>&1)"
"$REAL_TMUX" -S "$S" kill-server 2>/dev/null

# What answers count: "tmux" and no letter, then a version with a digit.
# sayer TEXT: a program that prints TEXT (with \n) at -V.
mkdir -p "$W/say"
sayer() {
	{ echo '#!/bin/sh'; echo "cat <<'EOF'"; printf '%b\n' "$1"; echo EOF; } \
	    >"$W/say/tmux"
	chmod +x "$W/say/tmux"
}
sayer 'tmuxinator 3.1'
check "a program that says tmuxinator 3.1: not tmux" \
    "cannot run $W/say/tmux as a tmux server" "$(askv "$W/say/tmux")"
sayer 'tmux-wrapper: loading\ntmux.real 3.1'
check "a program that says tmux-wrapper: loading, then tmux.real 3.1" \
    "tmux 3.1" "$(askv "$W/say/tmux")"

# -V killed while it asks a program that takes its time: the program
# (and what it runs) does not outlive it.
mkdir -p "$W/slow"
wrapper "$W/slow/tmux" "$REAL_TMUX" "" \
    'sleep 60 & echo $! >"'"$W/sleeper"'"; wait'
rm -f "$W/runs" "$W/sleeper"
PATH=$W/slow:$PATH "$TEST_TMUX" -S "$T/none" -V >/dev/null 2>&1 &
v=$!
wait_until test -s "$W/sleeper"
kill -TERM "$v"
wait "$v" 2>/dev/null
check "-V killed while asking: dies by the signal" 143 "$?"
wait_until eval 'gone "$(cat "$W/runs")" && gone "$(cat "$W/sleeper")"'
check "-V killed while asking: the program and its child are gone" \
    "gone gone" "$(gone "$(cat "$W/runs")" && echo gone || echo alive) \
$(gone "$(cat "$W/sleeper")" && echo gone || echo alive)"

# A server on the default socket, which our client behind that last
# wrapper would ask for its version were it not told at once that it is
# being asked: -V still names the program (tests/fakeversion here).
mkdir -p "$W/fake"
cp tests/fakeversion "$W/fake/tmux"
setversion "$W/fake/tmux" 3.9
"$REAL_TMUX" -f /dev/null new -d -s d
p=$(track_server "$T/tmux-$(id -u)/default")
rm -f "$T"/tmux-*/.tmux-client-versions
check "a wrapper that takes all away, a server on its socket: -V" \
    "tmux 3.9" "$(PATH=$W/sneaky:$W/fake:$PATH $TIMEOUT "$TEST_TMUX" \
    -S "$T/none" -V 2>&1)"
"$REAL_TMUX" kill-server 2>/dev/null

# Nothing real left: one line, exit 1, no loop.
rm -f "$W/runs"
out=$(TMUX_SERVER_PROGRAM=$W/two/tmux $TIMEOUT "$TEST_TMUX" -S "$T/none" \
    new -d 2>&1)
rc=$?
check "TMUX_SERVER_PROGRAM is a wrapper of ours: exit 1" 1 "$rc"
check "TMUX_SERVER_PROGRAM is a wrapper of ours: says so" \
    "TMUX_SERVER_PROGRAM=$W/two/tmux is this client, not a tmux server" \
    "$out"
check "TMUX_SERVER_PROGRAM is a wrapper of ours: asked once" 2 "$(runs)"

# -D through a wrapper: the real server runs in our place.
rm -f "$W/runs"
S=$T/fg
PATH=$W/two:$W/inner:$(dirname "$REAL_TMUX"):$PATH $TIMEOUT tmux -S "$S" \
    -f /dev/null -D </dev/null >/dev/null 2>&1 &
fg=$!
SERVER_PIDS="$SERVER_PIDS $fg"
wait_until test -S "$S"
p=$("$REAL_TMUX" -S "$S" display -p '#{pid}' 2>/dev/null)
[ -n "$p" ] && SERVER_PIDS="$SERVER_PIDS $p"
check "-D through wrappers: the server is the real tmux" \
    "$(readlink -f "$REAL_TMUX")" "$(readlink "/proc/$p/exe" 2>&1)"
n=$(runs)
[ "$n" -le 5 ] && pass "-D through wrappers: $n runs" ||
    fail "-D through wrappers: bounded runs" "$n runs"
"$REAL_TMUX" -S "$S" kill-server 2>/dev/null
wait "$fg" 2>/dev/null
exit 0
