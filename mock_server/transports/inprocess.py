"""In-process mode: `requests` calls to emulated base URLs answered by the Flask app, no socket."""

import io
import re
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import ContextDecorator
from email.utils import formatdate
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes, urlsplit

import requests
import responses
from requests.adapters import HTTPAdapter

from uipath_emulator.mock_server.transports.inprocess_httpx import HttpxInterceptor
from uipath_emulator.mock_server.web.middleware import DROP_CONNECTION, IN_PROCESS
from uipath_emulator.mock_server.web.serving import SERVER_HEADER

if TYPE_CHECKING:
    from types import TracebackType

    from requests import PreparedRequest

    from uipath_emulator.mock_server.emulator import Emulator


_UNPREFIXED = {"CONTENT_TYPE", "CONTENT_LENGTH"}


def _drop_connection() -> None:
    raise requests.ConnectionError(
        "('Connection aborted.', RemoteDisconnected('the emulator dropped the connection "
        "(injected fault)'))"
    )


def request_body(request: "PreparedRequest") -> bytes:
    """The body of a prepared `requests` request as bytes."""
    body = request.body or b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes):
        return body
    return b"".join(chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in body)


def wsgi_environ(
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    drop: Callable[[], None],
) -> dict[str, Any]:
    """The WSGI environ a server would build for this request.

    `drop` is what an injected "drop the connection" fault calls: it raises the error the
    calling HTTP library raises for a connection the server closed.
    """
    parts = urlsplit(url)
    default_port = "443" if parts.scheme == "https" else "80"
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method.upper(),
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(parts.path or "/").decode("latin-1"),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or default_port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": parts.netloc,
        DROP_CONNECTION: drop,
        IN_PROCESS: True,
    }
    for name, value in headers:
        key = name.upper().replace("-", "_")
        if key not in _UNPREFIXED:
            key = f"HTTP_{key}"
        environ[key] = value
    return environ


def call_wsgi(
    app: Callable[..., Any], environ: dict[str, Any]
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run a WSGI app on one request; returns status, headers (as a server adds them), body."""
    started: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return lambda data: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started
    return int(status[:3]), as_served(headers), body


@lru_cache(maxsize=1)
def _http_date(second: int) -> str:
    return formatdate(second, usegmt=True)


@cache
def _served_name(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


def as_served(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers as waitress writes them in server mode, so both modes answer alike.

    Names capitalised per segment (`Odata-Version`), `Date` and `Server` added, a
    `Connection: close` where there is no `Content-Length`, sorted by name.
    """
    served = [(_served_name(name), value) for name, value in headers]
    names = {name for name, _ in served}
    served += [("Date", _http_date(int(time.time()))), ("Server", SERVER_HEADER)]
    if "Content-Length" not in names and "Connection" not in names:
        served.append(("Connection", "close"))
    return sorted(served, key=lambda header: header[0])


class _EmulatorRoute(responses.CallbackResponse):
    """One `responses` entry for every method under a base URL, answered by a callback."""

    def __init__(self, base_url: str, callback: Callable[..., Any]) -> None:
        pattern = re.compile(re.escape(base_url) + r"(?:[/?#].*)?$")
        super().__init__(method="GET", url=pattern, callback=callback, content_type=None)
        self._pattern = pattern

    def matches(self, request: "PreparedRequest") -> tuple[bool, str]:
        """Any method, any URL under the base URL."""
        if self._pattern.match(request.url or ""):
            return True, ""
        return False, "URL is not under the emulator's base URL"


class Interceptor(ContextDecorator):
    """Routes `requests` calls under the given base URLs into an emulator, through `responses`.

    `httpx` calls (UiPath's own SDK uses httpx) are routed the same way (`HttpxInterceptor`):
    nothing under those base URLs ever reaches the network. Requests to any other URL pass
    through untouched: to the real network, or to a `responses` (or `respx`) mock that was
    already active when this one started (so a test's own stubs for other hosts keep working).
    A `responses` mock started inside this block answers first and refuses unknown URLs, as
    `responses` always does: `register(that_mock)` adds the emulator.
    """

    def __init__(self, emulator: "Emulator", base_urls: tuple[str, ...]) -> None:
        self.emulator = emulator
        self.base_urls = tuple(url.rstrip("/") for url in base_urls)
        self._mock: responses.RequestsMock | None = None
        self._httpx: HttpxInterceptor | None = None

    def _answer(self, request: "PreparedRequest") -> tuple[int, list[tuple[str, str]], bytes]:
        environ = wsgi_environ(
            request.method or "GET",
            request.url or "",
            request.headers.items(),
            request_body(request),
            _drop_connection,
        )
        return call_wsgi(self.emulator.app, environ)

    def register(self, mock: responses.RequestsMock) -> None:
        """Make `mock` (e.g. a test's own, started inside this block) answer as the emulator."""
        for base_url in self.base_urls:
            mock.add(_EmulatorRoute(base_url, self._answer))

    def start(self) -> None:
        """Begin intercepting."""
        # Whatever answers `requests` now (the network, or a mock the test started before us)
        # keeps answering every URL that is not ours.
        mock = responses.RequestsMock(
            assert_all_requests_are_fired=False, real_adapter_send=HTTPAdapter.send
        )
        self.register(mock)
        mock.add_passthru(re.compile(".*"))
        mock.start()
        self._mock = mock
        self._httpx = HttpxInterceptor(self.emulator.app, self.base_urls)
        self._httpx.start()

    def stop(self) -> None:
        """Stop intercepting."""
        if self._httpx is not None:
            self._httpx.stop()
            self._httpx = None
        if self._mock is not None:
            self._mock.stop()
            self._mock.reset()
            self._mock = None

    def __enter__(self) -> "Interceptor":
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: "TracebackType | None",
    ) -> None:
        self.stop()
