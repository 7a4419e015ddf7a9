"""The proxy keeps serving through junk, abandoned handshakes and many idle connections."""

import contextlib
import re
import socket
import ssl
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests

from tests.proxy.helpers import (
    TIMEOUT,
    TOKEN_FORM,
    TOKEN_URL,
    client_context,
    connect,
    proxied_session,
    read_answer,
    read_head,
)
from tests.subprocess_helpers import wait_until
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.tls import CertificateAuthority
from uipath_emulator.mock_server.transports.proxy import ProxyServer

IDLE_CONNECTIONS = 200


def assert_serves_a_token(proxy: ProxyServer) -> None:
    """A token request through `proxy`, on a new tunnel, succeeds."""
    with proxied_session(proxy) as session:
        answer = session.post(TOKEN_URL, data=TOKEN_FORM, timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    "junk",
    [
        b"CONNECT\r\n\r\n",
        b"CONNECT cloud.uipath.com HTTP/1.1\r\nHost: cloud.uipath.com\r\n\r\n",
        b"CONNECT :443 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"CONNECT cloud.uipath.com:99999999 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"CONNECT cloud.uipath.com:-443 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"CONNECT cloud.uipath.com:443 HTTP/9.9\r\n\r\n",
        b"CONNECT cloud.uipath.com:443\r\n\r\n",
        b"CONNECT cloud.uipath.com:443 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "CONNECT clöud.uipath.com:443 HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
        b"CONNECT cloud.uipath.com\x00:443 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"CONNECT " + b"a" * 100_000 + b":443 HTTP/1.1\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
        b"GARBAGE\r\n\r\n",
        b"\r\n\r\n\r\n",
        b"GET http://cloud.uipath.com:notaport/ HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
    ids=[
        "no target",
        "no port",
        "no host",
        "port out of range",
        "negative port",
        "unknown version",
        "no version",
        "two Host headers",
        "non-ASCII host",
        "NUL in host",
        "100 kB line",
        "TLS hello to the proxy port",
        "garbage",
        "blank lines",
        "bad port in an absolute URL",
    ],
)
def test_malformed_request_is_refused_and_the_proxy_goes_on(
    uipath_proxy: ProxyServer, outbound: list[str], junk: bytes
) -> None:
    """A malformed proxy request gets a 4xx or 505 (or a closed connection), and the proxy
    still serves."""
    with connect(uipath_proxy) as sock:
        # The proxy may answer and close while the junk is still being sent.
        with contextlib.suppress(ConnectionResetError):
            sock.sendall(junk)
        answer = read_answer(sock)
    if answer:
        assert re.match(rb"HTTP/1\.1 (4\d\d|505) ", answer), answer[:200]
    assert outbound == []
    assert_serves_a_token(uipath_proxy)


def client_hello(host: str) -> bytes:
    """The first flight of a real TLS client for `host` (its ClientHello), without a socket."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    client = ssl.create_default_context().wrap_bio(incoming, outgoing, server_hostname=host)
    with pytest.raises(ssl.SSLWantReadError):
        client.do_handshake()
    return outgoing.read()


@pytest.mark.parametrize("sent", ["nothing", "half a ClientHello", "a whole ClientHello"])
def test_handshake_abandoned_midway_leaves_the_proxy_serving(
    uipath_proxy: ProxyServer, sent: str
) -> None:
    """A client that opens a tunnel and abandons the TLS handshake does not disturb others."""
    hello = client_hello("cloud.uipath.com")
    part = {"nothing": b"", "half a ClientHello": hello[: len(hello) // 2]}.get(sent, hello)
    with ExitStack() as stack:
        left_open = stack.enter_context(connect(uipath_proxy))
        closed = connect(uipath_proxy)
        for sock in (left_open, closed):
            sock.sendall(b"CONNECT cloud.uipath.com:443 HTTP/1.1\r\nHost: cloud.uipath.com\r\n\r\n")
            assert read_head(sock).startswith(b"HTTP/1.1 200 ")
            if part:
                sock.sendall(part)
        closed.close()
        assert_serves_a_token(uipath_proxy)


def test_untrusting_client_is_logged_with_the_fix(
    uipath_proxy: ProxyServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A client that refuses the leaf (CA not trusted) makes the proxy log which files to use."""
    with proxied_session(uipath_proxy, verify=Path(requests.certs.where())) as session:
        with pytest.raises(requests.exceptions.SSLError):
            session.post(TOKEN_URL, data=TOKEN_FORM, timeout=TIMEOUT)
        wait_until(
            lambda: "does not trust the emulator's CA" in caplog.text, TIMEOUT, "the log line"
        )
    assert str(uipath_proxy.authority.bundle_path) in caplog.text


def test_200_idle_connections_do_not_block_others(uipath_proxy: ProxyServer) -> None:
    """With 200 idle connections open (half before CONNECT, half inside a tunnel), tokens
    are still served, and the idle ones are all held open by the proxy."""
    with ExitStack() as stack:
        for index in range(IDLE_CONNECTIONS):
            sock = stack.enter_context(connect(uipath_proxy))
            if index % 2:
                sock.sendall(b"CONNECT cloud.uipath.com:443 HTTP/1.1\r\nHost: x\r\n\r\n")
                assert read_head(sock).startswith(b"HTTP/1.1 200 ")
        wait_until(
            lambda: uipath_proxy.open_connections >= IDLE_CONNECTIONS, TIMEOUT, "idle connections"
        )
        for _ in range(3):
            assert_serves_a_token(uipath_proxy)
    wait_until(lambda: uipath_proxy.open_connections == 0, TIMEOUT, "the idle ones to close")


def own_proxy(
    folder: Path, *, idle_timeout: float = 15.0, connection_limit: int = 1000
) -> ProxyServer:
    """A started proxy of its own, on a fresh emulator, with these limits."""
    authority = CertificateAuthority.load_or_create(folder)
    proxy = ProxyServer(
        Emulator(), authority, idle_timeout=idle_timeout, connection_limit=connection_limit
    )
    return proxy.start()


def test_idle_connection_is_closed_after_the_idle_timeout(tmp_path: Path) -> None:
    """A client that sends nothing is disconnected once the idle timeout passes."""
    proxy = own_proxy(tmp_path, idle_timeout=0.2)
    try:
        with connect(proxy) as sock:
            assert read_answer(sock) == b""
    finally:
        proxy.stop()


def test_client_past_the_limit_is_served_when_a_slot_frees(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """At `connection_limit` the proxy says so and stops accepting; a waiting client is served
    as soon as one connection closes."""
    proxy = own_proxy(tmp_path, connection_limit=4)
    try:
        with ExitStack() as stack:
            idle = [stack.enter_context(connect(proxy)) for _ in range(4)]
            wait_until(lambda: "reached the limit" in caplog.text, TIMEOUT, "the limit log line")
            waiting = stack.enter_context(connect(proxy))
            waiting.sendall(b"CONNECT cloud.uipath.com:443 HTTP/1.1\r\nHost: x\r\n\r\n")
            idle[0].close()
            assert read_head(waiting).startswith(b"HTTP/1.1 200 ")
    finally:
        proxy.stop()


def test_stop_closes_open_connections(tmp_path: Path) -> None:
    """`stop()` closes every client connection and returns, even with tunnels open."""
    proxy = own_proxy(tmp_path)
    sock = connect(proxy)
    sock.sendall(b"CONNECT cloud.uipath.com:443 HTTP/1.1\r\nHost: x\r\n\r\n")
    read_head(sock)
    tls = client_context(proxy.authority).wrap_socket(sock, server_hostname="cloud.uipath.com")
    with tls:
        proxy.stop()
        assert read_answer(tls) == b""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT).close()
