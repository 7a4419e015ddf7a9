"""Commits as journal lines, and replaying journal lines onto a world document.

Replay is idempotent: a line stores whole records and deletes by key, so replaying lines that a
snapshot already holds (after a crash between writing the snapshot and dropping the journal it
folded) leaves every record as the last line touching it says, which is what the snapshot says.
"""

from collections.abc import Iterable
from typing import Any

import orjson

from uipath_emulator.mock_server.world.store import Commit


def commit_line(commit: Commit) -> bytes:
    """One journal line (JSON and a newline) for a commit."""
    changes: list[dict[str, Any]] = []
    for change in commit.changes:
        if change.put is not None:
            changes.append({"set": change.entity_set, "put": change.put})
        else:
            changes.append({"set": change.entity_set, "delete": change.delete})
    line = {
        "org": commit.organization_id,
        "tenant": commit.tenant_id,
        "changes": changes,
        "next_ids": dict(commit.next_ids),
    }
    return orjson.dumps(line) + b"\n"


class JournalError(ValueError):
    """A journal line that cannot be read (other than a last line cut short by a crash)."""


def _is_entry(entry: Any) -> bool:
    """Whether a parsed line has the shape `commit_line` writes."""
    if not isinstance(entry, dict):
        return False
    changes, next_ids = entry.get("changes"), entry.get("next_ids")
    if not (
        isinstance(entry.get("org"), str)
        and isinstance(entry.get("tenant"), str)
        and isinstance(changes, list)
        and isinstance(next_ids, dict)
    ):
        return False
    for change in changes:
        if not isinstance(change, dict) or not isinstance(change.get("set"), str):
            return False
        if not (isinstance(change.get("put"), dict) or "delete" in change):
            return False
    return all(type(value) is int for value in next_ids.values())


def read_lines(data: bytes, name: str) -> list[dict[str, Any]]:
    """The journal's commits; a last line without its newline (a write cut short) is dropped."""
    lines = data.split(b"\n")
    if lines and lines[-1]:
        lines = lines[:-1]  # never acknowledged: its write did not finish
    commits = []
    for number, raw in enumerate(lines, start=1):
        if not raw:
            continue
        try:
            entry = orjson.loads(raw)
        except orjson.JSONDecodeError:
            entry = None
        if not _is_entry(entry):
            raise JournalError(f"{name}: line {number} is not a journal entry")
        commits.append(entry)
    return commits


def replay(document: dict[str, Any], commits: Iterable[dict[str, Any]], key: str = "Id") -> None:
    """Apply journal commits to a (version 2) world document, in place."""
    tenants: dict[tuple[str, str], dict[str, Any]] = {}
    for organization in document.get("organizations", []):
        for tenant in organization.get("tenants", []):
            tenants[(organization["id"], tenant["id"])] = tenant
    indexes: dict[tuple[str, str, str], dict[Any, int]] = {}
    for commit in commits:
        tenant = tenants.get((commit["org"], commit["tenant"]))
        if tenant is None:
            continue  # a tenant of a world that was replaced since (reset, load)
        entities = tenant.setdefault("entities", {})
        for change in commit["changes"]:
            name = change["set"]
            records = entities.setdefault(name, [])
            index = indexes.get((commit["org"], commit["tenant"], name))
            if index is None:
                index = {record.get(key): position for position, record in enumerate(records)}
                indexes[(commit["org"], commit["tenant"], name)] = index
            if "put" in change:
                record = change["put"]
                position = index.get(record.get(key))
                if position is None:
                    index[record.get(key)] = len(records)
                    records.append(record)
                else:
                    records[position] = record
            else:
                position = index.pop(change["delete"], None)
                if position is not None:
                    records[position] = None  # removed below, positions stay valid meanwhile
        next_ids = tenant.setdefault("next_ids", {})
        for name, value in commit["next_ids"].items():
            next_ids[name] = max(value, next_ids.get(name, 0))
    for tenant in tenants.values():
        for name, records in tenant.get("entities", {}).items():
            tenant["entities"][name] = [record for record in records if record is not None]
