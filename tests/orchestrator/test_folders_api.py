"""The Folders API: CRUD, paths of subfolders and renames, refused deletes, GetByKey,
GetAllForCurrentUser and FoldersNavigation (paging limits, search)."""

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.folder_helpers import (
    ALL_FOR_CURRENT_USER,
    ASSETS,
    FINANCE,
    FOLDER_BY_KEY,
    FOLDER_KEYS,
    FOLDER_PATHS,
    FOLDERS,
    HR,
    INVOICES,
    NAVIGATION,
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
from uipath_emulator.mock_server.orchestrator.entities.folders import CURRENT_USER_MEMBERS
from uipath_emulator.mock_server.orchestrator.folders.headers import FOLDER_PATH
from uipath_emulator.mock_server.well_known import FINANCE_ROBOT, FULL, READONLY

NEXT_FOLDER = 5
ROBOT_PATHS = ["Finance", "Finance/Invoices", "Shared"]
"""The robot's folders, as the current-user listings sort them (by path)."""


def rename(http: FlaskClient, folder_id: int, name: str) -> dict[str, object]:
    """PUT the folder with a new DisplayName and return the answer (asserting 200)."""
    current = call(http, "GET", f"{FOLDERS}({folder_id})").get_json()
    current.pop("@odata.context")
    response = call(http, "PUT", f"{FOLDERS}({folder_id})", json={**current, "DisplayName": name})
    assert response.status_code == 200, response.data
    return dict(response.get_json())


def page_paths(http: FlaskClient, path: str, token: str | None = None) -> tuple[list[str], int]:
    """The paths of a current-user page (in answer order) and its Count."""
    response = call(http, "GET", path, token)
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert list(body) == ["PageItems", "Count"]
    return [folder["FullyQualifiedName"] for folder in body["PageItems"]], body["Count"]


def test_create_root_folder(http: FlaskClient) -> None:
    """A root folder gets a new Id, a Key, its name as path, no parent, and a Location."""
    response = call(http, "POST", FOLDERS, json={"DisplayName": "Ops", "Description": "d"})
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["Id"] == NEXT_FOLDER
    assert body["FullyQualifiedName"] == body["FullyQualifiedNameOrderable"] == "Ops"
    assert body["ParentId"] is None
    assert body["ParentKey"] is None
    assert response.headers["Location"].endswith(f"/odata/Folders({NEXT_FOLDER})")
    stored = call(http, "GET", f"{FOLDERS}({NEXT_FOLDER})").get_json()
    assert stored["Key"] == body["Key"]
    assert "Access" not in stored


def test_subfolder_path_and_parent_key(http: FlaskClient) -> None:
    """A folder under Finance/Invoices is `Finance/Invoices/<name>` with its parent's Key."""
    folder = create_folder(http, "2026", parent=INVOICES)
    assert folder["FullyQualifiedName"] == "Finance/Invoices/2026"
    assert folder["ParentKey"] == FOLDER_KEYS[INVOICES]
    headers = {FOLDER_PATH: "Finance/Invoices/2026"}
    assert folder_call(http, "GET", ASSETS, None, headers=headers).status_code == 200


def test_unknown_parent_is_refused(http: FlaskClient) -> None:
    """Creating a folder under a parent Id the tenant lacks is 400/1100."""
    response = call(http, "POST", FOLDERS, json={"DisplayName": "Orphan", "ParentId": 999})
    assert_orchestrator_error(response, 400, 1100)


def test_same_path_is_409_but_same_name_elsewhere_is_allowed(http: FlaskClient) -> None:
    """Two folders may share a DisplayName under different parents, not the same path."""
    response = call(http, "POST", FOLDERS, json={"DisplayName": "invoices", "ParentId": FINANCE})
    assert_orchestrator_error(response, 409, 1001)
    assert create_folder(http, "Invoices", parent=HR)["FullyQualifiedName"] == "HR/Invoices"


def test_rename_leaf_folder(http: FlaskClient) -> None:
    """PUT with a new DisplayName changes the folder's path; its Key and parent stay."""
    body = rename(http, HR, "People")
    assert body["FullyQualifiedName"] == "People"
    assert body["Key"] == FOLDER_KEYS[HR]


def test_rename_parent_renames_subfolder_paths(http: FlaskClient) -> None:
    """Renaming Finance makes Finance/Invoices `Accounting/Invoices`, in the set and headers."""
    grandchild = create_folder(http, "2026", parent=INVOICES)
    rename(http, FINANCE, "Accounting")
    paths = folder_names(call(http, "GET", FOLDERS))
    assert paths == {
        "Shared",
        "Accounting",
        "Accounting/Invoices",
        "Accounting/Invoices/2026",
        "HR",
    }
    moved = call(http, "GET", f"{FOLDERS}({grandchild['Id']})").get_json()
    assert moved["FullyQualifiedNameOrderable"] == "Accounting/Invoices/2026"
    old = folder_call(http, "GET", ASSETS, None, headers={FOLDER_PATH: "Finance/Invoices"})
    assert_orchestrator_error(old, 400, 1100)
    new = folder_call(http, "GET", ASSETS, None, headers={FOLDER_PATH: "Accounting/Invoices"})
    assert new.status_code == 200


def test_put_does_not_move_a_folder(http: FlaskClient) -> None:
    """A PUT that sends another ParentId keeps the folder where it was."""
    current = call(http, "GET", f"{FOLDERS}({INVOICES})").get_json()
    current.pop("@odata.context")
    response = call(http, "PUT", f"{FOLDERS}({INVOICES})", json={**current, "ParentId": HR})
    assert response.status_code == 200, response.data
    assert response.get_json()["FullyQualifiedName"] == "Finance/Invoices"
    assert response.get_json()["ParentId"] == FINANCE


def test_delete_empty_folder(http: FlaskClient) -> None:
    """An empty folder is deleted (204) and then not found (404/1002)."""
    assert call(http, "DELETE", f"{FOLDERS}({HR})").status_code == 204
    assert_orchestrator_error(call(http, "GET", f"{FOLDERS}({HR})"), 404, 1002)
    assert folder_names(call(http, "GET", FOLDERS)) == {"Shared", "Finance", "Finance/Invoices"}


def test_delete_refused_while_folder_has_subfolders(http: FlaskClient) -> None:
    """A folder with a subfolder (HR/Team, no assets) is not deleted: 400/1012."""
    create_folder(http, "Team", parent=HR)
    assert_orchestrator_error(call(http, "DELETE", f"{FOLDERS}({HR})"), 400, 1012)
    assert call(http, "GET", f"{FOLDERS}({HR})").status_code == 200


def test_delete_refused_while_folder_has_assets(http: FlaskClient) -> None:
    """A folder holding an asset is not deleted (400/1012); once the asset is gone it is."""
    created = create_asset(http, HR, asset_body("Temp", "Text", StringValue="x"))
    assert_orchestrator_error(call(http, "DELETE", f"{FOLDERS}({HR})"), 400, 1012)
    deleted = folder_call(http, "DELETE", f"{ASSETS}({created['Id']})", HR)
    assert deleted.status_code == 204
    assert call(http, "DELETE", f"{FOLDERS}({HR})").status_code == 204


def test_delete_refused_for_parent_after_child_emptied(http: FlaskClient) -> None:
    """Finance stays (1012) after deleting its subfolder, because it still holds an asset."""
    assert call(http, "DELETE", f"{FOLDERS}({INVOICES})").status_code == 204
    message = assert_orchestrator_error(call(http, "DELETE", f"{FOLDERS}({FINANCE})"), 400, 1012)
    assert "'Finance'" in message


@pytest.mark.parametrize("folder", [SHARED, INVOICES])
def test_get_by_key(http: FlaskClient, folder: int) -> None:
    """`GetByKey(identifier='<key>')` answers the folder as `Folders(id)` does."""
    response = call(http, "GET", FOLDER_BY_KEY.format(key=FOLDER_KEYS[folder]))
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["@odata.context"].endswith("$metadata#Folders/$entity")
    assert body == call(http, "GET", f"{FOLDERS}({folder})").get_json()


def test_get_by_key_matches_the_key_in_any_case(http: FlaskClient) -> None:
    """The GetByKey identifier is compared case-insensitively."""
    response = call(http, "GET", FOLDER_BY_KEY.format(key=FOLDER_KEYS[HR].upper()))
    assert response.get_json()["Id"] == HR


def test_get_by_key_unknown_or_unassigned_is_404(http: FlaskClient) -> None:
    """GetByKey of an unknown key, or of a folder the caller is not assigned to, is 404/1002."""
    unknown = call(http, "GET", FOLDER_BY_KEY.format(key="00000000-0000-4000-8000-000000000000"))
    assert_orchestrator_error(unknown, 404, 1002)
    token = token_for(http, READONLY)
    hidden = call(http, "GET", FOLDER_BY_KEY.format(key=FOLDER_KEYS[FINANCE]), token)
    assert_orchestrator_error(hidden, 404, 1002)


def test_all_for_current_user_members_and_order(http: FlaskClient) -> None:
    """GetAllForCurrentUser answers `CurrentUserFolderDto` members, sorted by path."""
    response = call(http, "GET", ALL_FOR_CURRENT_USER)
    items = response.get_json()["PageItems"]
    assert [item["FullyQualifiedName"] for item in items] == sorted(FOLDER_PATHS.values())
    for item in items:
        assert tuple(item) == CURRENT_USER_MEMBERS


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?take=2", ["Finance", "Finance/Invoices"]),
        ("?skip=2&take=1", ["HR"]),
        ("?skip=3", ["Shared"]),
        ("?skip=9", []),
        ("?take=0", []),
        ("?take=1000", ["Finance", "Finance/Invoices", "HR", "Shared"]),
    ],
)
def test_all_for_current_user_paging(http: FlaskClient, query: str, expected: list[str]) -> None:
    """skip/take page the sorted folders; Count is the number of all of them."""
    assert page_paths(http, ALL_FOR_CURRENT_USER + query) == (expected, 4)


