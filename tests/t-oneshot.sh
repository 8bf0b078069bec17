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

# One-shot commands against a real 3.3a server: each line of the corpus
# below is run with our client and with tmux's, and stdout, stderr and
# the exit status must be identical. In a line, "tm ARGS" runs the
# client under test on the private socket; anything else is plain sh.
# Nothing compared may differ between two runs (no pids, ttys, times).

. "$(dirname "$0")/lib.sh"

export LANG=C.UTF-8
unset LC_ALL LC_CTYPE

S=$T/s
start_server "$S" || { fail setup "server did not start"; exit 1; }

# A pane with known content, a small and a large buffer, a control client
# (so list-clients has something to list), files for source-file.
rt neww -d -t main:5 -n cap 'printf "hello\\nworld"; sleep 100'
wait_until eval 'rt capturep -p -t main:cap | grep -q world' ||
    { fail setup "pane not drawn"; exit 1; }
rt setb -b b1 'buffer one'
rt set -w -t main:cap @wopt 'window option'
seq -f 'line %05g of the big buffer' 0 4999 >"$T/big"
rt loadb -b big "$T/big"
mkfifo "$T/cin"
"$REAL_TMUX" -S "$S" -C attach -t main <"$T/cin" >/dev/null 2>&1 &
exec 3>"$T/cin"
wait_until eval '[ -n "$(rt lsc -F x)" ]' ||
    { fail setup "no control client"; exit 1; }
mkdir "$T/d"
printf 'display -p from-rel\nset -g @rel 1\n' >"$T/d/rel.conf"
printf 'display -p ok\nif {\n' >"$T/bad.conf"

# Arguments at the command size limits: "display" "-p" take 11 bytes.
word() { printf "%$1s" '' | tr ' ' x; }
W16364=$(word $((16364 - 11 - 1)))
W16365=$(word $((16365 - 11 - 1)))
W16380=$(word $((16380 - 11 - 1)))
W16381=$(word $((16381 - 11 - 1)))

while read -r name cmd; do
	case "$name" in ''|'#'*) continue ;; esac
	run_both "$name" /dev/null "$cmd"
