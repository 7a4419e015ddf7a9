"""The three targets of the contract suite: in-process emulator, emulator server, the cloud."""

import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests

from uipath_emulator.client import ClientConfig, ConfigurationError, UiPathClient
from uipath_emulator.contract_tests.transport import ContractSession

TARGET_NAMES = ("inprocess", "server", "cloud")
ALLOW_WRITES = "UIPATH_CONTRACT_ALLOW_WRITES"
READONLY_ID = "UIPATH_READONLY_CLIENT_ID"
READONLY_SECRET = "UIPATH_READONLY_CLIENT_SECRET"
ROBOT_KEY = "UIPATH_CONTRACT_ROBOT_KEY"
"""A robot's key (`UIPATH_ROBOT_KEY`) that may take transactions in the first listed folder."""
PROCESS = "UIPATH_CONTRACT_PROCESS"
"""The name of a process (release) the job write tests start: one that needs no inputs."""
PROCESS_FOLDER = "UIPATH_CONTRACT_PROCESS_FOLDER"
"""The path of that process's folder (e.g. `Shared`)."""
EMULATOR_PROCESS = ("InvoiceProcessing", "Finance")
"""The well-known world's process the job write tests start on the emulator (it runs 30 s)."""
CLOUD = "https://cloud.uipath.com"
EMULATOR_EXAMPLES = 25
CLOUD_EXAMPLES = 5


@dataclass(frozen=True)
class Credentials:
    """An external app's id and secret (the secret is kept out of repr)."""

    client_id: str
    client_secret: str = field(repr=False)


class EmulatorControl(Protocol):
    """What emulator-only tests drive: the emulator's clock, faults and world."""

    def reset(self) -> None:
        """Back to the start world; clock, faults, journal cleared."""

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock forward."""

    def add_fault(self, **spec: Any) -> None:
        """Inject a fault (members as `POST /_emulator/faults` takes them)."""

    def state(self) -> dict[str, Any]:
        """The world document."""


class PythonControl:
    """Control of an emulator in this process."""

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator

    def reset(self) -> None:
        """Reset through the Python API."""
        self.emulator.reset()

    def advance_clock(self, seconds: float) -> None:
        """Advance through the Python API."""
        self.emulator.clock.advance(seconds)

    def add_fault(self, **spec: Any) -> None:
        """Add a fault through the Python API."""
        self.emulator.faults.add(**spec)

    def state(self) -> dict[str, Any]:
        """The state through the Python API."""
        state: dict[str, Any] = self.emulator.state()
        return state


class HttpControl:
    """Control of an emulator server through its `/_emulator/` control plane."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._http = requests.Session()

    def _call(self, method: str, path: str, body: Any = None) -> requests.Response:
        response = self._http.request(
            method, f"{self.base_url}/_emulator/{path}", json=body, timeout=10
        )
        response.raise_for_status()
        return response

    def reset(self) -> None:
        """POST /_emulator/reset."""
        self._call("POST", "reset")

    def advance_clock(self, seconds: float) -> None:
        """POST /_emulator/clock {"advance_seconds": n}."""
        self._call("POST", "clock", {"advance_seconds": seconds})

    def add_fault(self, **spec: Any) -> None:
        """POST /_emulator/faults."""
        self._call("POST", "faults", spec)

    def state(self) -> dict[str, Any]:
        """GET /_emulator/state."""
        state: dict[str, Any] = self._call("GET", "state").json()
        return state


@dataclass
class Target:
    """Where the contract runs, with which credentials, and what it may do there."""

    name: str
    base_url: str
    organization: str
    tenant: str
    app: Credentials
    scopes: tuple[str, ...] = ()
    readonly: Credentials | None = None
    control: EmulatorControl | None = None
    allow_writes: bool = True
    max_examples: int = EMULATOR_EXAMPLES
    token_lifetime: int | None = None
    activation: Any = None
    robot_key: str | None = field(default=None, repr=False)
    """A robot that may work in the first listed folder: the transaction tests start items
    for it (`RobotIdentifier`); without one they are skipped."""
    process: tuple[str, str] | None = None
    """(name, folder path) of a process the job write tests start; without one they are
    skipped."""

    @property
    def is_emulator(self) -> bool:
        """Whether the target is an emulator whose clock, faults and world the test controls."""
        return self.control is not None

    @property
    def token_url(self) -> str:
        """The guide's token URL, `{base}/{org}/identity_/connect/token`."""
        return f"{self.base_url}/{self.organization}/identity_/connect/token"

    @property
    def odata_url(self) -> str:
        """`{base}/{org}/{tenant}/orchestrator_/odata`."""
        return f"{self.base_url}/{self.organization}/{self.tenant}/orchestrator_/odata"

    @property
    def machines_url(self) -> str:
        """The Machines collection URL."""
        return f"{self.odata_url}/Machines"

    def active(self) -> AbstractContextManager[Any]:
        """What must be active while a test talks to the target (in-process interception)."""
        return self.activation() if self.activation is not None else nullcontext()

    def client(
        self,
        session: requests.Session | None = None,
        credentials: Credentials | None = None,
        **options: Any,
    ) -> UiPathClient:
        """The bundled client for this target, as its app (or as `credentials`, all scopes)."""
        app = credentials or self.app
        return UiPathClient(
            base_url=self.base_url,
            organization=self.organization,
            tenant=self.tenant,
            client_id=app.client_id,
            client_secret=app.client_secret,
            scopes=self.scopes if credentials is None else (),
            session=session,
            **options,
        )

    def new_session(self, on_response: Any = None) -> ContractSession:
        """A recording session; it refuses writes where they are not allowed."""
        return ContractSession(
            token_url=self.token_url, allow_writes=self.allow_writes, on_response=on_response
        )


