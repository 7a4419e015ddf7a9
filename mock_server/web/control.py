"""The control plane under `/_emulator/`: health, reset, state, clock, faults, request journal."""

import hmac
import ipaddress
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, request

from uipath_emulator.mock_server.control.faults import FaultSpecError, fault_from_spec
from uipath_emulator.mock_server.jsonio import JSONBodyError, parse_json_body
from uipath_emulator.mock_server.web.middleware import BOUND_HOST, IN_PROCESS
from uipath_emulator.mock_server.web.responses import json_response
from uipath_emulator.mock_server.world import WorldError

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_OPEN_ENDPOINTS = frozenset({"control.dashboard.favicon"})
"""Served whatever the access rules: nothing in them depends on the emulator's state."""
_HOW_TO_OPEN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>uipath-cloud-emulator: token needed</title>
</head><body style="font: 15px/1.5 system-ui, sans-serif; margin: 2em">
<h1 style="font-size: 20px">This dashboard needs the control token</h1>
<p>This emulator was started with <code>--control-token TOKEN</code>. Open the dashboard once as
<code>/_emulator/?token=TOKEN</code> (the page keeps the token in memory and drops it from the
address bar); programs send <code>Authorization: Bearer TOKEN</code>.</p>
</body></html>
"""
_CLOCK_ACTIONS = ("advance_seconds", "freeze", "unfreeze", "set", "reset")


class ControlError(Exception):
    """A control request that cannot be carried out: `{"message": ...}` with this status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def control_error_response(error: ControlError) -> Response:
    """The control plane's error answer."""
    return json_response({"message": error.message}, error.status)


