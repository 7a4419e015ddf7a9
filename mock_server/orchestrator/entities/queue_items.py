"""The `QueueItems` entity set and the queue actions under `/odata/Queues`.

- Items are listed (across the caller's folders without a folder header), read, and deleted
  while `New` (a soft delete: the item stays, `Deleted`); they are made by `AddQueueItem`,
  `BulkAddQueueItems` and `StartTransaction` and change by `SetTransactionProgress` and
  `SetTransactionResult` (`queue_transactions` holds the rules).
- `StartTransaction` hands items to robots only: a robot's token, or a `RobotIdentifier` naming
  a robot assigned to the folder. Any other caller gets 204, as the cloud answers user and
  application identities (orchestrator-core-facts section 3.5).
- Unknown queue: 404/1002 "<name> does not exist."; a duplicate reference on a queue with
  unique references: 409/1016; a result for an item in a final state: 409.
"""

from collections.abc import Callable, Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities.actions import (
    ActionContext,
    ActionResult,
    post_action,
)
from uipath_emulator.mock_server.orchestrator.entities.crud import translated
from uipath_emulator.mock_server.orchestrator.entities.input import parse_json_object
from uipath_emulator.mock_server.orchestrator.entities.queue_transactions import (
    FINAL,
    ItemDataError,
    checked_item_data,
    duplicate_reference,
    finished,
    new_item,
    next_item,
    retries_left,
    retry_copy,
    specific_data,
    stale,
    stamped,
    started,
)
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    EntitySet,
    Operation,
    Record,
)
from uipath_emulator.mock_server.orchestrator.errors import (
    DUPLICATE_REFERENCE,
    ITEM_NOT_FOUND,
    ApiError,
    bad_request,
    not_found,
)
from uipath_emulator.mock_server.orchestrator.folders.access import folder_tree, robot_in_folder
from uipath_emulator.mock_server.orchestrator.folders.tree import folder_paths
from uipath_emulator.mock_server.orchestrator.representation import entity_context, item
from uipath_emulator.mock_server.world.collation import string_key
from uipath_emulator.mock_server.world.store import TenantWrite

COLLECTION = "/odata/QueueItems"
ENTITY = "/odata/QueueItems({key})"
QUEUES = "/odata/Queues"
SERVICE = "UiPathODataSvc"
QUEUE_DEFINITIONS = "QueueDefinitions"
ITEMS = "QueueItems"
DUPLICATE_REFERENCE_MESSAGE = "Error creating Transaction. Duplicate Reference."
BY_STATUS = "queue and status"
BY_REFERENCE = "queue and reference"
TRANSACTIONS = (frozenset({"Transactions.Edit"}),)
"""What a robot named by `RobotIdentifier` must hold in the folder to be given an item."""
COMMIT_TYPES = ("AllOrNothing", "StopOnFirstFailure", "ProcessAllIndependently")
MAX_BULK_ITEMS = 15_000


def _queue(write: TenantWrite, context: ActionContext, name: Any) -> Record:
    """The queue of the call's folder with this name; 404/1002 otherwise."""
    if not isinstance(name, str) or not name.strip():
        raise bad_request("The queue Name is required.")
    folder = context.scope.folder if context.scope is not None else None
    wanted = string_key(name)
    for queue in write.records(QUEUE_DEFINITIONS):
        if folder is not None and queue.get("OrganizationUnitId") != folder["Id"]:
            continue
        if string_key(str(queue["Name"])) == wanted:
            return queue
    raise ApiError(404, f"{name} does not exist.", ITEM_NOT_FOUND)


def _abandon_stale(write: TenantWrite, queue: Record, now: float) -> None:
    """Items of the queue in progress for 24 hours become `Abandoned` (retried if the queue
    retries abandoned items)."""
    for record in write.bucket(ITEMS, BY_STATUS, (queue["Id"], "InProgress")):
        if not stale(record, now):
            continue
        write.put(ITEMS, stamped({**record, "Status": "Abandoned"}, now))
        if queue.get("RetryAbandonedItems") and retries_left(record, queue):
            copy = retry_copy(record, write.new_id(ITEMS), now)
            write.put(ITEMS, QUEUE_ITEMS.record(copy, copy["Id"]))


def _abandon_first(context: ActionContext, find_queue: Callable[[TenantWrite], Record]) -> None:
    """Abandon the queue's stale items in a transaction of their own, so that a refusal of the
    action that follows (a duplicate reference, a final item) does not undo it."""
    with translated(QUEUE_ITEMS), context.stores.write() as write:
        _abandon_stale(write, find_queue(write), context.now)


