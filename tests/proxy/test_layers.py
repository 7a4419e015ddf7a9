"""The new pure cores stay pure: no Flask, no werkzeug, no web edge or transport imports."""

import ast
from pathlib import Path

import pytest

import uipath_emulator.mock_server as package

PURE_CORES = ("tls", "portal")
FORBIDDEN = (
    "flask",
    "werkzeug",
    "uipath_emulator.mock_server.web",
    "uipath_emulator.mock_server.transports",
    "uipath_emulator.mock_server.cli",
)


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports (absolute names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("core", PURE_CORES)
def test_pure_core_imports_no_web_code(core: str) -> None:
    """Modules of `mock_server/{core}/` import neither Flask nor the web edge nor transports."""
    folder = Path(package.__file__).parent / core
    offending = {
        f"{path.name}: {name}"
        for path in folder.glob("*.py")
        for name in imported_modules(path)
        if any(name == forbidden or name.startswith(f"{forbidden}.") for forbidden in FORBIDDEN)
    }
    assert offending == set()
