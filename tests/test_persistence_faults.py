"""`--state FILE` under faults: SIGKILL mid-burst, full disks, crashes mid-snapshot, bad files.

The in-process tests inject faults through `FaultyOS`, which stands for the `os` module as
`persistence.durable` sees it: a chosen call fails like a full disk (`OSError`), or the process
"dies" there (`SimulatedCrash`: nothing after it touches the disk, and the next `Emulator` on
the files plays the restart). The subprocess tests SIGKILL a real `uipath-mock`.
"""

from __future__ import annotations

import errno
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests
from werkzeug.test import TestResponse

from tests import subprocess_helpers
from tests.orchestrator.helpers import token_for
from tests.subprocess_helpers import (
    HTTP_TIMEOUT,
    MACHINES_PATH,
    START_TIMEOUT,
    EmulatorProcess,
    bearer,
    get_token,
    http_session,
    run_emulator,
    stderr_lines,
    wait_until,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry
from uipath_emulator.mock_server.persistence import DurableState, PersistenceError, durable
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT
from uipath_emulator.mock_server.world import WorldError, dump_world, load_world

STATE = "state.json"
JOURNAL = "state.json.journal"
OLD_JOURNAL = "state.json.journal.old"
LOCK = "state.json.lock"
ERROR_SHAPE = {"message", "errorCode", "traceId"}
"""Orchestrator's error body."""
COMPACT_THREAD = "uipath-mock-compact"


# --- fault injection -----------------------------------------------------------------------


class SimulatedCrash(BaseException):
    """The process dies here: raised through everything, and no later call reaches the disk."""


Fault = Callable[[str, str, tuple[Any, ...]], BaseException | None]
"""(function, path, arguments) -> the exception the call raises instead of running, or None."""


class FaultyOS:
    """The `os` module as `persistence.durable` sees it, with faults on chosen calls.

    Every call that touches a file is counted (while `counting`) and may be refused by `fault`;
    after a `SimulatedCrash` every such call but `close` crashes too (a dead process writes
    nothing more; its descriptors are closed by the kernel).
    """

    TOUCHING = frozenset({"open", "write", "fsync", "replace", "rename", "unlink", "ftruncate"})
    WATCHED = TOUCHING | {"close"}

    def __init__(self) -> None:
        self.paths: dict[int, str] = {}
        self.calls: list[tuple[str, str]] = []
        self.counting = False
        self.fault: Fault | None = None
        self.crashed = False

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name not in self.WATCHED:
            return real

        def watched(*args: Any, **kwargs: Any) -> Any:
            path = self._path(name, args)
            if name in self.TOUCHING:
                if self.crashed:
                    raise SimulatedCrash(f"{name} {path} after the crash")
                if self.counting:
                    self.calls.append((name, path))
                error = self.fault(name, path, args) if self.fault is not None else None
                if isinstance(error, SimulatedCrash):
                    self.crashed = True
                if error is not None:
                    raise error
            result = real(*args, **kwargs)
            if name == "open":
                self.paths[result] = path
            elif name == "close":
                self.paths.pop(args[0], None)
            return result

        return watched

    def _path(self, name: str, args: tuple[Any, ...]) -> str:
        if name in {"open", "unlink"}:
            return str(args[0])
        if name in {"replace", "rename"}:
            return f"{args[0]} -> {args[1]}"
        return self.paths.get(args[0], f"fd {args[0]}")

    def crash_at(self, step: int) -> None:
        """Count calls from now on; the process dies at call number `step` (0-based)."""
        self.calls.clear()
        self.counting = True

        def fault(name: str, path: str, args: tuple[Any, ...]) -> BaseException | None:
            if len(self.calls) - 1 == step:
                return SimulatedCrash(f"crash at step {step}: {name} {path}")
            return None

        self.fault = fault

    def fail_at(self, step: int, code: int = errno.EIO) -> None:
        """Count calls from now on; call number `step` (0-based) fails once with `code`."""
        self.calls.clear()
        self.counting = True

        def fault(name: str, path: str, args: tuple[Any, ...]) -> BaseException | None:
            if len(self.calls) - 1 == step:
                return _os_error(code)
            return None

        self.fault = fault

    def heal(self) -> None:
        """No more faults (the disk has room again, or the process was restarted)."""
        self.fault = None
        self.counting = False
        self.crashed = False


def _os_error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def _full_disk(kind: str, target: Path) -> Fault:
    """`target` cannot grow: `write` fails (after half the bytes for "short-write"), or `fsync`."""

    def fault(name: str, path: str, args: tuple[Any, ...]) -> BaseException | None:
        if path != str(target):
            return None
        if kind == "short-write" and name == "write":
            data = bytes(args[1])
            os.write(args[0], data[: len(data) // 2])
            return _os_error(errno.ENOSPC)
        if name == kind or (kind == "short-write" and name == "fsync"):
            return _os_error(errno.ENOSPC)
        return None

    return fault


def _snapshot_cannot_be_renamed(state: Path) -> Fault:
    """Renaming a new snapshot over `state` fails like a full disk (nothing else does)."""

    def fault(name: str, path: str, args: tuple[Any, ...]) -> BaseException | None:
        if name == "replace" and Path(args[1]) == state:
            return _os_error(errno.ENOSPC)
        return None

    return fault


@pytest.fixture
def faulty_os(monkeypatch: pytest.MonkeyPatch) -> FaultyOS:
    """`persistence.durable` sees a `FaultyOS` (no fault until the test sets one)."""
    proxy = FaultyOS()
    monkeypatch.setattr(durable, "os", proxy)
    return proxy


# --- in-process helpers --------------------------------------------------------------------


class Api:
    """The Machines API and the control plane of an in-process emulator, with a token."""

    def __init__(self, emulator: Emulator) -> None:
        self.http = emulator.app.test_client()
        self.headers = bearer(token_for(self.http))

    def create(self, name: str, **fields: Any) -> TestResponse:
        """POST a machine."""
        return self.http.post(MACHINES_PATH, json={"Name": name, **fields}, headers=self.headers)

    def patch(self, machine_id: int, **fields: Any) -> TestResponse:
        """PATCH a machine."""
        return self.http.patch(f"{MACHINES_PATH}({machine_id})", json=fields, headers=self.headers)

    def delete(self, machine_id: int) -> TestResponse:
        """DELETE a machine."""
        return self.http.delete(f"{MACHINES_PATH}({machine_id})", headers=self.headers)

    def get(self, machine_id: int) -> TestResponse:
        """GET a machine."""
        return self.http.get(f"{MACHINES_PATH}({machine_id})", headers=self.headers)

    def named(self, name: str) -> list[dict[str, Any]]:
        """The machines called `name`, through `$filter`."""
        response = self.http.get(
            MACHINES_PATH, query_string={"$filter": f"Name eq '{name}'"}, headers=self.headers
        )
        assert response.status_code == 200, response.data
        found: list[dict[str, Any]] = response.get_json()["value"]
        return found

    def health(self) -> dict[str, Any]:
        """`/_emulator/health`."""
        response = self.http.get("/_emulator/health")
        assert response.status_code == 200, response.data
        body: dict[str, Any] = response.get_json()
        return body


def _created(response: TestResponse) -> dict[str, Any]:
    assert response.status_code == 201, response.data
    body: dict[str, Any] = response.get_json()
    return body


def _entity(body: dict[str, Any]) -> dict[str, Any]:
    """A machine as the API shows it, without OData annotations or the one-time secret."""
    return {k: v for k, v in body.items() if not k.startswith("@odata.") and k != "ClientSecret"}


def _machines(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The machines of acme/DefaultTenant in a world document, by name."""
    org = next(o for o in document["organizations"] if o["name"] == ORGANIZATION)
    tenant = next(t for t in org["tenants"] if t["name"] == TENANT)
    return {machine["Name"]: machine for machine in tenant["entities"]["Machines"]}


def _saved(path: Path) -> dict[str, Any]:
    """The state a restart on `path` would start from (read only: no file is changed)."""
    recovered = DurableState(path).recover()
    assert recovered is not None, f"{path} holds no state"
    return dump_world(load_world(recovered, default_registry(), owned=True))


def _restarted(path: Path) -> dict[str, Any]:
    """The state a new emulator on `path` starts with (closed again at once)."""
    emulator = Emulator(state_file=path)
    try:
        return emulator.state()
    finally:
        emulator.close()


def _listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def _is_leftover(name: str) -> bool:
    """A temporary snapshot or a journal not folded yet: none may survive a clean start."""
    return ".tmp-" in name or name.endswith(".journal.old")


def _world_with_history(path: Path) -> tuple[Emulator, Api]:
    """An emulator on `path` whose snapshot, journal and default world all differ."""
    emulator = Emulator(state_file=path)
    api = Api(emulator)
    _created(api.create("only-in-the-snapshot"))
    folded = _created(api.create("folded", Description="in the snapshot"))
    emulator.compact()
    assert api.patch(folded["Id"], Description="changed in the journal").status_code == 200
    _created(api.create("journaled", UnattendedSlots=2))
    first_default = min(_machines(Emulator().state()).values(), key=lambda m: m["Id"])
    assert api.delete(first_default["Id"]).status_code == 204
    return emulator, api


def _wait_for_compactions() -> None:
    wait_until(
        lambda: not any(t.name == COMPACT_THREAD for t in threading.enumerate()),
        START_TIMEOUT,
        "the background compaction to finish",
    )


# --- 1. SIGKILL during a burst of writes ---------------------------------------------------

KILL_CYCLES = 20
BURST_WRITERS = 4
MAX_WRITES_PER_WRITER = 400
"""A bound on each writer's cycle, should the kill never come."""
SMALL_COMPACTIONS = 4096
"""Journal bytes after which the child folds the journal (every odd cycle): a few writes."""
_COMPACTING_EMULATOR = (
    sys.executable,
    "-c",
    "from uipath_emulator.mock_server.persistence import durable; "
    f"durable.DurableState.__init__.__kwdefaults__['compact_after'] = {SMALL_COMPACTIONS}; "
    "from uipath_emulator.mock_server.cli.main import main; raise SystemExit(main())",
)
COMPARED = ("Id", "Key", "Name", "Description", "UnattendedSlots")
"""The members of a machine the burst writes and checks."""

MachineState = dict[str, Any] | None
"""Members a machine must have (a subset of COMPARED), or None: absent."""


@dataclass
class Tracked:
    """What the client knows of one machine: every state it may be in after a restart."""

    writer: int
    allowed: list[MachineState]


@dataclass
class BurstStats:
    """What a cycle's burst did."""

    acknowledged: dict[str, int] = field(
        default_factory=lambda: {"POST": 0, "PATCH": 0, "DELETE": 0}
    )
    unacknowledged: int = 0
    snapshots_before_kill: int = -1
    errors: list[str] = field(default_factory=list)


def _matches(record: dict[str, Any] | None, state: MachineState) -> bool:
    if state is None or record is None:
        return state is None and record is None
    return all(record.get(name) == value for name, value in state.items())


def _known(record: dict[str, Any] | None) -> MachineState:
    return None if record is None else {name: record[name] for name in COMPARED}


class Burst:
    """Concurrent creates, patches and deletes from a few writers; SIGKILL after `kill_after`."""

    def __init__(
        self,
        process: EmulatorProcess,
        token: str,
        model: dict[str, Tracked],
        cycle: int,
        kill_after: int,
    ) -> None:
        self.process = process
        self.headers = bearer(token)
        self.model = model
        self.cycle = cycle
        self.kill_after = kill_after
        self.lock = threading.Lock()
        self.killed = threading.Event()
        self.stats = BurstStats()
        self.created_ids: list[int] = []

    def run(self) -> BurstStats:
        """Run the writers until the process is killed; every acknowledged write recorded."""
        writers = [
            threading.Thread(target=self._writer, args=(w,), name=f"burst-writer-{w}")
            for w in range(BURST_WRITERS)
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=START_TIMEOUT * 2)
        assert not any(writer.is_alive() for writer in writers), "a writer hung"
        return self.stats

    def _writer(self, number: int) -> None:
        rng = random.Random(self.cycle * 100 + number)  # noqa: S311 - a test's choices
        with http_session() as http:
            for sequence in range(MAX_WRITES_PER_WRITER):
                if self.killed.is_set():
                    return
                try:
                    if not self._write(http, rng, number, sequence):
                        return
                except Exception as error:
                    with self.lock:
                        self.stats.errors.append(f"writer {number}: {error!r}")
                    return
        with self.lock:
            self.stats.errors.append(f"writer {number}: {MAX_WRITES_PER_WRITER} writes, no kill")

    def _write(self, http: requests.Session, rng: random.Random, number: int, seq: int) -> bool:
        with self.lock:
            mine = [
                (name, tracked)
                for name, tracked in self.model.items()
                if tracked.writer == number and tracked.allowed[0] is not None
            ]
        choice = rng.random()
        if len(mine) < 3 or choice < 0.4:
            name = f"w{number}-c{self.cycle}-{seq}"
            fields = {"Name": name, "Description": f"created {self.cycle}/{seq}"}
            fields["UnattendedSlots"] = seq % 4
            tracked = Tracked(number, [None, fields])
            with self.lock:
                self.model[name] = tracked
            method, url, body = "POST", self.process.url(MACHINES_PATH), fields
            expected = 201
        else:
            name, tracked = mine[rng.randrange(len(mine))]
            current = tracked.allowed[0]
            assert current is not None
            url = self.process.url(f"{MACHINES_PATH}({current['Id']})")
            if choice < 0.75:
                body = {"Description": f"patched {self.cycle}/{seq}", "UnattendedSlots": seq % 5}
                tracked.allowed = [current, {**current, **body}]
                method, expected = "PATCH", 200
            else:
                body, method, expected = None, "DELETE", 204
                tracked.allowed = [current, None]
        try:
            response = http.request(
                method, url, json=body, headers=self.headers, timeout=HTTP_TIMEOUT
            )
        except requests.RequestException as error:
            if not self.killed.is_set():
                raise AssertionError(f"{method} {name} failed before the kill: {error!r}") from None
            with self.lock:
                self.stats.unacknowledged += 1
            return False
        if response.status_code != expected:
            raise AssertionError(f"{method} {name}: {response.status_code} {response.text[:300]}")
        if method == "POST":
            created = response.json()
            tracked.allowed = [_known(created)]
            with self.lock:
                self.created_ids.append(created["Id"])
        else:
            tracked.allowed = [tracked.allowed[1]]
        self._acknowledged(http, method)
        return True

    def _acknowledged(self, http: requests.Session, method: str) -> None:
        with self.lock:
            self.stats.acknowledged[method] += 1
            due = sum(self.stats.acknowledged.values()) == self.kill_after
        if due:
            health = http.get(self.process.url("/_emulator/health"), timeout=HTTP_TIMEOUT)
            self.stats.snapshots_before_kill = health.json()["persistence"]["snapshots_written"]
            self.killed.set()
            self.process.process.kill()  # SIGKILL: the other writers' requests are in flight


def _check_restart(
    process: EmulatorProcess,
    http: requests.Session,
    model: dict[str, Tracked],
    initial: set[str],
) -> tuple[int, int]:
    """Every tracked machine is in one of its allowed states; then that state is the known one.

    Returns (machine states checked, unacknowledged writes that turned out to be applied).
    """
    folder = Path(process.args[process.args.index("--state") + 1]).parent
    leftovers = [name for name in _listing(folder) if _is_leftover(name)]
    assert leftovers == [], "the start left temporary snapshots or an unfolded journal"
    state = http.get(process.url("/_emulator/state"), timeout=HTTP_TIMEOUT).json()
    machines = _machines(state)
    problems: list[str] = []
    checked = applied = 0
    for name, tracked in model.items():
        record = machines.get(name)
        if not any(_matches(record, allowed) for allowed in tracked.allowed):
            problems.append(f"{name}: expected one of {tracked.allowed}, found {_known(record)}")
            continue
        checked += 1
        if len(tracked.allowed) == 2 and _matches(record, tracked.allowed[1]):
            applied += 1
        tracked.allowed = [_known(record)]
    strangers = set(machines) - set(model) - initial
    assert not problems, "\n".join(problems)
    assert not strangers, f"machines nobody created: {sorted(strangers)}"
    return checked, applied


def test_sigkill_during_write_burst_loses_no_acknowledged_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL at a varying point of a concurrent write burst, 20 times: every acknowledged write
    (201/200/204) is there after the restart."""
    started = time.monotonic()
    state = tmp_path / STATE
    model: dict[str, Tracked] = {}
    created_ids: list[int] = []
    totals = {"POST": 0, "PATCH": 0, "DELETE": 0}
    checked = applied = unacknowledged = 0
    compacted_cycles = 0
    initial = set(_machines(Emulator().state()))  # the default world's machines
    with http_session() as http:
        for cycle in range(KILL_CYCLES):
            command = _COMPACTING_EMULATOR if cycle % 2 else subprocess_helpers.EMULATOR_COMMAND
            monkeypatch.setattr(subprocess_helpers, "EMULATOR_COMMAND", command)
            with EmulatorProcess("--state", str(state)) as process:
                if cycle:
                    more, late = _check_restart(process, http, model, initial)
                    checked, applied = checked + more, applied + late
                token = str(get_token(http, process.base_url)["access_token"])
                burst = Burst(process, token, model, cycle, kill_after=1 + (cycle * 13) % 47)
                stats = burst.run()
                process.kill()
            assert not stats.errors, stats.errors
            assert burst.killed.is_set()
            for method, count in stats.acknowledged.items():
                totals[method] += count
            unacknowledged += stats.unacknowledged
            created_ids.extend(burst.created_ids)
            if cycle % 2 and stats.snapshots_before_kill > 1:
                compacted_cycles += 1
        monkeypatch.undo()
        with EmulatorProcess("--state", str(state)) as last:
            more, late = _check_restart(last, http, model, initial)
            checked, applied = checked + more, applied + late
    assert len(set(created_ids)) == len(created_ids), "an id was handed out twice"
    assert compacted_cycles >= KILL_CYCLES // 4, "the small-journal cycles did not compact"
    elapsed = time.monotonic() - started
    print(
        f"\n{KILL_CYCLES} SIGKILL cycles in {elapsed:.1f} s: acknowledged {totals}, "
        f"{checked} machine states checked after restarts, {unacknowledged} writes in flight "
        f"at the kills ({applied} of them applied), {compacted_cycles} cycles compacted"
    )


# --- 2. failed saves -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["short-write", "write", "fsync"])
def test_failed_journal_append_answers_503_and_changes_nothing(
    tmp_path: Path, faulty_os: FaultyOS, kind: str
) -> None:
    """A write whose journal line cannot be saved answers 503 with Retry-After, is not applied, and
    the same write succeeds once the disk has room."""
    path = tmp_path / STATE
    emulator = Emulator(state_file=path)
    api = Api(emulator)
    kept = _entity(_created(api.create("kept", Description="acknowledged")))
    journal = tmp_path / JOURNAL
    size = journal.stat().st_size
    faulty_os.fault = _full_disk(kind, journal)

    refused = [
        api.create("refused"),
        api.patch(kept["Id"], Description="refused"),
        api.delete(kept["Id"]),
    ]

    for response in refused:
        assert response.status_code == 503, response.data
        body = response.get_json()
        assert set(body) == ERROR_SHAPE, body
        assert body["message"].startswith("The change could not be saved, nothing changed")
        assert "No space left on device" in body["message"]
        assert response.headers["Retry-After"] == "1"
    assert journal.stat().st_size == size, "the refused lines must be cut off the journal"
    assert _entity(api.get(kept["Id"]).get_json()) == kept
    assert api.named("refused") == []
    health = api.health()
    assert health["status"] == "degraded"
    assert health["persistence"]["state"] == "failing"
    assert "No space left on device" in health["persistence"]["last_error"]

    faulty_os.heal()
    retried = _created(api.create("refused"))
    assert retried["Id"] == kept["Id"] + 1, "a refused create must not use up an id"
    assert api.health()["persistence"]["state"] == "ok"
    expected = emulator.state()
    emulator.close()
    assert _restarted(path) == expected


def test_torn_line_that_cannot_be_cut_at_once_is_cut_before_the_next_line(
    tmp_path: Path, faulty_os: FaultyOS
) -> None:
    """A refused append whose half-written line cannot even be cut off (the truncate fails too) is
    cut before the next line is written, so the journal stays readable at the next start."""
    path = tmp_path / STATE
    emulator = Emulator(state_file=path)
    api = Api(emulator)
    _created(api.create("before"))
    journal = tmp_path / JOURNAL
    size = journal.stat().st_size
    full_disk = _full_disk("short-write", journal)

    def nor_truncate(name: str, where: str, args: tuple[Any, ...]) -> BaseException | None:
        if name == "ftruncate" and where == str(journal):
            return _os_error(errno.EIO)
        return full_disk(name, where, args)

    faulty_os.fault = nor_truncate
    assert api.create("refused").status_code == 503
    assert journal.stat().st_size > size, "the torn line is still there"
    faulty_os.heal()
    _created(api.create("after"))

    lines = journal.read_bytes().splitlines()
    assert [orjson.loads(line)["changes"][0]["put"]["Name"] for line in lines] == [
        "before",
        "after",
    ]
    expected = emulator.state()
    emulator.close()
    assert _restarted(path) == expected


def test_failed_compaction_keeps_every_change_in_the_journal(
    tmp_path: Path, faulty_os: FaultyOS
) -> None:
    """A snapshot that cannot be written leaves the old one and keeps every change in the journals,
    until a later compaction folds them all."""
    path = tmp_path / STATE
    emulator = Emulator(state_file=path)
    api = Api(emulator)
    first = _created(api.create("before-the-fault"))
    snapshot = path.read_bytes()
    faulty_os.fault = _snapshot_cannot_be_renamed(path)

    emulator.compact()

    assert path.read_bytes() == snapshot
    assert (tmp_path / OLD_JOURNAL).exists()
    assert [name for name in _listing(tmp_path) if ".tmp-" in name] == []
    assert api.health()["persistence"]["state"] == "failing"
    _created(api.create("during-the-fault"))
    assert api.patch(first["Id"], Description="changed during the fault").status_code == 200
    emulator.compact()  # fails again: the new journal is added to the old one
    assert _created(api.create("after-two-failures"))
    assert path.read_bytes() == snapshot
    assert _saved(path) == emulator.state()

    faulty_os.heal()
    emulator.compact()

    assert _listing(tmp_path) == sorted([STATE, JOURNAL, LOCK])
    assert (tmp_path / JOURNAL).stat().st_size == 0
    assert api.health()["persistence"]["state"] == "ok"
    expected = emulator.state()
    assert _saved(path) == expected
    emulator.close()
    assert _restarted(path) == expected


def test_background_compaction_failure_is_logged_and_writes_go_on(
    tmp_path: Path,
    faulty_os: FaultyOS,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A compaction that fails in its background thread logs the error and raises nothing; writes
    are still acknowledged and a later compaction folds them."""
    path = tmp_path / STATE
    emulator = Emulator(state_file=path)
    monkeypatch.setattr(emulator._durable, "compact_after", 1)
    api = Api(emulator)
    faulty_os.fault = _snapshot_cannot_be_renamed(path)

    for index in range(3):
        _created(api.create(f"failing-{index}"))
        _wait_for_compactions()

    assert "the journal keeps every change" in caplog.text
    assert (tmp_path / OLD_JOURNAL).exists()
    assert _saved(path) == emulator.state()
    faulty_os.heal()
    _created(api.create("healed"))
    _wait_for_compactions()
    assert not (tmp_path / OLD_JOURNAL).exists()
    assert _saved(path) == emulator.state()


@pytest.mark.parametrize("code", [errno.EMFILE, errno.ENOSPC])
def test_journal_that_cannot_be_reopened_refuses_writes_until_it_can(
    tmp_path: Path, faulty_os: FaultyOS, code: int
) -> None:
    """A compaction that cannot open the new journal (too many open files) raises nothing, writes
    answer 503 meanwhile, and the journal is opened again once it can be."""
    path = tmp_path / STATE
    emulator = Emulator(state_file=path)
    api = Api(emulator)
    _created(api.create("before"))
    journal = str(tmp_path / JOURNAL)
    faulty_os.fault = lambda name, where, args: (
        _os_error(code) if name == "open" and where == journal else None
    )

    emulator.compact()
    refused = api.create("refused")

    assert refused.status_code == 503, refused.data
    assert set(refused.get_json()) == ERROR_SHAPE
    assert api.named("refused") == []
    faulty_os.heal()
    _created(api.create("after"))
    expected = emulator.state()
    assert _saved(path) == expected
    emulator.close()
    assert _restarted(path) == expected


def _journal_cannot_be_moved(journal: Path) -> Fault:
    """The journal cannot be moved aside (renamed, or added to the old one) or removed."""

    def fault(name: str, path: str, args: tuple[Any, ...]) -> BaseException | None:
        if name in {"replace", "unlink"} and Path(args[0]) == journal:
            return _os_error(errno.EIO)
        return None

    return fault


@pytest.mark.parametrize("failing", ["snapshot", "journal"])
@pytest.mark.parametrize("operation", ["reset", "load"])
def test_failed_save_at_reset_or_load_answers_503_and_keeps_the_world(
    tmp_path: Path, faulty_os: FaultyOS, operation: str, failing: str
) -> None:
    """POST /_emulator/reset or PUT /_emulator/state that cannot save the new world answers 503
    (not 500), changes nothing, and works once the disk can be written again."""
    path = tmp_path / STATE
    emulator, api = _world_with_history(path)
    before = emulator.state()
    replacement = Emulator().state() if operation == "reset" else _loaded_world()

    def request() -> TestResponse:
        if operation == "reset":
            return api.http.post("/_emulator/reset")
        return api.http.put("/_emulator/state", json=replacement)

    if failing == "snapshot":
        faulty_os.fault = _snapshot_cannot_be_renamed(path)
    else:
        faulty_os.fault = _journal_cannot_be_moved(tmp_path / JOURNAL)
    refused = request()

    assert refused.status_code == 503, refused.data
    assert list(refused.get_json()) == ["message"]  # the control plane's error shape
    assert refused.get_json()["message"].startswith("The change could not be saved")
    assert emulator.state() == before
    assert _saved(path) == before
    assert api.health()["persistence"]["state"] == "failing"
    _created(api.create("written-after-the-failure"))
    assert _saved(path) == emulator.state()

    faulty_os.heal()
    assert request().status_code == 200
    assert emulator.state() == replacement
    assert _saved(path) == replacement
    emulator.close()
    assert _restarted(path) == replacement


def _loaded_world() -> dict[str, Any]:
    """The default world with only its first machine: what the "load" operation loads."""
    document = Emulator().state()
    entities = document["organizations"][0]["tenants"][0]["entities"]
    entities["Machines"] = entities["Machines"][:1]
    return document


def _run_operation(operation: str, emulator: Emulator, path: Path) -> Emulator:
    """Run `operation`; the emulator serving afterwards (for "start", a new one on `path`)."""
    if operation == "compact":
        emulator.compact()
    elif operation == "reset":
        emulator.reset()
    elif operation == "load":
        emulator.load(_loaded_world())
    elif operation == "write":
        Api(emulator).create("the-write")
    else:
        return Emulator(state_file=path)
    return emulator


def _comparable(state: dict[str, Any]) -> dict[str, Any]:
    """`state` without the machines' `Key`s: random, so they differ between two folders."""
    for machine in _machines(state).values():
        machine["Key"] = None
    return state


OPERATIONS = ["write", "compact", "reset", "load", "start"]


def _prepared(folder: Path) -> tuple[Emulator, Path, dict[str, Any]]:
    """A folder with a state with history; the emulator on it (closed for "start")."""
    folder.mkdir()
    path = folder / STATE
    emulator, _ = _world_with_history(path)
    return emulator, path, emulator.state()


def _dry_run(tmp_path: Path, faulty_os: FaultyOS, operation: str) -> tuple[int, dict[str, Any]]:
    """How many file operations `operation` makes, and the state it ends in."""
    emulator, path, _ = _prepared(tmp_path / "dry-run")
    if operation == "start":
        emulator.close()
    faulty_os.heal()
    faulty_os.calls.clear()
    faulty_os.counting = True
    serving = _run_operation(operation, emulator, path)
    steps = len(faulty_os.calls)
    faulty_os.heal()
    after = _comparable(serving.state())
    serving.close()
    emulator.close()
    assert steps >= 2, f"{operation} touched the disk only {steps} times: is it instrumented?"
    return steps, after


@pytest.mark.parametrize("operation", OPERATIONS)
def test_crash_at_every_step_recovers_the_state_before_or_after(
    tmp_path: Path, faulty_os: FaultyOS, operation: str
) -> None:
    """However far a write, compaction, reset, load or start got before the process died, the
    restart finds the whole state before it or after it, never a mix."""
    steps, after = _dry_run(tmp_path, faulty_os, operation)
    outcomes: list[str] = []
    for step in range(steps):
        folder = tmp_path / f"step-{step}"
        emulator, path, before = _prepared(folder)
        before = _comparable(before)
        if operation == "start":
            emulator.close()
        faulty_os.crash_at(step)
        with pytest.raises(SimulatedCrash):
            _run_operation(operation, emulator, path)
        faulty_os.heal()
        emulator.close()  # what the kernel does for a dead process

        restarted = Emulator(state_file=path)
        recovered = _comparable(restarted.state())
        restarted.close()

        assert recovered in (before, after), f"step {step} of {operation}: {faulty_os.calls}"
        outcomes.append("before" if recovered == before else "after")
        assert [name for name in _listing(folder) if _is_leftover(name)] == [], f"step {step}"
    print(f"\n{operation}: crashed at each of its {steps} file operations: {outcomes}")


@pytest.mark.parametrize("operation", OPERATIONS)
def test_failure_at_every_step_keeps_memory_and_disk_in_agreement(
    tmp_path: Path, faulty_os: FaultyOS, operation: str
) -> None:
    """Whichever file operation of a write, compaction, reset, load or start fails, the emulator
    serves exactly what a restart would find, and a later write is saved."""
    steps, _ = _dry_run(tmp_path, faulty_os, operation)
    for step in range(steps):
        emulator, path, before = _prepared(tmp_path / f"step-{step}")
        if operation == "start":
            emulator.close()
        faulty_os.fail_at(step)
        serving: Emulator | None
        try:
            serving = _run_operation(operation, emulator, path)
        except PersistenceError:
            assert operation in {"reset", "load", "start"}, f"step {step}: {faulty_os.calls}"
            serving = None if operation == "start" else emulator
            if serving is not None:
                assert serving.state() == before, f"step {step}: the refused {operation} changed"
        faulty_os.heal()
        expected = before
        if serving is not None:
            where = f"step {step} of {operation}: {faulty_os.calls}"
            assert _saved(path) == serving.state(), where
            _created(Api(serving).create("written-after"))
            expected = serving.state()
            assert _saved(path) == expected, f"{where}, then a write"
            serving.close()
        emulator.close()
        restarted = Emulator(state_file=path)
        assert restarted.state() == expected, f"step {step} of {operation}: the restart"
        restarted.close()


class _ObservedLock:
    """A lock that tells when a thread has to wait for it."""

    def __init__(self, contended: threading.Event) -> None:
        self._lock = threading.Lock()
        self._contended = contended

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """As `threading.Lock.acquire`; sets the event before waiting."""
        if self._lock.acquire(blocking=False):
            return True
        if not blocking:
            return False
        self._contended.set()
        return self._lock.acquire(True, timeout)

    def release(self) -> None:
        """As `threading.Lock.release`."""
        self._lock.release()

    def locked(self) -> bool:
        """As `threading.Lock.locked`."""
        return self._lock.locked()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def test_reset_during_a_compaction_is_not_undone_by_its_snapshot(
    tmp_path: Path, faulty_os: FaultyOS, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reset acknowledged while a compaction is writing its snapshot is what the state file holds
    afterwards (the compaction's older snapshot never lands over it)."""
    path = tmp_path / STATE
    emulator, _ = _world_with_history(path)
    in_snapshot, reset_done, contended = threading.Event(), threading.Event(), threading.Event()
    monkeypatch.setattr(emulator, "_compacting", _ObservedLock(contended))
    failures: list[BaseException] = []

    def pause_in_snapshot(name: str, where: str, args: tuple[Any, ...]) -> None:
        if name == "fsync" and ".tmp-" in where and not in_snapshot.is_set():
            in_snapshot.set()
            # Go on once the reset has finished, or is waiting for this compaction.
            wait_until(
                lambda: reset_done.is_set() or contended.is_set(),
                START_TIMEOUT,
                "the reset to finish or to wait for the compaction",
            )

    def run(action: Callable[[], None], done: threading.Event | None = None) -> None:
        try:
            action()
        except BaseException as error:
            failures.append(error)
        if done is not None:
            done.set()

    faulty_os.fault = pause_in_snapshot
    compaction = threading.Thread(target=run, args=(emulator.compact,))
    compaction.start()
    assert in_snapshot.wait(START_TIMEOUT)
    resetting = threading.Thread(target=run, args=(emulator.reset, reset_done))
    resetting.start()
    compaction.join(START_TIMEOUT)
    resetting.join(START_TIMEOUT)

    assert not compaction.is_alive()
    assert not resetting.is_alive()
    assert failures == []
    initial = Emulator().state()
    assert emulator.state() == initial
    assert _saved(path) == initial, "the compaction's snapshot undid the reset"


# --- 3. what a start finds -----------------------------------------------------------------


def test_stale_snapshot_temporaries_are_removed_at_start(tmp_path: Path) -> None:
    """Temporary snapshots a crash left (`.state.json.tmp-PID-N`) are gone once uipath-mock has
    started; other files are left alone."""
    state = tmp_path / STATE
    Emulator(state_file=state).close()
    stale = [f".{STATE}.tmp-123-0", f".{STATE}.tmp-99999-7"]
    unrelated = [".other.json.tmp-123-0", f"{STATE}.bak", f".{STATE}2.tmp-1-0"]
    for name in [*stale, *unrelated]:
        (tmp_path / name).write_bytes(b'{"version": 2, "organiz')

    with EmulatorProcess("--state", str(state)):
        listing = _listing(tmp_path)

    assert sorted(set(listing) - set(unrelated)) == sorted([STATE, JOURNAL, LOCK])
    assert set(unrelated) <= set(listing)


def test_journal_cut_mid_line_is_recovered_up_to_its_last_whole_line(tmp_path: Path) -> None:
    """A journal whose last line was cut short (a crash mid-append) gives every earlier commit back,
    and the start folds it into a fresh snapshot."""
    path = tmp_path / STATE
    emulator = Emulator(state_file=path)
    api = Api(emulator)
    _created(api.create("whole-1"))
    whole = emulator.state()
    _created(api.create("whole-2"))
    expected = emulator.state()
    _created(api.create("cut-short"))
    emulator.close()
    journal = tmp_path / JOURNAL
    data = journal.read_bytes()
    journal.write_bytes(data[: data.rindex(b"\n", 0, len(data) - 1) + 40])

    restarted = Emulator(state_file=path)

    assert restarted.state() == expected
    assert restarted.state() != whole
    assert journal.stat().st_size == 0
    assert not (tmp_path / OLD_JOURNAL).exists()
    assert _saved(path) == expected


def test_start_after_a_crash_mid_fold_keeps_every_whole_line(
    tmp_path: Path, faulty_os: FaultyOS
) -> None:
    """An old journal cut mid-line (a crash while a journal was added to it) and a journal: a start
    keeps all their whole lines, even when it dies itself at any step of folding them."""
    path = tmp_path / "template" / STATE
    path.parent.mkdir()
    emulator = Emulator(state_file=path)
    api = Api(emulator)
    faulty_os.fault = _snapshot_cannot_be_renamed(path)
    _created(api.create("in-the-old-journal"))
    emulator.compact()  # fails: the journal stays as the old journal
    _created(api.create("in-the-journal"))
    faulty_os.heal()
    expected = _comparable(emulator.state())
    emulator.close()
    old = path.with_name(OLD_JOURNAL)
    old.write_bytes(old.read_bytes() + b'{"org": "cut short by a cra')
    files = {file.name: file.read_bytes() for file in path.parent.iterdir()}

    step = 0
    while True:
        folder = tmp_path / f"step-{step}"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        faulty_os.crash_at(step)
        try:
            Emulator(state_file=folder / STATE).close()
        except SimulatedCrash:
            crashed = True
        else:
            crashed = False
        faulty_os.heal()
        assert _comparable(_restarted(folder / STATE)) == expected, f"step {step}"
        if not crashed:
            break
        step += 1
    assert step >= 5, "the start folded the journals in fewer steps than expected"


GARBAGE = {
    "not-json": b"}{ not a journal line",
    "nul-bytes": b"\x00" * 12,
    "empty-object": b"{}",
    "array": b"[1, 2]",
    "changes-not-a-list": b'{"org": ORG, "tenant": TENANT, "changes": "all", "next_ids": {}}',
    "change-without-set": (
        b'{"org": ORG, "tenant": TENANT, "changes": [{"put": {}}], "next_ids": {}}'
    ),
    "next-id-not-a-number": (
        b'{"org": ORG, "tenant": TENANT, "changes": [], "next_ids": {"Machines": "9"}}'
    ),
}
"""Lines that are not journal entries (ORG and TENANT stand for the tenant's real ids)."""


def _journal_with_garbage(tmp_path: Path, garbage: bytes) -> tuple[Path, dict[Path, bytes]]:
    """A state whose journal has `garbage` as its second of three lines; the files' bytes."""
    path = tmp_path / STATE
    emulator = Emulator(state_file=path)
    api = Api(emulator)
    for name in ("one", "two"):
        _created(api.create(name))
    emulator.close()
    journal = tmp_path / JOURNAL
    first, second, _ = journal.read_bytes().split(b"\n")
    entry = orjson.loads(first)
    garbage = garbage.replace(b"ORG", orjson.dumps(entry["org"]))
    garbage = garbage.replace(b"TENANT", orjson.dumps(entry["tenant"]))
    journal.write_bytes(first + b"\n" + garbage + b"\n" + second + b"\n")
    return path, {file: file.read_bytes() for file in (path, journal)}


@pytest.mark.parametrize("garbage", list(GARBAGE.values()), ids=list(GARBAGE))
def test_garbage_in_the_middle_of_the_journal_fails_the_start(
    tmp_path: Path, garbage: bytes
) -> None:
    """A journal line that is not a journal entry, followed by whole lines, stops the start with
    exit 2 and one line naming the file, changing no file."""
    path, files = _journal_with_garbage(tmp_path, garbage)

    result = run_emulator("--port", "0", "--state", str(path))

    assert result.returncode == 2, result.stdout
    lines = stderr_lines(result.stderr)
    assert lines == [f"uipath-mock: error: {tmp_path / JOURNAL}: line 2 is not a journal entry"]
    assert "listening on" not in result.stdout
    assert {file: file.read_bytes() for file in files} == files
    assert [name for name in _listing(tmp_path) if _is_leftover(name)] == []


def test_garbage_in_the_middle_of_the_journal_raises_world_error_in_process(
    tmp_path: Path,
) -> None:
    """In-process, the same journal raises `WorldError` naming file and line, changing no file."""
    path, files = _journal_with_garbage(tmp_path, GARBAGE["not-json"])

    with pytest.raises(WorldError, match=r"state\.json\.journal: line 2 is not a journal entry"):
        Emulator(state_file=path)

    assert {file: file.read_bytes() for file in files} == files


# --- 4. what else a user expects -----------------------------------------------------------


def test_second_emulator_on_the_same_state_file_is_refused(tmp_path: Path) -> None:
    """A second `Emulator` on a state file in use raises a clear `PersistenceError`, and the first
    one's writes all survive."""
    path = tmp_path / STATE
    first = Emulator(state_file=path)
    api = Api(first)
    _created(api.create("before-the-second"))

    with pytest.raises(PersistenceError, match=r"state\.json is in use by another emulator"):
        Emulator(state_file=path)

    _created(api.create("after-the-second"))
    expected = first.state()
    first.close()
    assert _restarted(path) == expected


def test_second_process_on_the_same_state_file_exits_2(tmp_path: Path) -> None:
    """A second uipath-mock on a state file in use exits 2 with one line; the first one goes on and
    its writes survive a SIGKILL."""
    state = tmp_path / STATE
    with http_session() as http, EmulatorProcess("--state", str(state)) as first:
        before = {path: path.read_bytes() for path in (state, tmp_path / JOURNAL)}

        second = run_emulator("--port", "0", "--state", str(state))

        assert second.returncode == 2, second.stdout
        lines = stderr_lines(second.stderr)
        assert len(lines) == 1, second.stderr
        assert lines[0].startswith(f"uipath-mock: error: cannot use --state {state}: ")
        assert f"{state} is in use by another emulator (process {first.process.pid})" in lines[0]
        assert {path: path.read_bytes() for path in before} == before
        token = get_token(http, first.base_url)["access_token"]
        created = http.post(
            first.url(MACHINES_PATH),
            json={"Name": "after-the-second"},
            headers=bearer(token),
            timeout=HTTP_TIMEOUT,
        )
        assert created.status_code == 201, created.text
        first.kill()
    with EmulatorProcess("--state", str(state)) as again:
        names = _machines(http_session().get(again.url("/_emulator/state")).json())
    assert "after-the-second" in names


@pytest.mark.parametrize("where", ["missing-directory", "file-as-directory"])
def test_unwritable_state_location_fails_the_start_with_exit_2(tmp_path: Path, where: str) -> None:
    """`--state` where no file can be written (no such directory, a file as the directory) stops the
    start with exit 2 and one line, no traceback."""
    if where == "file-as-directory":
        (tmp_path / "plain-file").write_text("not a directory", encoding="utf-8")
        state = tmp_path / "plain-file" / STATE
    else:
        state = tmp_path / "no-such-directory" / STATE

    result = run_emulator("--port", "0", "--state", str(state))

    assert result.returncode == 2, result.stdout
    lines = stderr_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"uipath-mock: error: cannot use --state {state}: ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_state_in_a_read_only_directory_fails_the_start_and_keeps_the_files(
    tmp_path: Path, faulty_os: FaultyOS, code: int
) -> None:
    """A saved state whose directory cannot be written to raises `PersistenceError` naming the file
    at start, and leaves the state and journal as they were."""
    path = tmp_path / STATE
    emulator = Emulator(state_file=path)
    _created(Api(emulator).create("saved"))
    expected = emulator.state()
    emulator.close()
    files = {file: file.read_bytes() for file in (path, tmp_path / JOURNAL)}

    def read_only(name: str, where: str, args: tuple[Any, ...]) -> BaseException | None:
        writing = name != "open" or args[1] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        return (
            _os_error(code)
            if writing and Path(where.split(" -> ")[-1]).parent == tmp_path
            else None
        )

    faulty_os.fault = read_only
    with pytest.raises(
        PersistenceError, match=rf"cannot write {path}(\.lock)?: {os.strerror(code)}"
    ):
        Emulator(state_file=path)

    assert {file: file.read_bytes() for file in files} == files
    faulty_os.heal()
    assert _restarted(path) == expected
