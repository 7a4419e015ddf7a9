"""What the dashboard shows of queues: each tenant's queues, with their folder and how many of
their items are in each status (item contents are never shown).
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from uipath_emulator.mock_server.world import World

STATUSES = ("New", "InProgress", "Failed", "Successful", "Abandoned", "Retried", "Deleted")
"""QueueItem statuses in the order Orchestrator documents them: the dashboard's columns."""


def _queue_rows(
    queues: Sequence[Mapping[str, Any]],
    items: Sequence[Mapping[str, Any]],
    folders: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    paths = {
        folder.get("Id"): str(folder.get("FullyQualifiedName") or folder.get("DisplayName") or "")
        for folder in folders
    }
    counts: dict[Any, Counter[str]] = {}
    for item in items:
        counts.setdefault(item.get("QueueDefinitionId"), Counter())[str(item.get("Status"))] += 1
    rows = []
    for queue in sorted(
        queues, key=lambda q: (paths.get(q.get("OrganizationUnitId"), ""), q["Id"])
    ):
        held = counts.get(queue.get("Id"), Counter())
        rows.append(
            {
                "id": queue.get("Id"),
                "name": queue.get("Name"),
                "folder": paths.get(queue.get("OrganizationUnitId"), ""),
                "counts": {status: held[status] for status in STATUSES},
                "total": sum(held.values()),
            }
        )
    return rows


def queue_view(world: World) -> list[dict[str, Any]]:
    """Each tenant holding queues: its queues by folder path, each with its items per status."""
    tenants = []
    for organization in world.organizations:
        for tenant in organization.tenants:
            if "QueueDefinitions" not in tenant.entities:
                continue
            queues = tenant.store("QueueDefinitions").snapshot()
            items = tenant.store("QueueItems").snapshot() if "QueueItems" in tenant.entities else []
            folders = tenant.store("Folders").snapshot() if "Folders" in tenant.entities else []
            tenants.append(
                {
                    "organization": organization.name,
                    "tenant": tenant.name,
                    "queues": _queue_rows(queues, items, folders),
                }
            )
    return tenants
