"""Which folder a folder-scoped call acts in, and the header that says so.

Orchestrator takes the folder from one of four headers: `X-UIPATH-OrganizationUnitId` (the
folder's `Id`), `X-UIPATH-FolderKey` (its `Key`), `X-UIPATH-FolderPath` (its
`FullyQualifiedName`, plain text) or `X-UIPATH-FolderPath-Encoded` (Base64 of the path's
UTF-16LE bytes). Like UiPath's Python SDK, the client sends the plain path header for printable
ASCII paths and the encoded one for any other path.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

FOLDER_ID_HEADER = "X-UIPATH-OrganizationUnitId"
FOLDER_KEY_HEADER = "X-UIPATH-FolderKey"
FOLDER_PATH_HEADER = "X-UIPATH-FolderPath"
FOLDER_PATH_ENCODED_HEADER = "X-UIPATH-FolderPath-Encoded"


@dataclass(frozen=True)
class FolderRef:
    """A folder named by its `Id`, its `Key` (a GUID) or its path (`Finance/Invoices`)."""

    kind: Literal["id", "key", "path"]
    value: int | str

    @classmethod
    def by_id(cls, folder_id: int) -> FolderRef:
        """The folder whose `Id` (the `OrganizationUnitId`) is `folder_id`."""
        if isinstance(folder_id, bool) or not isinstance(folder_id, int):
            raise TypeError(f"a folder id is an int, got {type(folder_id).__name__}")
        return cls("id", folder_id)

    @classmethod
    def by_key(cls, key: str | uuid.UUID) -> FolderRef:
        """The folder whose `Key` is this GUID."""
        try:
            return cls("key", str(key if isinstance(key, uuid.UUID) else uuid.UUID(key)))
        except (ValueError, AttributeError, TypeError):
            raise ValueError(f"a folder key is a GUID, got {key!r}") from None

    @classmethod
    def by_path(cls, path: str) -> FolderRef:
        """The folder whose `FullyQualifiedName` is `path` (a leading `/` is allowed)."""
        if not isinstance(path, str):
            raise TypeError(f"a folder path is a str, got {type(path).__name__}")
        trimmed = path.strip().removeprefix("/")
        if not trimmed or any(not segment for segment in trimmed.split("/")):
            raise ValueError(f"a folder path names folders separated by '/', got {path!r}")
        return cls("path", trimmed)

    def headers(self) -> dict[str, str]:
        """The one header that names this folder."""
        if self.kind == "id":
            return {FOLDER_ID_HEADER: str(self.value)}
        if self.kind == "key":
            return {FOLDER_KEY_HEADER: str(self.value)}
        path = str(self.value)
        if all(" " <= char <= "~" for char in path):
            return {FOLDER_PATH_HEADER: path}
        return {FOLDER_PATH_ENCODED_HEADER: encode_folder_path(path)}


FolderLike = FolderRef | str | int | uuid.UUID | Mapping[str, Any]
"""What a `folder=` argument takes: a `FolderRef`; a path (`str`); an id (`int`); a key
(`uuid.UUID`); or a folder as the API lists it (its `Key`, else its `Id`, is used)."""


def folder_ref(folder: FolderLike) -> FolderRef:
    """The `FolderRef` a `folder=` argument stands for."""
    if isinstance(folder, FolderRef):
        return folder
    if isinstance(folder, uuid.UUID):
        return FolderRef.by_key(folder)
    if isinstance(folder, str):
        return FolderRef.by_path(folder)
    if isinstance(folder, int) and not isinstance(folder, bool):
        return FolderRef.by_id(folder)
    if isinstance(folder, Mapping):
        if folder.get("Key"):
            return FolderRef.by_key(folder["Key"])
        if folder.get("Id") is not None:
            return FolderRef.by_id(folder["Id"])
        raise ValueError("a folder given as a mapping needs its 'Key' or 'Id'")
    raise TypeError(
        "folder must be a FolderRef, a path (str), an id (int), a key (uuid.UUID) or a "
        f"listed folder, got {type(folder).__name__}"
    )


def folder_headers(folder: FolderLike) -> dict[str, str]:
    """The header naming `folder`."""
    return folder_ref(folder).headers()


def optional_folder_headers(folder: FolderLike | None) -> dict[str, str]:
    """The header naming `folder`; none for None (a cross-folder read of every usable folder)."""
    return {} if folder is None else folder_headers(folder)


def encode_folder_path(path: str) -> str:
    """`X-UIPATH-FolderPath-Encoded`'s value: Base64 of the path's UTF-16LE bytes."""
    return base64.b64encode(path.encode("utf-16-le")).decode("ascii")
