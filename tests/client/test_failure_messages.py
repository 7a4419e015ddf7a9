"""What the bundled client says when it cannot get through: short, exact, and with a hint."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from uipath_emulator.client import AuthenticationError, TransportError, UiPathClient
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import FULL, TENANT


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    """An emulator on a free loopback port."""
    with EmulatorServer(Emulator()) as running:
        yield running


def client_for(
    base_url: str, organization: str = "acme", sleeps: list[float] | None = None
) -> UiPathClient:
    """The well-known full app's client against `base_url`, sleeping into `sleeps`."""
    recorded = sleeps if sleeps is not None else []
    return UiPathClient(
        base_url,
        organization=organization,
        tenant=TENANT,
        client_id=FULL.client_id,
        client_secret=str(FULL.client_secret),
        sleep=recorded.append,
        jitter=lambda: 0.5,
    )


def test_unknown_organization_shows_the_servers_message(server: EmulatorServer) -> None:
    """A 404 from the token endpoint carries the service's own message in the error."""
    with (
        client_for(server.base_url, organization="acmee") as uipath,
        pytest.raises(AuthenticationError) as raised,
    ):
        uipath.token()
    assert raised.value.status == 404
    assert str(raised.value) == (
        "token request failed (token request rejected with HTTP 404): "
        "Organization 'acmee' does not exist."
    )


def test_https_against_the_plain_http_emulator_fails_at_once_with_a_hint(
    server: EmulatorServer,
) -> None:
    """https:// to a plain-HTTP server is one attempt, no waits, and says to use http://."""
    sleeps: list[float] = []
    https_url = f"https://127.0.0.1:{server.port}"
    with client_for(https_url, sleeps=sleeps) as uipath, pytest.raises(TransportError) as raised:
        uipath.token()
    assert raised.value.attempts == 1
    assert sleeps == []
    message = str(raised.value)
    assert message.startswith(
        f"POST {https_url}/acme/identity_/connect/token: TLS handshake failed ("
    )
    assert message.endswith("use an http:// URL")


def test_connection_refused_is_one_short_line_naming_the_url() -> None:
    """Nothing listening gives one line with the URL and the reason, after the retries."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    with (
        client_for(f"http://127.0.0.1:{port}", sleeps=sleeps) as uipath,
        pytest.raises(TransportError) as raised,
    ):
        uipath.token()
    assert str(raised.value) == (
        f"POST http://127.0.0.1:{port}/acme/identity_/connect/token: cannot connect: connection "
        "refused (is the server running on that port?) (after 4 attempt(s))"
    )
    assert len(sleeps) == 3


def test_the_emulator_answers_a_tls_hello_at_once(server: EmulatorServer) -> None:
    """A TLS ClientHello on the plain-HTTP port gets a 400 saying to use http://, not a wait."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(bytes.fromhex("160301002a0100002603030000"))
        answer = b""
        while chunk := sock.recv(4096):  # the server closes after its answer
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 400 Bad Request")
    assert b"This is a plain-HTTP server: connect with http://, not https://." in answer
