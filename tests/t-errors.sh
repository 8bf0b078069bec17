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

# Error paths of the client, each compared with the real client: bad
# options, sockets that cannot be reached, unsafe socket directories and a
# server that dies while a command is running.

. "$(dirname "$0")/lib.sh"

export LANG=C.UTF-8
unset LC_ALL LC_CTYPE
cd "$T" || exit 1

# A stale socket: the server was killed, its socket file is left behind.
start_server "$T/stale" || { fail setup "no server"; exit 1; }
kill -9 $SERVER_PIDS
wait_until eval '! "$REAL_TMUX" -S "$T/stale" has' ||
    { fail setup "server still up"; exit 1; }
check stale-socket-left yes "$([ -S "$T/stale" ] && echo yes)"

long=$(printf '%120s' '' | tr ' ' L)
mkdir "$T/dir"
: >"$T/file"

# Directories for the socket-directory checks (TMUX_TMPDIR=$T/NAME, so
# the per-user directory is $T/NAME/tmux-UID).
uid=$(id -u)
for d in p0707 p0770 p0700 isfile link; do mkdir "$T/$d"; done
mkdir -m 0707 "$T/p0707/tmux-$uid"
mkdir -m 0770 "$T/p0770/tmux-$uid"
mkdir -m 0700 "$T/p0700/tmux-$uid"
: >"$T/isfile/tmux-$uid"
ln -s "$T/p0700/tmux-$uid" "$T/link/tmux-$uid"

while read -r name cmd; do
	case "$name" in ''|'#'*) continue ;; esac
	run_both "$name" /dev/null "$cmd"
done <<'EOF'
# Options. -V always prints "tmux X.Y" (tmux 3.4+'s form, which scripts
# parse), where 3.3a prints its own name: the sed makes the real one alike.
unknown-option	tm -x ls
unknown-colon	tm -: ls
missing-c	tm -c
missing-S	tm -S
missing-L	tm -L
missing-f	tm -f
missing-T	tm -T
option-d	tm -d ls
option-U	tm -U
option-h	tm -h
long-version	tm --version
dash-in-group	tm -S "$T/nosuch" -u- ls
dash-in-group-after	tm -S "$T/nosuch" -2-x ls
c-with-command	tm -c true ls
D-with-command	tm -D ls
version		tm -V
version-after-bad	tm -x -V
version-stops	tm -V -x
argv0-other	ln -sf "$TMUX_BIN" "$T/mytmux" && "$T/mytmux" -V | sed 's/^mytmux /tmux /'
argv0-login	ln -sf "$TMUX_BIN" "$T/-tmux" && "$T/-tmux" -V | sed 's/^-tmux /tmux /'
argv0-usage	ln -sf "$TMUX_BIN" "$T/mytmux" && "$T/mytmux" -x
# Sockets that cannot be reached.
stale		tm -S "$T/stale" ls
stale-has	tm -S "$T/stale" has -t x
stale-TMUX	(export TMUX="$T/stale,1,0"; tm ls)
version-stale	tm -S "$T/stale" -V
stale-N		tm -N -S "$T/stale" new -d
no-socket	tm -S "$T/nosuch" ls
no-socket-N	tm -N -S "$T/nosuch" start
no-socket-parse	tm -S "$T/nosuch" new -Q
socket-is-dir	tm -S "$T/dir" ls
socket-is-file	tm -S "$T/file" ls
socket-no-dir	tm -S "$T/nodir/sock" ls
long-S		tm -S "$T/$long" ls
long-S-start	tm -S "$T/$long" start
long-L		tm -L "$long" ls
long-L-start	tm -L "$long" new -d
# Socket directories.
dir-0707	TMUX_TMPDIR="$T/p0707" tm ls
dir-0707-start	TMUX_TMPDIR="$T/p0707" tm new -d
dir-0770	TMUX_TMPDIR="$T/p0770" tm ls
dir-0700	TMUX_TMPDIR="$T/p0700" tm -L lbl ls
dir-file	TMUX_TMPDIR="$T/isfile" tm ls
dir-link	TMUX_TMPDIR="$T/link" tm ls
dir-created	d=$(mktemp -d "$T/o.XXXXXX"); TMUX_TMPDIR="$d" tm ls 2>&1 | sed "s|$d|D|"; ls -ld "$d/tmux-$(id -u)" | cut -c1-10
dir-V		TMUX_TMPDIR="$T/p0707" tm -V
dir-V-file	TMUX_TMPDIR="$T/isfile" tm -V
TMUX-comma	(export TMUX=",1,0"; tm ls)
TMUX-nocomma	(export TMUX="$T/stale"; tm ls)
TMUX-L-wins	(export TMUX="$T/stale,1,0"; tm -L lbl ls)
label-slash	tm -L a/b ls
dir-S-wins	TMUX_TMPDIR="$T/p0707" tm -S "$T/nosuch" ls
EOF

# A command too long to send is refused before the server is sent
# anything: 3.3a's server dies when a control client leaves between its
# identify and its command.
start_server "$T/big" || fail setup "no server"
for n in 16360 20000; do
	run_both "-C, a command of $n bytes" /dev/null '
		echo | tm -S "$T/big" -C display -p \
		    "$(head -c '"$n"' /dev/zero | tr "\0" a)"'
	check "-C, a command of $n bytes: the server lives" 0 \
	    "$("$REAL_TMUX" -S "$T/big" has -t main; echo $?)"
