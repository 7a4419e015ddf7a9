"""Contract: the Identity token endpoint (step 1 of the getting-started guide)."""

import requests

from uipath_emulator.contract_tests.helpers import jwt_payload, request_token
from uipath_emulator.contract_tests.targets import Target


def test_success_shape(target: Target, session: requests.Session) -> None:
    """200 with access_token, a positive integer expires_in, token_type Bearer, granted scope."""
    response = request_token(session, target)
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body)[:4] == ["access_token", "expires_in", "token_type", "scope"]
    assert isinstance(body["expires_in"], int)
    assert body["expires_in"] > 0
    if target.token_lifetime is not None:
        assert body["expires_in"] == target.token_lifetime
    assert body["token_type"] == "Bearer"
    granted = body["scope"].split()
    assert granted
    if target.scopes:
        assert set(granted) <= set(target.scopes)


def test_token_is_a_jwt_with_uipath_claims(target: Target, session: requests.Session) -> None:
    """The token's payload has prt_id, client_id, sub and exp, with exp - iat = expires_in."""
    body = request_token(session, target).json()
    payload = jwt_payload(body["access_token"])
    assert payload["client_id"] == target.app.client_id
    assert payload["sub"]
    assert payload["prt_id"]
    assert payload["exp"] - payload["iat"] == body["expires_in"]


def test_wrong_secret_is_invalid_client(target: Target, session: requests.Session) -> None:
    """A wrong secret gets 400 invalid_client."""
    response = request_token(session, target, client_secret="contract-test-wrong-secret")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"


def test_unknown_scope_is_invalid_scope(target: Target, session: requests.Session) -> None:
    """A scope that does not exist gets 400 invalid_scope."""
    response = request_token(session, target, scope="OR.ContractTest.NoSuchScope")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_unsupported_grant(target: Target, session: requests.Session) -> None:
    """An unknown grant_type gets 400 unsupported_grant_type."""
    response = request_token(session, target, grant_type="contract_test_grant")
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
