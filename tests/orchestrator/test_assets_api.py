"""The Assets API: value-type rules, masking of passwords and secrets, `Value` summaries,
GetFiltered, unique names per folder, 404s, the robot endpoints and their scopes."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.folder_helpers import (
    ASSETS,
    CREDENTIAL_PASSWORD,
    FINANCE,
    GET_FILTERED,
    HR,
    INVOICES,
    SECRET_VALUE,
    SET_ROBOT_ASSET,
    SHARED,
    SHARED_ASSETS,
    asset_body,
    asset_names,
    create_asset,
    folder_call,
    robot_asset,
    scoped_token,
)
from tests.orchestrator.helpers import (
    assert_not_authorized,
    assert_orchestrator_error,
    token_for,
)
from uipath_emulator.mock_server.orchestrator.entities.assets import (
    ASSET_NOT_FOUND,
    NOT_AVAILABLE,
)
from uipath_emulator.mock_server.well_known import FINANCE_ROBOT_KEY, FULL, READONLY

SERVICE_ACCOUNT, API_KEY, MAX_RETRIES, INVOICE_LIMIT = 4, 5, 2, 6
"""Ids of well-known assets (Shared, Shared, Shared, Finance)."""
UNKNOWN_ROBOT = "00000000-0000-4000-8000-000000000000"
NEW_PASSWORD = "fresh-password-471"
NEW_SECRET = "fresh-secret-829"
CREDENTIAL = asset_body("Db", "Credential", CredentialUsername="dbuser", CredentialPassword="pw-1")
SECRET = asset_body("Token", "Secret", SecretValue="tok-1")
SECRETS = (CREDENTIAL_PASSWORD, SECRET_VALUE, "pw-1", "tok-1", NEW_PASSWORD, NEW_SECRET)
"""Every password or secret value these tests store."""


def post_asset(http: FlaskClient, body: dict[str, Any], folder: int = SHARED) -> Any:
    """POST an asset to `folder`."""
    return folder_call(http, "POST", ASSETS, folder, json=body)


def put_asset(http: FlaskClient, key: int, body: dict[str, Any], folder: int = SHARED) -> Any:
    """PUT `Assets(key)` in `folder`."""
    return folder_call(http, "PUT", f"{ASSETS}({key})", folder, json=body)


def set_robot_asset(
    http: FlaskClient,
    asset: dict[str, Any],
    folder: int = SHARED,
    robot_key: str = FINANCE_ROBOT_KEY,
) -> Any:
    """POST `SetRobotAssetByRobotKey` with this robot asset."""
    body = {"robotKey": robot_key, "robotAsset": asset}
    return folder_call(http, "POST", SET_ROBOT_ASSET, folder, json=body)


def revealed(http: FlaskClient, name: str, folder: int = SHARED) -> dict[str, Any]:
    """What the finance robot reads of asset `name` (asserting 200)."""
    response = robot_asset(http, folder, name, FINANCE_ROBOT_KEY)
    assert response.status_code == 200, response.data
    return dict(response.get_json())


def assert_no_secret(data: bytes) -> None:
    """No stored password or secret, nor an emulator member name, in a response body."""
    for secret in SECRETS:
        assert secret.encode() not in data
    assert b"Protected" not in data
    assert b"OrganizationUnitId" not in data


def assert_refused(response: Any, member: str) -> None:
    """400/1000 with a message naming `member`."""
    assert member in assert_orchestrator_error(response, 400, 1000)


@pytest.mark.parametrize(
    ("body", "member"),
    [
        (asset_body("T", "Text"), "StringValue"),
        (asset_body("B", "Bool"), "BoolValue"),
        (asset_body("I", "Integer"), "IntValue"),
        (asset_body("C", "Credential", CredentialPassword="p"), "CredentialUsername"),
        (asset_body("C", "Credential", CredentialUsername="u"), "CredentialPassword"),
        (
            asset_body("C", "Credential", CredentialUsername="u", CredentialPassword=""),
            "CredentialPassword",
        ),
        (asset_body("S", "Secret"), "SecretValue"),
        (asset_body("S", "Secret", SecretValue=""), "SecretValue"),
    ],
)
def test_missing_typed_member_is_400(http: FlaskClient, body: dict[str, Any], member: str) -> None:
    """An asset without the value member(s) of its ValueType is refused naming the member."""
    assert_refused(post_asset(http, body), member)
    assert body["Name"] not in asset_names(folder_call(http, "GET", ASSETS, SHARED))


@pytest.mark.parametrize(
    ("body", "member"),
    [
        (asset_body("T", "Text", StringValue="a", IntValue=5), "IntValue"),
        (asset_body("I", "Integer", IntValue=1, StringValue="x"), "StringValue"),
        (asset_body("B", "Bool", BoolValue=True, CredentialUsername="u"), "CredentialUsername"),
        (
            asset_body(
                "C", "Credential", CredentialUsername="u", CredentialPassword="p", SecretValue="s"
            ),
            "SecretValue",
        ),
        (asset_body("S", "Secret", SecretValue="s", BoolValue=True), "BoolValue"),
        (asset_body("T", "Text", StringValue="a", CredentialPassword="p"), "CredentialPassword"),
    ],
)
def test_member_of_another_type_is_400(
    http: FlaskClient, body: dict[str, Any], member: str
) -> None:
    """A non-empty value in another value type's member is refused, not silently dropped."""
    assert_refused(post_asset(http, body), member)


