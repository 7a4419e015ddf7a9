"""`--state FILE` / `Emulator(state_file=...)`: the world survives restarts and crashes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.orchestrator.helpers import token_for
from tests.subprocess_helpers import (
    HTTP_TIMEOUT,
    MACHINES_PATH,
    EmulatorProcess,
    bearer,
    get_token,
    http_session,
    run_emulator,
    stderr_lines,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.persistence import DurableState
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

CREATES = 30
WRITERS = 4


@pytest.fixture
def session() -> Iterator[requests.Session]:
    """An HTTP session that reaches 127.0.0.1 directly, whatever the proxy settings."""
    with http_session() as http:
        yield http


def _tenant_machines(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The machines of acme/DefaultTenant in a world document."""
    org = next(o for o in document["organizations"] if o["name"] == ORGANIZATION)
    tenant = next(t for t in org["tenants"] if t["name"] == TENANT)
    machines: list[dict[str, Any]] = tenant["entities"]["Machines"]
    return machines


def _machine_url(process: EmulatorProcess, machine_id: int) -> str:
    return process.url(f"{MACHINES_PATH}({machine_id})")


def test_machine_survives_sigkill_and_restart(tmp_path: Path, session: requests.Session) -> None:
    """A machine created on `--state FILE` is there after SIGKILL and a restart on FILE."""
    state = tmp_path / "state.json"
    assert not state.exists()
    with EmulatorProcess("--state", str(state)) as first:
        token = get_token(session, first.base_url)["access_token"]
        created = session.post(
            first.url(MACHINES_PATH),
            json={"Name": "persisted-1"},
            headers=bearer(token),
            timeout=HTTP_TIMEOUT,
        )
        assert created.status_code == 201, created.text
        first.kill()  # SIGKILL on POSIX: no clean shutdown, no chance to write anything more
        assert first.process.returncode != 0
        assert "uipath-mock: stopped" not in first.remaining_stdout()
    machine = created.json()

    with EmulatorProcess("--state", str(state)) as second:
        token = get_token(session, second.base_url)["access_token"]
        found = session.get(
            _machine_url(second, machine["Id"]), headers=bearer(token), timeout=HTTP_TIMEOUT
        )
    assert found.status_code == 200, found.text
    assert found.json()["Name"] == "persisted-1"
    assert found.json()["Key"] == machine["Key"]


