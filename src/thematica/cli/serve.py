"""``thematica serve``: the workbench in the browser, on this machine only by default."""

from __future__ import annotations

import errno
import socket
import threading
import webbrowser
from pathlib import Path

import click
from click.core import ParameterSource

from thematica.cli.output import CliError

TRIES = 20  # without --port, the next free port among this many from the default


def listen(host: str, port: int, *, tries: int = 1) -> socket.socket:
    """A socket bound to ``host`` on ``port`` (0: any free port) or, when that port is taken
    and ``tries`` > 1, on the next free one after it. Bound before any address is printed, so
    the address printed is the workbench's own, never another program's."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror:
        raise CliError(f"--host {host}: not an address of this machine") from None
    for candidate in range(port, port + tries) if port else [0]:
        # IPPROTO_TCP named, not left 0: asyncio sets TCP_NODELAY only on sockets whose proto
        # says TCP, and without it every kept-alive request waits ~40 ms on delayed ACKs
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, candidate))
        except OSError as exc:
            sock.close()
            if exc.errno == errno.EADDRINUSE and candidate < port + tries - 1:
                continue
            if exc.errno == errno.EADDRINUSE:
                busy = f"port {port} is" if tries == 1 else f"ports {port}-{candidate} are"
                raise CliError(
                    f"{busy} already in use on {host} (another workbench or program); "
                    "choose another with --port, e.g. --port 8800"
                ) from None
            raise CliError(f"cannot listen on {host}:{candidate} ({exc.strerror or exc})") from None
        return sock
    raise AssertionError("unreachable")  # pragma: no cover


@click.command()
@click.argument("study")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep it local)."
)
@click.option(
    "--allowed-host",
    "allowed",
    multiple=True,
    metavar="NAME",
    help="A host name or address the workbench answers to, when it listens beyond this machine "
    "(repeatable; default: this machine's name and the address it listens on).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port (0: any free port). Without --port, a busy 8765 makes it use the next free one.",
)
@click.option(
    "--open", "open_browser", is_flag=True, help="Open the workbench in the default browser."
)
@click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Anonymisation key file (default: STUDY.thematica-key).",
)
@click.option(
    "--session-idle",
    type=click.FloatRange(min=0.05, max=24 * 30),
    default=8.0,
    show_default=True,
    metavar="HOURS",
    help="Sign a member out after this many hours without a request.",
)
@click.option(
    "--behind-proxy",
    metavar="ADDRESS",
    is_flag=False,
    flag_value="127.0.0.1",
    default=None,
    help="Behind an HTTPS reverse proxy: trust its X-Forwarded-For and X-Forwarded-Proto, only "
    "from ADDRESS (default 127.0.0.1), so cookies are Secure and the audit log has the "
    "member's address.",
)
def serve(
    study: str,
    host: str,
    allowed: tuple[str, ...],
    port: int,
    open_browser: bool,
    key: Path | None,
    session_idle: float,
    behind_proxy: str | None,
) -> None:
    """Open STUDY in the workbench: a web app on this machine (nothing leaves it; no outside
    requests of any kind). Prints the address; Ctrl+C stops it.

    It answers only requests addressed to it by name: localhost, 127.0.0.1 and [::1]; on a
    team server (--host 0.0.0.0), also this machine's name and the address it listens on, or
    instead of those the names given with --allowed-host.

    As soon as any member has a password, everyone signs in. A team server (any address other
    than loopback, behind a proxy, and every PostgreSQL study) always signs everyone in, and
    refuses to start until every active member who can see original text (leads, and coders
    not marked anonymised-only) has a password ('thematica team passwd' or 'team invite').

    \b
    Examples:
        thematica serve msk.thematica --open
        thematica serve msk.thematica --host 0.0.0.0 --allowed-host thematica.lab.example
        thematica serve msk.thematica --behind-proxy --allowed-host thematica.lab.example
    """
    import datetime as dt

    import uvicorn

    from thematica.web.app import create_app, tune_gc
    from thematica.web.hosts import HostNameError, allowed_hosts, is_loopback

    try:
        hosts = allowed_hosts(host, allowed)
    except HostNameError as exc:
        raise click.BadParameter(str(exc), param_hint="--allowed-host") from None
    from thematica.storage.database import sqlite_path

    team_server = not is_loopback(host) or behind_proxy is not None or sqlite_path(study) is None
    app = create_app(
        study,
        key,
        hosts,
        team_server=team_server,
        session_idle=dt.timedelta(hours=session_idle),
    )
    tune_gc()
    explicit = (
        click.get_current_context().get_parameter_source("port") is not ParameterSource.DEFAULT
    )
    sock = listen(host, port, tries=1 if explicit else TRIES)
    port = sock.getsockname()[1]
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    if not is_loopback(host):
        click.echo(
            f"Warning: listening on {host}: other machines on the network can reach it", err=True
        )
        click.echo(f"It answers requests addressed to: {', '.join(hosts)}", err=True)
    click.echo(f"Thematica workbench for {study}: {url}")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    config = uvicorn.Config(
        app,
        log_level="warning",
        proxy_headers=behind_proxy is not None,
        forwarded_allow_ips=behind_proxy or "",
    )
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
