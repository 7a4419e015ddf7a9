"""The Orchestrator Assets resource (`/odata/Assets`): folder-scoped, so every call names a folder.

Assets are plain dicts as sent. List and get answer `CredentialPassword` and `SecretValue`
empty (the service masks them); a password or secret given to `create`/`replace` is sent once
in the request body and never logged or kept by the client.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ._errors import NotFoundError
from ._folder_ref import FolderLike, folder_headers
from ._odata import (
    MAX_PAGE_SIZE,
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

Asset = Entity
GET_FILTERED_ACTION = "UiPath.Server.Configuration.OData.GetFiltered"
MASKED_MEMBERS = ("CredentialPassword", "SecretValue")
"""Answered empty by list and get: `update` leaves them out so the stored values stay."""


class AssetPage(Page):
    """One page of assets: the items, and `@odata.count` when the service sent it."""


def name_literal(name: str) -> str:
    """`name` as an OData string literal: in single quotes, each `'` doubled."""
    return "'" + name.replace("'", "''") + "'"


class Assets:
    """Create, read, replace and delete the assets of a folder (`folder=`: a path, an id, a
    key, a `FolderRef` or a listed folder).

    `list`, `iter`, `get`, `get_by_name`, `replace` (PUT), `update` and `delete` are retried on
    connection errors and 429/502/503/504; `create` is a POST and is sent once.
    """

    def __init__(self, send: SendRequest, odata_url: str) -> None:
        self._send = send
        self._url = f"{odata_url}/Assets"

    def __repr__(self) -> str:
        return f"Assets(url={self._url!r})"

    def list(
        self,
        *,
        folder: FolderLike,
        filter: str | None = None,
        select: str | Sequence[str] | None = None,
        orderby: str | Sequence[str] | None = None,
        top: int | None = None,
        skip: int | None = None,
        expand: str | Sequence[str] | None = None,
        count: bool = False,
    ) -> AssetPage:
        """One page of the folder's assets (`GetFiltered`), shaped by the OData options given."""
        options = query_options(
            filter=filter,
            select=select,
            orderby=orderby,
            top=top,
            skip=skip,
            expand=expand,
            count=count,
        )
        url = with_query(f"{self._url}/{GET_FILTERED_ACTION}", options)
        page = get_page(self._send, url, what="asset", headers=folder_headers(folder))
        return AssetPage(items=page.items, count=page.count)

    def iter(
        self,
        *,
        folder: FolderLike,
        filter: str | None = None,
        orderby: str | Sequence[str] | None = "Id",
        page_size: int = 100,
    ) -> Iterator[Asset]:
        """Every matching asset of the folder, page by page (`$top`/`$skip`, `Id` order)."""

        def fetch(top: int, skip: int) -> list[Asset]:
            return self.list(
                folder=folder, filter=filter, orderby=orderby, top=top, skip=skip
            ).items

        return walk(fetch, page_size)

    def get(self, asset_id: int, *, folder: FolderLike) -> Asset:
        """The asset with this id in the folder; `NotFoundError` when there is none."""
        url = self._entity_url(asset_id)
        response = self._send("GET", url, idempotent=True, headers=folder_headers(folder))
        return json_object(response, "GET", url)

    def get_by_name(self, name: str, *, folder: FolderLike) -> Asset:
        """The folder's asset named `name` (`GetFiltered` with `Name eq '...'`).

        Orchestrator's asset filter may also match names that only contain `name`, so the
        answer is the listed asset whose name is `name` (exactly, else ignoring case, as the
        service compares names). `NotFoundError` (status 404) when none is.
        """
        page = self.list(folder=folder, filter=f"Name eq {name_literal(name)}", top=MAX_PAGE_SIZE)
        exact = [item for item in page.items if item.get("Name") == name]
        folded = [
            item
            for item in page.items
            if isinstance(item.get("Name"), str) and item["Name"].casefold() == name.casefold()
        ]
        found = exact or folded
        if not found:
            raise NotFoundError(
                status=404,
                method="GET",
                url=f"{self._url}/{GET_FILTERED_ACTION}",
                message=f"no asset named {name!r} in this folder",
            )
        return found[0]

    def create(self, asset: Mapping[str, Any], *, folder: FolderLike) -> Asset:
        """Create an asset in the folder (`Name`, `ValueScope`, `ValueType` and its value,
        e.g. `StringValue`); returns it as stored. Sent once, never retried.
        """
        response = self._send(
            "POST", self._url, idempotent=False, json=dict(asset), headers=folder_headers(folder)
        )
        return json_object(response, "POST", self._url)

    def replace(
        self, asset_id: int, asset: Mapping[str, Any], *, folder: FolderLike
    ) -> Asset | None:
        """PUT a whole asset; returns it if the service sent it back, else None."""
        response = self._send(
            "PUT",
            self._entity_url(asset_id),
            idempotent=True,
            json=dict(asset),
            headers=folder_headers(folder),
        )
        return json_object_or_none(response)

    def update(
        self, asset_id: int, changes: Mapping[str, Any], *, folder: FolderLike
    ) -> Asset | None:
        """Change some members: GET the asset, apply `changes`, PUT it back (Assets has no
        PATCH). The masked `CredentialPassword`/`SecretValue` are sent only when `changes`
        gives them, so a stored password or secret stays as it is.
        """
        current = self.get(asset_id, folder=folder)
        body = {
            name: value
            for name, value in current.items()
            if not name.startswith("@odata.") and name not in MASKED_MEMBERS
        }
        return self.replace(asset_id, {**body, **changes}, folder=folder)

    def delete(self, asset_id: int, *, folder: FolderLike) -> None:
        """Delete one asset of the folder."""
        self._send(
            "DELETE", self._entity_url(asset_id), idempotent=True, headers=folder_headers(folder)
        )

    def _entity_url(self, asset_id: int) -> str:
        return f"{self._url}({int(asset_id)})"
