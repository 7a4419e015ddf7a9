"""The `Machines` entity set: its declaration, and what is particular to machines.

- A machine's `Key` is a new GUID; its `ClientSecret` is never stored: the create answer alone
  shows a fresh one, as Orchestrator returns the robot client secret once.
- `DeleteBulk` deletes all the given machines or, for an unknown id, none (404).
"""

import secrets
import uuid

from uipath_emulator.mock_server.orchestrator.entities import crud
from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext, ActionResult
from uipath_emulator.mock_server.orchestrator.entities.input import (
    check_type_annotation,
    parse_json_object,
)
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    Action,
    EntitySet,
    Operation,
    Record,
    Unique,
)
from uipath_emulator.mock_server.orchestrator.errors import bad_request

COLLECTION = "/odata/Machines"
ENTITY = "/odata/Machines({key})"
DELETE_BULK = "UiPath.Server.Configuration.OData.DeleteBulk"


def _complete(record: Record) -> None:
    if record.get("Key") is None:
        record["Key"] = str(uuid.uuid4())
    record["ClientSecret"] = None


def _present_created(record: Record) -> Record:
    return {**record, "ClientSecret": secrets.token_urlsafe(24)}


def _delete_bulk(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the machines to delete")
    check_type_annotation(body)
    unknown = sorted(set(body) - {"machineIds", "@odata.type"})
    if unknown:
        raise bad_request(f"The property '{unknown[0]}' does not exist on the request type.")
    ids = body.get("machineIds")
    if ids is None or ids == []:
        raise bad_request("Empty machineIds collection in payload")
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    ):
        raise bad_request("The value of 'machineIds' must be an array of integers.")
    crud.delete(context.stores, context.entity_set, list(dict.fromkeys(ids)))
    return ActionResult(204)


MACHINES = EntitySet(
    name="Machines",
    label="Machine",
    folder_scoped=False,
    operations={
        Operation.LIST: COLLECTION,
        Operation.GET: ENTITY,
        Operation.CREATE: COLLECTION,
        Operation.REPLACE: ENTITY,
        Operation.UPDATE: ENTITY,
        Operation.DELETE: ENTITY,
    },
    unique=(Unique(("Name",), "The machine name '{Name}' is already used."),),
    expandable=("RobotUsers", "UpdatePolicy", "MaintenanceWindow", "Tags"),
    actions=(
        Action(
            DELETE_BULK,
            "POST",
            f"{COLLECTION}/{DELETE_BULK}",
            _delete_bulk,
            success_status=204,
            request_schema={
                "type": "object",
                "required": ["machineIds"],
                "properties": {
                    "machineIds": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "integer",
                            "format": "int64",
                            "minimum": -(2**63),
                            "maximum": 2**63 - 1,
                        },
                    },
                    "@odata.type": {"type": "string"},
                },
                "additionalProperties": False,
            },
        ),
    ),
    complete=_complete,
    present_created=_present_created,
)
