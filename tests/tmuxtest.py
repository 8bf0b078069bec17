#!/usr/bin/env python3
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

"""What the Python tests share (t-attach, t-hostile, t-replay, and the
fakeserver.py and proxy.py executables):

* reporting: one "PASS: name" or "FAIL: name: why" line per check, a
  bounded wait_until, and done() for the script's exit status (1 if a
  check failed);
* the wire: imsg frames in both header layouts, descriptor passing, the
  probe commands our client sends (PROBE_FORMAT and PROBE7_ARGV, defined
  only here), protocol 7's numbers and structures (tmux 1.7 and 1.8);
* recordings of real conversations (tests/recordings) and the fake
  server that replays them (FakeServer, run by fakeserver.py);
* scripted servers for hostile cases (ScriptedServer);
* the recording proxy (run by proxy.py for tests/record.sh);
* the pty driver: programs in new pseudo-terminals (PtyRun) and a private
  directory with real servers on private sockets, killed by pid (Env).

Run as a script, this file is the small "login shell" PtyRun puts in a
pty:

    python3 tmuxtest.py STATUSFILE ARGV0 PROGRAM [ARGS...]

It becomes the session leader with the pty as controlling terminal, runs
PROGRAM (with argv[0] ARGV0) as a foreground job in a process group of its
own (as an interactive shell would, so job-control signals such as SIGTSTP
work), writes "pid N" and then "exit N" or "signal N" to STATUSFILE.

Python 3 standard library only.
"""

import argparse
import array
import fcntl
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_TMUX = os.path.abspath(os.environ.get('TEST_TMUX') or
                            os.path.join(HERE, '..', 'tmux'))
REAL_TMUX = os.environ.get('REAL_TMUX') or '/usr/bin/tmux'
CLIENTS = (('ours', TEST_TMUX), ('real', REAL_TMUX))
# How long a server that reads nothing, uses no CPU and is not stopped is
# waited for (peer.c).
PEER_DEAF_SECONDS = 10


# ---------------------------------------------------------------------------
# Reporting

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
    """Poll fn() until it returns something true or timeout passes; what
    it returned last."""
    end = time.monotonic() + timeout
    while True:
        r = fn()
        if r:
            return r
        if time.monotonic() >= end:
            return r
        time.sleep(step)


def open_fds(pid):
    """What a process has open, one readlink a descriptor ([] once it
    has gone)."""
    d = '/proc/%d/fd' % pid
    try:
        names = os.listdir(d)
    except OSError:
        return []
    out = []
    for n in names:
        try:
            out.append(os.readlink(os.path.join(d, n)))
        except OSError:
            pass
    return out


def done():
    """End the script: status 1 if any check failed."""
    sys.exit(1 if nfail else 0)


# ---------------------------------------------------------------------------
# The wire

HEADER = 16
MAX_IMSGSIZE = 16384
PROTOCOL_VERSION = 8
OLD_HASFD = 0x1
NEW_FDMARK = 0x80000000
READ_SIZE = 65535

NAMES = {
    12: 'VERSION',
    100: 'IDENTIFY_FLAGS', 101: 'IDENTIFY_TERM', 102: 'IDENTIFY_TTYNAME',
    103: 'IDENTIFY_OLDCWD', 104: 'IDENTIFY_STDIN', 105: 'IDENTIFY_ENVIRON',
    106: 'IDENTIFY_DONE', 107: 'IDENTIFY_CLIENTPID', 108: 'IDENTIFY_CWD',
    109: 'IDENTIFY_FEATURES', 110: 'IDENTIFY_STDOUT',
    111: 'IDENTIFY_LONGFLAGS', 112: 'IDENTIFY_TERMINFO',
    200: 'COMMAND', 201: 'DETACH', 202: 'DETACHKILL', 203: 'EXIT',
    204: 'EXITED', 205: 'EXITING', 206: 'LOCK', 207: 'READY', 208: 'RESIZE',
    209: 'SHELL', 210: 'SHUTDOWN', 211: 'STDERR', 212: 'STDIN',
    213: 'STDOUT', 214: 'SUSPEND', 215: 'UNLOCK', 216: 'WAKEUP', 217: 'EXEC',
    218: 'FLAGS',
    300: 'READ_OPEN', 301: 'READ', 302: 'READ_DONE', 303: 'WRITE_OPEN',
    304: 'WRITE', 305: 'WRITE_READY', 306: 'WRITE_CLOSE', 307: 'READ_CANCEL',
}

# Messages kept out of recordings: long and machine-specific.
REDACTED = (105, 112)
# Old stdio structures: a ssize_t count, then BUFSIZ bytes of which only
# the counted ones mean anything (the rest is uninitialised memory).
OLDSTDIO = (211, 212, 213)

PROBE_FORMAT = ('#{version}|#{socket_path}|#{pid}|#{active_window_index}|'
                '#{sixel_support}')
PROBE_ARGV = ['display-message', '-p', PROBE_FORMAT]

# Protocol 7 (tmux 1.7, 1.8): the same header as 1.9-3.5a, peerid 7, its
# own types and fixed-size structures. Recordings keep its numbers; the
# fake server maps them to ours (MAP7) at the wire.
PROTOCOL_OLD = 7
NAMES7 = {
    0: 'COMMAND', 1: 'DETACH', 2: 'ERROR', 3: 'EXIT', 4: 'EXITED',
    5: 'EXITING', 6: 'IDENTIFY', 7: 'STDIN', 8: 'READY', 9: 'RESIZE',
    10: 'SHUTDOWN', 11: 'SUSPEND', 12: 'VERSION', 13: 'WAKEUP',
    14: 'ENVIRON', 15: 'UNLOCK', 16: 'LOCK', 17: 'SHELL', 18: 'STDERR',
    19: 'STDOUT', 20: 'DETACHKILL',
}
IDENTIFY7 = 199                 # ours for its one identify structure
NAMES[IDENTIFY7] = 'IDENTIFY'
MAP7 = {0: 200, 1: 201, 3: 203, 4: 204, 5: 205, 6: IDENTIFY7, 7: 212,
        8: 207, 9: 208, 10: 210, 11: 214, 12: 12, 13: 216, 14: 105,
        15: 215, 16: 206, 17: 209, 18: 211, 19: 213, 20: 202}
UNMAP7 = {ours: wire for wire, ours in MAP7.items()}
# What a 1.7 or 1.8 server takes from a client, with the exact size it
# insists on (None: its stdio record size); anything else ends the server.
CLIENT7 = {0: 12 + 2048, 5: 0, 6: 4096 + 128 + 4, 7: None, 9: 0, 13: 0,
           14: 1024, 15: 0, 17: 0}
# Its identify flags (the structure ends with them).
IDENTIFY7_FLAGS = {'UTF8': 0x1, '256COLOURS': 0x2, 'CONTROL': 0x8,
                   'TERMIOS': 0x10}
# What our probe asks a protocol-7 server, with no identify (probe.c).
PROBE7_ARGV = ['show-options', '-s', 'quiet']


def command7(payload):
    """Protocol 7's MSG_COMMAND structure -> (pid, session, argv), or
    None if it is not one."""
    if len(payload) != CLIENT7[0]:
        return None
    pid, session, argc = struct.unpack_from('<iii', payload)
    words = payload[12:].split(b'\0')
    if argc < 0 or len(words) <= argc:
        return None
    return pid, session, [w.decode('utf-8', 'surrogateescape')
                          for w in words[:argc]]


def identify7(payload):
    """Protocol 7's MSG_IDENTIFY structure -> (cwd, term, flags)."""
    cwd = payload[:4096].split(b'\0', 1)[0]
    term = payload[4096:4224].split(b'\0', 1)[0]
    return cwd, term, struct.unpack_from('<i', payload, 4224)[0]


