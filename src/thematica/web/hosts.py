"""Which ``Host`` names the workbench answers to. The check is always on: a web page elsewhere
whose name has been pointed at this machine (DNS rebinding) sends its own name, and is refused.

* A loopback bind (127.0.0.1, ::1, localhost) answers ``localhost``, ``127.0.0.1`` and ``[::1]``.
* Any other bind (a team server: ``--host 0.0.0.0``) answers the names given with
  ``serve --allowed-host``, or by default this machine's host name and the bound address, and the
  loopback names (only a browser on the server itself sends those).

Any port is accepted with a name (``localhost:8765``); a wildcard never is.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence

LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
WILDCARD_BINDS = ("0.0.0.0", "::", "")


class HostNameError(ValueError):
    """A name that cannot be an allowed host (a pattern, a URL, a name with a port)."""


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return None


def is_loopback(bind: str) -> bool:
    address = _address(bind)
    return bind.lower() == "localhost" or (address is not None and address.is_loopback)


def host_name(name: str) -> str:
    """``name`` as it appears in a Host header (IPv6 literals in brackets), lower-case."""
    cleaned = name.strip().lower()
    address = _address(cleaned)
    if address is not None:
        return f"[{address.compressed}]" if address.version == 6 else address.compressed
    if not cleaned or "*" in cleaned or any(c in cleaned for c in "/:@ \t[]"):
        raise HostNameError(f"{name[:100]!r} is not a host name (give a name or an address)")
    return cleaned


def machine_names() -> list[str]:
    """This machine's host name and, when the system knows one, its fully qualified name."""
    names = [socket.gethostname()]
    fqdn = socket.getfqdn()
    return [*names, fqdn] if fqdn and fqdn not in names and fqdn != "localhost" else names


def allowed_hosts(bind: str, names: Sequence[str] = ()) -> tuple[str, ...]:
    """The Host names a workbench bound to ``bind`` answers to; ``names`` are the
    ``--allowed-host`` options. Raises :class:`HostNameError` for a pattern or a bad name."""
    chosen = [host_name(n) for n in names]
    if is_loopback(bind):
        extra = [host_name(bind), *chosen]
    elif chosen:
        extra = chosen
    else:
        bound = [] if bind in WILDCARD_BINDS else [bind]
        extra = [host_name(n) for n in [*machine_names(), *bound]]
    return _unique([*LOOPBACK, *extra])


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


__all__ = ["LOOPBACK", "HostNameError", "allowed_hosts", "host_name", "is_loopback"]
