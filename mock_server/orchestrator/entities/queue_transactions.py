"""The queue item state machine, without HTTP: new items, the next item to hand out, results,
retries and abandonment (orchestrator-core-facts section 3).

- A new item is `New`; `StartTransaction` hands out the next eligible one (priority High,
  Normal, Low; then the earliest `DueDate`, none last; then the oldest), skipping items whose
  `DeferDate` is still ahead on the emulator clock, and it becomes `InProgress`, bound to the
  robot.
- A result makes it `Successful` or `Failed`. A failure with an `ApplicationException` on a
  queue with `AcceptAutomaticallyRetry`, while `RetryNumber` < `MaxNumberOfRetries`, makes it
  `Retried` and queues a `New` copy (same `Key`, content and reference; `AncestorId` the
  failed item, `RetryNumber` + 1). A `BusinessException` is never retried.
- An item `InProgress` for 24 hours of emulator time becomes `Abandoned` (and is copied as a
  retry when the queue has `RetryAbandonedItems` and retries remain), when its queue is next
  touched.
"""

import base64
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.timestamps import (
    orchestrator_time,
    parse_time,
    wire_time,
)
from uipath_emulator.mock_server.world.collation import string_key

Record = dict[str, Any]

PRIORITIES = ("High", "Normal", "Low")
FINAL = frozenset({"Successful", "Failed", "Retried", "Deleted", "Abandoned"})
ABANDON_AFTER_SECONDS = 24 * 3600
EXCEPTION_TYPES = ("ApplicationException", "BusinessException")
MAX_REFERENCE = 128
ITEM_FIELDS = (
    "Name",
    "Priority",
    "SpecificContent",
    "DeferDate",
    "DueDate",
    "RiskSlaDate",
    "Reference",
    "Progress",
    "Source",
    "ParentOperationId",
)
"""The members of QueueItemDataDto (what AddQueueItem takes for one item)."""


class ItemDataError(ValueError):
    """Item data a queue action refuses (400), saying why."""


def row_version(now: float, item_id: int) -> str:
    """A RowVersion (base64 of 8 bytes) that changes with each write of the item."""
    value = (int(now * 1000) << 16 | (item_id & 0xFFFF)) & 0xFFFFFFFFFFFFFFFF
    return base64.b64encode(value.to_bytes(8, "big")).decode("ascii")


def _date(data: Mapping[str, Any], member: str) -> str | None:
    value = data.get(member)
    if value is None:
        return None
    try:
        return wire_time(value)
    except (ValueError, TypeError, OverflowError):
        raise ItemDataError(f"{member} must be a date-time, e.g. 2026-01-05T10:13:20Z.") from None


def checked_item_data(data: Any, *, name_required: bool) -> dict[str, Any]:
    """QueueItemDataDto checked: the queue name, a flat `SpecificContent`, known priority,
    dates, a reference of at most 128 characters. Raises `ItemDataError`."""
    if not isinstance(data, dict):
        raise ItemDataError("; itemData must not be null")
    unknown = sorted(set(data) - set(ITEM_FIELDS) - {"@odata.type"})
    if unknown:
        raise ItemDataError(f"The item has no member '{unknown[0]}'.")
    name = data.get("Name")
    if name_required and (not isinstance(name, str) or not name.strip()):
        raise ItemDataError("The item's queue Name is required.")
    priority = data.get("Priority") or "Normal"
    if priority not in PRIORITIES:
        raise ItemDataError(f"Priority must be one of {', '.join(PRIORITIES)}.")
    content = data.get("SpecificContent")
    if content is not None:
        if not isinstance(content, dict):
            raise ItemDataError("SpecificContent must be an object.")
        for key, value in content.items():
            if isinstance(value, dict | list):
                raise ItemDataError(
                    f"SpecificContent must be flat: '{key}' holds an object or an array."
                )
    reference = data.get("Reference")
    if reference is not None and (not isinstance(reference, str) or len(reference) > MAX_REFERENCE):
        raise ItemDataError("Reference must be a string of at most 128 characters.")
    progress = data.get("Progress")
    if progress is not None and not isinstance(progress, str):
        raise ItemDataError("Progress must be a string.")
    return {
        "Name": name,
        "Priority": priority,
        "SpecificContent": content,
        "Reference": reference,
        "Progress": progress,
        "DeferDate": _date(data, "DeferDate"),
        "DueDate": _date(data, "DueDate"),
        "RiskSlaDate": _date(data, "RiskSlaDate"),
    }