def test_empty_members_of_other_types_are_accepted(http: FlaskClient) -> None:
    """Clients sending every member with its empty value (0, false, "", null) are accepted."""
    empties = {"IntValue": 0, "BoolValue": False, "CredentialUsername": "", "SecretValue": None}
    created = create_asset(http, SHARED, asset_body("T", "Text", StringValue="a", **empties))
    assert created["Value"] == "a"


@pytest.mark.parametrize("value_type", ["KeyValueList", "DBConnectionString", "WindowsCredential"])
def test_unsupported_value_type_is_400(http: FlaskClient, value_type: str) -> None:
    """Value types the emulator does not serve are refused, naming them."""
    assert_refused(post_asset(http, asset_body("U", value_type, StringValue="x")), value_type)


def test_missing_value_type_is_400(http: FlaskClient) -> None:
    """An asset without ValueType is refused."""
    body = {"Name": "N", "ValueScope": "Global", "StringValue": "x"}
    assert_refused(post_asset(http, body), "ValueType")


@pytest.mark.parametrize(
    ("body", "member"),
    [
        (asset_body("B", "Bool", BoolValue="true"), "BoolValue"),
        (asset_body("I", "Integer", IntValue=True), "IntValue"),
        (asset_body("I", "Integer", IntValue="5"), "IntValue"),
        (asset_body("I", "Integer", IntValue=2**31), "IntValue"),
        (asset_body("T", "Text", StringValue=5), "StringValue"),
    ],
)
def test_wrongly_typed_json_values_are_400(
    http: FlaskClient, body: dict[str, Any], member: str
) -> None:
    """JSON values of the wrong type (or an IntValue outside int32) are refused."""
    assert_refused(post_asset(http, body), member)


@pytest.mark.parametrize(
    ("body", "value"),
    [
        (asset_body("T", "Text", StringValue="hello"), "hello"),
        (asset_body("B", "Bool", BoolValue=True), "True"),
        (asset_body("B", "Bool", BoolValue=False), "False"),
        (asset_body("I", "Integer", IntValue=42), "42"),
        (asset_body("I", "Integer", IntValue=0), "0"),
        (asset_body("I", "Integer", IntValue=-7), "-7"),
        (CREDENTIAL, "dbuser"),
        (SECRET, ""),
    ],
)
def test_value_summary(http: FlaskClient, body: dict[str, Any], value: str) -> None:
    """`Value` is the text, True/False, the number, the user name, or "" for a secret."""
    created = create_asset(http, SHARED, body)
    assert created["Value"] == value
    listed = folder_call(http, "GET", f"{ASSETS}?$filter=Name eq '{body['Name']}'", SHARED)
    assert listed.get_json()["value"][0]["Value"] == value


def test_value_summary_cannot_be_sent(http: FlaskClient) -> None:
    """A `Value` sent by the client is ignored: the summary follows the value members."""
    body = asset_body("B", "Bool", BoolValue=True, Value="hacked")
    assert create_asset(http, SHARED, body)["Value"] == "True"


