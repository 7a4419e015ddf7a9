"""Orchestrator's error answers: `{"message", "errorCode", "traceId"}` for every failure.

Used by the Orchestrator service for whatever its views raise, and by the Swagger routes and
the gateway (a path no service took) in Flask.
"""

import logging

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Request, Response

from uipath_emulator.mock_server.orchestrator.errors import ApiError, unavailable
from uipath_emulator.mock_server.persistence import PersistenceError
from uipath_emulator.mock_server.web.responses import json_response, new_trace_id
from uipath_emulator.mock_server.web.serving import MAX_BODY_BYTES
from uipath_emulator.mock_server.world.store import RetiredError

_log = logging.getLogger("uipath_emulator")


def api_error_response(error: ApiError) -> Response:
    """Orchestrator's error answer, with the error's status and headers."""
    return json_response(error.body(new_trace_id()), error.status, headers=error.headers)


def describe_http_error(error: HTTPException, request: Request) -> str:
    """What a routing or protocol error means for this request, in a sentence."""
    if error.code == 404:
        return f"No resource matches '{request.method} {request.path}'."
    if error.code == 405:
        return f"The method '{request.method}' is not allowed on '{request.path}'."
    if error.code == 413:
        return f"The request body is larger than the limit of {MAX_BODY_BYTES} bytes."
    return error.description or error.name


def with_allow(response: Response, error: HTTPException) -> Response:
    """`response` with the `Allow` header a 405 names."""
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def http_error_response(error: HTTPException, request: Request) -> Response:
    """A werkzeug HTTP error (404, 405, 413...) in Orchestrator's shape."""
    if isinstance(error, RequestRedirect):
        return error.get_response(request.environ)  # type: ignore[return-value]
    answer = ApiError(error.code or 500, describe_http_error(error, request))
    return with_allow(api_error_response(answer), error)


def unsaved_response(error: Exception) -> Response:
    """503: the change could not be made durable, so it was not made."""
    return api_error_response(
        unavailable(f"The change could not be saved, nothing changed: {error}")
    )


def unexpected_error_response(error: Exception, request: Request) -> Response:
    """500 for a bug: logged by type (never the request's data), answered in the shape."""
    _log.error("unexpected %s on %s %s", type(error).__name__, request.method, request.path)
    return api_error_response(ApiError(500, "The emulator failed to handle this request."))


def orchestrator_error_response(error: Exception, request: Request) -> Response:
    """Any exception raised while answering an Orchestrator request, as Orchestrator answers."""
    if isinstance(error, ApiError):
        return api_error_response(error)
    if isinstance(error, HTTPException):
        return http_error_response(error, request)
    if isinstance(error, PersistenceError | RetiredError):
        return unsaved_response(error)
    return unexpected_error_response(error, request)
