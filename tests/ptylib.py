"""Shared helpers for the pseudo-terminal tests (tests/t-attach, ...).

Everything runs in pseudo-terminals created here and against real tmux
servers on private sockets in a private directory; every server a test
starts is killed by pid at the end.

Run as a script, this file is the small "login shell" that sits in a pty:

    python3 ptylib.py STATUSFILE ARGV0 PROGRAM [ARGS...]

It becomes the session leader with the pty as controlling terminal, runs
PROGRAM (with argv[0] ARGV0) as a foreground job in a process group of its
own (as an interactive shell would, so job-control signals such as SIGTSTP
work), writes "pid N" and then "exit N" or "signal N" to STATUSFILE.
"""

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_TMUX = os.environ.get('TEST_TMUX') or os.path.join(HERE, '..', 'tmux')
TEST_TMUX = os.path.abspath(TEST_TMUX)
REAL_TMUX = os.environ.get('REAL_TMUX') or '/usr/bin/tmux'
CLIENTS = (('ours', TEST_TMUX), ('real', REAL_TMUX))

npass = 0
nfail = 0


def passed(name):
    global npass
    npass += 1
    print('PASS: %s' % name, flush=True)


def failed(name, why):
    global nfail
    nfail += 1
    why = str(why).replace('\n', '|')
    print('FAIL: %s: %s' % (name, why), flush=True)


def check(name, ok, why=''):
    if ok:
        passed(name)
    else:
        failed(name, why)
    return ok


def wait_until(fn, timeout=10.0, step=0.02):
    """Poll fn() until it returns something true or timeout passes."""
    end = time.monotonic() + timeout
    while True:
        r = fn()
        if r:
            return r
        if time.monotonic() >= end:
            return r
        time.sleep(step)


def proc_state(pid):
    """The state letter from /proc/PID/stat, or None."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            s = f.read()
    except OSError:
        return None
    return s[s.rindex(')') + 2]


def pid_alive(pid):
    st = proc_state(pid)
    return st is not None and st not in ('Z', 'X')


ESC_RE = re.compile(rb'\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|'
                    rb'P[^\x1b]*\x1b\\|[()*+#%][ -~]|[ -/]*[0-~])')


def strip_escapes(data):
    """Terminal output without escape sequences and other controls."""
    data = ESC_RE.sub(b'', data)
    data = re.sub(rb'[\x00-\x08\x0b-\x1f\x7f]', b'', data)
    return data.decode('utf-8', 'replace')


MSG_RE = re.compile(rb'\[([^\[\]\x1b\r\n]*)\]\r*\n$')


def exit_message(data):
    """The "[...]" line an attached client printed last, or None."""
    m = MSG_RE.search(data)
    return m.group(1).decode('utf-8', 'replace') if m else None


class Env:
    """A private directory, environment and the servers started in it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='tmuxpty.')
        self.env = dict(os.environ)
        for k in ('TMUX', 'TMUX_PANE'):
            self.env.pop(k, None)
        self.env.update({
            'TMUX_TMPDIR': self.dir,
            'HOME': self.dir,
            'TERM': 'xterm',
            'SHELL': '/bin/sh',
            'LANG': 'C.UTF-8',
            'ENV': '',
            'PS1': '$ ',
        })
        self.env.pop('LC_ALL', None)
        self.server_pids = set()
        self.n = 0

    def path(self, name):
        return os.path.join(self.dir, name)

    def sock(self, name=None):
        self.n += 1
        return self.path(name or ('s%d' % self.n))

    def tmux(self, sock, *args, env=None, binary=None, timeout=15):
        """Run a one-shot command with the real client: (rc, out, err)."""
        p = subprocess.run([binary or REAL_TMUX, '-S', sock] + list(args),
                           env=env or self.env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=timeout)
        return (p.returncode, p.stdout.decode('utf-8', 'replace'),
                p.stderr.decode('utf-8', 'replace'))

    def server_pid(self, sock):
        rc, out, _ = self.tmux(sock, 'display', '-p', '#{pid}')
        if rc == 0 and out.strip().isdigit():
            pid = int(out.strip())
            self.server_pids.add(pid)
            return pid
        return None

    def start_server(self, sock, session='main', config='/dev/null',
                     shell='/bin/sh', cols=80, rows=24, env=None,
                     prompt=True):
        """A real server with one detached session; returns its pid.
        Unless prompt is false, wait until the pane's shell has drawn its
        prompt, so that no pane output comes later to a client."""
        e = dict(env or self.env)
        e['SHELL'] = shell
        p = subprocess.run([REAL_TMUX, '-S', sock, '-f', config, 'new', '-d',
                            '-s', session, '-x', str(cols), '-y', str(rows)],
                           env=e, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=15)
        if p.returncode != 0:
            raise RuntimeError('cannot start server: %r' % p.stderr)
        pid = self.server_pid(sock)
        if pid is None:
            raise RuntimeError('cannot find server pid')
        if prompt and not self.wait_prompt(sock, session):
            raise RuntimeError('no prompt in the pane')
        return pid

    def wait_prompt(self, sock, target):
        """Wait until a pane shows a shell prompt (ending in $ or #)."""
        return wait_until(lambda: re.search(r'(?m)[$#] ?$', self.tmux(
            sock, 'capture-pane', '-p', '-t', target)[1]))

    def find_servers(self):
        """Pids of any process still using a socket in our directory (a
        server some client started on its own)."""
        pids = []
        needle = self.dir.encode()
        for d in os.listdir('/proc'):
            if not d.isdigit() or int(d) == os.getpid():
                continue
            try:
                with open('/proc/%s/cmdline' % d, 'rb') as f:
                    cmd = f.read()
            except OSError:
                continue
            if needle in cmd and b'ptylib.py' not in cmd:
                pids.append(int(d))
        return pids

    def kill_server(self, pid):
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        self.server_pids.discard(pid)

    def cleanup(self):
        for pid in list(self.server_pids) + self.find_servers():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.server_pids.clear()
        subprocess.run(['rm', '-rf', self.dir])


