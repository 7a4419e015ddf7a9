"""Scenario 2: `GET Machines` (50) and `POST token` over loopback, vs static baselines.

Every server runs in its own process and they all run side by side (idle ones cost nothing), so
each (request, connections) cell is measured on every server back to back: drift of a shared
machine hits ours and the baselines alike. Baselines: the minimal Flask app returning the
emulator's exact bytes on the same WSGI server (waitress, configured as `uipath-mock`), and
Stoplight Prism when `npx` can run it. Granian serves both apps too, for the WSGI comparison.
"""

import contextlib
import dataclasses
from pathlib import Path
from typing import Any

from bench import granian_targets, prism
from bench.baseline_app import write_bodies
from bench.common import (
    MACHINES_PATH,
    TOKEN_PATH,
    Request,
    assets_request,
    fetch_token,
    free_port,
    machines_request,
    rss_mib,
    send,
    token_request,
    uipath_mock_command,
)
from bench.load import LoadResult, run_load
from bench.procs import Server, python_module, serving
from bench.report import Row, Target
from bench.settings import Settings
from bench.worlds import write_world

SCENARIO = "2 server"
WSGI = "2b WSGI servers"
OURS, STATIC, PRISM = "ours (waitress)", "static Flask (waitress)", "Prism"
OURS_G, STATIC_G = "ours (granian)", "static Flask (granian)"
Results = dict[tuple[str, str, int], LoadResult]
ASSETS = "GET Assets"
"""Measured on `uipath-mock` only, against its own `GET Machines`."""


@dataclasses.dataclass
class Served:
    """A server under load and the requests it gets (ours need their own token)."""

    label: str
    server: Server
    requests: dict[str, Request]
    connections: tuple[int, ...]


def _emulator_requests(port: int) -> tuple[dict[str, Request], dict[str, Any]]:
    token, token_answer = fetch_token(port)
    machines = machines_request(token)
    machines_answer = send(port, machines)
    if machines_answer.status != 200:
        raise RuntimeError(f"GET Machines answered {machines_answer.status}")
    assets = assets_request(token)
    if send(port, assets).status != 200:
        raise RuntimeError("GET Assets/GetFiltered did not answer 200")
    requests = {machines.name: machines, "POST token": token_request(), assets.name: assets}
    return requests, {"token": token_answer, "machines": machines_answer}


def _start_baselines(
    stack: contextlib.ExitStack,
    settings: Settings,
    workdir: Path,
    answers: dict[str, Any],
    requests: dict[str, Request],
    prism_status: tuple[bool, str],
    notes: list[str],
) -> list[Served]:
    bodies = workdir / "bodies.json"
    machines, token = answers["machines"], answers["token"]
    write_bodies(
        bodies,
        {
            f"GET {MACHINES_PATH}": (machines.content_type, machines.body),
            f"POST {TOKEN_PATH}": (token.content_type, token.body),
        },
    )
    port = free_port()
    command = python_module("bench.baseline_app", "--bodies", str(bodies), "--port", str(port))
    static = stack.enter_context(serving("baseline", command, port, token_request()))
    targets = [Served(STATIC, static, requests, settings.connections)]
    if prism_status[0]:
        spec = prism.write_spec(workdir / "openapi.json", machines, token)
        port = free_port()
        try:
            server = stack.enter_context(
                serving(
                    "prism", prism.command(spec, port), port, token_request(), 120, prism.npx_env()
                )
            )
            targets.append(Served(PRISM, server, requests, settings.connections))
        except (RuntimeError, OSError) as error:
            notes.append(f"Prism skipped: {str(error).splitlines()[0]}")
    else:
        notes.append(f"Prism skipped: {prism_status[1]}")
    return targets


def _start_granian(
    stack: contextlib.ExitStack,
    settings: Settings,
    world: Path,
    workdir: Path,
    requests: dict[str, Request],
    notes: list[str],
) -> list[Served]:
    env = {"BENCH_WORLD": str(world), "BENCH_BODIES": str(workdir / "bodies.json")}
    try:
        port = free_port()
        ours = stack.enter_context(
            serving(
                "granian-ours",
                granian_targets.command("emulator", port, 8),
                port,
                token_request(),
                60,
                env,
            )
        )
        ours_requests, _ = _emulator_requests(port)
        port = free_port()
        static = stack.enter_context(
            serving(
                "granian-static",
                granian_targets.command("baseline", port, 8),
                port,
                token_request(),
                60,
                env,
            )
        )
    except (RuntimeError, OSError) as error:
        notes.append(f"granian skipped: {str(error).splitlines()[0]}")
        return []
    connections = settings.granian_connections
    return [
        Served(OURS_G, ours, ours_requests, connections),
        Served(STATIC_G, static, requests, connections),
    ]


