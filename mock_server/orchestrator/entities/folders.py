"""The `Folders` entity set: the tree, who sees which folder, and the folder functions.

- `FullyQualifiedName` (and `FullyQualifiedNameOrderable`) is the path from the root, kept up to
  date by the emulator: renaming a folder renames the paths of its subfolders in the same
  transaction. `ParentKey` follows `ParentId`; a folder does not move by PUT.
- A caller sees the folders it is assigned to (its app, or its robot, in a folder's `Access`)
  and their subfolders, whatever its scopes (orchestrator-core-facts section 0.5): in listings,
  `GetByKey`, `GetAllForCurrentUser`, and by id. A folder created through the API is assigned
  to the app that created it as `Folder Administrator`, so it can see it.
- A folder with subfolders, or with records of a folder-scoped set, is not deleted (400/1012).
- `/api/FoldersNavigation/GetFoldersForCurrentUser` answers robots; client-credentials apps get
  403, as documented.
"""

import re
from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext, ActionResult
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    Action,
    EntitySet,
    Operation,
    Record,
    Unique,
)
from uipath_emulator.mock_server.orchestrator.errors import (
    ApiError,
    NotAuthorizedError,
    bad_request,
    folder_not_accessible,
    not_found,
)
from uipath_emulator.mock_server.orchestrator.folders.access import folder_tree, visible_folders
from uipath_emulator.mock_server.orchestrator.folders.roles import allowed
from uipath_emulator.mock_server.orchestrator.folders.tree import (
    FolderTree,
    folder_paths,
    full_name,
)
from uipath_emulator.mock_server.orchestrator.representation import entity_context, item
from uipath_emulator.mock_server.orchestrator.spec.subset import operation_permissions
from uipath_emulator.mock_server.world.collation import string_key
from uipath_emulator.mock_server.world.store import TenantWrite

COLLECTION = "/odata/Folders"
ENTITY = "/odata/Folders({key})"
GET_BY_KEY = "UiPath.Server.Configuration.OData.GetByKey"
ALL_FOR_CURRENT_USER = "/api/Folders/GetAllForCurrentUser"
FOR_CURRENT_USER = "/api/FoldersNavigation/GetFoldersForCurrentUser"
HAS_DEPENDENT_ITEMS = 1012
_INTEGER = re.compile(r"-?[0-9]{1,11}")
MAX_TAKE_ALL = 1000
MAX_TAKE_NAVIGATION = 100
CURRENT_USER_MEMBERS = (
    "Key",
    "DisplayName",
    "FullyQualifiedName",
    "Description",
    "FolderType",
    "ParentId",
    "ParentKey",
    "Id",
)
"""What `GetAllForCurrentUser` shows of a folder (`CurrentUserFolderDto`)."""


def _visible(call: ActionContext) -> Any:
    if call.caller is None:
        return lambda _record: True
    shown = {folder["Id"] for folder in visible_folders(folder_tree(call.stores), call.caller)}
    return lambda record: record["Id"] in shown


def _check_role(
    call: ActionContext | None, folder: Record | None, spec_path: str, method: str
) -> None:
    """For a caller whose folder roles decide (`OR.Default`, a robot): 400/1100 for a folder
    it may not use, 403 when its roles there lack the operation's permission. A root folder
    needs a tenant role, which the emulator grants no such caller."""
    if call is None or call.caller is None:
        return
    if call.caller.tenant_wide(FOLDERS.scopes(spec_path, method)):
        return
    if folder is None:
        raise NotAuthorizedError()
    roles = folder_tree(call.stores).roles(folder, call.caller.principals)
    if not roles:
        raise folder_not_accessible()
    if not allowed(roles, operation_permissions(spec_path, method)):
        raise NotAuthorizedError()


