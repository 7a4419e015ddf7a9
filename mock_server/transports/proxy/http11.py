"""HTTP/1.1 over one stream, parsed by h11: requests in (bodies de-chunked), answers out.

h11 (already installed with httpx) does the framing that is easy to get wrong by hand:
chunked bodies, `Content-Length` checks, keep-alive and `Connection: close`, `Expect:
100-continue`, and the refusals of ambiguous messages that request smuggling relies on.
"""

from collections.abc import Sequence
from email.utils import formatdate
from typing import Protocol

import h11

from uipath_emulator.mock_server.web.serving import SERVER_HEADER

MAX_HEAD_BYTES = 64 * 1024
"""A request line and headers larger than this are refused (431, from h11)."""

_REASON_LIMIT = 400


class Stream(Protocol):
    """What an exchange reads from and writes to (a socket, or TLS over one)."""

    def recv(self) -> bytes:
        """The next bytes received, b"" at end of stream."""
        ...

    def sendall(self, data: bytes) -> None:
        """Send every byte of `data`."""
        ...


class BodyTooLargeError(Exception):
    """The request body is larger than the limit; it was not (wholly) read."""


class HttpExchange:
    """The server side of HTTP/1.1 on one stream: one request at a time, kept alive."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.connection = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        self._declared_length = 0

    def next_request(self) -> h11.Request | None:
        """The next request's head; None when the client closed between requests.

        Raises `h11.RemoteProtocolError` for a malformed message (its `error_status_hint` is
        the status to answer with), `OSError` when the stream fails or times out.
        """
        event = self._next_event()
        if isinstance(event, h11.ConnectionClosed):
            return None
        if not isinstance(event, h11.Request):
            raise h11.RemoteProtocolError(f"unexpected {type(event).__name__}")
        self._declared_length = _content_length(event)
        return event

    def read_body(self, limit: int) -> bytes:
        """The whole body of the current request, de-chunked; `BodyTooLargeError` past `limit`."""
        if self._declared_length > limit:
            raise BodyTooLargeError
        if self.connection.they_are_waiting_for_100_continue:
            interim = h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")
            self.stream.sendall(self.connection.send(interim) or b"")
        parts: list[bytes] = []
        size = 0
        while True:
            event = self._next_event()
            if isinstance(event, h11.EndOfMessage):
                return b"".join(parts)
            if not isinstance(event, h11.Data):
                raise h11.RemoteProtocolError("the request body ended early")
            size += len(event.data)
            if size > limit:
                raise BodyTooLargeError
            parts.append(bytes(event.data))

    def respond(
        self, status: int, reason: str, headers: Sequence[tuple[str, str]], body: bytes
    ) -> None:
        """Send one answer (head and body in one write: no Nagle delay between them)."""
        head = h11.Response(
            status_code=status,
            reason=reason.encode("latin-1"),
            headers=[(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers],
        )
        data = self.connection.send(head) or b""
        if body:
            data += self.connection.send(h11.Data(data=body)) or b""
        data += self.connection.send(h11.EndOfMessage()) or b""
        self.stream.sendall(data)

    def switch_protocol(self, reason: str) -> bytes:
        """Accept a `CONNECT` with 200; the bytes the client sent after its request head."""
        head = h11.Response(status_code=200, reason=reason.encode("ascii"), headers=[])
        self.stream.sendall(self.connection.send(head) or b"")
        received, _closed = self.connection.trailing_data
        return bytes(received)

    def next_cycle(self) -> bool:
        """Get ready for the next request on this stream; False if it must be closed."""
        connection = self.connection
        if connection.our_state is h11.DONE and connection.their_state is h11.DONE:
            connection.start_next_cycle()
            return True
        return False

    def _next_event(self) -> object:
        while True:
            event = self.connection.next_event()
            if event is not h11.NEED_DATA:
                return event
            self.connection.receive_data(self.stream.recv())


def _content_length(request: h11.Request) -> int:
    """The request's `Content-Length` (h11 checked it is one decimal number), else 0."""
    for name, value in request.headers:
        if name == b"content-length":
            return int(value)
    return 0


def plain_answer(status: int, reason: str, text: str) -> bytes:
    """A whole `Connection: close` answer with a one-line text body, for the proxy's refusals.

    Written without h11: after a malformed request h11 will not send anything more.
    """
    line = text.replace("\r", " ").replace("\n", " ")
    if len(line) > _REASON_LIMIT:  # reasons may quote what the client sent
        line = line[:_REASON_LIMIT] + "..."
    body = (line + "\n").encode("utf-8")
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Connection: close\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n"
        f"Date: {formatdate(usegmt=True)}\r\n"
        f"Server: {SERVER_HEADER}\r\n\r\n"
    )
    return head.encode("latin-1") + body
