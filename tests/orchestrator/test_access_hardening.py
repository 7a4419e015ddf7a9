"""Refusals found by an adversarial review of folders and assets, each pinned."""

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.folder_helpers import (
    ALL_FOR_CURRENT_USER,
    ASSETS,
    FOLDERS,
    GET_ROBOT_ASSET,
    HR,
    SET_ROBOT_ASSET,
    SHARED,
    asset_body,
    create_asset,
    folder_call,
    scoped_token,
)
from tests.orchestrator.helpers import (
    MACHINES,
    assert_not_authorized,
    assert_orchestrator_error,
    call,
    token_for,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.entities.registry import SECRET_MASK
from uipath_emulator.mock_server.well_known import (
    CREDENTIAL_ASSET,
    FINANCE_ROBOT,
    FINANCE_ROBOT_KEY,
    FULL,
    ORGANIZATION,
    QA_TENANT,
    ROBOTS,
    TENANT,
)

QA = f"/{ORGANIZATION}/{QA_TENANT}/orchestrator_/odata"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("DELETE", f"{MACHINES}(1)", None),
        ("POST", MACHINES, {"Name": "NOT-MINE", "Type": "Standard"}),
        ("GET", f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Robots", None),
    ],
    ids=["delete-machine", "create-machine", "list-robots"],
)
def test_or_default_does_not_open_tenant_level_operations(
    http: FlaskClient, method: str, path: str, body: dict[str, str] | None
) -> None:
    """`OR.Default` counts only where folder roles decide: a tenant-level operation gets 403."""
    token = scoped_token(http, ROBOTS, "OR.Default")
    assert_not_authorized(call(http, method, path, token, json=body))
    assert call(http, "GET", f"{MACHINES}(1)").status_code == 200


def test_or_default_cannot_create_a_root_folder(http: FlaskClient) -> None:
    """A root folder needs a tenant role, which no `OR.Default` caller holds: 403, none made."""
    token = scoped_token(http, FULL, "OR.Default")
    assert_not_authorized(call(http, "POST", FOLDERS, token, json={"DisplayName": "Root"}))
    names = {f["DisplayName"] for f in call(http, "GET", FOLDERS).get_json()["value"]}
    assert "Root" not in names


def test_folder_names_cannot_contain_the_path_separator(http: FlaskClient) -> None:
    """`A/B` as a DisplayName would shadow the path of a subfolder: 400."""
    response = call(http, "POST", FOLDERS, json={"DisplayName": "HR/Payroll"})
    assert "'/'" in assert_orchestrator_error(response, 400, 1000)


def test_a_robot_token_on_a_tenant_without_its_robot_uses_no_folder(http: FlaskClient) -> None:
    """finance-robot's token in acme/QA (no such robot there) is not a tenant-wide app: 1100."""
    created = call(http, "POST", f"{QA}/Folders", json={"DisplayName": "Payroll"})
    assert created.status_code == 201, created.data
    headers = {"X-UIPATH-FolderPath": "Payroll"}
    body = asset_body("PayrollDb", "Credential", CredentialUsername="sa")
    body.update(CredentialPassword="payroll-db-pw", AllowDirectApiAccess=True)
    assert call(http, "POST", f"{QA}/Assets", json=body, headers=headers).status_code == 201
    robot = token_for(http, FINANCE_ROBOT)
    robot_asset = f"{QA}/Assets/UiPath.Server.Configuration.OData.GetRobotAssetByNameForRobotKey"
    answer = call(
        http, "POST", robot_asset, robot, json={"assetName": "PayrollDb"}, headers=headers
    )
    assert_orchestrator_error(answer, 400, 1100)
    assert b"payroll-db-pw" not in answer.data


def test_per_user_values_are_refused(http: FlaskClient) -> None:
    """`UserValues` (with their own passwords) are not emulated: 400, nothing stored."""
    body = asset_body("PerUser", "Text", StringValue="x", ValueScope="PerRobot")
    body["UserValues"] = [{"CredentialPassword": "bob-password"}]
    response = folder_call(http, "POST", ASSETS, SHARED, json=body)
    assert "UserValues" in assert_orchestrator_error(response, 400, 1000)
    listing = folder_call(http, "GET", ASSETS, SHARED)
    assert b"bob-password" not in listing.data


