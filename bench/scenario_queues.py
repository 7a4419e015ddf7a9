"""Scenario 7: queue transactions, in-process and on `uipath-mock`: AddQueueItem, a
StartTransaction and SetTransactionResult pair, and whether StartTransaction slows as finished
items pile up."""

import http.client
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from bench.common import (
    HOST,
    MACHINES_PATH,
    TOKEN_PATH,
    free_port,
    token_request,
    uipath_mock_command,
)
from bench.procs import serving
from bench.report import Row, Target
from bench.settings import Settings
from bench.worlds import QUEUE, queue_world
from uipath_emulator.mock_server.emulator import DEFAULT_BASE_URL, Emulator
from uipath_emulator.mock_server.well_known import (
    FINANCE_ROBOT,
    ORGANIZATION,
    TENANT,
    WellKnownApp,
)

SCENARIO = "7 queues"
ODATA = f"{DEFAULT_BASE_URL}/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
SIZES = (1_000, 100_000)
WARMUP = 10


def in_process_session(
    emulator: Emulator, app: WellKnownApp = FINANCE_ROBOT, scope: str | None = None
) -> requests.Session:
    """A session with a token of `app` (its scopes, or `scope`) and `Shared`'s folder header,
    for calls through `emulator.intercept()`."""
    session = requests.Session()
    form = {
        "grant_type": "client_credentials",
        "client_id": app.client_id,
        "client_secret": app.client_secret or "",
        **({"scope": scope} if scope else {}),
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
    """In-process rows, then the server's."""
    return _in_process(settings) + _on_server(settings)


def _in_process(settings: Settings) -> list[Row]:
    """Median ms per call; the pair runs `pairs` times per world size."""
    pairs = 100 if settings.quick else 250
    starts: dict[int, float] = {}
    pair_ms: dict[int, float] = {}
    add_ms = machines_ms = 0.0
    for size in SIZES:
        emulator = Emulator(world=queue_world(size))
        session = in_process_session(emulator)
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


class Connection:
    """One kept-alive loopback connection to `uipath-mock`, as finance-robot in `Shared`."""

    def __init__(self, port: int) -> None:
        self._http = http.client.HTTPConnection(HOST, port, timeout=10)
        form = (
            f"grant_type=client_credentials&client_id={FINANCE_ROBOT.client_id}"
            f"&client_secret={FINANCE_ROBOT.client_secret}"
        )
        token = self.call("POST", TOKEN_PATH, form.encode(), "application/x-www-form-urlencoded")
        self._headers = {
            "Authorization": f"Bearer {token[1]['access_token']}",
            "X-UIPATH-FolderPath": "Shared",
            "Content-Type": "application/json",
        }

    def call(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, Any]:
        headers = getattr(self, "_headers", {"Content-Type": content_type})
        self._http.request(method, path, body=body, headers=headers)
        answer = self._http.getresponse()
        data = answer.read()
        return answer.status, json.loads(data) if data else None

    def close(self) -> None:
        self._http.close()


def _on_server(settings: Settings) -> list[Row]:
    """Sequential calls on one kept-alive connection: calls per second."""
    count = 100 if settings.quick else 400
    odata = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
    with tempfile.TemporaryDirectory(prefix="bench-queues-") as workdir:
        world = Path(workdir) / "queues.json"
        world.write_text(json.dumps(queue_world(SIZES[0], waiting=count + WARMUP)), "utf-8")
        port = free_port()
        command = [*uipath_mock_command(), "--port", str(port), "--world", str(world)]
        with serving("uipath-mock-queues", command, port, token_request()):
            connection = Connection(port)
            try:
                pair = f"{odata}/Queues/UiPathODataSvc.StartTransaction"
                start_body = json.dumps({"transactionData": {"Name": QUEUE}}).encode()
                done_body = json.dumps({"transactionResult": {"IsSuccessful": True}}).encode()

                def one_pair() -> None:
                    status, item = connection.call("POST", pair, start_body)
                    if status != 200:
                        raise RuntimeError(f"StartTransaction answered {status}")
                    result = f"{odata}/Queues({item['Id']})/UiPathODataSvc.SetTransactionResult"
                    connection.call("POST", result, done_body)

                add_body = json.dumps({"itemData": {"Name": QUEUE, "SpecificContent": {"A": 1}}})
                add_path = f"{odata}/Queues/UiPathODataSvc.AddQueueItem"
                for _ in range(WARMUP):
                    one_pair()
                pairs_per_second = count / _seconds(one_pair, count)
                adds_per_second = count / _seconds(
                    lambda: connection.call("POST", add_path, add_body.encode()), count
                )
                machines_per_second = count / _seconds(
                    lambda: connection.call("GET", MACHINES_PATH), count
                )
            finally:
                connection.close()
    note = f"{count} sequential calls on one kept-alive connection"
    return [
        Row(
            SCENARIO,
            "server: AddQueueItem",
            "/s",
            adds_per_second,
            machines_per_second,
            "GET Machines, same connection",
            None,
            note,
        ),
        Row(
            SCENARIO,
            "server: StartTransaction + SetTransactionResult pairs",
            "/s",
            pairs_per_second,
            machines_per_second,
            "GET Machines, same connection",
            None,
            note,
        ),
    ]


def _seconds(call: Any, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        call()
    return time.perf_counter() - started
