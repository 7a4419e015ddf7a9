"""Where the shipped data files (default world, JSON Schemas) live, installed or in a checkout."""

from functools import cache
from pathlib import Path

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
