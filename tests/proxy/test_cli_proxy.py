"""`uipath-mock --proxy-port PORT [--ca-dir DIR]`: its banner, its failures, its clean stop."""

import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from tests.proxy.helpers import read_head
from tests.subprocess_helpers import EmulatorProcess, http_session, stderr_lines
from uipath_emulator.mock_server.cli.banner import PROXY_HEADING, ProxySetup, start_banner
from uipath_emulator.mock_server.cli.main import main
from uipath_emulator.mock_server.emulator import Emulator
from uipath_emulator.mock_server.tls import CertificateAuthority
from uipath_emulator.mock_server.well_known import FULL

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and file modes")


def proxy_banner() -> str:
    """The banner of the default world with a proxy on port 8443 and a CA in /ca."""
    setup = ProxySetup(
        "http://127.0.0.1:8443", "127.0.0.1,localhost,::1", Path("/ca/ca.pem"), Path("/ca/b.pem")
    )
    return start_banner("http://127.0.0.1:8080", Emulator().world, proxy=setup)


def test_banner_prints_the_setup_for_bash_and_powershell() -> None:
    """The banner gives the proxy URL and the four variables, as bash and PowerShell lines."""
    lines = proxy_banner().splitlines()
    assert f"{PROXY_HEADING} http://127.0.0.1:8443" in lines
    assert "  export HTTPS_PROXY=http://127.0.0.1:8443 NO_PROXY=127.0.0.1,localhost,::1" in lines
    assert '  export SSL_CERT_FILE="/ca/b.pem" REQUESTS_CA_BUNDLE="/ca/b.pem"' in lines
    assert (
        '  $env:HTTPS_PROXY = "http://127.0.0.1:8443"; $env:NO_PROXY = "127.0.0.1,localhost,::1"'
        in lines
    )
    assert '  $env:SSL_CERT_FILE = "/ca/b.pem"; $env:REQUESTS_CA_BUNDLE = "/ca/b.pem"' in lines


def test_banner_prints_os_trust_commands_a_login_and_the_env_warning() -> None:
    """Windows and macOS trust commands, the SDK's opt-out, a `uipath auth` on the emulator's
    port, and the warning about a `.env` naming the real cloud."""
    text = proxy_banner()
    assert 'certutil -user -addstore Root "/ca/ca.pem"' in text
    keychain = "~/Library/Keychains/login.keychain-db"
    assert f'security add-trusted-cert -r trustRoot -k {keychain} "/ca/ca.pem"' in text
    assert "UIPATH_DISABLE_SSL_VERIFY=true" in text
    assert (
        f"uipath auth --client-id {FULL.client_id} --client-secret {FULL.client_secret} "
        "--base-url http://127.0.0.1:8080/acme/DefaultTenant" in text
    )
    assert "the .env that `uipath auth` writes names the real cloud" in text


def test_banner_without_proxy_says_nothing_of_it() -> None:
    """Without `--proxy-port` the banner is as before."""
    assert PROXY_HEADING not in start_banner("http://127.0.0.1:8080", Emulator().world)


def test_ca_dir_without_proxy_port_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """`--ca-dir` alone is a usage error naming `--proxy-port`."""
    with pytest.raises(SystemExit) as exited:
        main(["--ca-dir", "somewhere"])
    assert exited.value.code == 2
    assert stderr_lines(capsys.readouterr().err) == [
        "uipath-mock: error: --ca-dir is the proxy's CA folder: give --proxy-port too"
    ]


@POSIX_ONLY
def test_unusable_ca_folder_exits_2_naming_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CA key others can read stops the start, before anything listens, saying what to run."""
    authority = CertificateAuthority.load_or_create(tmp_path)
    os.chmod(authority.key_path, 0o644)
    with pytest.raises(SystemExit) as exited:
        main(["--port", "0", "--proxy-port", "0", "--ca-dir", str(tmp_path)])
    assert exited.value.code == 2
    output = capsys.readouterr()
    (line,) = stderr_lines(output.err)
    assert line.startswith(f"uipath-mock: error: {authority.key_path} can be read by other users")
    assert "listening on" not in output.out


def test_proxy_port_in_use_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A proxy port another socket holds: exit 1, one line naming `--proxy-port`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["--port", "0", "--proxy-port", str(port), "--ca-dir", str(tmp_path)])
    assert code == 1
    (line,) = stderr_lines(capsys.readouterr().err)
    assert line.startswith(f"uipath-mock: error: cannot listen on 127.0.0.1:{port} (--proxy-port)")


@POSIX_ONLY
def test_sigterm_stops_server_and_proxy_with_a_tunnel_open(tmp_path: Path) -> None:
    """SIGTERM with a client inside a tunnel still ends with exit 0 and `uipath-mock: stopped`."""
    with EmulatorProcess("--proxy-port", "0", "--ca-dir", str(tmp_path)) as server:
        line = server.wait_for_line(PROXY_HEADING)
        port = int(line.rsplit(":", 1)[1])
        server.wait_for_banner_end()
        with http_session() as session:  # the server answers: its loop is running
            assert session.get(server.url("/_emulator/health"), timeout=10).status_code == 200
        with socket.create_connection(("127.0.0.1", port), timeout=10) as tunnel:
            tunnel.sendall(b"CONNECT cloud.uipath.com:443 HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_head(tunnel).startswith(b"HTTP/1.1 200 ")
            server.process.send_signal(signal.SIGTERM)
            assert server.wait() == 0
        assert server.remaining_stdout()[-1:] == ["uipath-mock: stopped"]
        assert "Traceback" not in server.stderr
