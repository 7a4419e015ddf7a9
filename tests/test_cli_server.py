"""`uipath-mock` started as a user starts it, as `python -m uipath_emulator.mock_server`."""

from __future__ import annotations

import json
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import jwt
import pytest
import requests

from tests.subprocess_helpers import (
    HTTP_TIMEOUT,
    MACHINES_PATH,
    TOKEN_PATH,
    EmulatorProcess,
    bearer,
    get_token,
    http_session,
    run_emulator,
    stderr_lines,
    wait_until,
)
from uipath_emulator.mock_server.resources import default_world_path
from uipath_emulator.mock_server.well_known import (
    DEFAULT_TENANT_MACHINES,
    FULL,
    GLOBEX,
    READONLY,
    ROBOTS,
    SPA,
)

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
HEALTH_PATH = "/_emulator/health"
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _default_world() -> dict[str, object]:
    document: dict[str, object] = json.loads(default_world_path().read_text(encoding="utf-8"))
    return document


def _seeded_names() -> list[str]:
    """The machine names of acme/DefaultTenant in the default world, by id."""
    tenant = _default_world()["organizations"][0]["tenants"][0]  # type: ignore[index]
    return [
        machine["Name"] for machine in sorted(tenant["entities"]["Machines"], key=lambda m: m["Id"])
    ]


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    """An HTTP session that reaches 127.0.0.1 directly, whatever the proxy settings."""
    with http_session() as http:
        yield http


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorProcess]:
    """One `uipath-mock --port 0` on the default world, shared by the read-only tests here."""
    with EmulatorProcess() as process:
        process.wait_for_banner_end()
        yield process


@pytest.fixture
def own_server(request: pytest.FixtureRequest) -> Iterator[EmulatorProcess]:
    """A `uipath-mock` for this test alone, started with the test's `server_args` param."""
    with EmulatorProcess(*getattr(request, "param", ())) as process:
        process.wait_for_banner_end()
        yield process


def _answering(session: requests.Session, process: EmulatorProcess) -> None:
    """Wait (bounded) until the server answers HTTP, i.e. its serve loop is running."""

    def answers() -> bool:
        try:
            session.get(process.url("/_emulator/health"), timeout=HTTP_TIMEOUT)
        except requests.ConnectionError:
            return False
        return True

    wait_until(answers, HTTP_TIMEOUT, "the server to answer HTTP")


def _curl_commands(banner: list[str]) -> list[list[str]]:
    """The banner's curl commands, continuation lines joined, split as a shell would."""
    commands: list[list[str]] = []
    pending = ""
    for line in banner:
        stripped = line.strip()
        if pending or stripped.startswith("curl "):
            pending += " " + stripped.removesuffix("\\")
            if not stripped.endswith("\\"):
                commands.append(shlex.split(pending))
                pending = ""
    return commands


def _curl_parts(command: list[str]) -> tuple[str, str, dict[str, str], str | None]:
    """Method, URL, headers and `-d` body of a simple `curl -X M URL -H ... -d ...` command."""
    assert command[:2] == ["curl", "-X"], command
    method, url = command[2], command[3]
    headers: dict[str, str] = {}
    body = None
    options = iter(command[4:])
    for option in options:
        value = next(options)
        if option == "-H":
            name, _, header_value = value.partition(":")
            headers[name.strip()] = header_value.strip()
        else:
            assert option == "-d", command
            body = value
    return method, url, headers, body


def test_banner_prints_base_url_credentials_and_curl(server: EmulatorProcess) -> None:
    """The start banner names the base URL, every well-known app with its secret, and curl."""
    text = "\n".join(server.stdout_lines)
    assert server.stdout_lines[0] == (
        f"uipath-mock: UiPath Automation Cloud emulator listening on {server.base_url}"
    )
    for app in (FULL, READONLY, ROBOTS, GLOBEX):
        assert f"client_id {app.client_id}  secret {app.client_secret}  scopes " in text
    assert f"secret {FULL.client_secret}  scopes {' '.join(FULL.scopes)}" in text
    assert f"client_id {SPA.client_id}  secret (none)  " in text
    assert f'curl -X POST "{server.base_url}{TOKEN_PATH}"' in text
    assert f'curl -X GET "{server.base_url}{MACHINES_PATH}"' in text
    assert server.stderr == ""


