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

# Starting a server when none answers (tmux-client.1, "Starting a server"):
# our client runs the installed tmux as "tmux -D"; the result must look
# like a server that tmux's own client forked. Every server is found (by
# its #{pid} or by the socket path in its command line) and killed by pid
# at the end.

cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

unset TMUX_SERVER_PROGRAM XDG_CONFIG_HOME VISUAL EDITOR EVENT_NOEPOLL
export SHELL=/bin/sh
mkdir -p "$T/emptyhome"
export HOME="$T/emptyhome"
TIMEOUT=$(command -v timeout)

# Pids of processes whose command line names socket path $1 as a word.
sock_pids() {
	for _p in $(pgrep -f -- "$1"); do
		tr '\0' '\n' <"/proc/$_p/cmdline" 2>/dev/null | grep -qxF -- "$1" &&
		    alive "$_p" && echo "$_p"
	done
}

# Register (for the kill at exit) every server naming socket $1.
track_sock() {
	for _p in $(sock_pids "$1"); do
		SERVER_PIDS="$SERVER_PIDS $_p"
	done
}

# Did the last run_both leave a socket file $D/s behind in each directory?
# (A started server creates it; it stays after the server exits.)
both_socket() {
	_so=no _sr=no
	[ -S "$T/ours.$RUN_BOTH_N/s" ] && _so=yes
	[ -S "$T/real.$RUN_BOTH_N/s" ] && _sr=yes
	check "$1" "$_sr" "$_so"
	[ "$_so" = "$2" ] || fail "$1 (ours)" "socket created: $_so, want $2"
}

# Did the last run_both leave no server running on $D/s?
both_no_server() {
	_left=
	for _w in ours real; do
		for _p in $(sock_pids "$T/$_w.$RUN_BOTH_N/s"); do
			wait_until gone "$_p" || _left="$_left $_w:$_p"
		done
	done
	check "$1" "" "$_left"
}

# ---------------------------------------------------------------------------
# A plain start: new -d with no server.

S=$T/first/s
mkdir -p "$T/first"
"$TEST_TMUX" -S "$S" new -d -s a \; wait-for t-start-go \
    >"$T/first.out" 2>"$T/first.err" &
cpid=$!
if wait_until "$REAL_TMUX" -S "$S" has -t a; then
	pass "start: new -d started a server with session a"
else
	fail "start: new -d started a server with session a" \
	    "no session a: $(oneline "$T/first.err")"
fi
spid=$(track_server "$S")
track_sock "$S"
if [ -n "$spid" ] && alive "$spid"; then
	pass "start: server answers with its pid"
	check "start: server is a tmux -D process" yes \
	    "$(ps -o args= -p "$spid" | grep -q 'tmux -D' && echo yes)"
	check "start: server exe is the real tmux" "$(readlink -f "$REAL_TMUX")" \
	    "$(readlink "/proc/$spid/exe")"
	ppid=$(ps -o ppid= -p "$spid" | tr -d ' ')
	[ "$ppid" != "$cpid" ] && [ "$ppid" != "$$" ] &&
	    pass "start: server is not a child of the client or the test" ||
	    fail "start: server is not a child of the client or the test" \
	    "ppid $ppid (client $cpid, test $$)"
	ssid=$(ps -o sid= -p "$spid" | tr -d ' ')
	csid=$(ps -o sid= -p "$cpid" | tr -d ' ')
	[ -n "$ssid" ] && [ "$ssid" != "$csid" ] &&
	    pass "start: server runs in its own session" ||
	    fail "start: server runs in its own session" "sid $ssid, client $csid"
	check "start: server stdin is /dev/null" /dev/null \
	    "$(readlink "/proc/$spid/fd/0")"
	check "start: server stdout is /dev/null" /dev/null \
	    "$(readlink "/proc/$spid/fd/1")"
	# The client is still waiting (wait-for): it must have no children
	# left, in particular no zombie from the double fork.
	check "start: client has no leftover (zombie) children" "" \
	    "$(ps -o pid=,stat=,args= --ppid "$cpid" | tr '\n' '|')"
else
	fail "start: server answers with its pid" "pid [$spid]"
fi
check "start: exactly one listening socket" 1 "$(sockets "$S" listening)"
check "start: one server process names the socket" "$spid" \
    "$(sock_pids "$S" | grep -vx "$cpid")"
check "start: lock file removed" no "$([ -e "$S.lock" ] && echo yes || echo no)"
check "start: socket mode with -S" srw------- "$(stat -c %A "$S")"
"$REAL_TMUX" -S "$S" wait-for -S t-start-go
wait "$cpid"
check "start: first client exit status" 0 "$?"
check "start: first client printed nothing" "" \
    "$(cat "$T/first.out" "$T/first.err")"
check "start: sessions" a "$("$REAL_TMUX" -S "$S" ls -F '#{session_name}')"
check "start: exit-empty is on" "exit-empty on" \
    "$("$REAL_TMUX" -S "$S" show -s exit-empty)"

# Lifetime: the last session going makes the server exit.
"$TEST_TMUX" -S "$S" kill-session -t a
if [ -n "$spid" ] && wait_until gone "$spid"; then
	pass "lifetime: server exits after its last session is killed"
else
	fail "lifetime: server exits after its last session is killed" \
	    "pid $spid still alive"
fi
check "lifetime: socket file stays behind" yes \
    "$([ -S "$S" ] && echo yes || echo no)"
check "lifetime: nothing listens any more" 0 "$(sockets "$S" listening)"

# Stale socket: a server killed with SIGKILL leaves its socket behind.
"$TEST_TMUX" -S "$S" new -d -s b
old=$(track_server "$S")
kill -9 "$old" 2>/dev/null
wait_until gone "$old"
check "stale: socket file remains after kill -9" yes \
    "$([ -S "$S" ] && echo yes || echo no)"
"$TEST_TMUX" -S "$S" new -d -s c 2>"$T/stale.err"
check "stale: new -d over a stale socket succeeds" "0:" "$?:$(cat "$T/stale.err")"
new=$(track_server "$S")
[ -n "$new" ] && [ "$new" != "$old" ] && alive "$new" &&
    pass "stale: a fresh server was started" ||
    fail "stale: a fresh server was started" "old $old new $new"
