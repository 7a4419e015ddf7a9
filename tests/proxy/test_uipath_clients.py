"""UiPath's own clients, unchanged, as subprocesses: their token requests go to
https://cloud.uipath.com whatever the base URL says, and reach the emulator through the proxy.

- `uipath auth --client-id ...` (PyPI `uipath` 2.14.44) against `uipath-mock --proxy-port`:
  token through the proxy, the portal call on the emulator's own port, `.env` written; then
  UiPath's SDK configured from that `.env` lists the machines;
- `UiPath(client_id=..., client_secret=...)` (`uipath-platform` 0.2.41) lists them too.

Each child gets a temporary HOME and working folder, no UiPath or proxy settings of the
developer's, telemetry off, and `HTTP_PROXY` on the proxy too: any call to another host,
HTTPS or plain, is refused by the proxy instead of reaching the network.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.proxy.helpers import client_environment
from tests.subprocess_helpers import EmulatorProcess
from uipath_emulator.mock_server.cli.banner import PROXY_HEADING
from uipath_emulator.mock_server.transports.proxy import ProxyServer
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import (
    DEFAULT_TENANT_MACHINES,
    FULL,
    ORGANIZATION,
    ORGANIZATION_ID,
    TENANT,
    TENANT_ID,
)

CHILD_TIMEOUT = 60.0
SCOPE = "OR.Machines OR.Machines.Read"
PROXY_LINE = re.compile(re.escape(PROXY_HEADING) + r" (http://127\.0\.0\.1:\d+)$")

LIST_FROM_DOTENV = """
from dotenv import load_dotenv
load_dotenv()  # the .env `uipath auth` wrote in this folder
from uipath.platform import UiPath
answer = UiPath().api_client.request("GET", "/orchestrator_/odata/Machines")
print(answer.status_code, len(answer.json()["value"]))
"""

LIST_WITH_CLIENT_CREDENTIALS = """
import sys
from uipath.platform import UiPath
client_id, client_secret, base_url, scope = sys.argv[1:]
sdk = UiPath(client_id=client_id, client_secret=client_secret, base_url=base_url, scope=scope)
answer = sdk.api_client.request("GET", "/orchestrator_/odata/Machines")
print(answer.status_code, len(answer.json()["value"]))
"""


def console_script(name: str) -> str:
    """A console script installed in this interpreter's environment."""
    folder = Path(sys.executable).parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    pytest.fail(f"{name} is not installed beside {sys.executable} (pip install '.[test]')")


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a child to completion (bounded), output captured."""
    return subprocess.run(  # noqa: S603 - installed console scripts and this interpreter
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )


def read_dotenv(path: Path) -> dict[str, str]:
    """The NAME=value lines of a `.env` file."""
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines())
    return {name: value for name, value in pairs}


def test_uipath_auth_through_the_proxy_writes_an_env_the_sdk_uses(tmp_path: Path) -> None:
    """`uipath auth --client-id` through `uipath-mock --proxy-port` exits 0 and writes `.env`;
    UiPath's SDK loaded from it lists the 8 machines."""
    ca_dir = tmp_path / "ca"
    with EmulatorProcess("--proxy-port", "0", "--ca-dir", str(ca_dir)) as server:
        match = PROXY_LINE.search(server.wait_for_line(PROXY_LINE))
        assert match is not None
        bundle = str(ca_dir / "ca-bundle.pem")
        proxy = {
            "HTTPS_PROXY": match.group(1),
            "NO_PROXY": "127.0.0.1,localhost,::1",
            "SSL_CERT_FILE": bundle,
            "REQUESTS_CA_BUNDLE": bundle,
        }
        env = client_environment(tmp_path, proxy)
        work = tmp_path / "project"
        work.mkdir()
        base_url = f"{server.base_url}/{ORGANIZATION}/{TENANT}"
        login = run(
            [
                console_script("uipath"),
                "auth",
                "--client-id",
                FULL.client_id,
                "--client-secret",
                str(FULL.client_secret),
                "--base-url",
                base_url,
                "--scope",
                SCOPE,
            ],
            work,
            env,
        )
        assert login.returncode == 0, login.stdout + login.stderr
        dotenv = read_dotenv(work / ".env")
        assert dotenv["UIPATH_URL"] == base_url
        assert dotenv["UIPATH_ORGANIZATION_ID"] == ORGANIZATION_ID
        assert dotenv["UIPATH_TENANT_ID"] == TENANT_ID
        assert dotenv["UIPATH_ACCESS_TOKEN"].count(".") == 2
        listing = run([sys.executable, "-c", LIST_FROM_DOTENV], work, env)
        assert listing.returncode == 0, listing.stderr
        assert listing.stdout.split() == ["200", str(DEFAULT_TENANT_MACHINES)]


def test_sdk_client_credentials_login_through_the_proxy(
    uipath_proxy: ProxyServer, uipath_server: EmulatorServer, tmp_path: Path
) -> None:
    """`UiPath(client_id=..., client_secret=..., base_url=..., scope=...)` logs in through the
    proxy and lists the 8 machines on the emulator's own port."""
    env = client_environment(tmp_path, uipath_proxy.environment())
    listing = run(
        [
            sys.executable,
            "-c",
            LIST_WITH_CLIENT_CREDENTIALS,
            FULL.client_id,
            str(FULL.client_secret),
            f"{uipath_server.base_url}/{ORGANIZATION}/{TENANT}",
            SCOPE,
        ],
        tmp_path,
        env,
    )
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.split() == ["200", str(DEFAULT_TENANT_MACHINES)]
    token_requests = [
        entry
        for entry in uipath_server.emulator.requests.entries()
        if entry.path == "/identity_/connect/token"
    ]
    assert [entry.status for entry in token_requests] == [200]


def test_uipath_auth_with_a_wrong_secret_fails_with_invalid_client(
    uipath_proxy: ProxyServer, uipath_server: EmulatorServer, tmp_path: Path
) -> None:
    """A wrong secret through the proxy makes `uipath auth` fail on the emulator's
    `invalid_client`, and no `.env` is written."""
    env = client_environment(tmp_path, uipath_proxy.environment())
    login = run(
        [
            console_script("uipath"),
            "auth",
            "--client-id",
            FULL.client_id,
            "--client-secret",
            "wrong-secret",
            "--base-url",
            f"{uipath_server.base_url}/{ORGANIZATION}/{TENANT}",
            "--scope",
            SCOPE,
        ],
        tmp_path,
        env,
    )
    assert login.returncode == 1
    assert '{"error":"invalid_client"}' in login.stderr
    assert not (tmp_path / ".env").exists()
