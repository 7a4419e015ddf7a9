"""UiPath's Python SDK buckets service, unchanged, moving real bytes through the emulator.

Every test runs twice (the `cloud` fixture): in-process (`intercept()` routes the SDK's httpx
calls to https://cloud.uipath.com, its plain client for the pre-signed URIs included) and
against a real `uipath-mock` server on 127.0.0.1. The SDK calls ListFiles without
`orchestrator_` (`/{org}/{tenant}/api/Buckets/{id}/ListFiles`); the emulator answers there too.
"""

import asyncio
from pathlib import Path

import pytest
from uipath.platform import UiPath
from uipath.platform.orchestrator import BucketsService

from tests.compat.sdk_support import Cloud, closing, configure
from uipath_emulator.mock_server.well_known import (
    DOCUMENTS_BUCKET,
    DOCUMENTS_FILES,
    FULL,
    README_TEXT,
)

BUCKET_SCOPE = "OR.Buckets"
SHARED = "Shared"
REPORT = "out/report.csv"
REPORT_BYTES = b"invoice,amount\nINV-1001,120.50\n\x00\xff binary tail\n"


def sdk(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> UiPath:
    """The SDK as the `full` app with the buckets scope, in `Shared`."""
    monkeypatch.setenv("UIPATH_FOLDER_PATH", SHARED)
    return configure(cloud, monkeypatch, app=FULL, scope=BUCKET_SCOPE)


def test_upload_then_download_returns_the_same_bytes(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`buckets.upload` stores the bytes and `buckets.download` writes exactly them back."""
    with closing(sdk(cloud, monkeypatch).buckets) as buckets:
        buckets.upload(
            name=DOCUMENTS_BUCKET,
            blob_file_path=REPORT,
            content=REPORT_BYTES,
            content_type="text/csv",
            folder_path=SHARED,
        )
        target = tmp_path / "report.csv"
        buckets.download(
            name=DOCUMENTS_BUCKET,
            blob_file_path=REPORT,
            destination_path=str(target),
            folder_path=SHARED,
        )
    assert target.read_bytes() == REPORT_BYTES
    (upload,) = [entry for entry in cloud.emulator.requests if entry.method == "PUT"]
    assert upload.path.startswith("/_blob/")
    assert upload.status == 201


def test_async_upload_then_download(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`upload_async` and `download_async` (the SDK's async httpx clients) move the same
    bytes."""
    target = tmp_path / "async.bin"

    async def transfer(buckets: BucketsService) -> None:
        try:
            await buckets.upload_async(
                name=DOCUMENTS_BUCKET, blob_file_path="async.bin", content=REPORT_BYTES
            )
            await buckets.download_async(
                name=DOCUMENTS_BUCKET, blob_file_path="async.bin", destination_path=str(target)
            )
        finally:
            await buckets.aclose()  # in the loop its async clients were used in

    asyncio.run(transfer(sdk(cloud, monkeypatch).buckets))
    assert target.read_bytes() == REPORT_BYTES


def test_list_files_and_get_files_name_the_well_known_files(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list_files` (the prefix-less ListFiles path) and `get_files(recursive=True)` both list
    the files of Documents with their sizes."""
    with closing(sdk(cloud, monkeypatch).buckets) as buckets:
        listed = buckets.list_files(name=DOCUMENTS_BUCKET)
        got = buckets.get_files(name=DOCUMENTS_BUCKET, recursive=True)
        assert buckets.exists_file(name=DOCUMENTS_BUCKET, blob_file_path="readme.txt")
    expected = {path: len(data) for path, data in DOCUMENTS_FILES.items()}
    assert {file.path: file.size for file in listed.items} == expected
    assert {file.path: file.size for file in got.items} == expected
    assert listed.continuation_token is None
    assert cloud.calls("/api/Buckets/1/ListFiles")


def test_list_filters_by_name_part(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """`buckets.list(name=...)` (`contains(tolower(Name), ...)`) finds Documents by a part of
    its name in any case, and nothing for another name."""
    with closing(sdk(cloud, monkeypatch).buckets) as buckets:
        found = buckets.list(name="DOCU", folder_path=SHARED)
        missing = buckets.list(name="nope", folder_path=SHARED)
    assert [bucket.name for bucket in found.items] == [DOCUMENTS_BUCKET]
    assert found.items[0].credential_store_id is None
    assert missing.items == []


def test_download_of_the_well_known_readme(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The default world's `readme.txt` downloads as its documented text."""
    target = tmp_path / "readme.txt"
    with closing(sdk(cloud, monkeypatch).buckets) as buckets:
        buckets.download(
            name=DOCUMENTS_BUCKET, blob_file_path="readme.txt", destination_path=str(target)
        )
    assert target.read_text(encoding="utf-8") == README_TEXT


def test_delete_file_removes_it(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """`delete_file` removes the file: GetFiles no longer lists it."""
    with closing(sdk(cloud, monkeypatch).buckets) as buckets:
        buckets.delete_file(name=DOCUMENTS_BUCKET, blob_file_path="readme.txt")
        left = buckets.get_files(name=DOCUMENTS_BUCKET, recursive=True)
        assert not buckets.exists_file(name=DOCUMENTS_BUCKET, blob_file_path="readme.txt")
    assert [file.path for file in left.items] == ["/invoices/2026/INV-1001.pdf"]


def test_create_retrieve_by_key_and_delete_a_bucket(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`create` answers a valid `Bucket`, `retrieve(key=)` finds it through GetByKey, and
    `delete` removes it."""
    with closing(sdk(cloud, monkeypatch).buckets) as buckets:
        created = buckets.create(name="Scratch", description="made by the SDK")
        assert created.credential_store_id is None
        assert created.encrypted is False
        found = buckets.retrieve(key=created.identifier)
        assert found.id == created.id
        buckets.upload(name="Scratch", blob_file_path="a/b.txt", content="text")
        buckets.delete(name="Scratch")
        assert not buckets.exists(name="Scratch")
    stores = cloud.emulator.world.find_organization("acme").find_tenant("DefaultTenant").entities
    assert all(file["BucketId"] == 1 for file in stores["BucketFiles"].snapshot())