check "stale: new server has only the new session" c \
    "$("$REAL_TMUX" -S "$S" ls -F '#{session_name}')"
check "stale: one listening socket" 1 "$(sockets "$S" listening)"
"$REAL_TMUX" -S "$S" kill-server
wait_until gone "$new"

run_both "stale: ls on a stale socket" /dev/null '
	"$REAL_TMUX" -S "$D/s" -f /dev/null new -d -s x
	p=$("$REAL_TMUX" -S "$D/s" display -p "#{pid}")
	kill -9 "$p"; wait_until gone "$p"
	"$TMUX_BIN" -S "$D/s" ls'

# Lifetime with "set -s exit-empty off" in the configuration.
S=$T/keep/s
mkdir -p "$T/keep"
echo 'set -s exit-empty off' >"$T/keep/conf"
"$TEST_TMUX" -S "$S" -f "$T/keep/conf" new -d -s a
kpid=$(track_server "$S")
"$TEST_TMUX" -S "$S" kill-session -t a
ok=yes
for i in 1 2 3; do
	"$REAL_TMUX" -S "$S" display -p ok >/dev/null 2>&1 || ok=no
done
alive "$kpid" || ok=no
check "lifetime: exit-empty off in the config keeps the server" yes "$ok"
check "lifetime: exit-empty off reported" "exit-empty off" \
    "$("$REAL_TMUX" -S "$S" show -s exit-empty 2>&1)"
"$REAL_TMUX" -S "$S" kill-server
stop "$kpid"

# ---------------------------------------------------------------------------
# The start decision (tmux-client.1, "Starting a server"): same output as
# tmux, and a server started exactly when tmux starts one.

run_both "no server: attach" /dev/null '"$TMUX_BIN" -S "$D/s" attach'
both_socket "no server: attach starts a server" yes
both_no_server "no server: attach leaves no server behind"

run_both "no server: -N new -d" /dev/null '"$TMUX_BIN" -S "$D/s" -N new -d'
both_socket "no server: -N new -d starts none" no

run_both "no server: ls" /dev/null '"$TMUX_BIN" -S "$D/s" ls'
both_socket "no server: ls starts none" no

run_both "no server: start ; has -t" /dev/null \
    '"$TMUX_BIN" -S "$D/s" start \; has -t x'
both_socket "no server: start ; has -t starts one" yes
both_no_server "no server: start ; has -t leaves no server"

run_both "no server: start ; has -Q" /dev/null \
    '"$TMUX_BIN" -S "$D/s" start \; has -Q'
both_socket "no server: start ; has -Q starts none" no

run_both "no server: new -d ; foo" /dev/null \
    '"$TMUX_BIN" -S "$D/s" new -d \; foo'
both_socket "no server: new -d ; foo starts none" no

for c in info list 'start extra' choose-session kill-s; do
	run_both "no server: $c" /dev/null "\"\$TMUX_BIN\" -S \"\$D/s\" $c"
	both_socket "no server: $c starts none" no
done

for c in a lsk lscm 'start;'; do
	run_both "no server: $c" /dev/null \
	    "\"\$TMUX_BIN\" -S \"\$D/s\" $c >/dev/null"
	both_socket "no server: $c starts one" yes
	both_no_server "no server: $c leaves no server"
done

run_both "no server: new -d -s" /dev/null '
	"$TMUX_BIN" -S "$D/s" new -d -s
	"$TMUX_BIN" -S "$D/s" ls -F "#{session_name}"
	"$TMUX_BIN" -S "$D/s" kill-server'
both_socket "no server: new -d -s starts one" yes

run_both "no server: start-server" /dev/null \
    '"$TMUX_BIN" -S "$D/s" start-server'
both_socket "no server: start-server starts one" yes
both_no_server "no server: start-server leaves no server"

# A socket in a missing directory: tmux says "error creating" with status 0.
run_both "no server: socket directory missing" /dev/null \
    '"$TMUX_BIN" -S "$D/no/s" new -d'

# ---------------------------------------------------------------------------
# Many clients at once against an empty socket: one server, every session.

# race N NAMED COUNT OURS: COUNT clients at once, the first OURS of them
# ours, the rest tmux's; NAMED gives each session a name.
race() {
	_rd=$T/race$1
	mkdir -p "$_rd"
	S=$_rd/s
	mkfifo "$_rd/go"
	exec 9<>"$_rd/go"
	_i=0 _pids=
	while [ "$_i" -lt "$3" ]; do
		if [ "$_i" -lt "$4" ]; then _b=$TEST_TMUX; else _b=$REAL_TMUX; fi
		if [ "$2" = named ]; then _a="-s s$_i"; else _a=; fi
		(
			read -r _x <&9
			exec 9<&-
			exec "$TIMEOUT" 120 "$_b" -S "$S" new -d $_a
		) </dev/null >"$_rd/out.$_i" 2>&1 &
		_pids="$_pids $!"
		_i=$((_i + 1))
	done
	_i=0
	while [ "$_i" -lt "$3" ]; do
		echo >&9
		_i=$((_i + 1))
	done
	_bad=
	_i=0
	for _p in $_pids; do
		wait "$_p" || _bad="$_bad #$_i:rc$?"
		[ -s "$_rd/out.$_i" ] && _bad="$_bad #$_i:$(oneline "$_rd/out.$_i")"
		_i=$((_i + 1))
	done
	exec 9<&-
	track_sock "$S"
	track_server "$S" >/dev/null
	check "race $1 ($2): all $3 clients succeeded silently" "" "$_bad"
	check "race $1 ($2): $3 sessions" "$3" \
	    "$("$REAL_TMUX" -S "$S" ls 2>&1 | wc -l | tr -d ' ')"
	check "race $1 ($2): one listening socket" 1 "$(sockets "$S" listening)"
	check "race $1 ($2): one server process" 1 \
	    "$(sock_pids "$S" | wc -l | tr -d ' ')"
	"$REAL_TMUX" -S "$S" kill-server 2>/dev/null
	stop $(sock_pids "$S")
}
race 1 named 16 12
race 2 unnamed 16 12
race 3 named 16 12
# Only ours, many, with two busy loops loading the CPUs: a slow server
# under load is waited for, not failed. ($T in their command lines: the
# cleanup kills them however the script ends.)
sh -c 'while :; do :; done' "$T/busy1" & _busy1=$!
sh -c 'while :; do :; done' "$T/busy2" & _busy2=$!
race 4 named 50 50
kill "$_busy1" "$_busy2"
wait "$_busy1" "$_busy2" 2>/dev/null

