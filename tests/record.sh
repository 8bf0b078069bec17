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

# Make the recordings that tests/t-replay plays back, from real tmux
# builds. Run by hand, never by tests/run (CI has only one tmux):
#
#	OLD_TMUX_DIR=/path/to/bin tests/record.sh [VERSION...]
#
# OLD_TMUX_DIR (required) holds tmux-VERSION binaries for every version
# but 3.3a, which is TMUX_33A (default /usr/bin/tmux). Without arguments every
# version in $VERSIONS is recorded. For each version a real server runs
# on a private socket (-f /dev/null, new -d -s main) and the real client
# of the same version talks to it through tests/proxy.py; each scenario
# becomes tests/recordings/VERSION/SCENARIO.rec. Every server started here
# is killed by pid. Needs python3; the "access" scenario (3.3+) needs root
# and setpriv, to run the proxy as another user the server refuses.
#
# 1.7 and 1.8 speak protocol 7: their recordings say "# protocol: 7" and
# add what clients of protocol 8 get from them (mismatch-VERSION: that
# version's client, through the proxy, against the 1.7 or 1.8 server).
# Their probe scenario is what our client asks them in protocol 7.

VERSIONS="1.7 1.8 1.9 2.1 2.9a 3.0a 3.1c 3.2a 3.3a 3.4 3.5a 3.6a 3.7c"
if [ -z "$OLD_TMUX_DIR" ]; then
	echo "usage: OLD_TMUX_DIR=DIR $0 [VERSION...]" >&2
	exit 1
fi
: "${TMUX_33A:=/usr/bin/tmux}"
: "${NOBODY_PYTHON:=/usr/bin/python3}"
PROXY_PYTHON=python3

cd "$(dirname "$0")" || exit 1
TESTS=$PWD
OUT=$TESTS/recordings
# Socket paths must stay short: keep the directory name small.
T=$(mktemp -d /tmp/tmrec.XXXXXX) || exit 1
SERVER_PIDS=
PROXY_PID=

cleanup() {
	[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
	for p in $SERVER_PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The probes our client sends: defined once, in tmuxtest.py (the words of
# protocol 7's have no blanks).
PROBE_FORMAT=$(python3 -B -c 'import sys; sys.path.insert(0, sys.argv[1])
import tmuxtest; print(tmuxtest.PROBE_FORMAT)' "$TESTS") || exit 1
PROBE7=$(python3 -B -c 'import sys; sys.path.insert(0, sys.argv[1])
import tmuxtest; print(" ".join(tmuxtest.PROBE7_ARGV))' "$TESTS") || exit 1

say() { echo "record: $*" >&2; }

binary() {
	case $1 in
	3.3a) echo "$TMUX_33A" ;;
	*) echo "$OLD_TMUX_DIR/tmux-$1" ;;
	esac
}

protocol() {
	case $1 in
	1.[0-8]) echo 7 ;;
	*) echo 8 ;;
	esac
}

layout() {
	case $1 in
	3.[6-9]*|[4-9].*) echo new ;;
	*) echo old ;;
	esac
}

# A fixed environment, and / as the working directory, for every client.
run_env() {
	(cd / && env -i HOME="$T/home" PATH=/usr/bin:/bin TERM=xterm \
	    LANG=C.UTF-8 SHELL=/bin/sh TMUX_TMPDIR="$T" PWD=/ "$@")
}

json_args() {
	python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"
}

json_file() {
	python3 -c 'import json, sys
print(json.dumps(open(sys.argv[1], "rb").read().decode("utf-8",
    "surrogateescape")))' "$1"
}

wait_socket() {
	i=0
	while [ ! -S "$1" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -S "$1" ]
}

# Pid of the server process on socket $1 (its command line names it).
server_pid() {
	for d in /proc/[0-9]*; do
		if { tr '\0' ' ' <"$d/cmdline"; } 2>/dev/null |
		    grep -q -- " -S $1 "; then
			echo "${d#/proc/}"
		fi
	done
}

start_server() {
	run_env "$BIN" -S "$T/real" -f /dev/null new -d -s main -x 80 -y 24 \
	    || return 1
	wait_socket "$T/real" || return 1
	for p in $(server_pid "$T/real"); do
		SERVER_PIDS="$SERVER_PIDS $p"
		SERVER_PID=$p
	done
	[ -n "$SERVER_PID" ]
}

