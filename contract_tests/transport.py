"""The contract suite's HTTP session: it records what it sends and can refuse writes."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WriteBlockedError(RuntimeError):
    """A write to a target where writes are not allowed; nothing was sent."""


@dataclass(frozen=True)
class SentRequest:
    """One request the session sent (or refused to send)."""

    method: str
    url: str
    blocked: bool


class ContractSession(requests.Session):
    """A `requests.Session` that keeps a log of every request and, unless allowed, sends no writes.

    The only write ever allowed without `allow_writes` is the token request (a POST to
    `token_url`), which changes nothing on the service.
    """

    def __init__(
        self,
        *,
        token_url: str,
        allow_writes: bool,
        on_response: Callable[[requests.Response], None] | None = None,
    ) -> None:
        super().__init__()
        self.token_url = token_url
        self.allow_writes = allow_writes
        self.sent: list[SentRequest] = []
        if on_response is not None:
            self.hooks["response"].append(lambda response, **_: on_response(response))

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]  # requests types send loosely
        """Send, unless it is a write this session may not make."""
        method = (request.method or "GET").upper()
        url = request.url or ""
        is_token_request = method == "POST" and url.split("?")[0] == self.token_url
        blocked = method in WRITE_METHODS and not is_token_request and not self.allow_writes
        self.sent.append(SentRequest(method, url, blocked))
        if blocked:
            raise WriteBlockedError(
                f"refused to send {method} {url}: writes to this target need "
                "UIPATH_CONTRACT_ALLOW_WRITES=1"
            )
        return super().send(request, **kwargs)

    def writes(self) -> list[SentRequest]:
        """The writes this session actually sent (token requests excluded)."""
        return [
            sent
            for sent in self.sent
            if sent.method in WRITE_METHODS
            and not sent.blocked
            and sent.url.split("?")[0] != self.token_url
        ]
