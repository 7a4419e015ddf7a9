"""UiPath's Python SDK queues service, unchanged, filling InvoiceQueue and working it as a robot.

Every test runs twice (the `cloud` fixture): in-process (`intercept()` routes the SDK's httpx
calls to https://cloud.uipath.com into the emulator) and against a real `uipath-mock` server
on 127.0.0.1 (`uipath_server`). The SDK is configured as `tests/compat/sdk_support.py` says.

SetTransactionProgress and SetTransactionResult answer 200 with an empty body, as the spec and
the TypeScript SDK say (orchestrator-core-facts §3.6). UiPath's Python SDK calls `.json()` on
those answers and raises `JSONDecodeError`; the emulator follows the service, not the SDK's unit
tests, which mock a made-up body (facts decision §0.3). So these tests assert exactly that
error and read the state change back through OData (GET QueueItems with a folder header).
"""

import asyncio
import json
from typing import Any

import pytest
from uipath.platform import UiPath
from uipath.platform.orchestrator import QueuesService
from uipath.platform.orchestrator.queues import CommitType

from tests.compat.sdk_support import Cloud, closing, configure
from uipath_emulator.mock_server.well_known import (
    DEMO_QUEUE,
    FINANCE_ROBOT_KEY,
    FINANCE_ROBOT_NAME,
    FULL,
    INVOICE_QUEUE,
    INVOICE_REFERENCES,
)

QUEUE_SCOPE = "OR.Default OR.Queues"
"""What `finance-robot` asks for: its folder roles (OR.Default) and the queues service."""
ODATA = "/orchestrator_/odata"
START = f"{ODATA}/Queues/UiPathODataSvc.StartTransaction"
FINANCE = "Finance"


