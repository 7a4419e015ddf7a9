"""Checks of a world's records against the tenant's other records, shared by the sets."""

from collections.abc import Mapping
from typing import Any

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
