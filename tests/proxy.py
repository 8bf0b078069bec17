#!/usr/bin/env python3
"""Record the conversations between a tmux client and a real server.

    proxy.py --listen PATH --server PATH --layout old|new --out FILE

Listens on PATH; for every client that connects, connects to the server's
socket and relays bytes both ways, descriptors (SCM_RIGHTS) included, each
forwarded with the same chunk of bytes it arrived with. The frames are
parsed in the given header layout and appended to FILE, one message a line,
in the format described in fakeserver.py. Environment and terminfo
messages are recorded as a count only.

Stops on SIGTERM or SIGINT, after the open connections have finished (or a
few seconds). Python 3 standard library only.
"""

import argparse
import os
import select
import signal
import socket
import sys
import threading

sys.dont_write_bytecode = True     # no __pycache__ in tests/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fakeserver as fs  # noqa: E402


class Recorder:
    def __init__(self, path, layout):
        self.f = open(path, 'a')
        self.layout = layout
        self.lock = threading.Lock()
        self.run = None         # pending redacted run: Message

    def _flush_run(self):
        if self.run is not None:
            self.f.write(self.run.line() + '\n')
            self.run = None

    def message(self, d, conn, mtype, fdinfo, payload):
        with self.lock:
            if d == 'C' and mtype in fs.REDACTED:
                r = self.run
                if r is not None and (r.dir, r.conn, r.type) == \
                        (d, conn, mtype):
                    r.count += 1
                    return
                self._flush_run()
                self.run = fs.Message(d, conn, mtype, fdinfo, b'', 1)
                return
            self._flush_run()
            pad = None
            if mtype in fs.OLDSTDIO and payload:
                payload, pad = fs.stdio_trim(payload)
            m = fs.Message(d, conn, mtype, fdinfo, payload, 1, pad)
            self.f.write(m.line() + '\n')
            self.f.flush()

    def comment(self, text):
        with self.lock:
            self._flush_run()
            self.f.write('# %s\n' % text)
            self.f.flush()

    def close(self):
        with self.lock:
            self._flush_run()
            self.f.close()


class Direction:
    """Bytes from src to dst, parsed for the record."""

    def __init__(self, rec, d, conn, src, dst):
        self.rec = rec
        self.d = d
        self.conn = conn
        self.src = src
        self.dst = dst
        self.buf = b''
        self.fdq = []           # "fd" / "fdtty" of descriptors not yet
                                # matched with a flagged message

    def run(self):
        try:
            while True:
                try:
                    data, fds = fs.recv_fds(self.src)
                except (ConnectionResetError, OSError):
                    data, fds = b'', []
                if not data:
                    for fd in fds:
                        os.close(fd)
                    break
                for fd in fds:
                    self.fdq.append('fdtty' if os.isatty(fd) else 'fd')
                # Record first: the other side may answer as soon as it
                # has the bytes, and the record must keep that order.
                self.parse(data)
                try:
                    fs.send_all(self.dst, data, fds)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    self.rec.comment('conn %d: %s side gone while relaying'
                                     % (self.conn, 'server' if self.d == 'C'
                                        else 'client'))
                    break
                finally:
                    for fd in fds:
                        os.close(fd)
        finally:
            who = 'client' if self.d == 'C' else 'server'
            self.rec.comment('conn %d: %s closed' % (self.conn, who))
            try:
                self.dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def parse(self, data):
        self.buf += data
        while len(self.buf) >= fs.HEADER:
            try:
                mtype, length, hasfd, _, _ = fs.parse_header(
                    self.rec.layout, self.buf)
            except fs.BadLength as e:
                self.rec.comment('conn %d: unparseable header, length %#x'
                                 % (self.conn, e.args[0]))
                self.buf = b''
                return
            if len(self.buf) < length:
                return
            payload = self.buf[fs.HEADER:length]
            self.buf = self.buf[length:]
            fdinfo = '-'
            if hasfd:
                fdinfo = self.fdq.pop(0) if self.fdq else 'fd?'
            self.rec.message(self.d, self.conn, mtype, fdinfo, payload)


def relay(rec, n, csock, ssock):
    both = [threading.Thread(target=Direction(rec, d, n, src, dst).run,
                             daemon=True)
            for d, src, dst in (('C', csock, ssock), ('S', ssock, csock))]
    for t in both:
        t.start()
    for t in both:
        t.join()
    csock.close()
    ssock.close()


def serve(args):
    rec = Recorder(args.out, args.layout)
    lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.unlink(args.listen)
    except OSError:
        pass
    lsock.bind(args.listen)
    lsock.listen(16)
    stop = threading.Event()
    threads = []

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    n = 0
    while not stop.is_set():
        try:
            r, _, _ = select.select([lsock], [], [], 0.2)
        except InterruptedError:
            continue
        if not r:
            continue
        csock, _ = lsock.accept()
        n += 1
        ssock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            ssock.connect(args.server)
        except OSError as e:
            rec.comment('conn %d: cannot connect to the server: %s' % (n, e))
            csock.close()
            ssock.close()
            continue
        t = threading.Thread(target=relay, args=(rec, n, csock, ssock),
                             daemon=True)
        t.start()
        threads.append(t)
    lsock.close()
    try:
        os.unlink(args.listen)
    except OSError:
        pass
    for t in threads:
        t.join(3)
    rec.close()
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--listen', required=True)
    p.add_argument('--server', required=True)
    p.add_argument('--layout', choices=('old', 'new'), required=True)
    p.add_argument('--out', required=True)
    return serve(p.parse_args())


if __name__ == '__main__':
    sys.exit(main())
