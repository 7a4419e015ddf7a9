"""The proxy's answers: emulated hosts through CONNECT (and plain HTTP), refusals for the rest."""

import http.client
import json
import socket
import ssl
from collections.abc import Iterator

import httpx
import jwt
import pytest
import requests

from tests.proxy.helpers import (
    CLOUD,
    TIMEOUT,
    TOKEN_FORM,
    TOKEN_URL,
    connect,
    open_tunnel,
    proxied_session,
    read_answer,
    read_head,
)
from uipath_emulator.mock_server.transports.proxy import ProxyServer
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, ORGANIZATION_ID, TENANT

MACHINES = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Machines"


@pytest.fixture
def session(uipath_proxy: ProxyServer) -> Iterator[requests.Session]:
    """A `requests` session through the test's proxy."""
    with proxied_session(uipath_proxy) as session:
        yield session


def _bundle_context(proxy: ProxyServer) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(proxy.authority.bundle_path))


def token(session: requests.Session, host: str = "cloud.uipath.com") -> str:
    """An access token for the full app, asked of `host` through the proxy."""
    answer = session.post(
        f"https://{host}/identity_/connect/token", data=TOKEN_FORM, timeout=TIMEOUT
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


@pytest.mark.parametrize("host", ["cloud.uipath.com", "alpha.uipath.com", "staging.uipath.com"])
def test_token_through_the_proxy_names_the_cloud_host(session: requests.Session, host: str) -> None:
    """A token asked of a cloud host through the proxy is the emulator's, issued by that host."""
    claims = jwt.decode(token(session, host), options={"verify_signature": False})
    assert claims["iss"] == f"https://{host}/identity_"
    assert claims["client_id"] == FULL.client_id


def test_answers_carry_the_servers_headers(
    session: requests.Session, uipath_server: EmulatorServer
) -> None:
    """A proxied answer has the same header names, status line and body shape as the server's."""
    proxied = session.post(TOKEN_URL, data=TOKEN_FORM, timeout=TIMEOUT)
    with requests.Session() as direct_session:
        direct_session.trust_env = False
        direct = direct_session.post(
            f"{uipath_server.base_url}/identity_/connect/token", data=TOKEN_FORM, timeout=TIMEOUT
        )
    assert list(proxied.headers) == list(direct.headers)
    assert proxied.headers["Server"] == "uipath-mock"
    assert (proxied.status_code, proxied.reason) == (direct.status_code, direct.reason)
    assert list(proxied.json()) == list(direct.json())


def test_wrong_secret_through_the_proxy_is_the_emulators_invalid_client(
    session: requests.Session,
) -> None:
    """A wrong secret sent through the proxy gets the emulator's 400 `invalid_client`."""
    answer = session.post(TOKEN_URL, data={**TOKEN_FORM, "client_secret": "wrong"}, timeout=TIMEOUT)
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_client"}


def test_kept_alive_tunnel_serves_many_requests(uipath_proxy: ProxyServer) -> None:
    """One tunnel carries a token request and Machines calls, one after the other."""
    connection = http.client.HTTPSConnection(
        "127.0.0.1", uipath_proxy.port, timeout=TIMEOUT, context=_bundle_context(uipath_proxy)
    )
    connection.set_tunnel("cloud.uipath.com", 443)
    try:
        body = "&".join(f"{name}={value}" for name, value in TOKEN_FORM.items())
        connection.request(
            "POST",
            "/identity_/connect/token",
            body=body.replace(" ", "%20"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        answer = connection.getresponse()
        access_token = json.loads(answer.read())["access_token"]
        tunnel = connection.sock
        for _ in range(3):
            connection.request("GET", MACHINES, headers={"Authorization": f"Bearer {access_token}"})
            listing = connection.getresponse()
            assert listing.status == 200
            assert len(json.loads(listing.read())["value"]) == 8
        assert connection.sock is tunnel
    finally:
        connection.close()


def test_chunked_request_body_is_read_whole(uipath_proxy: ProxyServer) -> None:
    """A token form sent with `Transfer-Encoding: chunked` through the tunnel is accepted."""

    def chunks() -> Iterator[bytes]:
        yield f"grant_type=client_credentials&client_id={FULL.client_id}".encode()
        yield f"&client_secret={FULL.client_secret}&scope=OR.Machines".encode()

    with httpx.Client(
        proxy=uipath_proxy.url, verify=_bundle_context(uipath_proxy), trust_env=False
    ) as client:
        answer = client.post(
            TOKEN_URL,
            content=chunks(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert answer.request.headers["Transfer-Encoding"] == "chunked"
    assert answer.status_code == 200, answer.text
    assert answer.json()["scope"] == "OR.Machines"


def test_tunnel_offers_only_http_1_1(uipath_proxy: ProxyServer) -> None:
    """A client offering h2 and http/1.1 in ALPN settles on http/1.1."""
    with open_tunnel(uipath_proxy, alpn=["h2", "http/1.1"]) as tunnel:
        assert tunnel.selected_alpn_protocol() == "http/1.1"


def test_accepted_sockets_disable_nagle(uipath_proxy: ProxyServer) -> None:
    """The proxy's side of each connection has `TCP_NODELAY` set (no 40 ms Nagle stalls)."""
    with connect(uipath_proxy) as sock:
        sock.sendall(b"CONNECT cloud.uipath.com:443 HTTP/1.1\r\nHost: cloud.uipath.com\r\n\r\n")
        read_head(sock)
        with uipath_proxy._lock:
            served = list(uipath_proxy._connections)
        assert served
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in served)


@pytest.mark.parametrize(
    "target", ["example.com:443", "uipath.com:443", "cloud.uipath.com:8443", "[::1]:443"]
)
def test_connect_to_another_host_is_refused_without_going_out(
    uipath_proxy: ProxyServer, outbound: list[str], target: str
) -> None:
    """CONNECT to anything but a cloud host on 443 is a 403 with a one-line reason, and the
    proxy attempts no connection and no name lookup."""
    with connect(uipath_proxy) as sock:
        sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        answer = read_answer(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 403 Forbidden\r\n")
    assert b"Server: uipath-mock" in head.split(b"\r\n")
    assert body.count(b"\n") == 1
    assert body.startswith(f"uipath-mock proxy refused CONNECT {target}: ".encode())
    assert b"NO_PROXY" in body
    assert outbound == []


def test_httpx_through_the_proxy_to_another_host_fails_fast(
    uipath_proxy: ProxyServer, outbound: list[str]
) -> None:
    """An HTTPS call to another host through the proxy fails with httpx's ProxyError 403."""
    with (
        httpx.Client(proxy=uipath_proxy.url, trust_env=False) as client,
        pytest.raises(httpx.ProxyError, match="403"),
    ):
        client.get("https://example.com/")
    assert outbound == []


def test_plain_http_absolute_form_for_a_cloud_host_is_served(session: requests.Session) -> None:
    """`POST http://cloud.uipath.com/...` through the proxy is answered, issuer in http."""
    answer = session.post(
        "http://cloud.uipath.com/identity_/connect/token", data=TOKEN_FORM, timeout=TIMEOUT
    )
    assert answer.status_code == 200, answer.text
    claims = jwt.decode(answer.json()["access_token"], options={"verify_signature": False})
    assert claims["iss"] == "http://cloud.uipath.com/identity_"


def test_plain_http_to_another_host_is_refused(
    session: requests.Session, outbound: list[str]
) -> None:
    """`GET http://example.com/` through the proxy is a 403 and goes nowhere."""
    answer = session.get("http://example.com/", timeout=TIMEOUT)
    assert answer.status_code == 403
    assert answer.text.startswith("uipath-mock proxy refused http://example.com: ")
    assert outbound == []


def test_origin_form_request_says_this_is_the_proxy(uipath_proxy: ProxyServer) -> None:
    """A client that took the proxy port for the emulator gets a 400 saying what it reached."""
    with requests.Session() as direct:
        direct.trust_env = False
        answer = direct.get(f"{uipath_proxy.url}/identity_/connect/token", timeout=TIMEOUT)
    assert answer.status_code == 400
    assert "this is uipath-mock's HTTPS proxy, not the emulator" in answer.text


def test_control_plane_through_the_proxy_is_refused(session: requests.Session) -> None:
    """`https://cloud.uipath.com/_emulator/...` is refused by the control plane's Host rule."""
    answer = session.get(f"{CLOUD}/_emulator/health", timeout=TIMEOUT)
    assert answer.status_code == 403
    assert "Host" in answer.json()["message"]


def test_host_header_naming_another_host_is_misdirected(uipath_proxy: ProxyServer) -> None:
    """Inside a tunnel to cloud.uipath.com, a request for `Host: localhost` gets 421."""
    with open_tunnel(uipath_proxy) as tunnel:
        tunnel.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        answer = read_answer(tunnel)
    assert answer.startswith(b"HTTP/1.1 421 Misdirected Request\r\n")


def test_journal_records_proxied_requests(
    session: requests.Session, uipath_proxy: ProxyServer
) -> None:
    """Requests through the proxy go through the emulator's middleware: they are journaled."""
    session.post(TOKEN_URL, data=TOKEN_FORM, timeout=TIMEOUT)
    last = uipath_proxy.emulator.requests.entries()[-1]
    assert (last.method, last.path, last.status) == ("POST", "/identity_/connect/token", 200)


def test_drop_fault_resets_the_tunnel(session: requests.Session, uipath_proxy: ProxyServer) -> None:
    """An injected `drop` fault resets the client's connection through the proxy."""
    uipath_proxy.emulator.faults.add(path="/connect/token$", drop=True, times=1)
    with pytest.raises(requests.ConnectionError):
        session.post(TOKEN_URL, data=TOKEN_FORM, timeout=TIMEOUT)
    assert token(session)


def test_body_over_the_limit_is_413_and_closes(uipath_proxy: ProxyServer) -> None:
    """A body over 1 MiB gets the service's 413 before it is read, and the tunnel closes."""
    with open_tunnel(uipath_proxy) as tunnel:
        tunnel.sendall(
            b"POST /identity_/connect/token HTTP/1.1\r\nHost: cloud.uipath.com\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 2000000\r\n\r\n"
        )
        answer = read_answer(tunnel)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 Payload Too Large\r\n")
    assert b"\r\nConnection: close\r\n" in head
    assert b'"error":"invalid_request"' in body


def test_expect_100_continue_is_answered_before_the_body(uipath_proxy: ProxyServer) -> None:
    """A client that sends `Expect: 100-continue` gets `100 Continue`, then the answer."""
    body = "&".join(f"{name}={value}" for name, value in TOKEN_FORM.items()).replace(" ", "%20")
    with open_tunnel(uipath_proxy) as tunnel:
        tunnel.sendall(
            b"POST /identity_/connect/token HTTP/1.1\r\nHost: cloud.uipath.com\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        assert read_head(tunnel) == b"HTTP/1.1 100 Continue\r\n\r\n"
        tunnel.sendall(body.encode())
        assert read_head(tunnel).startswith(b"HTTP/1.1 200 OK\r\n")


def test_portal_call_through_the_proxy_names_the_tokens_organization(
    session: requests.Session,
) -> None:
    """With a cloud base URL, `uipath auth`'s portal call goes through the proxy and is served."""
    answer = session.get(
        f"{CLOUD}/{ORGANIZATION_ID}/portal_/api/filtering/leftnav/tenantsAndOrganizationInfo",
        headers={"Authorization": f"Bearer {token(session)}"},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["organization"] == {"id": ORGANIZATION_ID, "name": ORGANIZATION}
