"""Queues: adding items, handing them to robots, results, retries, abandonment, deletion."""

from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.orchestrator.helpers import assert_orchestrator_error, call, token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import (
    DEMO_QUEUE,
    FINANCE_ROBOT,
    FINANCE_ROBOT_KEY,
    INVOICE_QUEUE,
    INVOICE_REFERENCES,
    ORGANIZATION,
    TENANT,
)

ODATA = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
ADD = f"{ODATA}/Queues/UiPathODataSvc.AddQueueItem"
BULK = f"{ODATA}/Queues/UiPathODataSvc.BulkAddQueueItems"
START = f"{ODATA}/Queues/UiPathODataSvc.StartTransaction"
ITEMS = f"{ODATA}/QueueItems"
FINANCE = {"X-UIPATH-FolderPath": "Finance"}
SHARED = {"X-UIPATH-FolderPath": "Shared"}
CAPTURED_ORDER = [
    "QueueDefinitionId",
    "Encrypted",
    "OutputData",
    "AnalyticsData",
    "Status",
    "ReviewStatus",
    "ReviewerUserId",
    "Key",
    "Reference",
    "ProcessingExceptionType",
    "DueDate",
    "RiskSlaDate",
    "Priority",
    "DeferDate",
    "StartProcessing",
    "EndProcessing",
    "SecondsInPreviousAttempts",
    "AncestorId",
    "RetryNumber",
    "SpecificData",
    "CreationTime",
    "Progress",
    "RowVersion",
    "OrganizationUnitId",
    "OrganizationUnitFullyQualifiedName",
    "Id",
    "ProcessingException",
    "SpecificContent",
    "Output",
    "Analytics",
]


def add(http: FlaskClient, queue: str = INVOICE_QUEUE, **item: Any) -> TestResponse:
    """AddQueueItem into `queue` of its folder with the full app's token."""
    headers = FINANCE if queue == INVOICE_QUEUE else SHARED
    return call(http, "POST", ADD, json={"itemData": {"Name": queue, **item}}, headers=headers)


def start(http: FlaskClient, token: str | None = None, **data: Any) -> TestResponse:
    """StartTransaction on InvoiceQueue as finance-robot (or with `token`)."""
    body = {"transactionData": {"Name": INVOICE_QUEUE, **data}}
    return call(
        http, "POST", START, token or token_for(http, FINANCE_ROBOT), json=body, headers=FINANCE
    )


def result(http: FlaskClient, item_id: int, **outcome: Any) -> TestResponse:
    """SetTransactionResult of item `item_id` as finance-robot."""
    path = f"{ODATA}/Queues({item_id})/UiPathODataSvc.SetTransactionResult"
    body = {"transactionResult": outcome}
    return call(http, "POST", path, token_for(http, FINANCE_ROBOT), json=body, headers=FINANCE)


def items(http: FlaskClient, query: str = "") -> list[dict[str, Any]]:
    """The items of every folder the full app may use."""
    response = call(http, "GET", f"{ITEMS}?{query}")
    assert response.status_code == 200, response.data
    return list(response.get_json()["value"])


def test_add_answers_201_with_the_captured_shape(http: FlaskClient) -> None:
    """AddQueueItem: 201, Location, every captured member in order, content round-tripped."""
    response = add(
        http,
        Reference="INV-2000",
        Priority="High",
        DueDate="2027-01-05T10:13:20.6603953Z",
        SpecificContent={"InvoiceId": "INV-2000", "Amount": 12.5},
    )
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/odata/QueueItems({body['Id']})")
    assert [name for name in body if name != "@odata.context"] == CAPTURED_ORDER
    assert body["Status"] == "New"
    assert body["DueDate"] == "2027-01-05T10:13:20.6603953Z"
    assert body["SpecificContent"] == {"InvoiceId": "INV-2000", "Amount": 12.5}
    assert body["SpecificData"] == '{"DynamicProperties":{"InvoiceId":"INV-2000","Amount":12.5}}'
    assert body["OrganizationUnitFullyQualifiedName"] is None
    listed = items(http, f"$filter=Id eq {body['Id']}")[0]
    assert listed["OrganizationUnitFullyQualifiedName"] == "Finance"


