"""How machines are written on the wire: OData context URLs, type annotations, headers."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mock_server.http import dump_json

MACHINE_TYPE = "UiPath.Server.Configuration.OData.ExtendedMachineDto"
TYPE_ANNOTATION = {"@odata.type": f"#{MACHINE_TYPE}"}
ODATA_CONTENT_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true"
_STATIC_HEADERS = {
    "OData-Version": "4.0",
    "Cache-Control": "no-cache, no-store, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "-1",
    "api-supported-versions": "15.0",
    "X-Frame-Options": "Deny",
    "X-Content-Type-Options": "nosniff",
}


_STATIC_HEADER_LIST = list(_STATIC_HEADERS.items())


def response_headers() -> list[tuple[str, str]]:
    """Headers Orchestrator sends on every answer, with a fresh `X-Correlation-Id`."""
    return [*_STATIC_HEADER_LIST, ("X-Correlation-Id", str(uuid.uuid4()))]


def service_root(host_url: str, organization: str, tenant: str) -> str:
    """`{base}/{org}/{tenant}/orchestrator_/odata`, org and tenant as the client wrote them."""
    return f"{host_url.rstrip('/')}/{organization}/{tenant}/orchestrator_/odata"


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


class ListingCache:
    """Listings by (tenant's machine store, query string), valid for one snapshot of it.

    A store's snapshot is replaced on every write, so an entry is used only while the
    machines it was computed from are still the tenant's, and the next listing of that
    query replaces it (letting the old snapshot go). Cleared whole past `max_entries`
    entries or `max_bytes` of items.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 32 * 1024 * 1024) -> None:
        self._entries: dict[tuple[int, bytes], tuple[Sequence[Any], Listing]] = {}
        self._bytes = 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes

    def get(self, store: object, snapshot: Sequence[Any], query: bytes) -> Listing | None:
        """The cached listing of `query` over exactly this snapshot of `store`, if any."""
        entry = self._entries.get((id(store), query))
        if entry is not None and entry[0] is snapshot:
            return entry[1]
        return None

    def put(
        self, store: object, snapshot: Sequence[Any], query: bytes, listing: Listing
    ) -> Listing:
        """Keep `listing` for `query` over this snapshot of `store`; returns it."""
        full = len(self._entries) >= self._max_entries
        if full or self._bytes + len(listing.items) > self._max_bytes:
            self._entries.clear()
            self._bytes = 0
        replaced = self._entries.get((id(store), query))
        if replaced is not None:
            self._bytes -= len(replaced[1].items)
        self._entries[(id(store), query)] = (snapshot, listing)
        self._bytes += len(listing.items)
        return listing


class ItemBytes:
    """Serialised list items, kept per stored record (a stored record never changes).

    Keyed by the record's identity, holding the record itself so that the key cannot be
    reused by another object while the entry lives; cleared whole when it reaches `limit`.
    """

    def __init__(self, limit: int = 20_000) -> None:
        self._entries: dict[int, tuple[Mapping[str, Any], bytes]] = {}
        self._limit = limit

    def __call__(self, record: Mapping[str, Any]) -> bytes:
        entry = self._entries.get(id(record))
        if entry is not None and entry[0] is record:
            return entry[1]
        data = dump_json(machine_item(record))
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[id(record)] = (record, data)
        return data
