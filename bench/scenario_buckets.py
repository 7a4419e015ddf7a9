"""Scenario 9: bucket files, in-process and on `uipath-mock`: uploading and downloading a 1 MiB
file as UiPath's SDK does (GetWriteUri then PUT to the pre-signed URI; GetReadUri then GET), in
MB/s (10^6 bytes), beside GET Machines in the same run."""

import http.client
import json
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

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
from bench.report import Row
from bench.settings import Settings
from uipath_emulator.mock_server.emulator import DEFAULT_BASE_URL, Emulator
from uipath_emulator.mock_server.well_known import (
    DOCUMENTS_BUCKET_ID,
    FULL,
    ORGANIZATION,
    TENANT,
)

SCENARIO = "9 buckets"
FILE_BYTES = 1024 * 1024
PAYLOAD = bytes(range(256)) * (FILE_BYTES // 256)
BUCKET = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Buckets({DOCUMENTS_BUCKET_ID})"
FUNCTIONS = f"{BUCKET}/UiPath.Server.Configuration.OData"
PATH = "bench/one-mib.bin"
WARMUP = 3
FOLDER = {"X-UIPATH-FolderPath": "Shared"}
FORM = {
    "grant_type": "client_credentials",
    "client_id": FULL.client_id,
    "client_secret": FULL.client_secret or "",
}


def run(settings: Settings) -> list[Row]:
    """In-process rows, then the server's."""
    count = 20 if settings.quick else 100
    return _in_process(count) + _on_server(count)


def _megabytes_per_second(seconds: list[float]) -> float:
    return FILE_BYTES / statistics.median(seconds) / 1e6


def _timed(call: Callable[[], Any], count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return timings


def _rows(where: str, up: list[float], down: list[float], machines: list[float]) -> list[Row]:
    machines_per_second = 1 / statistics.median(machines)
    note = f"median of {len(up)} transfers of 1 MiB; GET Machines median of {len(machines)}"
    measured = (
        ("upload 1 MiB (GetWriteUri + PUT)", "MB/s", _megabytes_per_second(up)),
        ("download 1 MiB (GetReadUri + GET)", "MB/s", _megabytes_per_second(down)),
        ("GET Machines, same run", "/s", machines_per_second),
    )
    return [
        Row(SCENARIO, f"{where}: {metric}", unit, value, note=note)
        for metric, unit, value in measured
    ]


def _in_process(count: int) -> list[Row]:
    """`requests` through `intercept()`, as the full app in Shared."""
    emulator = Emulator()
    session = requests.Session()
    with emulator.intercept():
        token = session.post(DEFAULT_BASE_URL + TOKEN_PATH, data=FORM, timeout=10).json()
        api = {"Authorization": f"Bearer {token['access_token']}", **FOLDER}

        def uri(function: str) -> str:
            url = f"{DEFAULT_BASE_URL}{FUNCTIONS}.{function}"
            answer = session.get(url, params={"path": PATH}, headers=api, timeout=10)
            return str(answer.json()["Uri"])

        def upload() -> None:
            if session.put(uri("GetWriteUri"), data=PAYLOAD, timeout=10).status_code != 201:
                raise RuntimeError("the upload was refused")

        def download() -> None:
            if len(session.get(uri("GetReadUri"), timeout=10).content) != FILE_BYTES:
                raise RuntimeError("the download was short")

        def machines() -> None:
            session.get(DEFAULT_BASE_URL + MACHINES_PATH, headers=api, timeout=10)

        _timed(upload, WARMUP)
        up = _timed(upload, count)
        down = _timed(download, count)
        listed = _timed(machines, count)
    return _rows("in-process", up, down, listed)


class _Connection:
    """One kept-alive loopback connection to `uipath-mock`, as the full app in `Shared`."""

    def __init__(self, port: int) -> None:
        self._http = http.client.HTTPConnection(HOST, port, timeout=10)
        body = "&".join(f"{name}={value}" for name, value in FORM.items()).encode()
        _status, data = self.call(
            "POST", TOKEN_PATH, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        self.api = {"Authorization": f"Bearer {json.loads(data)['access_token']}", **FOLDER}

    def call(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        self._http.request(method, path, body=body, headers=headers or {})
        answer = self._http.getresponse()
        return answer.status, answer.read()

    def uri(self, function: str) -> str:
        status, data = self.call("GET", f"{FUNCTIONS}.{function}?path={PATH}", headers=self.api)
        if status != 200:
            raise RuntimeError(f"{function} answered {status}")
        parts = urlsplit(json.loads(data)["Uri"])
        return f"{parts.path}?{parts.query}"

    def close(self) -> None:
        self._http.close()


def _on_server(count: int) -> list[Row]:
    """Sequential transfers on one kept-alive connection to a `uipath-mock` process."""
    port = free_port()
    with serving(
        "uipath-mock-buckets", [*uipath_mock_command(), "--port", str(port)], port, token_request()
    ):
        connection = _Connection(port)
        try:

            def upload() -> None:
                status, _ = connection.call("PUT", connection.uri("GetWriteUri"), PAYLOAD)
                if status != 201:
                    raise RuntimeError(f"the upload answered {status}")

            def download() -> None:
                status, data = connection.call("GET", connection.uri("GetReadUri"))
                if status != 200 or len(data) != FILE_BYTES:
                    raise RuntimeError(f"the download answered {status}")

            def machines() -> None:
                connection.call("GET", MACHINES_PATH, headers=connection.api)

            _timed(upload, WARMUP)
            up = _timed(upload, count)
            down = _timed(download, count)
            listed = _timed(machines, count)
        finally:
            connection.close()
    return _rows("server", up, down, listed)