def test_unknown_queue_and_duplicate_reference(http: FlaskClient) -> None:
    """Unknown queue: 404/1002 naming it; a reference used on a unique queue: 409/1016."""
    message = assert_orchestrator_error(add(http, "Nowhere"), 404, 1002)
    assert message == "Nowhere does not exist."
    duplicate = add(http, Reference=INVOICE_REFERENCES[0])
    assert assert_orchestrator_error(duplicate, 409, 1016) == (
        "Error creating Transaction. Duplicate Reference."
    )
    assert add(http, DEMO_QUEUE, Reference="same").status_code == 201
    assert add(http, DEMO_QUEUE, Reference="same").status_code == 201


def test_nested_specific_content_is_refused(http: FlaskClient) -> None:
    """SpecificContent must be flat: an object value is 400 and nothing is added."""
    before = len(items(http))
    response = add(http, SpecificContent={"Customer": {"Name": "x"}})
    assert "flat" in assert_orchestrator_error(response, 400, 1000)
    assert len(items(http)) == before


def test_only_robots_get_transactions(http: FlaskClient) -> None:
    """An app's token gets 204 with no body; the robot gets the oldest of equal priority."""
    app = start(http, token_for(http))
    assert app.status_code == 204
    assert app.data == b""
    robot = start(http)
    assert robot.status_code == 200, robot.data
    body = robot.get_json()
    assert (body["Reference"], body["Status"]) == (INVOICE_REFERENCES[0], "InProgress")
    assert body["Robot"]["Name"] == "finance-robot"


def test_priority_then_due_date_then_age(http: FlaskClient) -> None:
    """High before Normal; among equals the earliest DueDate; a future DeferDate waits."""
    add(http, Reference="LATER", Priority="High", DeferDate="2999-01-01T00:00:00Z")
    add(http, Reference="DUE-LATE", Priority="High", DueDate="2030-01-01T00:00:00Z")
    add(http, Reference="DUE-SOON", Priority="High", DueDate="2029-01-01T00:00:00Z")
    order = [start(http).get_json()["Reference"] for _ in range(5)]
    assert order == ["DUE-SOON", "DUE-LATE", *INVOICE_REFERENCES]
    assert start(http).status_code == 204


def test_robot_identifier_lets_an_app_start_for_an_assigned_robot(http: FlaskClient) -> None:
    """An app's call naming finance-robot's key gets an item bound to that robot."""
    response = start(http, token_for(http), RobotIdentifier=FINANCE_ROBOT_KEY)
    assert response.status_code == 200, response.data
    assert response.get_json()["Robot"]["LicenseKey"] == FINANCE_ROBOT_KEY


def test_success_and_final_state(http: FlaskClient) -> None:
    """A successful result is final: 200 with no body, then 409 for another result."""
    item = start(http).get_json()
    done = result(http, item["Id"], IsSuccessful=True, Output={"Approved": True})
    assert (done.status_code, done.data) == (200, b"")
    stored = items(http, f"$filter=Id eq {item['Id']}")[0]
    assert (stored["Status"], stored["Output"]) == ("Successful", {"Approved": True})
    again = result(http, item["Id"], IsSuccessful=False)
    assert_orchestrator_error(again, 409, 0)


def test_application_exception_is_retried_once(http: FlaskClient) -> None:
    """InvoiceQueue retries once: the item becomes Retried and a New copy keeps its Key."""
    item = start(http).get_json()
    failure = {"Reason": "timeout", "Type": "ApplicationException"}
    assert (
        result(http, item["Id"], IsSuccessful=False, ProcessingException=failure).status_code == 200
    )
    chain = items(http, f"$filter=Key eq {item['Key']}&$orderby=Id")
    assert [(i["Status"], i["RetryNumber"], i["AncestorId"]) for i in chain] == [
        ("Retried", 0, None),
        ("New", 1, item["Id"]),
    ]
    retry = start(http, Reference=item["Reference"]).get_json()
    result(http, retry["Id"], IsSuccessful=False, ProcessingException=failure)
    final = items(http, f"$filter=Id eq {retry['Id']}")[0]
    assert (final["Status"], final["ProcessingExceptionType"]) == ("Failed", "ApplicationException")


