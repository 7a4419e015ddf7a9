"""The folder roles the emulator knows, as the permissions each grants.

Orchestrator's roles are configurable; a world names one of these built-in ones in a folder's
`Access`. Permissions are the spec's names (`Assets.View`, `Transactions.Edit`...).
"""

from collections.abc import Iterable

ROLES: dict[str, frozenset[str]] = {
    "Folder Administrator": frozenset({"*"}),
    "Automation User": frozenset(
        {
            "Assets.View",
            "Assets.Edit",
            "Buckets.View",
            "BlobFiles.View",
            "BlobFiles.Create",
            "Jobs.View",
            "Jobs.Create",
            "Jobs.Edit",
            "Processes.View",
            "Queues.View",
            "Transactions.View",
            "Transactions.Create",
            "Transactions.Edit",
            "Robots.View",
            "SubFolders.View",
        }
    ),
    "Viewer": frozenset({"*.View"}),
}
"""Role name -> granted permissions (`*` every one, `*.View` every view permission)."""


def grants(role: str, permission: str) -> bool:
    """Whether `role` grants `permission`."""
    granted = ROLES.get(role, frozenset())
    return (
        permission in granted
        or "*" in granted
        or ("*.View" in granted and permission.endswith(".View"))
    )


def allowed(roles: Iterable[str], required: tuple[frozenset[str], ...]) -> bool:
    """Whether the roles together grant one permission of every required group."""
    held = tuple(roles)
    return all(any(grants(role, name) for role in held for name in group) for group in required)
