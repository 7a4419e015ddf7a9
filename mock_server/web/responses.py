"""Response building shared by every service's routes: JSON answers, base URL, trace ids."""

import secrets
from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Request, Response

from uipath_emulator.mock_server.jsonio import dump_json


def json_response(
    payload: Any,
    status: int = 200,
    *,
    content_type: str = "application/json; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A response with `payload` serialised by `dump_json`."""
    response = Response(dump_json(payload), status=status, content_type=content_type)
    if headers:
        response.headers.update(headers)
    return response


def base_url(environ: dict[str, Any]) -> str:
    """`scheme://host[:port]` the client used to reach the emulator, for URLs in answers.

    Built from the WSGI environ: werkzeug's `request.host_url` converts to an IRI on every
    call, which costs more than the rest of a small request.
    """
    host = environ.get("HTTP_HOST")
    if not host:
        return Request(environ).host_url.rstrip("/")
    return f"{environ['wsgi.url_scheme']}://{host}"


def new_trace_id() -> str:
    """A W3C traceparent-style id, `00-<32 hex>-<16 hex>-00`, as Orchestrator puts in errors."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"