done

# Too few descriptors to pass with the identify: said before the server
# is sent anything, for the same reason.
said=
for n in 6 7 8 9; do
	out=$(nofiles "$n" "$TEST_TMUX" -S "$T/big" -C attach -t main <&- 2>&1)
	rc=$?
	case $rc:$out in
	"1:cannot pass a descriptor (Too many open files)")
		said=yes ;;
	"1:error connecting to $T/big (Too many open files)"|0:*%exit) ;;
	*) fail "-C, $n descriptors" "$rc:$out" ;;
	esac
	check "-C, $n descriptors: the server lives" 0 \
	    "$("$REAL_TMUX" -S "$T/big" has -t main; echo $?)"
done
check "-C, too few descriptors to pass: said so" yes "$said"

# A directory owned by someone else needs root to arrange; a socket in a
# directory without search permission is reachable for root.
if [ "$uid" -eq 0 ]; then
	mkdir "$T/owner"
	mkdir -m 0700 "$T/owner/tmux-0"
	chown 1 "$T/owner/tmux-0"
	run_both dir-owner /dev/null 'TMUX_TMPDIR="$T/owner" tm ls'
	echo "SKIP: socket-eacces: root is never denied"
else
	echo "SKIP: dir-owner: needs root to chown"
	mkdir -m 0 "$T/noperm"
	run_both socket-eacces /dev/null 'tm -S "$T/noperm/s" ls'
fi

# The server dies while a command runs: the "run" job says when it has
# started, then the server is killed. Each client gets a fresh server.
# The real client's output is checked too, so that the comparison is not
# between two clients that never got that far.
cat >"$T/job.sh" <<EOF2
#!/bin/sh
"$REAL_TMUX" -S "\$1" wait -S started
exec "$REAL_TMUX" -S "\$1" wait never
EOF2
chmod +x "$T/job.sh"
fresh='"$REAL_TMUX" -S "$k" -f /dev/null new -d
	p=$("$REAL_TMUX" -S "$k" display -p "#{pid}")
	echo "$p" >>"$T/started"'
run_both server-killed /dev/null 'k=$T/k1
	'"$fresh"'
	{ timeout 20 "$REAL_TMUX" -S "$k" wait started; kill -9 "$p"; } &
	timeout 20 "$TMUX_BIN" -S "$k" run "$T/job.sh $k"
	echo "status $?"
	"$REAL_TMUX" -S "$k" wait -S started 2>/dev/null
	wait'
if grep -q 'server exited unexpectedly' "$T/real.err" &&
    grep -q 'status 1' "$T/real.out"; then
	pass server-killed-real
else
	fail server-killed-real "real client: $(cat "$T/real.err")"
fi
# A waiting client stops silently on SIGTERM, with status 0.
run_both sigterm-waiting /dev/null 'k=$T/k2
	'"$fresh"'
	"$TMUX_BIN" -S "$k" run "$T/job.sh $k" &
	timeout 20 "$REAL_TMUX" -S "$k" wait started
	echo "started $?"
	kill -TERM $!
	wait $!
	echo "status $?"
	kill -9 "$p"'
check sigterm-waiting-real "started 0" "$(grep 'started' "$T/real.out")"

# server-access (3.3+) as another user: refused, then read-only. Control
# mode probes first: a refusal there is the answer (talking on would make
# the 3.3a server crash when the client goes before its identify is
# done), and a read-only client, whose probe the server refuses, still
# speaks 3.3's dialect. Needs root and setpriv to be that other user.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	A=$T/access
	mkdir "$A"
	chmod 755 "$T" "$A"
	cp "$TEST_TMUX" "$A/ours"
	chmod 755 "$A/ours"
	start_server "$A/s"
	chmod 777 "$A/s"
	spid=$(track_server "$A/s")
	other() {
		printf 'display -p hi\n' | setpriv --reuid=65534 \
		    --regid=65534 --clear-groups env HOME=/tmp timeout 20 \
		    "$A/ours" -S "$A/s" -C attach 2>"$A/err"
	}
	out=$(other)
	check "access: refused, -C: %exit says why" \
	    "0:%exit access not allowed:" "$?:$out:$(cat "$A/err")"
	check "access: refused, -C: the server lives on" yes \
	    "$(alive "$spid" && echo yes || echo no)"
	"$REAL_TMUX" -S "$A/s" server-access -r -a nobody
	out=$(other)
	rc=$?
	# But for the command's %begin and %end and the notices (a window
	# may be renamed at any time).
	out=$(printf '%s\n' "$out" |
	    grep -v '^%begin \|^%end \|^%session\|^%window' |
	    tr '\n' '|')
	check "access: read-only, -C: the command ran" "0:hi|%exit|:" \
	    "$rc:$out:$(cat "$A/err")"
else
	echo "SKIP: access: another user's client needs root and setpriv"
fi

# Kill whatever server a misbehaving client may have started in $T.
for p in $(cat "$T/started" 2>/dev/null); do
	kill -9 "$p" 2>/dev/null
done
for s in $(find "$T" -type s 2>/dev/null); do
	track_server "$s" >/dev/null
done
