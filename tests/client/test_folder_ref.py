"""`folder=` arguments: which of Orchestrator's four folder headers the client sends, and how."""

from __future__ import annotations

import uuid

import pytest

from uipath_emulator.client import FolderRef
from uipath_emulator.client._folder_ref import encode_folder_path, folder_headers
from uipath_emulator.mock_server.orchestrator.folders.headers import (
    FolderReference,
    folder_reference,
)

KEY = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"


def read_back(headers: dict[str, str]) -> FolderReference | None:
    """What the emulator's header reader makes of `headers` (names matched in any case)."""
    folded = {name.casefold(): value for name, value in headers.items()}
    return folder_reference(lambda name: folded.get(name.casefold()))


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("Finance/Invoices", {"X-UIPATH-FolderPath": "Finance/Invoices"}),
        ("/Shared", {"X-UIPATH-FolderPath": "Shared"}),
        (3, {"X-UIPATH-OrganizationUnitId": "3"}),
        (uuid.UUID(KEY), {"X-UIPATH-FolderKey": KEY}),
        (FolderRef.by_key(KEY.upper()), {"X-UIPATH-FolderKey": KEY}),
        ({"Key": KEY, "Id": 3}, {"X-UIPATH-FolderKey": KEY}),
        ({"Key": None, "Id": 3}, {"X-UIPATH-OrganizationUnitId": "3"}),
    ],
    ids=["path", "leading slash", "id", "uuid key", "ref key", "listed folder", "id of listed"],
)
def test_each_kind_of_folder_is_sent_in_its_own_header(
    folder: object, expected: dict[str, str]
) -> None:
    """A path, id, key or listed folder becomes exactly one header, the one Orchestrator reads."""
    assert folder_headers(folder) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ["Équipe/Factures", "財務", "Tab\there"])
def test_non_ascii_paths_go_base64_utf16le_encoded(path: str) -> None:
    """A path that is not printable ASCII is sent only as X-UIPATH-FolderPath-Encoded, and the
    emulator's reader decodes it back to the same path."""
    headers = folder_headers(path)
    assert list(headers) == ["X-UIPATH-FolderPath-Encoded"]
    assert headers["X-UIPATH-FolderPath-Encoded"].isascii()
    assert read_back(headers) == FolderReference("path", path)


def test_documented_encoding_example() -> None:
    """`Shared` encodes to `UwBoAGEAcgBlAGQA`, the example UiPath documents."""
    assert FolderRef.by_path("Shared").headers() == {"X-UIPATH-FolderPath": "Shared"}
    assert folder_headers(FolderRef("path", "Shäred"))["X-UIPATH-FolderPath-Encoded"] == (
        "UwBoAOQAcgBlAGQA"
    )
    assert encode_folder_path("Shared") == "UwBoAGEAcgBlAGQA"


@pytest.mark.parametrize(
    ("folder", "error"),
    [
        ("", ValueError),
        ("Finance//Invoices", ValueError),
        ("Finance/", ValueError),
        (True, TypeError),
        (3.0, TypeError),
        ({"Name": "x"}, ValueError),
    ],
)
def test_arguments_that_name_no_folder_are_refused_before_sending(
    folder: object, error: type[Exception]
) -> None:
    """An empty path, an empty segment, a bool, a float or a mapping without Key/Id raises."""
    with pytest.raises(error):
        folder_headers(folder)  # type: ignore[arg-type]


def test_a_key_must_be_a_guid() -> None:
    """`FolderRef.by_key` refuses a value that is not a GUID, naming it."""
    with pytest.raises(ValueError, match="a folder key is a GUID, got 'Finance'"):
        FolderRef.by_key("Finance")
