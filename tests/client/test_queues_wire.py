"""What the Queues calls put on the wire (checked with `responses`): bodies, headers, retries."""

from __future__ import annotations

import json

import pytest
import responses
from responses import matchers

from tests.client.fakes import TENANT_URL, add_tokens, calls_to
from uipath_emulator.client import ServerError, UiPathClient

QUEUES_URL = f"{TENANT_URL}/orchestrator_/odata/Queues"
START = f"{QUEUES_URL}/UiPathODataSvc.StartTransaction"
ITEMS_URL = f"{TENANT_URL}/orchestrator_/odata/QueueItems"
ROBOT_KEY = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"


def test_start_transaction_sends_only_the_given_members(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """StartTransaction's body names the queue and the robot, and no member left as None."""
    add_tokens(rsps)
    rsps.post(START, status=204, match=[matchers.header_matcher({"X-UIPATH-FolderPath": "Ops"})])
    assert uipath.queues.start_transaction("Q", folder="Ops", robot_key=ROBOT_KEY) is None
    (call,) = calls_to(rsps, START)
    assert json.loads(call.request.body or b"") == {
        "transactionData": {"Name": "Q", "RobotIdentifier": ROBOT_KEY}
    }


def test_list_items_without_a_folder_sends_no_folder_header(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A cross-folder `list_items` carries no X-UIPATH-* folder header, and its options."""
    add_tokens(rsps)
    rsps.get(ITEMS_URL, json={"value": []})
    uipath.queues.list_items(filter="Status eq 'New'", top=5)
    (call,) = calls_to(rsps, ITEMS_URL)
    assert not [name for name in call.request.headers if name.upper().startswith("X-UIPATH-")]
    assert call.request.url == f"{ITEMS_URL}?$filter=Status%20eq%20'New'&$top=5"


def test_set_result_is_sent_once_on_a_503(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """SetTransactionResult is not retried (a repeat could finish the item twice): one 503."""
    add_tokens(rsps)
    result_url = f"{QUEUES_URL}(7)/UiPathODataSvc.SetTransactionResult"
    rsps.post(result_url, status=503)
    with pytest.raises(ServerError):
        uipath.queues.set_result(7, {"IsSuccessful": True}, folder=3)
    assert len(calls_to(rsps, result_url)) == 1


def test_set_progress_is_retried_after_a_503(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """SetTransactionProgress sets the same text again, so a 503 is retried once after a wait."""
    add_tokens(rsps)
    progress_url = f"{ITEMS_URL}(7)/UiPathODataSvc.SetTransactionProgress"
    rsps.post(progress_url, status=503)
    rsps.post(progress_url, status=200)
    uipath.queues.set_progress(7, "half", folder=3)
    assert len(calls_to(rsps, progress_url)) == 2
    assert len(sleeps) == 1
