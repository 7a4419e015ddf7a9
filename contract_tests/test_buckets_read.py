"""Contract: reading bucket files, as properties that hold on any tenant's buckets."""

from uipath_emulator.client import UiPathClient
from uipath_emulator.contract_tests.buckets import FILES_READ, a_bucket_with_files, file_path
from uipath_emulator.contract_tests.targets import Target


def test_get_files_and_list_files_agree(target: Target, api: UiPathClient) -> None:
    """GetFiles (recursive, from the root) and ListFiles name the same files with the same
    sizes."""
    folder, bucket, listed = a_bucket_with_files(target, api)
    got = api.buckets.get_files(bucket["Id"], folder=folder, recursive=True)
    from_get_files = {
        file_path(row["FullPath"]): row["Size"] for row in got if not row.get("IsDirectory")
    }
    from_list_files = {file_path(item["fullPath"]): item["size"] for item in listed}
    assert from_get_files == from_list_files


def test_a_read_uri_answers_exactly_size_bytes(target: Target, api: UiPathClient) -> None:
    """Each file downloaded through a GetReadUri URI (no bearer token) is `size` bytes long."""
    folder, bucket, listed = a_bucket_with_files(target, api)
    for item in listed[:FILES_READ]:
        data = api.buckets.download(bucket["Id"], item["fullPath"], folder=folder)
        assert len(data) == item["size"], item["fullPath"]
