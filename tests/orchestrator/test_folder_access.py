"""Which folders a caller may use: granular scopes (tenant-wide), `OR.Default` (its folder
assignments and roles), and robot tokens (the robot's folders), in operations and listings."""

import base64
import json

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.orchestrator.folder_helpers import (
    ALL_FOR_CURRENT_USER,
    ASSETS,
    FINANCE,
    FOLDER_PATHS,
    FOLDERS,
    HR,
    INVOICES,
    SHARED,
    asset_body,
    asset_names,
    create_asset,
    create_folder,
    folder_call,
    folder_names,
    scoped_token,
)
from tests.orchestrator.helpers import (
    assert_not_authorized,
    assert_orchestrator_error,
    call,
    token_for,
)
from uipath_emulator.mock_server.well_known import (
    FINANCE_ROBOT,
    FINANCE_ROBOT_KEY,
    FULL,
    READONLY,
    WellKnownApp,
)

ROBOT_FOLDERS = {"Shared", "Finance", "Finance/Invoices"}
EVERY_FOLDER = set(FOLDER_PATHS.values())


def claims(token: str) -> dict[str, object]:
    """The (unverified) payload of a JWT."""
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def status_in(http: FlaskClient, token: str, folder: int) -> int:
    """The status of listing assets in `folder` with `token`."""
    return folder_call(http, "GET", ASSETS, folder, token).status_code


def test_any_confidential_app_may_request_or_default(http: FlaskClient) -> None:
    """The world lets a confidential app ask for `OR.Default` even when it does not list it."""
    token = scoped_token(http, READONLY, "OR.Default")
    assert claims(token)["scope"] == ["OR.Default"]


@pytest.mark.parametrize("folder", [SHARED, FINANCE, INVOICES, HR])
def test_granular_read_scope_acts_in_every_folder(http: FlaskClient, folder: int) -> None:
    """`OR.Assets.Read` lists assets in every folder, assigned to the app or not."""
    assert status_in(http, token_for(http, READONLY), folder) == 200


@pytest.mark.parametrize(
    ("folder", "status"), [(SHARED, 200), (FINANCE, 400), (INVOICES, 400), (HR, 400)]
)
def test_or_default_acts_only_in_assigned_folders(
    http: FlaskClient, folder: int, status: int
) -> None:
    """With `OR.Default` the readonly app (Viewer of Shared) may only use Shared."""
    assert status_in(http, scoped_token(http, READONLY, "OR.Default"), folder) == status


def test_or_default_viewer_may_read_but_not_write(http: FlaskClient) -> None:
    """An `OR.Default` Viewer gets 403 (ABP body) creating or deleting in its own folder."""
    token = scoped_token(http, READONLY, "OR.Default")
    body = asset_body("Nope", "Text", StringValue="x")
    assert_not_authorized(folder_call(http, "POST", ASSETS, SHARED, token, json=body))
    assert_not_authorized(folder_call(http, "DELETE", f"{ASSETS}(1)", SHARED, token))
    assert "ApiBaseUrl" in asset_names(folder_call(http, "GET", ASSETS, SHARED, token))


def test_granular_scope_counts_only_for_its_own_operations(http: FlaskClient) -> None:
    """With `OR.Default OR.Assets.Read`, reads are tenant-wide but writes follow the roles."""
    token = scoped_token(http, READONLY, "OR.Default OR.Assets.Read")
    body = asset_body("Nope", "Text", StringValue="x")
    assert status_in(http, token, HR) == 200
    response = folder_call(http, "POST", ASSETS, HR, token, json=body)
    assert_orchestrator_error(response, 400, 1100)
    assert_not_authorized(folder_call(http, "POST", ASSETS, SHARED, token, json=body))


def test_or_default_folder_administrator_writes_everywhere(http: FlaskClient) -> None:
    """`OR.Default` for the full app (Folder Administrator of all) creates assets in HR."""
    token = scoped_token(http, FULL, "OR.Default")
    created = create_asset(http, HR, asset_body("AdminMade", "Integer", IntValue=1), token)
    assert (created["Name"], created["IntValue"]) == ("AdminMade", 1)


def test_assignment_is_inherited_by_subfolders(http: FlaskClient) -> None:
    """A robot assigned to Finance may use Finance/Invoices, which has no Access entry."""
    token = token_for(http, FINANCE_ROBOT)
    assert status_in(http, token, INVOICES) == 200


def test_robot_token_carries_its_robot_identity(http: FlaskClient) -> None:
    """A token of an app linked to a robot says `service.robot` and the robot key."""
    found = claims(token_for(http, FINANCE_ROBOT))
    assert found["sub_type"] == "service.robot"
    assert found["robot_key"] == FINANCE_ROBOT_KEY


@pytest.mark.parametrize(
    ("folder", "status"), [(SHARED, 200), (FINANCE, 200), (INVOICES, 200), (HR, 400)]
)
def test_robot_acts_only_in_its_folders_whatever_its_scopes(
    http: FlaskClient, folder: int, status: int
) -> None:
    """A robot token holding granular scopes still acts only in the robot's folders."""
    assert status_in(http, token_for(http, FINANCE_ROBOT), folder) == status


def test_robot_role_may_edit_but_not_create_assets(http: FlaskClient) -> None:
    """The robot's Automation User role edits assets in Finance but may not create them."""
    token = token_for(http, FINANCE_ROBOT)
    body = asset_body("InvoiceApprovalLimit", "Integer", IntValue=7000)
    edited = folder_call(http, "PUT", f"{ASSETS}(6)", FINANCE, token, json=body)
    assert edited.status_code == 200, edited.data
    assert edited.get_json()["IntValue"] == 7000
    created = asset_body("RobotMade", "Bool", BoolValue=True)
    assert_not_authorized(folder_call(http, "POST", ASSETS, FINANCE, token, json=created))


