"""Folders to run folder-scoped properties in, taken from the target's own listing.

On an emulator the listing must work and hold folders (the seeded world has them); on the
cloud a tenant may give the app no folder, or the app may lack the scope: the test is then
skipped, saying which.
"""

from typing import Any, NoReturn

import pytest

from uipath_emulator.client import APIError, UiPathClient
from uipath_emulator.contract_tests.targets import Target

FOLDERS_SCANNED = 10
"""At most this many folders are read for assets (a request each): the cloud's budget."""


def skip_unless_granted(target: Target, error: APIError, scope: str) -> NoReturn:
    """Skip on the cloud when the app lacks `scope` (401/403); re-raise anything else."""
    if target.is_emulator or error.status not in (401, 403):
        raise error
    pytest.skip(f"the app is refused (HTTP {error.status}): grant it {scope}")


def listed_folders(target: Target, api: UiPathClient) -> list[dict[str, Any]]:
    """Up to 1000 folders of `/odata/Folders` in Id order; skipped on the cloud when none."""
    try:
        folders = api.folders.list(orderby="Id", top=1000).items
    except APIError as error:
        skip_unless_granted(target, error, "OR.Folders.Read")
    if not folders:
        assert not target.is_emulator, "the emulator's world lists no folder"
        pytest.skip("the tenant lists no folder to this app: assign the app to a folder")
    return folders


def assets_by_folder(target: Target, api: UiPathClient) -> list[tuple[dict[str, Any], list[Any]]]:
    """(folder, its assets) for the first folders listed, each folder's assets by GetFiltered."""
    found = []
    for folder in listed_folders(target, api)[:FOLDERS_SCANNED]:
        try:
            items = api.assets.list(folder=folder, orderby="Id", top=1000).items
        except APIError as error:
            skip_unless_granted(target, error, "OR.Assets.Read")
        found.append((folder, items))
    return found


def a_folder_with_assets(
    target: Target, api: UiPathClient
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The first scanned folder holding an asset, and its assets; skipped when there is none."""
    for folder, items in assets_by_folder(target, api):
        if items:
            return folder, items
    assert not target.is_emulator, "the emulator's world has no folder with assets"
    pytest.skip(f"none of the first {FOLDERS_SCANNED} folders listed holds an asset")
