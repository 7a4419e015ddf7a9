"""Scenario 8: jobs, in-process and on `uipath-mock`: StartJobs and GetByKey beside GET
Machines, and whether listing 100 jobs slows as ended jobs pile up (1k vs 100k)."""

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from bench.common import MACHINES_PATH, free_port, token_request, uipath_mock_command
from bench.procs import serving
from bench.report import Row, Target
from bench.scenario_queues import Connection, in_process_session
from bench.settings import Settings
from bench.worlds import jobs_world
from uipath_emulator.mock_server.emulator import DEFAULT_BASE_URL, Emulator
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT

SCENARIO = "8 jobs"
ODATA_PATH = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
ODATA = DEFAULT_BASE_URL + ODATA_PATH
SERVICE = "UiPath.Server.Configuration.OData"
START_BODY = {"startInfo": {"ReleaseName": "HelloWorld", "InputArguments": '{"Name":"Ada"}'}}
SIZES = (1_000, 100_000)
LIST_PAGE = "/Jobs?$top=100"
WARMUP = 10


def _median_ms(call: Callable[[], Any], count: int) -> float:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _start(session: requests.Session) -> str:
    answer = session.post(f"{ODATA}/Jobs/{SERVICE}.StartJobs", json=START_BODY, timeout=10)
    if answer.status_code != 201:
        raise RuntimeError(f"StartJobs answered {answer.status_code}")
    return str(answer.json()["value"][0]["Key"])


def run(settings: Settings) -> list[Row]:
    """In-process rows, then the server's."""
    return _in_process(settings) + _on_server(settings)


def _in_process(settings: Settings) -> list[Row]:
    count = 100 if settings.quick else 300
    listed: dict[int, float] = {}
    after_write: dict[int, float] = {}
    start_ms = by_key_ms = machines_ms = 0.0
    for size in SIZES:
        emulator = Emulator(world=jobs_world(size))
        session = in_process_session(emulator, FULL, "OR.Jobs OR.Execution OR.Machines")
        with emulator.intercept():
            for _ in range(WARMUP):
                session.get(ODATA + LIST_PAGE, timeout=10)
            listed[size] = _median_ms(lambda s=session: s.get(ODATA + LIST_PAGE, timeout=10), count)
            timings = []
            for _ in range(count // 4):
                _start(session)
                started = time.perf_counter()
                session.get(ODATA + LIST_PAGE, timeout=10)
                timings.append((time.perf_counter() - started) * 1000)
            after_write[size] = statistics.median(timings)
            if size == SIZES[0]:
                start_ms = _median_ms(lambda s=session: _start(s), count)
                key = _start(session)
                by_key = f"{ODATA}/Jobs/{SERVICE}.GetByKey(identifier={key})"
                by_key_ms = _median_ms(lambda s=session, u=by_key: s.get(u, timeout=10), count)
                machines_ms = _median_ms(
                    lambda s=session: s.get(DEFAULT_BASE_URL + MACHINES_PATH, timeout=10), count
                )
    small, large = SIZES
    note = f"median of {count} calls"
    return [
        Row(SCENARIO, "StartJobs via intercept()", "ms", start_ms, machines_ms, "GET Machines"),
        Row(SCENARIO, "GetByKey via intercept()", "ms", by_key_ms, machines_ms, "GET Machines"),
        Row(
            SCENARIO,
            f"list 100 jobs, {large:,} vs {small:,} ended jobs (unchanged since the last list)",
            "ms",
            listed[large],
            listed[small],
            f"{small:,} ended jobs",
            Target("<=", 2.0),
            note,
        ),
        Row(
            SCENARIO,
            f"list 100 jobs right after a StartJobs, {large:,} vs {small:,} ended jobs",
            "ms",
            after_write[large],
            after_write[small],
            f"{small:,} ended jobs",
            Target("<=", 2.0),
            f"median of {count // 4} StartJobs + list pairs, the list timed",
        ),
    ]


def _on_server(settings: Settings) -> list[Row]:
    """Sequential calls on one kept-alive connection: calls per second."""
    count = 100 if settings.quick else 400
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as workdir:
        world = Path(workdir) / "jobs.json"
        world.write_text(json.dumps(jobs_world(SIZES[0])), "utf-8")
        port = free_port()
        command = [*uipath_mock_command(), "--port", str(port), "--world", str(world)]
        with serving("uipath-mock-jobs", command, port, token_request()):
            connection = Connection(port)
            try:
                start_path = f"{ODATA_PATH}/Jobs/{SERVICE}.StartJobs"
                body = json.dumps(START_BODY).encode()
                keys: list[str] = []

                def start() -> None:
                    status, answer = connection.call("POST", start_path, body)
                    if status != 201:
                        raise RuntimeError(f"StartJobs answered {status}")
                    keys.append(answer["value"][0]["Key"])

                for _ in range(WARMUP):
                    start()
                starts_per_second = count / _seconds(start, count)
                by_key = f"{ODATA_PATH}/Jobs/{SERVICE}.GetByKey(identifier={keys[0]})"
                by_key_per_second = count / _seconds(lambda: connection.call("GET", by_key), count)
                machines_per_second = count / _seconds(
                    lambda: connection.call("GET", MACHINES_PATH), count
                )
            finally:
                connection.close()
    note = f"{count} sequential calls on one kept-alive connection"
    same = "GET Machines, same connection"
    return [
        Row(
            SCENARIO,
            "server: StartJobs",
            "/s",
            starts_per_second,
            machines_per_second,
            same,
            None,
            note,
        ),
        Row(
            SCENARIO,
            "server: GetByKey",
            "/s",
            by_key_per_second,
            machines_per_second,
            same,
            None,
            note,
        ),
    ]


def _seconds(call: Callable[[], Any], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        call()
    return time.perf_counter() - started
