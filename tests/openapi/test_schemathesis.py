"""Schemathesis against the served document, in-process: no 5xx, responses and statuses conform.

The schema is loaded from the emulator's own `swagger.json` through its WSGI app (no socket).
Machines calls carry a real token of the well-known `full` app. Every operation gets a bounded
number of generated examples (`MAX_EXAMPLES`), which keeps the whole run to a few seconds.

The examples are derandomized, so a run is repeatable and CI does not fail at random. To explore
new inputs, run with `FUZZ_RANDOM=1` (and more examples with `FUZZ_MAX_EXAMPLES=500`). The two
regression tests at the end pin what such runs found.
"""

import os
from typing import Any

import pytest
import schemathesis
import schemathesis.specs.openapi.checks  # importing it registers the OpenAPI checks
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS as REGISTERED_CHECKS

from tests.openapi.helpers import SWAGGER_JSON
from tests.orchestrator.helpers import MACHINES, call, token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.folders.headers import FOLDER_ID
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "50"))
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"
CHECKS = REGISTERED_CHECKS.get_all()
ODATA_TEXT_OPTIONS = frozenset({"$filter", "$orderby", "$select", "$expand"})
_ACCEPTANCE = "positive_data_acceptance"
_ROBOT_ASSETS = "/odata/Assets/UiPath.Server.Configuration.OData."
_JOBS = "/odata/Jobs/UiPath.Server.Configuration.OData."
_STATE_DEPENDENT = {
    ("DELETE", "/odata/Folders({key})"),
    ("POST", "/odata/Assets"),
    ("PUT", "/odata/Assets({key})"),
    ("POST", _ROBOT_ASSETS + "GetRobotAssetByNameForRobotKey"),
    ("POST", _ROBOT_ASSETS + "SetRobotAssetByRobotKey"),
    ("POST", "/odata/QueueDefinitions"),
    ("PUT", "/odata/QueueDefinitions({key})"),
    ("DELETE", "/odata/QueueDefinitions({key})"),
    ("DELETE", "/odata/QueueItems({key})"),
    ("POST", "/odata/Queues/UiPathODataSvc.AddQueueItem"),
    ("POST", "/odata/Queues/UiPathODataSvc.BulkAddQueueItems"),
    ("POST", "/odata/Queues/UiPathODataSvc.StartTransaction"),
    ("POST", "/odata/Queues({key})/UiPathODataSvc.SetTransactionResult"),
    ("POST", "/odata/QueueItems({key})/UiPathODataSvc.SetTransactionProgress"),
    ("POST", "/odata/Releases"),
    ("PUT", "/odata/Releases({key})"),
    ("PATCH", "/odata/Releases({key})"),
    ("DELETE", "/odata/Releases({key})"),
    ("DELETE", "/odata/Processes('{package}')"),
    ("POST", _JOBS + "StartJobs"),
    ("POST", _JOBS + "StopJobs"),
    ("POST", "/odata/Jobs({key})/UiPath.Server.Configuration.OData.StopJob"),
    ("POST", _JOBS + "RestartJob"),
    ("POST", _JOBS + "ResumeJob"),
    ("GET", _JOBS + "GetByKey(identifier={identifier})"),
}
"""Operations whose answer to a schema-valid request depends on the world's state."""

_EMULATOR = Emulator()
UPLOAD_PACKAGE = "/odata/Processes/UiPath.Server.Configuration.OData.UploadPackage"
"""Documented, answered 501 (not emulated): `test_processes_api` pins that answer."""
schema = schemathesis.openapi.from_wsgi(SWAGGER_JSON, _EMULATOR.app).exclude(path=UPLOAD_PACKAGE)


@pytest.fixture(scope="module")
def access_token() -> str:
    """A token of the well-known `full` app, issued by the emulator under test."""
    return token_for(_EMULATOR.app.test_client())


def checks_for(case: schemathesis.Case[Any]) -> list[Any]:
    """Every registered check, except "valid input is accepted" where no schema can say valid.

    A schema can state a string's length or pattern, not the OData grammar of `$filter` or
    `$orderby`, which client secret is right, or which folder or parent folder exists: such
    schema-valid requests rightly get 400. Nor can it say whether a folder is empty (a folder
    with content is not deleted), an asset's value rules (the member of its `ValueType`), or
    which asset names, queue names and robot keys exist, or a queue item's state.
    """
    if (case.method.upper(), case.operation.path) in _STATE_DEPENDENT:
        return [check for check in CHECKS if getattr(check, "__name__", "") != _ACCEPTANCE]
    odata_text = bool(ODATA_TEXT_OPTIONS & set(case.query or {}))
    token_request = case.operation.path.endswith("/identity_/connect/token")
    names_a_folder = any(name.lower() == FOLDER_ID.lower() for name in case.headers or {}) or (
        isinstance(case.body, dict) and case.body.get("ParentId") is not None
    )
    if odata_text or token_request or names_a_folder:
        return [check for check in CHECKS if getattr(check, "__name__", "") != _ACCEPTANCE]
    return CHECKS