# The lock (SOCKET.lock), as tmux's clients take it: a client that finds
# no server while another holds the lock waits, then uses the server the
# holder started, and starts none of its own. The holder's server listens
# elsewhere first (a server started on S would take the lock itself) and
# is moved to S while the client waits.
printf 'set -s exit-empty off\n' >"$T/lock.conf"
# Ours runs its server program through this, which notes every -D.
cat >"$T/lock-prog" <<EOF
#!/bin/sh
[ "\$1" = -D ] && echo "\$*" >>"$T/lock-spawned"
exec "$REAL_TMUX" "\$@"
EOF
chmod +x "$T/lock-prog"
for w in ours real; do
	if [ "$w" = ours ]; then B=$TEST_TMUX; else B=$REAL_TMUX; fi
	S=$T/lock-$w/s
	mkdir -p "$T/lock-$w"
	rm -f "$T/lock-spawned"
	"$REAL_TMUX" -S "$S.held" -f "$T/lock.conf" -D </dev/null \
	    >/dev/null 2>&1 &
	lpid=$!
	SERVER_PIDS="$SERVER_PIDS $lpid"
	wait_until test "$(sockets "$S.held" listening)" = 1
	exec 9>"$S.lock"
	flock 9
	TMUX_SERVER_PROGRAM=$T/lock-prog "$B" -S "$S" new -d -s waited 9>&- \
	    </dev/null >"$T/lock-$w.out" 2>&1 &
	cpid=$!
	wait_until has_open "$cpid" "$S.lock" ||
	    fail "lock ($w): client opens the lock file" "it did not"
	mv "$S.held" "$S"
	exec 9>&-
	wait "$cpid" 2>/dev/null
	check "lock ($w): the waiting client succeeds" "0:" \
	    "$?:$(oneline "$T/lock-$w.out")"
	check "lock ($w): its session, alone, in the holder's server" \
	    "$lpid:waited" "$("$REAL_TMUX" -S "$S" ls -F \
	    '#{pid}:#{session_name}' 2>&1 | tr '\n' ' ' | sed 's/ $//')"
	check "lock ($w): no server started" "" \
	    "$(sock_pids "$S"; cat "$T/lock-spawned" 2>/dev/null)"
	kill "$lpid"
	stop $lpid $(sock_pids "$S")
done

# ---------------------------------------------------------------------------
# Configuration files.

# What the first pane shows, in the view mode configuration errors open.
pane_text() {
	"$TMUX_BIN" -S "$D/s" send -X history-top \; \
	    send -X begin-selection \; send -X history-bottom \; \
	    send -X end-of-line \; send -X copy-selection \; show-buffer
}

mkdir -p "$T/cfg"
echo 'set -g @marker yes' >"$T/cfg/marker.conf"
printf 'set -g @order one\n' >"$T/cfg/one.conf"
printf 'set -ga @order ,two\n' >"$T/cfg/two.conf"

run_both "config: -f file runs before the first command" /dev/null '
	"$TMUX_BIN" -S "$D/s" -f "$T/cfg/marker.conf" new -d \; show -gv @marker
	"$TMUX_BIN" -S "$D/s" show -gv @marker
	"$TMUX_BIN" -S "$D/s" kill-server'

run_both "config: two -f files loaded in order" /dev/null '
	"$TMUX_BIN" -S "$D/s" -f "$T/cfg/one.conf" -f "$T/cfg/two.conf" \
	    new -d \; show -gv @order
	"$TMUX_BIN" -S "$D/s" kill-server'

run_both "config: relative -f file" /dev/null '
	cp "$T/cfg/marker.conf" rel.conf
	"$TMUX_BIN" -S "$D/s" -f rel.conf new -d \; show -gv @marker
	"$TMUX_BIN" -S "$D/s" kill-server'

run_both "config: missing -f file is reported in the pane" /dev/null '
	"$TMUX_BIN" -S "$D/s" -f "$D/nonexistent.conf" new -d -x 80 -y 10 \; \
	    display -p "#{pane_mode}"
	pane_text
	"$TMUX_BIN" -S "$D/s" kill-server'

# The default list: /etc/tmux.conf, ~/.tmux.conf, $XDG_CONFIG_HOME/...,
# ~/.config/tmux/tmux.conf; quiet when missing, duplicates dropped.
H=$T/home
mkdir -p "$H/.config/tmux" "$T/xdg/tmux" "$T/dots"
printf 'set -g @home yes\nset -ga @order home,\n' >"$H/.tmux.conf"
printf 'set -ga @order xdg,\n' >"$T/xdg/tmux/tmux.conf"
printf 'set -ga @order dotconfig,\n' >"$H/.config/tmux/tmux.conf"

run_both "config: default list (HOME, XDG_CONFIG_HOME)" /dev/null '
	HOME=$T/home XDG_CONFIG_HOME=$T/xdg "$TMUX_BIN" -S "$D/s" new -d \; \
	    show -gv @home \; show -gv @order
	"$TMUX_BIN" -S "$D/s" kill-server'

run_both "config: default list without XDG_CONFIG_HOME" /dev/null '
	HOME=$T/home "$TMUX_BIN" -S "$D/s" new -d \; show -gv @order
	"$TMUX_BIN" -S "$D/s" kill-server'

run_both "config: default list, XDG_CONFIG_HOME=~/.config loads it once" \
    /dev/null '
	HOME=$T/home XDG_CONFIG_HOME=$T/home/.config "$TMUX_BIN" -S "$D/s" \
	    new -d \; show -gv @order
	"$TMUX_BIN" -S "$D/s" kill-server'

