"""What the dashboard shows of folders: each tenant's folder tree, and each folder's assets with
no password or secret in them (only chosen columns, and a mask where a secret is stored).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from uipath_emulator.mock_server.control.summary import SECRET_MASK
from uipath_emulator.mock_server.world import World

ASSET_COLUMNS = ("Id", "Name", "ValueType", "Value", "Description")
"""The members of an asset the dashboard shows; never `CredentialPassword`, `SecretValue` or
the emulator members that keep them."""
ASSETS_SHOWN = 50
"""Assets listed under one folder; the rest are counted."""
DEEPEST_INDENT = 8
"""Folders deeper than this are indented as much as this (their path is shown whole)."""


def _path_key(folder: Mapping[str, Any]) -> tuple[str, ...]:
    """Sorts a folder right after its parent, siblings by name ignoring case."""
    path = str(folder.get("FullyQualifiedName") or folder.get("DisplayName") or "")
    return tuple(segment.casefold() for segment in path.split("/"))


def shown_asset(asset: Mapping[str, Any], secret_members: Iterable[str]) -> dict[str, Any]:
    """An asset's shown columns, and `Secret`: the mask when it keeps a password or secret."""
    row = {column: asset.get(column) for column in ASSET_COLUMNS}
    row["Secret"] = SECRET_MASK if any(asset.get(member) for member in secret_members) else ""
    return row


def _folder_rows(
    folders: Sequence[Mapping[str, Any]],
    assets: Sequence[Mapping[str, Any]],
    secret_members: Sequence[str],
) -> list[dict[str, Any]]:
    by_folder: dict[Any, list[Mapping[str, Any]]] = defaultdict(list)
    for asset in assets:
        by_folder[asset.get("OrganizationUnitId")].append(asset)
    rows = []
    for folder in sorted(folders, key=_path_key):
        path = str(folder.get("FullyQualifiedName") or folder.get("DisplayName") or "")
        held = by_folder.get(folder.get("Id"), [])
        rows.append(
            {
                "id": folder.get("Id"),
                "name": folder.get("DisplayName"),
                "path": path,
                "depth": min(path.count("/"), DEEPEST_INDENT),
                "asset_count": len(held),
                "assets": [shown_asset(asset, secret_members) for asset in held[:ASSETS_SHOWN]],
            }
        )
    return rows


def folder_view(world: World, secret_members: Sequence[str]) -> list[dict[str, Any]]:
    """Each tenant holding folders: its folders in tree order, each with its assets shown.

    `secret_members` are the Assets set's members that keep passwords and secrets (its
    overlay's `secret_members`): shown only as a mask.
    """
    tenants = []
    for organization in world.organizations:
        for tenant in organization.tenants:
            if "Folders" not in tenant.entities:
                continue
            assets = tenant.store("Assets").snapshot() if "Assets" in tenant.entities else []
            folders = tenant.store("Folders").snapshot()
            tenants.append(
                {
                    "organization": organization.name,
                    "tenant": tenant.name,
                    "folders": _folder_rows(folders, assets, secret_members),
                }
            )
    return tenants
