"""`uipath-client` as a child process against `uipath-mock` started by its own CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from tests.subprocess_helpers import EmulatorProcess, run_client, stderr_lines
from uipath_emulator.mock_server.resources import default_world_path
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT

JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")


def _seeded() -> list[dict[str, object]]:
    """The machines of acme/DefaultTenant in the default world, by id."""
    world = json.loads(default_world_path().read_text(encoding="utf-8"))
    org = next(o for o in world["organizations"] if o["name"] == ORGANIZATION)
    tenant = next(t for t in org["tenants"] if t["name"] == TENANT)
    return sorted(tenant["entities"]["Machines"], key=lambda machine: machine["Id"])


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorProcess]:
    """One `uipath-mock --port 0` on the default world for the whole module (nothing writes)."""
    with EmulatorProcess() as process:
        yield process


@pytest.fixture(scope="module")
def settings(server: EmulatorProcess) -> dict[str, str]:
    """The environment `uipath-client` reads, for the well-known `full` app on `server`."""
    assert FULL.client_secret is not None
    return {
        "UIPATH_URL": server.url(f"/{ORGANIZATION}/{TENANT}"),
        "UIPATH_CLIENT_ID": FULL.client_id,
        "UIPATH_CLIENT_SECRET": FULL.client_secret,
    }


def test_machines_list_prints_the_seeded_machines(settings: dict[str, str]) -> None:
    """`machines list` prints a table row for every seeded machine and exits 0."""
    result = run_client("machines", "list", env=settings)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Id", "Name", "Type", "Scope"]
    rows = lines[2:]
    assert len(rows) == len(_seeded())
    for row, machine in zip(rows, _seeded(), strict=True):
        assert row.startswith(f"{machine['Id']} ")
        assert f"  {machine['Name']}  " in row
    assert "BUILD-AGENT-01" in result.stdout


def test_machines_list_json_prints_the_machines(settings: dict[str, str]) -> None:
    """`machines list --json` prints the seeded machines as a JSON array, as the API sent them."""
    result = run_client("machines", "list", "--json", env=settings)
    assert result.returncode == 0, result.stderr
    machines = json.loads(result.stdout)
    assert [(m["Id"], m["Name"], m["Key"]) for m in machines] == [
        (m["Id"], m["Name"], m["Key"]) for m in _seeded()
    ]


def test_machines_list_filter_is_applied_by_the_emulator(settings: dict[str, str]) -> None:
    """`machines list --filter "Type eq 'Template'"` prints only the template machines."""
    result = run_client(
        "machines", "list", "--json", "--filter", "Type eq 'Template'", env=settings
    )
    assert result.returncode == 0, result.stderr
    names = [machine["Name"] for machine in json.loads(result.stdout)]
    assert names == [m["Name"] for m in _seeded() if m["Type"] == "Template"]
    assert names


def test_wrong_secret_fails_with_one_invalid_client_line(settings: dict[str, str]) -> None:
    """A wrong secret: non-zero exit, one stderr line with `invalid_client`, no traceback."""
    wrong = "not-the-secret-4711"
    result = run_client("machines", "list", env={**settings, "UIPATH_CLIENT_SECRET": wrong})
    assert result.returncode != 0
    lines = stderr_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert "invalid_client" in lines[0]
    assert "Traceback" not in result.stderr
    assert wrong not in result.stderr + result.stdout
    assert result.stdout == ""


def test_token_prints_expiry_and_scopes_but_not_the_token(settings: dict[str, str]) -> None:
    """`token` prints type, expiry and scopes; neither the access token nor the secret."""
    result = run_client("token", env=settings)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "token_type: Bearer" in lines
    assert "expires_in: 3600" in lines
    assert f"scope: {' '.join(FULL.scopes)}" in lines
    assert any(line.startswith("expires_at: ") for line in lines)
    output = result.stdout + result.stderr
    assert JWT.search(output) is None
    assert "access_token" not in output
    assert settings["UIPATH_CLIENT_SECRET"] not in output
