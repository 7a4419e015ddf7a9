"""Paths, folders, tokens and request helpers shared by the folder and asset tests."""

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.identity.helpers import credentials_form, post_token
from tests.orchestrator.helpers import call
from uipath_emulator.mock_server.orchestrator.folders.headers import FOLDER_ID
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT, WellKnownApp

ORCHESTRATOR = f"/{ORGANIZATION}/{TENANT}/orchestrator_"
ASSETS = f"{ORCHESTRATOR}/odata/Assets"
FOLDERS = f"{ORCHESTRATOR}/odata/Folders"
FUNCTIONS = "UiPath.Server.Configuration.OData"
GET_FILTERED = f"{ASSETS}/{FUNCTIONS}.GetFiltered"
GET_ROBOT_ASSET = f"{ASSETS}/{FUNCTIONS}.GetRobotAssetByNameForRobotKey"
SET_ROBOT_ASSET = f"{ASSETS}/{FUNCTIONS}.SetRobotAssetByRobotKey"
FOLDER_BY_KEY = f"{FOLDERS}/{FUNCTIONS}.GetByKey(identifier='{{key}}')"
ALL_FOR_CURRENT_USER = f"{ORCHESTRATOR}/api/Folders/GetAllForCurrentUser"
NAVIGATION = f"{ORCHESTRATOR}/api/FoldersNavigation/GetFoldersForCurrentUser"

SHARED, FINANCE, INVOICES, HR = 1, 2, 3, 4
"""The Ids of acme/DefaultTenant's folders in the default world."""
FOLDER_KEYS = {
    SHARED: "5f0c1f8e-1b6a-4f0e-9d8b-2a7c3e4f5a6b",
    FINANCE: "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a",
    INVOICES: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
    HR: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
}
"""Their Keys (fixtures/worlds/default.json)."""
FOLDER_PATHS = {SHARED: "Shared", FINANCE: "Finance", INVOICES: "Finance/Invoices", HR: "HR"}
GLOBEX_SHARED_KEY = "7e6d5c4b-3a2f-4e1d-8c0b-9a8f7e6d5c4b"
"""The Key of globex/DefaultTenant's `Shared` folder."""

SHARED_ASSETS = ("ApiBaseUrl", "MaxRetries", "FeatureEnabled", "ServiceAccount", "ApiKey")
FINANCE_ASSETS = ("InvoiceApprovalLimit",)
CREDENTIAL_PASSWORD = "emulator-credential-password"
"""The stored password of `ServiceAccount` (Shared)."""
SECRET_VALUE = "emulator-secret-value"
"""The stored value of `ApiKey` (Shared)."""


def scoped_token(
    http: FlaskClient, app: WellKnownApp, scope: str, organization: str = ORGANIZATION
) -> str:
    """An access token for `app` holding only `scope` (space-separated scopes)."""
    response = post_token(
        http,
        credentials_form(app, scope=scope),
        path=f"/{organization}/identity_/connect/token",
    )
    assert response.status_code == 200, response.data
    assert response.get_json()["scope"] == scope
    return str(response.get_json()["access_token"])


def in_folder(folder_id: int) -> dict[str, str]:
    """The folder header naming the folder with this Id."""
    return {FOLDER_ID: str(folder_id)}


def folder_call(
    http: FlaskClient,
    method: str,
    path: str,
    folder: int | None = SHARED,
    token: str | None = None,
    json: Any = None,
    headers: dict[str, str] | None = None,
) -> TestResponse:
    """`call` with the folder header of `folder` (none when None) added to `headers`."""
    sent = {**(in_folder(folder) if folder is not None else {}), **(headers or {})}
    return call(http, method, path, token, json, headers=sent)


def asset_names(response: TestResponse) -> list[str]:
    """The names of a successful asset listing, in answer order."""
    assert response.status_code == 200, response.data
    return [asset["Name"] for asset in response.get_json()["value"]]


def folder_names(response: TestResponse) -> set[str]:
    """The paths of a successful folder listing."""
    assert response.status_code == 200, response.data
    return {folder["FullyQualifiedName"] for folder in response.get_json()["value"]}


def asset_body(name: str, value_type: str, **members: Any) -> dict[str, Any]:
    """A create/replace body for an asset (Global scope) with its value members."""
    return {"Name": name, "ValueScope": "Global", "ValueType": value_type, **members}


def create_asset(
    http: FlaskClient, folder: int, body: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    """Create an asset in `folder` and return the answer (asserting 201)."""
    response = folder_call(http, "POST", ASSETS, folder, token, json=body)
    assert response.status_code == 201, response.data
    return dict(response.get_json())


def create_folder(
    http: FlaskClient, name: str, parent: int | None = None, token: str | None = None
) -> dict[str, Any]:
    """Create a folder under `parent` (a root when None) and return the answer (asserting 201)."""
    response = call(http, "POST", FOLDERS, token, json={"DisplayName": name, "ParentId": parent})
    assert response.status_code == 201, response.data
    return dict(response.get_json())


def robot_asset(
    http: FlaskClient,
    folder: int,
    name: str,
    robot_key: str | None,
    token: str | None = None,
) -> TestResponse:
    """POST `GetRobotAssetByNameForRobotKey` for `name` (with `robot_key` unless None)."""
    body: dict[str, Any] = {"assetName": name}
    if robot_key is not None:
        body["robotKey"] = robot_key
    return folder_call(http, "POST", GET_ROBOT_ASSET, folder, token, json=body)