@pytest.mark.parametrize("query", ["?take=1001", "?take=-1", "?skip=-1"])
def test_all_for_current_user_bad_paging_is_400_1009(http: FlaskClient, query: str) -> None:
    """take above 1000 or negative skip/take is 400/1009."""
    assert_orchestrator_error(call(http, "GET", ALL_FOR_CURRENT_USER + query), 400, 1009)


def test_navigation_answers_the_robot(http: FlaskClient) -> None:
    """FoldersNavigation lists a robot token's folders with `FolderPath`, sorted by path."""
    token = token_for(http, FINANCE_ROBOT)
    assert page_paths(http, NAVIGATION, token) == (ROBOT_PATHS, 3)
    items = call(http, "GET", NAVIGATION, token).get_json()["PageItems"]
    assert [item["FolderPath"] for item in items] == ROBOT_PATHS


@pytest.mark.parametrize("scope", [None, "OR.Default"])
def test_navigation_is_403_for_apps(http: FlaskClient, scope: str | None) -> None:
    """FoldersNavigation answers a plain app token 403 with the ABP body."""
    token = token_for(http, FULL) if scope is None else scoped_token(http, FULL, scope)
    assert_not_authorized(call(http, "GET", NAVIGATION, token))


@pytest.mark.parametrize(
    ("query", "expected", "count"),
    [
        ("?searchText=inv", ["Finance/Invoices"], 1),
        ("?searchText=INVOICES", ["Finance/Invoices"], 1),
        ("?searchText=an", ["Finance"], 1),
        ("?searchText=zzz", [], 0),
        ("?take=1&skip=1", ["Finance/Invoices"], 3),
        ("?take=100", ROBOT_PATHS, 3),
    ],
)
def test_navigation_search_and_paging(
    http: FlaskClient, query: str, expected: list[str], count: int
) -> None:
    """searchText filters display names case-insensitively; skip/take page the result."""
    token = token_for(http, FINANCE_ROBOT)
    assert page_paths(http, NAVIGATION + query, token) == (expected, count)


