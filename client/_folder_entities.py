"""The calls every folder-scoped OData entity set shares: a page, a walk, one entity, create,
delete; each in a named folder, listings also across every folder the caller may use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ._folder_ref import FolderLike, folder_headers, optional_folder_headers
from ._odata import (
    Entity,
    Page,
    SendRequest,
    get_page,
    json_object,
    query_options,
    walk,
    with_query,
)


class FolderEntities:
    """One entity set at `url` (e.g. `.../odata/QueueItems`); `what` names it in errors."""

    def __init__(self, send: SendRequest, url: str, what: str) -> None:
        self._send = send
        self.url = url
        self._what = what

    def page(self, folder: FolderLike | None, options: Mapping[str, str | None]) -> Page:
        """One page with these query options, in `folder` (in every usable one for None)."""
        url = with_query(self.url, options)
        return get_page(self._send, url, what=self._what, headers=optional_folder_headers(folder))

    def walk(
        self,
        folder: FolderLike | None,
        filter: str | None,
        orderby: str | Sequence[str] | None,
        page_size: int,
    ) -> Iterator[Entity]:
        """Every matching entity, page by page with `$top`/`$skip`."""

        def fetch(top: int, skip: int) -> list[Entity]:
            options = query_options(filter=filter, orderby=orderby, top=top, skip=skip)
            return self.page(folder, options).items

        return walk(fetch, page_size)

    def get(self, entity_id: int, folder: FolderLike) -> Entity:
        """The entity with this id in the folder (`NotFoundError` when there is none)."""
        url = self.entity_url(entity_id)
        response = self._send("GET", url, idempotent=True, headers=folder_headers(folder))
        return json_object(response, "GET", url)

    def post(self, url: str, body: Mapping[str, Any], folder: FolderLike) -> Entity:
        """POST `body` to `url` in the folder, sent once; the JSON object answered."""
        response = self._send(
            "POST", url, idempotent=False, json=dict(body), headers=folder_headers(folder)
        )
        return json_object(response, "POST", url)

    def delete(self, entity_id: int, folder: FolderLike) -> None:
        """DELETE the entity with this id in the folder."""
        url = self.entity_url(entity_id)
        self._send("DELETE", url, idempotent=True, headers=folder_headers(folder))

    def entity_url(self, entity_id: int) -> str:
        """`{url}({id})`."""
        return f"{self.url}({int(entity_id)})"
