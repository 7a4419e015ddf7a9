"""Closed-loop HTTP load: `wrk` when installed, else a bounded multi-process Python generator."""

import http.client
import shutil
import time
from dataclasses import dataclass

from bench.common import HOST, Request


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured."""

    tool: str
    connections: int
    seconds: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float


def choose_tool(preference: str) -> tuple[str, str]:
    """`(tool, why)`: `wrk` if asked for or found on PATH, else `python`."""
    found = shutil.which("wrk")
    if preference == "python":
        return "python", "Python load generator (forced with --loadgen python)"
    if found:
        return "wrk", f"wrk ({found})"
    if preference == "wrk":
        raise SystemExit("bench: --loadgen wrk but wrk is not on PATH")
    return "python", "Python load generator, several processes (wrk not found on PATH)"


def warm_up(port: int, request: Request, seconds: float) -> None:
    """Sequential requests on one keep-alive connection for `seconds` (lazy set-up, caches)."""
    deadline = time.monotonic() + seconds
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        while time.monotonic() < deadline:
            connection.request(
                request.method, request.path, body=request.body, headers=request.headers
            )
            connection.getresponse().read()
    finally:
        connection.close()


def run_load(
    tool: str, port: int, request: Request, connections: int, seconds: float, warmup: float
) -> LoadResult:
    """Load `request` on 127.0.0.1:`port` with `connections` for `seconds` after a warm-up."""
    if warmup > 0:
        warm_up(port, request, warmup)
    if tool == "wrk":
        from bench.load_wrk import run_wrk

        return run_wrk(port, request, connections, seconds)
    from bench.load_python import run_python

    return run_python(port, request, connections, seconds)
