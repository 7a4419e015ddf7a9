"""The control plane `/_emulator/`: reset, state, clock, faults, journal, access rules."""

import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.identity.helpers import credentials_form, post_token
from tests.orchestrator.helpers import MACHINES, call, token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.control.journal import JournalEntry, RequestJournal
from uipath_emulator.mock_server.well_known import FULL


def control(http: FlaskClient, method: str, path: str, body: Any = None) -> Any:
    """Call the control plane; returns the response."""
    return http.open(f"/_emulator/{path}", method=method, json=body)


def test_health(http: FlaskClient) -> None:
    """`GET /_emulator/health` answers `{"status": "ok"}`."""
    assert control(http, "GET", "health").get_json() == {"status": "ok"}


def test_reset_restores_world_clock_faults_and_journal(
    emulator: Emulator, http: FlaskClient
) -> None:
    """Reset brings back the start world and clears clock, faults and journal."""
    call(http, "DELETE", path=f"{MACHINES}(1)")
    emulator.clock.advance(500)
    emulator.faults.add(status=503, path="never-matches")
    assert control(http, "POST", "reset").status_code == 200
    assert len(emulator.requests) == 0
    assert len(emulator.faults) == 0
    assert not emulator.clock.frozen
    assert call(http, "GET", path=f"{MACHINES}(1)").status_code == 200


def test_state_round_trips(http: FlaskClient) -> None:
    """Dump, load, dump gives the identical document, new machines and id counters included."""
    call(http, "POST", json={"Name": "round-trip", "Tags": [{"Name": "a", "Value": "b"}]})
    first = control(http, "GET", "state").get_json()
    assert control(http, "PUT", "state", first).status_code == 200
    assert control(http, "GET", "state").get_json() == first


def test_python_state_round_trips(emulator: Emulator) -> None:
    """`emulator.load(emulator.state())` leaves `state()` unchanged."""
    before = emulator.state()
    emulator.load(before)
    assert emulator.state() == before


@pytest.mark.parametrize(
    ("mutate", "named"),
    [
        (
            lambda w: w["organizations"][0]["tenants"][0]["entities"]["Machines"][0].update(
                Type="Foo"
            ),
            "Type",
        ),
        (lambda w: w.update(version=3), "version"),
        (lambda w: w["organizations"][0]["apps"][1].update(client_id=FULL.client_id), "client_id"),
    ],
)
def test_rejected_state_changes_nothing(http: FlaskClient, mutate: Any, named: str) -> None:
    """A world document that fails validation gets 400 naming the field, and the world stays."""
    before = control(http, "GET", "state").get_json()
    broken = json.loads(json.dumps(before))
    mutate(broken)
    response = control(http, "PUT", "state", broken)
    assert response.status_code == 400
    assert named in response.get_json()["message"]
    assert control(http, "GET", "state").get_json() == before


def test_clock_advance_expires_tokens(http: FlaskClient) -> None:
    """Advancing the clock 3601 s through the control plane makes a fresh token expire."""
    token = token_for(http)
    response = control(http, "POST", "clock", {"advance_seconds": 3601})
    assert response.status_code == 200
    assert call(http, "GET", token=token).status_code == 401


def test_clock_freeze_set_unfreeze(emulator: Emulator, http: FlaskClient) -> None:
    """Freeze stops time, set jumps to an RFC 3339 instant, unfreeze lets it run again."""
    control(http, "POST", "clock", {"freeze": True})
    shown = control(http, "POST", "clock", {"set": "2030-01-01T00:00:00Z"}).get_json()
    assert shown == {"now": "2030-01-01T00:00:00+00:00", "timestamp": 1893456000.0, "frozen": True}
    assert control(http, "GET", "clock").get_json()["timestamp"] == 1893456000.0
    control(http, "POST", "clock", {"unfreeze": True})
    assert not emulator.clock.frozen
    assert emulator.clock.now() >= 1893456000.0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"advance_seconds": "1"},
        {"freeze": False},
        {"set": "yesterday"},
        {"set": "2030-01-01T00:00:00"},
        {"freeze": True, "unfreeze": True},
        [1],
    ],
)
def test_bad_clock_request_is_400(http: FlaskClient, body: Any) -> None:
    """A clock request that is not exactly one valid action gets 400 with a message."""
    response = control(http, "POST", "clock", body)
    assert response.status_code == 400
    assert response.get_json()["message"]


