"""Buckets and their files in world documents: seeded files load completed, bad ones are refused
naming the field."""

import copy
from typing import Any

import pytest

from tests.orchestrator.bucket_helpers import download
from uipath_emulator.mock_server import Emulator, WorldError

FILES_AT = "organizations[0].tenants[0].entities.BucketFiles"


def default_document() -> dict[str, Any]:
    """A fresh copy of the well-known world as a document."""
    return copy.deepcopy(Emulator().state())


def files_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """acme/DefaultTenant's file records in a document."""
    files: list[dict[str, Any]] = document["organizations"][0]["tenants"][0]["entities"][
        "BucketFiles"
    ]
    return files


def test_a_seeded_file_without_slash_or_size_is_completed() -> None:
    """A world file `a\\b.txt` without Size loads as `/a/b.txt` with its size, and downloads."""
    document = default_document()
    files_of(document).append({"BucketId": 1, "FullPath": "a\\b.txt", "Content": "aGk="})
    emulator = Emulator(document)
    (seeded,) = [
        record
        for record in emulator.entities("acme", "DefaultTenant", "BucketFiles").list()
        if record["FullPath"] == "/a/b.txt"
    ]
    assert seeded["Size"] == 2
    assert download(emulator.app.test_client(), "a/b.txt").data == b"hi"


@pytest.mark.parametrize(
    ("record", "member", "text"),
    [
        ({"BucketId": 9, "FullPath": "x", "Content": ""}, "BucketId", "no bucket"),
        ({"BucketId": 1, "FullPath": "a/../x", "Content": ""}, "FullPath", "'..'"),
        ({"BucketId": 1, "FullPath": "x", "Content": "not base64!"}, "Content", "base64"),
        ({"BucketId": 1, "FullPath": "readme.txt", "Content": ""}, "FullPath", "already"),
    ],
    ids=["unknown-bucket", "dot-dot", "bad-base64", "taken-path"],
)
def test_bad_seeded_files_are_refused(record: dict[str, Any], member: str, text: str) -> None:
    """A world file in no bucket, with a climbing path, bad content or a taken path is refused,
    the error naming the record's member."""
    document = default_document()
    files = files_of(document)
    files.append(record)
    with pytest.raises(WorldError) as raised:
        Emulator(document)
    assert str(raised.value).startswith(f"{FILES_AT}[{len(files) - 1}].{member}: ")
    assert text in str(raised.value)