def command_payload(argv):
    """Our MSG_COMMAND payload for argv."""
    return struct.pack('<i', len(argv)) + b''.join(
        a.encode('utf-8', 'surrogateescape') + b'\0' for a in argv)


def version_tuple(v):
    """"3.3a" -> (3, 3, 1); "1.9" -> (1, 9, 0)."""
    major, rest = v.split('.', 1)
    minor = ''.join(ch for ch in rest if ch.isdigit())
    letter = ''.join(ch for ch in rest if ch.isalpha())
    return (int(major), int(minor), ord(letter[0]) - ord('a') + 1
            if letter else 0)


def layout_of(version):
    return 'new' if version_tuple(version) >= (3, 6, 0) else 'old'


# ---------------------------------------------------------------------------
# Frames


class BadLength(Exception):
    """A header whose length no receiver accepts."""


def make_header(layout, mtype, length, hasfd=False, extra_flags=0,
                peerid=PROTOCOL_VERSION):
    if layout == 'old':
        flags = (OLD_HASFD if hasfd else 0) | extra_flags
        return struct.pack('<IHHII', mtype, length, flags, peerid,
                           0xFFFFFFFF)
    return struct.pack('<IIII', mtype, length | (NEW_FDMARK if hasfd else 0),
                       peerid, 0xFFFFFFFF)


def frame(layout, mtype, payload=b'', peerid=PROTOCOL_VERSION, length=None):
    """A message; length (in the header) may lie."""
    if length is None:
        length = HEADER + len(payload)
    return make_header(layout, mtype, length, peerid=peerid) + payload


def parse_header(layout, buf, off=0):
    """(type, total length, fd flag, other flag bits, peerid)."""
    if layout == 'old':
        mtype, length, flags, peerid, _ = struct.unpack_from('<IHHII', buf,
                                                             off)
        hasfd = bool(flags & OLD_HASFD)
        extra = flags & ~OLD_HASFD
    else:
        mtype, v32, peerid, _ = struct.unpack_from('<IIII', buf, off)
        length = v32 & ~NEW_FDMARK
        hasfd = bool(v32 & NEW_FDMARK)
        extra = 0
    if length < HEADER or length > MAX_IMSGSIZE:
        raise BadLength(length if layout == 'old' else
                        struct.unpack_from('<I', buf, off + 4)[0])
    return mtype, length, hasfd, extra, peerid


def recv_fds(sock, size=READ_SIZE):
    """One recvmsg: (data, [fds])."""
    data, anc, _, _ = sock.recvmsg(size, socket.CMSG_SPACE(16 * 4),
                                   getattr(socket, 'MSG_CMSG_CLOEXEC', 0))
    fds = []
    for level, ctype, cdata in anc:
        if level == socket.SOL_SOCKET and ctype == socket.SCM_RIGHTS:
            a = array.array('i')
            a.frombytes(cdata[:len(cdata) - len(cdata) % a.itemsize])
            fds.extend(a)
    return data, fds


def send_all(sock, data, fds=()):
    """Send data, the descriptors riding on the first sendmsg."""
    anc = []
    if fds:
        anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                array.array('i', fds).tobytes())]
    while data or anc:
        n = sock.sendmsg([data], anc)
        data = data[n:]
        anc = []


def command_argv(payload):
    """MSG_COMMAND payload -> argv list, or None if malformed."""
    if len(payload) < 4:
        return None
    argc = struct.unpack_from('<i', payload)[0]
    rest = payload[4:]
    if argc == 0:
        return []
    if not rest or rest[-1] != 0 or argc < 0:
        return None
    words = rest[:-1].split(b'\0')
    if len(words) != argc:
        return None
    return [w.decode('utf-8', 'surrogateescape') for w in words]




# ---------------------------------------------------------------------------
# Recordings
#
# A recording is text. Comment lines ("# key: JSON value") carry what the
# test needs besides the messages: version, layout, scenario, argv, stdin,
# tty, and the real client's stdout, stderr and status. Every other
# non-empty line is one message:
#
#     DIR+CONN TYPE FD PAYLOAD [pad=N] [# NAME]
#
# DIR is C (client to server) or S, CONN the connection number in order of
# acceptance. FD is "-", "fd" (the flagged message carried a descriptor),
# "fdtty" (... that was a terminal) or "fd?" (flagged, no descriptor).
# PAYLOAD is hex, "-" if empty, or "redacted:N" for N consecutive messages
# of a redacted type (environment, terminfo). "pad=N": the payload is an
# old stdio structure of N bytes of which only the hex part is meaningful;
# the rest is sent as zeros.


class Message:
    __slots__ = ('dir', 'conn', 'type', 'fd', 'payload', 'count', 'pad',
                 'ids')

    def __init__(self, d, conn, mtype, fd='-', payload=b'', count=1,
                 pad=None):
        self.dir = d
        self.conn = conn
        self.type = mtype
        self.fd = fd
        self.payload = payload
        self.count = count      # > 1 or 0 only for redacted runs
        self.pad = pad
        self.ids = None         # protocol 7 COMMAND: (pid, session)

    def full_payload(self):
        if self.pad is not None and len(self.payload) < self.pad:
            return self.payload + b'\0' * (self.pad - len(self.payload))
        return self.payload

    def line(self, names=NAMES, redacted=REDACTED):
        """The recording's line, with the names and redacted types of
        the message's protocol."""
        if self.type in redacted and self.dir == 'C':
            data = 'redacted:%d' % self.count
        elif self.payload:
            data = self.payload.hex()
        else:
            data = '-'
        s = '%s%d %d %s %s' % (self.dir, self.conn, self.type, self.fd, data)
        if self.pad is not None:
            s += ' pad=%d' % self.pad
        return s + '  # ' + names.get(self.type, '?')


def stdio_trim(payload):
    """(meaningful prefix, pad length) of an old stdio structure."""
    if len(payload) < 8:
        return payload, None
    size = struct.unpack_from('<q', payload)[0]
    keep = 8 + max(0, min(size, len(payload) - 8))
    return payload[:keep], len(payload)


class Recording:
    def __init__(self, path):
        self.path = path
        self.meta = {}
        self.messages = []
        with open(path) as f:
            for lineno, line in enumerate(f, 1):
                line = line.rstrip('\n')
                if not line.strip():
                    continue
                if line.startswith('#'):
                    body = line[1:].strip()
                    if ':' in body:
                        key, val = body.split(':', 1)
                        try:
                            self.meta[key.strip()] = json.loads(val)
                        except ValueError:
                            pass
                    continue
                try:
                    self.messages.append(self._parse(line))
                except (ValueError, IndexError) as e:
                    raise ValueError('%s:%d: bad line (%s)' %
                                     (path, lineno, e))
        self.version = self.meta.get('version', '')
        self.layout = self.meta.get('layout') or layout_of(self.version)
        self.argv = self.meta.get('argv')
        self.protocol = self.meta.get('protocol', PROTOCOL_VERSION)
        if self.protocol == PROTOCOL_OLD and 'client' not in self.meta:
            for m in self.messages:
                self._ours(m)

    @staticmethod
    def _ours(m):
        """A protocol-7 message in our numbers, its command as ours."""
        if m.type not in MAP7:
            raise ValueError('protocol 7 has no message %d' % m.type)
        if m.dir == 'C' and m.type == 0:
            c = command7(m.full_payload())
            if c is None:
                raise ValueError('bad protocol 7 COMMAND')
            m.ids, m.payload, m.pad = c[:2], command_payload(c[2]), None
        m.type = MAP7[m.type]

    @staticmethod
    def _parse(line):
        tokens = line.split('#', 1)[0].split()
        d, conn = tokens[0][0], int(tokens[0][1:])
        if d not in 'CS':
            raise ValueError('direction')
        mtype = int(tokens[1])
        fd = tokens[2]
        if fd not in ('-', 'fd', 'fdtty', 'fd?'):
            raise ValueError('fd field')
        data = tokens[3]
        count = 1
        if data.startswith('redacted:'):
            count = int(data.split(':', 1)[1])
            payload = b''
        elif data == '-':
            payload = b''
        else:
            payload = bytes.fromhex(data)
        pad = None
        for t in tokens[4:]:
            if t.startswith('pad='):
                pad = int(t[4:])
        return Message(d, conn, mtype, fd, payload, count, pad)

    def text(self, key):
        v = self.meta.get(key)
        return b'' if v is None else v.encode('utf-8', 'surrogateescape')

    def conversations(self):
        """{conn: [messages]} in order."""
        convs = {}
        for m in self.messages:
            convs.setdefault(m.conn, []).append(m)
        return convs