done <<'EOF'
# Listing commands.
ls-F		tm ls -F '#{session_name}:#{session_windows}:#{session_attached}'
ls-f		tm ls -f '#{==:#{session_name},main}' -F '#{session_name}'
lsw-F		tm lsw -t main -F '#{window_index} #{window_name} #{window_panes} #{window_width}x#{window_height}'
lsw-a		tm lsw -a -F '#{session_name}:#{window_index}'
lsp-F		tm lsp -t main:cap -F '#{pane_index} #{pane_width}x#{pane_height} #{pane_dead}'
lsp-a		tm lsp -a -F '#{session_name}:#{window_index}.#{pane_index}'
lsc-F		tm lsc -F '#{client_session} #{client_control_mode} #{client_width}x#{client_height}'
lsb-F		tm lsb -F '#{buffer_name} #{buffer_size}'
lscm		tm lscm
lscm-F		tm lscm -F '#{command_list_name} #{command_list_alias}'
lscm-one	tm lscm new-window
lsk		tm lsk
lsk-T		tm lsk -T copy-mode-vi
lsk-N		tm lsk -N
lsk-T-root	tm lsk -T root
lsk-missing	tm lsk -T nosuch
# Options.
show-g		tm show -g
show-s		tm show -s
show-w		tm show -w -t main:cap
show-gv		tm show -gv status-left
show-missing	tm show -g nosuch-option
show-q		tm show -gq @nosuch \; display -p after
showw-g		tm showw -g
showenv-missing	tm showenv -g NOSUCHVAR
# Panes and sessions.
capture		tm capture-pane -p -t main:cap
capture-range	tm capturep -p -t main:cap -S 1 -E 1
has		tm has -t main \; display -p found
has-missing	tm has -t nosuch
display-fmt	tm display -p -t main:cap '#{session_name} #{window_index} #{pane_index} #{window_name} #{version}'
display-v	tm display -pv 'x#{session_name}'
display-missing	tm display -p -t nosuch x
# Parse errors reported by the server.
unknown-cmd	tm foo
unknown-flag	tm ls -Q
unknown-flag2	tm neww -y
invalid-flag	tm ls -%
ambiguous	tm lis
ambiguous2	tm kill-s
too-few-args	tm rename-window
too-many-args	tm has extra
missing-value	tm lsp -t main:cap -F
# Command lists.
list-2		tm display -p one \; display -p two
list-err	tm display -p one \; has -t nosuch \; display -p three
list-parse-err	tm display -p one \; foo
list-empty	tm \; display -p x \;
list-literal	tm display -p 'a\;' \; display -p 'b\;c'
# Creating and killing with -P -F.
neww-PF		tm neww -d -t main:7 -n tmp -P -F '#{session_name}:#{window_index}.#{pane_index} #{window_name}' 'sleep 100' \; killw -t main:7
splitw-PF	tm splitw -d -t main:cap -P -F '#{window_index}.#{pane_index}' 'sleep 100' \; killp -t main:cap.1
splitp-alias	tm splitp -d -t main:cap -P 'sleep 100' \; killp -t main:cap.1
new-PF		tm new -d -s tmp -x 20 -y 5 -P -F '#{session_name} #{window_width}x#{window_height}' \; kill-session -t tmp
new-cwd		cd "$T/d" && tm new -d -s cwd -P -F '#{session_path}' \; kill-session -t cwd
new-env		(export DISPLAY=:42; tm new -d -s env \; showenv -t env DISPLAY \; kill-session -t env)
new-env-noepoll	(export EVENT_NOEPOLL=1; tm new -d -s env; tm showenv -t env EVENT_NOEPOLL; tm kill-session -t env)
# Buffers.
setb-showb	tm setb -b t1 'hello world' \; showb -b t1 \; deleteb -b t1
setb-append	tm setb -b t2 abc \; setb -a -b t2 def \; showb -b t2 \; deleteb -b t2
showb-missing	tm showb -b nosuch
deleteb-missing	tm deleteb -b nosuch
saveb-twice	tm saveb -b b1 - \; saveb -b b1 -
big-showb	tm showb -b big
big-saveb	tm saveb -b big -
big-head	{ tm showb -b big; echo "rc=$?" >&2; } | head -c1
lsk-head	{ tm lsk; echo "rc=$?" >&2; } | head -c 100
fd-reuse	tm display -p a \; saveb -b b1 -
# Shell commands, conditions, channels, files.
run-fail	tm run 'exit 3'
run-ok		tm run true \; display -p after
run-bg		tm run -b 'exit 3' \; display -p after
run-C		tm run -C 'display -p from-run'
if-true		tm if true 'display -p yes' 'display -p no'
if-false	tm if false 'display -p yes' 'display -p no'
if-F		tm if -F '#{==:a,a}' 'display -p equal'
wait-S		tm wait -S chan1 \; wait chan1 \; display -p woken
wait-bg		tm wait chan2 & wait_until has_open $! 'socket:*'; "$REAL_TMUX" -S "$S" wait -S chan2; wait $!; echo "waited $?"
wait-LU		tm wait -L lock1 \; wait -U lock1 \; display -p unlocked
source-missing	tm source-file /nonexistent/dir/file.conf
source-q	tm source-file -q /nonexistent/dir/file.conf \; display -p after
source-rel	cd "$T/d" && tm source-file rel.conf \; show -gv @rel
source-bad	tm source-file "$T/bad.conf"
# UTF-8: the client flag decides whether the server sends non-ASCII.
utf8		tm display -p 'héllo ✓ #{=3:#{l:éèê€}}'
utf8-C		(export LANG=C; tm display -p 'héllo ✓')
utf8-C-u	(export LANG=C; tm -u display -p 'héllo ✓')
utf8-C-TMUX	(export LANG=C TMUX=; tm display -p 'héllo ✓')
utf8-LC_ALL	(export LC_ALL=C; tm display -p 'héllo ✓')
utf8-LC_CTYPE	(export LANG=C LC_CTYPE=en_US.utf8; tm display -p 'héllo ✓')
# Size limits of MSG_COMMAND.
size-16364	tm display -p "$W16364"
size-16365	tm display -p "$W16365"
size-16380	tm display -p "$W16380"
size-16381	tm display -p "$W16381"
# From inside a session of this server ($TMUX names its socket): 3.3a
# decides in the server, where 1.7 to 2.0's clients refuse (t-replay).
nested-new	(export TMUX="$S,1,0"; tm new -d -s nest \; display -p made \; kill-session -t nest)
nested-attach	(export TMUX="$S,1,0"; tm attach -t main)
# Client options with a running server.
opts		tm -2 -q -N -T RGB,sync -f /nonexistent display -p opts
dashdash	tm -- display -p dashdash
no-command	tm
attach		tm attach
new-noterm	tm new
start		tm start \; display -p started
# -c: the command inherits no descriptor but 0-2 (3 and up are open here).
shell-fds	SHELL=/bin/sh tm -c 'exec ls /proc/self/fd' 7</dev/null 8>/dev/null
EOF

# What ps calls a client while it waits: tmux's name for it (Linux's
# comm; make PORTABLE=1 sets none).
for b in "$REAL_TMUX" "$TEST_TMUX"; do
	"$b" -S "$S" wait-for t-oneshot-name &
	p=$!
	wait_until has_open "$p" 'socket:*'
	name=$(cat "/proc/$p/comm")
	rt wait-for -S t-oneshot-name
	wait "$p"
	[ "$b" = "$REAL_TMUX" ] && want=$name
done
[ -n "$PORTABLE" ] && [ "$PORTABLE" != 0 ] && want=tmux
check "process name" "$want" "$name"

# stdout and stderr, non-blocking or blocking when the client starts, are
# blocking when it leaves, as tmux's leaves them.
modes_after() {
	python3 - "$@" <<'EOF'
import fcntl, os, subprocess, sys
for mode in (os.O_NONBLOCK, 0):
    r, w = os.pipe()
    e = os.dup(w)
    fcntl.fcntl(w, fcntl.F_SETFL, mode)
    subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=w, stderr=e)
    print('nonblocking' if fcntl.fcntl(w, fcntl.F_GETFL) & os.O_NONBLOCK
          else 'blocking', end=' ')
EOF
}
check "stdout and stderr modes after" \
    "$(modes_after "$REAL_TMUX" -S "$S" display -p hi)" \
    "$(modes_after "$TEST_TMUX" -S "$S" display -p hi)"