mkdir -p "$T/home2/.config/tmux" "$T/home3"
printf 'set -ga @order once,\n' >"$T/dots/good.conf"
printf 'set -ga @order bad,\nbad-command-here\n' >"$T/dots/bad.conf"
ln -s "$T/dots/good.conf" "$T/home2/.tmux.conf"
ln -s "$T/dots/good.conf" "$T/home2/.config/tmux/tmux.conf"
ln -s "$T/dots/bad.conf" "$T/home3/.tmux.conf"
run_both "config: the same file through two symlinks loads once" /dev/null '
	HOME=$T/home2 "$TMUX_BIN" -S "$D/s" new -d \; show -gv @order
	"$TMUX_BIN" -S "$D/s" kill-server'

run_both "config: error in a symlinked default file names the real file" \
    /dev/null '
	HOME=$T/home3 "$TMUX_BIN" -S "$D/s" new -d -x 100 -y 10
	pane_text
	"$TMUX_BIN" -S "$D/s" kill-server'

for h in 'g[x]' 'g*' 'sp ace' "q'uote" 'd$x'; do
	mkdir -p "$T/$h"
	echo 'set -g @home yes' >"$T/$h/.tmux.conf"
	run_both "config: default list, HOME=.../$h" /dev/null '
		HOME="$T/'"$h"'" "$TMUX_BIN" -S "$D/s" new -d \; show -gv @home
		"$TMUX_BIN" -S "$D/s" kill-server'
done

run_both "config: default list, relative HOME" /dev/null '
	mkdir relhome && cp "$T/home/.tmux.conf" relhome/
	HOME=relhome "$TMUX_BIN" -S "$D/s" new -d \; show -gv @home
	"$TMUX_BIN" -S "$D/s" kill-server'

mkdir -p "$T/dirhome/.tmux.conf"
run_both "config: ~/.tmux.conf a directory" /dev/null '
	HOME=$T/dirhome "$TMUX_BIN" -S "$D/s" new -d -x 100 -y 10 \; \
	    display -p "#{pane_mode}"
	"$TMUX_BIN" -S "$D/s" kill-server'

run_both "config: no default files at all" /dev/null '
	HOME=$T/nohome "$TMUX_BIN" -S "$D/s" new -d \; show -gv @order \; \
	    display -p "#{pane_mode}"
	"$TMUX_BIN" -S "$D/s" kill-server'

run_both "config: -f replaces the default list" /dev/null '
	HOME=$T/home "$TMUX_BIN" -S "$D/s" -f "$T/cfg/marker.conf" new -d \; \
	    show -gv @home \; show -gv @marker
	"$TMUX_BIN" -S "$D/s" kill-server'

# ---------------------------------------------------------------------------
# State the server takes from the client's process.

printf '#!/bin/sh\nexec /bin/sh "$@"\n' >"$T/myshell"
chmod +x "$T/myshell"
printf '#!/bin/sh\n' >"$T/noexec"
for sh in /bin/sh "$T/myshell" "$T/noexec" relative/sh; do
	run_both "state: default-shell with SHELL=${sh#"$T"/}" /dev/null '
		SHELL='"$sh"' "$TMUX_BIN" -S "$D/s" new -d \; \
		    show -gv default-shell
		"$TMUX_BIN" -S "$D/s" kill-server'
done
for v in vim emacs; do
	run_both "state: editor and key modes with VISUAL=$v" /dev/null '
		VISUAL='"$v"' "$TMUX_BIN" -S "$D/s" new -d \; \
		    show -sv editor \; show -gv status-keys \; \
		    show -wgv mode-keys
		"$TMUX_BIN" -S "$D/s" kill-server'
done

# The server started, EVENT_NOEPOLL is still not passed on, even where
# update-environment asks for it.
run_both "state: EVENT_NOEPOLL stays with the client" /dev/null '
	"$TMUX_BIN" -S "$D/s" -f /dev/null new -d \; \
	    set -ga update-environment EVENT_NOEPOLL
	EVENT_NOEPOLL=1 "$TMUX_BIN" -S "$D/s" new -d -s two \; \
	    showenv -t two EVENT_NOEPOLL
	"$TMUX_BIN" -S "$D/s" kill-server'

run_both "state: environment reaches the server" /dev/null '
	T_START_VAR="a b=c" EVENT_NOEPOLL=1 "$TMUX_BIN" -S "$D/s" new -d \; \
	    showenv -g T_START_VAR \; showenv -g EVENT_NOEPOLL \; \
	    showenv -g T_START_NOPE
	"$TMUX_BIN" -S "$D/s" kill-server'

mkdir -p "$T/wd/real"
ln -s "$T/wd/real" "$T/wd/link"
run_both "state: PWD through a symlinked directory" /dev/null '
	cd "$T/wd/link" && "$TMUX_BIN" -S "$D/s" new -d \; showenv -g PWD \; \
	    display -p "#{session_path}"
	"$TMUX_BIN" -S "$D/s" kill-server'

S=$T/cwd/s
mkdir -p "$T/cwd/here"
(cd "$T/cwd/here" && "$TEST_TMUX" -S "$S" new -d -s a)
track_server "$S" >/dev/null
want=$(cd "$T/cwd/here" && pwd -P)
cwd() { "$REAL_TMUX" -S "$S" display -p -t a '#{pane_current_path}'; }
wait_until eval '[ "$(cwd)" = "$want" ]'
check "state: pane_current_path is the client's cwd" "$want" "$(cwd)"
"$REAL_TMUX" -S "$S" kill-server

# -L and the default socket: the server sets the socket up as a default one
# (mode 0660), as tmux does.
run_both "socket: -L label" /dev/null '
	TMUX_TMPDIR=$D "$TMUX_BIN" -L lab new -d
	stat -c %A "$D"/tmux-*/lab
	TMUX_TMPDIR=$D "$TMUX_BIN" -L lab ls -F "#{session_name} #{socket_path}"
	TMUX_TMPDIR=$D "$TMUX_BIN" -L lab kill-server'
