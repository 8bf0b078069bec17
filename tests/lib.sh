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

# Shared by the shell tests (sourced): a private directory $T, real tmux
# servers on private sockets, PASS/FAIL reporting with check and
# run_both, and wait_until. At exit every process we started is killed by
# pid, and the script's status is 1 if any of its checks failed.

: "${TEST_TMUX:=$PWD/tmux}"
: "${REAL_TMUX:=/usr/bin/tmux}"
T=$(mktemp -d "${TMPDIR:-/tmp}/tmuxtest.XXXXXX") || exit 1
# Pids killed at exit, besides any process whose command line names $T.
SERVER_PIDS=
# How long wait_until polls before it gives up.
: "${WAIT_SECONDS:=10}"
export TMUX_TMPDIR="$T"
unset TMUX

cleanup() {
	for _p in $SERVER_PIDS $(pgrep -f -- "$T/"); do
		[ "$_p" = "$$" ] || kill -9 "$_p" 2>/dev/null
	done
	rm -rf "$T"
}

# A failed check fails the script however it ends; the record is a file
# because checks may run in subshells.
on_exit() {
	_rc=$?
	[ "$_rc" -eq 0 ] && [ -s "$T/.failed" ] && _rc=1
	cleanup
	exit "$_rc"
}
trap on_exit EXIT
trap 'exit 1' INT TERM HUP

pass() { echo "PASS: $1"; }
fail() {
	echo "FAIL: $1: $(printf '%s' "$2" | tr '\n' '|')"
	echo "$1" >>"$T/.failed"
}

# check NAME EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected [$2] got [$3]"
	fi
}

# wait_until CMD...: run CMD until it succeeds; false if it still fails
# after about $WAIT_SECONDS. For a pipeline: wait_until eval '...'.
wait_until() {
	_wu=$((WAIT_SECONDS * 20))
	until "$@" >/dev/null 2>&1; do
		_wu=$((_wu - 1))
		[ "$_wu" -gt 0 ] || return 1
		sleep 0.05
	done
}

# Is PID a live process (not gone, not a zombie)?
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	_st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$_st" ] && [ "$_st" != Z ] && [ "$_st" != X ]
}
gone() { ! alive "$1"; }

# has_open PID PATTERN: has process PID a descriptor open on what
# matches PATTERN (a path, or 'socket:*')?
has_open() {
	for _f in /proc/"$1"/fd/*; do
		case $(readlink "$_f" 2>/dev/null) in
		$2) return 0 ;;
		esac
	done
	return 1
}

oneline() { head -c 300 "$1" | tr '\n' '|'; }

# tmux's client and the client under test (TMUX_BIN, as run_both sets
# it), on the script's server $S if it has one.
rt() { "$REAL_TMUX" ${S:+-S "$S"} "$@"; }
tm() { "$TMUX_BIN" ${S:+-S "$S"} "$@"; }

# sockets PATH listening|connected: how many UNIX sockets bound to PATH
# are listening, or connected (the server's ends of its connections).
sockets() {
	if [ "$2" = listening ]; then
		awk -v p="$1" '$8 == p && $4 == "00010000"' /proc/net/unix
	else
		awk -v p="$1" '$8 == p && $6 == "03"' /proc/net/unix
	fi | wc -l | tr -d ' '
}

# nofiles N CMD...: CMD with only descriptors 0-2 open and room for N in
# all. (The leak checker of a sanitizer build cannot work with so few.)
nofiles() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:detect_leaks=0} \
	    python3 -c 'import os, resource, sys
os.closerange(3, 65536)
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
os.execv(sys.argv[2], sys.argv[2:])' "$@"
}

# stop PID...: wait for each to go, and kill what does not.
stop() {
	for _p in "$@"; do
		wait_until gone "$_p" || kill -9 "$_p"
	done
}

# Remember a server by the pid it reports, so cleanup can kill it.
track_server() {
	_pid=$("$REAL_TMUX" -S "$1" display -p '#{pid}' 2>/dev/null)
	[ -n "$_pid" ] && SERVER_PIDS="$SERVER_PIDS $_pid"
	echo "$_pid"
}

# start_server SOCKET [ARGS...]: a real server with one detached session.
start_server() {
	_s=$1
	shift
	"$REAL_TMUX" -S "$_s" -f /dev/null "$@" new -d -s main -x 80 -y 24 \
	    || return 1
	track_server "$_s" >/dev/null
}

# run_both NAME STDIN CMD: run the shell text CMD twice, with $TMUX_BIN
# our client and then tmux's, each time in a fresh directory $D
# ($T/ours.N, $T/real.N) with STDIN as its input. Compare stdout, stderr
# and the exit status, with $D written DIR. The outputs stay in
# $T/ours.out, $T/ours.err, $T/ours.rc and the same for real.
RUN_BOTH_N=0
run_both() {
	_name=$1 _in=$2
	shift 2
	RUN_BOTH_N=$((RUN_BOTH_N + 1))
	for _w in ours real; do
		if [ "$_w" = ours ]; then
			TMUX_BIN=$TEST_TMUX
		else
			TMUX_BIN=$REAL_TMUX
		fi
		D=$T/$_w.$RUN_BOTH_N
		mkdir -p "$D"
		(cd "$D" && eval "$*") <"$_in" >"$T/$_w.out1" 2>"$T/$_w.err1"
		echo $? >"$T/$_w.rc"
		sed "s|$D|DIR|g" "$T/$_w.out1" >"$T/$_w.out"
		sed "s|$D|DIR|g" "$T/$_w.err1" >"$T/$_w.err"
	done
	if cmp -s "$T/ours.out" "$T/real.out" &&
	    cmp -s "$T/ours.err" "$T/real.err" &&
	    cmp -s "$T/ours.rc" "$T/real.rc"; then
		pass "$_name"
	else
		fail "$_name" "ours: rc $(cat "$T/ours.rc") out $(oneline \
		    "$T/ours.out") err $(oneline "$T/ours.err"); real: rc $(cat \
		    "$T/real.rc") out $(oneline "$T/real.out") err $(oneline \
		    "$T/real.err")"
	fi
}
