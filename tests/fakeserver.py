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

"""Replay the server side of a recorded tmux conversation to a client.

    fakeserver.py --socket PATH --recording FILE [--probe FILE]
                  [--timeout SECONDS]

Listens on PATH and answers every connection as a real server of the
recording's version would (tmuxtest.FakeServer says how, and what it
checks); a --probe recording answers our client's probe connections.
Stops when its standard input reaches end of file (or after --timeout),
prints one "violation: ..." line per protocol violation, and exits 0 if
there were none and the recorded conversation was played to its end, 1
otherwise.
"""

import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ in tests/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxtest  # noqa: E402

if __name__ == '__main__':
    sys.exit(tmuxtest.fakeserver_main(sys.argv[1:]))
