"""Run `uipath-mock` (and `uipath-client`) as real child processes, the way a user starts them.

Every wait is bounded, nothing sleeps for timing (conditions are polled against a deadline),
and `EmulatorProcess` kills its child on exit however the test ends.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

import requests

from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT, WellKnownApp

REPO_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 20.0
"""Seconds a child gets to print its banner or to exit (generous: a loaded CI machine)."""
HTTP_TIMEOUT = 10.0
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+))\s*$")
MACHINES_PATH = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Machines"
TOKEN_PATH = f"/{ORGANIZATION}/identity_/connect/token"
EMULATOR_COMMAND = (sys.executable, "-m", "uipath_emulator.mock_server")


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without UiPath settings or proxies, plus `extra`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith("UIPATH_") and not name.upper().endswith("_PROXY")
    }
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(extra or {})
    return env


def http_session() -> requests.Session:
    """A `requests` session that ignores proxy settings, so 127.0.0.1 is reached directly."""
    session = requests.Session()
    session.trust_env = False
    return session


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `condition` until it is true; `AssertionError` naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


def run_emulator(*args: str, timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run `uipath-mock ARGS` (as a module) to completion, for starts that must fail."""
    return subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [*EMULATOR_COMMAND, *args],
        cwd=REPO_ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_client(
    *args: str, env: dict[str, str], timeout: float = START_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """Run `uipath-client ARGS` in a child interpreter with exactly these extra settings."""
    return subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-c", "from client.cli import main; raise SystemExit(main())", *args],
        cwd=REPO_ROOT,
        env=child_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def stderr_lines(text: str) -> list[str]:
    """The non-empty lines of a child's stderr."""
    return [line for line in text.splitlines() if line.strip()]


class EmulatorProcess:
    """`uipath-mock --port 0 ARGS` (as a module) in a child process, output read as it comes."""

    def __init__(self, *args: str) -> None:
        self.args = args
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [*EMULATOR_COMMAND, "--port", "0", *args],
            cwd=REPO_ROOT,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._stdout: queue.Queue[str | None] = queue.Queue()
        self.stdout_lines: list[str] = []
        self._stderr: list[str] = []
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self._readers = [
            threading.Thread(target=self._pump, args=(self.process.stdout, self._stdout.put)),
            threading.Thread(target=self._pump, args=(self.process.stderr, self._stderr.append)),
        ]
        for reader in self._readers:
            reader.daemon = True
            reader.start()
        self.base_url = ""
        self.port = 0

    @staticmethod
    def _pump(stream: IO[str], sink: Callable[[str | None], None]) -> None:
        for line in stream:
            sink(line.rstrip("\n"))
        sink(None)

    def wait_for_line(self, pattern: str | re.Pattern[str], timeout: float = START_TIMEOUT) -> str:
        """The first new stdout line matching `pattern`; fails if stdout ends or time runs out."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no stdout line matching {pattern!r} within {timeout} s")
            try:
                line = self._stdout.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self._stdout.put(None)  # stay at end of output for later calls
                raise AssertionError(
                    f"stdout ended before a line matching {pattern!r}; "
                    f"exit code {self.process.poll()}; stderr: {self.stderr!r}"
                )
            self.stdout_lines.append(line)
            if re.search(pattern, line):
                return line

    def start(self) -> EmulatorProcess:
        """Wait for the banner's `listening on` line and learn the port from it."""
        match = LISTENING.search(self.wait_for_line(LISTENING))
        assert match is not None
        self.base_url, self.port = match.group(1), int(match.group(2))
        return self

    def wait_for_banner_end(self) -> None:
        """Read stdout up to the banner's last line (`Press Ctrl-C to stop.`)."""
        self.wait_for_line(r"^Press Ctrl-C to stop\.$")

    def wait(self, timeout: float = START_TIMEOUT) -> int:
        """The exit code, once the child has exited (bounded) and its output is drained."""
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=timeout)
        return code

    def remaining_stdout(self) -> list[str]:
        """Every stdout line not yet consumed by `wait_for_line` (call after `wait`)."""
        lines: list[str] = []
        while True:
            try:
                line = self._stdout.get_nowait()
            except queue.Empty:
                return lines
            if line is None:
                self._stdout.put(None)
                return lines
            lines.append(line)

    @property
    def stderr(self) -> str:
        """What the child wrote to stderr so far."""
        return "\n".join(line for line in self._stderr if line is not None)

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this emulator."""
        return f"{self.base_url}{path}"

    def kill(self) -> None:
        """SIGKILL the child (if still running) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.wait()

    def close(self) -> None:
        """Kill the child if it is still running and close its pipes."""
        try:
            self.kill()
        finally:
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()

    def __enter__(self) -> EmulatorProcess:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def get_token(
    session: requests.Session, base_url: str, app: WellKnownApp = FULL
) -> dict[str, object]:
    """A client-credentials token response body for `app` (all its scopes)."""
    response = session.post(
        f"{base_url}{TOKEN_PATH}",
        data={
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": app.client_secret or "",
        },
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def bearer(token: object) -> dict[str, str]:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}