@pytest.mark.parametrize(
    ("app", "scope", "expected"),
    [
        (FULL, None, EVERY_FOLDER),
        (READONLY, None, {"Shared"}),
        (READONLY, "OR.Default", {"Shared"}),
        (FINANCE_ROBOT, None, ROBOT_FOLDERS),
    ],
)
def test_folder_listing_shows_only_assigned_folders(
    http: FlaskClient, app: WellKnownApp, scope: str | None, expected: set[str]
) -> None:
    """`/odata/Folders` shows the caller's assigned folders and their subfolders, whatever
    its scopes."""
    token = token_for(http, app) if scope is None else scoped_token(http, app, scope)
    assert folder_names(call(http, "GET", FOLDERS, token)) == expected
    page = call(http, "GET", ALL_FOR_CURRENT_USER, token).get_json()
    assert {folder["FullyQualifiedName"] for folder in page["PageItems"]} == expected
    assert page["Count"] == len(expected)


def test_folder_by_id_outside_the_assignment_is_404(http: FlaskClient) -> None:
    """`Folders(4)` (HR) is not found for the robot, which is not assigned to it."""
    token = token_for(http, FINANCE_ROBOT)
    assert_orchestrator_error(call(http, "GET", f"{FOLDERS}({HR})", token), 404, 1002)
    assert call(http, "GET", f"{FOLDERS}({INVOICES})", token).status_code == 200


def test_created_folder_is_assigned_to_its_creator(http: FlaskClient) -> None:
    """An app that creates a root folder administers it: its `OR.Default` token lists and
    writes there (creating a root folder takes the granular scope: no tenant role is emulated)."""
    token = scoped_token(http, FULL, "OR.Default")
    folder = create_folder(http, "Sandbox")
    assert "Sandbox" in folder_names(call(http, "GET", FOLDERS, token))
    assert "Sandbox" not in folder_names(call(http, "GET", FOLDERS, token_for(http, READONLY)))
    create_asset(http, folder["Id"], asset_body("Mine", "Text", StringValue="x"), token)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_unassigned_folder_cannot_be_changed_by_id(http: FlaskClient, method: str) -> None:
    """The robot, not assigned to HR, gets 404/1002 renaming or deleting it; HR stays."""
    current = call(http, "GET", f"{FOLDERS}({HR})").get_json()
    current.pop("@odata.context")
    body = {**current, "DisplayName": "Taken"} if method == "PUT" else None
    token = token_for(http, FINANCE_ROBOT)
    assert_orchestrator_error(call(http, method, f"{FOLDERS}({HR})", token, json=body), 404, 1002)
    assert call(http, "GET", f"{FOLDERS}({HR})").get_json()["FullyQualifiedName"] == "HR"


@pytest.mark.parametrize(
    ("app", "scope", "parent"),
    [(READONLY, "OR.Default", FINANCE), (FINANCE_ROBOT, None, HR)],
    ids=["or-default-under-finance", "robot-under-hr"],
)
def test_subfolder_of_an_unassigned_folder_is_refused(
    http: FlaskClient, app: WellKnownApp, scope: str | None, parent: int
) -> None:
    """Creating a subfolder under a folder the caller may not use is refused (400/1100 or
    403), and no folder is created."""
    token = token_for(http, app) if scope is None else scoped_token(http, app, scope)
    before = folder_names(call(http, "GET", FOLDERS))
    response = call(
        http, "POST", FOLDERS, token, json={"DisplayName": "Sneaky", "ParentId": parent}
    )
    assert response.status_code in (400, 403), response.data
    assert folder_names(call(http, "GET", FOLDERS)) == before


def folder_write(http: FlaskClient, token: str, action: str) -> TestResponse:
    """One folder write: a subfolder of Shared, a rename of Shared, or deleting Finance/Invoices."""
    if action == "create":
        body = {"DisplayName": "Sub", "ParentId": SHARED}
        return call(http, "POST", FOLDERS, token, json=body)
    if action == "rename":
        current = call(http, "GET", f"{FOLDERS}({SHARED})").get_json()
        current.pop("@odata.context")
        body = {**current, "DisplayName": "Renamed"}
        return call(http, "PUT", f"{FOLDERS}({SHARED})", token, json=body)
    return call(http, "DELETE", f"{FOLDERS}({INVOICES})", token)


@pytest.mark.parametrize(
    ("app", "scope", "action"),
    [
        (READONLY, "OR.Default", "create"),
        (READONLY, "OR.Default", "rename"),
        (FINANCE_ROBOT, None, "delete"),
    ],
    ids=["viewer-creates-subfolder", "viewer-renames", "automation-user-deletes"],
)
def test_folder_writes_need_the_roles_permissions(
    http: FlaskClient, app: WellKnownApp, scope: str | None, action: str
) -> None:
    """A role without SubFolders.Create/Edit/Delete gets the ABP 403 for that folder write,
    and the folders stay as they were."""
    token = token_for(http, app) if scope is None else scoped_token(http, app, scope)
    before = folder_names(call(http, "GET", FOLDERS))
    assert_not_authorized(folder_write(http, token, action))
    assert folder_names(call(http, "GET", FOLDERS)) == before
