"""The Buckets resource against the in-process emulator: buckets, files, bytes both ways."""

from __future__ import annotations

import logging

import pytest

from uipath_emulator.client import (
    BucketPage,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UiPathClient,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.emulator import DEFAULT_BASE_URL
from uipath_emulator.mock_server.well_known import (
    DOCUMENTS_BUCKET,
    DOCUMENTS_BUCKET_ID,
    DOCUMENTS_FILES,
    ORGANIZATION,
    README_TEXT,
    READONLY,
    TENANT,
)

SHARED = "Shared"
IDENTIFIER = "5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"


def test_list_and_get_the_documents_bucket(uipath_client: UiPathClient) -> None:
    """`list` in Shared answers a page with Documents; `get` answers it by id."""
    page = uipath_client.buckets.list(folder=SHARED)
    assert isinstance(page, BucketPage)
    assert [bucket["Name"] for bucket in page.items] == [DOCUMENTS_BUCKET]
    assert page.count == 1
    assert uipath_client.buckets.get(DOCUMENTS_BUCKET_ID, folder=SHARED)["Name"] == DOCUMENTS_BUCKET
    assert uipath_client.buckets.list(folder=SHARED, name="Nope").items == []


def test_upload_then_download_returns_the_bytes(uipath_client: UiPathClient) -> None:
    """`upload` writes bytes through a write URI; `download` reads the same bytes back."""
    data = bytes(range(256)) * 16
    buckets = uipath_client.buckets
    buckets.upload(DOCUMENTS_BUCKET_ID, "out/data.bin", data, folder=SHARED)
    assert buckets.download(DOCUMENTS_BUCKET_ID, "out/data.bin", folder=SHARED) == data


def test_text_content_is_sent_as_utf8(uipath_client: UiPathClient) -> None:
    """`str` content is stored as its UTF-8 bytes, with the content type given."""
    buckets = uipath_client.buckets
    buckets.upload(
        DOCUMENTS_BUCKET_ID, "notes.txt", "Grüße", folder=SHARED, content_type="text/plain"
    )
    assert buckets.download(DOCUMENTS_BUCKET_ID, "notes.txt", folder=SHARED) == "Grüße".encode()
    (listed,) = [
        f
        for f in buckets.files(DOCUMENTS_BUCKET_ID, folder=SHARED)
        if f["fullPath"] == "/notes.txt"
    ]
    assert listed["contentType"] == "text/plain"


def test_files_follows_continuation_tokens(uipath_client: UiPathClient) -> None:
    """`files` with a page size of 1 still yields every file, in path order."""
    files = list(uipath_client.buckets.files(DOCUMENTS_BUCKET_ID, folder=SHARED, page_size=1))
    assert [(f["fullPath"], f["size"]) for f in files] == [
        (path, len(data)) for path, data in sorted(DOCUMENTS_FILES.items())
    ]


def test_readme_downloads_as_its_text(uipath_client: UiPathClient) -> None:
    """The well-known readme downloads as its documented text."""
    data = uipath_client.buckets.download(DOCUMENTS_BUCKET_ID, "readme.txt", folder=SHARED)
    assert data.decode() == README_TEXT


def test_delete_file_then_download_is_not_found(uipath_client: UiPathClient) -> None:
    """After `delete_file`, the read URI answers 404 and the client raises `NotFoundError`."""
    buckets = uipath_client.buckets
    buckets.delete_file(DOCUMENTS_BUCKET_ID, "readme.txt", folder=SHARED)
    with pytest.raises(NotFoundError) as raised:
        buckets.download(DOCUMENTS_BUCKET_ID, "readme.txt", folder=SHARED)
    assert "sig=" not in str(raised.value)
    assert "BlobNotFound" in str(raised.value)


def test_create_conflict_and_delete(uipath_client: UiPathClient) -> None:
    """`create` answers the stored bucket, a second of the same name is `ConflictError`, and
    `delete` removes it."""
    buckets = uipath_client.buckets
    created = buckets.create({"Name": "Scratch", "Identifier": IDENTIFIER}, folder=SHARED)
    assert created["Identifier"] == IDENTIFIER
    with pytest.raises(ConflictError):
        buckets.create({"Name": "Scratch", "Identifier": IDENTIFIER}, folder=SHARED)
    buckets.delete(created["Id"], folder=SHARED)
    with pytest.raises(NotFoundError):
        buckets.get(created["Id"], folder=SHARED)


def test_blob_transfer_sends_no_token_and_logs_no_signature(
    uipath_client: UiPathClient, uipath_emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    """The bytes go to the pre-signed URI without a bearer token, and the debug log names
    the URI without its signature."""
    caplog.set_level(logging.DEBUG, logger="uipath_emulator.client")
    uipath_client.buckets.upload(DOCUMENTS_BUCKET_ID, "a.txt", b"a", folder=SHARED)
    (put,) = [entry for entry in uipath_emulator.requests if entry.method == "PUT"]
    assert put.authorization is None
    assert "sig=" not in caplog.text
    assert "/_blob/acme/DefaultTenant/1/a.txt" in caplog.text


def test_reading_app_cannot_upload(uipath_emulator: Emulator) -> None:
    """An app with only read scopes gets `ForbiddenError` from `upload` (GetWriteUri is
    `OR.Buckets`)."""
    with UiPathClient(
        base_url=DEFAULT_BASE_URL,
        organization=ORGANIZATION,
        tenant=TENANT,
        client_id=READONLY.client_id,
        client_secret=str(READONLY.client_secret),
        scopes="OR.Buckets.Read",
    ) as reader:
        with pytest.raises(ForbiddenError):
            reader.buckets.upload(DOCUMENTS_BUCKET_ID, "x.txt", b"x", folder=SHARED)
        assert reader.buckets.download(DOCUMENTS_BUCKET_ID, "readme.txt", folder=SHARED)