def test_business_exception_is_never_retried(http: FlaskClient) -> None:
    """A BusinessException fails the item for good, whatever retries the queue allows."""
    item = start(http).get_json()
    failure = {"Reason": "bad invoice", "Type": "BusinessException"}
    result(http, item["Id"], IsSuccessful=False, ProcessingException=failure)
    chain = items(http, f"$filter=Key eq {item['Key']}")
    assert [i["Status"] for i in chain] == ["Failed"]


def test_progress_only_while_in_progress(http: FlaskClient) -> None:
    """SetTransactionProgress: 200 with no body in progress, 400 on a New item."""
    item = start(http).get_json()
    path = f"{ODATA}/QueueItems({item['Id']})/UiPathODataSvc.SetTransactionProgress"
    robot = token_for(http, FINANCE_ROBOT)
    ok = call(http, "POST", path, robot, json={"progress": "half way"}, headers=FINANCE)
    assert (ok.status_code, ok.data) == (200, b"")
    assert items(http, f"$filter=Id eq {item['Id']}")[0]["Progress"] == "half way"
    waiting = items(http, "$filter=Status eq 'New'&$top=1")[0]
    path = f"{ODATA}/QueueItems({waiting['Id']})/UiPathODataSvc.SetTransactionProgress"
    refused = call(http, "POST", path, robot, json={"progress": "x"}, headers=FINANCE)
    assert_orchestrator_error(refused, 400, 1000)


def test_in_progress_for_a_day_is_abandoned(emulator: Emulator, http: FlaskClient) -> None:
    """24 h of emulator time after it started, an item is Abandoned when the queue is touched."""
    item = start(http).get_json()
    emulator.clock.advance(24 * 3600)
    add(http, Reference="TOUCH")
    assert items(http, f"$filter=Id eq {item['Id']}")[0]["Status"] == "Abandoned"
    assert_orchestrator_error(result(http, item["Id"], IsSuccessful=True), 409, 0)


def test_delete_only_new_items_and_keep_them_deleted(http: FlaskClient) -> None:
    """DELETE of a New item: 204, the item stays as Deleted; an item in progress: 400."""
    item = items(http, "$filter=Status eq 'New'&$top=1")[0]
    assert call(http, "DELETE", f"{ITEMS}({item['Id']})", headers=FINANCE).status_code == 204
    assert items(http, f"$filter=Id eq {item['Id']}")[0]["Status"] == "Deleted"
    busy = start(http).get_json()
    refused = call(http, "DELETE", f"{ITEMS}({busy['Id']})", headers=FINANCE)
    assert_orchestrator_error(refused, 400, 1000)


@pytest.mark.parametrize(
    ("commit", "added", "success"),
    [
        ("AllOrNothing", 0, False),
        ("StopOnFirstFailure", 1, False),
        ("ProcessAllIndependently", 2, False),
    ],
)
def test_bulk_add_commit_types(http: FlaskClient, commit: str, added: int, success: bool) -> None:
    """BulkAddQueueItems: a duplicate reference fails one item; the commit type decides the rest."""
    before = len(items(http))
    body = {
        "queueName": INVOICE_QUEUE,
        "commitType": commit,
        "queueItems": [
            {"Reference": "B-1"},
            {"Reference": INVOICE_REFERENCES[0]},
            {"Reference": "B-2"},
        ],
    }
    response = call(http, "POST", BULK, json=body, headers=FINANCE)
    assert response.status_code == 200, response.data
    assert response.get_json() == {
        "Success": success,
        "Message": None,
        "FailedItems": [
            {
                "Ordinal": 1,
                "ErrorCode": "DuplicateReference",
                "ErrorMessage": "Error creating Transaction. Duplicate Reference.",
            }
        ],
    }
    assert len(items(http)) == before + added