def test_well_known_value_summaries(http: FlaskClient) -> None:
    """The default world's Shared assets have the documented summaries."""
    listed = folder_call(http, "GET", ASSETS, SHARED).get_json()["value"]
    summaries = {asset["Name"]: asset["Value"] for asset in listed}
    assert summaries == {
        "ApiBaseUrl": "https://api.example.invalid",
        "MaxRetries": "3",
        "FeatureEnabled": "True",
        "ServiceAccount": "svc-robot",
        "ApiKey": "",
    }


@pytest.mark.parametrize("body", [CREDENTIAL, SECRET])
def test_create_answer_masks_the_secret(http: FlaskClient, body: dict[str, Any]) -> None:
    """The 201 answer has empty CredentialPassword and SecretValue."""
    response = post_asset(http, body)
    assert response.status_code == 201, response.data
    assert response.get_json()["CredentialPassword"] == ""
    assert response.get_json()["SecretValue"] == ""
    assert_no_secret(response.data)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?$select=Name,CredentialPassword,SecretValue,Value",
        "?$filter=ValueType eq 'Credential' or ValueType eq 'Secret'",
        "?$orderby=Value desc&$top=3",
    ],
)
def test_listings_never_carry_secrets(http: FlaskClient, query: str) -> None:
    """List and GetFiltered bodies (raw bytes) hold no stored password or secret."""
    create_asset(http, SHARED, CREDENTIAL)
    create_asset(http, SHARED, SECRET)
    for path in (ASSETS, GET_FILTERED):
        response = folder_call(http, "GET", path + query, SHARED)
        assert response.status_code == 200, response.data
        assert_no_secret(response.data)


@pytest.mark.parametrize("key", [SERVICE_ACCOUNT, API_KEY])
def test_get_never_carries_secrets(http: FlaskClient, key: int) -> None:
    """`Assets(key)` answers empty password and secret members."""
    response = folder_call(http, "GET", f"{ASSETS}({key})", SHARED)
    assert response.status_code == 200, response.data
    assert response.get_json()["CredentialPassword"] == response.get_json()["SecretValue"] == ""
    assert_no_secret(response.data)


@pytest.mark.parametrize(
    "member", ["CredentialPassword", "SecretValue", "ProtectedSecretValue", "OrganizationUnitId"]
)
def test_secrets_cannot_be_probed_by_filter(http: FlaskClient, member: str) -> None:
    """Filtering on a secret (or an emulator member) never matches the stored value."""
    for secret in (CREDENTIAL_PASSWORD, SECRET_VALUE):
        query = f"{ASSETS}?$filter={member} eq '{secret}'"
        response = folder_call(http, "GET", query, SHARED)
        assert response.status_code in (200, 400), response.data
        if response.status_code == 200:
            assert response.get_json()["value"] == []


def test_put_with_new_password_answers_it_masked(http: FlaskClient) -> None:
    """A PUT that changes the password answers it empty, and the robot reads the new one."""
    body = asset_body(
        "ServiceAccount", "Credential", CredentialUsername="svc", CredentialPassword=NEW_PASSWORD
    )
    response = put_asset(http, SERVICE_ACCOUNT, body)
    assert response.status_code == 200, response.data
    assert response.get_json()["CredentialPassword"] == ""
    assert_no_secret(response.data)
    assert revealed(http, "ServiceAccount")["CredentialPassword"] == NEW_PASSWORD


@pytest.mark.parametrize("password", ["", None])
def test_put_with_empty_password_keeps_the_stored_one(
    http: FlaskClient, password: str | None
) -> None:
    """A PUT with an empty or null password keeps the stored password (seen by the robot)."""
    body = asset_body(
        "ServiceAccount", "Credential", CredentialUsername="renamed", CredentialPassword=password
    )
    response = put_asset(http, SERVICE_ACCOUNT, body)
    assert response.status_code == 200, response.data
    assert response.get_json()["Value"] == "renamed"
    robot = revealed(http, "ServiceAccount")
    assert (robot["CredentialUsername"], robot["CredentialPassword"]) == (
        "renamed",
        CREDENTIAL_PASSWORD,
    )


def test_put_with_empty_secret_keeps_the_stored_one(http: FlaskClient) -> None:
    """A PUT of a Secret asset with an empty SecretValue keeps the stored secret."""
    body = asset_body("ApiKey", "Secret", SecretValue="", Description="rotated later")
    assert put_asset(http, API_KEY, body).status_code == 200
    assert revealed(http, "ApiKey")["SecretValue"] == SECRET_VALUE