def test_banner_curl_commands_work_as_pasted(
    server: EmulatorProcess, session: requests.Session
) -> None:
    """The banner's token curl, sent as pasted, gives a token its Machines curl can use."""
    token_command, machines_command = _curl_commands(server.stdout_lines)
    method, url, headers, body = _curl_parts(token_command)
    assert (method, url, headers) == ("POST", server.url(TOKEN_PATH), FORM)
    assert body is not None
    assert "&scope=OR.Machines OR.Machines.Read " in body
    token = session.post(url, data=body, headers=headers, timeout=HTTP_TIMEOUT)
    assert token.status_code == 200, token.text
    assert token.json()["scope"] == " ".join(FULL.scopes)

    method, url, headers, body = _curl_parts(machines_command)
    assert (method, url, body) == ("GET", server.url(MACHINES_PATH), None)
    assert headers["Authorization"] == "Bearer {access_token}"
    headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    machines = session.get(url, headers=headers, timeout=HTTP_TIMEOUT)
    assert machines.status_code == 200, machines.text
    assert [item["Name"] for item in machines.json()["value"]] == _seeded_names()


def test_guide_token_request_with_raw_spaces_then_machines(
    server: EmulatorProcess, session: requests.Session
) -> None:
    """The guide's token body (raw spaces in scope) gets 4 fields; its token lists the machines."""
    body = (
        f"grant_type=client_credentials&client_id={FULL.client_id}"
        f"&client_secret={FULL.client_secret}&scope=OR.Machines OR.Machines.Read"
    )
    response = session.post(server.url(TOKEN_PATH), data=body, headers=FORM, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    token = response.json()
    assert list(token) == ["access_token", "expires_in", "token_type", "scope"]
    assert token["expires_in"] == 3600
    assert token["token_type"] == "Bearer"
    assert token["scope"] == "OR.Machines OR.Machines.Read"

    machines = session.get(
        server.url(MACHINES_PATH),
        headers={**bearer(token["access_token"]), "accept": "application/json"},
        timeout=HTTP_TIMEOUT,
    )
    assert machines.status_code == 200, machines.text
    assert len(machines.json()["value"]) == DEFAULT_TENANT_MACHINES


def test_control_plane_is_on_by_default_on_loopback(
    server: EmulatorProcess, session: requests.Session
) -> None:
    """Bound to 127.0.0.1 with no control flag, `/_emulator/health` answers without a token."""
    response = session.get(server.url(HEALTH_PATH), timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@POSIX_ONLY
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_the_server_cleanly(
    own_server: EmulatorProcess, session: requests.Session, signum: signal.Signals
) -> None:
    """SIGTERM and SIGINT (Ctrl-C) end the server with exit code 0 and `uipath-mock: stopped`."""
    if signum == signal.SIGINT and signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        pytest.skip("SIGINT is ignored by this process, so the child inherits that")
    _answering(session, own_server)
    own_server.process.send_signal(signum)
    assert own_server.wait() == 0
    assert own_server.remaining_stdout()[-1:] == ["uipath-mock: stopped"]
    assert "Traceback" not in own_server.stderr
    assert own_server.stderr == ""


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--port", "99999"], "--port"),
        (["--port", "abc"], "--port"),
        (["--token-lifetime", "0"], "--token-lifetime"),
        (["--bogus"], "--bogus"),
    ],
    ids=["port-out-of-range", "port-not-a-number", "zero-token-lifetime", "unknown-flag"],
)
def test_bad_flag_exits_2_with_one_line(args: list[str], named: str) -> None:
    """A bad command-line flag gives exit code 2 and one stderr line naming it, no traceback."""
    result = run_emulator(*args)
    assert result.returncode == 2
    lines = stderr_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("uipath-mock: error: ")
    assert named in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def _missing_world(path: Path) -> None:
    """Leave `path` absent."""


def _truncated_world(path: Path) -> None:
    path.write_text('{"version": 1, "organizations": [', encoding="utf-8")


def _world_with_bad_type(path: Path) -> None:
    world = _default_world()
    world["organizations"][0]["tenants"][0]["entities"]["Machines"][2]["Type"] = "Foo"  # type: ignore[index]
    path.write_text(json.dumps(world), encoding="utf-8")


