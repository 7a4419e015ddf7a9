"""Committed files generated from the spec and the registry are in step with their generators."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema

from uipath_emulator.mock_server.orchestrator.entities import coverage, schema_files
from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry
from uipath_emulator.mock_server.orchestrator.spec import extract

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "fixtures" / "spec"
WORLD_SCHEMA = REPO / "fixtures" / "schemas" / "world.schema.json"
REGENERATE = "regenerate it with `python -m {}` (see its docstring)"


def test_spec_subset_matches_the_extractor() -> None:
    """`orchestrator-subset.json` is exactly what extract.py makes of the committed 20.0 spec."""
    source = extract.read_source(SPEC / "orchestrator-webapi-20.0.openapi.json.gz")
    expected = extract.render(extract.extract(source))
    committed = (SPEC / "orchestrator-subset.json").read_text(encoding="utf-8")
    assert committed == expected, REGENERATE.format(extract.__name__)


def test_world_schema_matches_the_registry() -> None:
    """`world.schema.json` is exactly the schema the registry generates."""
    expected = schema_files.render(schema_files.world_file_schema(default_registry()))
    assert WORLD_SCHEMA.read_text(encoding="utf-8") == expected, REGENERATE.format(
        schema_files.__name__
    )


def test_world_schema_accepts_the_default_world_and_refuses_a_bad_record() -> None:
    """An editor using world.schema.json accepts the default world and flags a bad nested enum."""
    schema = json.loads(WORLD_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    world = json.loads((REPO / "fixtures" / "worlds" / "default.json").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(world)) == []
    broken = copy.deepcopy(world)
    machine = broken["organizations"][0]["tenants"][0]["entities"]["Machines"][0]
    machine["UpdatePolicy"] = {"Type": "Sometimes"}
    assert [list(error.absolute_path)[-1] for error in validator.iter_errors(broken)] == [
        "UpdatePolicy"
    ]


def test_readme_coverage_table_matches_the_registry() -> None:
    """The README's coverage table lists what the registry serves, as the generator writes it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == coverage.with_table(readme, default_registry()), REGENERATE.format(
        coverage.__name__
    )
    assert "| Machines | 7 of 9: `Machines_Get`" in readme
