"""The control plane under `/_emulator/`: health, reset, state, clock, faults, journal, entities.

`/_emulator/entities/{org}/{tenant}/{set}[/{key}]` reads, adds, changes and removes the records
of any registered entity set with the API's validation, without a token (the harness's
`Emulator.entities(...)` over HTTP); `/_emulator/summary` is the world in counts.
"""

import hmac
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, request

from uipath_emulator.mock_server.control.clock_actions import apply_clock_action, clock_document
from uipath_emulator.mock_server.control.errors import ControlError
from uipath_emulator.mock_server.control.faults import FaultSpecError, fault_from_spec
from uipath_emulator.mock_server.control.hosts import hostname, is_loopback_name
from uipath_emulator.mock_server.control.summary import world_summary
from uipath_emulator.mock_server.jsonio import JSONBodyError, parse_json_body
from uipath_emulator.mock_server.orchestrator.errors import ApiError
from uipath_emulator.mock_server.persistence import PersistenceError
from uipath_emulator.mock_server.web.context import current_emulator
from uipath_emulator.mock_server.web.middleware import BOUND_HOST, IN_PROCESS
from uipath_emulator.mock_server.web.responses import json_response
from uipath_emulator.mock_server.world import WorldError

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
MAX_PAGE = 500
"""Records one `GET /_emulator/entities/...` answers at most."""


def control_error_response(error: ControlError) -> Response:
    """The control plane's error answer."""
    return json_response({"message": error.message}, error.status)


