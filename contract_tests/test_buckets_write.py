"""Contract: a file's life in a bucket (upload, list, download, replace, delete), in a
`contract-test-` bucket the test creates in the first folder the target lists (write tests).
"""

import contextlib
import secrets
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from uipath_emulator.client import APIError, NotFoundError, UiPathClient
from uipath_emulator.contract_tests.buckets import file_path
from uipath_emulator.contract_tests.folders import listed_folders
from uipath_emulator.contract_tests.targets import Target

pytestmark = pytest.mark.writes


@pytest.fixture
def bucket(target: Target, api: UiPathClient) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(folder, a new `contract-test-` bucket); afterwards the bucket is deleted (its files
    with it, or first where a service keeps buckets holding files)."""
    folder = listed_folders(target, api)[0]
    created = api.buckets.create(
        {"Name": f"contract-test-{secrets.token_hex(4)}", "Identifier": str(uuid.uuid4())},
        folder=folder,
    )
    yield folder, created
    with contextlib.suppress(APIError):
        for item in api.buckets.files(created["Id"], folder=folder):
            api.buckets.delete_file(created["Id"], item["fullPath"], folder=folder)
    with contextlib.suppress(APIError):
        api.buckets.delete(created["Id"], folder=folder)


def test_uploaded_bytes_list_download_and_delete(
    api: UiPathClient, bucket: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    """An uploaded file is listed with its size, downloads as the same bytes, is replaced by
    a second upload, and is gone after DeleteFile."""
    folder, created = bucket
    path = f"contract/{secrets.token_hex(4)}.bin"
    data = secrets.token_bytes(2048) + b"\x00\xff"
    api.buckets.upload(created["Id"], path, data, folder=folder)
    listed = {
        file_path(i["fullPath"]): i["size"] for i in api.buckets.files(created["Id"], folder=folder)
    }
    assert listed == {file_path(path): len(data)}
    assert api.buckets.download(created["Id"], path, folder=folder) == data
    api.buckets.upload(created["Id"], path, b"second", folder=folder)
    assert api.buckets.download(created["Id"], path, folder=folder) == b"second"
    api.buckets.delete_file(created["Id"], path, folder=folder)
    assert list(api.buckets.files(created["Id"], folder=folder)) == []
    with pytest.raises(NotFoundError):
        api.buckets.delete_file(created["Id"], path, folder=folder)
