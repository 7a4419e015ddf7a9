"""Bad input found in review: each gets a clear 4xx, changes nothing, and leaks nothing."""

import json
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from tests.identity.helpers import post_token
from tests.orchestrator.helpers import MACHINES, assert_orchestrator_error, call, token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.cli.banner import start_banner
from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import FULL
from uipath_emulator.mock_server.world import load_world

BULK_DELETE = f"{MACHINES}/UiPath.Server.Configuration.OData.DeleteBulk"
HUGE_INT = "9" * 5000


def test_backtracking_fault_pattern_cannot_hang_the_server(emulator: Emulator) -> None:
    """A fault path pattern that backtracks without end is matched with a time limit."""
    http = emulator.app.test_client()
    emulator.faults.add(path=r"^/(a+)+$", status=500)
    emulator.faults.add(path=r"^/(\w+\s?)*!$", status=500)
    response = http.get("/" + "a" * 60 + "b")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "spec",
    [
        {"status": 500, "headers": {"X-A": "one\r\ntwo"}},
        {"status": 500, "headers": {"X-A": "\u20ac"}},
        {"status": 500, "headers": {"": "x"}},
        {"status": 500, "headers": {"Content-Length": "1"}},
        {"status": 500, "headers": {"Transfer-Encoding": "chunked"}},
        {"status": 101},
        {"status": 204, "body": {"a": 1}},
    ],
)
def test_fault_that_would_break_http_is_refused(http: FlaskClient, spec: dict[str, Any]) -> None:
    """Fault headers must be valid one-line HTTP headers the server does not own; 1xx is refused."""
    response = http.post("/_emulator/faults", json=spec)
    assert response.status_code == 400
    assert http.get("/_emulator/faults").get_json() == {"faults": []}


@pytest.mark.parametrize(
    "path",
    ["a{100000000}", "(?:a{1000}){1000}", "x{1}y{2}z{3}", "a" * 301],
    ids=["huge count", "nested counts", "three counts", "too long"],
)
def test_fault_pattern_too_costly_to_compile_is_refused(http: FlaskClient, path: str) -> None:
    """Patterns whose compiled form would take huge memory are refused before compiling."""
    response = http.post("/_emulator/faults", json={"path": path, "status": 503})
    assert response.status_code == 400
    assert http.get("/_emulator/faults").get_json() == {"faults": []}


def test_fault_count_is_bounded_and_all_or_nothing(http: FlaskClient) -> None:
    """A batch that would pass 100 active faults is refused whole."""
    assert (
        http.post("/_emulator/faults", json=[{"status": 500, "path": "x"}] * 99).status_code == 201
    )
    response = http.post("/_emulator/faults", json=[{"status": 500, "path": "y"}] * 2)
    assert response.status_code == 400
    assert len(http.get("/_emulator/faults").get_json()["faults"]) == 99


@pytest.mark.parametrize(
    "actions",
    [
        [{"advance_seconds": 1e300}],
        [{"set": "8999-12-31T23:59:59Z"}, {"advance_seconds": 10}],
        [{"set": "9999-12-31T23:59:59.5Z"}],
        [{"set": "0001-01-01T00:00:00+14:00"}],
        [{"set": "1970-01-01T00:00:05Z"}, {"advance_seconds": -10}],
    ],
)
def test_clock_cannot_leave_its_range(
    emulator: Emulator, http: FlaskClient, actions: list[dict[str, Any]]
) -> None:
    """A clock action that would leave 1970 to 9000 gets 400, and the clock keeps working."""
    http.post("/_emulator/clock", json={"freeze": True})
    statuses = [http.post("/_emulator/clock", json=action).status_code for action in actions]
    assert statuses[-1] == 400
    assert http.get("/_emulator/clock").status_code == 200
    assert post_token(http, {"grant_type": "client_credentials"}).status_code == 400


def test_nan_clock_advance_is_refused(emulator: Emulator, http: FlaskClient) -> None:
    """`advance_seconds: NaN` (Python's JSON reads it) is refused and time is unchanged."""
    emulator.clock.freeze()
    before = emulator.clock.now()
    response = http.post("/_emulator/clock", data=b'{"advance_seconds": NaN}')
    assert response.status_code == 400
    assert emulator.clock.now() == before


@pytest.mark.parametrize("body", [b'"x"', b"null", b"[]", b"3"])
def test_state_that_is_not_an_object_is_400(http: FlaskClient, body: bytes) -> None:
    """PUT /_emulator/state with JSON that is not an object gets 400 saying so."""
    response = http.put("/_emulator/state", data=body)
    assert response.status_code == 400
    assert "object" in response.get_json()["message"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", MACHINES, '{"Name": ' + HUGE_INT + "}"),
        ("POST", BULK_DELETE, '{"machineIds": [' + HUGE_INT + "]}"),
    ],
)
def test_huge_integer_in_a_body_is_400(
    http: FlaskClient, method: str, path: str, body: str
) -> None:
    """A JSON number too large for Python to read gets 400, not 500."""
    headers = {"Authorization": f"Bearer {token_for(http)}", "Content-Type": "application/json"}
    response = http.open(path, method=method, data=body, headers=headers)
    assert_orchestrator_error(response, 400, 1000)


