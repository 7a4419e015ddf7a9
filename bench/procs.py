"""Servers as child processes on 127.0.0.1: started, probed until they answer, always stopped."""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.common import REPO_ROOT, Request, bench_env, send

_POSIX = os.name == "posix"


@dataclass
class Server:
    """A running server process."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:port`."""
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 15) -> str:
        """The end of the server's output, for error messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start(
    command: Sequence[str], log: Path, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start `command` in its own process group, output to `log`."""
    env = {**bench_env(), **(extra_env or {})}
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 - argv built by the bench, loopback only
            list(command),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=REPO_ROOT,
            env=env,
            start_new_session=_POSIX,
        )


def stop(process: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """Stop a process started by `start` and its children: SIGTERM, then SIGKILL after `grace`."""
    if process.poll() is None:
        _signal(process, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    # The group may still hold children (granian's worker, npx's node) after the leader left.
    _signal(process, signal.SIGKILL if _POSIX else signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)


def _signal(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if _POSIX:
            os.killpg(process.pid, signum)  # the group this process leads (start_new_session)
        else:
            process.terminate()


def wait_until_answering(
    process: subprocess.Popen[bytes], port: int, probe: Request, timeout: float
) -> float:
    """Poll until `probe` gets any HTTP answer; returns the seconds waited. Raises on timeout."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering")
        try:
            send(port, probe, timeout=2.0)
            return time.perf_counter() - started
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"server did not answer on port {port} within {timeout:.0f} s")


@contextlib.contextmanager
def serving(
    name: str,
    command: Sequence[str],
    port: int,
    probe: Request,
    timeout: float = 60.0,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Run `command` (which must listen on `port`) until the block ends; stopped in any case."""
    with tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False) as f:
        log = Path(f.name)
    process = start(command, log, extra_env)
    server = Server(name, process, port, log)
    try:
        try:
            wait_until_answering(process, port, probe, timeout)
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{name}: {error}\n{server.log_tail()}") from None
        yield server
    finally:
        stop(process)
        with contextlib.suppress(OSError):
            log.unlink()


def python_module(module: str, *args: str) -> list[str]:
    """`python -m module args` with this interpreter."""
    return [sys.executable, "-m", module, *args]
