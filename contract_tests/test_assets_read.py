"""Contract: reading assets, as properties that hold on any tenant's folders and assets."""

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from uipath_emulator.client import UiPathClient
from uipath_emulator.contract_tests.folders import a_folder_with_assets, assets_by_folder
from uipath_emulator.contract_tests.helpers import assert_orchestrator_error
from uipath_emulator.contract_tests.targets import Target
from uipath_emulator.contract_tests.test_machines_read import budget

GET_FILTERED = "Assets/UiPath.Server.Configuration.OData.GetFiltered"


def test_a_folder_scoped_read_without_a_folder_is_1101(
    target: Target, session: requests.Session, api: UiPathClient
) -> None:
    """GetFiltered with a token but no folder header is 400 with errorCode 1101."""
    response = session.get(
        f"{target.odata_url}/{GET_FILTERED}",
        headers={"Authorization": f"Bearer {api.token().access_token}"},
        timeout=30,
    )
    if response.status_code in (401, 403) and not target.is_emulator:
        pytest.skip(f"the app cannot read assets (HTTP {response.status_code}): grant OR.Assets")
    assert assert_orchestrator_error(response, 400)["errorCode"] == 1101


def test_listed_assets_are_got_by_id_in_their_folder(target: Target, api: UiPathClient) -> None:
    """Each asset GetFiltered lists in a folder is answered by Assets(<id>) in that folder,
    with the same Name and ValueType."""
    folder, items = a_folder_with_assets(target, api)

    @budget(target)
    @given(item=st.sampled_from(items))
    def check(item: dict[str, object]) -> None:
        single = api.assets.get(int(str(item["Id"])), folder=folder)
        assert (single["Id"], single["Name"], single["ValueType"]) == (
            item["Id"],
            item["Name"],
            item["ValueType"],
        )

    check()


def test_no_listing_shows_a_password(target: Target, api: UiPathClient) -> None:
    """No asset listed by GetFiltered, in any folder read, has a non-empty CredentialPassword."""
    for folder, items in assets_by_folder(target, api):
        for item in items:
            assert not item.get("CredentialPassword"), (folder["Id"], item["Name"])


def test_a_listed_name_filters_to_that_asset(target: Target, api: UiPathClient) -> None:
    """`get_by_name` of a listed asset's name (GetFiltered, Name eq '...') finds that asset."""
    folder, items = a_folder_with_assets(target, api)

    @budget(target)
    @given(item=st.sampled_from(items))
    def check(item: dict[str, object]) -> None:
        assert api.assets.get_by_name(str(item["Name"]), folder=folder)["Id"] == item["Id"]

    check()