def robot(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> UiPath:
    """The SDK as finance-robot, with `UIPATH_ROBOT_KEY` set."""
    return configure(cloud, monkeypatch, scope=QUEUE_SCOPE, robot_key=FINANCE_ROBOT_KEY)


def stored_item(sdk: UiPath, item_id: int) -> dict[str, Any]:
    """The item as GET QueueItems lists it in Finance (through the SDK's own api_client)."""
    with closing(sdk.api_client) as api:
        answer = api.request(
            "GET",
            f"{ODATA}/QueueItems",
            params={"$filter": f"Id eq {item_id}"},
            headers={"X-UIPATH-FolderPath": FINANCE},
        ).json()
    (row,) = answer["value"]
    return dict(row)


def bulk_add(queues: QueuesService, references: list[str], commit: CommitType) -> Any:
    """`create_items` of items with these references into InvoiceQueue; its parsed answer."""
    items = [{"Reference": reference} for reference in references]
    return queues.create_items(items, INVOICE_QUEUE, commit, folder_path=FINANCE)


def statuses(cloud: Cloud, path: str) -> list[int]:
    """The status of each call to `path`, in order."""
    return [call.status for call in cloud.calls(path)]


def test_create_item_and_create_items_add_new_items(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`create_item` answers the 201 item; `create_items` the bulk result; both add New items."""
    sdk = robot(cloud, monkeypatch)
    with closing(sdk.queues) as queues:
        created = queues.create_item(
            {"Reference": "SDK-1", "Priority": "Low", "SpecificContent": {"Amount": 12.5}},
            queue_name=INVOICE_QUEUE,
            folder_path=FINANCE,
        )
        bulk = bulk_add(queues, ["SDK-2", "SDK-3"], CommitType.ALL_OR_NOTHING)
        listed = queues.list_items(queue_name=INVOICE_QUEUE, folder_path=FINANCE)
    assert (created["Reference"], created["Status"], created["Priority"]) == ("SDK-1", "New", "Low")
    assert created["SpecificContent"] == {"Amount": 12.5}
    assert bulk == {"Success": True, "Message": None, "FailedItems": []}
    rows = {row["Reference"]: (row["Status"], row["Priority"]) for row in listed["value"]}
    assert rows == {
        **{reference: ("New", "Normal") for reference in INVOICE_REFERENCES},
        "SDK-1": ("New", "Low"),
        "SDK-2": ("New", "Normal"),
        "SDK-3": ("New", "Normal"),
    }


def test_create_items_reports_a_duplicate_reference(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reference already in the unique-reference InvoiceQueue is the bulk call's failed item."""
    sdk = robot(cloud, monkeypatch)
    with closing(sdk.queues) as queues:
        bulk = bulk_add(
            queues, ["SDK-9", INVOICE_REFERENCES[0]], CommitType.PROCESS_ALL_INDEPENDENTLY
        )
        listed = queues.list_items(queue_name=INVOICE_QUEUE)
    assert bulk["Success"] is False
    assert [(f["Ordinal"], f["ErrorCode"]) for f in bulk["FailedItems"]] == [
        (1, "DuplicateReference")
    ]
    assert [row["Reference"] for row in listed["value"]] == [*INVOICE_REFERENCES, "SDK-9"]


def test_robot_takes_the_high_item_and_completes_it(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The robot gets the High item; progress and result raise JSONDecodeError yet change it.

    Both answers are 200 with an empty body (facts §3.6, decision §0.3), so the SDK's `.json()`
    raises; the new Progress and the Successful status with its Output show through OData.
    """
    sdk = robot(cloud, monkeypatch)
    with closing(sdk.queues) as queues:
        urgent = queues.create_item(
            {"Reference": "URGENT", "Priority": "High"},
            queue_name=INVOICE_QUEUE,
            folder_path=FINANCE,
        )
        taken = queues.create_transaction_item({}, queue_name=INVOICE_QUEUE, folder_path=FINANCE)
        assert (taken["Id"], taken["Status"]) == (urgent["Id"], "InProgress")
        assert taken["Robot"]["Name"] == FINANCE_ROBOT_NAME
        key = str(taken["Id"])
        with pytest.raises(json.JSONDecodeError) as progress:
            queues.update_progress_of_transaction_item(key, "checked totals", folder_path=FINANCE)
        assert progress.value.doc == ""  # the empty body it tried to parse
        halfway = stored_item(sdk, taken["Id"])
        assert (halfway["Status"], halfway["Progress"]) == ("InProgress", "checked totals")
        with pytest.raises(json.JSONDecodeError) as completed:
            queues.complete_transaction_item(
                key, {"IsSuccessful": True, "Output": {"Approved": True}}, folder_path=FINANCE
            )
        assert completed.value.doc == ""
    done = stored_item(sdk, taken["Id"])
    assert (done["Status"], done["Output"]) == ("Successful", {"Approved": True})
    item = f"({taken['Id']})/UiPathODataSvc."
    assert statuses(cloud, f"{ODATA}/QueueItems{item}SetTransactionProgress") == [200]
    assert statuses(cloud, f"{ODATA}/Queues{item}SetTransactionResult") == [200]
    assert statuses(cloud, START) == [200]


def test_application_exception_through_the_sdk_queues_a_retry(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed result with an ApplicationException leaves the item Retried and a New copy.

    The SDK raises JSONDecodeError on the empty 200 (decision §0.3); the listing shows the chain.
    """
    sdk = robot(cloud, monkeypatch)
    failure = {"Reason": "portal down", "Type": "ApplicationException"}
    with closing(sdk.queues) as queues:
        taken = queues.create_transaction_item({}, queue_name=INVOICE_QUEUE, folder_path=FINANCE)
        with pytest.raises(json.JSONDecodeError):
            queues.complete_transaction_item(
                str(taken["Id"]),
                {"IsSuccessful": False, "ProcessingException": failure},
                folder_path=FINANCE,
            )
        listed = queues.list_items(queue_name=INVOICE_QUEUE)
    chain = [row for row in listed["value"] if row["Key"] == taken["Key"]]
    assert [(row["Status"], row["RetryNumber"]) for row in chain] == [("Retried", 0), ("New", 1)]
    assert taken["Reference"] == INVOICE_REFERENCES[0]


def test_an_apps_transaction_request_gets_the_empty_204(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a robot (`no_robot=True`, app token): 204 with no body, so the SDK's `.json()` raises.

    StartTransaction hands items only to robots (facts §3.5); the SDK parses the empty answer.
    """
    sdk = configure(cloud, monkeypatch, app=FULL, scope="OR.Queues")
    with closing(sdk.queues) as queues, pytest.raises(json.JSONDecodeError):
        queues.create_transaction_item(
            {}, queue_name=INVOICE_QUEUE, no_robot=True, folder_path=FINANCE
        )
    assert statuses(cloud, START) == [204]
    with closing(sdk.queues) as queues:
        listed = queues.list_items(queue_name=INVOICE_QUEUE)
    assert {row["Status"] for row in listed["value"]} == {"New"}


def test_list_items_filters_on_the_queue_name(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list_items(queue_name=)` sends `QueueDefinitionName eq` and lists only that queue."""
    sdk = configure(cloud, monkeypatch, app=FULL, scope="OR.Queues")
    with closing(sdk.queues) as queues:
        queues.create_item({"Reference": "DEMO-1"}, queue_name=DEMO_QUEUE, folder_path="Shared")
        invoices = queues.list_items(queue_name=INVOICE_QUEUE)
        demo = queues.list_items(queue_name=DEMO_QUEUE, folder_path="Shared")
        none_in_shared = queues.list_items(queue_name=INVOICE_QUEUE, folder_path="Shared")
        everything = queues.list_items()
    assert [row["Reference"] for row in invoices["value"]] == list(INVOICE_REFERENCES)
    assert [row["Reference"] for row in demo["value"]] == ["DEMO-1"]
    assert none_in_shared["value"] == []
    assert len(everything["value"]) == len(INVOICE_REFERENCES) + 1
    queries = [call.query.get("$filter") for call in cloud.calls(f"{ODATA}/QueueItems")]
    assert queries[0] == f"QueueDefinitionName eq '{INVOICE_QUEUE}'"


def test_async_variants(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """The async create, take, progress, complete and list calls behave as the sync ones."""
    sdk = robot(cloud, monkeypatch)

    async def run() -> tuple[dict[str, Any], dict[str, Any]]:
        queues = sdk.queues
        try:
            await queues.create_item_async(
                {"Reference": "ASYNC-1", "Priority": "High"},
                queue_name=INVOICE_QUEUE,
                folder_path=FINANCE,
            )
            taken = await queues.create_transaction_item_async(
                {}, queue_name=INVOICE_QUEUE, folder_path=FINANCE
            )
            key = str(taken["Id"])
            with pytest.raises(json.JSONDecodeError):
                await queues.update_progress_of_transaction_item_async(
                    key, "async", folder_path=FINANCE
                )
            with pytest.raises(json.JSONDecodeError):
                await queues.complete_transaction_item_async(
                    key, {"IsSuccessful": True}, folder_path=FINANCE
                )
            listed = await queues.list_items_async(queue_name=INVOICE_QUEUE)
        finally:
            await queues.aclose()
        return taken, listed

    taken, listed = asyncio.run(run())
    assert taken["Reference"] == "ASYNC-1"
    (row,) = [row for row in listed["value"] if row["Id"] == taken["Id"]]
    assert (row["Status"], row["Progress"]) == ("Successful", "async")
