"""`$select` and `$expand`: which members a machine is written with."""

from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.odata.errors import invalid
from uipath_emulator.mock_server.orchestrator.odata.model import machine_model, not_found

EXPANDABLE = ("RobotUsers", "UpdatePolicy", "MaintenanceWindow", "Tags")


def _items(text: str, option: str) -> list[str]:
    items = [item.strip() for item in text.split(",")]
    position = 0
    for raw, item in zip(text.split(","), items, strict=True):
        if not item:
            raise invalid(f"Expression expected at position {position} in '{text}'.", option)
        position += len(raw) + 1
    return items


def parse_select(text: str) -> tuple[tuple[str, ...] | None, str]:
    """`(fields in wire order, or None for all; the clause as written)` of a non-blank `$select`."""
    items = _items(text, "$select")
    model = machine_model()
    for item in items:
        if item == "*":
            continue
        if item in model.root.properties:
            continue
        if "/" in item or "(" in item:
            raise invalid(
                f"The $select item '{item}' is not supported by the emulator: only top-level "
                "property names and '*' are.",
                "$select",
            )
        raise not_found(item, model.root, "$select")
    written = ",".join(items)
    if "*" in items:
        return None, written
    chosen = set(items)
    return tuple(name for name in model.wire_order if name in chosen), written


def parse_expand(text: str) -> tuple[str, ...]:
    """The members named by a non-blank `$expand`; each must be one Orchestrator expands."""
    items = _items(text, "$expand")
    model = machine_model()
    for item in items:
        if item in EXPANDABLE:
            continue
        if item in model.root.properties:
            raise invalid(
                f"The property '{item}' cannot be used in the $expand query option. Expandable: "
                f"{', '.join(EXPANDABLE)}.",
                "$expand",
            )
        if "/" in item or "(" in item or item == "*":
            raise invalid(
                f"The $expand item '{item}' is not supported by the emulator: only "
                f"{', '.join(EXPANDABLE)} are.",
                "$expand",
            )
        raise not_found(item, model.root, "$expand")
    return tuple(dict.fromkeys(items))


def project(machine: Mapping[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    """The machine's members in `fields` (all when None), in wire order; always a new dict."""
    if fields is None:
        return dict(machine)
    return {name: machine[name] for name in fields if name in machine}
