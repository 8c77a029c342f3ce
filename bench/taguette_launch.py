"""Start Taguette (run by Taguette's own interpreter, never imported by Thematica) with nothing
reaching the network.

Taguette 1.5.2 has no setting for its start-up message check: ``Application.__init__`` always
calls ``check_messages``, which fetches https://msg.taguette.org/<version> and again every 24
hours (taguette/web/base.py). This launcher replaces that method with one that records no
messages (so ``/messages.js`` answers at once), turns the browser opening off, and refuses, at
the socket, any name lookup or connection that is not to this machine, printing a line starting
with ``BLOCKED`` on stderr for each (the benchmark counts them: it must be 0). Then it runs
Taguette's own ``main()`` with the arguments given, e.g.::

    python -I taguette_launch.py --no-browser --port 7465 --database /tmp/x/taguette.sqlite3
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any

# This file lives in bench/: never let a module there shadow the real package.
HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if p not in ("", HERE)]

LOCAL = {None, "localhost", "127.0.0.1", "::1", "0.0.0.0", "::", b"localhost", b"127.0.0.1"}


def _blocked(what: str) -> OSError:
    print(f"BLOCKED {what}", file=sys.stderr, flush=True)
    return OSError(f"network access refused by the benchmark: {what}")


_getaddrinfo = socket.getaddrinfo


def _local_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host not in LOCAL:
        raise _blocked(f"lookup {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _is_local(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # a Unix socket
    host = address[0]
    return host in LOCAL or str(host).startswith("127.")


def _local_connect(self: socket.socket, address: Any) -> None:
    if not _is_local(address):
        raise _blocked(f"connect {address!r}")
    _connect(self, address)


def _local_connect_ex(self: socket.socket, address: Any) -> int:
    if not _is_local(address):
        raise _blocked(f"connect {address!r}")
    return _connect_ex(self, address)


socket.getaddrinfo = _local_getaddrinfo
socket.socket.connect = _local_connect  # type: ignore[method-assign, assignment]
socket.socket.connect_ex = _local_connect_ex  # type: ignore[method-assign, assignment]


def main() -> None:
    import webbrowser

    import taguette  # type: ignore[import-not-found]
    import taguette.web.base as base  # type: ignore[import-not-found]
    from taguette.main import main as taguette_main  # type: ignore[import-not-found]

    if taguette.__version__ != "1.5.2":
        raise SystemExit(f"expected Taguette 1.5.2, found {taguette.__version__}")

    def no_message_check(self: Any) -> None:
        """The start-up message check, disabled: no messages, none fetched."""
        self.messages = []
        self.messages_event.set()

    base.Application.check_messages = no_message_check
    webbrowser.open = lambda *args, **kwargs: False
    sys.argv = ["taguette", *sys.argv[1:]]
    taguette_main()


if __name__ == "__main__":
    main()
