"""The Folders resource against the in-process emulator: listing, paging, current user's folders."""

from __future__ import annotations

import pytest

from uipath_emulator.client import FolderPage, NotFoundError, UiPathClient
from uipath_emulator.mock_server.well_known import FOLDERS


def test_list_returns_the_tenants_folders(uipath_client: UiPathClient) -> None:
    """`folders.list()` answers every folder of acme/DefaultTenant with its path."""
    page = uipath_client.folders.list(orderby="Id", count=True)
    assert isinstance(page, FolderPage)
    assert [item["FullyQualifiedName"] for item in page.items] == list(FOLDERS)
    assert page.count == len(FOLDERS)


def test_filter_and_get(uipath_client: UiPathClient) -> None:
    """A `$filter` on ParentId finds the subfolder, and `get` by its id answers the same one."""
    finance = uipath_client.folders.list(filter="FullyQualifiedName eq 'Finance'").items
    assert [item["DisplayName"] for item in finance] == ["Finance"]
    children = uipath_client.folders.list(filter=f"ParentId eq {finance[0]['Id']}").items
    assert [item["FullyQualifiedName"] for item in children] == ["Finance/Invoices"]
    single = uipath_client.folders.get(children[0]["Id"])
    assert single["Key"] == children[0]["Key"]


def test_iter_walks_every_folder_once(uipath_client: UiPathClient) -> None:
    """`iter(page_size=1)` yields each folder once, in Id order."""
    ids = [item["Id"] for item in uipath_client.folders.iter(page_size=1)]
    assert ids == sorted(ids)
    assert len(ids) == len(FOLDERS)


def test_for_current_user_counts_its_items(uipath_client: UiPathClient) -> None:
    """`for_current_user()` is GetAllForCurrentUser: `Count` equals the items of a full page."""
    page = uipath_client.folders.for_current_user()
    assert page.count == len(page.items) == len(FOLDERS)
    assert {item["FullyQualifiedName"] for item in page.items} == set(FOLDERS)
    second = uipath_client.folders.for_current_user(take=1, skip=1)
    assert len(second.items) == 1
    assert second.count == len(FOLDERS)


def test_unknown_folder_id_is_not_found(uipath_client: UiPathClient) -> None:
    """`get` of an id no folder has raises `NotFoundError` with status 404."""
    with pytest.raises(NotFoundError) as raised:
        uipath_client.folders.get(999_999)
    assert raised.value.status == 404
