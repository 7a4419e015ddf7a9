"""The README's "Clients that hard-code cloud.uipath.com" examples, run as a reader pastes them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.proxy.helpers import isolated_environment
from tests.proxy.test_uipath_clients import PROXY_LINE
from tests.subprocess_helpers import EmulatorProcess
from tests.test_readme import fenced_blocks
from uipath_emulator.mock_server.transports.proxy import ProxyServer
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import DEFAULT_TENANT_MACHINES

SECTION = "Clients that hard-code cloud.uipath.com"
README_PROXY = "http://127.0.0.1:8443"
README_SERVER = "http://127.0.0.1:8080"
LINUX_ONLY = pytest.mark.skipif(
    sys.platform != "linux" or shutil.which("bash") is None,
    reason="the section's examples are Linux's setup (bash; truststore reading SSL_CERT_FILE); "
    "on Windows and macOS UiPath's SDK needs the CA in the OS store, which a test must not touch",
)


def with_this_environment_first(env: dict[str, str]) -> dict[str, str]:
    """`env` with this interpreter's folder (its `python3`, `uipath`) first on PATH."""
    folder = str(Path(sys.executable).parent)
    return {**env, "PATH": os.pathsep.join([folder, env.get("PATH", "")])}


@LINUX_ONLY
def test_bash_setup_logs_in_and_the_sdk_lists_the_machines(tmp_path: Path) -> None:
    """The section's bash block, with this run's ports and a temporary HOME, prints 8."""
    (setup,) = [block for block in fenced_blocks(SECTION, "sh") if "uipath auth" in block]
    home = tmp_path / "home"
    ca_dir = home / ".local" / "share" / "uipath-cloud-emulator" / "ca"
    with EmulatorProcess("--proxy-port", "0", "--ca-dir", str(ca_dir)) as server:
        match = PROXY_LINE.search(server.wait_for_line(PROXY_LINE))
        assert match is not None
        script = setup.replace(README_PROXY, match.group(1)).replace(README_SERVER, server.base_url)
        env = with_this_environment_first(isolated_environment(tmp_path))
        work = tmp_path / "project"
        work.mkdir()
        run = subprocess.run(  # noqa: S603 - bash on the README's own commands, loopback only
            ["bash", "-euo", "pipefail", "-c", script],  # noqa: S607 - bash from PATH
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == str(DEFAULT_TENANT_MACHINES)
    assert (work / ".env").is_file()


@LINUX_ONLY
def test_fixture_example_passes(
    uipath_server: EmulatorServer,
    uipath_proxy: ProxyServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The section's pytest example passes as written, given this session's fixtures."""
    (block,) = fenced_blocks(SECTION, "python")
    for name, value in isolated_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    for name in list(os.environ):
        if name.upper().startswith("UIPATH_") or name.upper().endswith("_PROXY"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("UIPATH_TELEMETRY_ENABLED", "false")
    monkeypatch.setenv("PATH", with_this_environment_first(dict(os.environ))["PATH"])
    namespace: dict[str, Any] = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    (example,) = [value for name, value in namespace.items() if name.startswith("test_")]
    work = tmp_path / "example"
    work.mkdir()
    example(uipath_server, uipath_proxy, work)