class Conversation:
    """One recorded connection, split for replay."""

    def __init__(self, msgs):
        self.pre = []           # server messages before the command
        self.identify = []      # client messages up to the command
        self.command = None
        self.steps = []         # what follows the command, grouped
        rest = []
        for m in msgs:
            if self.command is None:
                if m.dir == 'S':
                    self.pre.append(m)
                else:
                    self.identify.append(m)
                    if m.type in (200, 209):
                        self.command = m
            else:
                rest.append(m)
        self.argv = None
        if self.command is not None and self.command.type == 200:
            self.argv = command_argv(self.command.payload)
        self.steps = self._group(rest)

    @staticmethod
    def _group(msgs):
        """Runs of client MSG_READ (one stream) + READ_DONE, and runs of
        old MSG_STDIN records, become one step each: the client may cut
        its input in other pieces."""
        steps = []
        i = 0
        while i < len(msgs):
            m = msgs[i]
            if m.dir == 'C' and m.type in (301, 302):
                stream = m.payload[:4]
                data = b''
                j = i
                while (j < len(msgs) and msgs[j].dir == 'C' and
                       msgs[j].type == 301 and msgs[j].payload[:4] == stream):
                    data += msgs[j].payload[4:]
                    j += 1
                end = None
                if (j < len(msgs) and msgs[j].dir == 'C' and
                        msgs[j].type == 302 and
                        msgs[j].payload[:4] == stream):
                    end = msgs[j]
                    j += 1
                steps.append(('read', stream, data, end))
                i = j
                continue
            if m.dir == 'C' and m.type == 212:
                data = b''
                size = len(m.full_payload())
                j = i
                end = None
                while (j < len(msgs) and msgs[j].dir == 'C' and
                       msgs[j].type == 212):
                    p = msgs[j].full_payload()
                    n = struct.unpack_from('<q', p)[0] if len(p) >= 8 else 0
                    j += 1
                    if n <= 0:
                        end = n
                        break
                    data += p[8:8 + n]
                steps.append(('stdin', size, data, end))
                i = j
                continue
            steps.append(('S' if m.dir == 'S' else 'C', m))
            i += 1
        return steps


# ---------------------------------------------------------------------------
# The replaying fake server (fakeserver.py)
#
# FakeServer listens on a socket. Every connection is handled as a real
# server of the recording's version would handle it, as far as a client
# can tell:
#
# * frames are parsed in the recording's header layout (doc/protocol.md 2.2);
#   for protocol 7 (1.7, 1.8) in its numbers, translated to ours; the first
#   message whose peerid is not 7 is answered with MSG_VERSION and the
#   connection closed, as those servers do, and a descriptor that came in
#   the same read is a violation (they keep it for ever); what would end
#   such a server (an unknown type, a wrong size, an identify without a
#   descriptor) is a violation too;
#   with the new layout a header whose length is below 16 or above 16384
#   drops the connection at once (what 3.6+ do to the layout probe), with
#   the old layout unused flag bits are ignored; descriptors are matched to
#   flagged messages as that layout's receivers match them (2.4);
# * the identify messages are collected until IDENTIFY_DONE and checked
#   against what that version needs and consumes (sizes, NUL terminators,
#   which messages may carry a descriptor, TTYNAME, types 103/104 for
#   1.9-2.1, a terminal on IDENTIFY_STDIN where the recorded client had
#   one, ...);
# * the identify is also compared with the recorded client's: effective
#   flags, TERM, cwd, features, client pid (against SO_PEERCRED);
# * once MSG_COMMAND (or MSG_SHELL) arrives, the recorded conversation
#   with the same argv is replayed: recorded server messages are sent in
#   order, and where the recording has client messages the client must
#   send the same, in the same order per stream (stdin data is compared in
#   total, as the client may cut it differently; old MSG_STDIN records by
#   size too);
# * server messages the recording shows before the command (a 3.3+
#   refusal) are sent as soon as the connection is accepted;
# * for a 3.2+ control client, the server's own I/O on the passed fds is
#   played too: the commands are read from the client's stdin fd and
#   compared, the recorded control output is written to its stdout fd.
#
# A probe recording (the real client running the probe command) answers
# the probe connections of our client. The server stops when its control
# input reaches end of file (or after its timeout), prints what it saw, one
# "violation: ..." line per protocol violation, and returns 0 if there
# were none and the recorded conversation was played to its end, 1
# otherwise.
#
# What each version consumes


class Version:
    def __init__(self, name):
        self.name = name
        self.v = version_tuple(name)

    def ge(self, *v):
        return self.v >= v

    def fd_types(self):
        """Identify messages whose descriptor this server takes."""
        if not self.ge(2, 2):
            return (103, 104)
        if not self.ge(3, 2):
            return (104,)
        return (104, 110)

    def identify_types(self):
        """Identify types the server knows (fatal after DONE)."""
        t = set(range(100, 107))
        if self.ge(2, 1):
            t.add(107)
        if self.ge(2, 2):
            t.add(108)
        if self.ge(3, 2):
            t.update((109, 110, 111, 112))
        return t


# Commands of 1.9-2.1 that work in the client's directory, which those
# servers learn only from the descriptor on type 103: name, alias, index
# of a path argument for which "-" means stdin/stdout instead.
CWD_COMMANDS_19 = {
    'new-session': None, 'new': None, 'new-window': None, 'neww': None,
    'split-window': None, 'splitw': None,
    'load-buffer': -1, 'loadb': -1, 'save-buffer': -1, 'saveb': -1,
}
CWD_COMMANDS_21 = dict(CWD_COMMANDS_19, **{
    'run-shell': None, 'run': None, 'if-shell': None, 'if': None})


def uses_cwd(version, argv):
    """Does this command line need the client's directory?"""
    table = CWD_COMMANDS_21 if version.ge(2, 1) else CWD_COMMANDS_19
    cmds, cur = [], []
    for word in argv or []:
        if word == ';':
            cmds.append(cur)
            cur = []
        elif word.endswith(';') and not word.endswith('\\;'):
            cur.append(word[:-1])
            cmds.append(cur)
            cur = []
        else:
            cur.append(word)
    cmds.append(cur)
    for words in cmds:
        if not words or words[0] not in table:
            continue
        path = table[words[0]]
        if path is None or (len(words) > 1 and words[path] != '-'):
            return True
    return False


# Payload rules of the identify messages (doc/protocol.md 4.2).
FIXED_SIZE = {100: 4, 103: 0, 104: 0, 106: 0, 107: 4, 109: 4, 110: 0,
              111: 8}
