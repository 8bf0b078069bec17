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

"""Seeds for tests/fuzz-client from the recorded conversations:

    fuzz-seeds.py DIRECTORY

writes one input per recording (tests/recordings/VERSION/NAME.rec) into
DIRECTORY as VERSION-NAME, in the input format described at the top of
tests/fuzz-client.c: the options of the recorded command line, its stdin,
then the server's side of each connection the client makes, in order: the
probe's (tests/recordings/VERSION/probe.rec) if the command line makes the
client probe, then the conversation. Servers from 3.6 on close an
old-header connection at once; 1.7 and 1.8 answer the first one with
MSG_VERSION, then speak protocol 7 (peerid 7, their own numbers). Where the server waited for the client in
the recording, the script WAITs for the same message. A few made-up
scripts follow, for what no recording shows (descriptors passed, output
that backs up, signals).

Python 3 standard library only.
"""

import glob
import os
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmuxtest import UNMAP7, Recording  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# Ops and option bits, as tests/fuzz-client.c reads them.
FRAME, REPEAT, YIELD, READ, DRAIN, SIGNAL, RAW, WAIT, CLOSE = range(9)
OPT_CONTROL, OPT_CONTROLCONTROL, OPT_SHELL, OPT_FEATURES = 4, 8, 0x10, 0x20
COMMANDS = {'display': 0, 'load-buffer': 1, 'new-window': 2, 'attach': 3}


def frame(mtype, payload=b'', new=False, flags=0, peerid=None):
    """A FRAME op: a raw type, the length, the payload; the extra byte
    if the peerid is not 8."""
    arg = (1 if new else 0) | flags | (8 if peerid is not None else 0)
    extra = b'' if peerid is None else bytes([1, peerid])
    n = len(payload)
    size = bytes([n]) if n < 255 else b'\xff' + struct.pack('<H', n)
    return (bytes([FRAME | arg << 4]) + extra + b'\x80' +
            struct.pack('<H', mtype) + size + payload)


def wait(mtype):
    return bytes([WAIT]) + struct.pack('<H', mtype)


def script(conv_msgs, new, peerid=None):
    """The server's side of one recorded connection, then CLOSE; in
    protocol 7 (peerid 7) with its own numbers on the wire."""
    wire = (lambda t: UNMAP7.get(t, t)) if peerid == 7 else (lambda t: t)
    out = b''
    last_client = None
    for m in conv_msgs:
        if m.dir == 'C':
            last_client = wire(m.type)
            continue
        if last_client is not None:
            out += wait(last_client)
            last_client = None
        out += frame(wire(m.type), m.full_payload(), new, peerid=peerid)
    return out + bytes([CLOSE])


def options(args):
    """(options byte, whether the client probes first)."""
    bits, i = 0, 0
    while i < len(args) and args[i].startswith('-'):
        a = args[i]
        if a == '-C':
            bits |= OPT_CONTROLCONTROL if bits & OPT_CONTROL else OPT_CONTROL
        elif a == '-c':
            bits |= OPT_SHELL
            i += 1
        elif a in ('-2', '-T'):
            bits |= OPT_FEATURES
            i += a == '-T'
        i += 1
    argv = args[i:]
    if argv and not bits & OPT_SHELL:
        bits |= COMMANDS.get(argv[0], 0)
    cmd = bits & 3
    probes = bool(bits & (OPT_CONTROL | OPT_FEATURES | OPT_SHELL)) or \
        cmd in (1, 2)
    return bits, probes


