"""Contract: reading folders, as properties that hold on any tenant's folders."""

from uipath_emulator.client import APIError, UiPathClient
from uipath_emulator.contract_tests.folders import listed_folders, skip_unless_granted
from uipath_emulator.contract_tests.targets import Target


def test_a_path_ends_with_the_folders_name(target: Target, api: UiPathClient) -> None:
    """Every folder's FullyQualifiedName ends with its DisplayName."""
    for folder in listed_folders(target, api):
        assert folder["FullyQualifiedName"].endswith(folder["DisplayName"]), folder


def test_a_subfolders_path_extends_its_parents(target: Target, api: UiPathClient) -> None:
    """A listed subfolder's FullyQualifiedName is its listed parent's, '/', and its own name."""
    folders = listed_folders(target, api)
    by_id = {folder["Id"]: folder for folder in folders}
    for folder in folders:
        parent = by_id.get(folder.get("ParentId"))
        if parent is None:
            continue
        assert folder["FullyQualifiedName"].startswith(parent["FullyQualifiedName"] + "/")
        assert folder["FullyQualifiedName"] == (
            f"{parent['FullyQualifiedName']}/{folder['DisplayName']}"
        )
        assert folder["ParentKey"] == parent["Key"]


def test_get_by_id_equals_the_listed_folder(target: Target, api: UiPathClient) -> None:
    """`Folders(<id>)` answers the folder as the listing shows it."""
    folder = listed_folders(target, api)[0]
    single = api.folders.get(folder["Id"])
    single.pop("@odata.context", None)
    assert single == folder


def test_current_user_count_equals_its_items(target: Target, api: UiPathClient) -> None:
    """GetAllForCurrentUser with take=1000 answers Count equal to its items (when within 1000)."""
    try:
        page = api.folders.for_current_user(take=1000, skip=0)
    except APIError as error:
        skip_unless_granted(target, error, "OR.Folders.Read")
    assert page.count is not None
    if page.count <= 1000:
        assert page.count == len(page.items)
    for item in page.items:
        assert item["FullyQualifiedName"].endswith(item["DisplayName"])