def test_changing_type_drops_the_old_secret(http: FlaskClient) -> None:
    """A Secret turned Text loses its secret: turning it back needs a new SecretValue."""
    changed = put_asset(http, API_KEY, asset_body("ApiKey", "Text", StringValue="plain"))
    assert changed.status_code == 200, changed.data
    assert revealed(http, "ApiKey")["SecretValue"] == ""
    back = put_asset(http, API_KEY, asset_body("ApiKey", "Secret", SecretValue=""))
    assert_refused(back, "SecretValue")


def test_get_filtered_equals_the_listing(http: FlaskClient) -> None:
    """GetFiltered answers exactly what `/odata/Assets` does for the same query."""
    for query in (
        "",
        "?$filter=ValueType eq 'Integer'",
        "?$orderby=Name desc&$top=2&$skip=1",
        "?$select=Name,Value&$count=true",
    ):
        listed = folder_call(http, "GET", ASSETS + query, SHARED)
        filtered = folder_call(http, "GET", GET_FILTERED + query, SHARED)
        assert listed.status_code == filtered.status_code == 200
        assert filtered.get_json() == listed.get_json()


def test_get_filtered_needs_a_folder(http: FlaskClient) -> None:
    """GetFiltered without a folder header is 400/1101, like the listing."""
    assert_orchestrator_error(folder_call(http, "GET", GET_FILTERED, None), 400, 1101)


def test_duplicate_name_in_a_folder_is_409(http: FlaskClient) -> None:
    """A second asset named like one of the folder (in any case) is 409/1001."""
    response = post_asset(http, asset_body("maxretries", "Integer", IntValue=1))
    assert "'maxretries'" in assert_orchestrator_error(response, 409, 1001)


def test_trailing_spaces_do_not_make_a_new_name(http: FlaskClient) -> None:
    """`ApiKey ` clashes with `ApiKey` (names compare ignoring trailing spaces): 409/1001."""
    response = post_asset(http, asset_body("ApiKey ", "Text", StringValue="x"))
    assert_orchestrator_error(response, 409, 1001)


def test_case_only_rename_of_an_asset_is_allowed(http: FlaskClient) -> None:
    """An asset may be renamed to its own name in another case."""
    response = put_asset(http, MAX_RETRIES, asset_body("maxretries", "Integer", IntValue=4))
    assert response.status_code == 200, response.data
    assert response.get_json()["Name"] == "maxretries"


def test_rename_onto_an_existing_name_is_409(http: FlaskClient) -> None:
    """A PUT giving an asset the name of another asset of its folder is 409/1001."""
    response = put_asset(http, 1, asset_body("MaxRetries", "Text", StringValue="x"))
    assert_orchestrator_error(response, 409, 1001)


def test_same_name_in_another_folder_is_allowed(http: FlaskClient) -> None:
    """The name MaxRetries, taken in Shared, may be used in Finance and Finance/Invoices."""
    for folder in (FINANCE, INVOICES):
        create_asset(http, folder, asset_body("MaxRetries", "Integer", IntValue=folder))
    assert asset_names(folder_call(http, "GET", ASSETS, INVOICES)) == ["MaxRetries"]
    assert revealed(http, "MaxRetries", INVOICES)["IntValue"] == INVOICES
    assert revealed(http, "MaxRetries", SHARED)["IntValue"] == 3


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_key_is_404_1002(http: FlaskClient, method: str) -> None:
    """An asset key the tenant lacks is 404/1002."""
    body = asset_body("X", "Text", StringValue="x") if method == "PUT" else None
    response = folder_call(http, method, f"{ASSETS}(999)", SHARED, json=body)
    assert_orchestrator_error(response, 404, 1002)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_key_of_another_folder_is_404_1002(http: FlaskClient, method: str) -> None:
    """An asset of Finance is not found through the Shared folder header."""
    body = asset_body("InvoiceApprovalLimit", "Integer", IntValue=1) if method == "PUT" else None
    response = folder_call(http, method, f"{ASSETS}({INVOICE_LIMIT})", SHARED, json=body)
    assert_orchestrator_error(response, 404, 1002)
    assert revealed(http, "InvoiceApprovalLimit", FINANCE)["IntValue"] == 5000


