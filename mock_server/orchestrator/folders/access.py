"""Who may use which folder: the caller a token stands for, and the folder of a request.

A token with one of an operation's own scopes (`OR.Assets.Read`...) acts in every folder of
its tenant; one that has only `OR.Default` acts in the folders its app is assigned to, with
the permissions of its roles there (orchestrator-core-facts section 0.5). A token that stands
for a robot (an app the world links to one) acts as that robot: in its folders, with its
roles. Either way, a folder-scoped operation needs a folder header (400/1101 without one) that
names a folder the caller may use (400/1100 otherwise); a role without the operation's
permissions is 403.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from uipath_emulator.mock_server.orchestrator.errors import (
    NotAuthorizedError,
    folder_not_accessible,
    folder_required,
)
from uipath_emulator.mock_server.orchestrator.folders.headers import FolderReference
from uipath_emulator.mock_server.orchestrator.folders.roles import allowed
from uipath_emulator.mock_server.orchestrator.folders.tree import FolderTree
from uipath_emulator.mock_server.world.store import TenantStores

FOLDERS = "Folders"
ROBOTS = "Robots"
_TREE = ("derived", "folder tree")
_ROBOTS_BY_KEY = ("derived", "robots by key")
Record = Mapping[str, Any]


@dataclass(frozen=True)
class Caller:
    """Who a request's token stands for in a tenant."""

    client_id: str
    scopes: frozenset[str]
    robot: Record | None = None
    """The tenant's robot the token acts as, if it stands for one."""
    robot_key: str | None = None
    """The robot key the token carries; set even when this tenant has no such robot (then the
    caller may use no folder of it)."""

    @property
    def principals(self) -> list[tuple[str, str]]:
        """How folder assignments name this caller: its app, and its robot."""
        found = [("App", self.client_id)]
        if self.robot is not None:
            found.append(("Robot", str(self.robot["Name"])))
        return found

    def tenant_wide(self, operation_scopes: frozenset[str]) -> bool:
        """Whether the caller acts in every folder for an operation with these scopes."""
        return self.robot_key is None and bool(self.scopes & operation_scopes)


@dataclass(frozen=True)
class FolderScope:
    """The folders an operation runs in: one (a folder header), or several (a cross-folder
    read without one)."""

    folder: Record | None
    folder_ids: frozenset[int]

    def holds(self, record: Record, member: str) -> bool:
        """Whether a record of a folder-scoped set is in scope."""
        return record.get(member) in self.folder_ids


def usable_folders(
    tree: FolderTree,
    caller: Caller,
    scopes: frozenset[str],
    permissions: tuple[frozenset[str], ...],
) -> list[Record]:
    """The folders the caller may run the operation in."""
    if caller.tenant_wide(scopes):
        return list(tree.records)
    principals = caller.principals
    return [
        folder
        for folder in tree.records
        if (roles := tree.roles(folder, principals)) and allowed(roles, permissions)
    ]


def folder_scope(
    tree: FolderTree,
    caller: Caller,
    reference: FolderReference | None,
    scopes: frozenset[str],
    permissions: tuple[frozenset[str], ...],
    *,
    cross_folder: bool = False,
) -> FolderScope:
    """The folder (or, for a cross-folder read, the folders) the operation runs in.

    Raises 400/1101 without a folder header (unless `cross_folder`), 400/1100 for a folder
    the caller may not use, 403 when its roles there lack the operation's permissions.
    """
    if reference is None:
        if not cross_folder:
            raise folder_required()
        usable = usable_folders(tree, caller, scopes, permissions)
        return FolderScope(None, frozenset(folder["Id"] for folder in usable))
    folder = tree.find(reference)
    if folder is None:
        raise folder_not_accessible()
    if not caller.tenant_wide(scopes):
        roles = tree.roles(folder, caller.principals)
        if not roles:
            raise folder_not_accessible()
        if not allowed(roles, permissions):
            raise NotAuthorizedError()
    return FolderScope(folder, frozenset({folder["Id"]}))


def visible_folders(tree: FolderTree, caller: Caller) -> list[Record]:
    """The folders a folder listing shows the caller: those assigned to it, with subfolders."""
    return tree.assigned(caller.principals)


def caller_of(claims: Mapping[str, Any], stores: TenantStores) -> Caller:
    """Who a verified token stands for in the tenant of `stores`."""
    scopes = claims.get("scope", [])
    granted = frozenset(scopes.split() if isinstance(scopes, str) else scopes)
    robot = None
    robot_key = claims.get("robot_key")
    if not isinstance(robot_key, str):
        robot_key = None
    elif ROBOTS in stores:
        robot = _robots_by_key(stores).get(robot_key.casefold())
    return Caller(str(claims.get("client_id", "")), granted, robot, robot_key)


def robot_in_folder(
    stores: TenantStores,
    robot_key: str,
    folder: Record | None,
    permissions: tuple[frozenset[str], ...],
) -> Record | None:
    """The tenant's robot with this key, if its roles in `folder` grant `permissions`."""
    if ROBOTS not in stores or folder is None:
        return None
    robot = _robots_by_key(stores).get(robot_key.casefold())
    if robot is None:
        return None
    roles = folder_tree(stores).roles(folder, [("Robot", str(robot["Name"]))])
    return robot if allowed(roles, permissions) else None


def _robots_by_key(stores: TenantStores) -> dict[str, Record]:
    snapshot, derived = stores[ROBOTS].view()
    found: dict[str, Record] | None = derived.get(_ROBOTS_BY_KEY)
    if found is None:
        found = {
            str(robot["LicenseKey"]).casefold(): robot
            for robot in snapshot
            if robot.get("LicenseKey")
        }
        derived[_ROBOTS_BY_KEY] = found
    return found


def folder_tree(stores: TenantStores) -> FolderTree:
    """The tenant's folder tree now (built once per version of its folders)."""
    if FOLDERS not in stores:
        return FolderTree(())
    snapshot, derived = stores[FOLDERS].view()
    tree: FolderTree | None = derived.get(_TREE)
    if tree is None:
        tree = FolderTree(snapshot)
        derived[_TREE] = tree
    return tree