run_both "socket: default socket" /dev/null '
	TMUX_TMPDIR=$D "$TMUX_BIN" new -d
	stat -c %A "$D"/tmux-*/default
	TMUX_TMPDIR=$D "$TMUX_BIN" ls -F "#{session_name} #{socket_path}"
	TMUX_TMPDIR=$D "$TMUX_BIN" kill-server'

# TMUX_TMPDIR set twice: tmux takes the last, and so does the server we
# start; both sides must agree on it.
ENVTWICE=$PWD/tests/envtwice.py
run_both "socket: TMUX_TMPDIR set twice, the last wins" /dev/null '
	mkdir a b
	twice() { "$TIMEOUT" 30 python3 "$ENVTWICE" TMUX_TMPDIR "$D/a" \
	    "$D/b" "$TMUX_BIN" "$@"; }
	twice -f /dev/null new -d \; display -p "#{socket_path}"
	twice ls -F "#{session_name}"
	ls a
	twice kill-server'
# Where the two disagree, a server may be left: on no path that names $T.
for d in "$T/ours.$RUN_BOTH_N" "$T/real.$RUN_BOTH_N"; do
	track_server "$d/b/tmux-$(id -u)/default" >/dev/null
done

run_both "socket: -v writes a server log in the cwd" /dev/null '
	"$TMUX_BIN" -v -S "$D/s" new -d
	p=$("$TMUX_BIN" -S "$D/s" display -p "#{pid}")
	[ -s "tmux-server-$p.log" ] && echo server log
	"$TMUX_BIN" -S "$D/s" kill-server'

# Exactly tmux's set of log files: the starting client's and the server's.
for v in -v -vv; do
	run_both "socket: $v new -d leaves tmux's log files" /dev/null '
		"$TMUX_BIN" '"$v"' -S "$D/s" new -d -s v
		p=$("$REAL_TMUX" -S "$D/s" display -p "#{pid}")
		"$REAL_TMUX" -S "$D/s" kill-server
		wait_until gone "$p"
		ls | sed "s/-[0-9]*[.]log$/.log/" | sort | uniq -c'
	run_both "socket: $v, a server that cannot listen: tmux's log files" \
	    /dev/null '
		"$TMUX_BIN" '"$v"' -S "$D/none/s" -f /dev/null new -d -s v
		echo "status $?"
		ls | sed "s/-[0-9]*[.]log$/.log/" | sort | uniq -c'
done

# A server we start holds none of the client's other descriptors (a
# deliberate difference: tmux's forked server keeps them all).
held=
for w in ours real; do
	[ "$w" = ours ] && bin=$TEST_TMUX || bin=$REAL_TMUX
	"$bin" -S "$T/fds.$w" -f /dev/null new -d 5>"$T/fds.$w.extra"
	p=$(track_server "$T/fds.$w")
	has_open "$p" "$T/fds.$w.extra" && held=$held"$w holds it " ||
	    held=$held"$w does not "
	"$REAL_TMUX" -S "$T/fds.$w" kill-server
done
check "a started server: the client's other descriptors" \
    "ours does not real holds it " "$held"

# A started server shows no trace of how it was started.
run_both "config: #{config_files} with -f" /dev/null '
	echo "set -g @x 1" >c.conf
	"$TMUX_BIN" -f c.conf -S "$D/s" new -d -s x
	"$TMUX_BIN" -S "$D/s" display -p "#{config_files}|#{exit-empty}"
	"$TMUX_BIN" -S "$D/s" kill-server'
run_both "config: #{config_files} with the default files" /dev/null '
	HOME=$T/home XDG_CONFIG_HOME=$T/xdg "$TMUX_BIN" -S "$D/s" new -d -s x
	"$TMUX_BIN" -S "$D/s" display -p "#{config_files}|#{exit-empty}"
	"$TMUX_BIN" -S "$D/s" kill-server'
run_both "config: exit-empty off in the configuration wins" /dev/null '
	echo "set -s exit-empty off" >c.conf
	"$TMUX_BIN" -f c.conf -S "$D/s" new -d -s x
	"$TMUX_BIN" -S "$D/s" kill-session -t x
	"$TMUX_BIN" -S "$D/s" display -p "#{config_files}|#{exit-empty}"
	"$TMUX_BIN" -S "$D/s" kill-server'
run_both "config: #{config_files} with no configuration" /dev/null '
	HOME=$T/nohome "$TMUX_BIN" -S "$D/s" start \; \
	    display -p "#{config_files}|#{exit-empty}"'

# Configuration errors: tmux shows them in the first session's pane.
printf 'set -g @ok yes\nno-such-command\n' >"$T/cfg/bad.conf"
run_both "config: errors shown in the pane of new -d" /dev/null '
	"$TMUX_BIN" -S "$D/s" -f "$T/cfg/bad.conf" new -d -x 80 -y 10 \; \
	    display -p "#{pane_mode}|#{@ok}"
	pane_text
	"$TMUX_BIN" -S "$D/s" kill-server'
run_both "config: errors with start-server" /dev/null '
	"$TMUX_BIN" -S "$D/s" -f "$T/cfg/bad.conf" start-server'

# ---------------------------------------------------------------------------
# Errors from the server program: one line on stderr, exit 1 (or what tmux
# itself does for "error creating").

