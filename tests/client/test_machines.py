"""The Machines resource: URLs, OData options, bodies, and results returned as sent."""

from __future__ import annotations

import json

import pytest
import responses
from responses import matchers

from tests.client.fakes import MACHINES_URL, TOKEN_VALUES, add_tokens, list_body, machine
from uipath_emulator.client import MachinePage, UiPathClient, UnexpectedResponseError

MACHINE_URL = f"{MACHINES_URL}(1)"


@pytest.fixture(autouse=True)
def _token(rsps: responses.RequestsMock) -> None:
    """Every test here starts with a working token endpoint."""
    add_tokens(rsps)


def test_list_sends_each_odata_option_and_returns_items_and_count(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`list` maps its arguments to `$filter`...`$count` and returns the page as sent."""
    expected_query = {
        "$filter": "Type eq 'Standard'",
        "$select": "Id,Name",
        "$orderby": "Name desc",
        "$top": "2",
        "$skip": "4",
        "$expand": "RobotVersions",
        "$count": "true",
    }
    rsps.get(
        MACHINES_URL,
        json=list_body([machine(5), machine(6)], count=9),
        match=[matchers.query_param_matcher(expected_query)],
    )
    page = uipath.machines.list(
        filter="Type eq 'Standard'",
        select=["Id", "Name"],
        orderby="Name desc",
        top=2,
        skip=4,
        expand="RobotVersions",
        count=True,
    )
    assert page == MachinePage(items=[machine(5), machine(6)], count=9)


def test_query_options_are_written_as_uipath_documents_them(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`$`, commas and quotes stay literal in the query string; spaces become `%20`."""
    rsps.get(MACHINES_URL, json=list_body([]))
    uipath.machines.list(filter="Name eq 'A&B'", select="Id,Name", top=5)
    assert rsps.calls[-1].request.url == (
        f"{MACHINES_URL}?$filter=Name%20eq%20'A%26B'&$select=Id,Name&$top=5"
    )


def test_list_without_options_sends_no_query_and_tolerates_a_missing_count(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A bare `list()` sends no query options; without `@odata.count` the count is None."""
    rsps.get(MACHINES_URL, json=list_body([machine(1)]), match=[matchers.query_param_matcher({})])
    assert uipath.machines.list() == MachinePage(items=[machine(1)], count=None)


def test_list_calls_carry_the_bearer_token(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """Orchestrator calls send `Authorization: Bearer <token>` and `Accept: application/json`."""
    rsps.get(
        MACHINES_URL,
        json=list_body([]),
        match=[
            matchers.header_matcher(
                {"Authorization": f"Bearer {TOKEN_VALUES[0]}", "Accept": "application/json"}
            )
        ],
    )
    assert uipath.machines.list().items == []


def test_list_body_without_a_value_array_is_an_unexpected_response(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A list response lacking the `value` array raises `UnexpectedResponseError`."""
    rsps.get(MACHINES_URL, json={"@odata.count": 3})
    with pytest.raises(UnexpectedResponseError, match="'value'"):
        uipath.machines.list()


def test_get_returns_the_entity_exactly_as_sent(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`get(1)` reads `Machines(1)` and returns every field, unknown ones included."""
    entity = {"@odata.context": "...$metadata#Machines/$entity", **machine(1)}
    rsps.get(MACHINE_URL, json=entity)
    assert uipath.machines.get(1) == entity


def test_create_posts_the_fields_as_json_and_returns_the_created_machine(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`create` POSTs a JSON body to `Machines` and returns the 201 entity."""
    rsps.post(
        MACHINES_URL,
        status=201,
        json=machine(42, "NEW"),
        headers={"Location": MACHINES_URL + "(42)"},
        match=[matchers.json_params_matcher({"Name": "NEW", "Type": "Standard"})],
    )
    assert uipath.machines.create({"Name": "NEW", "Type": "Standard"}) == machine(42, "NEW")


@pytest.mark.parametrize(("method", "action"), [("PATCH", "update"), ("PUT", "replace")])
def test_update_and_replace_return_the_entity_when_one_is_sent(
    rsps: responses.RequestsMock, uipath: UiPathClient, method: str, action: str
) -> None:
    """PATCH and PUT send the JSON body and return the entity the service sent back."""
    rsps.add(
        method,
        MACHINE_URL,
        json=machine(1, "RENAMED"),
        match=[matchers.json_params_matcher({"Name": "RENAMED"})],
    )
    assert getattr(uipath.machines, action)(1, {"Name": "RENAMED"}) == machine(1, "RENAMED")


@pytest.mark.parametrize(("method", "action"), [("PATCH", "update"), ("PUT", "replace")])
def test_update_and_replace_return_none_for_an_empty_body(
    rsps: responses.RequestsMock, uipath: UiPathClient, method: str, action: str
) -> None:
    """PATCH and PUT answered with an empty 200 (or 204) return None."""
    rsps.add(method, MACHINE_URL, status=200, body="")
    assert getattr(uipath.machines, action)(1, {"Name": "RENAMED"}) is None


def test_delete_sends_delete_to_the_entity(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`delete(1)` sends DELETE `Machines(1)` and accepts the 204."""
    rsps.delete(MACHINE_URL, status=204)
    uipath.machines.delete(1)
    assert rsps.calls[-1].request.method == "DELETE"


def test_delete_many_posts_the_ids_to_delete_bulk(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`delete_many` POSTs `{"machineIds": [...]}` to the `DeleteBulk` action."""
    rsps.post(f"{MACHINES_URL}/UiPath.Server.Configuration.OData.DeleteBulk", status=204)
    uipath.machines.delete_many(iter([3, 1, 2]))
    assert json.loads(rsps.calls[-1].request.body or "") == {"machineIds": [3, 1, 2]}


def test_iter_pages_in_id_order_until_a_short_page(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`iter` asks for `$top`/`$skip` pages ordered by Id, stopping after the first short page."""
    for skip, items in ((0, [machine(1), machine(2)]), (2, [machine(3)])):
        query = {"$orderby": "Id", "$top": "2", "$skip": str(skip), "$filter": "Scope eq 'Default'"}
        rsps.get(MACHINES_URL, json=list_body(items), match=[matchers.query_param_matcher(query)])
    machines = list(uipath.machines.iter(filter="Scope eq 'Default'", page_size=2))
    assert [item["Id"] for item in machines] == [1, 2, 3]


@pytest.mark.parametrize("page_size", [0, 1001])
def test_iter_rejects_page_sizes_orchestrator_refuses(uipath: UiPathClient, page_size: int) -> None:
    """A page size outside 1..1000 (Orchestrator's `$top` limit) is refused before any request."""
    with pytest.raises(ValueError, match="page_size"):
        next(uipath.machines.iter(page_size=page_size))
