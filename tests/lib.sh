# Shared by the shell tests: a private directory, real tmux servers on
# private sockets (killed by pid at exit), and PASS/FAIL reporting.

: "${TEST_TMUX:=$PWD/tmux}"
: "${REAL_TMUX:=/usr/bin/tmux}"
T=$(mktemp -d "${TMPDIR:-/tmp}/tmuxtest.XXXXXX")
SERVER_PIDS=
export TMUX_TMPDIR="$T"
unset TMUX

cleanup() {
	for p in $SERVER_PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }

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

# run_both NAME STDIN CMD...: run CMD with our client and tmux's, with
# "TMUX" replaced by each binary; compare stdout, stderr, exit status.
run_both() {
	_name=$1 _in=$2
	shift 2
	for _w in ours real; do
		if [ "$_w" = ours ]; then _b=$TEST_TMUX; else _b=$REAL_TMUX; fi
		(
			cd "$T/$_w.cwd" 2>/dev/null || cd "$T"
			eval "TMUX_BIN=\"$_b\"; $*" <"$_in" \
			    >"$T/$_w.out" 2>"$T/$_w.err"
			echo $? >"$T/$_w.rc"
		)
	done
	if cmp -s "$T/ours.out" "$T/real.out" &&
	    cmp -s "$T/ours.err" "$T/real.err" &&
	    cmp -s "$T/ours.rc" "$T/real.rc"; then
		pass "$_name"
	else
		fail "$_name" "ours: rc $(cat "$T/ours.rc") out $(head -c 200 \
		    "$T/ours.out" | tr '\n' '|') err $(head -c 200 \
		    "$T/ours.err" | tr '\n' '|'); real: rc $(cat \
		    "$T/real.rc") out $(head -c 200 "$T/real.out" | \
		    tr '\n' '|') err $(head -c 200 "$T/real.err" | tr '\n' '|')"
	fi
}
