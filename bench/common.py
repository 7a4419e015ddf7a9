"""Shared by every scenario: the two requests of the guide, loopback HTTP, process memory."""

import http.client
import json
import os
import shutil
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
MACHINES_PATH = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Machines"
ASSETS_PATH = (
    f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Assets/UiPath.Server.Configuration.OData."
    "GetFiltered"
)
ASSETS_FOLDER = "Shared"
"""The folder the bench's 50 assets are in (sent as `X-UIPATH-FolderPath`)."""
TOKEN_PATH = f"/{ORGANIZATION}/identity_/connect/token"
FORM = "application/x-www-form-urlencoded"
TOKEN_FORM = urlencode(
    {
        "grant_type": "client_credentials",
        "client_id": FULL.client_id,
        "client_secret": FULL.client_secret or "",
    }
).encode("ascii")


@dataclass(frozen=True)
class Request:
    """One HTTP request a load generator repeats."""

    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Answer:
    """Status, content type and exact body of one response."""

    status: int
    content_type: str
    body: bytes


def token_request() -> Request:
    """`POST token` with the well-known full app's credentials."""
    return Request("POST token", "POST", TOKEN_PATH, {"Content-Type": FORM}, TOKEN_FORM)


def machines_request(access_token: str, query: str = "") -> Request:
    """`GET Machines` with a bearer token."""
    path = f"{MACHINES_PATH}?{query}" if query else MACHINES_PATH
    return Request("GET Machines", "GET", path, {"Authorization": f"Bearer {access_token}"})


def assets_request(access_token: str) -> Request:
    """`GET Assets/GetFiltered` of the assets' folder, as UiPath's SDK lists assets."""
    headers = {"Authorization": f"Bearer {access_token}", "X-UIPATH-FolderPath": ASSETS_FOLDER}
    return Request("GET Assets", "GET", ASSETS_PATH, headers)


def send(port: int, request: Request, timeout: float = 10.0) -> Answer:
    """Send `request` to 127.0.0.1:`port` on a new connection."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return Answer(response.status, response.getheader("Content-Type", ""), response.read())
    finally:
        connection.close()


def fetch_token(port: int) -> tuple[str, Answer]:
    """A fresh access token from the emulator on `port`, and the exact token answer."""
    answer = send(port, token_request())
    if answer.status != 200:
        raise RuntimeError(f"token request failed: {answer.status} {answer.body[:200]!r}")
    return str(json.loads(answer.body)["access_token"]), answer


def free_port() -> int:
    """A TCP port free on loopback right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def rss_mib(pid: int | None = None) -> float | None:
    """Resident memory of a process in MiB (Linux `/proc`; None where unavailable)."""
    status = Path(f"/proc/{pid or os.getpid()}/status")
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def uipath_mock_command() -> list[str]:
    """`uipath-mock` beside this interpreter, else on PATH, else `python -m` of its module."""
    beside = Path(sys.executable).with_name("uipath-mock")
    for candidate in (beside, beside.with_suffix(".exe")):
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which("uipath-mock")
    return [found] if found else [sys.executable, "-m", "uipath_emulator.mock_server"]


def bench_env() -> dict[str, str]:
    """The environment for child processes: `bench` importable from the checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` (0..1) percentile of `values`, nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Deadline:
    """A monotonic time limit."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    def passed(self) -> bool:
        """Whether the limit is reached."""
        return time.monotonic() >= self._end

    def left(self) -> float:
        """Seconds left, at least 0."""
        return max(0.0, self._end - time.monotonic())
