"""The Flask app: each service's blueprint, and how errors are answered.

One Flask app per registry serves every emulator of the process (`shared_app`); an emulator's
own WSGI callable (`EmulatorApp`) names it in each request's environ (see `context`).

Every service renders its own errors: the Identity blueprint as OAuth `{"error"}`, Orchestrator
and Swagger in Orchestrator's shape, the control plane as `{"message"}`. A request no route
matches (404, or 405 for a method a path does not take) is the gateway's: it is answered by the
service whose prefix the path has, as the cloud's gateway routes by prefix.
"""

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, request
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import Map

from uipath_emulator.mock_server.control.errors import ControlError
from uipath_emulator.mock_server.identity.errors import INVALID_REQUEST, OAuthError
from uipath_emulator.mock_server.orchestrator.entities.registry import Registry
from uipath_emulator.mock_server.orchestrator.errors import ApiError
from uipath_emulator.mock_server.orchestrator.storage.signing import BLOB_PREFIX
from uipath_emulator.mock_server.persistence import PersistenceError
from uipath_emulator.mock_server.web.blobs import blob_service
from uipath_emulator.mock_server.web.context import EMULATOR
from uipath_emulator.mock_server.web.control import control_blueprint, control_error_response
from uipath_emulator.mock_server.web.dashboard import dashboard_blueprint
from uipath_emulator.mock_server.web.identity import identity_blueprint, oauth_error_response
from uipath_emulator.mock_server.web.middleware import (
    BODY_TOO_LARGE,
    CONTROL_PREFIX,
    HarnessMiddleware,
)
from uipath_emulator.mock_server.web.openapi import openapi_blueprint, swagger_blueprint
from uipath_emulator.mock_server.web.orchestrator import orchestrator_service, tenant_routes
from uipath_emulator.mock_server.web.orchestrator_errors import (
    api_error_response,
    describe_http_error,
    http_error_response,
    unexpected_error_response,
    unsaved_response,
    with_allow,
)
from uipath_emulator.mock_server.web.portal import portal_blueprint
from uipath_emulator.mock_server.web.service import Service
from uipath_emulator.mock_server.web.serving import MAX_BODY_BYTES
from uipath_emulator.mock_server.world.store import RetiredError

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


def _identity_http_error(error: HTTPException) -> Response:
    oauth = OAuthError(
        INVALID_REQUEST, describe_http_error(error, request), status=error.code or 400
    )
    return with_allow(oauth_error_response(oauth), error)


def _control_http_error(error: HTTPException) -> Response:
    message = describe_http_error(error, request)
    return with_allow(control_error_response(ControlError(message, error.code or 500)), error)


def _orchestrator_http_error(error: HTTPException) -> Response:
    return http_error_response(error, request)


def _unsaved(error: Exception) -> Response:
    return unsaved_response(error)


def _gateway_http_error(error: HTTPException) -> Response:
    """A request no route took: answered by the service its path's prefix names."""
    if request.path.startswith(CONTROL_PREFIX + "/"):
        return _control_http_error(error)
    if "/identity_/" in request.path and error.code != 404:
        return _identity_http_error(error)
    return _orchestrator_http_error(error)


def _unexpected_error_response(error: Exception) -> Response:
    return unexpected_error_response(error, request)


def _refuse_unread_body() -> None:
    """A body the server transport refused to read is answered here, in the service's shape."""
    if request.environ.get(BODY_TOO_LARGE):
        raise RequestEntityTooLarge()


def _orchestrator_errors(blueprint: Blueprint) -> Blueprint:
    blueprint.register_error_handler(ApiError, api_error_response)
    blueprint.register_error_handler(HTTPException, _orchestrator_http_error)
    blueprint.register_error_handler(PersistenceError, _unsaved)
    blueprint.register_error_handler(RetiredError, _unsaved)
    return blueprint


@dataclass(frozen=True)
class SharedApps:
    """What serves every emulator of one registry in this process: Flask, and Orchestrator."""

    flask_app: Flask
    """The WSGI entry point: its `wsgi_app` routes Orchestrator's API to `orchestrator`."""
    orchestrator: Service


