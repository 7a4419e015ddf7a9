"""The `Robots` entity set, read-only: the robots a world declares, each with its robot key.

A robot's `LicenseKey` is its robot key (what `UIPATH_ROBOT_KEY` and robot-keyed calls carry).
Folder membership is in the folders' `Access`, so robots are listed tenant-wide: the spec lists
the folder header on these operations, but what the cloud does without one is unconfirmed.
"""

from uipath_emulator.mock_server.orchestrator.entities.registry import (
    EntitySet,
    Operation,
    Record,
    Unique,
)


def _complete(record: Record) -> None:
    record["Password"] = None


ROBOTS = EntitySet(
    name="Robots",
    label="Robot",
    folder_scoped=False,
    operations={Operation.LIST: "/odata/Robots", Operation.GET: "/odata/Robots({key})"},
    unique=(
        Unique(("Name",), "The robot name '{Name}' is already used."),
        Unique(("LicenseKey",), "The robot key is already used."),
    ),
    type_annotation=False,
    complete=_complete,
)
