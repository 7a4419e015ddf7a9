"""The architecture holds: import-linter's contracts, and an engine that names no entity set."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("mock_server", "client", "contract_tests")
LINT_TIMEOUT = 120
ENGINE_MODULES = (
    "mock_server/orchestrator/odata",
    "mock_server/world/store.py",
    "mock_server/orchestrator/representation.py",
    "mock_server/orchestrator/entities/registry.py",
    "mock_server/orchestrator/entities/types.py",
    "mock_server/orchestrator/entities/validation.py",
    "mock_server/orchestrator/entities/input.py",
    "mock_server/orchestrator/entities/crud.py",
    "mock_server/orchestrator/entities/handle.py",
    "mock_server/web/orchestrator.py",
    "mock_server/openapi/entities.py",
    "mock_server/persistence",
)
"""The generic modules: OData, store, representation, write validation, routing, documents."""


def _source_copy(root: Path) -> Path:
    """The project's packages as `uipath_emulator.*` under `root` (whatever the install mode)."""
    package = root / "uipath_emulator"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name in PACKAGES:
        for source in (REPO / name).rglob("*.py"):
            target = package / source.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return package


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the project's contracts, over the copy under `root`."""
    command = [
        sys.executable,
        "-c",
        "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())",
        str(REPO / "pyproject.toml"),
        "--no-cache",
    ]
    environment = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(  # noqa: S603 - this interpreter running import-linter
        command,
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=LINT_TIMEOUT,
        check=False,
    )


def test_import_contracts_are_kept(tmp_path: Path) -> None:
    """Every import-linter contract of pyproject.toml is kept by the source as it is."""
    _source_copy(tmp_path)
    result = _lint_imports(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "contract"),
    [
        ("world/probe.py", "import flask", "Pure packages never import Flask or werkzeug"),
        (
            "orchestrator/odata/probe.py",
            "from werkzeug.exceptions import NotFound",
            "Pure packages never import Flask or werkzeug",
        ),
        ("world/probe.py", "from uipath_emulator.mock_server.web import app", "layers"),
    ],
    ids=["world-imports-flask", "odata-imports-werkzeug", "world-imports-web"],
)
def test_a_pure_module_reaching_the_edge_breaks_a_contract(
    tmp_path: Path, module: str, statement: str, contract: str
) -> None:
    """A pure module importing Flask, werkzeug or the web edge makes lint-imports fail."""
    package = _source_copy(tmp_path)
    (package / "mock_server" / module).write_text(statement + "\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in " ".join(broken.split())


def test_engine_modules_name_no_entity_set() -> None:
    """No generic module mentions a registered set or its type: each lives in its declaration.

    Folders are the engine's own concept (folder headers, folder-scoped sets), so the word
    "folder" may appear; the `Folders` set and its type may not.
    """
    names = set()
    for entity_set in default_registry():
        names |= {entity_set.name, entity_set.type.name}
        if entity_set.name != "Folders":
            names.add(entity_set.label)
    words = "|".join(re.escape(name) for name in sorted(names))
    pattern = re.compile(rf"\b(?:{words})\b")
    found = []
    for entry in ENGINE_MODULES:
        path = REPO / entry
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{source.relative_to(REPO)}:{number}: {line.strip()}")
    assert found == []
