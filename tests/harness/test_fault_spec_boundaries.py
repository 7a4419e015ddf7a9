"""Fault descriptions at their limits, each refusal with its exact message, and fault matching."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.identity.helpers import credentials_form, post_token
from tests.orchestrator.helpers import MACHINES, call, token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.control.faults import (
    HTTP_METHODS,
    Fault,
    FaultList,
    FaultSpecError,
    fault_from_spec,
)

METHODS = "['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']"
TIMES = "times: must be a positive integer, or null for every request"
HEADERS = "headers: must be an object of header names to string values"
VALUE = "headers: the value of X-A must be one line of Latin-1 text"
NOTHING = "a fault needs a status, a delay_ms or drop: true"
DROP_STATUS = "drop: a dropped connection has no status; give one or the other"
BAD_PATTERN = "path: not a usable regular expression: missing ) at position 1"
STATUS = "status: must be an HTTP status code from 200 to 599"
DELAY = "delay_ms: must be an integer from 0 to 60000"
MEMBERS = "['body', 'delay_ms', 'drop', 'headers', 'method', 'path', 'status', 'times']"


def described(**members: Any) -> dict[str, Any]:
    """A fault as the control plane lists it: the defaults, with `members` changed."""
    fault = {
        "method": None, "path": ".*", "times": 1, "status": None, "headers": {}, "body": None,
        "delay_ms": 0, "drop": False, "matched": 0,
    }  # fmt: skip
    return {**fault, **members}


def refusal(spec: Any) -> str:
    """The message `fault_from_spec` refuses `spec` with."""
    with pytest.raises(FaultSpecError) as caught:
        fault_from_spec(spec)
    return str(caught.value)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("text", "a fault must be a JSON object"),
        ([{"status": 500}], "a fault must be a JSON object"),
        ({"status": 500, "colour": "red", "area": 1}, f"unknown member 'area'; use {MEMBERS}"),
        ({"status": 500, "method": "FETCH"}, f"method: must be one of {METHODS} or null"),
        ({"status": 500, "method": ""}, f"method: must be one of {METHODS} or null"),
        ({"status": 500, "method": 1}, f"method: must be one of {METHODS} or null"),
        ({"status": 500, "path": 1}, "path: must be a regular expression string"),
        ({"status": 500, "path": None}, "path: must be a regular expression string"),
        ({"status": 500, "times": 0}, TIMES),
        ({"status": 500, "times": True}, TIMES),
        ({"status": 500, "times": 1.0}, TIMES),
        ({"status": 199}, STATUS),
        ({"status": 600}, STATUS),
        ({"status": True}, STATUS),
        ({"status": 500.0}, STATUS),
        ({"status": "500"}, STATUS),
        ({"status": 204, "body": ""}, "body: a 204 answer has no body"),
        ({"status": 304, "body": {}}, "body: a 304 answer has no body"),
        ({"status": 500, "headers": None}, HEADERS),
        ({"status": 500, "headers": ["X-A"]}, HEADERS),
        ({"status": 500, "headers": {"X A": "1"}}, "headers: 'X A' is not an HTTP header name"),
        ({"status": 500, "headers": {"X-A:": "1"}}, "headers: 'X-A:' is not an HTTP header name"),
        ({"status": 500, "headers": {"X-A": 1}}, VALUE),
        ({"status": 500, "headers": {"X-A": "\x7f"}}, VALUE),
        ({"status": 500, "headers": {"X-A": "a\nb"}}, VALUE),
        ({"status": 500, "headers": {"X-A": "\u0100"}}, VALUE),
        ({"delay_ms": -1}, DELAY),
        ({"delay_ms": 60_001}, DELAY),
        ({"delay_ms": 1.5}, DELAY),
        ({"delay_ms": True}, DELAY),
        ({"delay_ms": None, "status": 500}, DELAY),
        ({"drop": 1}, "drop: must be true or false"),
        ({"drop": None, "status": 500}, "drop: must be true or false"),
        ({}, NOTHING),
        ({"drop": False, "delay_ms": 0, "times": None}, NOTHING),
        ({"drop": True, "status": 500}, DROP_STATUS),
        ({"path": "a" * 301, "status": 500}, "path: longer than 300 characters"),
        ({"path": "(", "status": 500}, BAD_PATTERN),
    ],
)  # fmt: skip
def test_unusable_fault_is_refused_with_its_exact_message(spec: Any, message: str) -> None:
    """Each unusable description is refused naming the member and the rule it breaks."""
    assert refusal(spec) == message


@pytest.mark.parametrize(
    "path",
    ["a{101}", "a{,101}", "a{101,}", "a{1,101}", "a{1}b{2}c{3}"],
    ids=["count", "upper bound only", "lower bound only", "range", "three repeats"],
)
def test_counted_repeats_past_the_limits_are_refused(path: str) -> None:
    """More than two counted repeats, or any bound over 100, is refused before compiling."""
    assert refusal({"path": path, "status": 500}) == (
        "path: at most two counted repeats {n}, each of at most 100"
    )


@pytest.mark.parametrize(
    "spec",
    [
        {"status": 200},
        {"status": 599},
        {"status": 204},
        {"status": 304, "body": None},
        {"status": 200, "body": "text"},
        {"delay_ms": 1},
        {"delay_ms": 60_000},
        {"drop": True},
        {"drop": True, "delay_ms": 5},
        {"status": 500, "times": 1},
        {"status": 500, "times": None},
        {"status": 500, "path": "a" * 300},
        {"status": 500, "path": "a{100}b{0,100}"},
        {"status": 500, "path": "a{2}"},
        {"status": 500, "path": "{x}"},
        {"status": 500, "headers": {"!#$%&'*+.^_`|~09azAZ-": "\tvalue \u00e9\u00ff~"}},
        {"status": 500, "headers": {"X-Empty": ""}},
    ],
    ids=["status 200", "status 599", "204", "304 without body", "200 with text", "delay 1",
         "delay 60000", "drop", "drop after a delay", "times 1", "times null", "path of 300",
         "two repeats of 100", "one repeat", "braces that are no repeat",
         "every token character, tab and Latin-1", "empty header value"],
)  # fmt: skip
def test_fault_at_the_limits_is_accepted(spec: dict[str, Any]) -> None:
    """Statuses 200 and 599, delays up to 60,000 ms, 300-character paths, two repeats of 100."""
    fault = fault_from_spec(spec)
    assert fault.describe() == described(**spec)


@pytest.mark.parametrize("method", sorted(HTTP_METHODS))
def test_every_http_method_is_accepted_in_any_case(method: str) -> None:
    """Each of the seven methods is accepted, in upper or lower case, and stored upper case."""
    assert fault_from_spec({"method": method.lower(), "status": 500}).method == method
    assert {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} == HTTP_METHODS


@pytest.mark.parametrize(
    "name", ["Content-Length", "TRANSFER-ENCODING", "connection", "Keep-Alive", "Upgrade", "TE",
             "trailer"],
)  # fmt: skip
def test_headers_the_server_sets_are_refused_in_any_case(name: str) -> None:
    """Framing headers belong to the server; a fault may not set them, whatever their case."""
    spec = {"status": 500, "headers": {name: "1"}}
    assert refusal(spec) == f"headers: {name} is set by the server, not by a fault"


def test_fault_without_a_path_matches_every_service_request(http: FlaskClient) -> None:
    """A description without `path` answers whatever request comes next, on any route."""
    response = http.post("/_emulator/faults", json={"status": 503, "times": 2})
    assert response.status_code == 201
    assert response.get_json() == {"faults": [described(status=503, times=2)]}
    assert post_token(http, credentials_form()).status_code == 503
    assert http.get("/no/such/route").status_code == 503
    assert post_token(http, credentials_form()).status_code == 200


def test_fault_with_only_a_method_matches_that_method_anywhere(http: FlaskClient) -> None:
    """`{"method": "post"}` catches every POST, on any path, and no GET."""
    spec = {"method": "post", "status": 503, "times": None}
    response = http.post("/_emulator/faults", json=spec)
    assert response.get_json() == {"faults": [described(method="POST", status=503, times=None)]}
    assert http.get("/_emulator/faults").get_json()["faults"][0]["method"] == "POST"
    assert post_token(http, credentials_form()).status_code == 503
    assert http.post(MACHINES, json={"Name": "x"}).status_code == 503
    assert http.get(MACHINES).status_code == 401
    assert http.get("/_emulator/faults").get_json()["faults"][0]["matched"] == 2


def test_refusal_reaches_the_control_plane_prefixed(http: FlaskClient) -> None:
    """The control plane answers 400 with `fault rejected: ` and the exact reason."""
    response = http.post("/_emulator/faults", json={"status": 600})
    assert response.status_code == 400
    assert response.get_json() == {
        "message": "fault rejected: status: must be an HTTP status code from 200 to 599"
    }


def test_exactly_one_hundred_faults_can_be_active(http: FlaskClient) -> None:
    """The 100th fault is accepted; a 101st is refused with the limit named, and none is added."""
    specs = [{"status": 500, "path": f"never-{n}"} for n in range(100)]
    assert http.post("/_emulator/faults", json=specs).status_code == 201
    response = http.post("/_emulator/faults", json={"status": 500, "path": "one-more"})
    assert response.status_code == 400
    assert response.get_json() == {
        "message": "fault rejected: at most 100 faults can be active at once"
    }
    assert len(http.get("/_emulator/faults").get_json()["faults"]) == 100


def test_a_fault_object_is_added_as_it_is() -> None:
    """`FaultList.add` takes a ready `Fault` as well as the members of its description."""
    faults = FaultList()
    fault = Fault(path="x", status=500, times=None)
    assert faults.add(fault) is fault
    assert faults.add(status=501).describe() == described(status=501)
    assert len(faults) == 2
    assert faults.describe() == [fault.describe(), described(status=501)]


def test_fault_with_times_none_stays_and_counts_its_matches() -> None:
    """A fault for every request is never used up; each match is counted."""
    faults = FaultList()
    fault = faults.add(method="GET", path="^/x$", status=500, times=None)
    for _ in range(3):
        assert faults.take("GET", "/x") is fault
    assert faults.take("POST", "/x") is None
    assert faults.take("GET", "/xy") is None
    assert faults.describe() == [
        described(method="GET", path="^/x$", status=500, times=None, matched=3)
    ]


def test_fault_is_removed_when_its_times_are_used_up() -> None:
    """A fault for 2 requests answers two, then the next matching fault (or none) answers."""
    faults = FaultList()
    first = faults.add(path="x", status=500, times=2)
    second = faults.add(path="x", status=501)
    assert [faults.take("GET", "/x") for _ in range(4)] == [first, first, second, None]
    assert len(faults) == 0


def test_delay_of_sixty_seconds_is_slept_through_the_injected_sleep() -> None:
    """The longest delay, 60,000 ms, is one 60 s sleep of the emulator's `sleep`."""
    slept: list[float] = []
    emulator = Emulator(sleep=slept.append)
    emulator.faults.add(path="Machines", delay_ms=60_000)
    assert call(emulator.app.test_client(), "GET").status_code == 200
    assert slept == [60.0]


def test_backtracking_pattern_stops_at_the_time_limit_and_does_not_match(
    emulator: Emulator, http: FlaskClient
) -> None:
    """A pattern that backtracks without end gives up: no match, and the service answers."""
    token = token_for(http)
    emulator.faults.add(path=r"^/(a|aa)+$", status=500)
    response = http.get("/" + "a" * 60 + "b", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert emulator.faults.describe()[0]["matched"] == 0


def test_pattern_matching_is_limited_to_fifty_milliseconds() -> None:
    """Each path is matched with the documented 50 ms limit."""
    limits: list[float] = []

    class Pattern:
        def search(self, path: str, timeout: float) -> None:
            limits.append(timeout)
            raise TimeoutError

    fault = Fault(path="x", status=500)
    fault._pattern = Pattern()
    assert not fault.matches("GET", "/x")
    assert limits == [0.05]
