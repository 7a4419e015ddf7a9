"""Contract: reading Orchestrator machines (step 2 of the guide), as properties on any data."""

import base64
from typing import Any

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uipath_emulator.client import UiPathClient
from uipath_emulator.contract_tests.helpers import assert_orchestrator_error, assert_valid_machine
from uipath_emulator.contract_tests.targets import Target

SELECTABLE = ["Name", "Id", "Type", "Scope", "Description", "Key", "Tags", "UnattendedSlots"]


def budget(target: Target) -> settings:
    """Hypothesis settings within the target's request budget, reproducible from run to run."""
    return settings(
        max_examples=target.max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def first_page(api: UiPathClient) -> list[dict[str, Any]]:
    """Up to 1000 machines in Id order: the reference listing the properties compare against."""
    return api.machines.list(orderby="Id", top=1000).items


def test_no_token_is_401(target: Target, session: requests.Session) -> None:
    """Without a token the Machines list answers 401 in Orchestrator's error shape."""
    assert_orchestrator_error(session.get(target.machines_url, timeout=30), 401)


def test_tampered_token_is_401(
    target: Target, session: requests.Session, api: UiPathClient
) -> None:
    """A token with one signature byte flipped is refused with 401."""
    header, payload, signature = api.token().access_token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[len(raw) // 2] ^= 0x01
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    headers = {"Authorization": f"Bearer {header}.{payload}.{forged}"}
    assert_orchestrator_error(session.get(target.machines_url, headers=headers, timeout=30), 401)


def test_envelope_and_headers(target: Target, session: requests.Session, api: UiPathClient) -> None:
    """The list is an OData envelope (context, count, value) with OData's JSON headers."""
    token = api.token().access_token
    response = session.get(
        target.machines_url,
        params={"$top": "3"},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200
    body = response.json()
    assert next(iter(body)) == "@odata.context"
    assert body["@odata.context"].endswith(
        "/$metadata#Machines/UiPath.Server.Configuration.OData.ExtendedMachineDto"
    )
    assert list(body)[-1] == "value"
    assert len(body["value"]) <= 3
    content_type = response.headers["Content-Type"]
    assert content_type.startswith("application/json")
    assert "odata.metadata=minimal" in content_type
    assert response.headers["OData-Version"] == "4.0"
    for item in body["value"]:
        assert next(iter(item)) == "@odata.type"


def test_every_item_validates_against_the_schema(api: UiPathClient) -> None:
    """Every listed machine validates against our machine JSON Schema."""
    for item in first_page(api):
        assert_valid_machine(item)


def test_count_covers_the_items(api: UiPathClient) -> None:
    """`@odata.count` is at least the number of items returned."""
    page = api.machines.list(top=5, count=True)
    assert page.count is not None
    assert page.count >= len(page.items)


def test_top_returns_at_most_n(target: Target, api: UiPathClient) -> None:
    """`$top=n` returns at most n machines."""

    @budget(target)
    @given(top=st.integers(min_value=0, max_value=12))
    def check(top: int) -> None:
        assert len(api.machines.list(top=top).items) <= top

    check()


def test_paging_covers_the_same_set_as_one_page(target: Target, api: UiPathClient) -> None:
    """Walking the list with $top/$skip at any page size yields each machine exactly once."""
    everything = [item["Id"] for item in first_page(api)]

    @budget(target)
    @given(page_size=st.integers(min_value=1, max_value=7))
    def check(page_size: int) -> None:
        walked = [item["Id"] for item in api.machines.iter(page_size=page_size, orderby="Id")]
        assert walked == everything

    check()


def test_orderby_name_sorts_case_insensitively(api: UiPathClient) -> None:
    """`$orderby=Name` and `Name desc` sort names as SQL Server's collation does (ignoring case)."""
    ascending = [m["Name"].casefold() for m in api.machines.list(orderby="Name", top=1000).items]
    descending = [
        m["Name"].casefold() for m in api.machines.list(orderby="Name desc", top=1000).items
    ]
    assert ascending == sorted(ascending)
    assert descending == sorted(descending, reverse=True)


def test_filter_by_a_listed_name(target: Target, api: UiPathClient) -> None:
    """`$filter=Name eq '<a listed name>'` returns that machine and only machines of that name."""
    names = [item["Name"] for item in first_page(api)]
    if not names:
        return

    @budget(target)
    @given(name=st.sampled_from(names))
    def check(name: str) -> None:
        literal = name.replace("'", "''")
        found = api.machines.list(filter=f"Name eq '{literal}'").items
        assert name in [item["Name"] for item in found]
        assert {item["Name"].casefold() for item in found} == {name.casefold()}

    check()


def test_select_returns_only_those_fields(target: Target, api: UiPathClient) -> None:
    """`$select` returns exactly the selected fields (plus the type annotation)."""

    @budget(target)
    @given(fields=st.lists(st.sampled_from(SELECTABLE), min_size=1, max_size=4, unique=True))
    def check(fields: list[str]) -> None:
        for item in api.machines.list(select=",".join(fields), top=5).items:
            assert set(item) - {"@odata.type"} == set(fields)

    check()


def test_invalid_filter_is_400(
    target: Target, session: requests.Session, api: UiPathClient
) -> None:
    """A `$filter` naming no property of a machine gets 400 in Orchestrator's error shape."""
    response = session.get(
        target.machines_url,
        params={"$filter": "NoSuchProperty eq 'x'"},
        headers={"Authorization": f"Bearer {api.token().access_token}"},
        timeout=30,
    )
    assert_orchestrator_error(response, 400)


def test_get_by_id_equals_the_listed_item(target: Target, api: UiPathClient) -> None:
    """`Machines(<id>)` returns the same machine as the list does."""
    listed = first_page(api)
    if not listed:
        return

    @budget(target)
    @given(item=st.sampled_from(listed))
    def check(item: dict[str, Any]) -> None:
        single = api.machines.get(item["Id"])
        single.pop("@odata.context", None)
        assert single == item

    check()


def test_unknown_id_is_404(target: Target, session: requests.Session, api: UiPathClient) -> None:
    """An id beyond every listed one gets 404 in Orchestrator's error shape."""
    missing = max((item["Id"] for item in first_page(api)), default=0) + 1_000_000_000
    response = session.get(
        f"{target.machines_url}({missing})",
        headers={"Authorization": f"Bearer {api.token().access_token}"},
        timeout=30,
    )
    assert_orchestrator_error(response, 404)