def call_and_check(case: schemathesis.Case[Any], token: str) -> Any:
    """Send the case to its operation's own server (Identity paths have one) and run the checks."""
    # Schemathesis's WSGI transport ignores path-level `servers` unless the base URL is passed.
    return case.call_and_validate(
        base_url=case.operation.base_url,
        headers={"Authorization": f"Bearer {token}"},
        checks=checks_for(case),
    )


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=DERANDOMIZE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_generated_requests_get_documented_answers(
    case: schemathesis.Case[Any], access_token: str
) -> None:
    """Generated requests never get a 5xx, an undocumented status or a body off the schema."""
    call_and_check(case, access_token)


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
CREDENTIALS = {
    "grant_type": "client_credentials",
    "client_id": FULL.client_id,
    "client_secret": FULL.client_secret,
}
IN_ORG = {"organization": ORGANIZATION}
MACHINE_1 = {"key": 1}
SUCCESSES = [
    pytest.param(
        "/identity_/connect/token",
        "POST",
        {"body": CREDENTIALS, "media_type": FORM},
        200,
        id="token",
    ),
    pytest.param(
        "/{organization}/identity_/connect/token",
        "POST",
        {"body": CREDENTIALS, "media_type": FORM, "path_parameters": IN_ORG},
        200,
        id="token-in-organization",
    ),
    pytest.param(
        "/{organization}/identity_/.well-known/openid-configuration",
        "GET",
        {"path_parameters": IN_ORG},
        200,
        id="discovery",
    ),
    pytest.param(
        "/{organization}/identity_/.well-known/openid-configuration/jwks",
        "GET",
        {"path_parameters": IN_ORG},
        200,
        id="jwks",
    ),
    pytest.param(
        "/odata/Machines",
        "GET",
        {"query": {"$select": "Id,Name", "$top": 2}},
        200,
        id="list-selected",
    ),
    pytest.param(
        "/odata/Machines",
        "POST",
        {"body": {"Name": "ST-NEW", "Tags": [{"Name": "a"}]}, "media_type": JSON},
        201,
        id="create",
    ),
    pytest.param("/odata/Machines({key})", "GET", {"path_parameters": MACHINE_1}, 200, id="get"),
    pytest.param(
        "/odata/Machines({key})",
        "PUT",
        {"path_parameters": MACHINE_1, "body": {"Name": "ST-PUT"}, "media_type": JSON},
        200,
        id="replace",
    ),
    pytest.param(
        "/odata/Machines({key})",
        "PATCH",
        {"path_parameters": MACHINE_1, "body": {"Description": "x"}, "media_type": JSON},
        200,
        id="patch",
    ),
    pytest.param(
        "/odata/Machines({key})",
        "DELETE",
        {"path_parameters": MACHINE_1},
        204,
        id="delete",
    ),
    pytest.param(
        "/odata/Machines/UiPath.Server.Configuration.OData.DeleteBulk",
        "POST",
        {"body": {"machineIds": [2, 3]}, "media_type": JSON},
        204,
        id="delete-bulk",
    ),
]


@pytest.mark.parametrize(("path", "method", "data", "status"), SUCCESSES)
def test_success_answers_conform(
    emulator: Emulator,
    http: FlaskClient,
    path: str,
    method: str,
    data: dict[str, Any],
    status: int,
) -> None:
    """A success answer that random input rarely reaches (token, CRUD, $select) conforms too."""
    operation = schemathesis.openapi.from_wsgi(SWAGGER_JSON, emulator.app)[path][method]
    response = call_and_check(operation.Case(**data), token_for(http))
    assert response.status_code == status, response.text


def test_machine_body_with_a_non_date_time_is_refused(http: FlaskClient) -> None:
    """A `nextExecutionTime` that is not a date-time gets 400 instead of being stored and served."""
    body = {"MaintenanceWindow": {"nextExecutionTime": "not-a-date"}}
    assert call(http, "PATCH", path=f"{MACHINES}(1)", json=body).status_code == 400


def test_machine_body_with_a_lone_surrogate_is_refused(http: FlaskClient) -> None:
    """A machine name holding an escaped lone surrogate gets 400 and leaves the list working."""
    body = b'{"Name": "agent-\\ud800"}'
    headers = {"Content-Type": "application/json"}
    assert call(http, "POST", data=body, headers=headers).status_code == 400
    assert call(http, "GET").status_code == 200
