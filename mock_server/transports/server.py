"""Server mode: an emulator served by waitress, in the foreground or in a background thread."""

import logging
import select
import socket
import struct
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import BadRequest, RequestEntityTooLarge

from uipath_emulator.mock_server.web.middleware import BODY_TOO_LARGE, BOUND_HOST, DROP_CONNECTION
from uipath_emulator.mock_server.web.serving import MAX_BODY_BYTES, SERVER_HEADER

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator


class _DroppedError(ConnectionAbortedError):
    """Unwinds waitress's task after its socket was reset; waitress treats it as a socket error."""


def _drop_from(environ: dict[str, Any]) -> Callable[[], None] | None:
    # waitress exposes no socket in the environ; the channel is reachable only through the
    # bound method it puts there (`waitress.client_disconnected`), whose owner holds the socket.
    probe = environ.get("waitress.client_disconnected")
    channel = getattr(probe, "__self__", None)
    sock = getattr(channel, "socket", None)
    if not isinstance(sock, socket.socket):
        return None

    def drop() -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
        raise _DroppedError("connection dropped by an injected fault")

    return drop


class _WithDrop:
    """Gives the harness a way to drop the connection of the request it is answering, and
    tells it which address the server is bound to."""

    def __init__(self, app: Callable[..., Iterable[bytes]], bound_host: str) -> None:
        self._app = app
        self._bound_host = bound_host

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        drop = _drop_from(environ)
        if drop is not None:
            environ[DROP_CONNECTION] = drop
        environ[BOUND_HOST] = self._bound_host
        return self._app(environ, start_response)


class _TooLargeTask(WSGITask):
    """Answers a body over the limit through the app, in the service's own error shape.

    waitress refuses such a body before reading it (so it never reaches memory or the temp
    directory) and would answer with its own plain-text page; this task lets the emulator's
    app render the 413 instead, with no body and the request marked.
    """

    def execute(self) -> None:
        self.set_close_on_finish()
        super().execute()

    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        environ[BODY_TOO_LARGE] = True
        environ["CONTENT_LENGTH"] = "0"
        return environ


def _error_task(channel: HTTPChannel, request: Any) -> Any:
    """The task answering a request waitress refused: ours for a body over the limit."""
    if isinstance(request.error, RequestEntityTooLarge):
        return _TooLargeTask(channel, request)
    return ErrorTask(channel, request)


_TLS_HANDSHAKE = 0x16
"""The first byte of a TLS record carrying a ClientHello."""

PLAIN_HTTP_HINT = "This is a plain-HTTP server: connect with http://, not https://."


class _Channel(HTTPChannel):
    error_task_class = staticmethod(_error_task)

    def received(self, data: bytes) -> bool:
        """Answer a TLS ClientHello at once (a client that used https:// by mistake).

        Left to the HTTP parser, the hello would wait for a line end until the idle timeout,
        and the client's handshake with it.
        """
        if data[:1] == bytes([_TLS_HANDSHAKE]) and self.request is None and not self.requests:
            with self.requests_lock:
                refused = self.parser_class(self.adj)
                refused.error = BadRequest(PLAIN_HTTP_HINT)
                refused.completed = True
                self.requests.append(refused)
                self.server.add_task(self)
            return True
        return bool(super().received(data))


SELECT_LIMIT = 1024
"""`select()` watches descriptors below this (FD_SETSIZE); `poll()` has no such limit."""

_HAS_POLL = hasattr(select, "poll")
"""Windows has no `poll()`; its `select()` takes any socket handle (as waitress's loop does)."""


class _AdaptiveLoop:
    """waitress's event loop, polling with `select()` while every descriptor it watches is
    below `SELECT_LIMIT`, and with `poll()` while one is not.

    On waitress, `select()` serves about 1.3 to 2 times the requests per second that `poll()`
    does (measured on a 43 KB listing with 8 connections); `poll()` keeps a server whose
    process holds over a thousand descriptors serving. waitress reads the loop from its
    server's `asyncore` attribute.
    """

    dispatcher = wasyncore.dispatcher

    @staticmethod
    def loop(timeout: float, use_poll: bool, map: dict[int, Any], count: int | None = None) -> None:
        """Poll until the map is empty (waitress's `loop`, minus the count it never passes)."""
        while map:
            fits = not _HAS_POLL or max(map, default=0) < SELECT_LIMIT
            (wasyncore.poll if fits else wasyncore.poll2)(timeout, map)


DEFAULT_CONNECTION_LIMIT = 1000
"""Open connections served at once: far above what a test run's connection pools keep open."""

DEFAULT_IDLE_TIMEOUT = 15
"""Seconds after which an idle keep-alive connection is closed (waitress's default is 120)."""

_log = logging.getLogger("uipath_emulator")


class _ServerLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """waitress's server logger, with its connection-limit messages said so a user can act."""

    def __init__(self, logger: logging.Logger, limit: int, idle_timeout: int) -> None:
        super().__init__(logger, {})
        self._limit = limit
        self._idle_timeout = idle_timeout

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        """Rewrite the two connection-limit messages; pass every other one through."""
        text = str(msg)
        if "reached the connection limit" in text:
            _log.warning(
                "uipath-mock: %d open connections reached the limit; new clients wait until "
                "one closes (idle ones close after %d s). Raise --connection-limit, or close "
                "your HTTP sessions.",
                self._limit,
                self._idle_timeout,
            )
        elif "dropped below the connection limit" in text:
            _log.warning("uipath-mock: open connections are below the limit again")
        else:
            self.logger.log(level, msg, *args, **kwargs)


class EmulatorServer:
    """An emulator on a waitress server; `port=0` picks a free port (see `base_url`).

    `connection_limit` connections are served at once, idle ones are closed after
    `idle_timeout` seconds, and request bodies over `max_body` bytes are refused with 413
    before they are read.
    """

    def __init__(
        self,
        emulator: "Emulator",
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 8,
        *,
        connection_limit: int = DEFAULT_CONNECTION_LIMIT,
        idle_timeout: int = DEFAULT_IDLE_TIMEOUT,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.emulator = emulator
        self.host = host
        self._server = create_server(
            _WithDrop(emulator.app, host),
            host=host,
            port=port,
            threads=threads,
            ident=SERVER_HEADER,
            log_socket_errors=False,
            clear_untrusted_proxy_headers=True,
            connection_limit=connection_limit,
            channel_timeout=idle_timeout,
            cleanup_interval=max(1, min(idle_timeout, 5)),
            max_request_body_size=max_body + 1,  # waitress refuses sizes >= its limit
        )
        self._server.asyncore = _AdaptiveLoop  # type: ignore[assignment]
        self._server.channel_class = _Channel
        self._server.logger = _ServerLog(self._server.logger, connection_limit, idle_timeout)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(getattr(self._server, "effective_port", 0))

    @property
    def base_url(self) -> str:
        """`http://host:port`, the base URL to give clients."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve until `stop()` is called from another thread (or KeyboardInterrupt)."""
        try:
            self._server.run()
        except OSError:
            if self._server.socket is not None and self._server.socket.fileno() != -1:
                raise

    def start(self) -> "EmulatorServer":
        """Serve in a daemon thread; returns self."""
        self._thread = threading.Thread(target=self.serve_forever, name="uipath-mock", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: close the listening socket and every open client connection."""
        self._server.close()
        # waitress's loop runs until its socket map is empty, and an idle keep-alive client
        # (a requests.Session, a browser) would hold it open for the channel timeout; waitress
        # has no public call for this, so its channels are closed through the map it serves.
        for channel in list(getattr(self._server, "_map", {}).values()):
            channel.close()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> "EmulatorServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
