"""Contract: a queue item's life (add, take as a robot, progress, complete, fail and retry), in
a `contract-test-` queue the test creates in the first folder the target lists (write tests).
"""

import contextlib
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from uipath_emulator.client import APIError, ConflictError, UiPathClient
from uipath_emulator.contract_tests.folders import listed_folders
from uipath_emulator.contract_tests.queues import of_queue
from uipath_emulator.contract_tests.targets import ROBOT_KEY, Target

pytestmark = pytest.mark.writes

APPLICATION_FAILURE = {"Reason": "contract test", "Type": "ApplicationException"}


@pytest.fixture
def folder(target: Target, api: UiPathClient) -> dict[str, Any]:
    """The first folder the target lists."""
    return listed_folders(target, api)[0]


@pytest.fixture
def queue(api: UiPathClient, folder: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A new `contract-test-` queue retrying an item once. Afterwards its New items are deleted
    and then the queue, even on failure (a service that keeps queues holding items may refuse
    the last step: the queue then stays, named `contract-test-...`)."""
    created = api.queues.definitions.create(
        {
            "Name": f"contract-test-{secrets.token_hex(4)}",
            "MaxNumberOfRetries": 1,
            "AcceptAutomaticallyRetry": True,
            "EnforceUniqueReference": False,
        },
        folder=folder,
    )
    yield created
    with contextlib.suppress(APIError):
        waiting = f"{of_queue(created)} and Status eq 'New'"
        for item in api.queues.list_items(folder=folder, filter=waiting, top=1000).items:
            api.queues.delete_item(item["Id"], folder=folder)
    with contextlib.suppress(APIError):
        api.queues.definitions.delete(created["Id"], folder=folder)


@pytest.fixture
def robot_key(target: Target) -> str:
    """A robot that may take transactions in the folder; skipped when the target names none."""
    if target.robot_key is None:
        pytest.skip(f"set {ROBOT_KEY} to a robot's key assigned to the first listed folder")
    return target.robot_key


def reference() -> str:
    """A fresh `contract-test-` item reference."""
    return f"contract-test-{secrets.token_hex(4)}"


def take(
    api: UiPathClient, queue: dict[str, Any], folder: dict[str, Any], robot_key: str, ref: str
) -> dict[str, Any]:
    """Start the transaction of the item with reference `ref` for the robot; it must be handed."""
    item = api.queues.start_transaction(
        queue["Name"], folder=folder, robot_key=robot_key, reference=ref, reference_filter="Equals"
    )
    assert item is not None, "no transaction handed to the robot"
    return item


def test_added_items_are_new_and_listed(
    api: UiPathClient, folder: dict[str, Any], queue: dict[str, Any]
) -> None:
    """`AddQueueItem` answers the New item; bulk-added ones join it in the queue's listing."""
    ref = reference()
    added = api.queues.add_item(
        queue["Name"], {"Reference": ref, "SpecificContent": {"Amount": 12.5}}, folder=folder
    )
    assert (added["Status"], added["Reference"], added["QueueDefinitionId"]) == (
        "New",
        ref,
        queue["Id"],
    )
    assert api.queues.get_item(added["Id"], folder=folder)["SpecificContent"] == {"Amount": 12.5}
    bulk = api.queues.bulk_add(
        queue["Name"], [{"Reference": reference()}, {"Reference": reference()}], folder=folder
    )
    assert (bulk["Success"], bulk["FailedItems"]) == (True, [])
    listed = api.queues.list_items(folder=folder, filter=of_queue(queue), orderby="Id").items
    assert [item["Status"] for item in listed] == ["New"] * 3
    assert listed[0]["Id"] == added["Id"]


def test_an_app_naming_no_robot_gets_no_transaction(
    api: UiPathClient, folder: dict[str, Any], queue: dict[str, Any]
) -> None:
    """StartTransaction by an app that names no robot answers 204 and leaves the item New."""
    added = api.queues.add_item(queue["Name"], {"Reference": reference()}, folder=folder)
    assert api.queues.start_transaction(queue["Name"], folder=folder) is None
    assert api.queues.get_item(added["Id"], folder=folder)["Status"] == "New"


def test_robot_takes_an_item_and_completes_it(
    api: UiPathClient, folder: dict[str, Any], queue: dict[str, Any], robot_key: str
) -> None:
    """The robot's item goes InProgress, takes progress, ends Successful; a second result 409."""
    ref = reference()
    added = api.queues.add_item(queue["Name"], {"Reference": ref}, folder=folder)
    item = take(api, queue, folder, robot_key, ref)
    assert (item["Id"], item["Status"]) == (added["Id"], "InProgress")
    api.queues.set_progress(item["Id"], "half way", folder=folder)
    assert api.queues.get_item(item["Id"], folder=folder)["Progress"] == "half way"
    api.queues.set_result(item["Id"], {"IsSuccessful": True, "Output": {"Ok": "1"}}, folder=folder)
    done = api.queues.get_item(item["Id"], folder=folder)
    assert (done["Status"], done["Output"]) == ("Successful", {"Ok": "1"})
    with pytest.raises(ConflictError):
        api.queues.set_result(item["Id"], {"IsSuccessful": True}, folder=folder)


def test_application_failure_is_retried_then_fails(
    api: UiPathClient, folder: dict[str, Any], queue: dict[str, Any], robot_key: str
) -> None:
    """An ApplicationException on a one-retry queue leaves Retried and a New copy (same Key,
    RetryNumber 1); failing the copy makes it Failed for good."""
    ref = reference()
    api.queues.add_item(queue["Name"], {"Reference": ref}, folder=folder)
    first = take(api, queue, folder, robot_key, ref)
    failed = {"IsSuccessful": False, "ProcessingException": APPLICATION_FAILURE}
    api.queues.set_result(first["Id"], failed, folder=folder)
    chain = api.queues.list_items(
        folder=folder, filter=f"{of_queue(queue)} and Key eq {first['Key']}", orderby="Id"
    ).items
    assert [(item["Status"], item["RetryNumber"]) for item in chain] == [
        ("Retried", 0),
        ("New", 1),
    ]
    retry = take(api, queue, folder, robot_key, ref)
    assert retry["Id"] == chain[1]["Id"]
    api.queues.set_result(retry["Id"], failed, folder=folder)
    final = api.queues.get_item(retry["Id"], folder=folder)
    assert (final["Status"], final["ProcessingExceptionType"]) == ("Failed", "ApplicationException")
