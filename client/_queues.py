"""The Orchestrator queue items and transactions (`/odata/QueueItems`, `/odata/Queues/...`).

Items live in a queue of a folder: adding and the transaction calls name the folder
(`folder=`: a path, an id, a key, a `FolderRef` or a listed folder); `list_items` and
`iter_items` without a folder read every folder the caller may use. Items are plain dicts as
sent (`Id`, `Key`, `Status`, `Reference`, `Priority`, `SpecificContent`, `Output`, ...).

Orchestrator hands transactions only to robots: an app's `start_transaction` gets 204 (None
here) unless it names a robot (`robot_key=`) that may work in the folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

from ._folder_entities import FolderEntities
from ._folder_ref import FolderLike, folder_headers
from ._odata import Entity, Page, SendRequest, json_object_or_none, query_options
from ._queue_definitions import QueueDefinitions

QueueItem = Entity
SERVICE = "UiPathODataSvc"
CommitType = Literal["AllOrNothing", "StopOnFirstFailure", "ProcessAllIndependently"]


class QueueItemPage(Page):
    """One page of queue items: the items, and `@odata.count` when the service sent it."""


class Queues:
    """Add queue items, work them as transactions, and read them; `definitions` are the queues.

    GETs, `delete_item` and `set_progress` (it sets the same text again) are retried on
    connection errors and 429/502/503/504; `add_item`, `bulk_add`, `start_transaction` and
    `set_result` are sent once (a repeated one would add, take or finish another time).
    """

    def __init__(self, send: SendRequest, odata_url: str) -> None:
        self._send = send
        self._odata_url = odata_url
        self._items = FolderEntities(send, f"{odata_url}/QueueItems", "queue item")
        self.definitions = QueueDefinitions(send, odata_url)

    def __repr__(self) -> str:
        return f"Queues(url={self._odata_url!r})"

    def add_item(
        self, queue_name: str, item: Mapping[str, Any] | None = None, *, folder: FolderLike
    ) -> QueueItem:
        """AddQueueItem: a New item in the folder's queue `queue_name` (`item` may give
        `Reference`, `Priority`, `SpecificContent`, `DueDate`, `DeferDate`, ...); the stored item.
        """
        url = f"{self._odata_url}/Queues/{SERVICE}.AddQueueItem"
        body = {"itemData": {**(item or {}), "Name": queue_name}}
        return self._items.post(url, body, folder)

    def bulk_add(
        self,
        queue_name: str,
        items: Iterable[Mapping[str, Any]],
        *,
        folder: FolderLike,
        commit_type: CommitType = "AllOrNothing",
    ) -> dict[str, Any]:
        """BulkAddQueueItems: the service's `{Success, Message, FailedItems}` (it names no
        created item; `FailedItems` give each refused item's `Ordinal` and `ErrorCode`).
        """
        url = f"{self._odata_url}/Queues/{SERVICE}.BulkAddQueueItems"
        body = {
            "queueName": queue_name,
            "commitType": commit_type,
            "queueItems": [dict(item) for item in items],
        }
        return self._items.post(url, body, folder)

    def start_transaction(
        self,
        queue_name: str,
        *,
        folder: FolderLike,
        robot_key: str | None = None,
        reference: str | None = None,
        reference_filter: Literal["Equals", "StartsWith"] | None = None,
        specific_content: Mapping[str, Any] | None = None,
    ) -> QueueItem | None:
        """StartTransaction: the next item (narrowed by `reference`), now InProgress; or, with
        `specific_content`, a new item added and started. None when the service answers 204
        (nothing to hand out, or the caller is not a robot and names none).
        """
        data: dict[str, Any] = {"Name": queue_name}
        optional = {
            "RobotIdentifier": robot_key,
            "Reference": reference,
            "ReferenceFilterOption": reference_filter,
            "SpecificContent": None if specific_content is None else dict(specific_content),
        }
        data.update({name: value for name, value in optional.items() if value is not None})
        url = f"{self._odata_url}/Queues/{SERVICE}.StartTransaction"
        response = self._send(
            "POST",
            url,
            idempotent=False,
            json={"transactionData": data},
            headers=folder_headers(folder),
        )
        return json_object_or_none(response)

    def set_progress(self, item_id: int, progress: str, *, folder: FolderLike) -> None:
        """SetTransactionProgress of an InProgress item (the service answers no body)."""
        url = f"{self._items.entity_url(item_id)}/{SERVICE}.SetTransactionProgress"
        self._send(
            "POST",
            url,
            idempotent=True,
            json={"progress": progress},
            headers=folder_headers(folder),
        )

    def set_result(self, item_id: int, result: Mapping[str, Any], *, folder: FolderLike) -> None:
        """SetTransactionResult of an InProgress item: `{"IsSuccessful": True, "Output": {...}}`,
        or `{"IsSuccessful": False, "ProcessingException": {"Reason": ..., "Type":
        "ApplicationException" | "BusinessException"}}`. The service answers no body; a result
        for an item already final is `ConflictError` (409).
        """
        url = f"{self._odata_url}/Queues({int(item_id)})/{SERVICE}.SetTransactionResult"
        self._send(
            "POST",
            url,
            idempotent=False,
            json={"transactionResult": dict(result)},
            headers=folder_headers(folder),
        )

    def list_items(
        self,
        *,
        folder: FolderLike | None = None,
        filter: str | None = None,
        select: str | Sequence[str] | None = None,
        orderby: str | Sequence[str] | None = None,
        top: int | None = None,
        skip: int | None = None,
        expand: str | Sequence[str] | None = None,
        count: bool = False,
    ) -> QueueItemPage:
        """One page of the items of `folder` (of every usable folder when it is None), shaped
        by the OData options given (e.g. `filter="QueueDefinitionId eq 3 and Status eq 'New'"`).
        """
        options = query_options(
            filter=filter,
            select=select,
            orderby=orderby,
            top=top,
            skip=skip,
            expand=expand,
            count=count,
        )
        page = self._items.page(folder, options)
        return QueueItemPage(items=page.items, count=page.count)

    def iter_items(
        self,
        *,
        folder: FolderLike | None = None,
        filter: str | None = None,
        orderby: str | Sequence[str] | None = "Id",
        page_size: int = 100,
    ) -> Iterator[QueueItem]:
        """Every matching item, page by page (`$top`/`$skip`, `Id` order by default)."""
        return self._items.walk(folder, filter, orderby, page_size)

    def get_item(self, item_id: int, *, folder: FolderLike) -> QueueItem:
        """The item with this id in the folder; `NotFoundError` when there is none."""
        return self._items.get(item_id, folder)

    def delete_item(self, item_id: int, *, folder: FolderLike) -> None:
        """Delete a New item (Orchestrator keeps it, with Status `Deleted`)."""
        self._items.delete(item_id, folder)
