"""The server transport's limits: many idle connections, the connection limit, big bodies."""

import logging
import os
import select
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.orchestrator.helpers import MACHINES
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports import server as server_module
from uipath_emulator.mock_server.transports.server import (
    SELECT_LIMIT,
    EmulatorServer,
    _AdaptiveLoop,
)

TOKEN_PATH = "/acme/identity_/connect/token"


def _connect(server: EmulatorServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _read_answer(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    """An emulator on a free loopback port with the default limits."""
    with EmulatorServer(Emulator(), host="127.0.0.1", port=0) as running:
        yield running


def test_200_idle_connections_do_not_starve_a_new_client(server: EmulatorServer) -> None:
    """With 200 idle keep-alive connections open, a new client is still answered at once."""
    idle = []
    try:
        for _ in range(200):
            sock = _connect(server)
            sock.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert b" 200 " in _read_answer(sock).split(b"\r\n", 1)[0]
            idle.append(sock)  # kept open and idle, as an un-closed session's pool leaves it
        probe = requests.get(f"{server.base_url}/_emulator/health", timeout=5)
        assert probe.status_code == 200
    finally:
        for sock in idle:
            sock.close()


def test_connections_past_descriptor_1023_are_served(server: EmulatorServer) -> None:
    """A server whose process holds over a thousand descriptors keeps answering: a connection
    numbered past `select()`'s limit is served, and so is one after those are closed."""
    health = b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    held = []
    try:
        while not held or held[-1] < SELECT_LIMIT + 16:
            held.append(os.open(os.devnull, os.O_RDONLY))
        sock = _connect(server)
        try:
            sock.sendall(health)
            assert b" 200 " in _read_answer(sock).split(b"\r\n", 1)[0]
        finally:
            sock.close()
    finally:
        for descriptor in held:
            os.close(descriptor)
    assert requests.get(f"{server.base_url}/_emulator/health", timeout=5).status_code == 200


class _LeavesAtOnce:
    """A dispatcher that watches nothing and leaves the socket map at its first look."""

    accepting = False

    def __init__(self, socket_map: dict[int, Any]) -> None:
        self._map = socket_map

    def readable(self) -> bool:
        self._map.clear()
        return False

    def writable(self) -> bool:
        return False


def test_the_loop_polls_with_select_where_there_is_no_poll(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without `select.poll` (Windows, whose `select()` takes any socket handle) a descriptor
    past 1023 is polled with `select()`, as waitress's own loop does, instead of crashing."""
    monkeypatch.setattr(server_module, "_HAS_POLL", False)
    monkeypatch.delattr(select, "poll")
    socket_map: dict[int, Any] = {}
    socket_map[SELECT_LIMIT + 500] = _LeavesAtOnce(socket_map)
    _AdaptiveLoop.loop(0.0, True, socket_map)
    assert socket_map == {}


def test_reaching_the_connection_limit_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    """When the limit is reached the server says so, naming the option that raises it."""
    caplog.set_level(logging.WARNING, logger="uipath_emulator")
    with EmulatorServer(Emulator(), connection_limit=8, idle_timeout=60) as running:
        socks = [_connect(running) for _ in range(10)]
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and "--connection-limit" not in caplog.text:
                # Each new connection makes the server look at its limit again.
                socket.create_connection(("127.0.0.1", running.port), timeout=1).close()
        finally:
            for sock in socks:
                sock.close()
    assert "8 open connections reached the limit" in caplog.text
    assert "--connection-limit" in caplog.text


def test_idle_connections_are_closed_after_the_idle_timeout() -> None:
    """A connection that sends nothing is closed by the server after `idle_timeout` seconds."""
    with EmulatorServer(Emulator(), idle_timeout=1) as running:
        sock = _connect(running)
        try:
            assert sock.recv(1) == b""  # the server closed it (recv would time out otherwise)
        finally:
            sock.close()


@pytest.mark.parametrize(
    ("path", "shape"),
    [(TOKEN_PATH, "oauth"), (MACHINES, "orchestrator"), ("/_emulator/state", "control")],
)
def test_oversized_body_is_refused_before_it_is_read(
    server: EmulatorServer, path: str, shape: str
) -> None:
    """A 1 GiB Content-Length is answered 413 in the service's shape before any body is sent."""
    sock = _connect(server)
    try:
        sock.sendall(
            f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {1024**3}\r\n\r\n".encode()
        )
        answer = _read_answer(sock)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413 ")
    body = answer.partition(b"\r\n\r\n")[2]
    expected = {"oauth": b'{"error":"invalid_request"', "orchestrator": b'{"message":"The request'}
    assert body.startswith(expected.get(shape, b'{"message":"The request body is larger'))


def test_oversized_chunked_body_is_refused(server: EmulatorServer) -> None:
    """A chunked body that grows past 1 MiB gets 413 in Orchestrator's shape, nothing stored."""

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 65536

    response = requests.post(f"{server.base_url}{MACHINES}", data=chunks(), timeout=10)
    assert response.status_code == 413
    assert list(response.json()) == ["message", "errorCode", "traceId"]
    assert (
        len(server.emulator.world.find_organization("acme").find_tenant("QA").store("Machines"))
        == 4
    )


def test_body_at_the_limit_is_read(server: EmulatorServer) -> None:
    """A body of exactly 1 MiB is read and answered by the service, not refused as too large."""
    body = b"grant_type=client_credentials&client_id=x&pad=" + b"a" * (1024 * 1024 - 46)
    assert len(body) == 1024 * 1024
    response = requests.post(
        f"{server.base_url}{TOKEN_PATH}",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    assert response.json() == {"error": "invalid_client"}


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /" + b"a" * 300_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"431"),
        (b"GARBAGE\r\n\r\n", b"400"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", b"400"),
    ],
    ids=["request line over 256 kB", "not HTTP", "bad Content-Length"],
)
def test_malformed_http_is_answered_not_hung(
    server: EmulatorServer, request_bytes: bytes, status: bytes
) -> None:
    """What the HTTP parser refuses is answered at once (as Kestrel does, without a JSON body)."""
    sock = _connect(server)
    try:
        sock.sendall(request_bytes)
        answer = sock.recv(4096)
    finally:
        sock.close()
    assert answer.split(b" ", 2)[1] == status