def _prepare(
    call: ActionContext | None, write: TenantWrite, record: Record, old: Record | None
) -> Record:
    """Path members from the parent; on a rename, the subfolders' paths too."""
    if "/" in str(record.get("DisplayName", "")):
        raise bad_request("A folder's DisplayName cannot contain '/': it separates paths.")
    if old is not None:
        _check_role(call, old, ENTITY, "PUT")
        record["ParentId"] = old.get("ParentId")
    parent = None
    if record.get("ParentId") is not None:
        try:
            parent = write.get("Folders", record["ParentId"])
        except LookupError:
            raise folder_not_accessible() from None
    if old is None:
        _check_role(call, parent, COLLECTION, "POST")
    record["ParentKey"] = parent["Key"] if parent is not None else None
    path = full_name(parent, str(record["DisplayName"]))
    record["FullyQualifiedName"] = path
    record["FullyQualifiedNameOrderable"] = path
    if old is None and call is not None and call.caller is not None:
        tree = folder_tree(call.stores)
        inherited = parent is not None and tree.roles(parent, call.caller.principals)
        if not inherited:
            app = {"App": call.caller.client_id, "Role": "Folder Administrator"}
            record["Access"] = [*(record.get("Access") or []), app]
    if old is not None and old.get("FullyQualifiedName") != path:
        _rename_subfolders(write, old, path)
    return record


def _rename_subfolders(write: TenantWrite, old: Record, path: str) -> None:
    tree = FolderTree(write.records("Folders"))
    prefix = f"{old['FullyQualifiedName']}/"
    for child in tree.descendants(old):
        child_path = path + "/" + str(child["FullyQualifiedName"]).removeprefix(prefix)
        write.put(
            "Folders",
            {**child, "FullyQualifiedName": child_path, "FullyQualifiedNameOrderable": child_path},
        )


def _check_loaded(
    records: list[Any], _tenant: Mapping[str, list[Any]]
) -> tuple[int, str, str] | None:
    """Each parent exists, no folder is its own ancestor, no two folders have one path."""
    ids = {record.get("Id") for record in records if isinstance(record, dict)}
    parents = {
        record.get("Id"): record.get("ParentId") for record in records if isinstance(record, dict)
    }
    for index, record in enumerate(records):
        parent = record.get("ParentId")
        if parent is None:
            continue
        if parent not in ids:
            return index, "ParentId", f"no folder of this tenant has Id {parent}"
        seen = {record.get("Id")}
        while parent is not None:
            if parent in seen:
                return index, "ParentId", "the folder would be its own ancestor"
            seen.add(parent)
            parent = parents.get(parent)
    by_path: dict[str, int] = {}
    # a folder without an Id gets one when loaded; here its position stands in for it
    named = [
        {**record, "Id": record.get("Id", ("new", index))} for index, record in enumerate(records)
    ]
    paths = folder_paths(named)
    for index, record in enumerate(named):
        first = by_path.setdefault(string_key(paths[record["Id"]]), index)
        if first != index:
            return index, "DisplayName", f"the path is already used by folder [{first}]"
    return None


def _complete_loaded(records: list[Record], _tenant: Mapping[str, list[Any]]) -> list[Record]:
    """Paths and parent keys, from `DisplayName` and `ParentId`."""
    paths = folder_paths(records)
    keys = {record["Id"]: record.get("Key") for record in records}
    return [
        {
            **record,
            "FullyQualifiedName": paths[record["Id"]],
            "FullyQualifiedNameOrderable": paths[record["Id"]],
            "ParentKey": keys.get(record.get("ParentId")),
        }
        for record in records
    ]


def _before_delete(call: ActionContext | None, write: TenantWrite, record: Record) -> None:
    _check_role(call, record, ENTITY, "DELETE")
    folder_id = record["Id"]
    if any(folder.get("ParentId") == folder_id for folder in write.records("Folders")):
        raise _has_content(record)
    stores = write.stores
    for name in stores.names():
        entity_set = stores[name].spec
        if not isinstance(entity_set, EntitySet) or not entity_set.folder_scoped:
            continue
        member = entity_set.folder_member
        if any(other.get(member) == folder_id for other in write.records(name)):
            raise _has_content(record)


def _has_content(record: Record) -> ApiError:
    return bad_request(
        f"The folder '{record['FullyQualifiedName']}' cannot be deleted: it still has "
        "subfolders or entities.",
        HAS_DEPENDENT_ITEMS,
    )


def _get_by_key(context: ActionContext) -> ActionResult:
    identifier = context.parameters.get("identifier", "").strip("'").casefold()
    shows = _visible(context)
    for folder in context.stores["Folders"].snapshot():
        if str(folder.get("Key", "")).casefold() == identifier and shows(folder):
            answer = {
                "@odata.context": entity_context(context.service_root, FOLDERS, None),
                **item(FOLDERS, folder),
            }
            return ActionResult(200, answer)
    raise not_found(FOLDERS.not_found_message(identifier))


