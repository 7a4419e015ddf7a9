"""What Assets calls put on the wire (checked with `responses`): URL, folder header, token."""

from __future__ import annotations

import responses
from responses import matchers

from tests.client.fakes import TENANT_URL, TOKEN_VALUES, add_tokens, orchestrator_error
from uipath_emulator.client import UiPathClient

ASSETS_URL = f"{TENANT_URL}/orchestrator_/odata/Assets"
GET_FILTERED = f"{ASSETS_URL}/UiPath.Server.Configuration.OData.GetFiltered"


def test_get_by_name_sends_an_escaped_name_filter_and_the_folder_header(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`get_by_name("O'Hara")` is GetFiltered with `$filter=Name eq 'O''Hara'` in the folder."""
    add_tokens(rsps)
    rsps.get(
        GET_FILTERED,
        json={"value": [{"Id": 7, "Name": "O'Hara x"}, {"Id": 8, "Name": "O'Hara"}]},
        match=[matchers.header_matcher({"X-UIPATH-FolderPath": "Finance/Invoices"})],
    )
    assert uipath.assets.get_by_name("O'Hara", folder="Finance/Invoices")["Id"] == 8
    assert rsps.calls[-1].request.url == f"{GET_FILTERED}?$filter=Name%20eq%20'O''Hara'&$top=1000"


def test_a_retried_call_keeps_its_folder_header(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """After a 401 the client sends the call again with a new token and the same folder header."""
    add_tokens(rsps, *TOKEN_VALUES[:2])
    rsps.delete(f"{ASSETS_URL}(5)", **orchestrator_error(401, "You are not authenticated!"))
    rsps.delete(f"{ASSETS_URL}(5)", status=204)
    uipath.assets.delete(5, folder=12)
    sent = [call.request for call in rsps.calls if call.request.method == "DELETE"]
    assert [request.headers["X-UIPATH-OrganizationUnitId"] for request in sent] == ["12", "12"]
    assert [request.headers["Authorization"] for request in sent] == [
        f"Bearer {value}" for value in TOKEN_VALUES[:2]
    ]