def test_delete_asset(http: FlaskClient) -> None:
    """DELETE answers 204 and the asset is gone from its folder."""
    assert folder_call(http, "DELETE", f"{ASSETS}({MAX_RETRIES})", SHARED).status_code == 204
    assert "MaxRetries" not in asset_names(folder_call(http, "GET", ASSETS, SHARED))
    response = folder_call(http, "GET", f"{ASSETS}({MAX_RETRIES})", SHARED)
    assert_orchestrator_error(response, 404, 1002)


def test_robot_reads_every_value_member(http: FlaskClient) -> None:
    """GetRobotAssetByNameForRobotKey gives the robot the password, with the asset's Id."""
    body = revealed(http, "ServiceAccount")
    assert body["@odata.context"].endswith("$metadata#UiPath.Application.Dto.Assets.RobotAssetDto")
    assert body["CredentialUsername"] == "svc-robot"
    assert body["CredentialPassword"] == CREDENTIAL_PASSWORD
    assert body["Id"] == SERVICE_ACCOUNT
    assert "Value" not in body


def test_robot_asset_name_matches_in_any_case(http: FlaskClient) -> None:
    """The asset name of the robot endpoint is matched case-insensitively."""
    assert revealed(http, "maxRETRIES")["IntValue"] == 3


@pytest.mark.parametrize(("name", "secret"), [("ApiKey", SECRET_VALUE), ("ServiceAccount", None)])
def test_direct_api_access_without_robot_key(
    http: FlaskClient, name: str, secret: str | None
) -> None:
    """An AllowDirectApiAccess asset is answered without robotKey."""
    response = robot_asset(http, SHARED, name, None)
    assert response.status_code == 200, response.data
    if secret is not None:
        assert response.get_json()["SecretValue"] == secret


def test_robot_key_required_without_direct_api_access(http: FlaskClient) -> None:
    """Without robotKey, an asset lacking AllowDirectApiAccess is refused (400)."""
    response = robot_asset(http, SHARED, "MaxRetries", None)
    assert "robotKey" in assert_orchestrator_error(response, 400, 0)


@pytest.mark.parametrize("robot_key", [FINANCE_ROBOT_KEY, None])
def test_robot_asset_unknown_name_is_404(http: FlaskClient, robot_key: str | None) -> None:
    """An asset name the folder lacks is 404/1002 "Could not find an asset with this name."."""
    response = robot_asset(http, SHARED, "InvoiceApprovalLimit", robot_key)
    assert assert_orchestrator_error(response, 404, 1002) == ASSET_NOT_FOUND


def test_robot_not_assigned_to_the_folder_is_404(http: FlaskClient) -> None:
    """The finance robot asking for an HR asset is 404/1002 "not available"."""
    create_asset(http, HR, asset_body("HrLimit", "Integer", IntValue=1))
    response = robot_asset(http, HR, "HrLimit", FINANCE_ROBOT_KEY)
    assert assert_orchestrator_error(response, 404, 1002) == NOT_AVAILABLE


def test_unknown_robot_is_404(http: FlaskClient) -> None:
    """A robot key no robot has is 404/1002 "not available", even for an existing asset."""
    response = robot_asset(http, SHARED, "MaxRetries", UNKNOWN_ROBOT)
    assert assert_orchestrator_error(response, 404, 1002) == NOT_AVAILABLE


def test_robot_asset_through_an_inherited_assignment(http: FlaskClient) -> None:
    """The robot assigned to Finance reads assets of Finance/Invoices."""
    create_asset(http, INVOICES, asset_body("Batch", "Text", StringValue="b-1"))
    assert revealed(http, "Batch", INVOICES)["StringValue"] == "b-1"


def test_robot_endpoints_need_assets_or_write_scope(http: FlaskClient) -> None:
    """A token with only `.Read` scopes gets the ABP 403 from both robot endpoints."""
    token = token_for(http, READONLY)
    assert_not_authorized(robot_asset(http, SHARED, "ApiKey", None, token))
    body = {"robotKey": FINANCE_ROBOT_KEY, "robotAsset": {"Name": "MaxRetries", "IntValue": 1}}
    assert_not_authorized(folder_call(http, "POST", SET_ROBOT_ASSET, SHARED, token, json=body))


