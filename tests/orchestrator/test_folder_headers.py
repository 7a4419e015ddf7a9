"""The folder of a folder-scoped request: the four headers, their failures, precedence, and
the order of the checks (401, 403 scope, folder, then the operation)."""

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.orchestrator.folder_helpers import (
    ASSETS,
    FINANCE,
    FINANCE_ASSETS,
    FOLDER_KEYS,
    GLOBEX_SHARED_KEY,
    SHARED,
    SHARED_ASSETS,
    asset_body,
    asset_names,
    create_asset,
    create_folder,
    folder_call,
    scoped_token,
)
from tests.orchestrator.helpers import (
    assert_not_authorized,
    assert_orchestrator_error,
    token_for,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.folders.headers import (
    FOLDER_ID,
    FOLDER_KEY,
    FOLDER_PATH,
    FOLDER_PATH_ENCODED,
    encode_folder_path,
)
from uipath_emulator.mock_server.well_known import READONLY, ROBOTS

FOLDER_REQUIRED = "A folder is required for this action."
FOLDER_NOT_ACCESSIBLE = "Folder does not exist or the user does not have access to the folder."
UNKNOWN_KEY = "00000000-0000-4000-8000-000000000000"
TRANSFERS = "Finance/Überweisungen"


def assert_folder_required(response: TestResponse) -> None:
    """400/1101 with Orchestrator's message."""
    assert assert_orchestrator_error(response, 400, 1101) == FOLDER_REQUIRED


def assert_folder_not_accessible(response: TestResponse) -> None:
    """400/1100 with Orchestrator's message."""
    message = assert_orchestrator_error(response, 400, 1100)
    assert message == FOLDER_NOT_ACCESSIBLE


def list_with(http: FlaskClient, headers: dict[str, str], token: str | None = None) -> TestResponse:
    """List assets with exactly these headers (no default folder header)."""
    return folder_call(http, "GET", ASSETS, None, token, headers=headers)


def test_no_folder_header_is_400_1101(http: FlaskClient) -> None:
    """A folder-scoped listing without any folder header is 400/1101."""
    assert_folder_required(list_with(http, {}))


@pytest.mark.parametrize("header", [FOLDER_ID, FOLDER_KEY, FOLDER_PATH, FOLDER_PATH_ENCODED])
def test_blank_folder_header_counts_as_absent(http: FlaskClient, header: str) -> None:
    """A folder header whose value is blank is ignored, so the request is 400/1101."""
    assert_folder_required(list_with(http, {header: "  "}))


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (FOLDER_ID, "999"),
        (FOLDER_KEY, UNKNOWN_KEY),
        (FOLDER_PATH, "Nowhere/Deeper"),
        (FOLDER_PATH_ENCODED, encode_folder_path("Nowhere")),
    ],
    ids=["id", "key", "path", "path-encoded"],
)
def test_unknown_folder_by_each_header_is_400_1100(
    http: FlaskClient, header: str, value: str
) -> None:
    """A folder header naming no folder of the tenant is 400/1100."""
    assert_folder_not_accessible(list_with(http, {header: value}))


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (FOLDER_ID, "one"),
        (FOLDER_ID, "99999999999999999999"),
        (FOLDER_KEY, "not-a-guid"),
        (FOLDER_PATH, "Finance/../Shared"),
        (FOLDER_PATH, "./Shared"),
        (FOLDER_PATH_ENCODED, "%%%not-base64"),
    ],
)
def test_malformed_folder_header_is_400_1100(http: FlaskClient, header: str, value: str) -> None:
    """A folder header value that cannot name a folder is 400/1100, not a server error."""
    assert_folder_not_accessible(list_with(http, {header: value}))


