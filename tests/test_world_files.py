"""World documents: what a world file may hold, and the errors that name the bad field."""

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from uipath_emulator.mock_server import Emulator, WorldError


def default_document() -> dict[str, Any]:
    """A fresh copy of the well-known world as a document."""
    return copy.deepcopy(Emulator().state())


def test_machine_names_differing_by_trailing_spaces_are_duplicates() -> None:
    """Two machines named `A` and `a ` in one tenant are refused, naming the second one."""
    document = default_document()
    machines = document["organizations"][0]["tenants"][0]["entities"]["Machines"]
    machines.append({"Name": machines[0]["Name"].lower() + "  "})
    with pytest.raises(WorldError) as raised:
        Emulator(document)
    where = f"organizations[0].tenants[0].entities.Machines[{len(machines) - 1}].Name"
    assert str(raised.value).startswith(f"{where}: machine name ")
    assert "is already used at organizations[0].tenants[0].entities.Machines[0].Name" in str(
        raised.value
    )


def test_a_folder_without_an_id_gets_its_path_checked() -> None:
    """A world folder without an Id that repeats a path (in another case) is refused by name;
    one with a new path loads with that path."""
    document = default_document()
    folders = document["organizations"][0]["tenants"][0]["entities"]["Folders"]
    folders.append({"DisplayName": "shared"})
    with pytest.raises(WorldError, match=r"Folders\[4\]\.DisplayName: the path is already used"):
        Emulator(document)
    folders[-1] = {"DisplayName": "Audit"}
    loaded = Emulator(document).entities("acme", "DefaultTenant", "Folders").list()
    assert [folder["FullyQualifiedName"] for folder in loaded][-1] == "Audit"


@pytest.mark.parametrize(
    ("scope", "hint"),
    [("OR.Machine.Read", "; did you mean 'OR.Machines.Read'?"), ("Nothing.Like.It", "")],
)
def test_unknown_scope_names_its_path_and_the_closest_scope(scope: str, hint: str) -> None:
    """A scope no Orchestrator or Identity family has is refused, naming the field path."""
    document = default_document()
    document["organizations"][0]["apps"][1]["scopes"].append(scope)
    position = len(document["organizations"][0]["apps"][1]["scopes"]) - 1
    with pytest.raises(WorldError) as raised:
        Emulator(document)
    assert str(raised.value) == (
        f"organizations[0].apps[1].scopes[{position}]: {scope!r} is not an Orchestrator or "
        f"Identity scope{hint}"
    )


def test_missing_marker_world_names_both_places_looked(tmp_path: Path) -> None:
    """A `uipath_world` file that does not exist fails the test naming where it was looked for."""
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_it.py").write_text(
        "import pytest\n\n\n@pytest.mark.uipath_world('worlds/nope.json')\n"
        "def test_it(uipath_emulator):\n    pass\n",
        encoding="utf-8",
    )
    run = subprocess.run(  # noqa: S603 - this interpreter's pytest, on a folder of our own
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1
    beside = tests / "worlds" / "nope.json"
    under_root = tmp_path / "worlds" / "nope.json"
    assert (
        f"@pytest.mark.uipath_world('worlds/nope.json'): no such file; looked for {beside} and "
        f"{under_root} (beside the test file, then under the rootdir)"
    ) in run.stdout


def _as_version_1(document: dict[str, Any]) -> dict[str, Any]:
    """The document as version 1 wrote it: a tenant's `machines` and `next_machine_id`."""
    old = copy.deepcopy(document)
    old["version"] = 1
    for organization in old["organizations"]:
        for tenant in organization["tenants"]:
            tenant["machines"] = tenant.pop("entities").get("Machines", [])
            next_ids = tenant.pop("next_ids", {})
            if "Machines" in next_ids:
                tenant["next_machine_id"] = next_ids["Machines"]
    return old


def test_version_1_documents_load_as_version_2(tmp_path: Path) -> None:
    """A v1 world file's machines load unchanged, their next id kept, served back as v2."""
    current = default_document()
    current["organizations"][0]["tenants"][0]["next_ids"] = {"Machines": 500}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_as_version_1(current)), encoding="utf-8")
    emulator = Emulator(path)
    loaded = emulator.state()["organizations"]
    for organization, expected in zip(loaded, current["organizations"], strict=True):
        for tenant, tenant_expected in zip(
            organization["tenants"], expected["tenants"], strict=True
        ):
            assert tenant["entities"]["Machines"] == tenant_expected["entities"]["Machines"]
            assert tenant["next_ids"].get("Machines") == tenant_expected["next_ids"].get("Machines")
    added = emulator.entities("acme", "DefaultTenant", "Machines").add({"Name": "after-v1"})
    assert added["Id"] == 500


def test_version_1_errors_name_the_version_1_path() -> None:
    """A bad field in a v1 document is named as the v1 document writes it (`machines[2]`)."""
    old = _as_version_1(default_document())
    old["organizations"][0]["tenants"][0]["machines"][2]["Type"] = "Foo"
    with pytest.raises(WorldError) as raised:
        Emulator(old)
    assert str(raised.value).startswith("organizations[0].tenants[0].machines[2].Type: ")
