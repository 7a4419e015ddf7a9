"""`$select` and `$expand`: which members a record is written with."""

from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.odata.errors import invalid
from uipath_emulator.mock_server.orchestrator.odata.model import ODataModel, resolve_name


def _items(text: str, option: str) -> list[str]:
    items = [item.strip() for item in text.split(",")]
    position = 0
    for raw, item in zip(text.split(","), items, strict=True):
        if not item:
            raise invalid(f"Expression expected at position {position} in '{text}'.", option)
        position += len(raw) + 1
    return items


def parse_select(text: str, model: ODataModel) -> tuple[tuple[str, ...] | None, str]:
    """`(members in wire order, or None for all; the clause with declared names)` of `$select`."""
    items = _items(text, "$select")
    declared: list[str] = []
    for item in items:
        if item == "*":
            declared.append(item)
            continue
        if "/" in item or "(" in item:
            raise invalid(
                f"The $select item '{item}' is not supported by the emulator: only top-level "
                "property names and '*' are.",
                "$select",
            )
        declared.append(resolve_name(model.root, item, "$select"))
    written = ",".join(declared)
    if "*" in declared:
        return None, written
    chosen = set(declared)
    return tuple(name for name in model.wire_order if name in chosen), written


def parse_expand(text: str, model: ODataModel) -> tuple[str, ...]:
    """The members named by a non-blank `$expand`; each must be one Orchestrator expands."""
    items = _items(text, "$expand")
    expandable = ", ".join(model.expandable)
    found: list[str] = []
    for item in items:
        if "/" in item or "(" in item or item == "*":
            raise invalid(
                f"The $expand item '{item}' is not supported by the emulator: only "
                f"{expandable} are.",
                "$expand",
            )
        declared = resolve_name(model.root, item, "$expand")
        if declared not in model.expandable:
            raise invalid(
                f"The property '{declared}' cannot be used in the $expand query option. "
                f"Expandable: {expandable}.",
                "$expand",
            )
        found.append(declared)
    return tuple(dict.fromkeys(found))


def project(record: Mapping[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    """The record's members in `fields` (all when None), in wire order; always a new dict."""
    if fields is None:
        return dict(record)
    return {name: record[name] for name in fields if name in record}
