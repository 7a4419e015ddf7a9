"""The Orchestrator Machines resource (`/odata/Machines`); machines are plain dicts as sent."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ._odata import (
    Entity,
    Page,
    SendRequest,
    get_page,
    json_object,
    json_object_or_none,
    query_options,
    walk,
    with_query,
)

Machine = Entity
DELETE_BULK_ACTION = "UiPath.Server.Configuration.OData.DeleteBulk"


class MachinePage(Page):
    """One page of a machine listing: the items, and `@odata.count` when the service sent it."""


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
        return json_object(self._send("GET", url, idempotent=True), "GET", url)

    def create(self, machine: Mapping[str, Any]) -> Machine:
        """Create a machine from its fields (at least `Name`); returns it as the service stored it.

        Sent once, never retried: a lost response may still have created the machine.
        """
        response = self._send("POST", self._url, idempotent=False, json=dict(machine))
        return json_object(response, "POST", self._url)

    def update(self, machine_id: int, changes: Mapping[str, Any]) -> Machine | None:
        """PATCH the given fields; returns the machine if the service sent it back, else None."""
        response = self._send(
            "PATCH", self._entity_url(machine_id), idempotent=True, json=dict(changes)
        )
        return json_object_or_none(response)

    def replace(self, machine_id: int, machine: Mapping[str, Any]) -> Machine | None:
        """PUT a whole machine; returns the machine if the service sent it back, else None."""
        response = self._send(
            "PUT", self._entity_url(machine_id), idempotent=True, json=dict(machine)
        )
        return json_object_or_none(response)

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
        options = query_options(
            filter=filter,
            select=select,
            orderby=orderby,
            top=top,
            skip=skip,
            expand=expand,
            count=count,
        )
        page = get_page(self._send, with_query(self._url, options), what="machine")
        return MachinePage(items=page.items, count=page.count)

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

        def fetch(top: int, skip: int) -> list[Machine]:
            return self.list(
                filter=filter, select=select, orderby=orderby, expand=expand, top=top, skip=skip
            ).items

        return walk(fetch, page_size)

    def _entity_url(self, machine_id: int) -> str:
        return f"{self._url}({int(machine_id)})"
