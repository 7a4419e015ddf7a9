"""Scenario 5: the cost of one write with `--state`, while another tenant holds 20k machines.

In-process (the WSGI app, no socket), so the number is the write path itself: validation, the
tenant's copy-on-write store, and one fsynced journal line. Before the journal, every write
re-serialised and fsynced the whole world (1 s per write at this size).
"""

import json
import statistics
import time
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

from bench.common import MACHINES_PATH, TOKEN_FORM, TOKEN_PATH
from bench.report import Row, Target
from bench.settings import Settings
from bench.worlds import world_document
from uipath_emulator.mock_server.emulator import Emulator
from uipath_emulator.mock_server.transports.inprocess import call_wsgi

SCENARIO = "5 persistence"
OTHER_TENANT_MACHINES = 20_000
BEFORE_MS = 1000.0
"""One write with `--state` and 20k machines in another tenant, before the journal (README)."""


def _world() -> dict[str, Any]:
    """The default world, with `OTHER_TENANT_MACHINES` lean machines in acme/QA."""
    big = world_document(OTHER_TENANT_MACHINES, rich=False)
    document = world_document(8, rich=True)
    qa = big["organizations"][0]["tenants"][0]["entities"]["Machines"]
    document["organizations"][0]["tenants"][1]["entities"]["Machines"] = qa
    return document


def _call(emulator: Emulator, method: str, path: str, **kwargs: Any) -> tuple[int, bytes]:
    environ = EnvironBuilder(path=path, method=method, base_url="http://127.0.0.1", **kwargs)
    status, _, body = call_wsgi(emulator.app, environ.get_environ())
    return status, body


def _write_ms(emulator: Emulator, token: str, writes: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    timings = []
    for number in range(writes):
        body = json.dumps({"Name": f"bench-write-{number:05d}"})
        started = time.perf_counter()
        status, answer = _call(
            emulator,
            "POST",
            MACHINES_PATH,
            data=body,
            content_type="application/json",
            headers=headers,
        )
        timings.append((time.perf_counter() - started) * 1000)
        if status != 201:
            raise RuntimeError(f"POST Machines answered {status}: {answer[:200]!r}")
    return timings


def _token(emulator: Emulator) -> str:
    status, body = _call(
        emulator,
        "POST",
        TOKEN_PATH,
        data=TOKEN_FORM,
        content_type="application/x-www-form-urlencoded",
    )
    if status != 200:
        raise RuntimeError(f"POST token answered {status}")
    return str(json.loads(body)["access_token"])


def run(settings: Settings, workdir: Path) -> list[Row]:
    """Median ms per create with and without a state file, same world, same process."""
    document = _world()
    writes = settings.persistence_writes
    durable = Emulator(document, state_file=workdir / "state.json")
    try:
        with_state = _write_ms(durable, _token(durable), writes)
        journal = durable.persistence_status() or {}
    finally:
        durable.close()
    memory = Emulator(document)
    without_state = _write_ms(memory, _token(memory), writes)
    median = statistics.median(with_state)
    return [
        Row(
            SCENARIO,
            f"POST Machines with --state, {OTHER_TENANT_MACHINES:,} machines in another tenant",
            "ms",
            median,
            BEFORE_MS,
            "before the journal (whole world rewritten per write)",
            Target("<=", 5, "ours"),
            f"median of {writes}, p99 {statistics.quantiles(with_state, n=100)[98]:.2f} ms, "
            f"journal {journal.get('journal_bytes', 0):,} B",
        ),
        Row(
            SCENARIO,
            "same without --state (the fsync's share is the difference)",
            "ms",
            statistics.median(without_state),
            note=f"median of {writes}",
        ),
    ]
