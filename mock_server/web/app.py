"""The Flask app of one `Emulator`: both services' routes, and the one place errors are rendered."""

import logging
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from uipath_emulator.mock_server.identity.errors import INVALID_REQUEST, OAuthError
from uipath_emulator.mock_server.orchestrator.errors import ApiError
from uipath_emulator.mock_server.transports.serving import MAX_BODY_BYTES
from uipath_emulator.mock_server.web.control import (
    ControlError,
    control_blueprint,
    control_error_response,
)
from uipath_emulator.mock_server.web.dashboard import dashboard_blueprint
from uipath_emulator.mock_server.web.identity import identity_blueprint, oauth_error_response
from uipath_emulator.mock_server.web.middleware import (
    BODY_TOO_LARGE,
    CONTROL_PREFIX,
    HarnessMiddleware,
)
from uipath_emulator.mock_server.web.openapi import openapi_blueprint, swagger_blueprint
from uipath_emulator.mock_server.web.orchestrator import orchestrator_blueprint
from uipath_emulator.mock_server.web.portal import portal_blueprint
from uipath_emulator.mock_server.web.responses import json_response, new_trace_id

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator

_log = logging.getLogger("uipath_emulator")
_REPEATED_SLASHES = re.compile(r"/{2,}")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _CollapseSlashes:
    """Routes `orchestrator_//odata/...` like `orchestrator_/odata/...`.

    A swagger-generated Orchestrator client builds the double slash from its default host.
    Werkzeug would answer it with a redirect, which breaks POST and confuses clients.
    """

    def __init__(self, app: WSGIApp) -> None:
        self._app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if "//" in path:
            environ["PATH_INFO"] = _REPEATED_SLASHES.sub("/", path)
        return self._app(environ, start_response)


def api_error_response(error: ApiError) -> Response:
    """`{"message", "errorCode", "traceId"}` with the error's status and headers."""
    body = {"message": error.message, "errorCode": error.error_code, "traceId": new_trace_id()}
    return json_response(body, error.status, headers=error.headers)


def _http_error_response(error: HTTPException) -> Response:
    status = error.code or 500
    if "/identity_/" in request.path and status != 404:
        response = oauth_error_response(
            OAuthError(INVALID_REQUEST, _describe(error), status=status)
        )
    elif request.path.startswith(CONTROL_PREFIX):
        response = control_error_response(ControlError(_describe(error), status))
    else:
        response = api_error_response(ApiError(status, _describe(error)))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def _refuse_unread_body() -> None:
    """A body the server transport refused to read is answered here, in the service's shape."""
    if request.environ.get(BODY_TOO_LARGE):
        raise RequestEntityTooLarge()


def _describe(error: HTTPException) -> str:
    if error.code == 404:
        return f"No resource matches '{request.method} {request.path}'."
    if error.code == 405:
        return f"The method '{request.method}' is not allowed on '{request.path}'."
    if error.code == 413:
        return f"The request body is larger than the limit of {MAX_BODY_BYTES} bytes."
    return error.description or error.name


def _unexpected_error_response(error: Exception) -> Response:
    _log.error("unexpected %s on %s %s", type(error).__name__, request.method, request.path)
    return api_error_response(ApiError(500, "The emulator failed to handle this request."))


def create_app(emulator: "Emulator") -> Flask:
    """A Flask app serving `emulator`; server mode and in-process mode both use it."""
    app = Flask("uipath_emulator.mock_server.web", static_folder=None)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False  # type: ignore[attr-defined]  # Flask's default provider has it
    app.before_request(_refuse_unread_body)
    app.register_blueprint(identity_blueprint(emulator))
    app.register_blueprint(orchestrator_blueprint(emulator))
    app.register_blueprint(portal_blueprint(emulator))
    app.register_blueprint(swagger_blueprint(emulator))
    control = control_blueprint(emulator)  # nested blueprints are behind the control guard
    control.register_blueprint(dashboard_blueprint(emulator))
    control.register_blueprint(openapi_blueprint(emulator))
    app.register_blueprint(control)
    app.register_error_handler(ControlError, control_error_response)
    app.register_error_handler(OAuthError, oauth_error_response)
    app.register_error_handler(ApiError, api_error_response)
    app.register_error_handler(HTTPException, _http_error_response)
    app.register_error_handler(Exception, _unexpected_error_response)
    harnessed = HarnessMiddleware(app.wsgi_app, emulator)
    app.wsgi_app = _CollapseSlashes(harnessed)  # type: ignore[method-assign]
    return app
