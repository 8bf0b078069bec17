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

"""envtwice.py NAME FIRST LAST PROGRAM [ARG...]: run PROGRAM with NAME set
twice in its environment, to FIRST and then to LAST. Neither env(1) nor
Python's own exec can make such an environment; execve(2) can."""

import ctypes
import os
import sys


def strings(items):
    array = (ctypes.c_char_p * (len(items) + 1))()
    array[:-1] = [os.fsencode(item) for item in items]
    array[-1] = None
    return array


def main():
    name, first, last = sys.argv[1:4]
    argv = sys.argv[4:]
    env = ['%s=%s' % item for item in os.environ.items() if item[0] != name]
    env += ['%s=%s' % (name, first), '%s=%s' % (name, last)]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.execve(os.fsencode(argv[0]), strings(argv), strings(env))
    sys.exit('envtwice.py: %s: %s' % (argv[0],
                                      os.strerror(ctypes.get_errno())))


main()
