"""``thematica serve``: the workbench in the browser, on this machine only by default."""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path

import click

from thematica.cli.output import CliError


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
    help="Port (0: any free port).",
)
@click.option(
    "--open", "open_browser", is_flag=True, help="Open the workbench in the default browser."
)
@click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Anonymisation key file (default: STUDY.thematica-key).",
)
def serve(
    study: str,
    host: str,
    allowed: tuple[str, ...],
    port: int,
    open_browser: bool,
    key: Path | None,
) -> None:
    """Open STUDY in the workbench: a web app on this machine (nothing leaves it; no outside
    requests of any kind). Prints the address; Ctrl+C stops it.

    It answers only requests addressed to it by name: localhost, 127.0.0.1 and [::1]; on a
    team server (--host 0.0.0.0), also this machine's name and the address it listens on, or
    instead of those the names given with --allowed-host.

    \b
    Examples:
        thematica serve msk.thematica --open
        thematica serve msk.thematica --host 0.0.0.0 --allowed-host thematica.lab.example
    """
    import uvicorn

    from thematica.web.app import create_app, tune_gc
    from thematica.web.hosts import HostNameError, allowed_hosts, is_loopback

    try:
        hosts = allowed_hosts(host, allowed)
    except HostNameError as exc:
        raise click.BadParameter(str(exc), param_hint="--allowed-host") from None
    app = create_app(study, key, hosts)
    tune_gc()
    if port == 0:
        with socket.socket() as probe:
            probe.bind((host, 0))
            port = probe.getsockname()[1]
    url = f"http://{host}:{port}/"
    if not is_loopback(host):
        click.echo(
            f"Warning: listening on {host}: other machines on the network can reach it", err=True
        )
        click.echo(f"It answers requests addressed to: {', '.join(hosts)}", err=True)
    click.echo(f"Thematica workbench for {study}: {url}")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    except OSError as exc:
        raise CliError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
