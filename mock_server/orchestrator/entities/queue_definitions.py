"""The `QueueDefinitions` entity set: the queues of a folder.

Names are unique in a folder (409/1001). `EnforceUniqueReference` is fixed at creation (the
UI does not let it change; a PUT that changes it is 400). A queue that still holds items (other
than deleted ones, which go with it) is not deleted (400/1012), as UiPath's CLI refuses it.
"""

from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    EntitySet,
    Operation,
    Record,
    Unique,
)
from uipath_emulator.mock_server.orchestrator.entities.world_checks import outside_folders
from uipath_emulator.mock_server.orchestrator.errors import bad_request
from uipath_emulator.mock_server.orchestrator.timestamps import orchestrator_time
from uipath_emulator.mock_server.world.store import TenantWrite

COLLECTION = "/odata/QueueDefinitions"
ENTITY = "/odata/QueueDefinitions({key})"
QUEUE_ITEMS = "QueueItems"
HAS_DEPENDENT_ITEMS = 1012


def _prepare(
    call: ActionContext | None, _write: TenantWrite, record: Record, old: Record | None
) -> Record:
    if old is None:
        if call is not None:
            record["CreationTime"] = orchestrator_time(call.now)
        return record
    if bool(record.get("EnforceUniqueReference")) != bool(old.get("EnforceUniqueReference")):
        raise bad_request("EnforceUniqueReference cannot be changed once the queue exists.")
    return record


def _before_delete(_call: ActionContext | None, write: TenantWrite, record: Record) -> None:
    """Refused while the queue holds an item that is not `Deleted`; its deleted items go
    with it."""
    queue_id = record["Id"]
    items = [
        item for item in write.records(QUEUE_ITEMS) if item.get("QueueDefinitionId") == queue_id
    ]
    if any(item.get("Status") != "Deleted" for item in items):
        raise bad_request(
            f"The queue '{record['Name']}' cannot be deleted: it still has items.",
            HAS_DEPENDENT_ITEMS,
        )
    for item in items:
        write.delete(QUEUE_ITEMS, item["Id"])


QUEUE_DEFINITIONS = EntitySet(
    name="QueueDefinitions",
    label="Queue",
    folder_scoped=True,
    operations={
        Operation.LIST: COLLECTION,
        Operation.GET: ENTITY,
        Operation.CREATE: COLLECTION,
        Operation.REPLACE: ENTITY,
        Operation.DELETE: ENTITY,
    },
    unique=(Unique(("OrganizationUnitId", "Name"), "The name '{Name}' is already used."),),
    type_annotation=False,
    cross_folder_list=True,
    prepare=_prepare,
    before_delete=_before_delete,
    check_loaded=outside_folders,
)
