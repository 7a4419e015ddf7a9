"""Small helpers shared by the contract tests."""

import base64
import json
from typing import Any

import jsonschema
import requests

from uipath_emulator.contract_tests.targets import Target
from uipath_emulator.mock_server.orchestrator.entities.machines import MACHINES

MACHINE_VALIDATOR = jsonschema.Draft202012Validator(MACHINES.schema)
ORCHESTRATOR_ERROR_KEYS = {"message", "errorCode", "traceId"}


def token_form(target: Target, **overrides: str) -> dict[str, str]:
    """The guide's client-credentials form for the target's app."""
    form = {
        "grant_type": "client_credentials",
        "client_id": target.app.client_id,
        "client_secret": target.app.client_secret,
    }
    if target.scopes:
        form["scope"] = " ".join(target.scopes)
    form.update(overrides)
    return {name: value for name, value in form.items() if value is not None}


def request_token(session: requests.Session, target: Target, **overrides: str) -> requests.Response:
    """POST the token request as the getting-started guide does."""
    return session.post(target.token_url, data=token_form(target, **overrides), timeout=30)


def jwt_payload(token: str) -> dict[str, Any]:
    """The JWT payload decoded as UiPath's SDK does: base64url and JSON, no verification."""
    segment = token.split(".")[1]
    payload: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return payload


def assert_orchestrator_error(response: requests.Response, status: int) -> dict[str, Any]:
    """The response has this status and Orchestrator's `{message, errorCode, traceId}` body."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) >= ORCHESTRATOR_ERROR_KEYS, body
    assert isinstance(body["message"], str)
    assert isinstance(body["errorCode"], int)
    return body


def assert_valid_machine(item: dict[str, Any]) -> None:
    """The item validates against our machine JSON Schema."""
    errors = sorted(MACHINE_VALIDATOR.iter_errors(item), key=str)
    assert not errors, f"{item.get('Name')!r}: {errors[0].message} at {list(errors[0].path)}"
