"""The Orchestrator Folders resource: `/odata/Folders` and `/api/Folders/GetAllForCurrentUser`.

Folders are tenant-level (no folder header); each is a plain dict as sent, with `Id`, `Key`,
`DisplayName` and `FullyQualifiedName` (`Finance/Invoices`). Pass one as `folder=` to a
folder-scoped call such as `assets.list`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ._errors import UnexpectedResponseError
from ._odata import (
    MAX_PAGE_SIZE,
    Entity,
    Page,
    SendRequest,
    get_page,
    json_object,
    query_options,
    walk,
    with_query,
)

Folder = Entity


class FolderPage(Page):
    """One page of folders: the items, and the total count when the service sent it."""


class Folders:
    """Read the folders of one tenant. Every call is a GET and is retried as `RetryPolicy` says."""

    def __init__(self, send: SendRequest, odata_url: str, api_url: str) -> None:
        self._send = send
        self._url = f"{odata_url}/Folders"
        self._current_user_url = f"{api_url}/Folders/GetAllForCurrentUser"

    def __repr__(self) -> str:
        return f"Folders(url={self._url!r})"

    def get(self, folder_id: int) -> Folder:
        """The folder with this id; `NotFoundError` when there is none."""
        url = f"{self._url}({int(folder_id)})"
        return json_object(self._send("GET", url, idempotent=True), "GET", url)

    def list(
        self,
        *,
        filter: str | None = None,
        select: str | Sequence[str] | None = None,
        orderby: str | Sequence[str] | None = None,
        top: int | None = None,
        skip: int | None = None,
        count: bool = False,
    ) -> FolderPage:
        """One page of `/odata/Folders`, shaped by the OData query options given."""
        options = query_options(
            filter=filter, select=select, orderby=orderby, top=top, skip=skip, count=count
        )
        page = get_page(self._send, with_query(self._url, options), what="folder")
        return FolderPage(items=page.items, count=page.count)

    def iter(
        self,
        *,
        filter: str | None = None,
        orderby: str | Sequence[str] | None = "Id",
        page_size: int = 100,
    ) -> Iterator[Folder]:
        """Every matching folder, page by page (`$top`/`$skip`, in `Id` order by default)."""

        def fetch(top: int, skip: int) -> list[Folder]:
            return self.list(filter=filter, orderby=orderby, top=top, skip=skip).items

        return walk(fetch, page_size)

    def for_current_user(self, *, take: int = MAX_PAGE_SIZE, skip: int = 0) -> FolderPage:
        """`GetAllForCurrentUser`: the folders the caller is assigned to (`take` at most 1000);
        `count` is the service's `Count` of them all.
        """
        url = with_query(self._current_user_url, {"take": str(take), "skip": str(skip)})
        response = self._send("GET", url, idempotent=True)
        body = json_object(response, "GET", url)
        items, total = body.get("PageItems"), body.get("Count")
        if not isinstance(items, list):
            raise UnexpectedResponseError(
                "folder list has no 'PageItems' array",
                status=response.status_code,
                method="GET",
                url=url,
            )
        return FolderPage(items=items, count=total if isinstance(total, int) else None)
