"""Run in a fresh process: load one world, time OData queries through the app, report RSS.

    python -m bench.scale_worker --world FILE --calls N --seconds S [--load-only]

Requests go straight to the emulator's WSGI app (no socket), so the numbers are the emulator's
own work per call. Prints one JSON object.
"""

import argparse
import json
import time
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

from bench.common import MACHINES_PATH, TOKEN_FORM, TOKEN_PATH, percentile, rss_mib
from uipath_emulator.mock_server.emulator import Emulator
from uipath_emulator.mock_server.transports.inprocess import call_wsgi
from uipath_emulator.mock_server.world.files import read_world_document


def queries(machines: int, call: int = 0) -> dict[str, str]:
    """The four queries of issue 6, for a world of `machines`.

    Each call's text differs (another name, another `$skip`), so every call is evaluated: a
    repeated query would be answered from the listing cache.
    """
    name = (machines // 2 + call) % machines + 1
    return {
        "$top=100": f"$top=100&$skip={call}",
        "$filter=Name eq": f"$filter=Name eq 'machine-{name:06d}'",
        "$orderby=Name desc&$top=10": f"$orderby=Name desc&$top=10&$skip={call}",
        "$count=true&$top=1": f"$count=true&$top=1&$skip={call}",
    }


def _call(emulator: Emulator, method: str, path: str, **kwargs: Any) -> tuple[int, bytes, float]:
    environ = EnvironBuilder(path=path, method=method, base_url="http://127.0.0.1", **kwargs)
    env = environ.get_environ()
    started = time.perf_counter()
    status, _, body = call_wsgi(emulator.app, env)
    return status, body, (time.perf_counter() - started) * 1000


def _validation_seconds(document: dict[str, Any]) -> float | None:
    """How long the world checks take (skeleton schema and compiled per-record checks)."""
    try:
        from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry
        from uipath_emulator.mock_server.world.loader import (
            _check,  # private: measured, not relied on
        )
    except ImportError:
        return None
    started = time.perf_counter()
    _check(document, list(default_registry()))
    return time.perf_counter() - started


def main() -> None:
    """Measure, print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", required=True)
    parser.add_argument("--machines", type=int, required=True)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--load-only", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    emulator = Emulator(Path(args.world))
    report: dict[str, Any] = {
        "load_s": time.perf_counter() - started,
        "rss_after_load_mib": rss_mib(),
    }
    document = read_world_document(args.world)
    report["validate_s"] = _validation_seconds(document)
    del document
    if args.load_only:
        print(json.dumps(report))
        return
    status, body, _ = _call(
        emulator,
        "POST",
        TOKEN_PATH,
        data=TOKEN_FORM,
        content_type="application/x-www-form-urlencoded",
    )
    assert status == 200, body
    headers = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
    results = {}
    for name in queries(args.machines):
        times: list[float] = []
        deadline = time.monotonic() + args.seconds
        for number in range(args.calls + 2):
            query = queries(args.machines, number)[name]
            status, body, elapsed = _call(
                emulator, "GET", MACHINES_PATH, query_string=query, headers=headers
            )
            assert status == 200, body[:300]
            if number >= 2:  # two warm-up calls
                times.append(elapsed)
            if time.monotonic() > deadline and len(times) >= 3:
                break
        results[name] = {"p50_ms": percentile(times, 0.5), "calls": len(times), "bytes": len(body)}
    report["queries"] = results
    report["rss_end_mib"] = rss_mib()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
