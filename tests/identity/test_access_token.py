"""The access token: a JWT verifiable with the served JWKS, carrying UiPath's claims."""

import base64
import json
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from flask.testing import FlaskClient

from tests.identity.helpers import credentials_form, post_token
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.identity.tokens import SigningKey
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION_ID, READONLY


def issue(http: FlaskClient, **fields: str) -> str:
    """A fresh access token for the well-known full app."""
    return str(post_token(http, credentials_form(**fields)).get_json()["access_token"])


def sdk_payload(token: str) -> dict[str, Any]:
    """The payload decoded as UiPath's SDK does it: base64url, then JSON, no verification."""
    segment = token.split(".")[1]
    payload: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return payload


def test_token_verifies_with_the_served_jwks(http: FlaskClient) -> None:
    """A token verifies against the JWKS the emulator serves: signature, iss, aud and exp."""
    token = issue(http)
    jwks = http.get("/identity_/.well-known/openid-configuration/jwks").get_json()
    header = jwt.get_unverified_header(token)
    (jwk,) = [key for key in jwks["keys"] if key["kid"] == header["kid"]]
    claims = jwt.decode(
        token,
        jwt.PyJWK(jwk).key,
        algorithms=["RS256"],
        audience="UiPath.Orchestrator",
        issuer="http://localhost/identity_",
        options={"require": ["exp", "iat", "nbf"]},
    )
    assert claims["exp"] - claims["iat"] == 3600
    assert header["alg"] == "RS256"


def test_payload_has_the_claims_uipath_clients_read(http: FlaskClient) -> None:
    """prt_id is the organization id; sub and client_id are the app id; sub_type is external."""
    payload = sdk_payload(issue(http, scope="OR.Machines.Read"))
    assert payload["prt_id"] == ORGANIZATION_ID
    assert payload["client_id"] == payload["sub"] == FULL.client_id
    assert payload["sub_type"] == "service.external"
    assert payload["scope"] == ["OR.Machines.Read"]
    assert payload["aud"] == "UiPath.Orchestrator"
    assert payload["iat"] == payload["nbf"]
    assert len(payload["jti"]) == 32


def test_claim_times_follow_the_emulator_clock(emulator: Emulator, http: FlaskClient) -> None:
    """iat, nbf and exp come from the emulator's clock, so a frozen clock pins them."""
    emulator.clock.freeze()
    emulator.clock.set(1_800_000_000)
    payload = sdk_payload(issue(http))
    assert (payload["iat"], payload["exp"]) == (1_800_000_000, 1_800_003_600)


def test_issuer_follows_the_host_the_client_used(http: FlaskClient) -> None:
    """iss is `{base}/identity_` for the base URL the request reached."""
    response = post_token(http, credentials_form(), headers={"Host": "127.0.0.1:9999"})
    assert (
        sdk_payload(response.get_json()["access_token"])["iss"] == "http://127.0.0.1:9999/identity_"
    )


def test_keys_are_made_once_per_process() -> None:
    """Two emulators sign with the same process key unless given their own."""
    assert Emulator().signing_key is Emulator().signing_key


@pytest.mark.parametrize("prefix", ["", "/acme"])
def test_discovery_document_points_at_the_token_endpoint_and_jwks(
    http: FlaskClient, prefix: str
) -> None:
    """Discovery names the issuer, token endpoint, JWKS, grant, auth methods and scopes."""
    document = http.get(f"{prefix}/identity_/.well-known/openid-configuration").get_json()
    assert document["issuer"] == "http://localhost/identity_"
    assert document["token_endpoint"] == "http://localhost/identity_/connect/token"
    assert document["jwks_uri"].endswith("/identity_/.well-known/openid-configuration/jwks")
    assert document["grant_types_supported"] == ["client_credentials"]
    assert set(document["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
    }
    assert set(FULL.scopes) | set(READONLY.scopes) <= set(document["scopes_supported"])


def test_jwks_publishes_only_public_rsa_material(http: FlaskClient) -> None:
    """The JWKS has the RS256 public key and no private member."""
    (key,) = http.get("/acme/identity_/.well-known/openid-configuration/jwks").get_json()["keys"]
    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_a_pem_signing_key_makes_tokens_survive_a_restart(tmp_path: Path) -> None:
    """Two emulators given the same `--signing-key` PEM accept each other's tokens."""
    pem = tmp_path / "key.pem"
    pem.write_bytes(
        SigningKey.generate().private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    before = Emulator(signing_key=SigningKey.from_pem_file(pem)).app.test_client()
    after = Emulator(signing_key=SigningKey.from_pem_file(pem)).app.test_client()
    token = issue(before)
    machines = "/acme/DefaultTenant/orchestrator_/odata/Machines"
    response = after.get(machines, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