def test_status_fault_answers_the_next_matching_requests(http: FlaskClient) -> None:
    """A 429 fault with Retry-After answers `times` matching requests, then the service is back."""
    fault = {"method": "GET", "path": "/odata/Machines$", "status": 429, "times": 2,
             "headers": {"Retry-After": "1"}, "body": {"message": "slow down"}}  # fmt: skip
    assert control(http, "POST", "faults", fault).status_code == 201
    token = token_for(http)
    for _ in range(2):
        response = call(http, "GET", token=token)
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "1"
        assert response.get_json() == {"message": "slow down"}
    assert call(http, "GET", token=token).status_code == 200
    assert control(http, "GET", "faults").get_json() == {"faults": []}


def test_fault_only_matches_its_method_and_path(http: FlaskClient) -> None:
    """A fault for POST on the token endpoint leaves GETs on Machines alone."""
    control(http, "POST", "faults", {"method": "POST", "path": "connect/token", "status": 503})
    assert post_token(http, credentials_form()).status_code == 503
    assert call(http, "GET").status_code == 200


def test_delay_fault_waits_with_the_injected_sleep() -> None:
    """A delay_ms fault waits through the emulator's sleep, then the service answers."""
    slept: list[float] = []
    emulator = Emulator(sleep=slept.append)
    http = emulator.app.test_client()
    emulator.faults.add(path="Machines", delay_ms=250)
    assert call(http, "GET").status_code == 200
    assert slept == [0.25]


def test_faults_can_be_listed_and_cleared(http: FlaskClient) -> None:
    """GET lists active faults with their match counts; DELETE removes them all."""
    control(http, "POST", "faults", [{"status": 500, "times": None, "path": "x-never"}])
    listed = control(http, "GET", "faults").get_json()["faults"]
    assert [(f["status"], f["times"], f["matched"]) for f in listed] == [(500, None, 0)]
    assert control(http, "DELETE", "faults").status_code == 204
    assert control(http, "GET", "faults").get_json() == {"faults": []}


@pytest.mark.parametrize(
    "spec",
    [{"status": 99}, {"path": "("}, {"times": 0, "status": 500}, {"method": "FETCH", "status": 500},
     {}, {"drop": True, "status": 500}, {"status": 500, "colour": "red"}, {"delay_ms": -1},
     {"status": 500, "headers": {"X": 1}}, "text"],
)  # fmt: skip
def test_bad_fault_is_400_and_adds_nothing(http: FlaskClient, spec: Any) -> None:
    """An unusable fault description gets 400 naming the problem and no fault is added."""
    response = control(http, "POST", "faults", spec)
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("fault rejected")
    assert control(http, "GET", "faults").get_json() == {"faults": []}


def test_journal_records_requests_without_secrets(http: FlaskClient) -> None:
    """The journal has method, path, query, status and duration, and no secret or token."""
    token = token_for(http)
    call(http, "GET", path=f"{MACHINES}?$top=1&access_token=leak", token=token)
    entries = control(http, "GET", "requests").get_json()["requests"]
    assert [(e["method"], e["status"]) for e in entries] == [("POST", 200), ("GET", 200)]
    assert entries[1]["query"] == {"$top": "1", "access_token": "***"}
    assert entries[1]["authorization"] == "Bearer ***"
    assert entries[1]["duration_ms"] >= 0
    text = json.dumps(entries)
    assert token not in text
    assert str(FULL.client_secret) not in text
    assert "leak" not in text


def test_basic_credentials_are_redacted_in_the_journal(
    emulator: Emulator, http: FlaskClient
) -> None:
    """HTTP Basic client authentication shows in the journal as `Basic ***` only."""
    import base64

    pair = base64.b64encode(f"{FULL.client_id}:{FULL.client_secret}".encode()).decode()
    post_token(
        http, {"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {pair}"}
    )
    (entry,) = emulator.requests
    assert entry.authorization == "Basic ***"
    assert pair not in repr(entry)


def test_journal_can_be_cleared(emulator: Emulator, http: FlaskClient) -> None:
    """DELETE /_emulator/requests empties the journal; control calls are not journaled."""
    call(http, "GET")
    assert control(http, "DELETE", "requests").status_code == 204
    control(http, "GET", "requests")
    assert len(emulator.requests) == 0


def test_control_plane_can_be_turned_off() -> None:
    """With the control plane off, every `/_emulator/` route answers 404."""
    http = Emulator(control_enabled=False).app.test_client()
    assert control(http, "GET", "health").status_code == 404
    assert control(http, "POST", "reset").status_code == 404