@cache
def shared_apps(registry: Registry) -> SharedApps:
    """The apps serving every emulator of `registry` in this process (built once)."""
    app = Flask("uipath_emulator.mock_server.web", static_folder=None)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False  # type: ignore[attr-defined]  # Flask's default provider has it
    app.before_request(_refuse_unread_body)
    identity = identity_blueprint()
    identity.register_error_handler(OAuthError, oauth_error_response)
    identity.register_error_handler(ApiError, api_error_response)
    identity.register_error_handler(HTTPException, _identity_http_error)
    app.register_blueprint(identity)
    portal = portal_blueprint()
    portal.register_error_handler(ApiError, api_error_response)
    portal.register_error_handler(HTTPException, _orchestrator_http_error)
    app.register_blueprint(portal)
    app.register_blueprint(_orchestrator_errors(swagger_blueprint()))
    control = control_blueprint()  # nested blueprints are behind the control guard
    control.register_blueprint(dashboard_blueprint())
    control.register_blueprint(openapi_blueprint())
    control.register_error_handler(ControlError, control_error_response)
    control.register_error_handler(HTTPException, _control_http_error)
    app.register_blueprint(control)
    app.register_error_handler(ApiError, api_error_response)
    app.register_error_handler(HTTPException, _gateway_http_error)
    app.register_error_handler(Exception, _unexpected_error_response)
    orchestrator = orchestrator_service(registry)
    gateway = _Gateway(orchestrator, app.wsgi_app, _rule_pattern(tenant_routes(registry)))
    app.wsgi_app = _CollapseSlashes(HarnessMiddleware(gateway))  # type: ignore[method-assign]
    return SharedApps(app, orchestrator)


_ORCHESTRATOR_API = re.compile(r"/[^/]+/[^/]+/orchestrator_/(?!swagger(?:/|$))")


def _rule_pattern(rules: list[str]) -> re.Pattern[str] | None:
    """A regex matching the paths of these werkzeug rules (None for no rule)."""
    if not rules:
        return None
    parts = [
        "".join(
            "[^/]+" if part.startswith("<") else re.escape(part)
            for part in re.split(r"(<[^>]+>)", rule)
        )
        for rule in rules
    ]
    return re.compile("|".join(f"(?:{part})" for part in parts) + "$")


class _Gateway:
    """Routes by service prefix, as the cloud's gateway does: Orchestrator's API to its service
    (with the paths it also answers under the tenant), pre-signed blob URIs to the blob
    endpoint, everything else (Identity, Swagger UI, the control plane) to Flask."""

    def __init__(
        self,
        orchestrator: Service,
        flask_wsgi: WSGIApp,
        tenant_paths: re.Pattern[str] | None,
    ) -> None:
        self._orchestrator = orchestrator
        self._flask_wsgi = flask_wsgi
        self._tenant_paths = tenant_paths

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if _ORCHESTRATOR_API.match(path) or (
            self._tenant_paths is not None and self._tenant_paths.match(path)
        ):
            return self._orchestrator(environ, start_response)
        if path.startswith(BLOB_PREFIX + "/"):
            return blob_service(environ, start_response)
        return self._flask_wsgi(environ, start_response)


class EmulatorApp:
    """One emulator's WSGI app: the shared Flask app, told which emulator each request is for.

    Serve it with any WSGI server; `test_client()` gives Flask's test client bound to it.
    """

    def __init__(self, emulator: "Emulator", shared: SharedApps) -> None:
        self.emulator = emulator
        self.flask_app = shared.flask_app
        self._orchestrator = shared.orchestrator

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        environ[EMULATOR] = self.emulator
        return self.flask_app(environ, start_response)

    def test_client(self, use_cookies: bool = True) -> FlaskClient:
        """Flask's test client, its requests going to this emulator."""
        client = self.flask_app.test_client(use_cookies)
        client.environ_base[EMULATOR] = self.emulator
        return client

    @property
    def url_map(self) -> Map:
        """Every route, Flask's and the Orchestrator service's (a copy: for reading)."""
        orchestrator = self._orchestrator.url_map
        rules = [*self.flask_app.url_map.iter_rules(), *orchestrator.iter_rules()]
        return Map([rule.empty() for rule in rules])

    def __repr__(self) -> str:
        return f"<EmulatorApp of {self.emulator!r}>"


def create_app(emulator: "Emulator") -> EmulatorApp:
    """The WSGI app serving `emulator`; server mode and in-process mode both use it."""
    return EmulatorApp(emulator, shared_apps(emulator.registry))