def specific_data(content: Mapping[str, Any] | None) -> str | None:
    """`SpecificData`: the content as the JSON string Orchestrator stores."""
    if content is None:
        return None
    return json.dumps({"DynamicProperties": content}, separators=(",", ":"), ensure_ascii=False)


def new_item(
    item_id: int, queue: Mapping[str, Any], folder: Mapping[str, Any], data: Mapping[str, Any]
) -> Record:
    """The fields of a new `New` item of `queue` (complete it with `stamped`)."""
    return {
        "QueueDefinitionId": queue["Id"],
        "Encrypted": bool(queue.get("Encrypted")),
        "Status": "New",
        "ReviewStatus": "None",
        "Key": str(uuid.uuid4()),
        "Reference": data.get("Reference"),
        "DueDate": data.get("DueDate"),
        "RiskSlaDate": data.get("RiskSlaDate"),
        "Priority": data.get("Priority") or "Normal",
        "DeferDate": data.get("DeferDate"),
        "SecondsInPreviousAttempts": 0,
        "RetryNumber": 0,
        "SpecificData": specific_data(data.get("SpecificContent")),
        "Progress": data.get("Progress"),
        "OrganizationUnitId": folder["Id"],
        "OrganizationUnitFullyQualifiedName": folder.get("FullyQualifiedName"),
        "Id": item_id,
        "SpecificContent": data.get("SpecificContent"),
        "QueueDefinitionName": queue["Name"],
    }


def stamped(record: Record, now: float | None, *, created: bool = False) -> Record:
    """The record with a new RowVersion (and its CreationTime when `created`), and its status
    change, if any, added to its `History` (`now` None: a change without a time, the harness's)."""
    if created and now is not None:
        record["CreationTime"] = orchestrator_time(now)
    record["RowVersion"] = row_version(now or 0.0, int(record["Id"]))
    history = list(record.get("History") or [])
    if not history or history[-1].get("Status") != record.get("Status"):
        robot = record.get("Robot")
        history.append(
            {
                "Status": record.get("Status"),
                "Time": orchestrator_time(now) if now is not None else None,
                "Robot": robot.get("Name") if isinstance(robot, dict) else None,
            }
        )
        record["History"] = history
    return record


def duplicate_reference(
    items: Iterable[Mapping[str, Any]], queue_id: int, reference: str | None
) -> bool:
    """Whether a live item of the queue already has this reference (deleted and retried items
    do not count)."""
    if reference is None:
        return False
    wanted = string_key(reference)
    return any(
        item.get("QueueDefinitionId") == queue_id
        and item.get("Status") not in ("Deleted", "Retried")
        and item.get("Reference") is not None
        and string_key(str(item["Reference"])) == wanted
        for item in items
    )


def _order(item: Mapping[str, Any]) -> tuple[Any, ...]:
    due = item.get("DueDate")
    return (
        PRIORITIES.index(item.get("Priority") or "Normal"),
        due is None,
        parse_time(due) if due is not None else 0.0,
        item["Id"],
    )


def next_item(
    items: Iterable[Mapping[str, Any]],
    queue_id: int,
    now: float,
    reference: str | None = None,
    reference_filter: str = "Equals",
) -> Mapping[str, Any] | None:
    """The item `StartTransaction` hands out next, or None."""
    eligible = []
    for item in items:
        if item.get("QueueDefinitionId") != queue_id or item.get("Status") != "New":
            continue
        defer = item.get("DeferDate")
        if defer is not None and parse_time(defer) > now:
            continue
        if reference is not None:
            own = string_key(str(item.get("Reference") or ""))
            wanted = string_key(reference)
            matches = own.startswith(wanted) if reference_filter == "StartsWith" else own == wanted
            if not matches:
                continue
        eligible.append(item)
    return min(eligible, key=_order) if eligible else None


