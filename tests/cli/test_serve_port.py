"""``thematica serve`` on a busy port: it never prints an address that is not its own."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from thematica.cli.output import CliError
from thematica.cli.serve import listen

THEMATICA = [sys.executable, "-m", "thematica"]


@contextlib.contextmanager
def occupied(port: int = 0) -> Iterator[int]:
    """A port some other program is listening on."""
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        other.bind(("127.0.0.1", port))
        other.listen()
        yield other.getsockname()[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    subprocess.run([*THEMATICA, "demo", str(folder)], check=True, capture_output=True)
    return folder / "demo.thematica"


def test_a_busy_port_given_with_port_is_refused_before_any_address(demo: Path) -> None:
    with occupied() as port:
        done = subprocess.run(
            [*THEMATICA, "serve", str(demo), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert "http" not in done.stdout
    (line,) = done.stderr.strip().splitlines()
    assert f"port {port} is already in use" in line and "--port" in line


def test_without_port_the_next_free_port_is_used() -> None:
    with occupied() as port:
        sock = listen("127.0.0.1", port, tries=5)
        try:
            assert sock.getsockname()[1] != port
            assert port < sock.getsockname()[1] < port + 5
        finally:
            sock.close()


def test_when_every_port_tried_is_busy_it_says_so() -> None:
    with occupied() as port, pytest.raises(CliError, match=f"port {port} is already in use"):
        listen("127.0.0.1", port, tries=1)


def test_the_default_port_busy_serves_on_the_next_and_prints_that(demo: Path) -> None:
    with contextlib.ExitStack() as stack:
        try:
            port = stack.enter_context(occupied(8765))
        except OSError:  # something else has 8765 already: just as good
            port = 8765
        server = stack.enter_context(
            subprocess.Popen(
                [*THEMATICA, "serve", str(demo)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        stack.callback(server.wait, 20)
        stack.callback(server.terminate)
        assert server.stdout is not None
        url = server.stdout.readline().strip().rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:") and f":{port}/" not in url
        for _ in range(150):
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    assert answer.status == 200
                    assert "Thematica" in answer.read().decode("utf-8")
                return
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        pytest.fail(f"the workbench printed {url} but did not answer there")


def test_accepted_connections_send_without_waiting_for_acks() -> None:
    """asyncio (and so uvicorn) sets TCP_NODELAY on an accepted socket only when the listening
    socket says it is TCP; without it each kept-alive request stalled ~40 ms (delayed ACKs)."""
    import asyncio
    import socket

    async def accept_one() -> int:
        sock = listen("127.0.0.1", 0)
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            peer = writer.get_extra_info("socket")
            seen.set_result(peer.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(connected, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
            value = await asyncio.wait_for(seen, 10)
            writer.close()
        return value

    assert asyncio.run(accept_one()) != 0
