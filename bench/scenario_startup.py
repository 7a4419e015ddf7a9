"""Scenario 3: `uipath-mock` start to first 200, and `Emulator()` plus its first call."""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.baseline_app import write_bodies
from bench.common import (
    REPO_ROOT,
    TOKEN_PATH,
    Request,
    bench_env,
    free_port,
    send,
    token_request,
    uipath_mock_command,
)
from bench.procs import python_module, start, stop
from bench.report import Row, Target
from bench.settings import Settings

SCENARIO = "3 start-up"


def time_to_first_200(command: list[str], port: int, probe: Request, log: Path) -> float:
    """Seconds from starting `command` to the first 200 answer to `probe`."""
    started = time.perf_counter()
    process = start(command, log)
    try:
        while time.perf_counter() - started < 30:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}")
            try:
                if send(port, probe, timeout=5).status == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.002)
        raise TimeoutError(f"{command} did not answer 200 within 30 s")
    finally:
        stop(process)


def run(settings: Settings, workdir: Path) -> list[Row]:
    """Median of `startup_runs` starts of each server, and the in-process worker's numbers."""
    bodies = workdir / "startup-bodies.json"
    write_bodies(bodies, {f"POST {TOKEN_PATH}": ("application/json", b'{"access_token":"x"}')})
    log = workdir / "startup.log"
    ours, static = [], []
    for _ in range(settings.startup_runs):
        port = free_port()
        ours.append(
            time_to_first_200(
                [*uipath_mock_command(), "--port", str(port)], port, token_request(), log
            )
        )
        port = free_port()
        static.append(
            time_to_first_200(
                python_module("bench.baseline_app", "--bodies", str(bodies), "--port", str(port)),
                port,
                token_request(),
                log,
            )
        )
    worker = subprocess.run(  # noqa: S603 - fixed argv
        [
            sys.executable,
            "-m",
            "bench.startup_worker",
            "--runs",
            str(settings.inprocess_startup_runs),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=REPO_ROOT,
        env=bench_env(),
    )
    numbers = json.loads(worker.stdout)
    runs = f"median of {settings.startup_runs}, max {max(ours):.2f} s"
    return [
        Row(
            SCENARIO,
            "uipath-mock start to first 200 (POST token)",
            "s",
            statistics.median(ours),
            statistics.median(static),
            "static Flask + waitress start",
            Target("<=", 0.5, "ours"),
            runs,
        ),
        Row(
            SCENARIO,
            "Emulator() + first in-process call, not the first in the process",
            "ms",
            numbers["total_ms"],
            None,
            "",
            Target("<=", 4, "ours"),
            f"median of {numbers['runs']}, max {numbers['total_max_ms']:.1f} ms",
        ),
        Row(SCENARIO, "  of which Emulator()", "ms", numbers["create_ms"]),
        Row(SCENARIO, "  of which first call (token + list)", "ms", numbers["call_ms"]),
        Row(
            SCENARIO,
            "first Emulator() + call in a process (imports, signing key)",
            "ms",
            numbers["first_total_ms"],
            note=f"imports {numbers['import_ms']:.0f} ms",
        ),
    ]
