"""Byte streams the proxy speaks HTTP over: a TCP socket, or TLS on top of one.

TLS runs through `ssl.MemoryBIO`, not `SSLContext.wrap_socket`: bytes the client sent right
after its `CONNECT` (an eager ClientHello) were already read by the HTTP parser and must be fed
to the TLS layer first, which a wrapped socket cannot take.
"""

import socket
import ssl
from collections.abc import Callable
from typing import Any, TypeVar

_READ_SIZE = 65536
_T = TypeVar("_T")
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


def receive(sock: socket.socket) -> bytes:
    """The next bytes from `sock`, acknowledged at once where the OS allows it (Linux).

    Some clients send a request's head and body in two writes without `TCP_NODELAY` (urllib3
    through a tunnel does): Nagle's algorithm then holds the body until the head is
    acknowledged, and a delayed acknowledgement costs 40 ms per request. `TCP_QUICKACK`
    (which the kernel resets after each use) acknowledges immediately instead.
    """
    data = sock.recv(_READ_SIZE)
    if _QUICKACK is not None and data:
        sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
    return data


class SocketStream:
    """A connected socket; `recv` returns b"" at end of stream."""

    def __init__(self, sock: socket.socket) -> None:
        self.socket = sock

    def recv(self) -> bytes:
        """The next bytes the client sent (b"" once it closed its side)."""
        return receive(self.socket)

    def sendall(self, data: bytes) -> None:
        """Send every byte of `data`."""
        self.socket.sendall(data)


class TlsStream:
    """The server side of a TLS session over `sock`, started with bytes already received."""

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, received: bytes) -> None:
        self.socket = sock
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_side=True)
        self.bytes_sent = 0
        if received:
            self._incoming.write(received)

    @property
    def alpn_protocol(self) -> str | None:
        """The application protocol agreed in the handshake, if the client offered any."""
        return self._tls.selected_alpn_protocol()

    def handshake(self) -> None:
        """Complete the TLS handshake; `ssl.SSLError` or `OSError` if it fails."""
        self._run(self._tls.do_handshake)

    def recv(self) -> bytes:
        """The next decrypted bytes (b"" once the client closed the session or the socket)."""
        try:
            data = self._run(self._tls.read, _READ_SIZE)
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            return b""
        return data

    def sendall(self, data: bytes) -> None:
        """Encrypt and send every byte of `data`."""
        self._run(self._tls.write, data)

    def _run(self, operation: Callable[..., _T], *args: Any) -> _T:
        """Call a TLS `operation`, feeding it socket bytes until it stops wanting to read."""
        while True:
            try:
                result = operation(*args)
            except ssl.SSLWantReadError:
                self._flush()
                if self._incoming.eof:
                    raise ssl.SSLEOFError("the client closed the connection") from None
                data = receive(self.socket)
                if data:
                    self._incoming.write(data)
                else:
                    self._incoming.write_eof()
                continue
            self._flush()
            return result

    def _flush(self) -> None:
        data = self._outgoing.read()
        if data:
            self.socket.sendall(data)
            self.bytes_sent += len(data)
