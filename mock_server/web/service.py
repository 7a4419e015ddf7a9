"""A service served by werkzeug alone: its URL map, its request, its error answers.

Flask's request handling (application and request contexts, signals, sessions, blueprint
lookups) costs about as much per request as everything Orchestrator does for a cached listing,
and Orchestrator's API uses none of it. So Orchestrator is a `Service`: the same werkzeug
routing, `Request` and `Response` that Flask builds on, and a context-local `request` like
Flask's. Flask keeps serving Identity, Swagger UI and the control plane.
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.local import LocalProxy
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response as WerkzeugResponse

from uipath_emulator.mock_server.web.middleware import BODY_TOO_LARGE
from uipath_emulator.mock_server.web.serving import MAX_BODY_BYTES

_current: ContextVar[Request] = ContextVar("uipath_emulator_service_request")

request: Request = LocalProxy(_current)  # type: ignore[assignment]
"""The request a `Service` is handling (as `flask.request` is for a Flask view)."""

View = Callable[..., WerkzeugResponse]
StartResponse = Callable[..., Any]


class Response(WerkzeugResponse):
    """werkzeug's response with Flask's default media type (a body-less 204 says `text/html`)."""

    default_mimetype = "text/html"


class ServiceRequest(Request):
    """werkzeug's request, refusing bodies over the emulator's limit (as Flask is configured)."""

    max_content_length = MAX_BODY_BYTES


class Service:
    """A WSGI app: rules to views; every exception a view raises answered by `render_error`.

    `finish` runs on every answer, errors included (Orchestrator adds its headers there).
    """

    def __init__(
        self,
        render_error: Callable[[Exception], WerkzeugResponse],
        finish: Callable[[WerkzeugResponse], None],
    ) -> None:
        self.url_map = Map()
        self._views: dict[str, View] = {}
        self._render_error = render_error
        self._finish = finish

    def route(self, rule: str, endpoint: str, view: View, methods: list[str] | None) -> None:
        """Serve `view` for `rule` (werkzeug syntax) and `methods` (None: every method)."""
        self.url_map.add(Rule(rule, endpoint=endpoint, methods=methods))
        self._views[endpoint] = view

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        token = _current.set(ServiceRequest(environ))
        try:
            try:
                if environ.get(BODY_TOO_LARGE):
                    raise RequestEntityTooLarge()
                endpoint, arguments = self.url_map.bind_to_environ(environ).match()
                response = self._views[endpoint](**arguments)
            except Exception as error:
                response = self._render_error(error)
            self._finish(response)
            return response(environ, start_response)
        finally:
            _current.reset(token)
