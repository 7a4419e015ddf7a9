"""Server mode: an emulator served by waitress, in the foreground or in a background thread."""

import socket
import struct
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from waitress.server import create_server

from mock_server.harness import DROP_CONNECTION
from mock_server.serving import SERVER_HEADER

if TYPE_CHECKING:
    from mock_server.emulator import Emulator


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
    """Gives the harness a way to drop the connection of the request it is answering."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        drop = _drop_from(environ)
        if drop is not None:
            environ[DROP_CONNECTION] = drop
        return self._app(environ, start_response)


class EmulatorServer:
    """An emulator on a waitress server; `port=0` picks a free port (see `base_url`)."""

    def __init__(
        self, emulator: "Emulator", host: str = "127.0.0.1", port: int = 0, threads: int = 8
    ) -> None:
        self.emulator = emulator
        self.host = host
        self._server = create_server(
            _WithDrop(emulator.app),
            host=host,
            port=port,
            threads=threads,
            ident=SERVER_HEADER,
            log_socket_errors=False,
            clear_untrusted_proxy_headers=True,
        )
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
