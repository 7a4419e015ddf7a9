"""Packaging: the repository's top-level folders installed under one namespace, `uipath_emulator`.

The repository keeps `mock_server/`, `client/` and `contract_tests/` at its top level (the
project's agreed layout), but an installed top-level package named `client` would collide with a
user's own `client.py`. So:

- a wheel holds them as `uipath_emulator/mock_server`, `uipath_emulator/client` and
  `uipath_emulator/contract_tests` (with `fixtures/` as `uipath_emulator/mock_server/_fixtures`);
- an editable install holds one module, `uipath_emulator/__init__.py`, whose package path is the
  checkout, so `uipath_emulator.mock_server` is the checkout's `mock_server/` and nothing of the
  checkout becomes importable under its own top-level name.

hatchling's `sources` option cannot add a prefix in editable installs, hence this hook.
"""

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

NAMESPACE = "uipath_emulator"
PACKAGES = ("mock_server", "client", "contract_tests")
_SKIPPED_DIRECTORIES = frozenset({"__pycache__"})
_SKIPPED_SUFFIXES = (".pyc", ".pyo")

_WHEEL_INIT = '"""uipath-cloud-emulator: `mock_server`, `client` and `contract_tests`."""\n'
_EDITABLE_INIT = (
    '"""uipath-cloud-emulator, installed in editable mode from a checkout."""\n\n'
    "__path__ = [{root!r}]\n"
)


def _files(root: Path, folder: str) -> dict[str, str]:
    """Every file of `folder` (no bytecode caches), as source path -> path inside the wheel."""
    mapping: dict[str, str] = {}
    for directory, subdirectories, names in os.walk(root / folder):
        subdirectories[:] = sorted(d for d in subdirectories if d not in _SKIPPED_DIRECTORIES)
        for name in sorted(names):
            if name.endswith(_SKIPPED_SUFFIXES):
                continue
            source = Path(directory) / name
            mapping[str(source)] = source.relative_to(root).as_posix()
    return mapping


class NamespaceBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Maps the top-level folders into `uipath_emulator/` (wheel), or onto the checkout."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Fill `force_include` (wheel) or `force_include_editable` (editable install)."""
        root = Path(self.root)
        self._scratch = Path(tempfile.mkdtemp(prefix="uipath-emulator-build-"))
        init = self._scratch / "__init__.py"
        if version == "editable":
            init.write_text(_EDITABLE_INIT.format(root=str(root)), encoding="utf-8")
            build_data["force_include_editable"][str(init)] = f"{NAMESPACE}/__init__.py"
            return
        init.write_text(_WHEEL_INIT, encoding="utf-8")
        build_data["force_include"][str(init)] = f"{NAMESPACE}/__init__.py"
        for package in PACKAGES:
            for source, relative in _files(root, package).items():
                build_data["force_include"][source] = f"{NAMESPACE}/{relative}"
        for source, relative in _files(root, "fixtures").items():
            inside = relative.removeprefix("fixtures/")
            build_data["force_include"][source] = f"{NAMESPACE}/mock_server/_fixtures/{inside}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the generated `__init__.py` once it is in the wheel."""
        shutil.rmtree(self._scratch, ignore_errors=True)
