#!/usr/bin/env python3
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
