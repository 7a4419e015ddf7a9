"""Scenario 1: the bundled client listing 50 machines through `intercept()`, vs a static stub."""

import time
from collections.abc import Callable

import requests
import responses

from bench.common import ASSETS_FOLDER, ASSETS_PATH, MACHINES_PATH, TOKEN_PATH
from bench.report import Row, Target
from bench.settings import Settings
from bench.worlds import world_document
from uipath_emulator.client import UiPathClient
from uipath_emulator.mock_server.emulator import DEFAULT_BASE_URL, Emulator
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT

SCENARIO = "1 in-process"
MACHINES_URL = DEFAULT_BASE_URL + MACHINES_PATH
ASSETS_URL = DEFAULT_BASE_URL + ASSETS_PATH
TOKEN_URL = DEFAULT_BASE_URL + TOKEN_PATH


def _client() -> UiPathClient:
    return UiPathClient(
        DEFAULT_BASE_URL,
        organization=ORGANIZATION,
        tenant=TENANT,
        client_id=FULL.client_id,
        client_secret=FULL.client_secret or "",
    )


def _ms_per_call(call: Callable[[], object], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls * 1000


def run(settings: Settings) -> list[Row]:
    """Best round (the three variants interleaved) of the mean ms per call: min is the least
    noisy estimate on a shared machine, as `timeit` advises."""
    emulator = Emulator(world=world_document(50, rich=True))
    ours_client = _client()
    with emulator.intercept():
        page = ours_client.machines.list()  # fetches and caches the token
        assert len(page.items) == 50, len(page.items)
        token = ours_client.token().access_token
        probe = requests.get(MACHINES_URL, headers={"Authorization": f"Bearer {token}"}, timeout=5)
        token_probe = requests.post(
            TOKEN_URL,
            data={
                "grant_type": "client_credentials",
                "client_id": FULL.client_id,
                "client_secret": FULL.client_secret,
            },
            timeout=5,
        )
    body, content_type = probe.content, probe.headers["Content-Type"]

    def static_stub() -> responses.RequestsMock:
        stub = responses.RequestsMock(assert_all_requests_are_fired=False)
        stub.add(responses.GET, MACHINES_URL, body=body, content_type=content_type)
        stub.add(
            responses.POST,
            TOKEN_URL,
            body=token_probe.content,
            content_type=token_probe.headers["Content-Type"],
        )
        return stub

    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}
    stub_client = _client()

    def plain_requests() -> object:
        return session.get(MACHINES_URL, headers=headers, timeout=10).json()

    folder_headers = {**headers, "X-UIPATH-FolderPath": ASSETS_FOLDER}

    def assets_requests() -> object:
        answer = session.get(ASSETS_URL, headers=folder_headers, timeout=10)
        assert answer.status_code == 200, answer.status_code
        return answer.json()

    ours, static, client_on_stub, machines_intercepted, assets_intercepted = [], [], [], [], []
    calls = settings.inprocess_calls
    for _ in range(settings.inprocess_rounds):
        with emulator.intercept():
            ours.append(_ms_per_call(ours_client.machines.list, calls))
            machines_intercepted.append(_ms_per_call(plain_requests, calls))
            assets_intercepted.append(_ms_per_call(assets_requests, calls))
        with static_stub():
            static.append(_ms_per_call(plain_requests, calls))
            client_on_stub.append(_ms_per_call(stub_client.machines.list, calls))
    ours_ms, static_ms, client_ms = min(ours), min(static), min(client_on_stub)
    note = f"{len(body):,} B body, best of {settings.inprocess_rounds} x {calls} calls"
    return [
        Row(
            SCENARIO,
            "list 50 machines, client via intercept()",
            "ms",
            ours_ms,
            static_ms,
            "requests + static responses stub",
            Target("<=", 1.3),
            note,
        ),
        Row(
            SCENARIO,
            "same, baseline = bundled client on the static stub",
            "ms",
            ours_ms,
            client_ms,
            "client + static stub",
            None,
            "emulator's own share",
        ),
        Row(
            SCENARIO,
            "GET Assets/GetFiltered (50 assets, folder header) via intercept()",
            "ms",
            min(assets_intercepted),
            min(machines_intercepted),
            "GET Machines (50 machines) via intercept()",
            Target("<=", 1.1),
            "requests on both; a folder-scoped listing against a tenant-level one",
        ),
    ]
