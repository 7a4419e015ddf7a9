"""Request helpers shared by the Orchestrator tests."""

import re
from typing import Any

import jsonschema
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.identity.helpers import credentials_form, post_token
from uipath_emulator.mock_server.orchestrator.entities.machines import MACHINES as MACHINE_SET
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT, WellKnownApp

MACHINES = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Machines"
ODATA_CONTENT_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true"
MACHINE_VALIDATOR = jsonschema.Draft202012Validator(MACHINE_SET.schema)


def token_for(http: FlaskClient, app: WellKnownApp = FULL, path: str | None = None) -> str:
    """An access token for `app` with all its scopes."""
    response = post_token(http, credentials_form(app), **({"path": path} if path else {}))
    assert response.status_code == 200, response.data
    return str(response.get_json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for `token`."""
    return {"Authorization": f"Bearer {token}"}


def call(
    http: FlaskClient,
    method: str,
    path: str = MACHINES,
    token: str | None = None,
    json: Any = None,
    **kwargs: Any,
) -> TestResponse:
    """Send a request with the full app's token unless `token` is given."""
    headers = dict(kwargs.pop("headers", {}))
    headers.update(bearer(token or token_for(http)))
    return http.open(path, method=method, json=json, headers=headers, **kwargs)


def assert_orchestrator_error(response: TestResponse, status: int, error_code: int) -> str:
    """The response is Orchestrator's error shape with this status and code; returns the message."""
    assert response.status_code == status, response.data
    body = response.get_json()
    assert list(body) == ["message", "errorCode", "traceId"]
    assert body["errorCode"] == error_code
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-00", body["traceId"])
    return str(body["message"])


def assert_valid_machine(item: dict[str, Any]) -> None:
    """The item validates against our machine JSON Schema."""
    errors = sorted(MACHINE_VALIDATOR.iter_errors(item), key=str)
    assert not errors, errors[0]


ABP_NOT_AUTHORIZED = {
    "message": "You are not authorized!",
    "errorCode": 0,
    "result": None,
    "targetUrl": None,
    "success": False,
    "error": {
        "code": 0,
        "message": "You are not authorized!",
        "details": "You are not allowed to perform this operation.",
        "validationErrors": None,
    },
    "unAuthorizedRequest": True,
    "__abp": True,
}
"""The cloud's 403 for a token without the operation's scope (ASP.NET Boilerplate's envelope)."""


def assert_not_authorized(response: TestResponse) -> None:
    """403 with ASP.NET Boilerplate's envelope, keys in the captured order."""
    assert response.status_code == 403, response.data
    body = response.get_json()
    assert body == ABP_NOT_AUTHORIZED
    assert list(body) == list(ABP_NOT_AUTHORIZED)