def inprocess_target() -> Target:
    """The emulator in this process, reached through `responses` interception."""
    from uipath_emulator.mock_server import Emulator
    from uipath_emulator.mock_server.well_known import (
        FINANCE_ROBOT_KEY,
        FULL,
        ORGANIZATION,
        READONLY,
        TENANT,
    )

    emulator = Emulator()
    return Target(
        name="inprocess",
        base_url=CLOUD,
        organization=ORGANIZATION,
        tenant=TENANT,
        app=Credentials(FULL.client_id, str(FULL.client_secret)),
        readonly=Credentials(READONLY.client_id, str(READONLY.client_secret)),
        control=PythonControl(emulator),
        token_lifetime=3600,
        activation=emulator.intercept,
        robot_key=FINANCE_ROBOT_KEY,
        process=EMULATOR_PROCESS,
    )


class ServerProcess:
    """`uipath-mock --port 0` started as a user starts it, in a subprocess."""

    def __init__(self) -> None:
        command = shutil.which("uipath-mock")
        argv = [command] if command else [sys.executable, "-m", "uipath_emulator.mock_server"]
        self.process = subprocess.Popen(  # noqa: S603 (our own console script, fixed arguments)
            [*argv, "--host", "127.0.0.1", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._drain, args=(lines,), daemon=True).start()
        self.base_url = self._wait_for_base_url(lines)

    def _drain(self, lines: "queue.Queue[str]") -> None:
        assert self.process.stdout is not None
        try:
            for line in self.process.stdout:
                lines.put(line)
        except ValueError:
            pass  # stdout was closed by stop() while this thread read it
        lines.put("")

    def _wait_for_base_url(self, lines: "queue.Queue[str]") -> str:
        seen: list[str] = []
        while True:
            try:
                line = lines.get(timeout=30)
            except queue.Empty:
                self.stop()
                raise RuntimeError(f"uipath-mock printed no URL in 30 s: {seen}") from None
            if not line:
                raise RuntimeError(f"uipath-mock exited at start: {''.join(seen)}")
            seen.append(line)
            if " listening on " in line:
                return line.rsplit(" ", 1)[-1].strip()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it does not go within 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextmanager
def server_target() -> Iterator[Target]:
    """An emulator server subprocess on a free loopback port, stopped at the end."""
    from uipath_emulator.mock_server.well_known import (
        FINANCE_ROBOT_KEY,
        FULL,
        ORGANIZATION,
        READONLY,
        TENANT,
    )

    server = ServerProcess()
    try:
        yield Target(
            name="server",
            base_url=server.base_url,
            organization=ORGANIZATION,
            tenant=TENANT,
            app=Credentials(FULL.client_id, str(FULL.client_secret)),
            readonly=Credentials(READONLY.client_id, str(READONLY.client_secret)),
            control=HttpControl(server.base_url),
            token_lifetime=3600,
            robot_key=FINANCE_ROBOT_KEY,
            process=EMULATOR_PROCESS,
        )
    finally:
        server.stop()


def cloud_target(environ: Mapping[str, str] | None = None) -> Target:
    """The real cloud (or any base URL), from UIPATH_URL, UIPATH_CLIENT_ID, UIPATH_CLIENT_SECRET.

    Raises `ConfigurationError` naming every missing variable.
    """
    env = os.environ if environ is None else environ
    config = ClientConfig.from_env(env)
    readonly = None
    if env.get(READONLY_ID) and env.get(READONLY_SECRET):
        readonly = Credentials(env[READONLY_ID], env[READONLY_SECRET])
    return Target(
        name="cloud",
        base_url=config.base_url,
        organization=config.organization,
        tenant=config.tenant,
        app=Credentials(config.client_id, config.client_secret),
        scopes=config.scopes,
        readonly=readonly,
        allow_writes=env.get(ALLOW_WRITES) == "1",
        max_examples=CLOUD_EXAMPLES,
        robot_key=env.get(ROBOT_KEY) or None,
        process=_process(env),
    )


def _process(env: Mapping[str, str]) -> tuple[str, str] | None:
    """(name, folder) from `UIPATH_CONTRACT_PROCESS` and `..._FOLDER`, when both are set."""
    name, folder = env.get(PROCESS, "").strip(), env.get(PROCESS_FOLDER, "").strip()
    return (name, folder) if name and folder else None


__all__ = [
    "CLOUD_EXAMPLES",
    "TARGET_NAMES",
    "ConfigurationError",
    "Credentials",
    "EmulatorControl",
    "Target",
    "cloud_target",
    "inprocess_target",
    "server_target",
]