stop_server() {
	[ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null
	SERVER_PID=
	rm -f "$T/real"
}

# header NAME TTY STDIN NOPT ARGS...: the recording's first lines. The
# first NOPT arguments are tmux options, the rest the command ("argv").
header() {
	_name=$1 _tty=$2 _in=$3 _nopt=$4
	shift 4
	printf '%s' "$_in" >"$T/in"
	{
		printf '# tmux-replay recording: "made by tests/record.sh"\n'
		printf '# version: "%s"\n' "$V"
		printf '# layout: "%s"\n' "$L"
		[ "$P" = 8 ] || printf '# protocol: %s\n' "$P"
		[ "$CBIN" = "$BIN" ] || printf '# client: "%s"\n' "$CV"
		printf '# scenario: "%s"\n' "$_name"
		printf '# args: %s\n' "$(json_args "$@")"
		shift "$_nopt"
		printf '# argv: %s\n' "$(json_args "$@")"
		printf '# stdin: %s\n' "$(json_file "$T/in")"
		printf '# tty: %s\n' "$_tty"
	} >"$REC"
}

# start_proxy [WRAPPER...]: relay $PLISTEN to the real server.
start_proxy() {
	rm -f "$PLISTEN"
	"$@" "$PROXY_PYTHON" "$TESTS/proxy.py" --listen "$PLISTEN" \
	    --server "$T/real" --layout "$L" --out "$REC" &
	PROXY_PID=$!
	wait_socket "$PLISTEN"
}

stop_proxy() {
	kill "$PROXY_PID" 2>/dev/null
	wait "$PROXY_PID" 2>/dev/null
	PROXY_PID=
}

finish() {
	{
		printf '# status: %s\n' "$1"
		printf '# stdout: %s\n' "$(json_file "$T/out")"
		printf '# stderr: %s\n' "$(json_file "$T/err")"
	} >>"$REC"
	mkdir -p "$OUT/$V"
	cp "$REC" "$OUT/$V/$NAME.rec"
	say "$V $NAME: status $1"
}

# oneshot NAME STDIN NOPT ARGS... (NOPT as for header)
oneshot() {
	NAME=$1 _in=$2 _nopt=$3
	shift 3
	REC=$T/rec PLISTEN=$T/p
	header "$NAME" false "$_in" "$_nopt" "$@"
	start_proxy || { say "$V $NAME: proxy did not start"; return 1; }
	printf '%s' "$_in" | run_env "$CBIN" -S "$PLISTEN" "$@" \
	    >"$T/out" 2>"$T/err"
	rc=$?
	stop_proxy
	finish "$rc"
}

# The server refuses the proxy's uid (3.3+): the proxy runs as nobody.
access() {
	NAME=access
	if ! command -v setpriv >/dev/null || [ "$(id -u)" -ne 0 ]; then
		say "$V access: needs root and setpriv, skipped"
		return 0
	fi
	mkdir -p "$T/acc"
	chmod 755 "$T"
	chmod 777 "$T/acc"
	chmod 666 "$T/real"
	REC=$T/acc/rec PLISTEN=$T/acc/p
	header access false "" 0 display -p hello
	chmod 666 "$REC"
	# The proxy's python must be reachable by nobody (not under /root).
	PROXY_PYTHON=$NOBODY_PYTHON
	start_proxy setpriv --reuid=65534 --regid=65534 --clear-groups || {
		PROXY_PYTHON=python3
		say "$V access: proxy did not start"
		return 1
	}
	run_env "$BIN" -S "$PLISTEN" display -p hello </dev/null \
	    >"$T/out" 2>"$T/err"
	rc=$?
	stop_proxy
	PROXY_PYTHON=python3
	chmod 700 "$T"
	finish "$rc"
}

# attach NAME COMMAND...: attach in a pseudo-terminal; once attached, run
# COMMAND with the real client, directly on the server, to end it.
attach() {
	NAME=$1
	shift
	REC=$T/rec PLISTEN=$T/p
	header "$NAME" true "" 0 attach -t main
	start_proxy || { say "$V $NAME: proxy did not start"; return 1; }
	python3 -B - "$BIN" "$PLISTEN" "$T/real" "$T" "$TESTS" "$@" <<'EOF' \
	    >"$T/out" 2>"$T/err"
import subprocess, sys, time
binary, plisten, real, tmp, tests = sys.argv[1:6]
outside = sys.argv[6:]
sys.path.insert(0, tests)
import tmuxtest
env = {'HOME': tmp + '/home', 'PATH': '/usr/bin:/bin', 'TERM': 'xterm',
       'LANG': 'C.UTF-8', 'SHELL': '/bin/sh', 'TMUX_TMPDIR': tmp, 'PWD': '/'}
def tmux(*args):
    return subprocess.run([binary, '-S', real] + list(args), env=env,
                          cwd='/', capture_output=True,
                          stdin=subprocess.DEVNULL).stdout.strip()
r = tmuxtest.PtyRun([binary, '-S', plisten, 'attach', '-t', 'main'], env,
                    cwd='/')
attached = tmuxtest.wait_until(lambda: tmux('list-clients'), 10)
time.sleep(0.3)     # let the first screen be drawn and recorded
tmux(*outside)
st = r.wait_exit(10)
r.close()
rc = -9 if st is None else st[1] if st[0] == 'exit' else -st[1]
sys.stdout.write(tmuxtest.last_message(r.output()).decode())
sys.stderr.write('' if attached else 'never attached\n')
sys.exit(rc)
EOF
	rc=$?
	stop_proxy
	finish "$rc"
}

record_version() {
	V=$1
	BIN=$(binary "$V")
	CBIN=$BIN
	L=$(layout "$V")
	P=$(protocol "$V")
	if [ ! -x "$BIN" ]; then
		say "$V: no $BIN, skipped"
		return
	fi
	SERVER_PID=
	start_server || { say "$V: server did not start"; return; }
	oneshot display "" 0 display -p hello
	oneshot ls "" 0 ls -F '#{session_name}'
	# -l: the login flag among the identify flags (-2: after a probe,
	# with the release known).
	oneshot login "" 2 -l -2 display -p hello
	if [ "$P" = 7 ]; then
		# shellcheck disable=SC2086 # words
		oneshot probe "" 0 $PROBE7
	else
		oneshot probe "" 0 display-message -p "$PROBE_FORMAT"
	fi
	oneshot loadbuf "$(printf 'hello from stdin\nsecond line')" 0 \
	    load-buffer -
	oneshot showbuf "" 0 show-buffer
	oneshot has-error "" 0 has -t nosuch
	oneshot unknown "" 0 nosuchcommand
	oneshot savebuf "" 0 save-buffer -
	# More than one old stdio record (BUFSIZ 8192) of input.
	oneshot loadbuf-big "$(seq -f 'line %04g of a longer input' 1 320 |
	    head -c 8300)" 0 load-buffer -
	# Terminal features: a flag bit before 3.2, table positions after.
	case $V in
	1.*|2.*|3.[01]*) oneshot features "" 1 -2 display -p hello ;;
	*) oneshot features "" 2 -T RGB,overline,strikethrough,sync,title \
	    display -p hello ;;
	esac
	# Control mode: over the socket before 3.2, on the passed fds after.
	oneshot control 'display -p ctl-ok
' 1 -C attach -t main
	# -c: MSG_SHELL, then the client runs the server's default-shell.
	oneshot shell "" 2 -c 'echo shell ok'
	# A command that works in the client's directory (1.9-2.1 take it
	# only as a descriptor).
	oneshot new-window "" 0 new-window -d -n fromcwd
	attach attach detach-client -s main
	case $V in
	1.*|2.*|3.[0-2]*) say "$V: no access control, no exit message" ;;
	*) access ;;
	esac
	# What clients of protocol 8 get from a protocol 7 server.
	if [ "$P" = 7 ]; then
		for CV in 1.9 3.3a 3.7c; do
			CBIN=$(binary "$CV")
			[ -x "$CBIN" ] && oneshot "mismatch-$CV" "" 0 \
			    display -p hello
		done
		CBIN=$BIN
	fi
	# Last: MSG_SHUTDOWN to an attached client.
	attach attach-kill kill-server
	stop_server
}

mkdir -p "$T/home"
# shellcheck disable=SC2086 # a list of words
[ $# -eq 0 ] && set -- $VERSIONS
for v in "$@"; do
	record_version "$v"
done
