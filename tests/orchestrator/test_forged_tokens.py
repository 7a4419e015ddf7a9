"""Forged and malformed tokens: always 401 in Orchestrator's shape, never a 500 or a bad header."""

import base64
import json
from typing import Any

import jwt
import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import MACHINES, assert_not_authorized, assert_orchestrator_error
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION_ID


def _segment(part: Any) -> str:
    raw = part if isinstance(part, bytes) else json.dumps(part).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def forged(header: Any, claims: Any = None) -> str:
    """A JWT with this header (any JSON, or raw bytes) and a signature no key made."""
    return f"{_segment(header)}.{_segment(claims or {'sub': 'x'})}.c2ln"


def signed(emulator: Emulator, **overrides: Any) -> str:
    """A token signed with the emulator's own key: valid claims, with `overrides` applied."""
    now = int(emulator.clock.now())
    claims: dict[str, Any] = {
        "iss": "https://cloud.uipath.com/identity_",
        "aud": "UiPath.Orchestrator",
        "prt_id": ORGANIZATION_ID,
        "client_id": FULL.client_id,
        "sub": FULL.client_id,
        "iat": now,
        "nbf": now,
        "exp": now + 100,
        "scope": ["OR.Machines"],
    }
    claims.update(overrides)
    key = emulator.signing_key
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})


def assert_refused(response: Any) -> str:
    """401 in Orchestrator's shape whose challenge is one line of printable ASCII."""
    assert_orchestrator_error(response, 401, 0)
    challenge = str(response.headers["WWW-Authenticate"])
    assert challenge.isascii(), challenge
    assert challenge.isprintable(), challenge
    return challenge


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "RS256", "kid": None},
        {"alg": "RS256", "kid": 123},
        {"alg": "RS256", "kid": ["a"]},
        {"alg": "RS\r\n256"},
        {"alg": "RS256\u20ac"},
        {"alg": "\u0100\u0101"},
        {"alg": None},
        {"alg": {"nested": True}},
        {"alg": "none"},
        [],
        "RS256",
        b"\xff\xfe not json",
    ],
    ids=[
        "kid null",
        "kid number",
        "kid list",
        "alg with CR LF",
        "alg non-Latin-1",
        "alg non-ASCII",
        "alg null",
        "alg object",
        "alg none",
        "header is a list",
        "header is a string",
        "header not JSON",
    ],
)
def test_forged_header_is_401_without_any_key(http: FlaskClient, header: Any) -> None:
    """A token whose header no key could make is refused with 401 and a clean challenge."""
    response = http.get(MACHINES, headers={"Authorization": f"Bearer {forged(header)}"})
    assert_refused(response)


def test_forged_algorithm_is_not_echoed(http: FlaskClient) -> None:
    """The sender's `alg` text never reaches the answer's headers."""
    response = http.get(MACHINES, headers={"Authorization": f"Bearer {forged({'alg': 'HS256'})}"})
    challenge = assert_refused(response)
    assert "HS256" not in challenge
    assert "algorithm is not allowed" in challenge


@pytest.mark.parametrize(
    ("claim", "value"),
    [("exp", float("nan")), ("exp", float("inf")), ("nbf", float("-inf")), ("nbf", float("nan"))],
)
def test_non_finite_lifetime_claims_are_refused(
    emulator: Emulator, http: FlaskClient, claim: str, value: float
) -> None:
    """`exp`/`nbf` of NaN or Infinity (mintable only with the key) never make a token valid."""
    token = signed(emulator, **{claim: value})
    challenge = assert_refused(http.get(MACHINES, headers={"Authorization": f"Bearer {token}"}))
    assert f"'{claim}' claim is not a finite number" in challenge


def test_expiry_far_in_the_past_is_described_without_failing(
    emulator: Emulator, http: FlaskClient
) -> None:
    """An `exp` no calendar can show still gets a 401 that says the token expired."""
    token = signed(emulator, exp=-1e20)
    challenge = assert_refused(http.get(MACHINES, headers={"Authorization": f"Bearer {token}"}))
    assert "expired" in challenge


@pytest.mark.parametrize(
    ("claim", "value"),
    [("iss", "x\r\nX-Injected: 1"), ("aud", ["\u20ac\r\n", "other"])],
)
def test_signed_claims_quoted_in_the_challenge_are_sanitised(
    emulator: Emulator, http: FlaskClient, claim: str, value: Any
) -> None:
    """Claim text quoted in `error_description` is reduced to printable ASCII on one line."""
    token = signed(emulator, **{claim: value})
    challenge = assert_refused(http.get(MACHINES, headers={"Authorization": f"Bearer {token}"}))
    assert "\r" not in challenge
    assert "\n" not in challenge


def test_scope_claim_of_odd_members_is_403_not_500(emulator: Emulator, http: FlaskClient) -> None:
    """A signed `scope` holding objects grants nothing: 403, never a crash on unhashable values."""
    token = signed(emulator, scope=[{"a": 1}, ["OR.Machines"]])
    response = http.get(MACHINES, headers={"Authorization": f"Bearer {token}"})
    assert_not_authorized(response)
