"""The Queues resource against the in-process emulator: items, transactions, listings, folders."""

from __future__ import annotations

from typing import Any

import pytest

from uipath_emulator.client import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    QueueItemPage,
    UiPathClient,
)
from uipath_emulator.mock_server.well_known import (
    DEMO_QUEUE,
    FINANCE_ROBOT_KEY,
    FINANCE_ROBOT_NAME,
    INVOICE_QUEUE,
    INVOICE_REFERENCES,
)

FINANCE = "Finance"
FAILURE = {"Reason": "portal down", "Type": "ApplicationException"}


def references(items: list[dict[str, Any]]) -> list[str]:
    """The items' references, in order."""
    return [item["Reference"] for item in items]


def take(uipath: UiPathClient, **narrowing: Any) -> dict[str, Any]:
    """The next InvoiceQueue transaction, started for finance-robot; it must exist."""
    item = uipath.queues.start_transaction(
        INVOICE_QUEUE, folder=FINANCE, robot_key=FINANCE_ROBOT_KEY, **narrowing
    )
    assert item is not None
    return item


def test_add_item_returns_the_new_item_listed_in_its_folder_only(
    uipath_client: UiPathClient,
) -> None:
    """`add_item` answers the stored New item; Finance and the cross-folder listing show it."""
    queues = uipath_client.queues
    added = queues.add_item(
        INVOICE_QUEUE,
        {"Reference": "INV-2000", "Priority": "High", "SpecificContent": {"Amount": 9.5}},
        folder=FINANCE,
    )
    assert (added["Status"], added["Priority"], added["SpecificContent"]) == (
        "New",
        "High",
        {"Amount": 9.5},
    )
    assert references(queues.list_items(folder=FINANCE).items)[-1] == "INV-2000"
    assert references(queues.list_items().items) == [*INVOICE_REFERENCES, "INV-2000"]
    assert queues.list_items(folder="Shared").items == []


def test_add_item_to_an_unknown_queue_is_not_found(uipath_client: UiPathClient) -> None:
    """A queue name the folder lacks: `NotFoundError`, 404, errorCode 1002, naming the queue."""
    with pytest.raises(NotFoundError) as raised:
        uipath_client.queues.add_item(DEMO_QUEUE, folder=FINANCE)
    assert (raised.value.status, raised.value.error_code) == (404, 1002)
    assert raised.value.message == f"{DEMO_QUEUE} does not exist."


@pytest.mark.parametrize(
    ("commit_type", "added"),
    [("AllOrNothing", []), ("ProcessAllIndependently", ["B-1", "B-2"])],
)
def test_bulk_add_reports_the_refused_item(
    uipath_client: UiPathClient, commit_type: Any, added: list[str]
) -> None:
    """`bulk_add` answers the service's result; the commit type decides what else is kept."""
    queues = uipath_client.queues
    result = queues.bulk_add(
        INVOICE_QUEUE,
        [{"Reference": "B-1"}, {"Reference": INVOICE_REFERENCES[0]}, {"Reference": "B-2"}],
        folder=FINANCE,
        commit_type=commit_type,
    )
    assert result["Success"] is False
    assert [(f["Ordinal"], f["ErrorCode"]) for f in result["FailedItems"]] == [
        (1, "DuplicateReference")
    ]
    assert references(queues.list_items(folder=FINANCE).items) == [*INVOICE_REFERENCES, *added]


def test_start_transaction_is_none_for_an_app_that_names_no_robot(
    uipath_client: UiPathClient,
) -> None:
    """The app's own StartTransaction is the service's empty 204: None, and nothing changes."""
    assert uipath_client.queues.start_transaction(INVOICE_QUEUE, folder=FINANCE) is None
    statuses = {item["Status"] for item in uipath_client.queues.list_items().items}
    assert statuses == {"New"}


def test_start_transaction_for_a_robot_takes_the_highest_priority(
    uipath_client: UiPathClient,
) -> None:
    """With `robot_key`, the High item comes first, InProgress and bound to that robot."""
    uipath_client.queues.add_item(
        INVOICE_QUEUE, {"Reference": "URGENT", "Priority": "High"}, folder=FINANCE
    )
    item = take(uipath_client)
    assert (item["Reference"], item["Status"]) == ("URGENT", "InProgress")
    assert item["Robot"]["Name"] == FINANCE_ROBOT_NAME
    assert take(uipath_client)["Reference"] == INVOICE_REFERENCES[0]


