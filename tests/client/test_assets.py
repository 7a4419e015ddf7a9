"""The Assets resource against the in-process emulator: folders, OData options, life cycle."""

from __future__ import annotations

import pytest

from uipath_emulator.client import (
    AssetPage,
    BadRequestError,
    ConflictError,
    FolderRef,
    NotFoundError,
    UiPathClient,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

SHARED_ASSETS = ["ApiBaseUrl", "MaxRetries", "FeatureEnabled", "ServiceAccount", "ApiKey"]
STORED_SECRETS = ("emulator-credential-password", "emulator-secret-value")
PASSWORD = "p@ss-DO-NOT-LEAK-4711"


def text_asset(name: str, value: str = "v") -> dict[str, object]:
    """A Text asset's create body."""
    return {"Name": name, "ValueScope": "Global", "ValueType": "Text", "StringValue": value}


def test_list_returns_the_folders_assets(uipath_client: UiPathClient) -> None:
    """`assets.list(folder="Shared")` is GetFiltered in Shared: its five assets, no others."""
    page = uipath_client.assets.list(folder="Shared", count=True)
    assert isinstance(page, AssetPage)
    assert [item["Name"] for item in page.items] == SHARED_ASSETS
    assert page.count == len(SHARED_ASSETS)
    finance = uipath_client.assets.list(folder="Finance").items
    assert [item["Name"] for item in finance] == ["InvoiceApprovalLimit"]


def test_odata_options_shape_the_listing(uipath_client: UiPathClient) -> None:
    """`filter`, `select`, `orderby`, `top` and `skip` reach GetFiltered and are applied."""
    page = uipath_client.assets.list(
        folder="Shared",
        filter="ValueType eq 'Text' or ValueType eq 'Integer' or ValueType eq 'Bool'",
        select=["Name", "ValueType"],
        orderby="Name desc",
        top=2,
        skip=1,
    )
    assert page.items == [
        {"Name": "FeatureEnabled", "ValueType": "Bool"},
        {"Name": "ApiBaseUrl", "ValueType": "Text"},
    ]


def test_every_way_of_naming_a_folder_lists_the_same_assets(uipath_client: UiPathClient) -> None:
    """A path, its id, its key, a `FolderRef` and the listed folder itself all mean Shared."""
    shared = next(f for f in uipath_client.folders.list().items if f["DisplayName"] == "Shared")
    expected = uipath_client.assets.list(folder="Shared").items
    for folder in (shared["Id"], FolderRef.by_key(shared["Key"]), shared, "/Shared"):
        assert uipath_client.assets.list(folder=folder).items == expected


def test_non_ascii_folder_path_reaches_its_folder(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """A folder path outside ASCII (`Équipe/Données`) is sent encoded and names that folder."""
    folders = uipath_emulator.entities(ORGANIZATION, TENANT, "Folders")
    parent = folders.add({"DisplayName": "Équipe"})
    child = folders.add({"DisplayName": "Données", "ParentId": parent["Id"]})
    created = uipath_client.assets.create(text_asset("Clé"), folder="Équipe/Données")
    listed = uipath_client.assets.list(folder="Équipe/Données").items
    assert [item["Id"] for item in listed] == [created["Id"]]
    assert uipath_client.assets.list(folder=child["Id"]).items == listed
    assert uipath_client.assets.list(folder="Équipe").items == []


def test_iter_pages_through_every_asset(uipath_client: UiPathClient) -> None:
    """`iter(page_size=2)` yields each asset of the folder once, in Id order."""
    walked = [item["Id"] for item in uipath_client.assets.iter(folder="Shared", page_size=2)]
    listed = [item["Id"] for item in uipath_client.assets.list(folder="Shared").items]
    assert walked == sorted(listed)


def test_get_by_id_equals_the_listed_asset(uipath_client: UiPathClient) -> None:
    """`get(id, folder=...)` answers the asset as the listing shows it (plus its context)."""
    for item in uipath_client.assets.list(folder="Shared").items:
        single = uipath_client.assets.get(item["Id"], folder="Shared")
        single.pop("@odata.context")
        assert single == item


def test_get_by_name_escapes_quotes_and_matches_exactly(uipath_client: UiPathClient) -> None:
    """A name with quotes is found by `get_by_name`; a name it only contains is not returned."""
    quoted = uipath_client.assets.create(text_asset("O'Brien's key"), folder="HR")
    uipath_client.assets.create(text_asset("O'Brien's key 2"), folder="HR")
    assert uipath_client.assets.get_by_name("O'Brien's key", folder="HR")["Id"] == quoted["Id"]
    assert uipath_client.assets.get_by_name("o'brien's KEY", folder="HR")["Id"] == quoted["Id"]


def test_get_by_name_of_an_unknown_name_is_not_found(uipath_client: UiPathClient) -> None:
    """No asset of that name in the folder: `NotFoundError` with status 404 naming the name."""
    with pytest.raises(NotFoundError) as raised:
        uipath_client.assets.get_by_name("InvoiceApprovalLimit", folder="Shared")
    assert raised.value.status == 404
    assert "'InvoiceApprovalLimit'" in str(raised.value)


def test_create_replace_update_delete(uipath_client: UiPathClient) -> None:
    """An asset is created, replaced (PUT), updated (a member changed) and deleted; then 404."""
    assets = uipath_client.assets
    created = assets.create(text_asset("ContractEndpoint", "https://a.example"), folder="HR")
    assert created["Value"] == "https://a.example"
    asset_id = created["Id"]
    assets.replace(asset_id, {**text_asset("ContractEndpoint", "https://b.example")}, folder="HR")
    assert assets.get(asset_id, folder="HR")["StringValue"] == "https://b.example"
    assets.update(asset_id, {"Description": "changed"}, folder="HR")
    after = assets.get(asset_id, folder="HR")
    assert (after["Description"], after["StringValue"]) == ("changed", "https://b.example")
    assets.delete(asset_id, folder="HR")
    with pytest.raises(NotFoundError) as raised:
        assets.get(asset_id, folder="HR")
    assert raised.value.error_code == 1002


def test_update_keeps_a_stored_password(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """Updating a Credential asset's description sends no password, so the stored one stays."""
    created = uipath_client.assets.create(
        {
            "Name": "Login",
            "ValueScope": "Global",
            "ValueType": "Credential",
            "CredentialUsername": "bot",
            "CredentialPassword": PASSWORD,
        },
        folder="HR",
    )
    assert created["CredentialPassword"] == ""
    uipath_client.assets.update(created["Id"], {"Description": "rotated never"}, folder="HR")
    assets = uipath_emulator.entities(ORGANIZATION, TENANT, "Assets")
    stored = assets.get(created["Id"], reveal_secrets=True)
    assert stored["ProtectedCredentialPassword"] == PASSWORD
    assert stored["Description"] == "rotated never"


def test_listing_never_shows_a_password_or_secret(uipath_client: UiPathClient) -> None:
    """List and get answer CredentialPassword and SecretValue empty for every asset."""
    for item in uipath_client.assets.list(folder="Shared").items:
        single = uipath_client.assets.get(item["Id"], folder="Shared")
        for asset in (item, single):
            assert asset["CredentialPassword"] == ""
            assert asset["SecretValue"] == ""
    listed = str(uipath_client.assets.list(folder="Shared").items)
    assert not any(secret in listed for secret in STORED_SECRETS)


def test_an_asset_of_another_folder_is_not_found(uipath_client: UiPathClient) -> None:
    """Asking Finance for one of Shared's assets is 404 with errorCode 1002 and its message."""
    shared_id = uipath_client.assets.list(folder="Shared").items[0]["Id"]
    with pytest.raises(NotFoundError) as raised:
        uipath_client.assets.get(shared_id, folder="Finance")
    assert (raised.value.status, raised.value.error_code) == (404, 1002)
    assert raised.value.message == "Asset does not exist."


def test_unknown_folder_is_a_bad_request_1100(uipath_client: UiPathClient) -> None:
    """A folder that does not exist: `BadRequestError`, status 400, errorCode 1100, its message."""
    with pytest.raises(BadRequestError) as raised:
        uipath_client.assets.list(folder="No/Such/Folder")
    assert (raised.value.status, raised.value.error_code) == (400, 1100)
    assert raised.value.message == (
        "Folder does not exist or the user does not have access to the folder."
    )


def test_duplicate_name_error_shows_no_password(uipath_client: UiPathClient) -> None:
    """A refused create (name in use: 409/1001) says so without the password it carried."""
    body = {
        "Name": "ServiceAccount",
        "ValueScope": "Global",
        "ValueType": "Credential",
        "CredentialUsername": "x",
        "CredentialPassword": PASSWORD,
    }
    with pytest.raises(ConflictError) as raised:
        uipath_client.assets.create(body, folder="Shared")
    assert (raised.value.status, raised.value.error_code) == (409, 1001)
    assert PASSWORD not in str(raised.value) + repr(raised.value)
    assert PASSWORD not in repr(uipath_client.assets)