def test_folder_not_assigned_to_an_or_default_app_is_400_1100(http: FlaskClient) -> None:
    """An `OR.Default` token of an app not assigned to the folder gets 400/1100 there."""
    token = scoped_token(http, READONLY, "OR.Default")
    assert_folder_not_accessible(list_with(http, {FOLDER_ID: str(FINANCE)}, token))
    assert asset_names(list_with(http, {FOLDER_ID: str(SHARED)}, token))


def test_another_tenants_folder_key_is_400_1100(http: FlaskClient) -> None:
    """The Key of a globex folder does not name any folder of acme: 400/1100."""
    assert_folder_not_accessible(list_with(http, {FOLDER_KEY: GLOBEX_SHARED_KEY}))


@pytest.mark.parametrize("header", [FOLDER_PATH, FOLDER_PATH_ENCODED])
def test_another_tenants_folder_path_is_400_1100(
    emulator: Emulator, http: FlaskClient, header: str
) -> None:
    """The path of a folder that only globex has does not name any folder of acme: 400/1100."""
    emulator.entities("globex", "DefaultTenant", "Folders").add({"DisplayName": "GlobexOnly"})
    value = encode_folder_path("GlobexOnly") if header == FOLDER_PATH_ENCODED else "GlobexOnly"
    assert_folder_not_accessible(list_with(http, {header: value}))


def test_non_ascii_path_works_through_the_encoded_header(http: FlaskClient) -> None:
    """`Finance/Überweisungen` is addressed by X-UIPATH-FolderPath-Encoded (UTF-16LE Base64)."""
    folder = create_folder(http, "Überweisungen", parent=FINANCE)
    assert folder["FullyQualifiedName"] == TRANSFERS
    encoded = {FOLDER_PATH_ENCODED: encode_folder_path(TRANSFERS)}
    created = folder_call(
        http,
        "POST",
        ASSETS,
        None,
        json=asset_body("Iban", "Text", StringValue="DE00"),
        headers=encoded,
    )
    assert created.status_code == 201, created.data
    assert asset_names(list_with(http, encoded)) == ["Iban"]
    assert asset_names(list_with(http, {FOLDER_ID: str(folder["Id"])})) == ["Iban"]


def test_non_ascii_path_in_the_plain_header_is_400_1100(http: FlaskClient) -> None:
    """The plain X-UIPATH-FolderPath header takes ASCII only: a non-ASCII path names no folder."""
    create_folder(http, "Überweisungen", parent=FINANCE)
    assert_folder_not_accessible(list_with(http, {FOLDER_PATH: TRANSFERS}))


@pytest.mark.parametrize(
    "headers",
    [
        {"x-uipath-organizationunitid": str(FINANCE)},
        {"X-UIPATH-FOLDERKEY": FOLDER_KEYS[FINANCE]},
        {"x-UiPath-FolderPath": "finance"},
        {"X-UIPATH-FOLDERPATH-ENCODED": encode_folder_path("FINANCE")},
    ],
    ids=["id", "key", "path", "path-encoded"],
)
def test_header_names_and_paths_match_in_any_case(
    http: FlaskClient, headers: dict[str, str]
) -> None:
    """Folder header names, and the paths they carry, are matched case-insensitively."""
    assert asset_names(list_with(http, headers)) == list(FINANCE_ASSETS)


def test_key_matches_in_any_case(http: FlaskClient) -> None:
    """A folder Key in upper case names the same folder."""
    headers = {FOLDER_KEY: FOLDER_KEYS[FINANCE].upper()}
    assert asset_names(list_with(http, headers)) == list(FINANCE_ASSETS)