def started(item: Mapping[str, Any], robot: Mapping[str, Any], now: float) -> Record:
    """The item handed to `robot`: `InProgress`, `StartProcessing` now."""
    shown_robot = {name: value for name, value in robot.items() if name != "Password"}
    return stamped(
        {
            **item,
            "Status": "InProgress",
            "StartProcessing": orchestrator_time(now),
            "Robot": shown_robot,
            "RobotKey": robot.get("LicenseKey"),
        },
        now,
    )


def _seconds_in_progress(item: Mapping[str, Any], now: float) -> int:
    start = item.get("StartProcessing")
    return max(0, int(now - parse_time(start))) if start else 0


def retry_copy(item: Mapping[str, Any], new_id: int, now: float) -> Record:
    """The `New` copy of a failed or abandoned item: same Key, content and reference."""
    copy = {
        name: value
        for name, value in item.items()
        if name
        not in (
            "Robot",
            "RobotKey",
            "StartProcessing",
            "EndProcessing",
            "ProcessingException",
            "ProcessingExceptionType",
            "Output",
            "OutputData",
            "Analytics",
            "AnalyticsData",
        )
    }
    copy.update(
        {
            "Id": new_id,
            "Status": "New",
            "AncestorId": item["Id"],
            "RetryNumber": int(item.get("RetryNumber") or 0) + 1,
            "SecondsInPreviousAttempts": int(item.get("SecondsInPreviousAttempts") or 0)
            + _seconds_in_progress(item, now),
            "Progress": None,
            "History": [],
        }
    )
    return stamped(copy, now, created=True)


def retries_left(item: Mapping[str, Any], queue: Mapping[str, Any]) -> bool:
    """Whether the queue retries this item once more."""
    return int(item.get("RetryNumber") or 0) < int(queue.get("MaxNumberOfRetries") or 0)


def finished(item: Mapping[str, Any], result: Mapping[str, Any], now: float) -> tuple[Record, bool]:
    """The item after `SetTransactionResult`, and whether the failure asks for a retry
    (an `ApplicationException`). Raises `ItemDataError` for a malformed result."""
    successful = result.get("IsSuccessful")
    if not isinstance(successful, bool):
        raise ItemDataError("transactionResult.IsSuccessful must be true or false.")
    exception = result.get("ProcessingException")
    if exception is not None and not isinstance(exception, dict):
        raise ItemDataError("transactionResult.ProcessingException must be an object.")
    kind = exception.get("Type", "ApplicationException") if exception else None
    if kind is not None and kind not in EXCEPTION_TYPES:
        raise ItemDataError(
            f"ProcessingException.Type must be one of {', '.join(EXCEPTION_TYPES)}."
        )
    changed: Record = {**item, "EndProcessing": orchestrator_time(now)}
    for member, data_member in (("Output", "OutputData"), ("Analytics", "AnalyticsData")):
        value = result.get(member)
        if value is not None:
            if not isinstance(value, dict):
                raise ItemDataError(f"transactionResult.{member} must be an object.")
            changed[member] = value
            changed[data_member] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    progress = result.get("Progress")
    if progress is not None:
        changed["Progress"] = str(progress)
    for member in ("DeferDate", "DueDate"):
        if result.get(member) is not None:
            changed[member] = _date(result, member)
    if successful:
        changed["Status"] = "Successful"
        return stamped(changed, now), False
    changed["Status"] = "Failed"
    if exception is not None:
        changed["ProcessingExceptionType"] = kind
        changed["ProcessingException"] = {
            "Reason": exception.get("Reason"),
            "Details": exception.get("Details"),
            "Type": kind,
            "AssociatedImageFilePath": exception.get("AssociatedImageFilePath"),
            "CreationTime": orchestrator_time(now),
        }
    return stamped(changed, now), kind == "ApplicationException"


def stale(item: Mapping[str, Any], now: float) -> bool:
    """Whether an `InProgress` item has gone 24 hours without a result."""
    start = item.get("StartProcessing")
    return (
        item.get("Status") == "InProgress"
        and start is not None
        and now - parse_time(start) >= ABANDON_AFTER_SECONDS
    )
