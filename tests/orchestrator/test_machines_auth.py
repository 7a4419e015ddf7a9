"""Bearer-token authentication and scope authorization of the Machines API."""

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from flask.testing import FlaskClient

from tests.orchestrator.helpers import (
    MACHINES,
    assert_not_authorized,
    assert_orchestrator_error,
    bearer,
    call,
    token_for,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.identity.tokens import SigningKey
from uipath_emulator.mock_server.well_known import DEFAULT_TENANT_MACHINES, GLOBEX, READONLY, ROBOTS

NOT_AUTHENTICATED = "You are not authenticated!"


def assert_unauthenticated(response: object, description: str | None) -> None:
    """401 in Orchestrator's shape, with a bare or an invalid_token challenge."""
    message = assert_orchestrator_error(response, 401, 0)  # type: ignore[arg-type]
    assert message == NOT_AUTHENTICATED
    challenge = response.headers["WWW-Authenticate"]  # type: ignore[attr-defined]
    if description is None:
        assert challenge == "Bearer"
    else:
        assert challenge.startswith('Bearer error="invalid_token", error_description="')
        assert description in challenge


def unsigned(claims: dict[str, object], header: dict[str, str]) -> str:
    """A JWT with these parts and an empty signature."""
    parts = [json.dumps(header).encode(), json.dumps(claims).encode()]
    return ".".join(base64.urlsafe_b64encode(p).rstrip(b"=").decode() for p in parts) + "."


def test_no_token_is_401_with_a_bare_challenge(http: FlaskClient) -> None:
    """Without an Authorization header the answer is 401 with `WWW-Authenticate: Bearer`."""
    assert_unauthenticated(http.get(MACHINES), None)


def test_other_scheme_is_401_with_a_bare_challenge(http: FlaskClient) -> None:
    """A Basic header is not a bearer token: 401 with a bare challenge."""
    assert_unauthenticated(http.get(MACHINES, headers={"Authorization": "Basic abc"}), None)


def test_scheme_name_is_case_insensitive(http: FlaskClient) -> None:
    """`bearer <token>` is accepted like `Bearer <token>`."""
    headers = {"Authorization": f"bearer {token_for(http)}"}
    assert http.get(MACHINES, headers=headers).status_code == 200


def test_token_is_refused_from_its_exp_second_on(emulator: Emulator, http: FlaskClient) -> None:
    """A token works one second before exp and is refused at exp, saying when it expired."""
    emulator.clock.freeze()
    token = token_for(http)
    emulator.clock.advance(3599)
    assert call(http, "GET", token=token).status_code == 200
    emulator.clock.advance(1)
    assert_unauthenticated(call(http, "GET", token=token), "The token expired at '")


def test_leeway_admits_a_just_expired_token() -> None:
    """With a leeway of 5 s, a token is still accepted 4 s after its exp."""
    emulator = Emulator(leeway=5)
    http = emulator.app.test_client()
    emulator.clock.freeze()
    token = token_for(http)
    emulator.clock.advance(3604)
    assert call(http, "GET", token=token).status_code == 200


def test_token_before_nbf_is_refused(emulator: Emulator, http: FlaskClient) -> None:
    """A token used before its nbf (clock moved back) is refused."""
    emulator.clock.freeze()
    token = token_for(http)
    emulator.clock.advance(-10)
    assert_unauthenticated(call(http, "GET", token=token), "The token is not valid before")


def test_token_signed_by_another_key_is_refused(http: FlaskClient) -> None:
    """A token another emulator signed with its own key is refused."""
    stranger = Emulator(signing_key=SigningKey.generate()).app.test_client()
    assert_unauthenticated(call(http, "GET", token=token_for(stranger)), "signature key")


def test_tampered_signature_is_refused(http: FlaskClient) -> None:
    """Flipping one byte of the signature makes the token invalid."""
    header, payload, signature = token_for(http).split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[10] ^= 0x01
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    assert_unauthenticated(call(http, "GET", token=f"{header}.{payload}.{forged}"), "signature")


def test_alg_none_is_refused(emulator: Emulator, http: FlaskClient) -> None:
    """An unsigned token with `alg: none` and otherwise valid claims is refused."""
    claims = jwt.decode(token_for(http), options={"verify_signature": False})
    token = unsigned(claims, {"alg": "none", "kid": emulator.signing_key.kid})
    assert_unauthenticated(call(http, "GET", token=token), "algorithm is not allowed")


def test_hs256_with_the_public_key_is_refused(emulator: Emulator, http: FlaskClient) -> None:
    """The classic key-confusion forgery (HS256 keyed with the public key) is refused."""
    claims = jwt.decode(token_for(http), options={"verify_signature": False})
    header = {"alg": "HS256", "kid": emulator.signing_key.kid}
    signing_input = unsigned(claims, header)[:-1].encode()
    public_pem = emulator.signing_key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    mac = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    token = signing_input.decode() + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    assert_unauthenticated(call(http, "GET", token=token), "algorithm is not allowed")


@pytest.mark.parametrize("token", ["abc", "a.b.c", "Bearer", "e30.e30.e30"])
def test_malformed_token_is_refused(http: FlaskClient, token: str) -> None:
    """Something that is not a JWT is refused with invalid_token."""
    assert_unauthenticated(call(http, "GET", token=token), "")


def test_token_of_another_organization_is_refused(http: FlaskClient) -> None:
    """A globex token does not open acme's tenants (tokens are bound to their organization)."""
    token = token_for(http, GLOBEX, path="/globex/identity_/connect/token")
    assert_unauthenticated(call(http, "GET", token=token), "another organization")
    globex = "/globex/DefaultTenant/orchestrator_/odata/Machines"
    assert call(http, "GET", path=globex, token=token).status_code == 200


def test_token_works_whichever_host_name_was_used(http: FlaskClient) -> None:
    """A token obtained through `localhost` is accepted through `127.0.0.1`."""
    token = token_for(http)
    headers = {**bearer(token), "Host": "127.0.0.1:8080"}
    assert http.get(MACHINES, headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", MACHINES, {"Name": "X"}),
        ("PATCH", f"{MACHINES}(1)", {"Description": "x"}),
        ("PUT", f"{MACHINES}(1)", {"Name": "X"}),
        ("DELETE", f"{MACHINES}(1)", None),
        ("POST", f"{MACHINES}/UiPath.Server.Configuration.OData.DeleteBulk", {"machineIds": [1]}),
    ],
)
def test_readonly_token_cannot_write(
    http: FlaskClient, method: str, path: str, body: object
) -> None:
    """The readonly app's token gets 403 on every write, and nothing changes."""
    token = token_for(http, READONLY)
    response = call(http, method, path=path, token=token, json=body)
    assert_not_authorized(response)
    assert call(http, "GET", token=token).get_json()["@odata.count"] == DEFAULT_TENANT_MACHINES


@pytest.mark.parametrize("path", [MACHINES, f"{MACHINES}(1)"])
def test_robots_token_cannot_read(http: FlaskClient, path: str) -> None:
    """The robots app's token (OR.Robots.Read only) gets 403 on reads."""
    response = call(http, "GET", path=path, token=token_for(http, ROBOTS))
    assert_not_authorized(response)


def test_readonly_token_can_read(http: FlaskClient) -> None:
    """OR.Machines.Read is enough to list and get."""
    token = token_for(http, READONLY)
    assert call(http, "GET", token=token).status_code == 200
    assert call(http, "GET", path=f"{MACHINES}(1)", token=token).status_code == 200
