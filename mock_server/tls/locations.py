"""Where the local CA lives by default: the per-user data folder of each OS's convention."""

import os
import sys
from pathlib import Path

APP_FOLDER = "uipath-cloud-emulator"


def user_data_dir() -> Path:
    """This program's per-user data folder, as each OS names it (no `platformdirs` needed).

    Windows `%LOCALAPPDATA%` (not roaming: the CA key stays on this machine), macOS
    `~/Library/Application Support`, elsewhere `$XDG_DATA_HOME` (when absolute, as the XDG
    spec requires) or `~/.local/share`.
    """
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        base = Path(local) if local else Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / APP_FOLDER


def default_ca_dir() -> Path:
    """The folder of the proxy's CA when `--ca-dir` is not given."""
    return user_data_dir() / "ca"