STRINGS = (101, 102, 105, 108, 112)
# Other client messages with a fixed size.
CLIENT_FIXED = {205: 0, 208: 0, 209: 0, 215: 0, 216: 0, 302: 8, 305: 8}


# ---------------------------------------------------------------------------
# The server


# How long a protocol-7 fake server waits before its first read.
FIRST_READ_DELAY = 0.05


class Dropped(Exception):
    pass


class Closed(Exception):
    pass


class TimedOut(Exception):
    pass


class Refused(Exception):
    """A protocol-7 server refused a message of another protocol."""


class Received:
    __slots__ = ('type', 'payload', 'peerid', 'flagged', 'fd', 'extra',
                 'ids')

    def __init__(self, mtype, payload, peerid, flagged, fd, extra):
        self.type = mtype
        self.payload = payload
        self.peerid = peerid
        self.flagged = flagged
        self.fd = fd
        self.extra = extra
        self.ids = None


class Connection:
    """Reads frames from a client as the recording's version would."""

    def __init__(self, server, sock, num):
        self.server = server
        self.sock = sock
        self.num = num
        self.layout = server.layout
        self.buf = b''
        self.fdq = []           # old layout: fds waiting for a flagged msg
        self.queue = []
        self.first = True
        self.first_drop_ok = False
        self.pre_sent = False
        self.fds_seen = []
        self.protocol = server.rec.protocol
        self.spoken = None      # protocol 7: what the client spoke

    def violation(self, why):
        self.server.violation('conn %d: %s' % (self.num, why))

    def note(self, why):
        self.server.note('conn %d: %s' % (self.num, why))

    def _read(self, deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut()
            r, _, _ = select.select([self.sock], [], [], min(left, 0.5))
            if r:
                break
        if self.protocol == PROTOCOL_OLD and self.spoken is None:
            # As a busy server: all that the client sends without waiting
            # for it is there by the first read.
            time.sleep(FIRST_READ_DELAY)
        try:
            data, fds = recv_fds(self.sock)
        except ConnectionResetError:
            data, fds = b'', []
        # Every descriptor is closed once, when the connection ends.
        self.fds_seen.extend(fds)
        if not data:
            raise Closed()
        self.buf += data
        batch_fds = list(fds)
        if len(batch_fds) > 1 and self.server.version.ge(2, 0):
            # 2.0+ keep one descriptor per read and close the others.
            self.violation('%d descriptors in one read; the server keeps '
                           'only the first' % len(batch_fds))
            batch_fds = batch_fds[:1]
        if self.layout == 'old':
            self.fdq.extend(batch_fds)
        parsed = []
        while len(self.buf) >= HEADER:
            try:
                mtype, length, hasfd, extra, peerid = parse_header(
                    self.layout, self.buf)
            except BadLength as e:
                # 3.6+ (and every imsg reader) give up on the stream; the
                # messages of this read are lost too.
                raise Dropped('header length %#x' % e.args[0])
            if len(self.buf) < length:
                break
            payload = self.buf[HEADER:length]
            self.buf = self.buf[length:]
            fd = None
            if hasfd:
                if self.layout == 'old':
                    if self.fdq:
                        fd = self.fdq.pop(0)
                elif batch_fds:
                    fd = batch_fds.pop(0)
            m = Received(mtype, payload, peerid, hasfd, fd, extra)
            if self.protocol == PROTOCOL_OLD:
                self._from7(m, fds)
            parsed.append(m)
            self.first = False
        if self.layout == 'new' and batch_fds:
            # 3.6+ close a descriptor no header of its read claimed.
            self.violation('%d descriptor(s) not claimed by a flagged '
                           'header in the same read' % len(batch_fds))
        self.queue.extend(parsed)

    def _from7(self, m, fds):
        """What a 1.7 or 1.8 server does with a message it has read:
        refuse another protocol, end itself on what it cannot take; else
        the message in our numbers."""
        if m.peerid != PROTOCOL_OLD:
            if self.spoken == PROTOCOL_OLD:
                self.violation('peerid %#x after protocol 7 messages' %
                               m.peerid)
            if fds:
                self.violation('%d descriptor(s) in the read with a '
                               'protocol %d message: the server keeps '
                               'them for ever' % (len(fds), m.peerid))
            self.send(12)
            raise Refused(m.peerid)
        self.spoken = PROTOCOL_OLD
        name = NAMES7.get(m.type, str(m.type))
        if m.type not in CLIENT7:
            self.violation('%s (type %d) ends the server: unexpected '
                           'message' % (name, m.type))
            raise Closed()
        size = CLIENT7[m.type]
        if size is None:
            size = self.server.stdio_size
        if len(m.payload) != size:
            self.violation('%s of %d bytes ends the server, which takes '
                           '%d' % (name, len(m.payload), size))
            raise Closed()
        if m.type == 6 and m.fd is None:
            self.violation('IDENTIFY without a descriptor ends the server')
            raise Closed()
        if m.flagged and m.type != 6:
            self.violation('%s carries a descriptor' % name)
        if m.type == 0:
            c = command7(m.payload)
            if c is None:
                self.violation('malformed COMMAND')
                raise Closed()
            m.ids, m.payload = c[:2], command_payload(c[2])
        m.type = MAP7[m.type]

    @staticmethod
    def _close(fd):
        try:
            os.close(fd)
        except OSError:
            pass

    def get(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while not self.queue:
            self._read(deadline)
        m = self.queue.pop(0)
        self._check_peerid(m)
        return m

    def _check_peerid(self, m):
        v = self.server.version
        if self.protocol == PROTOCOL_OLD or (m.type == 12 and v.ge(2, 2)):
            return
        ok = (m.peerid == PROTOCOL_VERSION if not v.ge(2, 2) else
              (m.peerid & 0xff) == PROTOCOL_VERSION)
        if not ok:
            self.violation('peerid %#x in %s: the server answers '
                           'MSG_VERSION and drops the client' %
                           (m.peerid, NAMES.get(m.type, m.type)))
            self.send(12)
            raise Dropped('version')

    def send(self, mtype, payload=b''):
        if self.protocol == PROTOCOL_OLD:
            data = frame(self.layout, UNMAP7[mtype], payload,
                         peerid=PROTOCOL_OLD)
        else:
            data = frame(self.layout, mtype, payload)
        try:
            send_all(self.sock, data)
        except (BrokenPipeError, ConnectionResetError):
            raise Closed()

    def close(self):
        for fd in self.fds_seen:
            self._close(fd)
        self.fds_seen = []
        try:
            self.sock.close()
        except OSError:
            pass


def msg_key(m):
    """Client messages that must keep their recorded order share a key."""
    if m.type in (301, 302, 305) and len(m.payload) >= 4:
        return ('stream', m.payload[:4])
    if m.type == 212:
        return ('stdin',)
    return ('type', m.type)


class Matcher:
    """One recorded client step: a message, or a run of stdin data."""

    def __init__(self, server, conn, step):
        self.server = server
        self.conn = conn
        self.kind = step[0]
        self.done = False
        self.got = b''
        if self.kind == 'C':
            self.want = step[1]
            self.key = msg_key(step[1])
        elif self.kind == 'read':
            _, self.stream, self.data, self.end = step
            self.key = ('stream', self.stream)
        else:
            _, self.size, self.data, self.end = step
            self.key = ('stdin',)

    def what(self):
        if self.kind == 'C':
            return NAMES.get(self.want.type, str(self.want.type))
        if self.kind == 'read':
            return 'MSG_READ stream %d (%d of %d bytes)' % (
                struct.unpack('<i', self.stream)[0], len(self.got),
                len(self.data))
        return 'MSG_STDIN (%d of %d bytes)' % (len(self.got), len(self.data))

    def fail(self, why):
        self.conn.violation(why)
        raise Closed()

    def feed(self, m):
        name = NAMES.get(m.type, str(m.type))
        if self.kind == 'C':
            want = self.want
            if m.type != want.type:
                self.fail('expected %s, got %s' % (self.what(), name))
            if m.payload != want.full_payload():
                self.conn.violation('%s payload %s, the real client sent %s'
                                    % (name, m.payload.hex(),
                                       want.payload.hex()))
            self.done = True
        elif self.kind == 'read':
            if m.type == 301 and len(self.got) < len(self.data):
                self.got += m.payload[4:]
                if not self.data.startswith(self.got):
                    self.fail('stdin sent %r, the real client sent %r' %
                              (self.got[:200], self.data[:200]))
                if self.got == self.data and self.end is None:
                    self.done = True
            elif m.type == 302 and self.end is not None and \
                    self.got == self.data:
                if m.payload != self.end.payload:
                    self.conn.violation('READ_DONE %s, the real client '
                                        'sent %s' % (m.payload.hex(),
                                                     self.end.payload.hex()))
                self.done = True
            else:
                self.fail('expected %s, got %s after %r' %
                          (self.what(), name, self.got[:200]))
        else:
            if len(m.payload) != self.size:
                self.fail('MSG_STDIN of %d bytes, %s takes only %d (fatal)'
                          % (len(m.payload), self.server.version.name,
                             self.size))
            n = struct.unpack_from('<q', m.payload)[0]
            if n > 0:
                self.got += m.payload[8:8 + n]
                if not self.data.startswith(self.got):
                    self.fail('stdin sent %r, the real client sent %r' %
                              (self.got[:200], self.data[:200]))
                if self.got == self.data and self.end is None:
                    self.done = True
            else:
                if self.got != self.data or self.end is None:
                    self.fail('MSG_STDIN ended after %r, the real client '
                              'sent %r%s' % (self.got[:200], self.data[:200],
                                             '' if self.end is not None
                                             else ' and more'))
                if (n < 0) != (self.end < 0):
                    self.conn.violation('MSG_STDIN ended with size %d, the '
                                        'real client %d' % (n, self.end))
                self.done = True


class FakeServer:
    def __init__(self, path, recording, probe=None, timeout=60.0,
                 out=sys.stdout):
        self.path = path
        self.rec = recording
        self.version = Version(recording.version)
        self.layout = recording.layout
        self.timeout = timeout
        self.out = out
        self.lock = threading.Lock()
        self.violations = []
        self.notes = []
        self.main_done = 0
        self.threads = []
        self.nconn = 0

        self.main = None
        self.convs = []
        for msgs in recording.conversations().values():
            c = Conversation(msgs)
            self.convs.append(c)
            if self.main is None and c.argv == recording.argv:
                self.main = c
        if self.main is None and self.convs:
            self.main = self.convs[0]
        # 3.2+ servers do a control client's I/O on its passed fds.
        self.control = False
        if self.main is not None and self.version.ge(3, 2):
            for m in self.main.identify:
                if m.type in (100, 111) and len(m.payload) >= 4 and \
                        struct.unpack_from('<I', m.payload)[0] & 0x2000:
                    self.control = True
        # A protocol-7 server's stdio records: as recorded, else BUFSIZ.
        self.stdio_size = 8 + 8192
        for m in recording.messages:
            if m.type in OLDSTDIO and m.pad is not None:
                self.stdio_size = m.pad
        self.probe_argv = (PROBE7_ARGV if recording.protocol == PROTOCOL_OLD
                           else PROBE_ARGV)
        self.probe = None
        if probe is not None:
            for msgs in probe.conversations().values():
                c = Conversation(msgs)
                if c.argv == self.probe_argv:
                    self.probe = c
                    break

    def violation(self, why):
        with self.lock:
            self.violations.append(why)
            print('violation: %s' % why, file=self.out, flush=True)

    def note(self, why):
        with self.lock:
            self.notes.append(why)
            print('note: %s' % why, file=self.out, flush=True)

    # -- identify checks ---------------------------------------------------

    def check_identify7(self, conn, ident, conv, is_probe):
        """Protocol 7: the environment only where the real client sent
        it, then one identify structure with a descriptor (none at all for
        the probe, which would have to pass one)."""
        ids = [m for m in ident if m.type == IDENTIFY7]
        env = [m for m in ident if m.type == 105]
        for m in env:
            if b'=' not in m.payload.split(b'\0', 1)[0]:
                conn.violation('ENVIRON without a variable')
        if is_probe:
            if ids or env:
                conn.violation('probe connection identified itself (an '
                               'identify must pass a descriptor)')
            return
        if len(ids) != 1:
            conn.violation('%d IDENTIFY messages, the real client sent one'
                           % len(ids))
            return
        want = [m for m in conv.identify if m.type == IDENTIFY7][0]
        got = ids[0]
        for what, w, g in zip(('cwd', 'TERM', 'flags'),
                              identify7(want.full_payload()),
                              identify7(got.payload)):
            if w != g:
                conn.violation('IDENTIFY %s %r, the real client sent %r' %
                               (what, g, w))
        if want.fd == 'fdtty' and not os.isatty(got.fd):
            conn.violation('IDENTIFY descriptor is not a terminal; the '
                           'real client passed its terminal')
        want_env = sum(m.count for m in conv.identify if m.type == 105)
        if bool(want_env) != bool(env):
            conn.violation('%d ENVIRON messages, the real client sent %d' %
                           (len(env), want_env))

    def check_identify(self, conn, ident, conv, is_probe):
        v = self.version
        if self.rec.protocol == PROTOCOL_OLD:
            self.check_identify7(conn, ident, conv, is_probe)
            return
        types = [m.type for m in ident]
        fdtypes = v.fd_types()
        known = v.identify_types()
        for m in ident:
            name = NAMES.get(m.type, str(m.type))
            if m.type in known and m.type in FIXED_SIZE and \
                    len(m.payload) != FIXED_SIZE[m.type]:
                conn.violation('%s has %d bytes, %s needs %d (fatal)' %
                               (name, len(m.payload), v.name,
                                FIXED_SIZE[m.type]))
            if m.type in known and m.type in STRINGS and \
                    (not m.payload or m.payload[-1] != 0):
                conn.violation('%s is not a NUL-terminated string (fatal)'
                               % name)
            if m.flagged and m.fd is None:
                conn.violation('%s flagged as carrying a descriptor but '
                               'none came' % name)
            if m.fd is not None and m.type not in fdtypes:
                conn.violation('%s carries a descriptor that %s does not '
                               'take (it leaks in the server)' %
                               (name, v.name))
            if m.fd is not None and is_probe:
                conn.violation('probe connection passed a descriptor on %s'
                               % name)
        if 102 not in types:
            conn.violation('no IDENTIFY_TTYNAME (%s)' %
                           ('crashes the server' if v.ge(2, 4) else
                            'required'))
        if not v.ge(2, 2):
            for t in (103, 104):
                if t not in types:
                    conn.violation('no %s: %s closes a descriptor of its '
                                   'own' % (NAMES[t], v.name))
        if is_probe or conv is None:
            return

        # Compared with what the real client of this version sent.
        def last(msgs, t):
            found = [m for m in msgs if m.type == t]
            return found[-1] if found else None

        def flags(msgs):
            f = 0
            m = last(msgs, 100)
            if m is not None and len(m.payload) == 4:
                f |= struct.unpack('<I', m.payload)[0]
            if v.ge(3, 2):
                for m in msgs:
                    if m.type == 111 and len(m.payload) == 8:
                        f |= struct.unpack('<Q', m.payload)[0]
            return f

        want, got = flags(conv.identify), flags(ident)
        if want != got:
            conn.violation('client flags %#x, the real client sent %#x' %
                           (got, want))
        for t in (101, 108, 109):
            if t not in known:
                continue
            w, g = last(conv.identify, t), last(ident, t)
            if w is None:
                continue
            if g is None and t == 109 and w.payload == b'\0\0\0\0':
                continue        # no features is no features
            if g is None:
                conn.violation('no %s' % NAMES[t])
            elif g.payload != w.payload:
                conn.violation('%s is %r, the real client sent %r' %
                               (NAMES[t], g.payload, w.payload))
        if v.ge(2, 1):
            pid = last(ident, 107)
            if pid is None:
                conn.violation('no IDENTIFY_CLIENTPID')
            elif len(pid.payload) == 4:
                creds = conn.sock.getsockopt(socket.SOL_SOCKET,
                                             socket.SO_PEERCRED,
                                             struct.calcsize('3i'))
                peer = struct.unpack('3i', creds)[0]
                if struct.unpack('<i', pid.payload)[0] != peer:
                    conn.violation('IDENTIFY_CLIENTPID %d is not the '
                                   'peer pid %d' %
                                   (struct.unpack('<i', pid.payload)[0],
                                    peer))
        if not v.ge(2, 2) and uses_cwd(v, conv.argv):
            w, g = last(conv.identify, 103), last(ident, 103)
            if w is not None and w.fd != '-' and (g is None or g.fd is None):
                conn.violation('IDENTIFY_OLDCWD without a descriptor: %s '
                               'learns the client\'s directory only from '
                               'it (relative paths then fail with EBADF, '
                               'new windows start in /)' % v.name)
        for t in fdtypes:
            w = last(conv.identify, t)
            if w is None or w.fd != 'fdtty':
                continue
            if t == 110 and not self.control:
                continue        # servers close it unused but for control
            g = last(ident, t)
            if g is None or g.fd is None:
                conn.violation('%s has no descriptor; the real client '
                               'passed its terminal' % NAMES[t])
            elif not os.isatty(g.fd):
                conn.violation('%s descriptor is not a terminal' % NAMES[t])
        if self.control:
            for t in (104, 110):
                g = last(ident, t)
                if g is None or g.fd is None:
                    conn.violation('%s without a descriptor: %s does the '
                                   'control I/O on it' % (NAMES[t], v.name))
        rec_terminfo = [m for m in conv.identify if m.type == 112]
        if rec_terminfo and 112 in known:
            caps = [m.payload.split(b'=', 1)[0] for m in ident
                    if m.type == 112]
            for cap in (b'clear', b'cup'):
                if cap not in caps:
                    conn.violation('IDENTIFY_TERMINFO lacks %s; the server '
                                   'cannot open the terminal' %
                                   cap.decode())

    # -- one connection ----------------------------------------------------

    def handle(self, sock, num):
        conn = Connection(self, sock, num)
        try:
            self._handle(conn)
        except Dropped as e:
            if conn.first_drop_ok:
                conn.note('dropped at the first header (%s): layout probe'
                          % e)
            else:
                conn.violation('connection dropped: %s' % e)
            self._refused(conn)
        except Closed:
            self._refused(conn)
        except Refused as e:
            conn.note('protocol %d refused, as 1.7 and 1.8 do' % e.args[0])
        except TimedOut:
            conn.violation('timed out')
        except Exception as e:      # a bug here must not pass quietly
            conn.violation('fake server error: %r' % (e,))
        finally:
            if conn.fdq:
                conn.violation('%d descriptor(s) never claimed by a flagged '
                               'message (they would leak)' % len(conn.fdq))
            conn.close()

    def _refused(self, conn):
        """A connection that ended before its command: if the recorded
        server said all it had to say at once (a refusal), that is the
        whole conversation."""
        m = self.main
        if conn.pre_sent and m is not None and \
                not [s for s in m.steps if s[0] != 'C']:
            conn.note('ended after the server refused it, as recorded')
            with self.lock:
                self.main_done += 1

    def _handle(self, conn):
        v = self.version
        # A server that refuses the client says so at once (3.3+ access
        # control), before reading anything.
        if self.main is not None and self.main.pre:
            for m in self.main.pre:
                conn.send(m.type, m.full_payload())
            conn.pre_sent = True
        # The first header: is it our client's layout probe (old flags 2)?
        try:
            while not conn.queue:
                try:
                    conn._read(time.monotonic() + 10)
                except Dropped:
                    raw = conn.buf[:HEADER] if conn.buf else b''
                    conn.first_drop_ok = (self.layout == 'new' and
                                          conn.first and len(raw) >= 8 and
                                          raw[6:8] == b'\x02\x00')
                    raise
        except Closed:
            if not conn.pre_sent:
                conn.note('closed before sending anything')
            raise

        ident = []
        done = False
        command = None
        while command is None:
            try:
                m = conn.get()
            except Closed:
                if not conn.pre_sent:
                    conn.violation('closed before sending a command')
                raise
            if 100 <= m.type <= 112 or m.type == IDENTIFY7:
                if done and m.type in v.identify_types():
                    conn.violation('%s after IDENTIFY_DONE (%s)' %
                                   (NAMES[m.type], 'drop' if v.ge(3, 6)
                                    else 'fatal'))
                    return
                ident.append(m)
                if m.type == 106:
                    done = True
                continue
            if m.type in (200, 209):
                # Protocol 7 has no IDENTIFY_DONE (check_identify7).
                if not done and self.rec.protocol != PROTOCOL_OLD:
                    conn.violation('%s before IDENTIFY_DONE' %
                                   NAMES[m.type])
                command = m
                continue
            conn.note('ignored %s before the command' %
                      NAMES.get(m.type, m.type))

        if conn.pre_sent:
            # 3.3+ run no command for a client they have refused.
            conn.note('%s ignored after the refusal' % NAMES[command.type])
            try:
                while True:
                    conn.get()
            except Closed:
                self._refused(conn)
            return
        if command.type == 209:
            argv = None
            if command.payload:
                conn.violation('MSG_SHELL with a payload (fatal)')
        else:
            argv = command_argv(command.payload)
            if argv is None:
                conn.violation('malformed MSG_COMMAND (fatal)')
                return
        if command.type == 209 and self.main is not None and \
                self.main.command is not None and \
                self.main.command.type == 209:
            conv, is_probe = self.main, False
        elif command.type == 209:
            conn.violation('MSG_SHELL, the recorded client sent none')
            return
        elif argv == self.probe_argv and self.probe is not None and (
                argv != self.rec.argv or
                not [m for m in ident if m.flagged or m.fd is not None]):
            # Our client's probe: the probe command without descriptors
            # (when the scenario is that command too, only the missing
            # descriptors tell the probe from the command itself).
            conv, is_probe = self.probe, True
        elif argv == self.rec.argv and self.main is not None:
            conv, is_probe = self.main, False
        else:
            conn.violation('command %r is in no recording' % (argv,))
            return
        self.check_identify(conn, ident, conv, is_probe)
        if command.ids is not None and command.ids != conv.command.ids:
            conn.violation('COMMAND pid and session %r, the real client '
                           'sent %r' % (command.ids, conv.command.ids))
        if self.control and conv is self.main:
            self.control_io(conn, ident)
        self.replay(conn, conv)
        # Nothing more is expected: the client should just go.
        try:
            extra = conn.get(timeout=10)
            conn.violation('unexpected %s after the recorded conversation'
                           % NAMES.get(extra.type, extra.type))
        except Closed:
            pass
        if conv is self.main:
            with self.lock:
                self.main_done += 1

    def control_io(self, conn, ident):
        """What a 3.2+ server does for a control client: read commands
        from its stdin fd to the end, write the answers (the real client's
        output without its own last %exit line) to its stdout fd."""
        fds = {m.type: m.fd for m in ident if m.fd is not None}
        if 104 not in fds or 110 not in fds:
            return
        got = b''
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            r, _, _ = select.select([fds[104]], [], [], 0.2)
            if not r:
                continue
            try:
                d = os.read(fds[104], 65536)
            except BlockingIOError:
                continue
            if not d:
                break
            got += d
        else:
            conn.violation('control client stdin did not end')
        want = self.rec.text('stdin')
        if got != want:
            conn.violation('control commands %r, the real client sent %r'
                           % (got[:200], want[:200]))
        out = self.rec.text('stdout')
        lines = out.split(b'\n')
        if len(lines) >= 2 and lines[-1] == b'' and \
                lines[-2].startswith(b'%exit'):
            out = b'\n'.join(lines[:-2]) + (b'\n' if lines[:-2] else b'')
        while out:
            select.select([], [fds[110]], [], 1.0)
            try:
                out = out[os.write(fds[110], out):]
            except BlockingIOError:
                continue

    def replay(self, conn, conv):
        """Send the recorded server messages in order; at each run of
        recorded client messages, wait until the client has sent them.
        Within a run only the order per stream (or per type) must match:
        e.g. WRITE_READY for stdout and READ for stdin are independent. A
        client message that is early waits for its run."""
        conn.pending = []
        conn.resize_ok = (self.rec.protocol == PROTOCOL_OLD and
                          not [m for m in conv.steps
                               if m[0] == 'C' and m[1].type == 208])
        window = []
        for step in conv.steps + [None]:
            if step is not None and step[0] != 'S':
                window.append(Matcher(self, conn, step))
                continue
            if window:
                self.match(conn, window)
                window = []
            if step is not None:
                conn.send(step[1].type, step[1].full_payload())
        if conn.pending:
            conn.violation('unexpected %s' % ', '.join(
                NAMES.get(m.type, str(m.type)) for m in conn.pending))
            raise Closed()

    def match(self, conn, window):
        while True:
            progress = True
            while progress:
                progress = False
                for m in list(conn.pending):
                    for mt in window:
                        if not mt.done and mt.key == msg_key(m):
                            conn.pending.remove(m)
                            mt.feed(m)      # raises Closed on mismatch
                            progress = True
                            break
            if all(mt.done for mt in window):
                return
            what = ', '.join(mt.what() for mt in window if not mt.done)
            try:
                m = conn.get()
            except Closed:
                conn.violation('client went away; expected %s' % what)
                raise
            except TimedOut:
                conn.violation('no %s from the client' % what)
                raise Closed()
            if m.flagged or m.fd is not None:
                conn.violation('%s carries a descriptor' %
                               NAMES.get(m.type, m.type))
            if m.type == 208 and conn.resize_ok:
                # 1.7's client sends none once attached, 1.8's one; both
                # servers take it as they take SIGWINCH's.
                conn.note('RESIZE the real client did not send')
                continue
            if m.type in CLIENT_FIXED and \
                    len(m.payload) != CLIENT_FIXED[m.type]:
                conn.violation('%s has %d bytes, needs %d (fatal)' %
                               (NAMES[m.type], len(m.payload),
                                CLIENT_FIXED[m.type]))
                raise Closed()
            conn.pending.append(m)

    # -- main loop ---------------------------------------------------------

    def run(self, control=None):
        lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            os.unlink(self.path)
        except OSError:
            pass
        lsock.bind(self.path)
        lsock.listen(16)
        print('listening %s' % self.path, file=self.out, flush=True)
        deadline = time.monotonic() + self.timeout
        watch = [lsock] + ([control] if control is not None else [])
        stop = False
        while not stop:
            left = deadline - time.monotonic()
            if left <= 0:
                self.violation('fake server timed out')
                break
            r, _, _ = select.select(watch, [], [], min(left, 1.0))
            for s in r:
                if s is lsock:
                    csock, _ = lsock.accept()
                    self.nconn += 1
                    t = threading.Thread(target=self.handle,
                                         args=(csock, self.nconn),
                                         daemon=True)
                    t.start()
                    self.threads.append(t)
                else:
                    if not os.read(control.fileno(), 4096):
                        stop = True
        lsock.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass
        for t in self.threads:
            t.join(max(0.1, min(15.0, deadline + 15 - time.monotonic())))
            if t.is_alive():
                self.violation('a connection was still open at the end')
        if not self.main_done:
            self.violation('the recorded conversation was not played to '
                           'its end')
        print('fakeserver: %d connection(s), %d violation(s)' %
              (self.nconn, len(self.violations)), file=self.out, flush=True)
        return 1 if self.violations else 0




def fakeserver_main(argv):
    """fakeserver.py: a FakeServer until its standard input ends."""
    p = argparse.ArgumentParser(
        prog='fakeserver.py',
        description='Replay the server side of a recorded tmux '
        'conversation to a client.')
    p.add_argument('--socket', required=True)
    p.add_argument('--recording', required=True)
    p.add_argument('--probe')
    p.add_argument('--timeout', type=float, default=60.0)
    a = p.parse_args(argv)
    rec = Recording(a.recording)
    probe = Recording(a.probe) if a.probe else None
    server = FakeServer(a.socket, rec, probe, a.timeout)
    return server.run(control=sys.stdin)



# ---------------------------------------------------------------------------
# Scripted servers: each connection is answered by a function, at once.


def deaf(conn):
    """A server script that accepts and never reads: it waits until the
    client has gone (at most a minute)."""
    p = select.poll()
    p.register(conn, select.POLLRDHUP)
    p.poll(60000)


class ScriptedServer:
    """Listens on path; script(conn) serves each connection in a thread
    of its own. connections counts them."""

    def __init__(self, path, script):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(8)
        self.script = script
        self.connections = 0
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.serve, args=(conn,),
                             daemon=True).start()

    def serve(self, conn):
        try:
            self.script(conn)
        except OSError:
            pass
        conn.close()

    def stop(self):
        """Stop accepting. The accepting thread is woken and waited for
        before the socket is closed: else it could accept, with this
        script, on the socket of a later server given the same number."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(10)
        self.sock.close()


def read_frame(conn, wanted):
    """Read old-header frames until one of type wanted has arrived (its
    payload) or end of file (None); after a bad header, just read to the
    end."""
    buf = b''
    while True:
        while len(buf) >= HEADER:
            try:
                mtype, length, _, _, _ = parse_header('old', buf)
            except BadLength:
                break
            if len(buf) < length:
                break
            payload, buf = buf[HEADER:length], buf[length:]
            if mtype == wanted:
                return payload
        data = conn.recv(65536)
        if not data:
            return None
        buf += data


def read_until(conn, wanted):
    """read_frame, true if the message came."""
    return read_frame(conn, wanted) is not None


# ---------------------------------------------------------------------------
# The recording proxy (proxy.py)
#
# Listens on a socket; for every client that connects, connects to the
# server's socket and relays bytes both ways, descriptors (SCM_RIGHTS)
# included, each forwarded with the same chunk of bytes it arrived with.
# The frames are parsed in the given header layout and appended to the
# recording, one message a line. Environment and terminfo messages are
# recorded as a count only. Stops on SIGTERM or SIGINT, after the open
# connections have finished (or a few seconds).
#
# Messages whose header says protocol version 7 (peerid; tmux 1.7 and 1.8)
# are named from that protocol's own table of types, and its fixed-size
# structures are recorded with their unused bytes (uninitialised memory in
# the real programs) zeroed: strings after their terminator, stdio records
# after their count. Trailing zeros are then left out with pad=N.

REDACTED7 = (14,)               # ENVIRON: 1024 bytes each
STDIO7 = (7, 18, 19)            # ssize_t count, then BUFSIZ bytes


def zero_after_nul(b, start, end):
    """b (bytearray): zero what follows the first NUL in b[start:end]."""
    i = b.find(b'\0', start, end)
    if i != -1:
        b[i:end] = bytes(end - i)


def clean7(mtype, payload):
    """(payload with its unused bytes zeroed, pad length or None)."""
    if mtype in STDIO7:
        return stdio_trim(payload)
    b = bytearray(payload)
    n = len(b)
    if n == 0:
        return payload, None
    if mtype == 6 and n == 4096 + 128 + 4:         # cwd, term, flags
        zero_after_nul(b, 0, 4096)
        zero_after_nul(b, 4096, 4224)
        return bytes(b), None
    if mtype == 0 and n == 12 + 2048:               # pid, id, argc, argv
        off = 12
        for _ in range(struct.unpack_from('<i', b, 8)[0]):
            i = b.find(b'\0', off)
            if i == -1:
                break
            off = i + 1
        b[off:] = bytes(n - off)
    elif mtype in (16, 17):                         # LOCK cmd, SHELL path
        zero_after_nul(b, 0, n)
    else:
        return payload, None
    return bytes(b).rstrip(b'\0'), n


class Recorder:
    def __init__(self, path, layout):
        self.f = open(path, 'a')
        self.layout = layout
        self.lock = threading.Lock()
        self.run = None         # pending redacted run: Message
        self.tables = None      # ... its protocol's names and redacted

    def _flush_run(self):
        if self.run is not None:
            self.f.write(self.run.line(*self.tables) + '\n')
            self.run = None

    def message(self, d, conn, mtype, fdinfo, payload,
                peerid=PROTOCOL_VERSION):
        old = peerid == PROTOCOL_OLD
        tables = (NAMES7, REDACTED7) if old else (NAMES, REDACTED)
        with self.lock:
            if d == 'C' and mtype in tables[1]:
                r = self.run
                if r is not None and (r.dir, r.conn, r.type) == \
                        (d, conn, mtype) and self.tables == tables:
                    r.count += 1
                    return
                self._flush_run()
                self.run = Message(d, conn, mtype, fdinfo, b'', 1)
                self.tables = tables
                return
            self._flush_run()
            pad = None
            if old:
                payload, pad = clean7(mtype, payload)
            elif mtype in OLDSTDIO and payload:
                payload, pad = stdio_trim(payload)
            m = Message(d, conn, mtype, fdinfo, payload, 1, pad)
            self.f.write(m.line(*tables) + '\n')
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
                    data, fds = recv_fds(self.src)
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
                    send_all(self.dst, data, fds)
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
        while len(self.buf) >= HEADER:
            try:
                mtype, length, hasfd, _, peerid = parse_header(
                    self.rec.layout, self.buf)
            except BadLength as e:
                self.rec.comment('conn %d: unparseable header, length %#x'
                                 % (self.conn, e.args[0]))
                self.buf = b''
                return
            if len(self.buf) < length:
                return
            payload = self.buf[HEADER:length]
            self.buf = self.buf[length:]
            fdinfo = '-'
            if hasfd:
                fdinfo = self.fdq.pop(0) if self.fdq else 'fd?'
            self.rec.message(self.d, self.conn, mtype, fdinfo, payload,
                             peerid)


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
    """Listen on args.listen; relay each client to args.server, recording
    in args.out."""
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


def proxy_main(argv):
    """proxy.py: relay and record until SIGTERM or SIGINT."""
    p = argparse.ArgumentParser(
        prog='proxy.py',
        description='Record the conversations between a tmux client and '
        'a real server.')
    p.add_argument('--listen', required=True)
    p.add_argument('--server', required=True)
    p.add_argument('--layout', choices=('old', 'new'), required=True)
    p.add_argument('--out', required=True)
    return serve(p.parse_args(argv))



# ---------------------------------------------------------------------------
# Pseudo-terminals and real servers


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


def after_restore(out, msg):
    """Does the exit text "[MSG]" come after the last terminal reset (the
    normal screen back)?"""
    i = out.rfind(b'\x1b[?1049l')
    j = out.rfind(('[%s]' % msg).encode())
    return i != -1 and j > i


def last_message(data):
    """The last "[...]" anywhere in the output and a newline, or b''
    (what tests/record.sh keeps of an attached client's output)."""
    m = re.findall(rb'\[[^\[\]\x1b\r\n]*\]', data)
    return m[-1] + b'\n' if m else b''


def run(argv, stdin=None, env=None, cwd=None, timeout=30):
    """(status, stdout, stderr) of a program given the bytes stdin as
    input (else /dev/null); status None if it was still running after
    timeout seconds (then it is killed)."""
    kw = {'stdin': subprocess.DEVNULL} if stdin is None else {'input': stdin}
    try:
        p = subprocess.run(argv, capture_output=True, env=env, cwd=cwd,
                           timeout=timeout, **kw)
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b'', e.stderr or b''
    return p.returncode, p.stdout, p.stderr


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
        # Python sets LC_CTYPE for itself where the locale is C (PEP 538):
        # the clients see the locale LANG says, as in the shell tests.
        for k in ('LC_ALL', 'LC_CTYPE'):
            self.env.pop(k, None)
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
            if needle in cmd and b'tmuxtest.py' not in cmd:
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

    def pty(self, argv, argv0=None, cols=80, rows=24, extra_env=None):
        """argv in a new pty under the job-control wrapper, with our
        environment (and extra_env)."""
        e = dict(self.env)
        e.update(extra_env or {})
        self.n += 1
        return PtyRun(argv, e, argv0=argv0, cols=cols, rows=rows,
                      status_file=self.path('status.%d' % self.n))


class PtyRun:
    """A program running in a new pseudo-terminal, its controlling
    terminal. With a status file, under the job-control wrapper (this
    file run as a script) as a shell would run it; else directly, as the
    session leader."""

    def __init__(self, argv, env, argv0=None, cols=80, rows=24,
                 status_file=None, cwd=None):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ,
                    struct.pack('HHHH', rows, cols, 0, 0))
        self.tty = os.ttyname(self.slave)
        self.before = termios.tcgetattr(self.slave)
        self.status_file = status_file
        self.out = bytearray()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.pid = None
        self.status = None
        if status_file is not None:
            self.proc = subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), status_file,
                 argv0 or argv[0]] + list(argv),
                stdin=self.slave, stdout=self.slave, stderr=self.slave,
                env=env, cwd=cwd, start_new_session=True, close_fds=True)
        else:
            def ctty():
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            self.proc = subprocess.Popen(
                [argv0 or argv[0]] + list(argv[1:]), executable=argv[0],
                stdin=self.slave, stdout=self.slave, stderr=self.slave,
                env=env, cwd=cwd, start_new_session=True, close_fds=True,
                preexec_fn=ctty)
            self.pid = self.proc.pid
        self.thread = threading.Thread(target=self._reader, daemon=True)
        self.thread.start()

    def _reader(self):
        while not self.stop.is_set():
            try:
                r, _, _ = select.select([self.master], [], [], 0.05)
            except (OSError, ValueError):
                return
            if not r:
                continue
            # Read and keep under the lock: once the pty is drained, what
            # was read is in output().
            with self.lock:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    return
                if not data:
                    return
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
        if self.status_file is None:
            return []
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
        if self.status is None and self.status_file is None:
            self.status = ('signal', -rc) if rc < 0 else ('exit', rc)
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