@pytest.mark.parametrize(
    ("winner", "loser"),
    [
        (FOLDER_ID, FOLDER_KEY),
        (FOLDER_ID, FOLDER_PATH_ENCODED),
        (FOLDER_ID, FOLDER_PATH),
        (FOLDER_KEY, FOLDER_PATH_ENCODED),
        (FOLDER_KEY, FOLDER_PATH),
        (FOLDER_PATH_ENCODED, FOLDER_PATH),
    ],
)
def test_precedence_id_key_encoded_path(http: FlaskClient, winner: str, loser: str) -> None:
    """With two folder headers, Id > Key > Path-Encoded > Path decides the folder, even when
    the winner names no folder."""
    values = {
        FOLDER_ID: (str(FINANCE), "999"),
        FOLDER_KEY: (FOLDER_KEYS[FINANCE], UNKNOWN_KEY),
        FOLDER_PATH_ENCODED: (encode_folder_path("Finance"), encode_folder_path("Nowhere")),
        FOLDER_PATH: ("Finance", "Nowhere"),
    }
    shared = {
        FOLDER_ID: str(SHARED),
        FOLDER_KEY: FOLDER_KEYS[SHARED],
        FOLDER_PATH_ENCODED: encode_folder_path("Shared"),
        FOLDER_PATH: "Shared",
    }
    good = {winner: values[winner][0], loser: shared[loser]}
    assert asset_names(list_with(http, good)) == list(FINANCE_ASSETS)
    bad = {winner: values[winner][1], loser: shared[loser]}
    assert_folder_not_accessible(list_with(http, bad))


def test_blank_winner_yields_to_the_next_header(http: FlaskClient) -> None:
    """A blank higher-precedence header is skipped in favour of the next one sent."""
    headers = {FOLDER_ID: " ", FOLDER_PATH: "Finance"}
    assert asset_names(list_with(http, headers)) == list(FINANCE_ASSETS)


def test_missing_token_is_401_before_anything_else(http: FlaskClient) -> None:
    """Without a token the answer is 401, whatever the scope, folder and body would give."""
    response = http.post(ASSETS, data=b"not json", content_type="application/json")
    assert_orchestrator_error(response, 401, 0)


def test_scope_is_403_before_the_folder_check(http: FlaskClient) -> None:
    """A token without an assets scope gets the exact ABP 403 even without a folder header."""
    token = token_for(http, ROBOTS)
    assert_not_authorized(folder_call(http, "GET", ASSETS, None, token))
    assert_not_authorized(folder_call(http, "GET", ASSETS, 999, token))


def test_folder_is_checked_before_the_body(http: FlaskClient) -> None:
    """An invalid body is reported only once the folder is known: 1101, then 1100, then 1000."""
    bad = {"Content-Type": "application/json"}
    for folder, code in ((None, 1101), (999, 1100), (SHARED, 1000)):
        response = folder_call(http, "POST", ASSETS, folder, headers=bad)
        assert_orchestrator_error(response, 400, code)


def test_folder_is_checked_before_the_role(http: FlaskClient) -> None:
    """An `OR.Default` Viewer gets 1100 in a folder it lacks, and 403 where its role is too weak."""
    token = scoped_token(http, READONLY, "OR.Default")
    body = asset_body("Nope", "Text", StringValue="x")
    assert_folder_not_accessible(folder_call(http, "POST", ASSETS, FINANCE, token, json=body))
    assert_not_authorized(folder_call(http, "POST", ASSETS, SHARED, token, json=body))


def test_operation_errors_come_last(http: FlaskClient) -> None:
    """With a good token and folder, the operation's own error (404/1002) is answered."""
    create_asset(http, SHARED, asset_body("Probe", "Text", StringValue="x"))
    assert_orchestrator_error(folder_call(http, "GET", f"{ASSETS}(999)", SHARED), 404, 1002)
    assert asset_names(folder_call(http, "GET", ASSETS, SHARED)) == [*SHARED_ASSETS, "Probe"]


@pytest.mark.parametrize("path", ["/Finance", "Finance ", "FINANCE"])
def test_path_leading_slash_case_and_trailing_spaces(http: FlaskClient, path: str) -> None:
    """A path with a leading slash, in another case or with trailing spaces names the folder."""
    assert asset_names(list_with(http, {FOLDER_PATH: path})) == list(FINANCE_ASSETS)