def test_start_transaction_narrowed_by_reference(uipath_client: UiPathClient) -> None:
    """`reference` with `reference_filter` picks that item over older ones; none left: None."""
    last = INVOICE_REFERENCES[-1]
    assert take(uipath_client, reference=last, reference_filter="Equals")["Reference"] == last
    again = uipath_client.queues.start_transaction(
        INVOICE_QUEUE, folder=FINANCE, robot_key=FINANCE_ROBOT_KEY, reference=last
    )
    assert again is None


def test_start_transaction_with_content_adds_and_starts_an_item(
    uipath_client: UiPathClient,
) -> None:
    """`specific_content` adds an item with that content and hands it out InProgress at once."""
    item = take(uipath_client, specific_content={"Vendor": "Acme"}, reference="NEW-1")
    assert (item["Reference"], item["Status"]) == ("NEW-1", "InProgress")
    assert item["SpecificContent"] == {"Vendor": "Acme"}


def test_progress_then_success_then_no_second_result(uipath_client: UiPathClient) -> None:
    """`set_progress` and a successful `set_result` show in the item; a second result is 409."""
    queues = uipath_client.queues
    item = take(uipath_client)
    assert queues.set_progress(item["Id"], "totals checked", folder=FINANCE) is None
    assert queues.get_item(item["Id"], folder=FINANCE)["Progress"] == "totals checked"
    queues.set_result(item["Id"], {"IsSuccessful": True, "Output": {"Ok": 1}}, folder=FINANCE)
    done = queues.get_item(item["Id"], folder=FINANCE)
    assert (done["Status"], done["Output"]) == ("Successful", {"Ok": 1})
    with pytest.raises(ConflictError) as raised:
        queues.set_result(item["Id"], {"IsSuccessful": False}, folder=FINANCE)
    assert raised.value.status == 409


def test_progress_of_a_new_item_is_a_bad_request(uipath_client: UiPathClient) -> None:
    """SetTransactionProgress on an item not InProgress: `BadRequestError`, status 400."""
    waiting = uipath_client.queues.list_items(folder=FINANCE, top=1).items[0]
    with pytest.raises(BadRequestError) as raised:
        uipath_client.queues.set_progress(waiting["Id"], "x", folder=FINANCE)
    assert raised.value.status == 400


def test_application_failure_is_retried_once(uipath_client: UiPathClient) -> None:
    """An ApplicationException result leaves Retried plus a New copy; failing that is final."""
    queues = uipath_client.queues
    item = take(uipath_client)
    queues.set_result(
        item["Id"], {"IsSuccessful": False, "ProcessingException": FAILURE}, folder=FINANCE
    )
    chain = queues.list_items(folder=FINANCE, filter=f"Key eq {item['Key']}", orderby="Id").items
    assert [(i["Status"], i["RetryNumber"]) for i in chain] == [("Retried", 0), ("New", 1)]
    retry = take(uipath_client, reference=item["Reference"])
    assert retry["Id"] == chain[1]["Id"]
    queues.set_result(
        retry["Id"], {"IsSuccessful": False, "ProcessingException": FAILURE}, folder=FINANCE
    )
    assert queues.get_item(retry["Id"], folder=FINANCE)["Status"] == "Failed"


def test_list_items_applies_the_odata_options(uipath_client: UiPathClient) -> None:
    """`filter`, `select`, `orderby`, `top`, `skip` and `count` reach QueueItems and apply."""
    take(uipath_client)
    page = uipath_client.queues.list_items(
        filter="Status eq 'New'",
        select=["Reference", "Status"],
        orderby="Reference desc",
        top=1,
        skip=1,
        count=True,
    )
    assert isinstance(page, QueueItemPage)
    assert page.items == [{"Reference": INVOICE_REFERENCES[1], "Status": "New"}]
    assert page.count == 2