F=$T/fake
mkdir -p "$F"
cat >"$F/old" <<EOF
#!/bin/sh
echo "\$*" >>"$F/old.args"
[ "\$1" = -V ] && { echo "tmux 3.1"; exit 0; }
exit 1
EOF
# Never answers -V: waits for a child of its own.
cat >"$F/mute" <<EOF
#!/bin/sh
echo \$\$ >>"$F/mute.pids"
sleep 60 &
echo \$! >>"$F/mute.pids"
wait
EOF
# Not a release number this client can place (minor above 99).
cat >"$F/odd" <<EOF
#!/bin/sh
[ "\$1" = -V ] && { echo "tmux 3.100"; exit 0; }
exit 1
EOF
# Alive a while without listening, then gone.
cat >"$F/sleepy" <<EOF
#!/bin/sh
[ "\$1" = -V ] && { echo "tmux 3.3a"; exit 0; }
echo \$\$ >>"$F/sleepy.pids"
sleep 2
exit 1
EOF
# Slower to listen than any fixed limit we once had, then the real one.
cat >"$F/slow" <<EOF
#!/bin/sh
[ "\$1" = -V ] && exec "$REAL_TMUX" -V
sleep 6
exec "$REAL_TMUX" "\$@"
EOF
# Listens with a full backlog until the client has found it full (its -v
# log says so), then closes its stderr, takes what waits and goes.
cat >"$F/crowded" <<'EOF'
#!/usr/bin/env python3
import glob, os, socket, sys, time
if sys.argv[1:2] == ['-V']:
    print('tmux 3.3a')
    sys.exit(0)
d = os.environ['CROWDED']
with open(d + '/pids', 'a') as f:
    f.write('%d\n' % os.getpid())
path = sys.argv[sys.argv.index('-S') + 1]
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(0)
fill = []
try:
    while True:
        c = socket.socket(socket.AF_UNIX)
        fill.append(c)
        c.setblocking(False)
        c.connect(path)
except BlockingIOError:
    pass
for _ in range(3000):
    if any('backlog full' in open(f).read()
           for f in glob.glob(d + '/tmux-client-*.log')):
        break
    time.sleep(0.01)
os.close(2)
s.setblocking(False)
try:
    while True:
        s.accept()[0].close()
except BlockingIOError:
    pass
