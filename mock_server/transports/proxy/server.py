"""`ProxyServer`: the HTTPS-intercepting forward proxy beside an emulator, in its process.

One thread accepts; each connection is served by a thread of its own (blocking sockets with a
timeout, so an idle or half-open client only ever holds its own thread). At most
`connection_limit` connections are served at once: past it, new ones wait in the listen
backlog until one closes, as with waitress. Stopping closes the listener and every connection.
"""

import contextlib
import logging
import selectors
import socket
import threading
from typing import TYPE_CHECKING

from uipath_emulator.mock_server.tls import EMULATED_HOSTS, CertificateAuthority
from uipath_emulator.mock_server.transports.proxy.connection import ClientConnection
from uipath_emulator.mock_server.transports.server import (
    DEFAULT_CONNECTION_LIMIT,
    DEFAULT_IDLE_TIMEOUT,
)

if TYPE_CHECKING:
    from types import TracebackType

    from uipath_emulator.mock_server.emulator import Emulator

_log = logging.getLogger("uipath_emulator")

LOOPBACK_NO_PROXY = "127.0.0.1,localhost,::1"
"""What `NO_PROXY` must hold so that calls to the emulator's own port stay direct."""

_BACKLOG = 1024
_JOIN_TIMEOUT = 10.0
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104 - names, not binds


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket; `socket.create_server` sets `SO_REUSEADDR` on POSIX only, as it must
    (on Windows it would let another process bind the same port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=_BACKLOG)
    listener.setblocking(False)
    return listener


class ProxyServer:
    """The proxy for `emulator`, with leaves from `authority`; `port=0` picks a free port.

    Use it as a context manager, or `start()` (a daemon thread) and `stop()`.
    `environment()` gives the variables that send a client's HTTPS through it.
    """

    def __init__(
        self,
        emulator: "Emulator",
        authority: CertificateAuthority,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        connection_limit: int = DEFAULT_CONNECTION_LIMIT,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        self.emulator = emulator
        self.authority = authority
        self.host = host
        self.connection_limit = connection_limit
        self.idle_timeout = idle_timeout
        for name in EMULATED_HOSTS:  # made now, so the first CONNECT does not pay for them
            authority.server_context(name)
        self._listener = _listen(host, port)
        self._port = int(self._listener.getsockname()[1])
        self._waker, self._wake_end = socket.socketpair()
        self._waker.setblocking(False)
        self._wake_end.setblocking(False)
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._refused_targets: set[str] = set()
        self._stopping = False
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port the proxy listens on."""
        return self._port

    @property
    def url(self) -> str:
        """`http://host:port`, the value for `HTTPS_PROXY` (a wildcard bind as loopback)."""
        host = _WILDCARDS.get(self.host, self.host)
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def environment(self) -> dict[str, str]:
        """The variables that route a client's HTTPS to the cloud hosts through this proxy.

        `SSL_CERT_FILE` is read by httpx and, on Linux, by `truststore` (UiPath's SDK);
        `REQUESTS_CA_BUNDLE` by `requests`. Both name the bundle of certifi's roots plus the CA.
        """
        bundle = str(self.authority.bundle_path)
        return {
            "HTTPS_PROXY": self.url,
            "NO_PROXY": LOOPBACK_NO_PROXY,
            "SSL_CERT_FILE": bundle,
            "REQUESTS_CA_BUNDLE": bundle,
        }

    @property
    def open_connections(self) -> int:
        """How many client connections are being served right now."""
        with self._lock:
            return len(self._connections)

    def serve_forever(self) -> None:
        """Accept and serve connections until `stop()`."""
        selector = selectors.DefaultSelector()
        selector.register(self._wake_end, selectors.EVENT_READ)
        accepting = False
        try:
            while not self._stopping:
                room = self.open_connections < self.connection_limit
                if room != accepting:
                    if room:
                        selector.register(self._listener, selectors.EVENT_READ)
                    else:
                        selector.unregister(self._listener)
                        _log.warning(
                            "uipath-mock proxy: %d open connections reached the limit; new "
                            "clients wait until one closes (idle ones close after %g s)",
                            self.connection_limit,
                            self.idle_timeout,
                        )
                    accepting = room
                for key, _ in selector.select():
                    if key.fileobj is self._wake_end:
                        self._drain_wakeups()
                    else:
                        self._accept()
        finally:
            selector.close()

    def _drain_wakeups(self) -> None:
        try:
            while self._wake_end.recv(4096):
                pass
        except BlockingIOError:
            pass

    def _wake(self) -> None:
        # A full pipe means a wake-up is pending anyway; a closed one, that the proxy stopped.
        with contextlib.suppress(OSError):
            self._waker.send(b"\0")

    def _accept(self) -> None:
        try:
            sock, address = self._listener.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return
        sock.settimeout(self.idle_timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = ClientConnection(
            sock, str(address[0]), self.emulator.app, self.authority, self._log_refusal
        )
        thread = threading.Thread(
            target=self._serve, args=(connection,), name="uipath-mock-proxy", daemon=True
        )
        with self._lock:
            self._connections[sock] = thread
        thread.start()

    def _serve(self, connection: ClientConnection) -> None:
        try:
            connection.serve()
        finally:
            with self._lock:
                at_limit = len(self._connections) >= self.connection_limit
                self._connections.pop(connection.socket, None)
            if at_limit:
                self._wake()

    def _log_refusal(self, text: str) -> None:
        """Log a refused target once per proxy: a client retrying it does not flood the log."""
        with self._lock:
            if text in self._refused_targets or len(self._refused_targets) >= 100:
                return
            self._refused_targets.add(text)
        _log.warning("%s", text)

    def start(self) -> "ProxyServer":
        """Serve in a daemon thread; returns self."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="uipath-mock-proxy-accept", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, close every open connection, and wait (bounded) for their threads."""
        self._stopping = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=_JOIN_TIMEOUT)
            self._thread = None
        self._listener.close()
        with self._lock:
            connections = list(self._connections.items())
        for sock, _ in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv
        for _, thread in connections:
            thread.join(timeout=_JOIN_TIMEOUT)
        self._waker.close()
        self._wake_end.close()

    def __enter__(self) -> "ProxyServer":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: "TracebackType | None",
    ) -> None:
        self.stop()
