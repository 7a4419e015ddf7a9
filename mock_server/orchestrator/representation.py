"""How entities are written on the wire: OData context URLs, type annotations, headers."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from uipath_emulator.mock_server.jsonio import dump_json
from uipath_emulator.mock_server.orchestrator.entities.registry import EntitySet

ODATA_CONTENT_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true"
_STATIC_HEADERS = [
    ("OData-Version", "4.0"),
    ("Cache-Control", "no-cache, no-store, must-revalidate"),
    ("Pragma", "no-cache"),
    ("Expires", "-1"),
    ("api-supported-versions", "15.0"),
    ("X-Frame-Options", "Deny"),
    ("X-Content-Type-Options", "nosniff"),
]


def response_headers() -> list[tuple[str, str]]:
    """Headers Orchestrator sends on every answer, with a fresh `X-Correlation-Id`."""
    return [*_STATIC_HEADERS, ("X-Correlation-Id", str(uuid.uuid4()))]


def service_root(base: str, organization: str, tenant: str) -> str:
    """`{base}/{org}/{tenant}/orchestrator_/odata`, org and tenant as the client wrote them."""
    return f"{base}/{organization}/{tenant}/orchestrator_/odata"


def collection_context(root: str, entity_set: EntitySet, select_suffix: str | None) -> str:
    """A list's `@odata.context`: `...#Set(Name,Id)` with `$select`; else `...#Set` or, for a
    derived type, `...#Set/<type>`."""
    if select_suffix is not None:
        return f"{root}/$metadata#{entity_set.name}{select_suffix}"
    if entity_set.type_annotation:
        return f"{root}/$metadata#{entity_set.name}/{entity_set.type.qualified_name}"
    return f"{root}/$metadata#{entity_set.name}"


def entity_context(root: str, entity_set: EntitySet, select_suffix: str | None) -> str:
    """`@odata.context` of a single entity."""
    return f"{root}/$metadata#{entity_set.name}{select_suffix or ''}/$entity"


def item(entity_set: EntitySet, fields: Mapping[str, Any]) -> dict[str, Any]:
    """An entity as an item of a response: its type annotation first (derived types), members.

    The emulator's own members (the folder an asset is in...) are never written.
    """
    hidden = entity_set.type.hidden
    if hidden:
        fields = {name: value for name, value in fields.items() if name not in hidden}
    if entity_set.type_annotation:
        return {"@odata.type": f"#{entity_set.type.qualified_name}", **fields}
    return dict(fields)


def collection_body(context: str, count: int, items: bytes) -> bytes:
    """The list envelope's JSON around already serialised, comma-joined items, in wire order."""
    return b"".join(
        (
            b'{"@odata.context":',
            dump_json(context),
            b',"@odata.count":',
            str(count).encode("ascii"),
            b',"value":[',
            items,
            b"]}",
        )
    )


@dataclass(frozen=True)
class Listing:
    """What a list answer holds besides its context URL: the count, select suffix and items."""

    count: int
    context_suffix: str | None
    items: bytes
