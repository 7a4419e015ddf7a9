"""Where the shipped data files (default world, JSON Schemas) live, installed or in a checkout."""

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def fixtures_dir() -> Path:
    """The fixtures folder: inside the installed wheel, else the checkout's top-level one."""
    shipped = _PACKAGE_DIR / "_fixtures"
    if shipped.is_dir():
        return shipped
    return _PACKAGE_DIR.parent / "fixtures"


def default_world_path() -> Path:
    """The well-known default world that `uipath-mock` loads when no `--world` is given."""
    return fixtures_dir() / "worlds" / "default.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema from `fixtures/schemas/`, e.g. `load_schema("machine")`."""
    path = fixtures_dir() / "schemas" / f"{name}.schema.json"
    with path.open(encoding="utf-8") as stream:
        schema: dict[str, Any] = json.load(stream)
    return schema
