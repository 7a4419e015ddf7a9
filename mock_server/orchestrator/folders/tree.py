"""A tenant's folder tree, read from its `Folders` records: look-ups by id, key and path.

Paths (`FullyQualifiedName`, e.g. `Finance/Invoices`) compare as SQL Server compares names:
case-insensitive, trailing spaces ignored. Each folder's `Access` (an emulator member) lists
who is assigned to it with which role; subfolders inherit their ancestors' assignments.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from uipath_emulator.mock_server.orchestrator.folders.headers import FolderReference
from uipath_emulator.mock_server.world.collation import string_key

Record = Mapping[str, Any]
PATH_SEPARATOR = "/"


def full_name(parent: Record | None, display_name: str) -> str:
    """`FullyQualifiedName` of a folder named `display_name` under `parent`."""
    if parent is None:
        return display_name
    return f"{parent['FullyQualifiedName']}{PATH_SEPARATOR}{display_name}"


def folder_paths(records: Iterable[Any]) -> dict[Any, str]:
    """Each folder's path (`FullyQualifiedName`) by Id, from `DisplayName` and `ParentId` alone
    (a world's folders, whose parents were checked to exist and form no cycle)."""
    by_id = {
        record.get("Id"): record
        for record in records
        if isinstance(record, Mapping) and record.get("Id") is not None
    }
    paths: dict[Any, str] = {}

    def path(folder_id: Any) -> str:
        if folder_id not in paths:
            folder = by_id[folder_id]
            parent_id = folder.get("ParentId")
            parent = {"FullyQualifiedName": path(parent_id)} if parent_id in by_id else None
            paths[folder_id] = full_name(parent, str(folder.get("DisplayName", "")))
        return paths[folder_id]

    for folder_id in by_id:
        path(folder_id)
    return paths


class FolderTree:
    """The folders of one tenant at one moment (built from one snapshot, never changed)."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = records
        self._by_id: dict[int, Record] = {record["Id"]: record for record in records}
        self._by_key: dict[str, Record] = {
            str(record["Key"]).casefold(): record for record in records if record.get("Key")
        }
        self._by_path: dict[str, Record] = {
            string_key(str(record["FullyQualifiedName"])): record
            for record in records
            if record.get("FullyQualifiedName")
        }
        self._children: dict[int | None, list[Record]] = {}
        for record in records:
            self._children.setdefault(record.get("ParentId"), []).append(record)

    def find(self, reference: FolderReference) -> Record | None:
        """The folder a header names, if this tenant has it."""
        if reference.kind == "id":
            return self._by_id.get(reference.value)  # type: ignore[arg-type]
        if reference.kind == "key":
            return self._by_key.get(str(reference.value).casefold())
        if reference.kind == "path":
            return self._by_path.get(string_key(str(reference.value)))
        return None

    def get(self, folder_id: int | None) -> Record | None:
        """The folder with this Id."""
        return None if folder_id is None else self._by_id.get(folder_id)

    def by_path(self, path: str) -> Record | None:
        """The folder whose `FullyQualifiedName` is `path` (in any case)."""
        return self._by_path.get(string_key(path))

    def ancestors(self, folder: Record) -> Iterator[Record]:
        """The folder itself, then its parent, up to its root."""
        seen: set[int] = set()
        current: Record | None = folder
        while current is not None and current["Id"] not in seen:
            seen.add(current["Id"])
            yield current
            current = self._by_id.get(current.get("ParentId"))  # type: ignore[arg-type]

    def descendants(self, folder: Record) -> Iterator[Record]:
        """Every folder under `folder` (not itself), parents before their children."""
        pending = list(self._children.get(folder["Id"], ()))
        while pending:
            child = pending.pop(0)
            yield child
            pending.extend(self._children.get(child["Id"], ()))

    def children(self, folder_id: int | None) -> list[Record]:
        """The folders directly under `folder_id` (None: the roots)."""
        return list(self._children.get(folder_id, ()))

    def roles(self, folder: Record, principals: Iterable[tuple[str, str]]) -> set[str]:
        """The roles the principals hold in `folder`, directly or through an ancestor.

        A principal is `("App", client_id)` or `("Robot", robot name)`.
        """
        wanted = {(kind, name.casefold()) for kind, name in principals}
        held: set[str] = set()
        for ancestor in self.ancestors(folder):
            for entry in ancestor.get("Access") or ():
                for kind in ("App", "Robot"):
                    name = entry.get(kind)
                    if isinstance(name, str) and (kind, name.casefold()) in wanted:
                        held.add(str(entry.get("Role")))
        return held

    def assigned(self, principals: Iterable[tuple[str, str]]) -> list[Record]:
        """The folders the principals may see: those assigned to them and their subfolders."""
        wanted = list(principals)
        return [record for record in self.records if self.roles(record, wanted)]
