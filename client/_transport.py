"""HTTP transport: one `requests.Session`, timeouts on every request, and the retry policy.

Retries happen in this module's own loop (not in a urllib3 `Retry` on a mounted adapter) so the
policy is plain Python that tests drive with an injected sleep, and so `responses`-based
in-process emulation, which patches `HTTPAdapter.send`, sees every attempt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from ._errors import TransportError, parse_retry_after
from ._version import __version__

logger = logging.getLogger(__name__)

USER_AGENT = f"uipath-cloud-emulator-client/{__version__} python-requests/{requests.__version__}"

# Failures after which the request cannot have been processed, or may safely be processed twice.
_RETRYABLE_EXCEPTIONS = (requests.ConnectionError, requests.Timeout)


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """When and how long to wait before sending a request again.

    A request is retried only when the caller marks it idempotent, and then only after a
    connection error, a timeout, or one of `retry_statuses`. The wait before retry `n` (1-based)
    is the server's numeric `Retry-After`, capped at `retry_after_cap`, or else full-jitter
    exponential backoff: a random fraction of `min(backoff_cap, backoff_base * 2 ** (n - 1))`.
    """

    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 10.0
    retry_after_cap: float = 60.0
    retry_statuses: frozenset[int] = frozenset({429, 502, 503, 504})

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1")
        if min(self.backoff_base, self.backoff_cap, self.retry_after_cap) < 0:
            raise ValueError("RetryPolicy waits must not be negative")

    def backoff(self, retry_number: int, fraction: float) -> float:
        """Seconds to wait before retry `retry_number` when the server gave no `Retry-After`."""
        return fraction * min(self.backoff_cap, self.backoff_base * 2.0 ** (retry_number - 1))

    def delay_after(
        self, response: requests.Response | None, retry_number: int, fraction: float
    ) -> float:
        """Seconds to wait before retry `retry_number`, honouring a numeric `Retry-After`."""
        retry_after = parse_retry_after(response) if response is not None else None
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        return self.backoff(retry_number, fraction)


class Transport:
    """Sends requests with timeouts, a `User-Agent`, and retries for idempotent requests."""

    def __init__(
        self,
        session: requests.Session,
        *,
        timeout: tuple[float, float],
        retry: RetryPolicy,
        sleep: Callable[[float], None],
        jitter: Callable[[], float],
    ) -> None:
        self._session = session
        self._timeout = timeout
        self._retry = retry
        self._sleep = sleep
        self._jitter = jitter

    def send(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        data: Mapping[str, str] | bytes | None = None,
        shown_url: str | None = None,
    ) -> requests.Response:
        """Send one request, retrying when allowed; return the last response, whatever its status.

        `shown_url` is what logs and errors say instead of `url` (a pre-signed URI's signature
        is a credential). Raises `TransportError` when no attempt got a response.
        """
        shown = shown_url or url
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        max_attempts = self._retry.max_attempts if idempotent else 1
        for attempt in range(1, max_attempts + 1):
            is_last = attempt == max_attempts
            response = self._attempt(
                method,
                url,
                attempt=attempt,
                is_last=is_last,
                headers=all_headers,
                json=json,
                data=data,
                shown_url=shown,
            )
            if response is not None:
                logger.debug(
                    "%s %s -> %d (attempt %d)",
                    method,
                    shown_url or response.url,
                    response.status_code,
                    attempt,
                )
                if is_last or response.status_code not in self._retry.retry_statuses:
                    return response
                response.close()
            delay = self._retry.delay_after(response, attempt, self._jitter())
            logger.info(
                "retrying %s %s in %.2f s (attempt %d of %d got %s)",
                method,
                shown,
                delay,
                attempt,
                max_attempts,
                "no response" if response is None else f"HTTP {response.status_code}",
            )
            self._sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover

    def _attempt(
        self,
        method: str,
        url: str,
        *,
        attempt: int,
        is_last: bool,
        headers: Mapping[str, str],
        json: Any,
        data: Mapping[str, str] | bytes | None,
        shown_url: str,
    ) -> requests.Response | None:
        """One send: the response, or None after a retryable failure that is not the last try."""
        secret = urlsplit(url).query if shown_url != url else ""
        try:
            return self._session.request(
                method, url, headers=headers, json=json, data=data, timeout=self._timeout
            )
        except requests.exceptions.SSLError as exc:
            # A TLS failure does not go away by retrying: most often https:// was used
            # for a plain-HTTP server (such as a local emulator).
            reason = _reason(exc, secret)
            raise TransportError(
                f"{method} {shown_url}: TLS handshake failed ({reason}); if the server speaks "
                "plain HTTP (uipath-mock does), use an http:// URL",
                method=method,
                url=shown_url,
                attempts=attempt,
            ) from (None if secret else exc)  # the cause's text would show the signature
        except _RETRYABLE_EXCEPTIONS as exc:
            logger.debug(
                "%s %s failed on attempt %d: %s",
                method,
                shown_url,
                attempt,
                _scrubbed(repr(exc), secret),
            )
            if not is_last:
                return None
            reason = _reason(exc, secret)
            raise TransportError(
                f"{method} {shown_url}: {reason} (after {attempt} attempt(s))",
                method=method,
                url=shown_url,
                attempts=attempt,
            ) from (None if secret else exc)  # the cause's text would show the signature
        except requests.RequestException as exc:
            reason = _reason(exc, secret)
            raise TransportError(
                f"{method} {shown_url} failed: {reason}",
                method=method,
                url=shown_url,
                attempts=attempt,
            ) from (None if secret else exc)  # the cause's text would show the signature


def _scrubbed(text: str, secret: str) -> str:
    """`text` with a pre-signed URI's query (its signature) taken out."""
    return text.replace(secret, "<redacted>") if secret else text


def _reason(exc: BaseException, secret: str = "") -> str:
    """What went wrong, in a few words: the innermost cause that says it plainly (a
    pre-signed URI's query taken out)."""
    causes: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(causes) < 10:
        causes.append(current)
        reason = getattr(current, "reason", None)  # urllib3 wraps its cause there
        if not isinstance(reason, BaseException):
            reason = None
        current = reason or current.__cause__ or current.__context__
        if current in causes:
            break
    for cause in causes:
        if isinstance(cause, ConnectionRefusedError):
            return "cannot connect: connection refused (is the server running on that port?)"
        if isinstance(cause, requests.exceptions.Timeout | TimeoutError):
            return "timed out"
        if type(cause).__name__ == "NameResolutionError":
            return "cannot resolve the host name"
        if isinstance(cause, ConnectionResetError):
            return "the connection was reset"
        if type(cause).__name__ == "SSLError" and cause.args and isinstance(cause.args[-1], str):
            return cause.args[-1]
    return f"{type(exc).__name__}: {_scrubbed(str(exc), secret)[:200]}"