def _created_answer(context: ActionContext, record: Record, status: int = 201) -> ActionResult:
    shown = {**record, "OrganizationUnitFullyQualifiedName": None}  # filled in listings only
    answer = {"@odata.context": entity_context(context.service_root, QUEUE_ITEMS, None)}
    answer.update(item(QUEUE_ITEMS, shown))
    headers = (
        {"Location": f"{context.service_root}/{ITEMS}({record['Id']})"} if status == 201 else {}
    )
    return ActionResult(status, answer, headers)


def _add(
    write: TenantWrite, context: ActionContext, queue: Record, data: Mapping[str, Any]
) -> Record:
    """Store a new item of `queue` (409/1016 for a duplicate reference on a unique queue)."""
    reference = data.get("Reference")
    same_reference = (
        write.bucket(ITEMS, BY_REFERENCE, (queue["Id"], string_key(reference)))
        if queue.get("EnforceUniqueReference") and reference is not None
        else []
    )
    if duplicate_reference(same_reference, queue["Id"], reference):
        raise ApiError(409, DUPLICATE_REFERENCE_MESSAGE, DUPLICATE_REFERENCE)
    folder = folder_tree(context.stores).get(queue.get("OrganizationUnitId")) or {"Id": None}
    fields = new_item(write.new_id(ITEMS), queue, folder, data)
    record = QUEUE_ITEMS.record(fields, fields["Id"])
    return write.put(ITEMS, stamped(record, context.now, created=True))


def _item_data(body: Mapping[str, Any], member: str, *, name_required: bool) -> dict[str, Any]:
    try:
        return checked_item_data(body.get(member), name_required=name_required)
    except ItemDataError as error:
        message = str(error).replace("itemData", member)
        raise bad_request(message, 0 if message.startswith(";") else 1000) from None


