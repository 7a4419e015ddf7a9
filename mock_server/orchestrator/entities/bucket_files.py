"""The files of storage buckets: an emulator-only set (`BucketFiles`), one record per file.

A file's bytes are its record's `Content` (base64), so they live in the tenant's stores like
every other record: written in the tenant's transactions, journaled and snapshotted with
`--state`, reset with the world. The set serves no route of its own: the API answers files
through the bucket functions (`buckets`), and their bytes move through pre-signed URIs. A
file is written whole in one transaction, or not at all.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext
from uipath_emulator.mock_server.orchestrator.entities.registry import EntitySet, Record
from uipath_emulator.mock_server.orchestrator.errors import bad_request, conflict
from uipath_emulator.mock_server.orchestrator.storage.limits import MAX_FILE_BYTES
from uipath_emulator.mock_server.orchestrator.storage.paths import InvalidPathError, file_path
from uipath_emulator.mock_server.orchestrator.timestamps import orchestrator_time, wire_time
from uipath_emulator.mock_server.world.store import TenantStores, TenantWrite

NAME = "BucketFiles"
BUCKETS = "Buckets"
BY_BUCKET = "bucket"
BY_PATH = "path"
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class ContentError(ValueError):
    """A file record whose members do not make a file; the message names the member."""

    def __init__(self, member: str, message: str) -> None:
        super().__init__(message)
        self.member = member


def encode(data: bytes) -> str:
    """Bytes as stored in `Content`."""
    return base64.b64encode(data).decode("ascii")


def content(record: Mapping[str, Any]) -> bytes:
    """A stored file's bytes."""
    return base64.b64decode(record.get("Content") or "")


def _settled(record: Record) -> Record:
    """The record with its path in stored form and its size computed; raises `ContentError`."""
    try:
        path = file_path(str(record.get("FullPath") or ""))
    except InvalidPathError as error:
        raise ContentError("FullPath", str(error)) from None
    try:
        data = base64.b64decode(str(record.get("Content") or ""), validate=True)
    except (binascii.Error, ValueError):
        raise ContentError("Content", "Content must be base64.") from None
    if len(data) > MAX_FILE_BYTES:
        raise ContentError("Content", f"A file holds at most {MAX_FILE_BYTES} bytes.")
    content_type = record.get("ContentType")
    if content_type is not None and not _is_header_value(content_type):
        raise ContentError("ContentType", "ContentType must be a media type on one line.")
    settled = {**record, "FullPath": path, "Size": len(data)}
    modified = record.get("LastModified")
    if modified is not None:
        try:
            settled["LastModified"] = wire_time(modified)
        except (ValueError, TypeError, OverflowError):
            raise ContentError(
                "LastModified", "LastModified must be a date-time, e.g. 2026-01-05T10:13:20Z."
            ) from None
    return settled


def _is_header_value(text: Any) -> bool:
    """Printable ASCII on one line: what an HTTP header can carry back."""
    return isinstance(text, str) and all(0x20 <= ord(character) < 0x7F for character in text)


def _prepare(
    call: ActionContext | None, write: TenantWrite, record: Record, _old: Record | None
) -> Record:
    """A file written by the harness: its bucket exists, its path is free in it."""
    try:
        stored = _settled(record)
    except ContentError as error:
        raise bad_request(str(error)) from None
    try:
        write.get(BUCKETS, stored.get("BucketId"))
    except LookupError:
        raise bad_request(f"No bucket has Id {stored.get('BucketId')}.") from None
    holder = find(write, stored["BucketId"], stored["FullPath"])
    if holder is not None and holder["Id"] != stored["Id"]:
        raise conflict(f"The bucket already has a file '{stored['FullPath']}'.")
    if call is not None:
        stored["LastModified"] = orchestrator_time(call.now)
    return stored


def _check_loaded(
    records: list[Any], tenant: Mapping[str, list[Any]]
) -> tuple[int, str, str] | None:
    """Each file in a bucket of the tenant, with a valid path and content, paths unique."""
    buckets = {bucket.get("Id") for bucket in tenant.get(BUCKETS, []) if isinstance(bucket, dict)}
    seen: set[tuple[Any, str]] = set()
    for index, record in enumerate(records):
        if record.get("BucketId") not in buckets:
            return index, "BucketId", f"no bucket of this tenant has Id {record.get('BucketId')}"
        try:
            stored = _settled(record)
        except ContentError as error:
            return index, error.member, str(error)
        where = (stored["BucketId"], stored["FullPath"])
        if where in seen:
            return index, "FullPath", f"the bucket already has a file '{stored['FullPath']}'"
        seen.add(where)
    return None


def _complete_loaded(records: list[Record], _tenant: Mapping[str, list[Any]]) -> list[Record]:
    return [_settled(record) for record in records]


def find(write: TenantWrite, bucket_id: int, path: str) -> Record | None:
    """The file at `path` in the bucket, as the transaction sees it."""
    found = write.bucket(NAME, BY_PATH, (bucket_id, path))
    return found[0] if found else None


def files_of(stores: TenantStores, bucket_id: int) -> list[Record]:
    """The bucket's files, by path (ordinal order, as blob stores list)."""
    with stores.lock:
        found = list(stores[NAME].bucket(BY_BUCKET, bucket_id).values())
    return sorted(found, key=lambda record: record["FullPath"])


def file_at(stores: TenantStores, bucket_id: int, path: str) -> Record | None:
    """The committed file at `path` in the bucket, if any."""
    with stores.lock:
        found = stores[NAME].bucket(BY_PATH, (bucket_id, path))
        return next(iter(found.values()), None)


def stored_bytes(tenants: Iterable[TenantStores]) -> int:
    """The bytes of every file of these tenants."""
    return sum(
        int(record.get("Size") or 0) for stores in tenants for record in stores[NAME].snapshot()
    )


def write_file(
    stores: TenantStores,
    bucket_id: int,
    path: str,
    content_type: str,
    data: bytes,
    now: float,
) -> Record:
    """Store the file whole (a new one, or replacing the one at `path`); raises
    `LookupError` when the bucket is gone."""
    with stores.write() as write:
        write.get(BUCKETS, bucket_id)
        old = find(write, bucket_id, path)
        key = old["Id"] if old is not None else write.new_id(NAME)
        record = BUCKET_FILES.record(
            {
                "FullPath": path,
                "ContentType": content_type,
                "Size": len(data),
                "LastModified": orchestrator_time(now),
                "BucketId": bucket_id,
                "Content": encode(data),
            },
            key,
            copied=False,
        )
        return write.put(NAME, record)


def delete_files(write: TenantWrite, bucket_id: int) -> None:
    """Delete every file of the bucket (the bucket is being deleted)."""
    for record in write.bucket(NAME, BY_BUCKET, bucket_id):
        write.delete(NAME, record["Id"])


BUCKET_FILES = EntitySet(
    name=NAME,
    label="File",
    folder_scoped=False,
    operations={},
    type_annotation=False,
    buckets={
        BY_BUCKET: lambda record: record.get("BucketId"),
        BY_PATH: lambda record: (record.get("BucketId"), record.get("FullPath")),
    },
    complete=lambda _record: None,  # no server-set member besides its Id
    prepare=_prepare,
    check_loaded=_check_loaded,
    complete_loaded=_complete_loaded,
)
