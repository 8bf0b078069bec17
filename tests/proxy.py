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

"""Record the conversations between a tmux client and a real server.

    proxy.py --listen PATH --server PATH --layout old|new --out FILE

Listens on PATH; relays every client that connects to the server's
socket, descriptors included, and appends each message, parsed in the
given header layout, to FILE in the recording format (tmuxtest.py says
more; messages of protocol 7, tmux 1.7 and 1.8, are named from that
protocol's table and their unused bytes zeroed). Stops on SIGTERM or SIGINT. Used by tests/record.sh.
"""

import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ in tests/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxtest  # noqa: E402

if __name__ == '__main__':
    sys.exit(tmuxtest.proxy_main(sys.argv[1:]))
