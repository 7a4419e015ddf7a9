"""A service served by werkzeug alone: its URL map, its request, its error answers.

Flask's request handling (application and request contexts, signals, sessions, blueprint
lookups) costs about as much per request as everything Orchestrator does for a cached listing,
and Orchestrator's API uses none of it. So Orchestrator is a `Service`: the same werkzeug
routing and `Request` that Flask builds on, and a context-local `request` like Flask's.
Flask keeps serving Identity, Swagger UI and the control plane.
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.local import LocalProxy
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response as WerkzeugResponse

from uipath_emulator.mock_server.web.middleware import BODY_TOO_LARGE, status_line
from uipath_emulator.mock_server.web.serving import MAX_BODY_BYTES

_current: ContextVar[Request] = ContextVar("uipath_emulator_service_request")

request: Request = LocalProxy(_current)  # type: ignore[assignment]
"""The request a `Service` is handling (as `flask.request` is for a Flask view)."""

StartResponse = Callable[..., Any]
WSGIAnswer = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
View = Callable[..., WSGIAnswer]
Headers = list[tuple[str, str]]

MAX_CACHED_ROUTES = 4096
"""Distinct (method, path) pairs whose route match is kept; the cache starts over when full."""

MAX_CACHED_PATH = 512
"""Longer paths are matched each time, so the cache stays small whatever paths arrive."""


class Response(WerkzeugResponse):
    """werkzeug's response with Flask's default media type (a body-less 204 says `text/html`)."""

    default_mimetype = "text/html"


class Answer:
    """An answer whose body is already bytes, served as is: a WSGI app like werkzeug's
    `Response`, without the header bookkeeping that costs as much as a cached listing."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, body: bytes, status: int, content_type: str) -> None:
        self.body = body
        self.status = status
        self.headers: Headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        start_response(status_line(self.status), self.headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return []
        return [self.body]


class ServiceRequest(Request):
    """werkzeug's request, refusing bodies over the emulator's limit (as Flask is configured)."""

    max_content_length = MAX_BODY_BYTES


class Service:
    """A WSGI app: rules to views; every exception a view raises answered by `render_error`.

    `headers` gives what every answer carries besides its own, errors included (Orchestrator's
    headers): they are added as the answer starts, after the answer's own.
    """

    def __init__(
        self,
        render_error: Callable[[Exception], WSGIAnswer],
        headers: Callable[[], Headers],
    ) -> None:
        self.url_map = Map()
        self._views: dict[str, View] = {}
        self._render_error = render_error
        self._headers = headers
        self._matches: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}

    def route(self, rule: str, endpoint: str, view: View, methods: list[str] | None) -> None:
        """Serve `view` for `rule` (werkzeug syntax) and `methods` (None: every method)."""
        self.url_map.add(Rule(rule, endpoint=endpoint, methods=methods))
        self._views[endpoint] = view
        self._matches.clear()

    def _match(self, environ: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The endpoint and arguments of the request's route, kept per method and path.

        A match depends on nothing else but an upgrade request's scheme (`ws`), so those are
        matched each time; a request no route takes raises, and is not kept.
        """
        path: str = environ.get("PATH_INFO", "")
        if "HTTP_UPGRADE" in environ or len(path) > MAX_CACHED_PATH:
            return self.url_map.bind_to_environ(environ).match()  # type: ignore[return-value]
        key = (environ.get("REQUEST_METHOD", "GET"), path)
        found = self._matches.get(key)
        if found is None:
            found = self.url_map.bind_to_environ(environ).match()
            if len(self._matches) >= MAX_CACHED_ROUTES:
                self._matches.clear()
            self._matches[key] = found
        return found

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        token = _current.set(ServiceRequest(environ))
        try:
            try:
                if environ.get(BODY_TOO_LARGE):
                    raise RequestEntityTooLarge()
                endpoint, arguments = self._match(environ)
                answer = self._views[endpoint](**arguments)
            except Exception as error:
                answer = self._render_error(error)
            extra = self._headers()

            def finishing(status: str, headers: Headers, exc_info: Any = None) -> Any:
                return start_response(status, [*headers, *extra], exc_info)

            return answer(environ, finishing)
        finally:
            _current.reset(token)