def test_huge_integer_in_a_control_body_is_400(http: FlaskClient) -> None:
    """The control plane refuses an unreadable number with its own 400."""
    assert http.post("/_emulator/faults", data='{"status": ' + HUGE_INT + "}").status_code == 400


def test_non_ascii_basic_credentials_are_invalid_client(http: FlaskClient) -> None:
    """A Basic header that is not base64 text is no credential at all: invalid_client."""
    response = post_token(
        http, {"grant_type": "client_credentials"}, headers={"Authorization": "Basic \xe9\xe9"}
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid_client"}


@pytest.mark.parametrize(
    "accept",
    [
        "application/json;odata.metadata=minimal",
        "application/json; odata.metadata=minimal; odata.streaming=true",
        "application/json;charset=utf-8",
    ],
)
def test_accept_with_parameters_is_json(http: FlaskClient, accept: str) -> None:
    """JSON media types with parameters (as OData clients send them) are served."""
    assert call(http, "GET", headers={"Accept": accept}).status_code == 200


def test_accept_with_zero_quality_json_is_406(http: FlaskClient) -> None:
    """`application/json;q=0` refuses JSON, so the answer is 406."""
    response = call(http, "GET", headers={"Accept": "application/json;q=0"})
    assert_orchestrator_error(response, 406, 0)


@pytest.mark.parametrize(
    ("query", "authorization"),
    [
        ("client%5Fsecret=emulator-full-secret", None),
        ("Client_Secret=emulator-full-secret", None),
        ("", "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl"),
        ("", "Bearer\teyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl"),
    ],
)
def test_journal_redacts_odd_secrets(
    emulator: Emulator, http: FlaskClient, query: str, authorization: str | None
) -> None:
    """Percent-encoded or odd-case secret names and scheme-less tokens never reach the journal."""
    headers = {"Authorization": authorization} if authorization else {}
    http.get(f"{MACHINES}?{query}", headers=headers)
    text = json.dumps([entry.as_dict() for entry in emulator.requests])
    assert "emulator-full-secret" not in text
    assert "c2lnbmF0dXJl" not in text


def test_world_with_a_bad_date_time_is_refused(http: FlaskClient) -> None:
    """A machine date-time that is not RFC 3339 is refused in a world document."""
    state = http.get("/_emulator/state").get_json()
    machine = state["organizations"][0]["tenants"][0]["entities"]["Machines"][3]
    machine["MaintenanceWindow"]["nextExecutionTime"] = "not a date"
    response = http.put("/_emulator/state", json=state)
    assert response.status_code == 400
    assert "nextExecutionTime" in response.get_json()["message"]


@pytest.mark.parametrize(
    "body", [{"Name": "X", "UnattendedSlots": 5.0}, {"Name": "X", "HeadlessSlots": 1e1}]
)
def test_float_slot_counts_are_refused(http: FlaskClient, body: dict[str, Any]) -> None:
    """Slot counts must be JSON integers; 5.0 would be stored and served as a float."""
    assert_orchestrator_error(call(http, "POST", json=body), 400, 1000)


def test_machine_ids_stop_at_int64() -> None:
    """Once the int64 ids are used up, create gets 400 instead of an unaddressable machine."""
    world = Emulator().state()
    world["organizations"][0]["tenants"][0]["next_ids"] = {"Machines": 2**63 - 1}
    http = Emulator(world).app.test_client()
    assert call(http, "POST", json={"Name": "last"}).get_json()["Id"] == 2**63 - 1
    assert_orchestrator_error(call(http, "POST", json={"Name": "one too many"}), 400, 1000)


def test_next_machine_id_beyond_int64_is_refused() -> None:
    """A world whose id counter is past int64 is refused on load."""
    world = Emulator().state()
    world["organizations"][0]["tenants"][0]["next_ids"] = {"Machines": 2**63}
    with pytest.raises(ValueError, match=r"next_ids\.Machines"):
        load_world(world, default_registry())


@pytest.mark.parametrize("path", [MACHINES, "/_emulator/reset"])
def test_options_is_405_in_the_service_shape(http: FlaskClient, path: str) -> None:
    """OPTIONS is not served (no empty HTML answer): a JSON 405."""
    response = http.open(path, method="OPTIONS")
    assert response.status_code == 405
    assert response.is_json


def test_status_lines_use_asp_net_reason_phrases(uipath_server: EmulatorServer) -> None:
    """The server writes `401 Unauthorized` as ASP.NET does, not werkzeug's `401 UNAUTHORIZED`."""
    url = f"{uipath_server.base_url}/acme/DefaultTenant/orchestrator_/odata/Machines"
    assert requests.get(url, timeout=10).reason == "Unauthorized"


def test_banner_masks_secrets_of_other_worlds() -> None:
    """Only the published well-known secrets are printed; a world file's own secrets are masked."""
    world = Emulator().state()
    world["organizations"][0]["apps"][0]["client_secret"] = "my-real-looking-secret"
    banner = start_banner("http://127.0.0.1:8080", load_world(world, default_registry()))
    assert "my-real-looking-secret" not in banner
    assert str(FULL.client_secret) not in banner
    assert "emulator-readonly-secret" in banner