def test_truncated_state_file_fails_the_start(tmp_path: Path) -> None:
    """A state file cut in half stops the start with exit 2 and one 'not valid JSON' line."""
    valid = tmp_path / "valid.json"
    Emulator(state_file=valid)
    text = valid.read_text(encoding="utf-8")
    state = tmp_path / "state.json"
    state.write_text(text[: len(text) // 2], encoding="utf-8")
    before = state.read_bytes()

    result = run_emulator("--port", "0", "--state", str(state))

    assert result.returncode == 2, result.stdout
    lines = stderr_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"uipath-mock: error: {state}: the file is not valid JSON")
    assert "truncated" in lines[0]
    assert "Traceback" not in result.stderr
    assert "listening on" not in result.stdout
    assert state.read_bytes() == before, "a failed start must leave the state file as it was"


def test_state_file_is_consistent_under_concurrent_writes(
    tmp_path: Path, session: requests.Session
) -> None:
    """Concurrent creates: the snapshot always parses, the saved state ends with every machine."""
    folder = tmp_path / "state"
    folder.mkdir()
    state = folder / "state.json"
    done = threading.Event()
    reads: list[int] = []
    torn: list[str] = []

    def watch() -> None:
        while not done.is_set():
            text = state.read_text(encoding="utf-8")
            try:
                json.loads(text)
            except json.JSONDecodeError as error:
                torn.append(f"{error}: {text[-80:]!r}")
            reads.append(len(text))

    with EmulatorProcess("--state", str(state)) as process:
        token = get_token(session, process.base_url)["access_token"]

        def create(index: int) -> dict[str, Any]:
            with requests.Session() as own:
                own.trust_env = False
                response = own.post(
                    process.url(MACHINES_PATH),
                    json={"Name": f"atomic-{index:02d}", "UnattendedSlots": index % 3},
                    headers=bearer(token),
                    timeout=HTTP_TIMEOUT,
                )
            assert response.status_code == 201, response.text
            machine: dict[str, Any] = response.json()
            return machine

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            with ThreadPoolExecutor(max_workers=WRITERS) as pool:
                created = list(pool.map(create, range(CREATES)))
        finally:
            done.set()
            watcher.join(timeout=HTTP_TIMEOUT)
        assert not watcher.is_alive()
        served = session.get(process.url("/_emulator/state"), timeout=HTTP_TIMEOUT).json()
        saved = DurableState(state).recover()

    assert torn == []
    assert reads, "the watcher never read the state file"
    assert saved == served
    by_name = {machine["Name"]: machine for machine in _tenant_machines(saved)}
    for machine in created:
        assert by_name[machine["Name"]]["Id"] == machine["Id"]
        assert by_name[machine["Name"]]["Key"] == machine["Key"]
    assert len({machine["Id"] for machine in created}) == CREATES
    assert sorted(path.name for path in folder.iterdir()) == [
        "state.json",
        "state.json.journal",
        "state.json.lock",
    ]


def _entity(body: dict[str, Any]) -> dict[str, Any]:
    """A machine body without OData annotations or `ClientSecret` (only shown on create)."""
    return {
        name: value
        for name, value in body.items()
        if not name.startswith("@odata.") and name != "ClientSecret"
    }


def test_in_process_create_is_saved_and_reloaded(tmp_path: Path) -> None:
    """A create through the Flask app is saved at once; a new Emulator on the file sees it."""
    path = tmp_path / "state.json"
    emulator = Emulator(state_file=path)
    http = emulator.app.test_client()
    created = http.post(
        MACHINES_PATH, json={"Name": "in-process-1"}, headers=bearer(token_for(http))
    )
    assert created.status_code == 201, created.data
    machine = created.get_json()

    saved = DurableState(path).recover()
    assert saved == emulator.state()
    assert [m for m in _tenant_machines(saved) if m["Name"] == "in-process-1"] == [
        {**_entity(machine), "ClientSecret": None}
    ]

    emulator.close()
    reloaded = Emulator(state_file=path)
    again = reloaded.app.test_client()
    found = again.get(f"{MACHINES_PATH}({machine['Id']})", headers=bearer(token_for(again)))
    assert found.status_code == 200, found.data
    assert _entity(found.get_json()) == _entity(machine)


@pytest.mark.parametrize(
    ("body", "status"),
    [({"Type": "Standard"}, 400), ({"Name": "x", "Type": "Foo"}, 400), ({"Name": ""}, 400)],
    ids=["missing-name", "bad-type", "blank-name"],
)
def test_in_process_rejected_request_leaves_state_file_alone(
    tmp_path: Path, body: dict[str, Any], status: int
) -> None:
    """A create the API rejects neither changes the state file's bytes nor rewrites it."""
    path = tmp_path / "state.json"
    emulator = Emulator(state_file=path)
    http = emulator.app.test_client()
    token = token_for(http)
    before, stat = path.read_bytes(), path.stat()

    response = http.post(MACHINES_PATH, json=body, headers=bearer(token))

    assert response.status_code == status, response.data
    assert path.read_bytes() == before
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)


def test_an_emulator_dropped_without_close_frees_its_state_file(tmp_path: Path) -> None:
    """A test that drops an emulator (app built, so a reference cycle) can reopen its file."""
    path = tmp_path / "state.json"
    first = Emulator(state_file=path)
    created = first.entities("acme", "DefaultTenant", "Machines").add({"Name": "kept"})
    assert first.app is not None
    del first
    again = Emulator(state_file=path)
    try:
        assert (
            again.entities("acme", "DefaultTenant", "Machines").get(created["Id"])["Name"] == "kept"
        )
    finally:
        again.close()