def test_control_token_is_required_when_set() -> None:
    """With a control token, the control plane needs `Authorization: Bearer <token>`."""
    http = Emulator(control_token="s3cret").app.test_client()
    assert control(http, "GET", "health").status_code == 401
    response = http.get("/_emulator/health", headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200


def test_bad_json_body_is_400(http: FlaskClient) -> None:
    """A control request whose body is not JSON gets 400 saying so."""
    response = http.post("/_emulator/faults", data=b"{", content_type="application/json")
    assert response.status_code == 400
    assert "not valid JSON" in response.get_json()["message"]


def test_cross_site_control_requests_are_refused(emulator: Emulator, http: FlaskClient) -> None:
    """A POST whose Origin is another site is refused with 403, and nothing changes."""
    call(http, "DELETE", path=f"{MACHINES}(1)")
    response = http.post("/_emulator/reset", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert call(http, "GET", path=f"{MACHINES}(1)").status_code == 404


def test_same_origin_control_requests_are_allowed(http: FlaskClient) -> None:
    """The dashboard's own requests (Origin = the emulator's host) are accepted."""
    response = http.post("/_emulator/reset", headers={"Origin": "http://localhost"})
    assert response.status_code == 200


def test_world_documents_and_the_world_share_nothing() -> None:
    """Changing a document after loading it, or a `state()` copy, never changes the world."""
    document = Emulator().state()
    emulator = Emulator(document)
    machine = document["organizations"][0]["tenants"][0]["entities"]["Machines"][0]
    machine["Name"] = "changed outside"
    machine["Tags"].append({"Name": "outside"})
    emulator.state()["organizations"][0]["tenants"][0]["entities"]["Machines"][0]["Tags"].clear()
    current = emulator.state()["organizations"][0]["tenants"][0]["entities"]["Machines"][0]
    assert (current["Name"], len(current["Tags"])) == ("BUILD-AGENT-01", 2)
    http = emulator.app.test_client()
    call(http, "PATCH", path=f"{MACHINES}(1)", json={"Tags": [{"Name": "patched"}]})
    emulator.reset()
    restored = emulator.state()["organizations"][0]["tenants"][0]["entities"]["Machines"][0]
    assert restored["Name"] == "BUILD-AGENT-01"
    assert [tag["Name"] for tag in restored["Tags"]] == ["team", "env"]


def test_journal_cuts_long_paths_and_stays_bounded_in_bytes(emulator: Emulator) -> None:
    """1,000 requests with 250 kB paths keep the journal near its byte bound, paths marked cut."""
    http = emulator.app.test_client()
    long_path = "/acme/DefaultTenant/orchestrator_/odata/" + "x" * 250_000
    for _ in range(1000):
        http.get(long_path, query_string={"q": "y" * 10_000})
    entries = emulator.requests.entries()
    assert len(entries) == 1000
    assert emulator.requests.size_bytes <= 8 * 1024 * 1024
    assert entries[-1].path.endswith(f"...[truncated: {len(long_path)} characters in all]")
    assert len(entries[-1].path) < 2100
    assert "truncated" in entries[-1].query_string


def test_journal_drops_oldest_entries_past_its_byte_bound() -> None:
    """A journal bounded in bytes keeps the newest entries that fit."""
    journal = RequestJournal(capacity=1000, max_bytes=10_000)
    for n in range(100):
        journal.record(
            JournalEntry(float(n), "GET", "/" + "p" * 1000, "", None, 200, 1.0, fault=False)
        )
    kept = journal.entries()
    assert 1 <= len(kept) < 100
    assert kept[-1].timestamp == 99.0
    assert journal.size_bytes <= 10_000


def test_requests_takes_a_limit(emulator: Emulator, http: FlaskClient) -> None:
    """`GET /_emulator/requests?limit=N` answers the newest N entries, oldest first."""
    for n in range(5):
        http.get(f"/nowhere/{n}")
    answer = control(http, "GET", "requests?limit=2").get_json()["requests"]
    assert [entry["path"] for entry in answer] == ["/nowhere/3", "/nowhere/4"]
    assert len(control(http, "GET", "requests?limit=0").get_json()["requests"]) == 0
    assert len(control(http, "GET", "requests").get_json()["requests"]) == 5


@pytest.mark.parametrize("limit", ["-1", "x", "1.5", "\u0663", "9" * 12])
def test_requests_limit_must_be_a_count(http: FlaskClient, limit: str) -> None:
    """A `limit` that is not a plain non-negative integer gets 400."""
    response = http.get("/_emulator/requests", query_string={"limit": limit})
    assert response.status_code == 400
    assert response.get_json()["message"] == "limit: must be a non-negative integer"


def test_dashboard_asks_only_for_the_requests_it_shows(http: FlaskClient) -> None:
    """The dashboard polls the journal with `limit`, never the whole journal."""
    page = http.get("/_emulator/").get_data(as_text=True)
    assert 'urls.requests += "?limit=" + SHOWN;' in page
