"""The pytest plugin's fixtures, and the bundled client recovering from what they inject."""

import json
from pathlib import Path

import pytest
import requests

from uipath_emulator.client import UiPathClient
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import DEFAULT_TENANT_MACHINES

MACHINES = "https://cloud.uipath.com/acme/DefaultTenant/orchestrator_/odata/Machines"


def token_requests(emulator: Emulator) -> int:
    """How many token requests the emulator has answered."""
    return sum(1 for entry in emulator.requests if entry.path.endswith("/connect/token"))


def test_uipath_client_lists_the_default_world(uipath_client: UiPathClient) -> None:
    """`uipath_client` reaches `uipath_emulator` in-process and sees the seeded machines."""
    assert uipath_client.machines.list(count=True).count == DEFAULT_TENANT_MACHINES


def test_expired_token_mid_test_is_refreshed(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """After `clock.advance(3601)` the token is refused with 401 and the client recovers."""
    uipath_client.machines.list()
    uipath_emulator.clock.advance(3601)
    assert len(uipath_client.machines.list().items) == DEFAULT_TENANT_MACHINES
    statuses = [entry.status for entry in uipath_emulator.requests]
    assert statuses == [200, 200, 401, 200, 200]
    assert token_requests(uipath_emulator) == 2


def test_429_with_retry_after_is_retried_once(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """A 429 fault with `Retry-After: 1` is retried once after the client waits 1 s (no sleep)."""
    uipath_emulator.faults.add(
        method="GET", path="/odata/Machines$", status=429, headers={"Retry-After": "1"}
    )
    uipath_emulator.clock.freeze()
    before = uipath_emulator.clock.now()
    assert uipath_client.machines.list().items
    machine_calls = [e.status for e in uipath_emulator.requests if e.path.endswith("Machines")]
    assert machine_calls == [429, 200]
    assert uipath_emulator.clock.now() - before == 1


def test_503_then_success(uipath_emulator: Emulator, uipath_client: UiPathClient) -> None:
    """A single injected 503 is retried and the call succeeds."""
    uipath_emulator.faults.add(path="Machines\\(1\\)", status=503)
    assert uipath_client.machines.get(1)["Id"] == 1


def test_dropped_connection_is_retried_for_reads(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """A dropped connection on a GET is retried by the client."""
    uipath_emulator.faults.add(path="Machines\\(2\\)", drop=True)
    assert uipath_client.machines.get(2)["Id"] == 2


def test_fresh_world_per_test(uipath_emulator: Emulator) -> None:
    """`uipath_emulator` starts from the default world in every test (no leftovers)."""
    assert (
        len(uipath_emulator.state()["organizations"][0]["tenants"][0]["entities"]["Machines"])
        == DEFAULT_TENANT_MACHINES
    )
    uipath_emulator.load({"version": 1, "organizations": []})


def test_fresh_world_per_test_again(uipath_emulator: Emulator) -> None:
    """The previous test's emptied world does not leak into this one."""
    assert len(uipath_emulator.state()["organizations"]) == 2


WORLD = {
    "version": 1,
    "organizations": [
        {
            "name": "tiny",
            "id": "11111111-2222-4333-8444-555555555555",
            "apps": [
                {
                    "name": "app",
                    "client_id": "66666666-7777-4888-9999-000000000000",
                    "client_secret": "tiny-secret",
                    "confidential": True,
                    "scopes": ["OR.Machines"],
                }
            ],
            "tenants": [
                {
                    "name": "T",
                    "id": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
                    "machines": [{"Name": "only"}],
                }
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-machine world file."""
    path = tmp_path_factory.mktemp("worlds") / "tiny.json"
    path.write_text(json.dumps(WORLD))
    return path


def test_marker_world_file(request: pytest.FixtureRequest, tiny_world: Path) -> None:
    """`@pytest.mark.uipath_world(path)` loads that world into `uipath_emulator`."""
    request.node.add_marker(pytest.mark.uipath_world(str(tiny_world)))
    emulator: Emulator = request.getfixturevalue("uipath_emulator")
    assert [org.name for org in emulator.world.organizations] == ["tiny"]


def test_uipath_server_is_reset_between_tests(uipath_server: EmulatorServer) -> None:
    """`uipath_server` is a real HTTP server, reset to the default world before each test."""
    base = uipath_server.base_url
    response = requests.get(f"{base}/_emulator/health", timeout=10)
    assert response.json() == {"status": "ok"}
    requests.post(f"{base}/_emulator/clock", json={"advance_seconds": 99999}, timeout=10)


def test_uipath_server_reset_cleared_the_clock(uipath_server: EmulatorServer) -> None:
    """The clock moved by the previous test is back to wall time."""
    assert abs(uipath_server.emulator.clock.now() - Emulator().clock.now()) < 60
