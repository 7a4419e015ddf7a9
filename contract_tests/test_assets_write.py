"""Contract: an asset's life cycle in a folder the target lists (a write test)."""

import contextlib
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from uipath_emulator.client import NotFoundError, UiPathClient
from uipath_emulator.contract_tests.folders import listed_folders
from uipath_emulator.contract_tests.targets import Target

pytestmark = pytest.mark.writes


@pytest.fixture
def folder(target: Target, api: UiPathClient) -> dict[str, Any]:
    """The first folder the target lists."""
    return listed_folders(target, api)[0]


@pytest.fixture
def asset_name(api: UiPathClient, folder: dict[str, Any]) -> Iterator[str]:
    """A `contract-test-` name; whatever asset has it is deleted afterwards, even on failure."""
    name = f"contract-test-{secrets.token_hex(4)}"
    yield name
    with contextlib.suppress(NotFoundError):
        found = api.assets.get_by_name(name, folder=folder)
        api.assets.delete(found["Id"], folder=folder)


def test_create_read_delete_a_text_asset(
    api: UiPathClient, folder: dict[str, Any], asset_name: str
) -> None:
    """A Text asset created in a folder is listed, got by id and by name, then deleted (404)."""
    created = api.assets.create(
        {"Name": asset_name, "ValueScope": "Global", "ValueType": "Text", "StringValue": "v1"},
        folder=folder,
    )
    assert (created["Name"], created["ValueType"], created["StringValue"]) == (
        asset_name,
        "Text",
        "v1",
    )
    asset_id = created["Id"]
    assert api.assets.get(asset_id, folder=folder)["Value"] == "v1"
    assert api.assets.get_by_name(asset_name, folder=folder)["Id"] == asset_id
    api.assets.delete(asset_id, folder=folder)
    with pytest.raises(NotFoundError):
        api.assets.get(asset_id, folder=folder)
