"""One decrypted (or plain) proxied request, answered by the emulator's WSGI app.

The environ is the one the in-process transports build (`wsgi_environ`), minus their
in-process mark: a request through the proxy crossed a socket, so the control plane's `Host`
rules apply to it (`cloud.uipath.com/_emulator/...` is refused). The answer carries the
headers the waitress server would send (`as_served`) and the app's own reason phrase.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import h11

from uipath_emulator.mock_server.transports.inprocess import as_served, wsgi_environ
from uipath_emulator.mock_server.web.middleware import BODY_TOO_LARGE, IN_PROCESS

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_NOT_FORWARDED = frozenset(
    {
        b"content-length",  # recomputed from the body as read
        b"transfer-encoding",  # the body is de-chunked: werkzeug would refuse it still marked
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"proxy-authorization",
        b"te",
        b"upgrade",
    }
)
"""Hop-by-hop headers (RFC 9110 section 7.6.1) and framing that no longer describes the body."""


_NO_BODY_STATUSES = frozenset({204, 304})


@dataclass(frozen=True)
class Answer:
    """What the app answered."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def closes(self) -> bool:
        """Whether the answer says the connection closes after it."""
        return any(
            name == "Connection" and value.lower() == "close" for name, value in self.headers
        )


def forwarded_headers(request: h11.Request) -> list[tuple[str, str]]:
    """The request's end-to-end headers, repeated names joined with ", " (as WSGI servers do)."""
    joined: dict[str, str] = {}
    for name, value in request.headers.raw_items():
        if name.lower() in _NOT_FORWARDED:
            continue
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        joined[key] = f"{joined[key]}, {text}" if key in joined else text
    return list(joined.items())


def answer_request(
    app: WSGIApp,
    *,
    method: str,
    url: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    client_address: str,
    drop: Callable[[], None],
    body_too_large: bool = False,
) -> Answer:
    """Run `app` on one request to `url` (`scheme://host/path?query`)."""
    environ = wsgi_environ(method, url, headers, body, drop)
    del environ[IN_PROCESS]
    environ["REMOTE_ADDR"] = client_address
    if body_too_large:
        environ[BODY_TOO_LARGE] = True
    started: list[Any] = []

    def start_response(status: str, response_headers: list[Any], exc_info: Any = None) -> Any:
        started[:] = [status, response_headers]
        return lambda data: None

    result = app(environ, start_response)
    try:
        payload = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status_line, response_headers = started
    code, _, reason = str(status_line).partition(" ")
    served = as_served(response_headers)
    framed = method != "HEAD" and int(code) not in _NO_BODY_STATUSES
    if framed and not any(name == "Content-Length" for name, _ in served):
        served = sorted([*served, ("Content-Length", str(len(payload)))])
    return Answer(int(code), reason, served, payload)