def test_sdk_filter_on_the_queue_name(http: FlaskClient) -> None:
    """`QueueDefinitionName eq '...'` (as UiPath's SDK lists items) filters; it is never shown."""
    listed = items(http, f"$filter=QueueDefinitionName eq '{INVOICE_QUEUE}'")
    assert [i["Reference"] for i in listed] == list(INVOICE_REFERENCES)
    assert all("QueueDefinitionName" not in i for i in listed)
    assert items(http, f"$filter=QueueDefinitionName eq '{DEMO_QUEUE}'") == []


def test_harness_seeds_items_and_reads_their_history(emulator: Emulator, http: FlaskClient) -> None:
    """A seeded deferred item waits for the clock; its history lists each status change."""
    queue_items = emulator.entities(ORGANIZATION, TENANT, "QueueItems")
    now = emulator.clock.now()
    deferred = datetime.fromtimestamp(now + 3600, UTC).isoformat().replace("+00:00", "Z")
    seeded = queue_items.add(
        {"QueueDefinitionId": 1, "Reference": "SEEDED", "Priority": "High", "DeferDate": deferred}
    )
    assert (seeded["Status"], seeded["OrganizationUnitId"]) == ("New", 2)
    assert start(http).get_json()["Reference"] != "SEEDED"
    emulator.clock.advance(3600)
    taken = start(http).get_json()
    assert taken["Reference"] == "SEEDED"
    result(http, taken["Id"], IsSuccessful=True)
    history = queue_items.get(seeded["Id"])["History"]
    assert [(event["Status"], event["Robot"]) for event in history] == [
        ("New", None),
        ("InProgress", "finance-robot"),
        ("Successful", "finance-robot"),
    ]


def test_harness_seeds_an_item_in_progress(emulator: Emulator, http: FlaskClient) -> None:
    """The harness may seed an item already InProgress; a day later it is Abandoned."""
    queue_items = emulator.entities(ORGANIZATION, TENANT, "QueueItems")
    started_at = datetime.fromtimestamp(emulator.clock.now(), UTC).isoformat()
    seeded = queue_items.add(
        {"QueueDefinitionId": 1, "Status": "InProgress", "StartProcessing": started_at}
    )
    emulator.clock.advance(24 * 3600)
    add(http, Reference="TOUCH-2")
    assert queue_items.get(seeded["Id"])["Status"] == "Abandoned"


def test_harness_refuses_an_item_without_a_queue(emulator: Emulator) -> None:
    """A seeded item must name a queue of the tenant: 400 otherwise."""
    queue_items = emulator.entities(ORGANIZATION, TENANT, "QueueItems")
    with pytest.raises(Exception, match="QueueDefinitionId") as refused:
        queue_items.add({"QueueDefinitionId": 99, "OrganizationUnitId": 2})
    assert getattr(refused.value, "status", None) == 400


def test_a_queue_goes_once_its_items_are_deleted(http: FlaskClient) -> None:
    """A queue with a live item is kept (400/1012); once its items are Deleted it can go."""
    queues = f"{ODATA}/QueueDefinitions"
    created = call(http, "POST", queues, json={"Name": "Short"}, headers=SHARED)
    assert created.status_code == 201, created.data
    queue = created.get_json()["Id"]
    item = add(http, "Short").get_json()["Id"]
    refused = call(http, "DELETE", f"{queues}({queue})", headers=SHARED)
    assert assert_orchestrator_error(refused, 400, 1012).endswith("it still has items.")
    assert call(http, "DELETE", f"{ITEMS}({item})", headers=SHARED).status_code == 204
    assert call(http, "DELETE", f"{queues}({queue})", headers=SHARED).status_code == 204
    assert items(http, f"$filter=Id eq {item}") == []


def test_seeded_items_name_their_folder_in_listings(http: FlaskClient) -> None:
    """World items list their folder's path, as items added through the API do."""
    listed = items(http, f"$filter=QueueDefinitionName eq '{INVOICE_QUEUE}'")
    assert {item["OrganizationUnitFullyQualifiedName"] for item in listed} == {"Finance"}