EOF
# Never listens; waits to be killed.
cat >"$F/hang" <<EOF
#!/bin/sh
[ "\$1" = -V ] && { echo "tmux 3.3a"; exit 0; }
echo \$\$ >>"$F/hang.pids"
exec sleep 600
EOF
cat >"$F/errc" <<EOF
#!/bin/sh
[ "\$1" = -V ] && { echo "tmux 3.3a"; exit 0; }
echo "\$*" >>"$F/errc.args"
echo "error creating /x/y (Permission denied)" >&2
exit 1
EOF
cat >"$F/says" <<EOF
#!/bin/sh
[ "\$1" = -V ] && { echo "tmux 3.3a"; exit 0; }
echo "something else went wrong" >&2
exit 3
EOF
cat >"$F/silent" <<EOF
#!/bin/sh
[ "\$1" = -V ] && { echo "tmux 3.3a"; exit 0; }
exit 1
EOF
cat >"$F/badv" <<EOF
#!/bin/sh
exit 3
EOF
chmod +x "$F"/*

# prog_error NAME PROGRAM STATUS [TEXT]: new -d with TMUX_SERVER_PROGRAM.
prog_error() {
	rm -f "$F/s.lock"
	TMUX_SERVER_PROGRAM=$2 "$TIMEOUT" 60 "$TEST_TMUX" -S "$F/s" new -d \
	    >"$F/out" 2>"$F/err"
	_rc=$?
	check "program: $1: exit status" "$3" "$_rc"
	check "program: $1: one line on stderr" 1 \
	    "$(wc -l <"$F/err" | tr -d ' ')"
	check "program: $1: nothing on stdout" "" "$(cat "$F/out")"
	if [ -n "$4" ]; then
		check "program: $1: message" "$4" "$(cat "$F/err")"
	else
		[ -s "$F/err" ] && head -1 "$F/err" | grep -q . &&
		    pass "program: $1: message not empty" ||
		    fail "program: $1: message not empty" "$(oneline "$F/err")"
	fi
	check "program: $1: no server" 0 "$(sockets "$F/s" listening)"
}

# After prog_error, when no server was started: the lock file is gone, as
# tmux leaves none.
no_lock() {
	[ -e "$F/s.lock" ] && _l=left || _l=none
	check "program: $1: no lock file" none "$_l"
}

prog_error "nonexistent program" /nonexistent 1
no_lock "nonexistent program"
grep -q /nonexistent "$F/err" && pass "program: nonexistent: names it" ||
    fail "program: nonexistent: names it" "$(oneline "$F/err")"
prog_error "-V fails" "$F/badv" 1
no_lock "-V fails"
prog_error "too old (3.1)" "$F/old" 1
no_lock "too old"
grep -q 3.1 "$F/err" && pass "program: too old: names the version" ||
    fail "program: too old: names the version" "$(oneline "$F/err")"
check "program: too old: only asked for -V" "-V tmux-client-probe" \
    "$(cat "$F/old.args")"
prog_error "exits silently" "$F/silent" 1
# Only tmux's "error creating" is said with status 0.
prog_error "says why and exits 3" "$F/says" 1 "something else went wrong"
no_lock "says why and exits 3"
no_lock "exits silently"
prog_error "not a release number (3.100)" "$F/odd" 1 \
    "$F/odd is tmux 3.100; starting a server needs tmux 3.2 or later"
no_lock "not a release number"
prog_error "error creating" "$F/errc" 0 \
    "error creating /x/y (Permission denied)"
no_lock "error creating"
# Nothing but the socket: the configuration is the server's own affair.
check "program: error creating: ran as tmux -D -S SOCKET" "-D -S $F/s" \
    "$(cat "$F/errc.args")"
prog_error "lives a while, never listens" "$F/sleepy" 1
for p in $(cat "$F/sleepy.pids" 2>/dev/null); do
	SERVER_PIDS="$SERVER_PIDS $p"
done

# No fixed limit fails a server that is alive but slow to listen.
S=$T/slow/s
mkdir -p "$T/slow"
out=$(TMUX_SERVER_PROGRAM=$F/slow "$TIMEOUT" 60 "$TEST_TMUX" -S "$S" \
    -f /dev/null new -d -s slow \; display -p started 2>&1)
check "program: slow to listen: waited for" "0:started" "$?:$out"
track_server "$S" >/dev/null
"$REAL_TMUX" -S "$S" kill-server 2>/dev/null

# The client killed while its server starts: the server is still given
# exit-empty on, so with no session it exits as tmux's own would, rather
# than live on for ever with none; with -v, it leaves tmux's log files.
# The program holds tmux -D back until the client is dead, then becomes
# it; run otherwise (-V, or as a client) it is tmux.
cat >"$F/gated" <<EOF
#!/bin/sh
[ "\$1" = -D ] || exec "$REAL_TMUX" "\$@"
echo \$\$ >"$F/gated.pid"
i=0
while [ ! -e "$F/gate" ]; do
	# Not for ever if the test never opens the gate.
	i=\$((i + 1)); [ \$i -lt 6000 ] || exit 1
	sleep 0.01
done
exec "$REAL_TMUX" "\$@"
EOF
chmod +x "$F/gated"
# With a configuration that would keep it (a session, exit-empty off),
# it still exits: no client of ours identified, so, as with tmux's own,
# the configuration is never read.
printf 'set -s exit-empty off\nnew-session -d -s keep\n' >"$F/keep.conf"
for run in KILL TERM KILL:keep.conf; do
	sig=${run%%:*}
	conf=/dev/null
	[ "$run" = "$sig" ] || conf=$F/${run#*:}
	rm -f "$F/gated.pid" "$F/gate"
	G=$T/gated.$run
	mkdir -p "$G"
	(cd "$G" && TMUX_SERVER_PROGRAM=$F/gated exec "$TEST_TMUX" -v \
	    -S s -f "$conf" new -d -s g) &
	cpid=$!
	wait_until test -s "$F/gated.pid"
	p=$(cat "$F/gated.pid")
	SERVER_PIDS="$SERVER_PIDS $p"
	kill -"$sig" "$cpid"
	wait "$cpid" 2>/dev/null
	touch "$F/gate"
	wait_until gone "$p"
	check "program: client killed ($run) while it starts: the server \
exits" gone "$(gone "$p" && echo gone || echo "still running")"
	logs() { ls "$G" | sed -n 's/-[0-9]*[.]log$//p' | tr '\n' ' '; }
	wait_until [ "$(logs)" = "tmux-client tmux-server " ]
	check "program: client killed ($run) while it starts: tmux's log \
files" "tmux-client tmux-server " "$(logs)"
done

# The server program's stderr ends while we wait for its full backlog:
# one wait goes on (two once made the loop spin for ever), and the client
# ends with one line when the program has gone.
mkdir -p "$F/crowd"
(cd "$F/crowd" && CROWDED=$F/crowd TMUX_SERVER_PROGRAM=$F/crowded \
    $TIMEOUT -k 2 30 "$TEST_TMUX" -v -S "$F/crowd/s" new -d \
    >"$F/crowd.out" 2>&1)
rc=$?
for p in $(cat "$F/crowd/pids" 2>/dev/null); do
	SERVER_PIDS="$SERVER_PIDS $p"
done
check "program: stderr ends while the backlog is full: ends, one line" \
    "1:1" "$rc:$(wc -l <"$F/crowd.out" | tr -d ' ')"

# SIGTERM while the server program is asked its version: no program we
# ran outlives us, nor what it runs.
TMUX_SERVER_PROGRAM=$F/mute "$TEST_TMUX" -S "$T/mute" new -d \
    >"$F/mute.out" 2>&1 &
cpid=$!
wait_until [ "$(cat "$F/mute.pids" 2>/dev/null | wc -l)" -eq 2 ]
mpids=$(cat "$F/mute.pids")
SERVER_PIDS="$SERVER_PIDS $mpids"
kill "$cpid"
wait "$cpid"
check "program: SIGTERM while asking -V: status, output" "0:" \
    "$?:$(oneline "$F/mute.out")"
set -- program child
for p in $mpids; do
	wait_until gone "$p" &&
	    pass "program: SIGTERM while asking -V: the $1 ends" ||
	    fail "program: SIGTERM while asking -V: the $1 ends" "pid $p alive"
	shift
done

# SIGTERM and SIGHUP end a client waiting for its server to listen.
for sig in TERM HUP; do
	rm -f "$F/hang.pids"
	TMUX_SERVER_PROGRAM=$F/hang "$TEST_TMUX" -S "$T/hang$sig" new -d \
	    >"$F/hang.out" 2>&1 &
	cpid=$!
	wait_until test -s "$F/hang.pids"
	SERVER_PIDS="$SERVER_PIDS $(cat "$F/hang.pids")"
	kill -$sig "$cpid"
	WAIT_SECONDS=1 wait_until gone "$cpid" &&
	    pass "program: SIG$sig while the server starts: gone within 1 s" ||
	    fail "program: SIG$sig while the server starts: gone within 1 s" \
	    "pid $cpid alive"
	wait "$cpid" 2>/dev/null
	check "program: SIG$sig while the server starts: status, output" \
	    "0:" "$?:$(oneline "$F/hang.out")"
done

# Too few descriptors to ask or to start the server program, wherever
# the start runs out of them: one line with the reason, status 1.
for n in 5 6 7 8 9 10 11; do
	out=$(nofiles "$n" "$TEST_TMUX" -S "$T/nofd$n" -f /dev/null new -d 2>&1)
	rc=$?
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && case $out in
	*'(Too many open files)') out="one line with the reason" ;;
	esac
	check "$n descriptors: new -d says why" "1:one line with the reason" \
	    "$rc:$out"
done

# ---------------------------------------------------------------------------
# -V: the version of the server we would talk to, else the program's.

run_both "version: -V" /dev/null '"$TMUX_BIN" -V'
run_both "version: -S SOCKET -V" /dev/null '"$TMUX_BIN" -S "$D/s" -V'
run_both "version: -vV writes no log" /dev/null '"$TMUX_BIN" -vV; ls'
check "version: -V started no server" no \
    "$([ -e "$T/ours.$RUN_BOTH_N/s" ] && echo yes || echo no)"
check "version: no server: the server program's version" "tmux 3.1" \
    "$(TMUX_SERVER_PROGRAM=$F/old "$TEST_TMUX" -V 2>&1)"
check "version: no server, -S: the server program's version" "tmux 3.1" \
    "$(TMUX_SERVER_PROGRAM=$F/old "$TEST_TMUX" -S "$T/vs" -V 2>&1)"
# The program asked has none of our input: only the word that tells
# this client that it is being asked.
printf '#!/bin/sh\ncat >"%s"\necho "tmux 3.3a"\n' "$F/reader.in" \
    >"$F/reader"
chmod +x "$F/reader"
check "version: the program asked reads nothing of ours" \
    "tmux 3.3a:tmux-client-probe" \
    "$(echo input | TMUX_SERVER_PROGRAM=$F/reader "$TEST_TMUX" -S "$T/vs" \
    -V 2>&1):$(cat "$F/reader.in")"
# Before 3.4, tmux -V names itself as it was run.
printf '#!/bin/sh\necho "${0##*/} 2.9a"\n' >"$F/tmux-2.9a"
chmod +x "$F/tmux-2.9a"
check "version: no server, a program that names itself" "tmux 2.9a" \
    "$(TMUX_SERVER_PROGRAM=$F/tmux-2.9a "$TEST_TMUX" -S "$T/vs" -V 2>&1)"