def _add_queue_item(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the item to add")
    data = _item_data(body, "itemData", name_required=True)
    _abandon_first(context, lambda write: _queue(write, context, data["Name"]))
    with translated(QUEUE_ITEMS), context.stores.write() as write:
        queue = _queue(write, context, data["Name"])
        record = _add(write, context, queue, data)
    return _created_answer(context, record)


def _bulk_add(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the items to add")
    commit = body.get("commitType")
    if commit not in COMMIT_TYPES:
        raise bad_request(f"commitType must be one of {', '.join(COMMIT_TYPES)}.")
    items = body.get("queueItems")
    if not isinstance(items, list) or len(items) > MAX_BULK_ITEMS:
        raise bad_request(f"queueItems must be an array of at most {MAX_BULK_ITEMS:,} items.")
    failed: list[dict[str, Any]] = []
    _abandon_first(context, lambda write: _queue(write, context, body.get("queueName")))
    try:
        with translated(QUEUE_ITEMS), context.stores.write() as write:
            queue = _queue(write, context, body.get("queueName"))
            for ordinal, raw in enumerate(items):
                try:
                    _add(write, context, queue, checked_item_data(raw, name_required=False))
                except ItemDataError as error:
                    failed.append(_failure(ordinal, "InvalidRequest", str(error)))
                except ApiError as error:
                    failed.append(_failure(ordinal, "DuplicateReference", error.message))
                if failed and commit == "StopOnFirstFailure":
                    break
            if failed and commit == "AllOrNothing":
                raise _RolledBack
    except _RolledBack:
        pass
    answer = {"Success": not failed, "Message": None, "FailedItems": failed}
    return ActionResult(200, answer)


class _RolledBack(Exception):
    """Leaves an all-or-nothing bulk add's transaction without committing it."""


def _failure(ordinal: int, code: str, message: str) -> dict[str, Any]:
    return {"Ordinal": ordinal, "ErrorCode": code, "ErrorMessage": message}


def _robot(context: ActionContext, identifier: Any) -> Record | None:
    """The robot the transaction is for: the caller's, else `RobotIdentifier`'s if that robot
    may work on transactions in the folder."""
    if context.caller is not None and context.caller.robot is not None:
        return dict(context.caller.robot)
    if not isinstance(identifier, str) or context.scope is None:
        return None
    robot = robot_in_folder(context.stores, identifier, context.scope.folder, TRANSACTIONS)
    return dict(robot) if robot is not None else None


def _start_transaction(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the transaction")
    data = body.get("transactionData")
    if not isinstance(data, dict):
        raise bad_request("; transactionData must not be null", 0)
    option = data.get("ReferenceFilterOption") or "Equals"
    if option not in ("Equals", "StartsWith"):
        raise bad_request("ReferenceFilterOption must be Equals or StartsWith.")
    robot = _robot(context, data.get("RobotIdentifier"))
    item_data = {
        k: v for k, v in data.items() if k not in ("RobotIdentifier", "ReferenceFilterOption")
    }
    _abandon_first(context, lambda write: _queue(write, context, data.get("Name")))
    with translated(QUEUE_ITEMS), context.stores.write() as write:
        queue = _queue(write, context, data.get("Name"))
        if robot is None:
            return ActionResult(204)
        if data.get("SpecificContent") is not None:
            try:
                checked = checked_item_data(item_data, name_required=True)
            except ItemDataError as error:
                raise bad_request(str(error)) from None
            chosen: Mapping[str, Any] | None = _add(write, context, queue, checked)
        else:
            reference = data.get("Reference")
            chosen = next_item(
                write.bucket(ITEMS, BY_STATUS, (queue["Id"], "New")),
                queue["Id"],
                context.now,
                reference if isinstance(reference, str) else None,
                option,
            )
        if chosen is None:
            return ActionResult(204)
        record = write.put(ITEMS, started(chosen, robot, context.now))
    return _created_answer(context, record, 200)


def _in_folder(write: TenantWrite, context: ActionContext) -> Record:
    try:
        record = write.get(ITEMS, context.key)
    except LookupError:
        raise not_found(QUEUE_ITEMS.not_found_message(context.key)) from None
    if context.scope is not None and not context.scope.holds(record, "OrganizationUnitId"):
        raise not_found(QUEUE_ITEMS.not_found_message(context.key))
    return record


def _queue_of(write: TenantWrite, record: Mapping[str, Any]) -> Record:
    return write.get(QUEUE_DEFINITIONS, record["QueueDefinitionId"])


def _set_progress(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the progress")
    progress = body.get("progress")
    if progress is not None and not isinstance(progress, str):
        raise bad_request("progress must be a string.")
    _abandon_first(context, lambda write: _queue_of(write, _in_folder(write, context)))
    with translated(QUEUE_ITEMS), context.stores.write() as write:
        record = _in_folder(write, context)
        if record.get("Status") != "InProgress":
            raise bad_request(
                f"The progress of a queue item can change only while it is InProgress; "
                f"it is {record.get('Status')}."
            )
        write.put(ITEMS, stamped({**record, "Progress": progress}, context.now))
    return ActionResult(200)


def _set_result(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the transaction result")
    result = body.get("transactionResult")
    if not isinstance(result, dict):
        raise bad_request("; transactionResult must not be null", 0)
    _abandon_first(context, lambda write: _queue_of(write, _in_folder(write, context)))
    with translated(QUEUE_ITEMS), context.stores.write() as write:
        record = _in_folder(write, context)
        queue = _queue_of(write, record)
        status = record.get("Status")
        if status in FINAL:
            raise ApiError(
                409, f"The queue item is {status}: the result of a final item cannot change.", 0
            )
        if status != "InProgress":
            raise bad_request(f"The queue item is {status}: only an item in progress has a result.")
        try:
            changed, retry = finished(record, result, context.now)
        except ItemDataError as error:
            raise bad_request(str(error)) from None
        if retry and queue.get("AcceptAutomaticallyRetry") and retries_left(record, queue):
            changed = stamped({**changed, "Status": "Retried"}, context.now)
            copy = retry_copy(changed, write.new_id(ITEMS), context.now)
            write.put(ITEMS, QUEUE_ITEMS.record(copy, copy["Id"]))
        write.put(ITEMS, changed)
    return ActionResult(200)


def _by_status(record: Record) -> tuple[Any, Any]:
    return record.get("QueueDefinitionId"), record.get("Status")


def _by_reference(record: Record) -> tuple[Any, str] | None:
    reference = record.get("Reference")
    if reference is None:
        return None
    return record.get("QueueDefinitionId"), string_key(str(reference))


def _before_delete(call: ActionContext | None, _write: TenantWrite, record: Record) -> Record:
    if record.get("Status") != "New":
        raise bad_request(
            f"Only a New queue item can be deleted; this one is {record.get('Status')}."
        )
    return stamped({**record, "Status": "Deleted"}, call.now if call is not None else None)


def _prepare(
    call: ActionContext | None, write: TenantWrite, record: Record, old: Record | None
) -> Record:
    """An item the harness seeds or changes: its queue's folder and name, its content as
    `SpecificData`, its status change in `History`."""
    try:
        queue = write.get(QUEUE_DEFINITIONS, record.get("QueueDefinitionId"))
    except LookupError:
        raise bad_request("A queue item needs the QueueDefinitionId of a queue.") from None
    if record.get("OrganizationUnitId") not in (None, queue.get("OrganizationUnitId")):
        raise bad_request("A queue item is in its queue's folder.")
    try:
        checked = checked_item_data(
            {"SpecificContent": record.get("SpecificContent"), "Priority": record.get("Priority")},
            name_required=False,
        )
    except ItemDataError as error:
        raise bad_request(str(error)) from None
    folder = write.get("Folders", queue.get("OrganizationUnitId"))
    record.update(
        OrganizationUnitId=queue.get("OrganizationUnitId"),
        OrganizationUnitFullyQualifiedName=folder.get("FullyQualifiedName"),
        QueueDefinitionName=queue["Name"],
        Encrypted=bool(queue.get("Encrypted")),
        SpecificData=specific_data(checked["SpecificContent"]),
    )
    return stamped(record, call.now if call is not None else None, created=old is None)


def _check_loaded(
    records: list[Any], tenant: Mapping[str, list[Any]]
) -> tuple[int, str, str] | None:
    """Each item in a queue of the tenant, in that queue's folder."""
    queues = {
        queue.get("Id"): queue
        for queue in tenant.get(QUEUE_DEFINITIONS, [])
        if isinstance(queue, dict)
    }
    for index, record in enumerate(records):
        queue = queues.get(record.get("QueueDefinitionId"))
        if queue is None:
            queue_id = record.get("QueueDefinitionId")
            return index, "QueueDefinitionId", f"no queue of this tenant has Id {queue_id}"
        folder = record.get("OrganizationUnitId")
        if folder is not None and folder != queue.get("OrganizationUnitId"):
            return index, "OrganizationUnitId", "the item is not in its queue's folder"
    return None


def _complete_loaded(records: list[Record], tenant: Mapping[str, list[Any]]) -> list[Record]:
    """Folder and its path, queue name and `SpecificData` from the world's folders, queues
    and content."""
    queues = {queue.get("Id"): queue for queue in tenant.get(QUEUE_DEFINITIONS, [])}
    paths = folder_paths(tenant.get("Folders", []))
    completed = []
    for record in records:
        queue = queues.get(record.get("QueueDefinitionId"), {})
        folder = record.get("OrganizationUnitId") or queue.get("OrganizationUnitId")
        completed.append(
            {
                **record,
                "OrganizationUnitId": folder,
                "OrganizationUnitFullyQualifiedName": record.get(
                    "OrganizationUnitFullyQualifiedName"
                )
                or paths.get(folder),
                "QueueDefinitionName": queue.get("Name"),
                "SpecificData": record.get("SpecificData")
                or specific_data(record.get("SpecificContent")),
                "Encrypted": bool(queue.get("Encrypted")),
            }
        )
    return completed


QUEUE_ITEMS = EntitySet(
    name="QueueItems",
    label="QueueItem",
    folder_scoped=True,
    operations={
        Operation.LIST: COLLECTION,
        Operation.GET: ENTITY,
        Operation.DELETE: ENTITY,
    },
    type_annotation=False,
    cross_folder_list=True,
    filter_only=("QueueDefinitionName",),
    buckets={BY_STATUS: _by_status, BY_REFERENCE: _by_reference},
    expandable=("Robot", "ReviewerUser"),
    before_delete=_before_delete,
    prepare=_prepare,
    harness_writable=frozenset(
        {"QueueDefinitionId", "Status", "RetryNumber", "AncestorId", "StartProcessing"}
    ),
    check_loaded=_check_loaded,
    complete_loaded=_complete_loaded,
    actions=(
        post_action(
            f"{SERVICE}.AddQueueItem",
            _add_queue_item,
            route=f"{QUEUES}/{SERVICE}.AddQueueItem",
            status=201,
        ),
        post_action(
            f"{SERVICE}.BulkAddQueueItems",
            _bulk_add,
            route=f"{QUEUES}/{SERVICE}.BulkAddQueueItems",
        ),
        post_action(
            f"{SERVICE}.StartTransaction",
            _start_transaction,
            route=f"{QUEUES}/{SERVICE}.StartTransaction",
        ),
        post_action(
            f"{SERVICE}.SetTransactionResult",
            _set_result,
            route=f"{QUEUES}(<key>)/{SERVICE}.SetTransactionResult",
            on_entity=True,
        ),
        post_action(
            f"{SERVICE}.SetTransactionProgress",
            _set_progress,
            route=f"{COLLECTION}(<key>)/{SERVICE}.SetTransactionProgress",
            on_entity=True,
        ),
    ),
)
