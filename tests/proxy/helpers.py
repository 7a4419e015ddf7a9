"""Talking to a proxy under test: raw sockets, tunnels, `requests` sessions, in-memory TLS."""

import socket
import ssl
import sys
from pathlib import Path

import requests

from tests.subprocess_helpers import child_env
from uipath_emulator.mock_server.tls import CertificateAuthority
from uipath_emulator.mock_server.transports.proxy import ProxyServer
from uipath_emulator.mock_server.well_known import FULL

CLOUD = "https://cloud.uipath.com"
TOKEN_URL = f"{CLOUD}/identity_/connect/token"
TIMEOUT = 10.0
TOKEN_FORM = {
    "grant_type": "client_credentials",
    "client_id": FULL.client_id,
    "client_secret": str(FULL.client_secret),
    "scope": "OR.Machines OR.Machines.Read",
}


def proxied_session(proxy: ProxyServer, verify: Path | None = None) -> requests.Session:
    """A `requests` session through `proxy` that trusts its CA bundle (and ignores the env)."""
    session = requests.Session()
    session.trust_env = False
    session.proxies = {"https": proxy.url, "http": proxy.url}
    session.verify = str(verify or proxy.authority.bundle_path)
    return session


def connect(proxy: ProxyServer) -> socket.socket:
    """A plain TCP connection to the proxy."""
    return socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT)


def read_answer(sock: socket.socket | ssl.SSLSocket) -> bytes:
    """Everything the peer sends until it closes the connection."""
    chunks = []
    while True:
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, ssl.SSLEOFError):
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def read_head(sock: socket.socket | ssl.SSLSocket) -> bytes:
    """The bytes of one answer head (up to the blank line), read one at a time."""
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        data = sock.recv(1)
        if not data:
            break
        head += data
    return head


def client_context(authority: CertificateAuthority, *, strict: bool = True) -> ssl.SSLContext:
    """A client context trusting only the CA; `strict` adds Python 3.13's default flags."""
    context = ssl.create_default_context(cafile=str(authority.cert_path))
    if strict:
        context.verify_flags |= ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN
    return context


def open_tunnel(
    proxy: ProxyServer, host: str = "cloud.uipath.com", *, alpn: list[str] | None = None
) -> ssl.SSLSocket:
    """A verified TLS connection to `host` through the proxy's CONNECT."""
    sock = connect(proxy)
    sock.sendall(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
    head = read_head(sock)
    assert head.startswith(b"HTTP/1.1 200 "), head
    context = client_context(proxy.authority)
    if alpn:
        context.set_alpn_protocols(alpn)
    return context.wrap_socket(sock, server_hostname=host)


def isolated_environment(tmp_path: Path) -> dict[str, str]:
    """A child's environment: a temporary HOME, no UiPath or proxy settings, telemetry off."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = child_env()
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        UIPATH_TELEMETRY_ENABLED="false",
    )
    for name in ("NO_PROXY", "no_proxy", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "SSL_CERT_DIR"):
        env.pop(name, None)
    return env


def client_environment(tmp_path: Path, proxy: dict[str, str]) -> dict[str, str]:
    """`isolated_environment` plus the proxy's variables; `HTTP_PROXY` on the proxy too, so
    that a plain-HTTP call to any other host is refused instead of reaching the network."""
    env = isolated_environment(tmp_path)
    env.update(proxy, no_proxy=proxy["NO_PROXY"], HTTP_PROXY=proxy["HTTPS_PROXY"])
    if sys.platform in ("win32", "darwin"):
        # There UiPath's SDK verifies with the OS trust store only (truststore), which a test
        # must not change: the README's documented alternative.
        env["UIPATH_DISABLE_SSL_VERIFY"] = "true"
    return env
