"""Requests the emulator does not serve say so: which operation, or that 20.0 has no such path."""

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import assert_orchestrator_error, call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

ROOT = f"/{ORGANIZATION}/{TENANT}/orchestrator_"
COVERAGE = "https://github.com/uipath-cloud-emulator/uipath-cloud-emulator#coverage"


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [
        ("GET", "/odata/Users", "Users_Get"),
        ("GET", "/odata/Settings('Abp.Timing.TimeZone')", "Settings_GetById"),
        (
            "POST",
            "/odata/Settings/UiPath.Server.Configuration.OData.DeleteBulk",
            "Settings_DeleteBulk",
        ),
        (
            "GET",
            "/odata/Machines/UiPath.Server.Configuration.OData.GetAssignedMachines(folderId=1)",
            "Machines_GetAssignedMachinesByFolderid",
        ),
    ],
)
def test_an_operation_of_20_0_not_emulated_is_named(
    http: FlaskClient, method: str, path: str, operation: str
) -> None:
    """404 in Orchestrator's shape naming the spec's operationId and pointing to the coverage."""
    message = assert_orchestrator_error(call(http, method, f"{ROOT}{path}"), 404, 0)
    assert message.startswith(f"The operation '{operation}' ({method} /odata/")
    assert "is not emulated" in message
    assert message.endswith(COVERAGE)


def test_a_path_20_0_does_not_have_suggests_the_closest_emulated_one(http: FlaskClient) -> None:
    """A misspelt set is a path Orchestrator lacks, with the emulated path it is closest to."""
    response = call(http, "GET", f"{ROOT}/odata/Machinez")
    message = assert_orchestrator_error(response, 404, 0)
    assert (
        message
        == "Orchestrator 20.0 has no path '/odata/Machinez'. Did you mean '/odata/Machines'?"
    )


def test_a_method_20_0_does_not_have_on_a_path_is_405_with_its_methods(http: FlaskClient) -> None:
    """POST on a 20.0 function that is GET-only: 405 and `Allow` naming the spec's methods."""
    path = "/odata/Machines/UiPath.Server.Configuration.OData.GetAssignedMachines(folderId=1)"
    response = call(http, "POST", f"{ROOT}{path}")
    message = assert_orchestrator_error(response, 405, 0)
    assert message == f"Orchestrator 20.0 has no POST operation on '{path}'."
    assert response.headers["Allow"] == "GET"


def test_not_emulated_answers_carry_orchestrator_headers(http: FlaskClient) -> None:
    """The not-emulated 404 has the headers every Orchestrator answer has."""
    response = call(http, "GET", f"{ROOT}/odata/Users")
    assert response.headers["OData-Version"] == "4.0"
    assert response.headers["api-supported-versions"] == "15.0"


def test_an_unknown_tenant_is_reported_before_the_operation(http: FlaskClient) -> None:
    """The tenant is checked first, as on emulated routes: an unknown tenant is 404 naming it."""
    response = call(http, "GET", f"/{ORGANIZATION}/Nowhere/orchestrator_/odata/Users")
    message = assert_orchestrator_error(response, 404, 0)
    assert "Nowhere" in message
    assert "not emulated" not in message


def test_the_journal_marks_requests_that_were_not_emulated(
    emulator: Emulator, http: FlaskClient
) -> None:
    """Each such request is journaled with the operation id, or why no operation matched."""
    call(http, "GET", f"{ROOT}/odata/Users")
    call(http, "GET", f"{ROOT}/odata/Machinez")
    call(
        http,
        "POST",
        f"{ROOT}/odata/Machines/UiPath.Server.Configuration.OData.GetRuntimesForFolder(folderId=2)",
    )
    call(http, "GET", f"{ROOT}/odata/Machines")
    marks = [
        entry.not_emulated for entry in emulator.requests.entries() if "orchestrator_" in entry.path
    ]
    assert marks == ["Users_Get", "(no such path)", "(no such method)", None]
    assert emulator.requests.entries()[-1].as_dict()["not_emulated"] is None