class PtyRun:
    """A program running in a new pseudo-terminal, under the wrapper."""

    def __init__(self, env, argv, argv0=None, cols=80, rows=24,
                 extra_env=None):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ,
                    struct.pack('HHHH', rows, cols, 0, 0))
        self.tty = os.ttyname(self.slave)
        self.before = termios.tcgetattr(self.slave)
        self.status_file = env.path('status.%d.%d' % (os.getpid(),
                                                      id(self)))
        e = dict(env.env)
        if extra_env:
            e.update(extra_env)
        self.out = bytearray()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), self.status_file,
             argv0 or argv[0]] + list(argv),
            stdin=self.slave, stdout=self.slave, stderr=self.slave,
            env=e, start_new_session=True, close_fds=True)
        self.thread = threading.Thread(target=self._reader, daemon=True)
        self.thread.start()
        self.pid = None
        self.status = None

    def _reader(self):
        while not self.stop.is_set():
            try:
                r, _, _ = select.select([self.master], [], [], 0.05)
            except (OSError, ValueError):
                return
            if not r:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.out += data

    def output(self):
        with self.lock:
            return bytes(self.out)

    def text(self):
        return strip_escapes(self.output())

    def write(self, data):
        if isinstance(data, str):
            data = data.encode()
        os.write(self.master, data)

    def wait_output(self, what, timeout=10.0):
        """Wait for bytes (or a compiled regex) in the raw output."""
        if isinstance(what, str):
            what = what.encode()
        if isinstance(what, bytes):
            return bool(wait_until(lambda: what in self.output(), timeout))
        return bool(wait_until(lambda: what.search(self.output()), timeout))

    def wait_text(self, what, timeout=10.0):
        """Wait for text in the output with escape sequences removed."""
        return bool(wait_until(lambda: what in self.text(), timeout))

    def _status(self):
        try:
            with open(self.status_file) as f:
                return f.read().split('\n')
        except OSError:
            return []

    def child_pid(self, timeout=10.0):
        """The pid of the program the wrapper started."""
        if self.pid is None:
            for line in wait_until(self._status, timeout) or []:
                if line.startswith('pid '):
                    self.pid = int(line[4:])
        return self.pid

    def wait_exit(self, timeout=10.0):
        """('exit', N) or ('signal', N) of the program, None on timeout;
        the wrapper itself killed by a signal gives ('wrapper-signal', N).
        """
        if self.status is not None:
            return self.status
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        for line in self._status():
            if line.startswith('exit ') or line.startswith('signal '):
                k, v = line.split()
                self.status = (k, int(v))
        if self.status is None:
            if rc < 0:
                self.status = ('wrapper-signal', -rc)
            else:
                self.status = ('wrapper-exit', rc)
        # Let the reader collect the last bytes.
        time.sleep(0.05)
        wait_until(lambda: not self._readable(), 2.0)
        return self.status

    def _readable(self):
        r, _, _ = select.select([self.master], [], [], 0)
        return bool(r)

    def nonblocking(self):
        """Whether the pty's open file description, which the program
        and the server share (it is the one passed as its stdio), is
        left in non-blocking mode."""
        return bool(fcntl.fcntl(self.slave, fcntl.F_GETFL) & os.O_NONBLOCK)

    def termios_now(self):
        return termios.tcgetattr(self.slave)

    def close(self):
        """Stop the wrapper and the program if still running."""
        for pid in (self.child_pid(0) if self.status is None else None,
                    self.proc.pid):
            if pid and self.proc.poll() is None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.stop.set()
        self.thread.join(2)
        os.close(self.master)
        os.close(self.slave)


def _wrapper(argv):
    status_file, argv0, prog = argv[:3]
    args = argv[3:]
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    pid = os.fork()
    if pid == 0:
        try:
            os.setpgid(0, 0)
            os.tcsetpgrp(0, os.getpid())
            for s in (signal.SIGTTOU, signal.SIGPIPE, signal.SIGINT,
                      signal.SIGXFSZ):
                signal.signal(s, signal.SIG_DFL)
            os.execv(prog, [argv0] + args)
        finally:
            os._exit(127)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    try:
        os.tcsetpgrp(0, pid)
    except OSError:
        pass
    with open(status_file + '.tmp', 'w') as f:
        f.write('pid %d\n' % pid)
    os.rename(status_file + '.tmp', status_file)
    while True:
        _, st = os.waitpid(pid, 0)
        if os.WIFEXITED(st) or os.WIFSIGNALED(st):
            break
    if os.WIFEXITED(st):
        line = 'exit %d' % os.WEXITSTATUS(st)
    else:
        line = 'signal %d' % os.WTERMSIG(st)
    with open(status_file + '.tmp', 'w') as f:
        f.write('pid %d\n%s\n' % (pid, line))
    os.rename(status_file + '.tmp', status_file)


if __name__ == '__main__':
    _wrapper(sys.argv[1:])
