"""The one middleware layer both transports go through: injected faults and the request journal."""

import time
from collections.abc import Callable, Iterable
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from uipath_emulator.mock_server.control.faults import Fault
from uipath_emulator.mock_server.control.journal import (
    JournalEntry,
    redact_authorization,
    redact_query,
    truncated,
)
from uipath_emulator.mock_server.jsonio import dump_json
from uipath_emulator.mock_server.web.context import emulator_of

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator

DROP_CONNECTION = "uipath_emulator.drop_connection"
"""WSGI environ key of a callable, set by the transport, that drops the client's connection."""

BOUND_HOST = "uipath_emulator.bound_host"
"""WSGI environ key of the address a server transport listens on (absent in-process)."""

NOT_EMULATED = "uipath_emulator.not_emulated"
"""WSGI environ key the Orchestrator router sets for a request it does not emulate."""

BODY_TOO_LARGE = "uipath_emulator.body_too_large"
"""WSGI environ key set by the server transport for a body it refused to read (413)."""

IN_PROCESS = "uipath_emulator.in_process"
"""WSGI environ key set by the in-process transports: the request never crossed a network."""

CONTROL_PREFIX = "/_emulator"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class ConnectionDroppedError(Exception):
    """Raised through a transport that cannot drop connections (e.g. a plain test client)."""


_KESTREL_PHRASES = {
    413: "Payload Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Entity",
}
"""Where Python's phrases differ from Kestrel's (or change between Python versions)."""


@cache
def status_line(status: int) -> str:
    """`401 Unauthorized`, as ASP.NET writes it (werkzeug writes `401 UNAUTHORIZED`)."""
    if status in _KESTREL_PHRASES:
        return f"{status} {_KESTREL_PHRASES[status]}"
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Injected Fault"


class HarnessMiddleware:
    """Applies faults before the services see a request, and journals every answer.

    The control plane (`/_emulator/...`) is neither faulted nor journaled, so a dashboard
    polling it does not bury the requests a test made.
    """

    def __init__(self, app: WSGIApp) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return self._app(environ, start_response)
        method: str = environ.get("REQUEST_METHOD", "GET")
        started = time.perf_counter()
        answer: list[int] = []

        def recording_start_response(status: str, headers: list[Any], exc_info: Any = None) -> Any:
            code = int(status[:3])
            answer.append(code)
            return start_response(status_line(code), headers, exc_info)

        emulator = emulator_of(environ)
        fault = emulator.faults.take(method, path)
        try:
            if fault is not None:
                return self._apply(emulator, fault, environ, recording_start_response)
            return self._app(environ, recording_start_response)
        finally:
            status = answer[0] if answer else 0
            self._journal(emulator, environ, method, path, status, started, fault is not None)

    def _apply(
        self,
        emulator: "Emulator",
        fault: Fault,
        environ: dict[str, Any],
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        if fault.delay_ms:
            emulator.sleep(fault.delay_ms / 1000)
        if fault.drop:
            drop = environ.get(DROP_CONNECTION)
            if drop is None:
                raise ConnectionDroppedError("the emulator dropped the connection (injected fault)")
            drop()
            return []
        if fault.status is None:
            return self._app(environ, start_response)
        body = fault.body
        if body is None:
            payload = b""
        elif isinstance(body, str):
            payload = body.encode("utf-8")
        else:
            payload = dump_json(body)
        headers = {"Content-Length": str(len(payload))}
        if payload and not isinstance(body, str):
            headers["Content-Type"] = "application/json; charset=utf-8"
        headers.update(fault.headers)
        start_response(status_line(fault.status), list(headers.items()))
        return [payload]

    def _journal(
        self,
        emulator: "Emulator",
        environ: dict[str, Any],
        method: str,
        path: str,
        status: int,
        started: float,
        faulted: bool,
    ) -> None:
        emulator.requests.record(
            JournalEntry(
                timestamp=emulator.clock.now(),
                method=method,
                path=truncated(path),
                query_string=truncated(redact_query(environ.get("QUERY_STRING", ""))),
                authorization=redact_authorization(environ.get("HTTP_AUTHORIZATION")),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
                fault=faulted,
                not_emulated=environ.get(NOT_EMULATED),
            )
        )
