"""The four headers that name a request's folder, read as Orchestrator reads them.

`X-UIPATH-OrganizationUnitId` (the folder's Id), `X-UIPATH-FolderKey` (its Key),
`X-UIPATH-FolderPath-Encoded` (Base64 of the path's UTF-16LE bytes) and `X-UIPATH-FolderPath`
(the path as plain ASCII text), names matched in any case. When several are sent, the first of
that list wins (the cloud's precedence is unconfirmed); a value that cannot name any folder
(not an integer, not a GUID, not Base64, not ASCII, a relative path) names no folder.
"""

import base64
import binascii
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

FOLDER_ID = "X-UIPATH-OrganizationUnitId"
FOLDER_KEY = "X-UIPATH-FolderKey"
FOLDER_PATH_ENCODED = "X-UIPATH-FolderPath-Encoded"
FOLDER_PATH = "X-UIPATH-FolderPath"
FOLDER_HEADERS = (FOLDER_ID, FOLDER_KEY, FOLDER_PATH_ENCODED, FOLDER_PATH)
_INT64 = 2**63


@dataclass(frozen=True)
class FolderReference:
    """What the request's headers say about its folder."""

    kind: Literal["id", "key", "path", "none"]
    """`none`: a header was sent, but its value names no folder."""
    value: int | str | None = None


def folder_reference(header: Callable[[str], str | None]) -> FolderReference | None:
    """The folder the headers name (`header(name)` looks a header up in any case), or None."""
    for name in FOLDER_HEADERS:
        raw = header(name)
        if raw is None or not raw.strip():
            continue
        text = raw.strip()
        if name == FOLDER_ID:
            return _folder_id(text)
        if name == FOLDER_KEY:
            return _folder_key(text)
        if name == FOLDER_PATH_ENCODED:
            return _folder_path(_decoded(text))
        return _folder_path(text if text.isascii() else None)
    return None


def _folder_id(text: str) -> FolderReference:
    body = text[1:] if text[:1] in "+-" else text
    if not (body.isascii() and body.isdigit()) or len(body) > 19:
        return FolderReference("none")
    value = int(text)
    return FolderReference("id", value) if -_INT64 <= value < _INT64 else FolderReference("none")


def _folder_key(text: str) -> FolderReference:
    try:
        return FolderReference("key", str(uuid.UUID(text)))
    except ValueError:
        return FolderReference("none")


def _decoded(text: str) -> str | None:
    try:
        return base64.b64decode(text, validate=True).decode("utf-16-le")
    except (binascii.Error, ValueError):
        return None


def _folder_path(path: str | None) -> FolderReference:
    if path is None:
        return FolderReference("none")
    path = path.removeprefix("/")
    segments = path.split("/")
    if not path or any(segment in ("", ".", "..") for segment in segments):
        return FolderReference("none")  # relative paths need a robot job's folder: none here
    return FolderReference("path", path)


def encode_folder_path(path: str) -> str:
    """The `X-UIPATH-FolderPath-Encoded` value for `path` (Base64 of its UTF-16LE bytes)."""
    return base64.b64encode(path.encode("utf-16-le")).decode("ascii")
