"""Tokens signed with an emulator's key carrying any claims, and emulators frozen at a second."""

import json
from typing import Any

import jwt

from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.identity.tokens import ORCHESTRATOR_AUDIENCE, SigningKey
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION_ID

ISSUED = 1_800_000_000
"""01/15/2027 08:00:00 UTC: when the tests' tokens are issued (a whole second)."""
EXPIRES = ISSUED + 3600
"""01/15/2027 09:00:00 UTC."""
REQUIRED_CLAIMS = ["exp", "nbf", "iat", "iss", "aud", "prt_id", "client_id", "sub"]


def claims_at(now: int, **overrides: Any) -> dict[str, Any]:
    """The claims the emulator issues at `now` (as an integer), with `overrides` applied."""
    claims: dict[str, Any] = {
        "iss": "http://localhost/identity_",
        "aud": ORCHESTRATOR_AUDIENCE,
        "prt_id": ORGANIZATION_ID,
        "client_id": FULL.client_id,
        "sub": FULL.client_id,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "scope": ["OR.Machines"],
    }
    claims.update(overrides)
    return claims


def sign(key: SigningKey, claims: Any) -> str:
    """`claims` (any JSON, even what PyJWT would refuse to encode) signed RS256 with `key`."""
    payload = json.dumps(claims).encode()
    return jwt.api_jws.encode(payload, key.private_key, algorithm="RS256", headers={"kid": key.kid})


def frozen_emulator(now: float = ISSUED, leeway: int = 0) -> Emulator:
    """An emulator whose clock stands still at `now`."""
    emulator = Emulator(leeway=leeway)
    emulator.clock.freeze()
    emulator.clock.set(now)
    return emulator