@pytest.mark.parametrize("value", ["\u00b2", "\u0665", "--5", "+5", "5 "])
def test_page_arguments_take_ascii_integers_only(http: FlaskClient, value: str) -> None:
    """A superscript, an Arabic-Indic digit or a doubled sign in `take` is 400, never 500."""
    response = call(http, "GET", f"{ALL_FOR_CURRENT_USER}?take={value}")
    assert_orchestrator_error(response, 400, 1000)


def test_the_harness_masks_stored_secrets_unless_asked(emulator: Emulator) -> None:
    """`entities(...).get/list` show a stored password as the mask; `reveal_secrets` shows it."""
    assets = emulator.entities(ORGANIZATION, TENANT, "Assets")
    name, _user, password = CREDENTIAL_ASSET
    stored = next(asset for asset in assets.list() if asset["Name"] == name)
    assert stored["ProtectedCredentialPassword"] == SECRET_MASK
    assert password not in repr(assets.list())
    revealed = assets.get(stored["Id"], reveal_secrets=True)
    assert revealed["ProtectedCredentialPassword"] == password


def test_control_api_entities_mask_stored_secrets(http: FlaskClient) -> None:
    """`/_emulator/entities/.../Assets` never carries a stored password or secret value."""
    response = http.get(f"/_emulator/entities/{ORGANIZATION}/{TENANT}/Assets")
    assert response.status_code == 200, response.data
    assert CREDENTIAL_ASSET[2].encode() not in response.data
    assert b"emulator-secret-value" not in response.data


def test_harness_assets_need_an_existing_folder(emulator: Emulator) -> None:
    """A harness-made asset without a folder, or in a folder that does not exist, is refused."""
    assets = emulator.entities(ORGANIZATION, TENANT, "Assets")
    body = asset_body("Loose", "Text", StringValue="x")
    with pytest.raises(Exception, match="folder") as missing:
        assets.add(body)
    assert getattr(missing.value, "status", None) == 400
    with pytest.raises(Exception, match="Folder does not exist") as gone:
        assets.add({**body, "OrganizationUnitId": 999})
    assert getattr(gone.value, "status", None) == 400


def test_harness_cannot_delete_a_folder_with_assets(emulator: Emulator) -> None:
    """Deleting `Shared` through the harness is refused (1012) while it holds assets."""
    folders = emulator.entities(ORGANIZATION, TENANT, "Folders")
    with pytest.raises(Exception, match="cannot be deleted") as refused:
        folders.remove(SHARED)
    assert getattr(refused.value, "error_code", None) == 1012
    assert folders.get(SHARED)["DisplayName"] == "Shared"


def test_empty_answers_have_no_content_type(http: FlaskClient) -> None:
    """A 204 (an asset deleted) carries no `Content-Type`, not werkzeug's `text/html`."""
    created = create_asset(http, HR, asset_body("Gone", "Text", StringValue="x"))
    response = folder_call(http, "DELETE", f"{ASSETS}({created['Id']})", HR)
    assert response.status_code == 204
    assert "Content-Type" not in response.headers


def test_robot_asset_writes_follow_the_robots_role(emulator: Emulator, http: FlaskClient) -> None:
    """A robot that is only a Viewer of HR reads an HR asset by its key but cannot set it."""
    folders = emulator.entities(ORGANIZATION, TENANT, "Folders")
    access = folders.get(HR)["Access"]
    folders.update(HR, {"Access": [*access, {"Robot": "finance-robot", "Role": "Viewer"}]})
    create_asset(http, HR, asset_body("HrOnly", "Text", StringValue="before"))
    read = {"assetName": "HrOnly", "robotKey": FINANCE_ROBOT_KEY}
    assert folder_call(http, "POST", GET_ROBOT_ASSET, HR, json=read).status_code == 200
    write = {"robotKey": FINANCE_ROBOT_KEY, "robotAsset": {"Name": "HrOnly", "StringValue": "x"}}
    assert_orchestrator_error(folder_call(http, "POST", SET_ROBOT_ASSET, HR, json=write), 404, 1002)
    after = folder_call(http, "POST", GET_ROBOT_ASSET, HR, json=read).get_json()
    assert after["StringValue"] == "before"
