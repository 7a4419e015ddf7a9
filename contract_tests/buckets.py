"""Buckets to run bucket properties on, taken from the target's own listings.

On an emulator the seeded world has `Documents` with files; on the cloud the app may lack the
buckets scopes, or the folders it lists may hold no bucket with a file: the test is then
skipped, saying which.
"""

from typing import Any

import pytest

from uipath_emulator.client import APIError, UiPathClient
from uipath_emulator.contract_tests.folders import (
    FOLDERS_SCANNED,
    listed_folders,
    skip_unless_granted,
)
from uipath_emulator.contract_tests.targets import Target

BUCKETS_SCANNED = 10
"""At most this many buckets are read for files (a request or more each): the cloud's budget."""
FILES_READ = 20
"""At most this many files are downloaded per test."""
SCOPE = "OR.Buckets.Read (or OR.Administration.Read)"


def file_path(path: str) -> str:
    """A path as the two listings are compared: one leading `/` (the cloud's form is [U])."""
    return "/" + path.lstrip("/")


def a_bucket_with_files(
    target: Target, api: UiPathClient
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """(folder, bucket, its ListFiles items) of the first scanned bucket holding a file."""
    scanned = 0
    for folder in listed_folders(target, api)[:FOLDERS_SCANNED]:
        try:
            buckets = api.buckets.list(folder=folder).items
            for bucket in buckets[: BUCKETS_SCANNED - scanned]:
                scanned += 1
                files = list(api.buckets.files(bucket["Id"], folder=folder))
                if files:
                    return folder, bucket, files
        except APIError as error:
            skip_unless_granted(target, error, SCOPE)
        if scanned >= BUCKETS_SCANNED:
            break
    assert not target.is_emulator, "the emulator's world has no bucket with files"
    pytest.skip(
        f"none of the first {BUCKETS_SCANNED} buckets in the first {FOLDERS_SCANNED} folders "
        "listed holds a file"
    )