def _wants_html() -> bool:
    """Whether the client (a browser) prefers an HTML page to JSON."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def _host_of(origin: str) -> str:
    return urlsplit(origin).netloc


def _hostname(host: str) -> str:
    """The name or address in a `Host` value, without port and brackets, lowercase."""
    try:
        return (urlsplit(f"//{host}").hostname or "").rstrip(".")
    except ValueError:
        return ""


def is_loopback_name(hostname: str) -> bool:
    """Whether `hostname` can only mean this machine: `localhost`, `*.localhost`, 127/8, ::1."""
    if hostname == "localhost" or hostname.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _host_is_trusted(environ: dict[str, Any], host: str) -> bool:
    """A request that crossed a network must name this machine, or the address bound to.

    Without this, DNS rebinding lets a web page the developer opens reach the control plane
    under its own name (`Host: evil.example`), as Jupyter and webpack-dev-server guard against.
    """
    if environ.get(IN_PROCESS):
        return True
    hostname = _hostname(host)
    bound = environ.get(BOUND_HOST)
    return is_loopback_name(hostname) or (bound is not None and hostname == _hostname(bound))


def _json_body() -> Any:
    try:
        return parse_json_body(request.get_data(cache=False))
    except JSONBodyError as error:
        raise ControlError(str(error)) from None


def clock_document(emulator: "Emulator") -> dict[str, Any]:
    """The clock as the control plane shows it."""
    return {
        "now": emulator.clock.now_datetime().isoformat(),
        "timestamp": emulator.clock.now(),
        "frozen": emulator.clock.frozen,
    }


def apply_clock_action(emulator: "Emulator", action: Any) -> None:
    """Carry out one `POST /_emulator/clock` body; raises `ControlError` naming what is wrong."""
    if not isinstance(action, dict) or len(action) != 1 or next(iter(action)) not in _CLOCK_ACTIONS:
        raise ControlError(f"the body must be an object with exactly one of {list(_CLOCK_ACTIONS)}")
    ((name, value),) = action.items()
    clock = emulator.clock
    if name == "advance_seconds":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ControlError("advance_seconds: must be a number of seconds")
        try:
            clock.advance(value)
        except ValueError as error:
            raise ControlError(f"advance_seconds: out of the clock's range: {error}") from None
    elif name == "set":
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ControlError(f"set: {value!r} is not an RFC 3339 date-time") from None
        if moment.tzinfo is None:
            raise ControlError("set: the date-time needs a time zone offset, e.g. Z")
        try:
            clock.set(moment.timestamp())
        except (ValueError, OverflowError) as error:
            raise ControlError(f"set: {value!r} is out of range: {error}") from None
    elif value is not True:
        raise ControlError(f"{name}: must be true")
    elif name == "freeze":
        clock.freeze()
    elif name == "unfreeze":
        clock.unfreeze()
    else:
        clock.reset()


def control_blueprint(emulator: "Emulator") -> Blueprint:
    """The control plane routes; off, or behind a bearer token, as the emulator is configured."""
    blueprint = Blueprint("control", __name__, url_prefix="/_emulator")

    @blueprint.before_request
    def guard() -> Response | None:
        if not emulator.control_enabled:
            raise ControlError("The control plane is turned off.", 404)
        if request.endpoint in _OPEN_ENDPOINTS:
            return None
        expected = emulator.control_token
        if expected is not None:
            sent = request.headers.get("Authorization", "")
            if not hmac.compare_digest(sent.encode(), f"Bearer {expected}".encode()):
                if _wants_html():
                    return Response(_HOW_TO_OPEN_PAGE, 401, content_type="text/html; charset=utf-8")
                raise ControlError("The control plane needs 'Authorization: Bearer <token>'.", 401)
        elif not _host_is_trusted(request.environ, request.host):
            raise ControlError(
                f"Control requests must name this machine (localhost, 127.0.0.1, [::1]) or the "
                f"bound address in Host; got '{_hostname(request.host)}'. Start uipath-mock "
                "with --control-token to reach the control plane under other names.",
                403,
            )
        origin = request.headers.get("Origin")
        if request.method not in _SAFE_METHODS and origin and _host_of(origin) != request.host:
            # A browser names the page that sent a cross-site request: without this, any web
            # page the developer opens could reset the emulator or change its clock and faults.
            raise ControlError(f"Cross-site control requests are refused (Origin {origin}).", 403)
        return None

    @blueprint.get("/health")
    def health() -> Response:
        return json_response({"status": "ok"})

    @blueprint.post("/reset")
    def reset() -> Response:
        emulator.reset()
        return json_response({"status": "reset"})

    @blueprint.get("/state")
    def get_state() -> Response:
        return json_response(emulator.state())

    @blueprint.put("/state")
    def put_state() -> Response:
        document = _json_body()
        if not isinstance(document, dict):
            raise ControlError("the body must be a world document (a JSON object)")
        try:
            emulator.load(document)
        except WorldError as error:
            raise ControlError(f"world rejected, nothing changed: {error}") from None
        return json_response({"status": "loaded"})

    @blueprint.get("/clock")
    def get_clock() -> Response:
        return json_response(clock_document(emulator))

    @blueprint.post("/clock")
    def post_clock() -> Response:
        apply_clock_action(emulator, _json_body())
        return json_response(clock_document(emulator))

    @blueprint.get("/faults")
    def get_faults() -> Response:
        return json_response({"faults": emulator.faults.describe()})

    @blueprint.post("/faults")
    def post_faults() -> Response:
        body = _json_body()
        specs = body if isinstance(body, list) else [body]
        try:
            faults = [fault_from_spec(spec) for spec in specs]
            emulator.faults.add_all(faults)
        except FaultSpecError as error:
            raise ControlError(f"fault rejected: {error}") from None
        return json_response({"faults": [fault.describe() for fault in faults]}, 201)

    @blueprint.delete("/faults")
    def delete_faults() -> Response:
        emulator.faults.clear()
        return Response(status=204)

    @blueprint.get("/requests")
    def get_requests() -> Response:
        limit_text = request.args.get("limit")
        limit = None
        if limit_text is not None:
            if not (limit_text.isascii() and limit_text.isdigit()) or len(limit_text) > 9:
                raise ControlError("limit: must be a non-negative integer")
            limit = int(limit_text)
        entries = emulator.requests.entries(limit)
        return json_response({"requests": [entry.as_dict() for entry in entries]})

    @blueprint.delete("/requests")
    def delete_requests() -> Response:
        emulator.requests.clear()
        return Response(status=204)

    return blueprint
