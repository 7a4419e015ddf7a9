"""Response building shared by every service: compact JSON in the order given, W3C trace ids."""

import json
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Response


def dump_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON that keeps key order, as ASP.NET's serializers write it."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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


def new_trace_id() -> str:
    """A W3C traceparent-style id, `00-<32 hex>-<16 hex>-00`, as Orchestrator puts in errors."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"
