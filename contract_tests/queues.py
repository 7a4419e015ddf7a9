"""Queues to run queue properties on, taken from the target's own listings.

On an emulator the seeded world has a queue with items; on the cloud the app may lack
`OR.Queues.Read`, or the folders it lists may hold no queue with items: the test is then
skipped, saying which.
"""

from typing import Any

import pytest

from uipath_emulator.client import APIError, UiPathClient
from uipath_emulator.contract_tests.folders import (
    FOLDERS_SCANNED,
    listed_folders,
    skip_unless_granted,
)
from uipath_emulator.contract_tests.targets import Target

QUEUES_SCANNED = 10
"""At most this many queues are read for items (a request each): the cloud's budget."""
STATUSES = ("New", "InProgress", "Failed", "Successful", "Abandoned", "Retried", "Deleted")
"""Every QueueItem status (orchestrator-core-facts §3.7)."""


def of_queue(queue: dict[str, Any]) -> str:
    """The `$filter` clause for the items of `queue`."""
    return f"QueueDefinitionId eq {int(queue['Id'])}"


def queue_items(
    target: Target, api: UiPathClient, folder: dict[str, Any], queue: dict[str, Any]
) -> list[dict[str, Any]]:
    """Up to 1000 items of `queue` in its folder, in Id order."""
    try:
        return api.queues.list_items(
            folder=folder, filter=of_queue(queue), orderby="Id", top=1000
        ).items
    except APIError as error:
        skip_unless_granted(target, error, "OR.Queues.Read")


def a_queue_with_items(
    target: Target, api: UiPathClient
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """(folder, queue, its items) of the first scanned queue holding an item; else skipped."""
    scanned = 0
    for folder in listed_folders(target, api)[:FOLDERS_SCANNED]:
        try:
            queues = api.queues.definitions.list(folder=folder, orderby="Id", top=1000).items
        except APIError as error:
            skip_unless_granted(target, error, "OR.Queues.Read")
        for queue in queues[: QUEUES_SCANNED - scanned]:
            scanned += 1
            items = queue_items(target, api, folder, queue)
            if items:
                return folder, queue, items
        if scanned >= QUEUES_SCANNED:
            break
    assert not target.is_emulator, "the emulator's world has no queue with items"
    pytest.skip(
        f"none of the first {QUEUES_SCANNED} queues in the first {FOLDERS_SCANNED} folders "
        "listed holds an item"
    )
