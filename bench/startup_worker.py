"""Run in a fresh process: the cost of `Emulator()` plus its first in-process call.

    python -m bench.startup_worker --runs N   (prints one JSON object)

The first emulator in a process pays for imports and the process signing key; the target is on
the ones after it, which is what a test suite creating an emulator per test pays.
"""

import time

_STARTED = time.perf_counter()

import argparse  # noqa: E402 - timed from interpreter start of this module
import json  # noqa: E402
import statistics  # noqa: E402


def _first_call(emulator_type: type, client_type: type) -> tuple[float, float]:
    from uipath_emulator.mock_server.emulator import DEFAULT_BASE_URL
    from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT

    started = time.perf_counter()
    emulator = emulator_type()
    created = time.perf_counter()
    with emulator.intercept():
        client = client_type(
            DEFAULT_BASE_URL,
            organization=ORGANIZATION,
            tenant=TENANT,
            client_id=FULL.client_id,
            client_secret=FULL.client_secret,
        )
        page = client.machines.list()
        client.close()
    assert page.items
    return (created - started) * 1000, (time.perf_counter() - created) * 1000


def main() -> None:
    """Measure, print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from uipath_emulator.client import UiPathClient
    from uipath_emulator.mock_server.emulator import Emulator

    imported = time.perf_counter()
    first_create, first_call = _first_call(Emulator, UiPathClient)
    first_total = (time.perf_counter() - _STARTED) * 1000
    creates, calls, totals = [], [], []
    for _ in range(args.runs):
        create_ms, call_ms = _first_call(Emulator, UiPathClient)
        creates.append(create_ms)
        calls.append(call_ms)
        totals.append(create_ms + call_ms)
    print(
        json.dumps(
            {
                "import_ms": (imported - _STARTED) * 1000,
                "first_emulator_ms": first_create,
                "first_call_ms": first_call,
                "first_total_ms": first_total,
                "create_ms": statistics.median(creates),
                "call_ms": statistics.median(calls),
                "total_ms": statistics.median(totals),
                "total_max_ms": max(totals),
                "runs": args.runs,
            }
        )
    )


if __name__ == "__main__":
    main()