"$REAL_TMUX" -f /dev/null new -d
SERVER_PIDS="$SERVER_PIDS $("$REAL_TMUX" display -p '#{pid}')"
check "version: server running: its version" "tmux 3.3a" \
    "$(TMUX_SERVER_PROGRAM=$F/old "$TEST_TMUX" -V 2>&1)"
"$REAL_TMUX" -S "$T/vs" -f /dev/null new -d
track_server "$T/vs" >/dev/null
check "version: server running, -S: its version" "tmux 3.3a" \
    "$(TMUX_SERVER_PROGRAM=$F/old "$TEST_TMUX" -S "$T/vs" -V 2>&1)"
"$REAL_TMUX" kill-server
"$REAL_TMUX" -S "$T/vs" kill-server
mkdir -p "$T/names"
cp "$TEST_TMUX" "$T/names/ours"
cp "$REAL_TMUX" "$T/names/real"
mkdir -p "$T/names/o"
cp "$TEST_TMUX" "$T/names/o/mytmux"
# Always tmux's "tmux X.Y" form (as 3.4+ print it), whatever our name:
# scripts parse it.
check "version: -V invoked as mytmux" "tmux $("$REAL_TMUX" -V | \
    sed 's/^tmux //')" "$("$T/names/o/mytmux" -V 2>&1)"

# ---------------------------------------------------------------------------
# Installed as "tmux" ahead of the real one in PATH: it must not run itself.

mkdir -p "$T/bin" "$T/lbin" "$T/inst"
cp "$TEST_TMUX" "$T/bin/tmux"
ln -s "$TEST_TMUX" "$T/lbin/tmux"
for variant in "copy:$T/bin:$PATH" "symlink:$T/lbin:$PATH" "alone:$T/bin"; do
	name=${variant%%:*}
	path=${variant#*:}
	S=$T/inst/$name
	PATH=$path "$TIMEOUT" 60 tmux -S "$S" new -d -s x \; display -p started \
	    >"$T/inst/$name.out" 2>&1
	rc=$?
	p=$(track_server "$S")
	track_sock "$S"
	check "installed ($name): new -d works" "0:started" \
	    "$rc:$(oneline "$T/inst/$name.out" | sed 's/|$//')"
	check "installed ($name): server is the real tmux" \
	    "$(readlink -f "$REAL_TMUX")" "$(readlink "/proc/$p/exe" 2>&1)"
	"$REAL_TMUX" -S "$S" kill-server 2>/dev/null
done

# PATH unset: the system's default path is searched, as by execvp; a tmux
# in the current directory is never run.
mkdir -p "$T/nopath"
printf '#!/bin/sh\necho "$*" >>ran\nexec "%s" "$@"\n' "$REAL_TMUX" \
    >"$T/nopath/tmux"
chmod +x "$T/nopath/tmux"
S=$T/nopath/s
(cd "$T/nopath" && "$TIMEOUT" 60 env -u PATH "$TEST_TMUX" -S "$S" \
    new -d -s x \; display -p started) >"$T/nopath.out" 2>&1
rc=$?
p=$(track_server "$S")
track_sock "$S"
check "PATH unset: new -d works" "0:started" \
    "$rc:$(oneline "$T/nopath.out" | sed 's/|$//')"
check "PATH unset: server is the real tmux" \
    "$(readlink -f "$REAL_TMUX")" "$(readlink "/proc/$p/exe" 2>&1)"
"$REAL_TMUX" -S "$S" kill-server 2>/dev/null
check "PATH unset: -V" "$("$REAL_TMUX" -V)" \
    "$(cd "$T/nopath" && env -u PATH "$TEST_TMUX" -S "$S.none" -V 2>&1)"
check "PATH unset: ./tmux never run" "" "$(cat "$T/nopath/ran" 2>/dev/null)"

# ---------------------------------------------------------------------------
# -D with no server: the real server runs in our place, in the foreground,
# with exit-empty off; against a running server -D is a new-session client.

S=$T/fg
"$TEST_TMUX" -S "$S" -f /dev/null -D </dev/null >"$T/fg.out" 2>&1 &
fgpid=$!
SERVER_PIDS="$SERVER_PIDS $fgpid"
wait_until test -S "$S"
check "-D: the process itself is the server" "$fgpid" \
    "$("$REAL_TMUX" -S "$S" display -p '#{pid}' 2>&1)"
check "-D: exit-empty off" "exit-empty off" \
    "$("$REAL_TMUX" -S "$S" show -s exit-empty 2>&1)"
"$REAL_TMUX" -S "$S" new -d -s one \; kill-session -t one
check "-D: still there with no session" "$fgpid" \
    "$("$REAL_TMUX" -S "$S" display -p '#{pid}' 2>&1)"
run_both "-D: against a running server" /dev/null \
    '"$TMUX_BIN" -S "'"$S"'" -D </dev/null'
"$REAL_TMUX" -S "$S" kill-server
wait "$fgpid"
check "-D: exits 0 with the server" 0 "$?"

exit 0