def test_list_items_by_queue_in_a_folder(uipath_client: UiPathClient) -> None:
    """A queue's items by `QueueDefinitionId` in its folder; its own listing gives the id."""
    queues = uipath_client.queues
    demo = queues.definitions.list(folder="Shared", filter=f"Name eq '{DEMO_QUEUE}'").items[0]
    queues.add_item(DEMO_QUEUE, {"Reference": "D-1"}, folder="Shared")
    listed = queues.list_items(folder="Shared", filter=f"QueueDefinitionId eq {demo['Id']}")
    assert references(listed.items) == ["D-1"]


def test_iter_items_yields_each_item_once(uipath_client: UiPathClient) -> None:
    """`iter_items(page_size=2)` walks every item of every folder once, in Id order."""
    uipath_client.queues.add_item(DEMO_QUEUE, {"Reference": "D-1"}, folder="Shared")
    walked = [item["Id"] for item in uipath_client.queues.iter_items(page_size=2)]
    listed = [item["Id"] for item in uipath_client.queues.list_items().items]
    assert walked == sorted(listed)
    assert len(walked) == len(INVOICE_REFERENCES) + 1


def test_get_item_only_in_its_folder(uipath_client: UiPathClient) -> None:
    """`get_item` in Finance answers the listed item; asked in Shared it is `NotFoundError`."""
    listed = uipath_client.queues.list_items(folder=FINANCE).items[0]
    single = uipath_client.queues.get_item(listed["Id"], folder=FINANCE)
    assert (single["Id"], single["Reference"], single["Status"]) == (
        listed["Id"],
        listed["Reference"],
        listed["Status"],
    )
    with pytest.raises(NotFoundError):
        uipath_client.queues.get_item(listed["Id"], folder="Shared")


def test_delete_item_keeps_it_as_deleted(uipath_client: UiPathClient) -> None:
    """`delete_item` of a New item leaves it listed with Status Deleted."""
    item = uipath_client.queues.list_items(folder=FINANCE).items[0]
    uipath_client.queues.delete_item(item["Id"], folder=FINANCE)
    assert uipath_client.queues.get_item(item["Id"], folder=FINANCE)["Status"] == "Deleted"


def test_definitions_list_across_folders_and_in_one(uipath_client: UiPathClient) -> None:
    """Without a folder every usable folder's queues are listed; with one, only its queues."""
    definitions = uipath_client.queues.definitions
    every = definitions.list(orderby="Name", count=True)
    assert [q["Name"] for q in every.items] == [DEMO_QUEUE, INVOICE_QUEUE]
    assert every.count == 2
    assert [q["Name"] for q in definitions.list(folder=FINANCE).items] == [INVOICE_QUEUE]
    assert [q["Name"] for q in definitions.iter(page_size=1)] == [
        q["Name"] for q in definitions.list(orderby="Id").items
    ]


def test_definition_life_cycle(uipath_client: UiPathClient) -> None:
    """A queue is created, got, refused a second time by name (409/1001) and deleted (404)."""
    definitions = uipath_client.queues.definitions
    created = definitions.create({"Name": "Refunds", "MaxNumberOfRetries": 2}, folder="HR")
    assert definitions.get(created["Id"], folder="HR")["MaxNumberOfRetries"] == 2
    with pytest.raises(ConflictError) as raised:
        definitions.create({"Name": "Refunds"}, folder="HR")
    assert (raised.value.status, raised.value.error_code) == (409, 1001)
    definitions.delete(created["Id"], folder="HR")
    with pytest.raises(NotFoundError):
        definitions.get(created["Id"], folder="HR")


def test_a_queue_with_items_is_not_deleted(uipath_client: UiPathClient) -> None:
    """Deleting InvoiceQueue, which holds items, is `BadRequestError` with errorCode 1012."""
    (invoice,) = uipath_client.queues.definitions.list(folder=FINANCE).items
    with pytest.raises(BadRequestError) as raised:
        uipath_client.queues.definitions.delete(invoice["Id"], folder=FINANCE)
    assert raised.value.error_code == 1012


def test_every_listed_item_names_its_folder(uipath_client: UiPathClient) -> None:
    """Listings fill `OrganizationUnitFullyQualifiedName` for seeded and added items alike."""
    uipath_client.queues.add_item(INVOICE_QUEUE, {"Reference": "INV-2000"}, folder=FINANCE)
    names = {
        item["OrganizationUnitFullyQualifiedName"]
        for item in uipath_client.queues.list_items().items
    }
    assert names == {FINANCE}
