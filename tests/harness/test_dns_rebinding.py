"""DNS rebinding: the control plane answers only requests that name this machine in `Host`."""

from collections.abc import Iterator

import pytest
import requests

from tests.orchestrator.helpers import MACHINES, call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer

EVIL = {"Host": "evil.example:8080", "Origin": "http://evil.example:8080"}


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    """An emulator served on a free loopback port, control plane on, no control token."""
    with EmulatorServer(Emulator(), host="127.0.0.1", port=0) as running:
        yield running


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "reset"), ("GET", "state"), ("PUT", "state"), ("GET", "requests")],
)
def test_foreign_host_is_refused_by_the_control_plane(
    server: EmulatorServer, method: str, path: str
) -> None:
    """A request naming another host (a rebound DNS name) gets 403 and changes nothing."""
    http = server.emulator.app.test_client()
    call(http, "DELETE", path=f"{MACHINES}(1)")
    response = requests.request(
        method, f"{server.base_url}/_emulator/{path}", headers=EVIL, json={}, timeout=10
    )
    assert response.status_code == 403
    assert "evil.example" in response.json()["message"]
    assert "Host" in response.json()["message"]
    assert call(http, "GET", path=f"{MACHINES}(1)").status_code == 404


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "app.localhost", "[::1]"])
def test_loopback_names_reach_the_control_plane(server: EmulatorServer, host: str) -> None:
    """`Host` values that can only mean this machine are served, with or without a port."""
    for value in (host, f"{host}:{server.port}"):
        response = requests.get(
            f"{server.base_url}/_emulator/health", headers={"Host": value}, timeout=10
        )
        assert response.status_code == 200, (value, response.text)


def test_the_bound_address_reaches_the_control_plane() -> None:
    """A server bound to another loopback address accepts that address as `Host`."""
    with EmulatorServer(Emulator(), host="127.0.0.2", port=0) as running:
        response = requests.get(f"{running.base_url}/_emulator/health", timeout=10)
    assert response.status_code == 200


def test_control_token_lets_other_host_names_in() -> None:
    """With a control token the token decides, whatever name the client used."""
    emulator = Emulator(control_token="s3cret")
    with EmulatorServer(emulator, host="127.0.0.1", port=0) as running:
        url = f"{running.base_url}/_emulator/health"
        refused = requests.get(url, headers={"Host": "emulator.lan"}, timeout=10)
        allowed = requests.get(
            url, headers={"Host": "emulator.lan", "Authorization": "Bearer s3cret"}, timeout=10
        )
    assert refused.status_code == 401
    assert allowed.status_code == 200


def test_the_service_api_still_answers_any_host(server: EmulatorServer) -> None:
    """Only the control plane checks `Host`: the emulated APIs answer whatever name was used."""
    response = requests.get(f"{server.base_url}{MACHINES}", headers=EVIL, timeout=10)
    assert response.status_code == 401


def test_in_process_control_requests_are_served() -> None:
    """In-process there is no network to rebind: the control plane answers the cloud's host."""
    emulator = Emulator()
    with emulator.intercept():
        response = requests.get("https://cloud.uipath.com/_emulator/health", timeout=10)
    assert response.status_code == 200