def _wants_html() -> bool:
    """Whether the client (a browser) prefers an HTML page to JSON."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def _host_is_trusted(environ: dict[str, Any], host: str) -> bool:
    """A request that crossed a network must name this machine, or the address bound to.

    Without this, DNS rebinding lets a web page the developer opens reach the control plane
    under its own name (`Host: evil.example`), as Jupyter and webpack-dev-server guard against.
    """
    if environ.get(IN_PROCESS):
        return True
    name = hostname(host)
    bound = environ.get(BOUND_HOST)
    return is_loopback_name(name) or (bound is not None and name == hostname(bound))


def _json_body() -> Any:
    try:
        return parse_json_body(request.get_data(cache=False))
    except JSONBodyError as error:
        raise ControlError(str(error)) from None


def count_argument(name: str, default: int, limit: int) -> int:
    """The query argument `name` as a count (`default` when absent), at most `limit`."""
    text = request.args.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise ControlError(f"{name}: must be a non-negative integer")
    return min(int(text), limit)


def _integer_key(text: str) -> int:
    if not text.lstrip("-").isdigit() or len(text) > 20:
        raise ControlError(f"the key {text!r} is not an integer")
    return int(text)


def control_blueprint() -> Blueprint:
    """The control plane routes; off, or behind a bearer token, as the emulator is configured."""
    blueprint = Blueprint("control", __name__, url_prefix="/_emulator")

    @blueprint.before_request
    def guard() -> Response | None:
        emulator = current_emulator()
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
                f"bound address in Host; got '{hostname(request.host)}'. Start uipath-mock "
                "with --control-token to reach the control plane under other names.",
                403,
            )
        origin = request.headers.get("Origin")
        if (
            request.method not in _SAFE_METHODS
            and origin
            and urlsplit(origin).netloc != request.host
        ):
            # A browser names the page that sent a cross-site request: without this, any web
            # page the developer opens could reset the emulator or change its clock and faults.
            raise ControlError(f"Cross-site control requests are refused (Origin {origin}).", 403)
        return None

    @blueprint.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return control_error_response(ControlError(error.message, error.status))

    @blueprint.errorhandler(PersistenceError)
    def unsaved(error: PersistenceError) -> Response:
        return control_error_response(
            ControlError(f"The change could not be saved, nothing changed: {error}", 503)
        )

    @blueprint.get("/health")
    def health() -> Response:
        emulator = current_emulator()
        persistence = emulator.persistence_status()
        if persistence is None:
            return json_response({"status": "ok"})
        status = "ok" if persistence["state"] == "ok" else "degraded"
        return json_response({"status": status, "persistence": persistence})

    @blueprint.get("/summary")
    def summary() -> Response:
        emulator = current_emulator()
        return json_response(
            {
                "organizations": world_summary(emulator.world),
                "entity_sets": [entity_set.name for entity_set in emulator.registry],
                "clock": clock_document(emulator.clock),
                "faults": len(emulator.faults),
                "requests": len(emulator.requests),
            }
        )

    @blueprint.post("/reset")
    def reset() -> Response:
        emulator = current_emulator()
        emulator.reset()
        return json_response({"status": "reset"})

    @blueprint.get("/state")
    def get_state() -> Response:
        emulator = current_emulator()
        return json_response(emulator.state())

    @blueprint.put("/state")
    def put_state() -> Response:
        emulator = current_emulator()
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
        emulator = current_emulator()
        return json_response(clock_document(emulator.clock))

    @blueprint.post("/clock")
    def post_clock() -> Response:
        emulator = current_emulator()
        apply_clock_action(emulator.clock, _json_body())
        return json_response(clock_document(emulator.clock))

    @blueprint.get("/faults")
    def get_faults() -> Response:
        emulator = current_emulator()
        return json_response({"faults": emulator.faults.describe()})

    @blueprint.post("/faults")
    def post_faults() -> Response:
        emulator = current_emulator()
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
        emulator = current_emulator()
        emulator.faults.clear()
        return Response(status=204)

    @blueprint.get("/requests")
    def get_requests() -> Response:
        emulator = current_emulator()
        limit = None if "limit" not in request.args else count_argument("limit", 0, 10**9)
        entries = emulator.requests.entries(limit)
        return json_response({"requests": [entry.as_dict() for entry in entries]})

    @blueprint.delete("/requests")
    def delete_requests() -> Response:
        emulator = current_emulator()
        emulator.requests.clear()
        return Response(status=204)

    entities = "/entities/<organization>/<tenant>/<entity_set>"

    @blueprint.get(entities)
    def list_entities(organization: str, tenant: str, entity_set: str) -> Response:
        emulator = current_emulator()
        handle = emulator.entities(organization, tenant, entity_set)
        skip, top = count_argument("skip", 0, 10**9), count_argument("top", 100, MAX_PAGE)
        records = handle.list(skip, top)
        return json_response({"count": handle.count(), "skip": skip, "value": list(records)})

    @blueprint.post(entities)
    def add_entity(organization: str, tenant: str, entity_set: str) -> Response:
        emulator = current_emulator()
        fields = _json_body()
        if not isinstance(fields, dict):
            raise ControlError("the body must be a JSON object of the record's members")
        record = emulator.entities(organization, tenant, entity_set).add(fields)
        return json_response(record, 201)

    @blueprint.get(f"{entities}/<key>")
    def get_entity(organization: str, tenant: str, entity_set: str, key: str) -> Response:
        emulator = current_emulator()
        handle = emulator.entities(organization, tenant, entity_set)
        return json_response(handle.get(_integer_key(key)))

    @blueprint.patch(f"{entities}/<key>")
    def update_entity(organization: str, tenant: str, entity_set: str, key: str) -> Response:
        emulator = current_emulator()
        fields = _json_body()
        if not isinstance(fields, dict):
            raise ControlError("the body must be a JSON object of the members to change")
        handle = emulator.entities(organization, tenant, entity_set)
        return json_response(handle.update(_integer_key(key), fields))

    @blueprint.delete(f"{entities}/<key>")
    def remove_entity(organization: str, tenant: str, entity_set: str, key: str) -> Response:
        emulator = current_emulator()
        emulator.entities(organization, tenant, entity_set).remove(_integer_key(key))
        return Response(status=204)

    @blueprint.post("/jobs/<organization>/<tenant>/<job>/<change>")
    def change_job(organization: str, tenant: str, job: str, change: str) -> Response:
        fields = _json_body() if request.get_data(cache=True) else {}
        if not isinstance(fields, dict):
            raise ControlError("the body must be a JSON object (output, info)")
        jobs = current_emulator().jobs(organization, tenant)
        named: str | int = int(job) if job.isascii() and job.isdigit() and len(job) <= 19 else job
        return json_response(jobs.apply(named, change, fields))

    return blueprint
