"""Property: junk in any query option, key or body gets a 4xx in Orchestrator's shape, no 5xx."""

import base64
import json
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.orchestrator.helpers import MACHINES, bearer, token_for
from uipath_emulator.mock_server import Emulator

_emulator = Emulator()
_http = _emulator.app.test_client()
_token = token_for(_http)

OPTIONS = ["$filter", "$select", "$orderby", "$top", "$skip", "$count", "$expand", "$format", "$x"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
machine_like = st.dictionaries(
    st.sampled_from(["Name", "Type", "Scope", "Tags", "UnattendedSlots", "Id", "Description", "X"]),
    json_values,
    max_size=6,
)


def assert_clean_answer(status: int, body: object) -> None:
    """A status below 500 and, for an error, Orchestrator's three-member error shape."""
    assert status < 500, body
    if status >= 400:
        assert isinstance(body, dict)
        assert list(body) == ["message", "errorCode", "traceId"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(option=st.sampled_from(OPTIONS), value=st.text(max_size=80))
def test_junk_query_option_never_5xx(option: str, value: str) -> None:
    """Any text in any query option gets 200 or a 4xx error body."""
    path = f"{MACHINES}?{quote(option)}={quote(value, safe='')}"
    response = _http.get(path, headers=bearer(_token))
    assert_clean_answer(response.status_code, response.get_json())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.text(max_size=30))
def test_junk_key_never_5xx(key: str) -> None:
    """Any text as a machine key gets 200, 400 or 404 in the error shape."""
    response = _http.get(f"{MACHINES}({quote(key, safe='')})", headers=bearer(_token))
    assert_clean_answer(response.status_code, response.get_json(silent=True))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["POST", "PUT", "PATCH"]),
    body=st.one_of(machine_like, json_values.map(lambda v: v)),
)
def test_junk_body_never_5xx(method: str, body: object) -> None:
    """Any JSON body on create, replace or update gets 2xx or a 4xx error body."""
    path = MACHINES if method == "POST" else f"{MACHINES}(1)"
    response = _http.open(path, method=method, json=body, headers=bearer(_token))
    assert_clean_answer(response.status_code, response.get_json(silent=True))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300))
def test_junk_bytes_never_5xx(data: bytes) -> None:
    """Any bytes as a create body get 201 or a 4xx error body."""
    headers = {**bearer(_token), "Content-Type": "application/json"}
    response = _http.post(MACHINES, data=data, headers=headers)
    assert_clean_answer(response.status_code, response.get_json(silent=True))


jwt_headers = st.one_of(
    st.dictionaries(
        st.sampled_from(["alg", "kid", "typ", "crit", "jku", "x5u", "b64"]) | st.text(max_size=8),
        json_values,
        max_size=5,
    ),
    json_values,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=jwt_headers, claims=json_values, signature=st.binary(max_size=40))
def test_forged_jwt_never_5xx(header: object, claims: object, signature: bytes) -> None:
    """Any JWT header, claims and signature get 401 with a one-line ASCII challenge."""
    token = ".".join(
        base64.urlsafe_b64encode(part).rstrip(b"=").decode()
        for part in (json.dumps(header).encode(), json.dumps(claims).encode(), signature)
    )
    response = _http.get(MACHINES, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.data
    assert_clean_answer(response.status_code, response.get_json())
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.isascii()
    assert challenge.isprintable()
