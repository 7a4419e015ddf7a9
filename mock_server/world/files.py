"""Reading a world or state file from disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from uipath_emulator.mock_server.jsonio import JSONBodyError, parse_json_body
from uipath_emulator.mock_server.world.bulk import collector_paused
from uipath_emulator.mock_server.world.loader import WorldError


def read_world_document(path: str | Path) -> dict[str, Any]:
    """The parsed JSON of a world or state file; `WorldError` naming the file if unreadable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WorldError(f"{path}: cannot read world file: {error}") from None
    try:
        with collector_paused():
            document: dict[str, Any] = parse_json_body(data, "the file")
    except JSONBodyError as error:
        raise WorldError(f"{path}: {error} (truncated or corrupt?)") from None
    return document
