"""The Orchestrator Machines resource (`/odata/Machines`); machines are plain dicts as sent."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlencode

import requests

from ._errors import UnexpectedResponseError, json_body

Machine = dict[str, Any]
MAX_PAGE_SIZE = 1000  # Orchestrator's limit for $top
DELETE_BULK_ACTION = "UiPath.Server.Configuration.OData.DeleteBulk"
# Left unescaped in query strings, as UiPath's docs write them: `$top=10&$orderby=Name,Id`.
ODATA_QUERY_SAFE = "$,'"


class SendRequest(Protocol):
    """Sends an authorized Orchestrator request and raises `APIError` on an error status."""

    def __call__(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        json: Any = None,
    ) -> requests.Response: ...


@dataclass(frozen=True)
class MachinePage:
    """One page of a machine listing: the items, and `@odata.count` when the service sent it."""

    items: list[Machine]
    count: int | None


class Machines:
    """Create, read, update and delete machines of one tenant.

    Retries on connection errors and 429/502/503/504 apply to `get`, `list`, `iter`, `update`
    (PATCH), `replace` (PUT) and `delete`: each sets fields to given values or removes one
    machine, so sending it twice leaves the same state (a repeated `delete` whose first attempt
    did land answers 404). `create` and `delete_many` are POSTs and are sent once.
    """

    def __init__(self, send: SendRequest, odata_url: str) -> None:
        self._send = send
        self._url = f"{odata_url}/Machines"

    def __repr__(self) -> str:
        return f"Machines(url={self._url!r})"

    def get(self, machine_id: int) -> Machine:
        """The machine with this id; `NotFoundError` when there is none."""
        url = self._entity_url(machine_id)
        return _json_object(self._send("GET", url, idempotent=True), "GET", url)

    def create(self, machine: Mapping[str, Any]) -> Machine:
        """Create a machine from its fields (at least `Name`); returns it as the service stored it.

        Sent once, never retried: a lost response may still have created the machine.
        """
        response = self._send("POST", self._url, idempotent=False, json=dict(machine))
        return _json_object(response, "POST", self._url)

    def update(self, machine_id: int, changes: Mapping[str, Any]) -> Machine | None:
        """PATCH the given fields; returns the machine if the service sent it back, else None."""
        response = self._send(
            "PATCH", self._entity_url(machine_id), idempotent=True, json=dict(changes)
        )
        return _json_object_or_none(response)

    def replace(self, machine_id: int, machine: Mapping[str, Any]) -> Machine | None:
        """PUT a whole machine; returns the machine if the service sent it back, else None."""
        response = self._send(
            "PUT", self._entity_url(machine_id), idempotent=True, json=dict(machine)
        )
        return _json_object_or_none(response)

    def delete(self, machine_id: int) -> None:
        """Delete one machine."""
        self._send("DELETE", self._entity_url(machine_id), idempotent=True)

    def delete_many(self, machine_ids: Iterable[int]) -> None:
        """Delete several machines in one `DeleteBulk` call."""
        body = {"machineIds": [int(machine_id) for machine_id in machine_ids]}
        self._send("POST", f"{self._url}/{DELETE_BULK_ACTION}", idempotent=False, json=body)

    def list(
        self,
        *,
        filter: str | None = None,
        select: str | Sequence[str] | None = None,
        orderby: str | Sequence[str] | None = None,
        top: int | None = None,
        skip: int | None = None,
        expand: str | Sequence[str] | None = None,
        count: bool = False,
    ) -> MachinePage:
        """One page of machines, shaped by the OData query options given."""
        options = {
            "$filter": filter,
            "$select": _comma_list(select),
            "$orderby": _comma_list(orderby),
            "$top": None if top is None else str(top),
            "$skip": None if skip is None else str(skip),
            "$expand": _comma_list(expand),
            "$count": "true" if count else None,
        }
        query = urlencode(
            {name: value for name, value in options.items() if value is not None},
            safe=ODATA_QUERY_SAFE,
            quote_via=quote,
        )
        url = f"{self._url}?{query}" if query else self._url
        response = self._send("GET", url, idempotent=True)
        body = _json_object(response, "GET", url)
        items = body.get("value")
        if not isinstance(items, list):
            raise UnexpectedResponseError(
                "machine list has no 'value' array",
                status=response.status_code,
                method="GET",
                url=url,
            )
        total = body.get("@odata.count")
        return MachinePage(items=items, count=total if isinstance(total, int) else None)

    def iter(
        self,
        *,
        filter: str | None = None,
        select: str | Sequence[str] | None = None,
        orderby: str | Sequence[str] | None = "Id",
        expand: str | Sequence[str] | None = None,
        page_size: int = 100,
    ) -> Iterator[Machine]:
        """Every matching machine, fetched page by page with `$top`/`$skip` until a short page.

        Pages are ordered by `Id` unless `orderby` says otherwise, so that `$skip` walks a
        stable order.
        """
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size}")
        skip = 0
        while True:
            page = self.list(
                filter=filter,
                select=select,
                orderby=orderby,
                expand=expand,
                top=page_size,
                skip=skip,
            )
            yield from page.items
            if len(page.items) < page_size:
                return
            skip += len(page.items)

    def _entity_url(self, machine_id: int) -> str:
        return f"{self._url}({int(machine_id)})"


def _comma_list(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return ",".join(value)


def _json_object(response: requests.Response, method: str, url: str) -> dict[str, Any]:
    body = json_body(response)
    if not isinstance(body, dict):
        raise UnexpectedResponseError(
            "expected a JSON object", status=response.status_code, method=method, url=url
        )
    return body


def _json_object_or_none(response: requests.Response) -> dict[str, Any] | None:
    body = json_body(response)
    return body if isinstance(body, dict) else None
