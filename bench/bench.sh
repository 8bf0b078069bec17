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

# Compare our client with the real one against one private server:
# wall time of N one-shot commands, instructions of one (callgrind), and
# peak RSS. Prints ratios; asserts nothing.

cd "$(dirname "$0")/.." || exit 1
OURS=${OURS:-$PWD/tmux}
REAL=${REAL:-/usr/bin/tmux}
N=${N:-500}
CMD='#{session_name}'

T=$(mktemp -d)
S=$T/sock
"$REAL" -S "$S" -f /dev/null new -d -s bench || exit 1
PID=$("$REAL" -S "$S" display -p '#{pid}')
trap 'kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT

# wall BINARY ARGS...: microseconds for N runs.
wall() {
	_start=$(date +%s%N)
	_i=0
	while [ $_i -lt "$N" ]; do
		"$@" >/dev/null
		_i=$((_i + 1))
	done
	echo $((($(date +%s%N) - _start) / 1000))
}

instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
	    "$1" -S "$S" display -p "$CMD" 2>&1 >/dev/null |
	    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

rss() {
	/usr/bin/time -f %M "$1" -S "$S" display -p "$CMD" 2>&1 >/dev/null |
	    tail -1
}

wall "$OURS" -S "$S" display -p "$CMD" >/dev/null	# warm up both
wall "$REAL" -S "$S" display -p "$CMD" >/dev/null
wo=$(wall "$OURS" -S "$S" display -p "$CMD")
wr=$(wall "$REAL" -S "$S" display -p "$CMD")
# -V with no server running: ours names the program it would start.
vo=$(TMUX_TMPDIR=$T TMUX_SERVER_PROGRAM=$REAL wall "$OURS" -S "$T/none" -V)
vr=$(TMUX_TMPDIR=$T wall "$REAL" -S "$T/none" -V)
io=$(instructions "$OURS")
ir=$(instructions "$REAL")
ro=$(rss "$OURS")
rr=$(rss "$REAL")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-28s %12s %12s %8s\n' "$N x display -p" ours tmux ratio
printf '%-28s %12s %12s %8s\n' "wall time (ms)" $((wo / 1000)) \
    $((wr / 1000)) "$(ratio "$wo" "$wr")x"
printf '%-28s %12s %12s %8s\n' "instructions (one run)" "$io" "$ir" \
    "$(ratio "$io" "$ir")x"
printf '%-28s %12s %12s %8s\n' "$N x -V, no server (ms)" $((vo / 1000)) \
    $((vr / 1000)) "$(ratio "$vo" "$vr")x"
printf '%-28s %12s %12s %8s\n' "peak RSS (KB, one run)" "$ro" "$rr" \
    "$(ratio "$ro" "$rr")x"
