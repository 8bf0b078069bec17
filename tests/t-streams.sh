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

# File streams: big loads from stdin and saves to stdout, relative paths
# resolved in the client's directory, source-file from stdin, and a 1 GB
# save into a slow reader with the client's memory bounded.

. "$(dirname "$0")/lib.sh"

export LANG=C.UTF-8
unset LC_ALL LC_CTYPE

# The server runs in $T, so a file that wrongly lands in the server's
# directory instead of the client's is not found where it is expected.
cd "$T" || exit 1
S=$T/s
start_server "$S" || { fail setup "server did not start"; exit 1; }
ours() { "$TEST_TMUX" -S "$S" "$@"; }

# verify NAME FUNCTION: check that FUNCTION succeeds without calling
# "why REASON"; the reasons are the failure message.
verify() {
	rm -f "$T/why"
	"$2" || [ -e "$T/why" ] || why "status $?"
	check "$1" "" "$(cat "$T/why" 2>/dev/null)"
}
why() { echo "$*" >>"$T/why"; }

# rss CMD...: run CMD in the background, sampling its peak resident size
# (VmHWM, kB) into $T/rss until it ends; returns CMD's status.
rss() {
	# A background job's stdin would be /dev/null; keep the real one.
	exec 4<&0
	"$@" <&4 4<&- &
	exec 4<&-
	_p=$!
	_m=0
	while _v=$(awk '/^State:.*Z/ { exit 1 } /^VmHWM/ { print $2 }' \
	    "/proc/$_p/status" 2>/dev/null); do
		[ -n "$_v" ] && _m=$_v
		sleep 0.05
	done
	wait "$_p"
	_rc=$?
	echo "$_m" >"$T/rss"
	return "$_rc"
}

# 50 MB of random bytes in through stdin and out through stdout; each
# direction is checked against the real client doing the other half.
head -c 50000000 /dev/urandom >"$T/r50"
t_load50() {
	ours loadb -b r50 - <"$T/r50" || why "status $?"
	rt saveb -b r50 - | cmp -s - "$T/r50" || why "buffer differs"
}
verify loadb-stdin-50M t_load50
t_save50() {
	rt loadb -b r50b "$T/r50"
	ours saveb -b r50b - | cmp -s - "$T/r50" || why "output differs"
}
verify saveb-stdout-50M t_save50
t_pipe50() {
	ours saveb -b r50b - | ours loadb -b r50c - || why "status $?"
	ours saveb -b r50c - >"$T/r50c" || why "status $?"
	cmp -s "$T/r50c" "$T/r50" || why "round trip differs"
}
verify pipe-50M t_pipe50
rt deleteb -b r50 \; deleteb -b r50b \; deleteb -b r50c 2>/dev/null

# Relative paths are the client's: run_both runs each client in a fresh
# directory of its own. Error texts carry the absolute path, so it is
# replaced.
rt setb -b b1 'buffer one'
run_both saveb-relative /dev/null \
    'tm saveb -b b1 out.txt && cat out.txt && ls -l out.txt | cut -c1-10'
run_both saveb-append /dev/null \
    'tm saveb -b b1 app.txt \; saveb -a -b b1 app.txt && cat app.txt'
run_both saveb-subdir /dev/null \
    'mkdir -p sub && tm saveb -b b1 sub/x.txt && cat sub/x.txt'
run_both loadb-relative /dev/null \
    'printf "relative input\n" >in.txt &&
    tm loadb -b rel in.txt \; showb -b rel \; deleteb -b rel'
run_both loadb-missing /dev/null \
    '{ tm loadb nosuch.txt; echo "rc=$?"; } 2>&1 | sed "s|$PWD|CWD|"'
run_both saveb-baddir /dev/null \
    '{ tm saveb -b b1 nodir/x.txt; echo "rc=$?"; } 2>&1 | sed "s|$PWD|CWD|"'
check not-in-server-cwd "" "$(ls -d "$T/out.txt" "$T/app.txt" "$T/sub" \
    "$T/x.txt" 2>/dev/null)"

# Small stdin/stdout cases compared with the real client.
printf 'display -p one\nset -g @src yes\nshow -gv @src\n' >"$T/src.conf"
run_both source-stdin "$T/src.conf" 'tm source-file -'
printf 'display -p one\nfoo\n' >"$T/bad.conf"
run_both source-stdin-bad "$T/bad.conf" 'tm source-file -'
printf 'in and out\n' >"$T/small"
run_both load-save-one "$T/small" \
    'tm loadb -b io - \; saveb -b io - \; deleteb -b io'
run_both loadb-empty /dev/null \
    'tm loadb -b empty - \; showb -b empty'
run_both stdin-twice "$T/small" \
    'tm loadb -b t1 - \; loadb -b t2 - \; showb -b t1'

# 1 GB: load it from a pipe, then save it into a reader that sleeps
# before reading. Nothing may be lost, the client must not exit before
# everything is written, and its memory must stay small both ways.
lines=${STREAMS_HUGE_LINES:-120000000}
# The sanitizers' shadow memory and allocator need room of their own; any
# bound far below 1 GB still proves the data is not all buffered.
limit=16384
[ -n "$ASAN_OPTIONS" ] && limit=65536
mkfifo "$T/gen"
t_huge_load() {
	seq 1 "$lines" | rss "$TEST_TMUX" -S "$S" loadb -b huge - ||
	    why "status $?"
	m=$(cat "$T/rss")
	[ "$m" -le "$limit" ] || why "peak RSS $m kB > $limit kB"
	want=$(seq 1 "$lines" | wc -c)
	got=$(rt lsb -F '#{buffer_size}' -f '#{==:#{buffer_name},huge}')
	[ "$got" = "$want" ] || why "buffer has $got bytes, want $want"
}
verify loadb-1G-bounded t_huge_load
t_huge_save() {
	seq 1 "$lines" >"$T/gen" &
	{ rss "$TEST_TMUX" -S "$S" saveb -b huge -; echo $? >"$T/rc"; } |
	    { sleep 2; cat; } | cmp -s - "$T/gen" || why "output differs"
	wait
	m=$(cat "$T/rss") rc=$(cat "$T/rc")
	[ "$rc" -eq 0 ] || why "status $rc"
	[ "$m" -le "$limit" ] || why "peak RSS $m kB > $limit kB"
}
verify saveb-1G-slow-reader t_huge_save
rt deleteb -b huge 2>/dev/null
