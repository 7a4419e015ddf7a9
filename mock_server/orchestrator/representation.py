"""How machines are written on the wire: OData context URLs, type annotations, headers."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from uipath_emulator.mock_server.jsonio import dump_json

MACHINE_TYPE = "UiPath.Server.Configuration.OData.ExtendedMachineDto"
TYPE_ANNOTATION = {"@odata.type": f"#{MACHINE_TYPE}"}
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


def collection_context(root: str, select_suffix: str | None) -> str:
    """List `@odata.context`: `...#Machines/<type>` or, with $select, `...#Machines(Name,Id)`."""
    if select_suffix is not None:
        return f"{root}/$metadata#Machines{select_suffix}"
    return f"{root}/$metadata#Machines/{MACHINE_TYPE}"


def entity_context(root: str, select_suffix: str | None) -> str:
    """`@odata.context` of a single machine."""
    return f"{root}/$metadata#Machines{select_suffix or ''}/$entity"


def machine_item(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A machine as an item of a response: the type annotation first, then its members."""
    return {**TYPE_ANNOTATION, **fields}


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


def item_bytes(record: Mapping[str, Any]) -> bytes:
    """A machine serialised as a list item (`MachineStore.derived` keeps it per live record)."""
    return dump_json(machine_item(record))