def data(text):
    """DATALEN REPEAT DATA: the recorded stdin, or about as much."""
    b = text.encode('utf-8', 'surrogateescape')
    if len(b) <= 255:
        return bytes([len(b), 0]) + b
    chunk = b[:255]
    rep = min(255, (len(b) // 255) // 64)
    return bytes([255, rep]) + chunk


def seed(rec, probe):
    new = rec.layout == 'new'
    bits, probes = options(rec.meta.get('args') or [])
    out = bytes([bits]) + data(rec.meta.get('stdin') or '')
    convs = rec.conversations()
    if rec.meta.get('protocol') == 7:
        # Protocol 8 refused; the probe, if any, and all after in 7.
        out += frame(12, peerid=7) + bytes([CLOSE])
        if probes:
            out += script(probe.messages, False, 7)
        return out + script(convs[min(convs)], False, 7)
    if probes:
        if new:
            # The old-header probe is closed unread; only -2/-T ask again.
            out += bytes([CLOSE])
            if bits & OPT_FEATURES:
                out += script(probe.messages, True)
        else:
            out += script(probe.messages, False)
    elif new:
        # The guess's old header is closed unread: reconnect.
        out += bytes([CLOSE])
    return out + script(convs[min(convs)], new)


def made_up():
    """Scripts no recording has."""
    exit0 = frame(203, struct.pack('<i', 0))
    write_open = frame(303, struct.pack('<iii', 1, -1, 0) + b'abc\0')
    write = frame(304, struct.pack('<i', 1) + b'x' * 16000)
    return {
        # Descriptors with frames, flagged or not, and alone.
        'fds': bytes([0, 0, 0]) + wait(200) +
        frame(999, b'', flags=6) + bytes([REPEAT | 3 << 4, 40]) +
        frame(218, struct.pack('<Q', 0x10000), flags=4) +
        frame(207, b'', flags=2) +
        frame(204, b'', flags=6),
        # 2 MB to a file whose reader stops, then resumes.
        'backpressure': bytes([0, 0, 0]) + wait(200) + write_open +
        wait(305) + bytes([DRAIN]) + write +
        bytes([REPEAT | 7 << 4, 16, YIELD | 15 << 4, DRAIN | 1 << 4]) +
        exit0 + bytes([CLOSE]),
        # Attached: suspend, lock, resize, then exec.
        'attached': bytes([3, 0, 0]) + wait(200) + frame(207) +
        frame(214) + frame(206, b'true\0') + bytes([SIGNAL | 2 << 4]) +
        wait(216) + frame(217, b'true\0/bin/sh\0') + frame(204) +
        bytes([CLOSE]),
        # A probe refused twice in one read.
        'probe-refused': bytes([OPT_FEATURES, 0, 0]) + wait(200) +
        frame(203, struct.pack('<i', 0) + b'first\0') +
        frame(203, struct.pack('<i', 0) + b'second\0') + bytes([CLOSE]),
        # A probe answered with a version no int holds, then EXIT.
        'probe-version': bytes([OPT_FEATURES, 0, 0]) + wait(200) +
        frame(303, struct.pack('<iii', 1, 1, 0)) + wait(305) +
        frame(304, struct.pack('<i', 1) +
              b'37777757777777777.777777|/s|1|0|\n') + exit0 +
        bytes([CLOSE]) + wait(200) + exit0 + bytes([CLOSE]),
        # Old stdio, stdin asked for, then SIGTERM.
        'oldstdio': bytes([0, 5, 0]) + b'input' + wait(200) +
        frame(213, struct.pack('<q', 3) + b'abc' + b'\0' * 8189) +
        frame(212) + bytes([YIELD | 3 << 4, SIGNAL]) + exit0 +
        bytes([CLOSE]),
    }


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: fuzz-seeds.py DIRECTORY')
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for d in sorted(glob.glob(os.path.join(HERE, 'recordings', '*'))):
        version = os.path.basename(d)
        probe = Recording(os.path.join(d, 'probe.rec'))
        for path in sorted(glob.glob(os.path.join(d, '*.rec'))):
            name = os.path.basename(path)[:-4]
            rec = Recording(path)
            if not rec.messages:
                continue
            with open(os.path.join(out, '%s-%s' % (version, name)),
                      'wb') as f:
                f.write(seed(rec, probe))
            n += 1
    for name, body in made_up().items():
        with open(os.path.join(out, 'made-' + name), 'wb') as f:
            f.write(body)
        n += 1
    print('fuzz-seeds.py: %d seeds in %s' % (n, out))


main()
