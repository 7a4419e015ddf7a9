"""Exceptions raised by the client.

Every exception is a `UiPathError`, so one `except UiPathError` catches them all:

UiPathError                     status / error_code / message / trace_id (None when not known)
 ├── ConfigurationError         the client cannot be built (e.g. missing environment variables)
 ├── TransportError             no HTTP answer: connection failed or timed out (after retries)
 ├── UnexpectedResponseError    a success status whose body is not what the protocol promises
 ├── AuthenticationError        the token endpoint refused the credentials (`error` = OAuth code)
 ├── JobTimeoutError            `jobs.wait` gave up: the job was not final within the timeout
 └── APIError                   Orchestrator answered with an error status
      ├── BadRequestError       400
      ├── UnauthorizedError     401 (after one token refresh and one retry)
      ├── ForbiddenError        403
      ├── NotFoundError         404
      ├── ConflictError         409
      ├── RateLimitedError      429 (after the retries ran out)
      └── ServerError           5xx (after the retries ran out, for 502/503/504)

Exceptions carry no request or response object: those hold the client secret (token request
body) or the bearer token (Authorization header), and exception text must never show either.
"""

from __future__ import annotations

import re
from typing import Any

import requests

_MAX_MESSAGE_CHARS = 300
_ERROR_DESCRIPTION = re.compile(r'error_description="([^"]*)"')


class UiPathError(Exception):
    """Base of every error the client raises."""

    status: int | None = None
    error_code: int | None = None
    message: str | None = None
    trace_id: str | None = None


class ConfigurationError(UiPathError):
    """The client cannot be configured from what it was given."""

    def __init__(self, message: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing


class TransportError(UiPathError):
    """The request got no HTTP response: the connection failed or timed out."""

    def __init__(self, message: str, *, method: str, url: str, attempts: int) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.attempts = attempts


class UnexpectedResponseError(UiPathError):
    """A success status came with a body the protocol does not allow (e.g. not JSON)."""

    def __init__(self, message: str, *, status: int, method: str, url: str) -> None:
        super().__init__(f"{message} (HTTP {status} {method} {url})")
        self.message = message
        self.status = status
        self.method = method
        self.url = url


class AuthenticationError(UiPathError):
    """The token endpoint refused the request; `error` is the OAuth error code."""

    def __init__(self, *, status: int, error: str | None, error_description: str | None) -> None:
        text = f"{error or 'token request failed'} (token request rejected with HTTP {status})"
        if error_description:
            text = f"{text}: {error_description}"
        super().__init__(text)
        self.status = status
        self.error = error
        self.error_description = error_description
        self.message = error_description or error


class JobTimeoutError(UiPathError):
    """`jobs.wait` gave up: the job had not ended in time; `job` is the job as last read."""

    def __init__(self, job: dict[str, Any], *, timeout: float, waited: float) -> None:
        key, state = job.get("Key"), job.get("State")
        message = f"job {key} is still {state} after waiting {waited:g} s (timeout {timeout:g} s)"
        super().__init__(message)
        self.message = message
        self.job = job
        self.key = key
        self.state = state
        self.timeout = timeout
        self.waited = waited


class APIError(UiPathError):
    """Orchestrator answered with an error status; the body's fields are attributes."""

    def __init__(
        self,
        *,
        status: int,
        method: str,
        url: str,
        message: str | None,
        error_code: int | None = None,
        trace_id: str | None = None,
        retry_after: float | None = None,
        www_authenticate: str | None = None,
    ) -> None:
        details = [f"errorCode {error_code}"] if error_code is not None else []
        details += [f"traceId {trace_id}"] if trace_id else []
        text = f"HTTP {status} {method} {url}: {message or 'no error message'}"
        if details:
            text = f"{text} ({', '.join(details)})"
        super().__init__(text)
        self.status = status
        self.method = method
        self.url = url
        self.message = message
        self.error_code = error_code
        self.trace_id = trace_id
        self.retry_after = retry_after
        self.www_authenticate = www_authenticate


class BadRequestError(APIError):
    """HTTP 400: the request is invalid (bad OData options, invalid machine fields...)."""


class UnauthorizedError(APIError):
    """HTTP 401 even with a freshly issued token."""


class ForbiddenError(APIError):
    """HTTP 403: the token lacks the scope or the app lacks the permission."""


class NotFoundError(APIError):
    """HTTP 404: no such machine (or no such path)."""


class ConflictError(APIError):
    """HTTP 409: the change conflicts with existing data (e.g. a machine name in use)."""


class RateLimitedError(APIError):
    """HTTP 429 after the retries ran out; `retry_after` is the server's hint in seconds."""


class ServerError(APIError):
    """HTTP 5xx from the service."""


_ERROR_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitedError,
}


def json_body(response: requests.Response) -> Any:
    """The response body parsed as JSON, or None when it is empty or not JSON."""
    if not response.content:
        return None
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


def _one_line(text: str) -> str:
    collapsed = " ".join(text.split())
    if len(collapsed) > _MAX_MESSAGE_CHARS:
        return collapsed[: _MAX_MESSAGE_CHARS - 3] + "..."
    return collapsed


def _field(body: object, camel: str) -> Any:
    """`camel` or its PascalCase twin from a JSON object (Orchestrator has used both)."""
    if not isinstance(body, dict):
        return None
    if camel in body:
        return body[camel]
    return body.get(camel[0].upper() + camel[1:])


def parse_retry_after(response: requests.Response) -> float | None:
    """The `Retry-After` header in seconds when it is a number; None otherwise (or a date)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(seconds, 0.0)


def api_error_from_response(response: requests.Response, *, method: str, url: str) -> APIError:
    """The typed error for an Orchestrator error response, whatever shape its body has."""
    status = response.status_code
    body = json_body(response)
    message = _field(body, "message")
    if isinstance(message, str) and message.strip():
        message = _one_line(message)
    elif body is None and response.text.strip():
        message = _one_line(response.text)
    else:
        challenge = _ERROR_DESCRIPTION.search(response.headers.get("WWW-Authenticate", ""))
        message = _one_line(challenge.group(1)) if challenge else (response.reason or None)
    error_code = _field(body, "errorCode")
    trace_id = _field(body, "traceId")
    if status >= 500:
        error_class: type[APIError] = ServerError
    else:
        error_class = _ERROR_BY_STATUS.get(status, APIError)
    return error_class(
        status=status,
        method=method,
        url=url,
        message=message,
        error_code=error_code if isinstance(error_code, int) else None,
        trace_id=trace_id if isinstance(trace_id, str) else None,
        retry_after=parse_retry_after(response),
        www_authenticate=response.headers.get("WWW-Authenticate"),
    )
