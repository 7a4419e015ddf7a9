"""The Orchestrator Buckets resource (`/odata/Buckets`): storage buckets and their files.

Buckets are folder-scoped: every call names the bucket's folder (`folder=`). Files move as the
cloud moves them: the API hands out a pre-signed URI (GetReadUri / GetWriteUri), and the bytes
go to or from that URI directly, without the bearer token (unless the answer says
`RequiresAuth`). Such a URI is a credential: logs and errors show it without its query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests

from ._errors import api_error_from_response
from ._folder_entities import FolderEntities
from ._folder_ref import FolderLike, folder_headers
from ._odata import Entity, Page, SendRequest, json_object, query_options, walk, with_query

Bucket = Entity
FUNCTIONS = "UiPath.Server.Configuration.OData"
DEFAULT_CONTENT_TYPE = "application/octet-stream"
BlobSend = Callable[..., requests.Response]
"""`Transport.send`: a request without the bearer token."""


class BucketPage(Page):
    """One page of buckets: the items, and `@odata.count` when the service sent it."""


class Buckets:
    """Buckets and their files. GETs, `delete`, `delete_file` and the byte transfers (the same
    bytes to the same path) are retried on connection errors and 429/502/503/504; `create`
    is a POST and is sent once.
    """

    def __init__(self, send: SendRequest, blob_send: BlobSend, odata_url: str) -> None:
        self._send = send
        self._blob_send = blob_send
        self._buckets = FolderEntities(send, f"{odata_url}/Buckets", "bucket")
        self._api_url = odata_url.removesuffix("/odata") + "/api"

    def __repr__(self) -> str:
        return f"Buckets(url={self._buckets.url!r})"

    def list(self, *, folder: FolderLike, name: str | None = None) -> BucketPage:
        """The buckets of `folder` (only the one named `name`, when given), with their count."""
        filter = None if name is None else "Name eq '" + name.replace("'", "''") + "'"
        page = self._buckets.page(folder, query_options(filter=filter, count=True))
        return BucketPage(items=page.items, count=page.count)

    def get(self, bucket_id: int, *, folder: FolderLike) -> Bucket:
        """The bucket with this id in the folder; `NotFoundError` when there is none."""
        return self._buckets.get(bucket_id, folder)

    def create(self, bucket: Mapping[str, Any], *, folder: FolderLike) -> Bucket:
        """Create a bucket in the folder (`Name`, `Identifier` (a GUID), `Description`)."""
        return self._buckets.post(self._buckets.url, bucket, folder)

    def delete(self, bucket_id: int, *, folder: FolderLike) -> None:
        """Delete a bucket of the folder."""
        self._buckets.delete(bucket_id, folder)

    def files(
        self,
        bucket_id: int,
        *,
        folder: FolderLike,
        prefix: str = "",
        page_size: int = 500,
    ) -> Iterator[dict[str, Any]]:
        """Every file under `prefix` (ListFiles, following its continuation tokens); each
        `{"fullPath", "contentType", "size", "lastModified", ...}`."""
        url = f"{self._api_url}/Buckets/{int(bucket_id)}/ListFiles"
        token: str | None = None
        while True:
            options = {
                "prefix": prefix or None,
                "takeHint": str(page_size),
                "continuationToken": token,
            }
            page = self._get(with_query(url, options), folder)
            yield from page.get("items") or []
            token = page.get("continuationToken")
            if not token:
                return

    def get_files(
        self,
        bucket_id: int,
        *,
        folder: FolderLike,
        directory: str = "/",
        recursive: bool = False,
        glob: str | None = None,
        page_size: int = 500,
    ) -> Iterator[dict[str, Any]]:
        """Every file GetFiles answers (`$top`/`$skip` pages); each `{"FullPath",
        "ContentType", "Size", "IsDirectory", ...}`."""
        url = self._function(bucket_id, "GetFiles")
        query = {"directory": directory, "recursive": "true" if recursive else "false"}
        if glob is not None:
            query["fileNameGlob"] = glob

        def fetch(top: int, skip: int) -> list[dict[str, Any]]:
            options = {**query, **query_options(top=top, skip=skip)}
            return list(self._get(with_query(url, options), folder).get("value") or [])

        return walk(fetch, page_size)

    def upload(
        self,
        bucket_id: int,
        path: str,
        content: bytes | str,
        *,
        folder: FolderLike,
        content_type: str = DEFAULT_CONTENT_TYPE,
    ) -> None:
        """Write a file whole (`str` content is sent as UTF-8), replacing one at `path`."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        access = self._access(bucket_id, "GetWriteUri", folder, path=path, contentType=content_type)
        self._transfer("PUT", access, data, {"Content-Type": content_type})

    def download(self, bucket_id: int, path: str, *, folder: FolderLike) -> bytes:
        """The bytes of the file at `path`."""
        access = self._access(bucket_id, "GetReadUri", folder, path=path)
        return self._transfer("GET", access, None, {}).content

    def delete_file(self, bucket_id: int, path: str, *, folder: FolderLike) -> None:
        """Delete the file at `path` (`NotFoundError` when there is none)."""
        url = with_query(self._function(bucket_id, "DeleteFile"), {"path": path})
        self._send("DELETE", url, idempotent=True, headers=folder_headers(folder))

    def _function(self, bucket_id: int, name: str) -> str:
        return f"{self._buckets.entity_url(bucket_id)}/{FUNCTIONS}.{name}"

    def _get(self, url: str, folder: FolderLike) -> dict[str, Any]:
        response = self._send("GET", url, idempotent=True, headers=folder_headers(folder))
        return json_object(response, "GET", url)

    def _access(
        self, bucket_id: int, name: str, folder: FolderLike, **query: str
    ) -> dict[str, Any]:
        return self._get(with_query(self._function(bucket_id, name), query), folder)

    def _transfer(
        self, method: str, access: Mapping[str, Any], data: bytes | None, extra: dict[str, str]
    ) -> requests.Response:
        """Send to a BlobFileAccessDto's URI: its headers, a bearer token only if it asks."""
        uri = str(access["Uri"])
        given = access.get("Headers") or {}
        headers = dict(zip(given.get("Keys") or [], given.get("Values") or [], strict=False))
        headers.update(extra)
        shown = uri.split("?", 1)[0]
        if access.get("RequiresAuth"):
            return self._send(method, uri, idempotent=True, headers=headers, data=data)
        response = self._blob_send(
            method, uri, idempotent=True, headers=headers, data=data, shown_url=shown
        )
        if response.status_code >= 400:
            raise api_error_from_response(response, method=method, url=shown)
        return response
