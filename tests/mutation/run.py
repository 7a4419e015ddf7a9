"""Mutation-test the security-facing modules with mutmut 3.8 and print a score per module.

    pip install -e '.[test,mutation]'
    python tests/mutation/run.py                 # fresh run: removes ./mutants, then `mutmut run`
    python tests/mutation/run.py 'uipath_emulator.mock_server.identity.grants*'  # only these
    python tests/mutation/run.py --max-children 1     # one mutant at a time (default: a core each)
    python tests/mutation/run.py --keep          # reuse ./mutants: mutmut reruns what changed
    python tests/mutation/run.py --scores        # only print the scores of the last run

What is mutated and which tests run is `[tool.mutmut]` in pyproject.toml; each mutant runs
against the tests that reached its function in a clean run. A module's score is the share of
the mutants checked that the tests killed (a timeout counts as killed), leaving out the
equivalent mutants listed in docs/MUTATION.md. Under mutmut, tests/conftest.py runs Hypothesis
derandomized and without an example database, so scores repeat.

The tests import the modules as `uipath_emulator.mock_server...` and `uipath_emulator.client...`
(hatch_build.py), while mutmut names a mutant after its file's path (`mock_server/...`) and
only runs a mutant in a module whose `__name__` is that name. So this script prefixes the
names with `uipath_emulator.` and puts a `uipath_emulator` package in ./mutants whose path is
./mutants: the tests then import the mutated copies under the names the mutants carry.
Not run in CI: a full run takes long (see docs/MUTATION.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NAMESPACE = "uipath_emulator"
PACKAGES = frozenset({"mock_server", "client", "contract_tests"})  # as in hatch_build.py
EQUIVALENTS_DOC = REPO / "docs" / "MUTATION.md"
_EQUIVALENT = re.compile(r"^\| `([\w.ǁ]+__mutmut_\d+)` \|", re.MULTILINE)
# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code)
_KILLED = frozenset({1, 3})
_SURVIVED = frozenset({0})
_TIMEOUT = frozenset({24, -24, 152, 255, 36})
_NO_TESTS = 33


def modules() -> list[str]:
    """The files `[tool.mutmut] only_mutate` names, in that order."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["mutmut"]["only_mutate"])


def equivalent_mutants() -> set[str]:
    """Mutant names in the first column of docs/MUTATION.md's equivalent-mutant tables."""
    if not EQUIVALENTS_DOC.exists():
        return set()
    return set(_EQUIVALENT.findall(EQUIVALENTS_DOC.read_text(encoding="utf-8")))


def survivors() -> list[str]:
    """The surviving mutants that docs/MUTATION.md does not list as equivalent."""
    equivalent = equivalent_mutants()
    names = []
    for module in modules():
        codes = _exit_codes(module)
        names += [name for name, code in codes.items() if code in _SURVIVED]
    return [name for name in names if name not in equivalent]


def _exit_codes(module: str) -> dict[str, int | None]:
    meta = REPO / "mutants" / f"{module}.meta"
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return codes


def scores() -> list[str]:
    """One Markdown table row per module: killed / checked, survivors, equivalents, score."""
    equivalent = equivalent_mutants()
    rows = [
        "| module | mutants | killed | timeout | survived | equivalent | not checked | score |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for module in modules():
        codes = _exit_codes(module)
        killed = sum(code in _KILLED for code in codes.values())
        timeout = sum(code in _TIMEOUT for code in codes.values())
        survived = [name for name, code in codes.items() if code in _SURVIVED]
        equal = sum(name in equivalent for name in survived)
        unchecked = sum(code is None or code == _NO_TESTS for code in codes.values())
        counted = killed + timeout + len(survived) - equal
        score = 100 * (killed + timeout) / counted if counted else 100.0
        rows.append(
            f"| `{module}` | {len(codes)} | {killed} | {timeout} | {len(survived)} | {equal} "
            f"| {unchecked} | {score:.1f} % |"
        )
    return rows


def _namespace_package(mutants: Path) -> None:
    """A `uipath_emulator` package in `mutants` (first on mutmut's sys.path) whose path is it."""
    package = mutants / NAMESPACE
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(
        f'"""The mutated copies, for tests/mutation/run.py."""\n\n__path__ = [{str(mutants)!r}]\n',
        encoding="utf-8",
    )


def _name_mutants_by_import_path() -> None:
    """Make mutmut name mutants `uipath_emulator.<module>...`, as the tests import them."""
    import mutmut.__main__
    import mutmut.mutation.file_mutation
    from mutmut.utils import format_utils

    by_path = format_utils.get_mutant_name

    def by_import_path(relative_source_path: Path, mutant_method_name: str) -> str:
        name = by_path(relative_source_path, mutant_method_name)
        return f"{NAMESPACE}.{name}" if name.split(".")[0] in PACKAGES else name

    for module in (mutmut.__main__, mutmut.mutation.file_mutation, format_utils):
        module.get_mutant_name = by_import_path  # type: ignore[attr-defined]


def run_mutmut(arguments: list[str]) -> int:
    """`mutmut <arguments>` in this process, with pytest 9 made readable for mutmut 3.8."""
    try:
        import _pytest.nodes
        from mutmut.__main__ import cli
    except ImportError:
        print("mutmut is not installed: pip install -e '.[test,mutation]'", file=sys.stderr)
        return 2
    _name_mutants_by_import_path()
    _namespace_package(REPO / "mutants")
    if not hasattr(_pytest.nodes.Node, "_nodeid"):
        # mutmut 3.8 reads `item._nodeid`, which pytest 9 no longer has; `nodeid` is the same.
        _pytest.nodes.Node._nodeid = property(lambda node: node.nodeid)  # type: ignore[attr-defined]
    sys.argv = ["mutmut", *arguments]
    try:
        cli()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    return 0


def main(arguments: list[str]) -> int:
    """Run mutmut (fresh unless `--keep`), then print the scores and the unexplained survivors."""
    os.chdir(REPO)
    if "--scores" not in arguments:
        if "--keep" not in arguments:
            shutil.rmtree(REPO / "mutants", ignore_errors=True)
        status = run_mutmut(["run", *(a for a in arguments if a != "--keep")])
        if status:
            return status
    print("\n".join(scores()))
    left = survivors()
    print(f"\n{len(left)} surviving mutants not listed as equivalent in docs/MUTATION.md")
    print("\n".join(f"    {name}" for name in left))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
