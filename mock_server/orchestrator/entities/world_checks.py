"""Checks and completions of a world's records against the tenant's other records, shared by
the sets."""

from collections.abc import Callable, Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.folders.tree import folder_paths

FOLDER_SET = "Folders"
FOLDER_MEMBER = "OrganizationUnitId"


def outside_folders(
    records: list[Any], tenant: Mapping[str, list[Any]]
) -> tuple[int, str, str] | None:
    """The first record whose folder (`OrganizationUnitId`) is no folder of the tenant."""
    folders = {
        folder.get("Id") for folder in tenant.get(FOLDER_SET, []) if isinstance(folder, dict)
    }
    for index, record in enumerate(records):
        folder = record.get(FOLDER_MEMBER)
        if folder not in folders:
            return index, FOLDER_MEMBER, f"no folder of this tenant has Id {folder}"
    return None


def folder_members(tenant: Mapping[str, list[Any]]) -> Callable[[Any], dict[str, Any]]:
    """For a folder Id of the tenant's world: the folder's path and key, as a folder-scoped
    record answers them (`OrganizationUnitFullyQualifiedName`, `FolderKey`)."""
    folders = tenant.get(FOLDER_SET, [])
    keys = {folder.get("Id"): folder.get("Key") for folder in folders if isinstance(folder, dict)}
    paths = folder_paths(folders)

    def members(folder_id: Any) -> dict[str, Any]:
        return {
            "OrganizationUnitFullyQualifiedName": paths.get(folder_id),
            "FolderKey": keys.get(folder_id),
        }

    return members
