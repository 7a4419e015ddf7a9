"""The committed spec subset (`fixtures/spec/orchestrator-subset.json`), read once per process."""

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson

from uipath_emulator.mock_server.resources import fixtures_dir

SCHEMA_REF = "#/components/schemas/"
_SCOPES_LINE = re.compile(r"OAuth required scopes: (.+?)\.(?:\s|$)")


@cache
def spec_subset() -> dict[str, Any]:
    """The subset document (paths, schemas, the name of every other operation)."""
    data = (fixtures_dir() / "spec" / "orchestrator-subset.json").read_bytes()
    subset: dict[str, Any] = orjson.loads(data)
    return subset


def component(name: str) -> dict[str, Any]:
    """A schema of `components/schemas`; `KeyError` naming it when the subset lacks it."""
    schemas: dict[str, Any] = spec_subset()["components"]["schemas"]
    if name not in schemas:
        raise KeyError(f"the spec subset has no schema {name!r}: add its path to extract.py")
    return schemas[name]


def operation(path: str, method: str) -> dict[str, Any]:
    """The operation object of `METHOD path` (a path of the spec, e.g. `/odata/Assets({key})`)."""
    item = spec_subset()["paths"].get(path)
    if item is None or method.lower() not in item:
        raise KeyError(f"the spec subset has no operation {method.upper()} {path}")
    found: dict[str, Any] = item[method.lower()]
    return found


@cache
def operation_scopes(path: str, method: str) -> frozenset[str]:
    """The OAuth scopes the spec's description of the operation requires (any one of them)."""
    description = operation(path, method).get("description", "")
    match = _SCOPES_LINE.search(description)
    if match is None:
        return frozenset()
    return frozenset(part.strip() for part in match.group(1).split(" or "))


@dataclass(frozen=True)
class SpecOperation:
    """An operation of the full 20.0 description: its path template, method, id and summary."""

    path: str
    method: str
    operation_id: str
    summary: str
    pattern: re.Pattern[str]


def _path_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join("[^/]*?" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(regex + "$", re.IGNORECASE)


@cache
def all_operations() -> tuple[SpecOperation, ...]:
    """Every operation of the 20.0 description, named (the subset keeps their ids and summaries)."""
    found = []
    for path, methods in spec_subset()["operations"].items():
        pattern = _path_pattern(path)
        for method, described in methods.items():
            found.append(
                SpecOperation(
                    path,
                    method.upper(),
                    described.get("operationId") or f"{method.upper()} {path}",
                    described.get("summary") or "",
                    pattern,
                )
            )
    return tuple(found)


def find_operation(path: str, method: str) -> SpecOperation | None:
    """The spec operation whose template matches `METHOD path` (path after `orchestrator_`)."""
    matches = [op for op in all_operations() if op.pattern.match(path)]
    for op in matches:
        if op.method == method.upper():
            return op
    return None


def path_methods(path: str) -> set[str]:
    """The methods the 20.0 description has on `path` (empty when it has no such path)."""
    return {op.method for op in all_operations() if op.pattern.match(path)}


_PERMISSIONS_LINE = re.compile(r"Required permissions: (.+?)\.(?:\s|$)", re.S)
_PERMISSION_NOTE = re.compile(r"\s+-\s+[^()]*")
FOLDER_HEADER = "X-UIPATH-OrganizationUnitId"


@cache
def operation_permissions(path: str, method: str) -> tuple[frozenset[str], ...]:
    """The folder permissions the operation needs: every group, one permission of each.

    `Required permissions: Queues.View and Transactions.Edit.` gives
    `({Queues.View}, {Transactions.Edit})`; `(Units.View or SubFolders.View - ...)` gives one
    group of two. Empty when the spec names none.
    """
    try:
        description = operation(path, method).get("description", "")
    except KeyError:
        return ()
    match = _PERMISSIONS_LINE.search(description)
    if match is None:
        return ()
    text = _PERMISSION_NOTE.sub("", match.group(1)).replace("(", " ").replace(")", " ")
    groups = []
    for part in text.split(" and "):
        names = frozenset(name.strip() for name in part.split(" or ") if name.strip())
        if names:
            groups.append(names)
    return tuple(groups)


@cache
def operation_takes_folder(path: str, method: str) -> bool:
    """Whether the spec requires the folder header (`X-UIPATH-OrganizationUnitId`) there."""
    try:
        parameters = operation(path, method).get("parameters", [])
    except KeyError:
        return False
    return any(
        parameter.get("in") == "header" and parameter.get("name") == FOLDER_HEADER
        for parameter in parameters
    )
