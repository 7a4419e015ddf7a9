"""`UiPathClient`: configuration, token provider, transport and resources wired together."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, Self

import requests

from ._assets import Assets
from ._auth import Token, TokenProvider
from ._buckets import Buckets
from ._config import DEFAULT_BASE_URL, DEFAULT_REFRESH_MARGIN, DEFAULT_TIMEOUT, ClientConfig
from ._errors import api_error_from_response
from ._folders import Folders
from ._jobs import Jobs
from ._machines import Machines
from ._processes import Processes
from ._queues import Queues
from ._transport import RetryPolicy, Transport

logger = logging.getLogger(__name__)


def _timeout_pair(timeout: float | tuple[float, float] | list[float]) -> tuple[float, float]:
    """(connect, read) seconds from one number or a pair given as a tuple or a list."""
    if isinstance(timeout, tuple | list):
        connect, read = timeout
        return float(connect), float(read)
    return float(timeout), float(timeout)


class UiPathClient:
    """A client for one Orchestrator tenant, authenticated as a confidential external app.

    `scopes` may be a space-separated string or a sequence; empty asks for every scope granted
    to the app. `timeout` is seconds for connect and read alike, or a (connect, read) pair.
    `clock`, `sleep` and `jitter` (a source of fractions in [0, 1) for backoff) are injectable
    so tests can move time and never wait (`jobs.wait` polls with the same `clock` and
    `sleep`). A `session` passed in is used but not closed.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        organization: str,
        tenant: str,
        client_id: str,
        client_secret: str,
        scopes: str | Iterable[str] = (),
        token_url: str | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._config = ClientConfig(
            base_url=base_url,
            organization=organization,
            tenant=tenant,
            client_id=client_id,
            client_secret=client_secret,
            scopes=tuple(scopes.split()) if isinstance(scopes, str) else tuple(scopes),
            token_url=token_url,
            timeout=_timeout_pair(timeout),
            refresh_margin=refresh_margin,
            retry=retry or RetryPolicy(),
        )
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._transport = Transport(
            self._session,
            timeout=self._config.timeout,
            retry=self._config.retry,
            sleep=sleep,
            jitter=jitter,
        )
        self._tokens = TokenProvider(self._config, self._transport, clock=clock)
        self.machines = Machines(self._send, self._config.odata_url)
        self.folders = Folders(self._send, self._config.odata_url, self._config.api_url)
        self.assets = Assets(self._send, self._config.odata_url)
        self.queues = Queues(self._send, self._config.odata_url)
        self.processes = Processes(self._send, self._config.odata_url)
        self.jobs = Jobs(self._send, self._config.odata_url, clock=clock, sleep=sleep)
        self.buckets = Buckets(self._send, self._transport.send, self._config.odata_url)

    @classmethod
    def from_config(
        cls,
        config: ClientConfig,
        *,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> Self:
        """A client for `config`."""
        return cls(
            config.base_url,
            organization=config.organization,
            tenant=config.tenant,
            client_id=config.client_id,
            client_secret=config.client_secret,
            scopes=config.scopes,
            token_url=config.token_url,
            timeout=config.timeout,
            refresh_margin=config.refresh_margin,
            retry=config.retry,
            session=session,
            clock=clock,
            sleep=sleep,
            jitter=jitter,
        )

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> Self:
        """A client configured from `UIPATH_URL`, `UIPATH_CLIENT_ID`, `UIPATH_CLIENT_SECRET`
        and optional `UIPATH_SCOPES` (from `os.environ` unless `environ` is given).
        """
        config = ClientConfig.from_env(environ)
        return cls.from_config(config, session=session, clock=clock, sleep=sleep, jitter=jitter)

    @property
    def config(self) -> ClientConfig:
        """The settings this client was built with."""
        return self._config

    def token(self) -> Token:
        """The current access token, requesting one when the cache holds none that is fresh."""
        return self._tokens.get()

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        config = self._config
        return (
            f"UiPathClient(base_url={config.base_url!r}, organization={config.organization!r}, "
            f"tenant={config.tenant!r}, client_id={config.client_id!r})"
        )

    def _send(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        data: bytes | None = None,
    ) -> requests.Response:
        """Send with a bearer token (and `headers`, e.g. a folder's); on a 401, refresh the
        token once and send once more.

        The second send is safe for every method: a 401 means the request was not processed.
        """
        token = self._tokens.get()
        response = self._transport.send(
            method,
            url,
            idempotent=idempotent,
            headers={**(headers or {}), **_bearer(token)},
            json=json,
            data=data,
        )
        if response.status_code == 401:
            logger.info("%s %s -> 401; retrying once with a new token", method, url)
            response.close()
            self._tokens.invalidate(token)
            token = self._tokens.get()
            response = self._transport.send(
                method,
                url,
                idempotent=idempotent,
                headers={**(headers or {}), **_bearer(token)},
                json=json,
                data=data,
            )
        if response.status_code >= 400:
            raise api_error_from_response(response, method=method, url=response.url or url)
        return response


def _bearer(token: Token) -> dict[str, str]:
    return {"Authorization": f"Bearer {token.access_token}"}
