"""Scenario 5: `POST token` through the HTTPS proxy, against the same request sent directly.

One `uipath-mock --proxy-port` process; this process is the client (`http.client`, one request
at a time, so what is measured is latency, not throughput). Variants, interleaved round by
round so that machine noise hits them alike:

- direct, kept-alive: plain HTTP to the emulator's port on one connection;
- direct, new connection per request;
- proxy, kept-alive tunnel: `CONNECT cloud.uipath.com:443` once, then requests inside;
- proxy, new tunnel per request (CONNECT, TLS handshake, request), the TLS context reused;
- proxy, new tunnel and new TLS context from `ca-bundle.pem` per request: what UiPath's SDK
  does (one httpx client, so one context loading certifi's ~150 roots, per identity call).
"""

import http.client
import ssl
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import HOST, Request, free_port, percentile, token_request, uipath_mock_command
from bench.procs import serving
from bench.report import Row, Target
from bench.settings import Settings

SCENARIO = "5 proxy"
CLOUD_HOST = "cloud.uipath.com"


def _answer(connection: http.client.HTTPConnection, request: Request) -> None:
    connection.request(request.method, request.path, body=request.body, headers=request.headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"token request answered {response.status}")


def _tunnel(proxy_port: int, context: ssl.SSLContext) -> http.client.HTTPSConnection:
    connection = http.client.HTTPSConnection(HOST, proxy_port, timeout=10, context=context)
    connection.set_tunnel(CLOUD_HOST, 443)
    return connection


def _timed(call: Callable[[], None], calls: int) -> list[float]:
    """Milliseconds of each of `calls` calls."""
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


class _Variants:
    """The five ways of sending the token request, each a no-argument call."""

    def __init__(self, port: int, proxy_port: int, ca_dir: Path) -> None:
        self.request = token_request()
        self.port = port
        self.proxy_port = proxy_port
        self.bundle = str(ca_dir / "ca-bundle.pem")
        self.context = ssl.create_default_context(cafile=str(ca_dir / "ca.pem"))
        self.direct = http.client.HTTPConnection(HOST, port, timeout=10)
        self.tunnel = _tunnel(proxy_port, self.context)

    def direct_kept_alive(self) -> None:
        _answer(self.direct, self.request)

    def direct_new_connection(self) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            _answer(connection, self.request)
        finally:
            connection.close()

    def proxy_kept_alive(self) -> None:
        _answer(self.tunnel, self.request)

    def proxy_new_tunnel(self, context: ssl.SSLContext | None = None) -> None:
        connection = _tunnel(self.proxy_port, context or self.context)
        try:
            _answer(connection, self.request)
        finally:
            connection.close()

    def proxy_new_tunnel_and_context(self) -> None:
        self.proxy_new_tunnel(ssl.create_default_context(cafile=self.bundle))

    def load_bundle(self) -> None:
        """Only what the client pays to load `ca-bundle.pem` into a new context."""
        ssl.create_default_context(cafile=self.bundle)

    def close(self) -> None:
        self.direct.close()
        self.tunnel.close()


def run(settings: Settings, workdir: Path) -> list[Row]:
    """Median ms per token request of each variant, all against one `uipath-mock` process."""
    rounds = 3 if settings.quick else 9
    calls = 40 if settings.quick else 150
    slow_calls = 10 if settings.quick else 40  # a new TLS context costs tens of ms
    port, proxy_port = free_port(), free_port()
    ca_dir = workdir / "proxy-ca"
    command = [
        *uipath_mock_command(),
        "--port",
        str(port),
        "--proxy-port",
        str(proxy_port),
        "--ca-dir",
        str(ca_dir),
    ]
    times: dict[str, list[float]] = {}
    with serving("uipath-mock-proxy", command, port, token_request()):
        variants = _Variants(port, proxy_port, ca_dir)
        plan: list[tuple[str, Callable[[], None], int]] = [
            ("direct kept-alive", variants.direct_kept_alive, calls),
            ("direct new connection", variants.direct_new_connection, calls),
            ("proxy kept-alive", variants.proxy_kept_alive, calls),
            ("proxy new tunnel", variants.proxy_new_tunnel, calls),
            ("proxy new tunnel and context", variants.proxy_new_tunnel_and_context, slow_calls),
        ]
        try:
            for _name, call, _ in plan:  # warm-up: connections, leaves, code paths
                call()
            for _ in range(rounds):
                for name, call, count in plan:
                    times.setdefault(name, []).extend(_timed(call, count))
        finally:
            variants.close()
    loading = _timed(variants.load_bundle, slow_calls)
    median = {name: statistics.median(values) for name, values in times.items()}

    def note(name: str) -> str:
        values = times[name]
        return f"median of {len(values)}; p90 {percentile(values, 0.9):.2f} ms"

    return [
        Row(
            SCENARIO,
            "POST token, direct (plain HTTP), kept-alive / new connection",
            "ms",
            median["direct kept-alive"],
            median["direct new connection"],
            "direct, new connection",
            None,
            note("direct kept-alive"),
        ),
        Row(
            SCENARIO,
            "POST token through the proxy, kept-alive tunnel",
            "ms",
            median["proxy kept-alive"],
            median["direct kept-alive"],
            "direct, kept-alive",
            Target("<=", 1.5),
            note("proxy kept-alive"),
        ),
        Row(
            SCENARIO,
            "POST token through the proxy, new tunnel per request",
            "ms",
            median["proxy new tunnel"],
            median["direct new connection"],
            "direct, new connection",
            None,
            note("proxy new tunnel"),
        ),
        Row(
            SCENARIO,
            "same, plus a new TLS context from ca-bundle.pem per request (as UiPath's SDK)",
            "ms",
            median["proxy new tunnel and context"],
            median["direct new connection"],
            "direct, new connection",
            None,
            f"{note('proxy new tunnel and context')}; the client loading the bundle alone: "
            f"{statistics.median(loading):.1f} ms",
        ),
    ]
