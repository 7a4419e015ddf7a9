"""The Orchestrator QueueDefinitions resource (`/odata/QueueDefinitions`): the queues of folders.

Queues are folder-scoped. `list` and `iter` without `folder=` read every folder the caller may
use (no folder header); every other call names the queue's folder. Queues are plain dicts as
sent (`Id`, `Key`, `Name`, `MaxNumberOfRetries`, `EnforceUniqueReference`, ...).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ._folder_entities import FolderEntities
from ._folder_ref import FolderLike
from ._odata import Entity, Page, SendRequest, query_options

QueueDefinition = Entity


class QueueDefinitionPage(Page):
    """One page of queues: the items, and `@odata.count` when the service sent it."""


class QueueDefinitions:
    """Create, read and delete queues. `list`, `iter`, `get` and `delete` are retried on
    connection errors and 429/502/503/504; `create` is a POST and is sent once.
    """

    def __init__(self, send: SendRequest, odata_url: str) -> None:
        self._queues = FolderEntities(send, f"{odata_url}/QueueDefinitions", "queue")

    def __repr__(self) -> str:
        return f"QueueDefinitions(url={self._queues.url!r})"

    def list(
        self,
        *,
        folder: FolderLike | None = None,
        filter: str | None = None,
        select: str | Sequence[str] | None = None,
        orderby: str | Sequence[str] | None = None,
        top: int | None = None,
        skip: int | None = None,
        count: bool = False,
    ) -> QueueDefinitionPage:
        """One page of the queues of `folder` (of every usable folder when it is None)."""
        options = query_options(
            filter=filter, select=select, orderby=orderby, top=top, skip=skip, count=count
        )
        page = self._queues.page(folder, options)
        return QueueDefinitionPage(items=page.items, count=page.count)

    def iter(
        self,
        *,
        folder: FolderLike | None = None,
        filter: str | None = None,
        orderby: str | Sequence[str] | None = "Id",
        page_size: int = 100,
    ) -> Iterator[QueueDefinition]:
        """Every matching queue, page by page (`$top`/`$skip`, `Id` order by default)."""
        return self._queues.walk(folder, filter, orderby, page_size)

    def get(self, queue_id: int, *, folder: FolderLike) -> QueueDefinition:
        """The queue with this id in the folder; `NotFoundError` when there is none."""
        return self._queues.get(queue_id, folder)

    def create(self, queue: Mapping[str, Any], *, folder: FolderLike) -> QueueDefinition:
        """Create a queue in the folder (`Name`, and e.g. `MaxNumberOfRetries`,
        `AcceptAutomaticallyRetry`, `EnforceUniqueReference`); returns it as stored.
        """
        return self._queues.post(self._queues.url, queue, folder)

    def delete(self, queue_id: int, *, folder: FolderLike) -> None:
        """Delete one queue of the folder (a service may refuse a queue that holds items)."""
        self._queues.delete(queue_id, folder)
