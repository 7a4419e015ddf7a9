"""Scenario 7: queue transactions in-process: AddQueueItem, a StartTransaction and
SetTransactionResult pair, and whether StartTransaction slows as finished items pile up."""

import statistics
import time

import requests

from bench.common import MACHINES_PATH, TOKEN_PATH
from bench.report import Row, Target
from bench.settings import Settings
from bench.worlds import QUEUE, queue_world
from uipath_emulator.mock_server.emulator import DEFAULT_BASE_URL, Emulator
from uipath_emulator.mock_server.well_known import FINANCE_ROBOT, ORGANIZATION, TENANT

SCENARIO = "7 queues"
ODATA = f"{DEFAULT_BASE_URL}/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
SIZES = (1_000, 100_000)
WARMUP = 10


def _session(emulator: Emulator) -> requests.Session:
    """A session with finance-robot's token and the queue's folder header."""
    session = requests.Session()
    form = {
        "grant_type": "client_credentials",
        "client_id": FINANCE_ROBOT.client_id,
        "client_secret": FINANCE_ROBOT.client_secret or "",
    }
    with emulator.intercept():
        answer = session.post(DEFAULT_BASE_URL + TOKEN_PATH, data=form, timeout=10)
    token = answer.json()["access_token"]
    session.headers.update({"Authorization": f"Bearer {token}", "X-UIPATH-FolderPath": "Shared"})
    return session


def _pair(session: requests.Session) -> tuple[float, float]:
    """One StartTransaction and its SetTransactionResult: (start ms, pair ms)."""
    started = time.perf_counter()
    item = session.post(
        f"{ODATA}/Queues/UiPathODataSvc.StartTransaction",
        json={"transactionData": {"Name": QUEUE}},
        timeout=10,
    )
    middle = time.perf_counter()
    if item.status_code != 200:
        raise RuntimeError(f"StartTransaction answered {item.status_code}")
    done = session.post(
        f"{ODATA}/Queues({item.json()['Id']})/UiPathODataSvc.SetTransactionResult",
        json={"transactionResult": {"IsSuccessful": True}},
        timeout=10,
    )
    if done.status_code != 200:
        raise RuntimeError(f"SetTransactionResult answered {done.status_code}")
    ended = time.perf_counter()
    return (middle - started) * 1000, (ended - started) * 1000


def run(settings: Settings) -> list[Row]:
    """Median ms per call; the pair runs `pairs` times per world size."""
    pairs = 100 if settings.quick else 250
    starts: dict[int, float] = {}
    pair_ms: dict[int, float] = {}
    add_ms = machines_ms = 0.0
    for size in SIZES:
        emulator = Emulator(world=queue_world(size))
        session = _session(emulator)
        with emulator.intercept():
            for _ in range(WARMUP):
                _pair(session)
            timings = [_pair(session) for _ in range(pairs)]
            if size == SIZES[0]:
                add_ms = _median_ms(
                    lambda session=session: session.post(
                        f"{ODATA}/Queues/UiPathODataSvc.AddQueueItem",
                        json={"itemData": {"Name": QUEUE, "SpecificContent": {"A": 1}}},
                        timeout=10,
                    ),
                    pairs,
                )
                machines_ms = _median_ms(
                    lambda session=session: session.get(
                        DEFAULT_BASE_URL + MACHINES_PATH, timeout=10
                    ),
                    pairs,
                )
        starts[size] = statistics.median(start for start, _ in timings)
        pair_ms[size] = statistics.median(pair for _, pair in timings)
    small, large = SIZES
    return [
        Row(SCENARIO, "AddQueueItem via intercept()", "ms", add_ms, machines_ms, "GET Machines"),
        Row(
            SCENARIO,
            f"StartTransaction + SetTransactionResult, {small:,} finished items",
            "ms",
            pair_ms[small],
            machines_ms,
            "GET Machines",
        ),
        Row(
            SCENARIO,
            f"StartTransaction p50, {large:,} vs {small:,} finished items in the queue",
            "ms",
            starts[large],
            starts[small],
            f"{small:,} finished items",
            Target("<=", 2.0),
            f"median of {pairs} pairs each, 300 waiting items",
        ),
    ]


def _median_ms(call: object, count: int) -> float:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
