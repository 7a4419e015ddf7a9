"""A bounded closed-loop load generator: one process per connection, keep-alive, http.client.

Used when `wrk` is not installed. Each process opens one connection, waits for the common
start signal, sends the request back to back for the given seconds and reports its latencies.
Python clients are slower than wrk, so on a small machine this measures less than wrk does.
"""

import contextlib
import http.client
import multiprocessing
import time
from typing import Any

from bench.common import HOST, Request, percentile
from bench.load import LoadResult

MAX_CONNECTIONS = 16


def _worker(port: int, request: Request, seconds: float, ready: Any, go: Any, results: Any) -> None:
    latencies: list[float] = []
    errors = 0
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    ready.release()
    if not go.wait(timeout=60):
        results.put((0, 0, 0.0, latencies))
        return
    started = time.perf_counter()
    end = started + seconds
    now = started
    while now < end:
        try:
            connection.request(
                request.method, request.path, body=request.body, headers=request.headers
            )
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=10)
        after = time.perf_counter()
        latencies.append((after - now) * 1000)
        now = after
    connection.close()
    results.put((len(latencies), errors, now - started, latencies))


def run_python(port: int, request: Request, connections: int, seconds: float) -> LoadResult:
    """Measure with `connections` processes (at most 16) for `seconds`."""
    count = max(1, min(connections, MAX_CONNECTIONS))
    # forkserver forks cheap children from a small server process; spawn where there is none.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    ready = context.Semaphore(0)
    go = context.Event()
    results = context.Queue()
    processes = [
        context.Process(
            target=_worker, args=(port, request, seconds, ready, go, results), daemon=True
        )
        for _ in range(count)
    ]
    try:
        for process in processes:
            process.start()
        for _ in processes:
            if not ready.acquire(timeout=60):
                raise RuntimeError("load generator processes did not start within 60 s")
        go.set()
        reports = [results.get(timeout=seconds + 60) for _ in processes]
    finally:
        go.set()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
        with contextlib.suppress(Exception):
            results.close()
    latencies = [value for report in reports for value in report[3]]
    total = sum(report[0] for report in reports)
    elapsed = max((report[2] for report in reports), default=seconds) or seconds
    return LoadResult(
        tool="python",
        connections=count,
        seconds=elapsed,
        requests=total,
        errors=sum(report[1] for report in reports),
        rps=sum(report[0] / report[2] for report in reports if report[2] > 0),
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
    )
