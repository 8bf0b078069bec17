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

# Nothing lost in silence. Where tmux 3.3a reports success while output
# or input is lost, ours says so in one line and exits 1 (the README's
# deliberate differences); against a real 3.3a server.

. "$(dirname "$0")/lib.sh"

cd "$T" || exit 1
S=$T/s
start_server "$S" || { fail setup "server did not start"; exit 1; }
ours() { "$TEST_TMUX" -S "$S" "$@"; }
"$REAL_TMUX" -S "$S" setb -b b1 hello

# lost NAME WANT-STATUS WANT-STDERR CMD...: our status and stderr.
lost() {
	_n=$1 _rc=$2 _err=$3
	shift 3
	eval "$*" 2>"$T/lost.err"
	check "$_n" "$_rc:$_err" "$?:$(cat "$T/lost.err")"
}

# The server reports a refused stdout itself for some commands (status 1);
# we add ours only where it reported success.
for c in "display -p hi" "showb -b b1" "saveb -b b1 -"; do
	lost "$c, stdout /dev/full" 1 \
	    "error writing to stdout (No space left on device)" \
	    "ours $c >/dev/full"
	lost "$c, stdout read-only" 1 \
	    "error writing to stdout (Bad file descriptor)" \
	    "ours $c 1</dev/null"
done
lost "display -p, stdout closed" 1 \
    "error writing to stdout (Bad file descriptor)" "ours display -p hi >&-"
for c in "showb -b b1" "saveb -b b1 -"; do
	lost "$c, stdout closed: the server says so" 1 \
	    "-: Bad file descriptor" "ours $c >&-"
done
lost "saveb to /dev/full" 1 \
    "error writing to /dev/full (No space left on device)" \
    "ours saveb -b b1 /dev/full"
# A reader that goes away is not an error, as for any program.
lost "showb into a closed pipe" 0 "" \
    "ours showb -b b1 | true"
# A write error that only close(2) reports, as NFS may: the preloaded
# tests/closefail.so fails the close of the file $CLOSEFAIL names.
so=$(dirname "$TEST_TMUX")/tests/closefail.so
if [ -f "$so" ]; then
	lost "saveb to a file whose close fails" 1 \
	    "error writing to $T/nfs (Input/output error)" \
	    "LD_PRELOAD=$so CLOSEFAIL=$T/nfs ours saveb -b b1 $T/nfs"
else
	echo "SKIP: saveb to a file whose close fails: no tests/closefail.so"
fi

# Read errors reach the server, which reports them; no buffer is made.
mkdir -p "$T/dir"
lost "loadb DIR" 1 "$T/dir: Is a directory" "ours loadb -b x '$T/dir'"
lost "loadb - <DIR" 1 "-: Is a directory" "ours loadb -b x - <'$T/dir'"
lost "loadb - <&-" 1 "-: Bad file descriptor" "ours loadb -b x - <&-"
check "loadb DIR: no buffer" "no buffer x" \
    "$("$REAL_TMUX" -S "$S" showb -b x 2>&1)"

# A signal while stdin is still being sent: tmux's text for it, status 1,
# and no buffer.
for sig in TERM HUP; do
	mkfifo "$T/in$sig"
	"$TEST_TMUX" -S "$S" loadb -b "sig$sig" - <"$T/in$sig" 2>"$T/sig.err" &
	cpid=$!
	exec 5>"$T/in$sig"
	# More than a pipe holds: once it is all written, the client is
	# reading and sending.
	head -c 300000 /dev/zero >&5 &
	wpid=$!
	wait_until gone "$wpid"
	kill -$sig "$cpid"
	WAIT_SECONDS=1 wait_until gone "$cpid" &&
	    pass "loadb -, SIG$sig: gone within 1 s" ||
	    fail "loadb -, SIG$sig: gone within 1 s" "pid $cpid alive"
	wait "$cpid"
	rc=$?
	exec 5>&-
	want=terminated
	[ "$sig" = HUP ] && want="lost tty"
	check "loadb -, SIG$sig: said so, status 1" "1:$want" \
	    "$rc:$(cat "$T/sig.err")"
	check "loadb -, SIG$sig: no buffer" "no buffer sig$sig" \
	    "$("$REAL_TMUX" -S "$S" showb -b "sig$sig" 2>&1)"
done

# An idle waiting client still leaves silently with status 0, as tmux's.
# Connected means the client's signal handling is in place.
run_both "wait-for, SIGTERM" /dev/null '
	n=$(sockets "$S" connected)
	"$TMUX_BIN" -S "$S" wait-for never &
	p=$!
	wait_until eval "[ \$(sockets \"\$S\" connected) -gt $n ]"
	kill -TERM $p
	wait $p
	echo status $?'

# A closed descriptor stays closed for the shell of -c.
run_both "-c with stdout closed" /dev/null '
	SHELL=/bin/sh "$TMUX_BIN" -S "$S" -c "echo x" >&-
	echo status $? >&2'

# A shell that cannot be run is named (tmux's client exits 1 silently).
printf '\177ELF' >"$T/badsh"
chmod +x "$T/badsh"
"$REAL_TMUX" -S "$S" set -g default-shell "$T/badsh"
out=$(SHELL=$T/badsh timeout 10 "$TEST_TMUX" -S "$S" -c "echo x" 2>&1)
check "-c, a shell that cannot run: says why" \
    "1:cannot run $T/badsh (Exec format error)" "$?:$out"
"$REAL_TMUX" -S "$S" set -gu default-shell

# A control client with stdin closed ends at once (tmux's waits for ever).
out=$(timeout 10 "$TEST_TMUX" -S "$S" -C attach -t main <&- 2>&1)
check "-C attach, stdin closed: ends with %exit" "0:%exit" \
    "$?:$(echo "$out" | tail -1)"

# Memory runs out (an address space too small for a large environment):
# whatever fails says so on stderr, where tmux's client exits 1 silently.
# Each line: the limit in MB, then "ok", "said" or what went wrong. The
# sanitizers' shadow memory needs more address space than any such limit.
if [ -n "$ASAN_OPTIONS" ]; then
	echo "SKIP: memory runs out: not under the sanitizers"
	exit 0
fi
python3 - "$TEST_TMUX" "$S" >"$T/nomem" <<'PY'
import os, resource, subprocess, sys
env = dict(os.environ, **{'V%06d' % i: 'x' * 90 for i in range(40000)})
resource.setrlimit(resource.RLIMIT_STACK, (64 << 20, resource.RLIM_INFINITY))
for mb in range(8, 21, 2):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))
    p = subprocess.run([sys.argv[1], '-S', sys.argv[2], 'has'], env=env,
                       preexec_fn=limit, capture_output=True, timeout=30)
    lines = p.stderr.decode(errors='replace').splitlines()
    if p.returncode == 0 and not lines:
        print(mb, 'ok')
    elif p.returncode == 1 and len(lines) == 1:
        print(mb, 'said')
    else:
        print(mb, p.returncode, lines)
PY
check "memory runs out: each run succeeds or says why" "" \
    "$(grep -v ' ok$' "$T/nomem" | grep -v ' said$')"
check "memory runs out: some runs did" yes \
    "$(grep -q ' said$' "$T/nomem" && grep -q ' ok$' "$T/nomem" && echo yes)"