@pytest.mark.parametrize(
    ("scope", "status"), [("OR.Assets.Write", 200), ("OR.Assets", 200), ("OR.Assets.Read", 403)]
)
def test_robot_asset_scope_table(http: FlaskClient, scope: str, status: int) -> None:
    """GetRobotAssetByNameForRobotKey takes OR.Assets or OR.Assets.Write, not OR.Assets.Read."""
    token = scoped_token(http, FULL, scope)
    assert robot_asset(http, SHARED, "ApiKey", None, token).status_code == status


def test_set_robot_asset_is_204_and_visible_through_odata(http: FlaskClient) -> None:
    """SetRobotAssetByRobotKey answers 204 with no body; the listing shows the new value."""
    nines = f"{ASSETS}?$filter=IntValue eq 9"
    assert asset_names(folder_call(http, "GET", nines, SHARED)) == []
    response = set_robot_asset(http, {"Name": "MaxRetries", "ValueType": "Integer", "IntValue": 9})
    assert response.status_code == 204
    assert response.data == b""
    stored = folder_call(http, "GET", f"{ASSETS}({MAX_RETRIES})", SHARED).get_json()
    assert (stored["IntValue"], stored["Value"]) == (9, "9")
    assert stored["LastModificationTime"] is not None
    assert revealed(http, "MaxRetries")["IntValue"] == 9
    assert asset_names(folder_call(http, "GET", nines, SHARED)) == ["MaxRetries"]


def test_set_robot_asset_secret_is_masked_afterwards(http: FlaskClient) -> None:
    """A secret set by the robot is read back by the robot but never listed."""
    assert set_robot_asset(http, {"Name": "ApiKey", "SecretValue": NEW_SECRET}).status_code == 204
    assert revealed(http, "ApiKey")["SecretValue"] == NEW_SECRET
    assert_no_secret(folder_call(http, "GET", ASSETS, SHARED).data)


def test_set_robot_asset_without_password_keeps_it(http: FlaskClient) -> None:
    """Setting only the user name of a Credential keeps its password."""
    change = {"Name": "ServiceAccount", "CredentialUsername": "svc-2"}
    assert set_robot_asset(http, change).status_code == 204
    robot = revealed(http, "ServiceAccount")
    assert (robot["CredentialUsername"], robot["CredentialPassword"]) == (
        "svc-2",
        CREDENTIAL_PASSWORD,
    )


@pytest.mark.parametrize(
    "change",
    [
        {"Name": "MaxRetries", "ValueType": "Text", "StringValue": "x"},
        {"Name": "MaxRetries", "StringValue": "x"},
    ],
)
def test_set_robot_asset_of_another_type_is_400(http: FlaskClient, change: dict[str, Any]) -> None:
    """Setting a value of another type than the asset's is refused and changes nothing."""
    assert_orchestrator_error(set_robot_asset(http, change), 400, 1000)
    assert revealed(http, "MaxRetries")["IntValue"] == 3


@pytest.mark.parametrize(
    ("folder", "robot_key", "name", "message"),
    [
        (HR, FINANCE_ROBOT_KEY, "MaxRetries", NOT_AVAILABLE),
        (SHARED, UNKNOWN_ROBOT, "MaxRetries", NOT_AVAILABLE),
        (SHARED, FINANCE_ROBOT_KEY, "Nope", ASSET_NOT_FOUND),
    ],
)
def test_set_robot_asset_404s(
    http: FlaskClient, folder: int, robot_key: str, name: str, message: str
) -> None:
    """SetRobotAssetByRobotKey is 404/1002 for a robot not of the folder or an unknown name."""
    response = set_robot_asset(http, {"Name": name, "IntValue": 1}, folder, robot_key)
    assert assert_orchestrator_error(response, 404, 1002) == message


def test_readonly_lists_but_cannot_write(http: FlaskClient) -> None:
    """`OR.Assets.Read` lists Shared's assets; creating one is the ABP 403."""
    token = token_for(http, READONLY)
    assert asset_names(folder_call(http, "GET", ASSETS, SHARED, token)) == list(SHARED_ASSETS)
    body = asset_body("Nope", "Text", StringValue="x")
    assert_not_authorized(folder_call(http, "POST", ASSETS, SHARED, token, json=body))