@pytest.mark.parametrize("query", ["?take=101", "?skip=-5"])
def test_navigation_bad_paging_is_400_1009(http: FlaskClient, query: str) -> None:
    """FoldersNavigation refuses take above 100 or a negative skip with 400/1009."""
    token = token_for(http, FINANCE_ROBOT)
    assert_orchestrator_error(call(http, "GET", NAVIGATION + query, token), 400, 1009)


def test_assets_follow_their_folder_after_rename(http: FlaskClient) -> None:
    """Assets stay in a renamed folder: its new path lists them."""
    rename(http, FINANCE, "Accounting")
    headers = {FOLDER_PATH: "Accounting"}
    assert asset_names(folder_call(http, "GET", ASSETS, None, headers=headers)) == [
        "InvoiceApprovalLimit"
    ]


def test_assignments_are_never_answered(http: FlaskClient) -> None:
    """The emulator-only `Access` member is in no folder answer, nor queryable."""
    robot = token_for(http, FINANCE_ROBOT)
    for path, token in [
        (FOLDERS, None),
        (f"{FOLDERS}({SHARED})", None),
        (FOLDER_BY_KEY.format(key=FOLDER_KEYS[SHARED]), None),
        (ALL_FOR_CURRENT_USER, None),
        (NAVIGATION, robot),
    ]:
        response = call(http, "GET", path, token)
        assert response.status_code == 200, response.data
        assert b"Access" not in response.data
        assert b"finance-robot" not in response.data
    for query in ("?$select=Access", "?$filter=Access ne null", "?$orderby=Access"):
        assert_orchestrator_error(call(http, "GET", FOLDERS + query), 400, 1000)