def _page_arguments(context: ActionContext, limit: int) -> tuple[int, int]:
    values = []
    for name, default in (("skip", 0), ("take", limit)):
        text = context.parameters.get(name)
        if text is None:
            values.append(default)
            continue
        if not _INTEGER.fullmatch(text) or not -(2**31) <= int(text) < 2**31:
            raise bad_request(f"The value '{text}' is not valid for {name}.")
        values.append(int(text))
    skip, take = values
    if take < 0 or take > limit:
        raise bad_request(f"The field take must be between 0 and {limit}", 1009)
    if skip < 0:
        raise bad_request("The field skip must be 0 or more", 1009)
    return skip, take


def _all_for_current_user(context: ActionContext) -> ActionResult:
    skip, take = _page_arguments(context, MAX_TAKE_ALL)
    folders = _sorted_visible(context)
    page = [{name: folder.get(name) for name in CURRENT_USER_MEMBERS} for folder in folders]
    return ActionResult(200, {"PageItems": page[skip : skip + take], "Count": len(page)})


def _for_current_user(context: ActionContext) -> ActionResult:
    if context.caller is None or context.caller.robot is None:
        raise NotAuthorizedError()  # "does not support client credentials authentication"
    skip, take = _page_arguments(context, MAX_TAKE_NAVIGATION)
    search = context.parameters.get("searchText", "").casefold()
    kinds = {kind for kind in context.parameters.get("folderTypes", "").split(",") if kind}
    folders = [
        folder
        for folder in _sorted_visible(context)
        if search in str(folder.get("DisplayName", "")).casefold()
        and (not kinds or folder.get("FolderType") in kinds)
    ]
    page = [
        {"FolderPath": folder.get("FullyQualifiedName"), **item(FOLDERS, folder)}
        for folder in folders
    ]
    return ActionResult(200, {"PageItems": page[skip : skip + take], "Count": len(page)})


def _sorted_visible(context: ActionContext) -> list[Record]:
    shows = _visible(context)
    folders = [folder for folder in context.stores["Folders"].snapshot() if shows(folder)]
    return sorted(folders, key=lambda folder: str(folder["FullyQualifiedName"]).casefold())


def _count_schema(maximum: int | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "format": "int32", "minimum": 0}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def _page_schema(items: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "PageItems": {"type": "array", "items": {"type": "object", "description": items}},
            "Count": {"type": "integer", "format": "int32"},
        },
    }


FOLDERS = EntitySet(
    name="Folders",
    label="Folder",
    folder_scoped=False,
    operations={
        Operation.LIST: COLLECTION,
        Operation.GET: ENTITY,
        Operation.CREATE: COLLECTION,
        Operation.REPLACE: ENTITY,
        Operation.DELETE: ENTITY,
    },
    unique=(Unique(("FullyQualifiedName",), "The name '{DisplayName}' is already used."),),
    type_annotation=False,
    visible=_visible,
    prepare=_prepare,
    before_delete=_before_delete,
    check_loaded=_check_loaded,
    complete_loaded=_complete_loaded,
    actions=(
        Action(
            GET_BY_KEY,
            "GET",
            f"{COLLECTION}/{GET_BY_KEY}(identifier={{identifier}})",
            _get_by_key,
            writes=False,
            parameters="(identifier=<identifier>)",
        ),
        Action(
            "GetAllForCurrentUser",
            "GET",
            ALL_FOR_CURRENT_USER,
            _all_for_current_user,
            writes=False,
            route=ALL_FOR_CURRENT_USER,
            query={"take": _count_schema(MAX_TAKE_ALL), "skip": _count_schema(None)},
            response_schema=_page_schema("CurrentUserFolderDto"),
        ),
        Action(
            "GetFoldersForCurrentUser",
            "GET",
            FOR_CURRENT_USER,
            _for_current_user,
            writes=False,
            route=FOR_CURRENT_USER,
            query={
                "skip": _count_schema(None),
                "take": _count_schema(MAX_TAKE_NAVIGATION),
                "searchText": None,
                "folderTypes": {"type": "string", "description": "Comma-separated FolderType"},
            },
            response_schema=_page_schema("PathAwareFolderDto"),
        ),
    ),
)