def _measure(
    settings: Settings, tool: str, targets: list[Served], details: list[dict[str, Any]]
) -> Results:
    """Every cell on every server, `load_repeats` passes; each cell keeps its best run.

    Passes go over all cells before repeating, so a busy spell of a shared machine hits one
    run of each cell rather than every run of one.
    """
    runs: dict[tuple[str, str, int], list[LoadResult]] = {}
    for repeat in range(settings.load_repeats):
        for name in ("GET Machines", "POST token", ASSETS):
            for count in settings.connections:
                for target in targets:
                    if count not in target.connections or name not in target.requests:
                        continue
                    if name == ASSETS and target.label != OURS:
                        continue
                    result = run_load(
                        tool,
                        target.server.port,
                        target.requests[name],
                        count,
                        settings.load_seconds,
                        settings.warmup_seconds,
                    )
                    runs.setdefault((target.label, name, count), []).append(result)
                    details.append(
                        {
                            "server": target.label,
                            "request": name,
                            "pass": repeat + 1,
                            **dataclasses.asdict(result),
                        }
                    )
                    print(
                        f"  [{repeat + 1}] {target.label:<24} {name:<13} c={count}: "
                        f"{result.rps:8.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
                        f"p99 {result.p99_ms:6.2f} ms  errors {result.errors}",
                        flush=True,
                    )
    return {key: max(results, key=lambda r: r.rps) for key, results in runs.items()}


def run(
    settings: Settings,
    tool: str,
    workdir: Path,
    prism_status: tuple[bool, str],
    details: list[dict[str, Any]],
    granian_skip: str,
) -> tuple[list[Row], list[str]]:
    """Rows of scenario 2 (and the WSGI comparison), plus notes on what was skipped."""
    notes: list[str] = []
    world = write_world(workdir, 50, rich=True)
    with contextlib.ExitStack() as stack:
        port = free_port()
        command = [*uipath_mock_command(), "--port", str(port), "--world", str(world)]
        ours = stack.enter_context(serving("uipath-mock", command, port, token_request()))
        requests, answers = _emulator_requests(port)
        targets = [Served(OURS, ours, requests, settings.connections)]
        targets += _start_baselines(
            stack, settings, workdir, answers, requests, prism_status, notes
        )
        if granian_skip:
            notes.append(f"granian skipped: {granian_skip}")
        else:
            targets += _start_granian(stack, settings, world, workdir, requests, notes)
        results = _measure(settings, tool, targets, details)
        memory = rss_mib(ours.process.pid)
    return _rows(settings, results, memory, len(answers["machines"].body)), notes


def _rows(settings: Settings, results: Results, memory: float | None, size: int) -> list[Row]:
    rows: list[Row] = []
    for name in ("GET Machines", "POST token"):
        for count in settings.connections:
            mine, base = results[OURS, name, count], results[STATIC, name, count]
            runs = f"best of {settings.load_repeats} x {settings.load_seconds:g} s"
            errors = f"{mine.errors} errors" if mine.errors else ""
            body = f"{size:,} B" if name == "GET Machines" else ""
            note = ", ".join(filter(None, [body, runs, errors]))
            rows.append(
                Row(
                    SCENARIO,
                    f"{name} c={count} throughput",
                    "req/s",
                    mine.rps,
                    base.rps,
                    "static Flask, waitress",
                    Target(">=", 0.8),
                    note,
                )
            )
            rows.append(
                Row(
                    SCENARIO,
                    f"{name} c={count} p50",
                    "ms",
                    mine.p50_ms,
                    base.p50_ms,
                    "static Flask, waitress",
                )
            )
            rows.append(
                Row(
                    SCENARIO,
                    f"{name} c={count} p99",
                    "ms",
                    mine.p99_ms,
                    base.p99_ms,
                    "static Flask, waitress",
                )
            )
            if (PRISM, name, count) in results:
                rows.append(
                    Row(
                        SCENARIO,
                        f"{name} c={count} throughput vs Prism",
                        "req/s",
                        mine.rps,
                        results[PRISM, name, count].rps,
                        "Prism",
                        Target(">=", 1.0),
                    )
                )
    for count in settings.connections:
        if (OURS, ASSETS, count) in results:
            rows.append(
                Row(
                    SCENARIO,
                    f"GET Assets/GetFiltered (50 assets, folder header) c={count} throughput",
                    "req/s",
                    results[OURS, ASSETS, count].rps,
                    results[OURS, "GET Machines", count].rps,
                    "GET Machines (50 machines), uipath-mock",
                    Target(">=", 0.9),
                )
            )
    rows.append(Row(SCENARIO, "uipath-mock RSS after the load", "MiB", memory))
    for name in ("GET Machines", "POST token"):
        for count in settings.granian_connections:
            if (OURS_G, name, count) not in results:
                continue
            ours_g, static_g = results[OURS_G, name, count], results[STATIC_G, name, count]
            rows.append(
                Row(
                    WSGI,
                    f"ours {name} c={count}: granian vs waitress",
                    "req/s",
                    ours_g.rps,
                    results[OURS, name, count].rps,
                    "ours on waitress",
                )
            )
            rows.append(
                Row(
                    WSGI,
                    f"static {name} c={count}: granian vs waitress",
                    "req/s",
                    static_g.rps,
                    results[STATIC, name, count].rps,
                    "static on waitress",
                )
            )
            rows.append(
                Row(
                    WSGI,
                    f"ours vs static, both on granian, {name} c={count}",
                    "req/s",
                    ours_g.rps,
                    static_g.rps,
                    "static Flask, granian",
                    Target(">=", 0.8),
                )
            )
            rows.append(
                Row(
                    WSGI,
                    f"ours on granian {name} c={count} p99",
                    "ms",
                    ours_g.p99_ms,
                    results[OURS, name, count].p99_ms,
                    "ours on waitress",
                )
            )
    return rows