@pytest.mark.parametrize(
    ("make_world", "expected"),
    [
        (_missing_world, ["cannot read"]),
        (_truncated_world, ["not valid JSON"]),
        (_world_with_bad_type, ["organizations[0].tenants[0].entities.Machines[2].Type", "'Foo'"]),
    ],
    ids=["missing-file", "invalid-json", "bad-field"],
)
def test_bad_world_file_exits_2_naming_file_and_field(
    tmp_path: Path, make_world: Callable[[Path], None], expected: list[str]
) -> None:
    """A missing, non-JSON or invalid world file: exit 2, one line naming file (and field)."""
    path = tmp_path / "world.json"
    make_world(path)
    result = run_emulator("--port", "0", "--world", str(path))
    assert result.returncode == 2, result.stdout
    lines = stderr_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"uipath-mock: error: {path}: ")
    for fragment in expected:
        assert fragment in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("own_server", [("--token-lifetime", "120")], indirect=True)
def test_token_lifetime_flag_sets_expires_in(
    own_server: EmulatorProcess, session: requests.Session
) -> None:
    """`--token-lifetime 120` makes tokens say `expires_in: 120` and carry `exp = iat + 120`."""
    token = get_token(session, own_server.base_url)
    assert token["expires_in"] == 120
    claims = jwt.decode(str(token["access_token"]), options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 120


def test_port_in_use_fails_with_one_line() -> None:
    """A port another socket listens on: non-zero exit and one stderr line, no traceback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_emulator("--port", str(port))
    assert result.returncode != 0
    lines = stderr_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"uipath-mock: error: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in result.stderr
    assert "listening on" not in result.stdout


@pytest.mark.parametrize("own_server", [("--no-control",)], indirect=True)
def test_no_control_turns_the_control_plane_off(
    own_server: EmulatorProcess, session: requests.Session
) -> None:
    """With `--no-control`, `/_emulator/health` is 404 while the API keeps working."""
    own_server.wait_for_line(r"^uipath-mock: control plane /_emulator/ is off$")
    response = session.get(own_server.url(HEALTH_PATH), timeout=HTTP_TIMEOUT)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")
    token = get_token(session, own_server.base_url)
    machines = session.get(
        own_server.url(MACHINES_PATH), headers=bearer(token["access_token"]), timeout=HTTP_TIMEOUT
    )
    assert machines.status_code == 200


@pytest.mark.parametrize("own_server", [("--control-token", "T")], indirect=True)
def test_control_token_guards_the_control_plane(
    own_server: EmulatorProcess, session: requests.Session
) -> None:
    """With `--control-token T`, `/_emulator/` needs exactly `Authorization: Bearer T`."""
    url = own_server.url(HEALTH_PATH)
    assert session.get(url, timeout=HTTP_TIMEOUT).status_code == 401
    for wrong in ("Bearer t", "Bearer TT", "T", "Basic VA=="):
        response = session.get(url, headers={"Authorization": wrong}, timeout=HTTP_TIMEOUT)
        assert response.status_code == 401, wrong
    response = session.get(url, headers=bearer("T"), timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("content", [None, b"not a key"], ids=["missing", "not-pem"])
def test_unusable_signing_key_exits_2_with_one_line(tmp_path: Path, content: bytes | None) -> None:
    """`--signing-key` naming a missing or non-PEM file gives exit 2 and one line, no traceback."""
    key = tmp_path / "key.pem"
    if content is not None:
        key.write_bytes(content)
    result = run_emulator("--signing-key", str(key))
    assert result.returncode == 2
    lines = stderr_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert "--signing-key" in lines[0]
    assert "Traceback" not in result.stderr


def test_the_cli_imports_the_proxy_only_when_asked_for() -> None:
    """Without `--proxy-port`, loading `uipath-mock` imports neither the proxy nor the HTTP
    client libraries it brings (requests, httpx, responses): start-up does not pay for them."""
    probe = (
        "import sys, uipath_emulator.mock_server.cli.main; "
        "print(sorted(m for m in ('requests', 'httpx', 'responses', "
        "'uipath_emulator.mock_server.transports.proxy') if m in sys.modules))"
    )
    found = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert found.stdout.strip() == "[]"
