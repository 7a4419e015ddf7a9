"""Client configuration: what the constructor takes, and `from_env` for UiPath's variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from ._errors import ConfigurationError
from ._transport import RetryPolicy

DEFAULT_BASE_URL = "https://cloud.uipath.com"
DEFAULT_TIMEOUT = (10.0, 30.0)
DEFAULT_REFRESH_MARGIN = 60.0

ENV_URL = "UIPATH_URL"
ENV_CLIENT_ID = "UIPATH_CLIENT_ID"
ENV_CLIENT_SECRET = "UIPATH_CLIENT_SECRET"  # noqa: S105 (the variable's name, not a secret)
ENV_SCOPES = "UIPATH_SCOPES"


@dataclass(frozen=True, kw_only=True)
class ClientConfig:
    """Where the client connects and with which credentials; `client_secret` is kept out of repr.

    `scopes` empty means "every scope granted to the app". `timeout` is (connect, read) seconds.
    `refresh_margin` is how long before expiry a cached token is replaced.
    """

    base_url: str = DEFAULT_BASE_URL
    organization: str
    tenant: str
    client_id: str
    client_secret: str = field(repr=False)
    scopes: tuple[str, ...] = ()
    token_url: str | None = None
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    refresh_margin: float = DEFAULT_REFRESH_MARGIN
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def __post_init__(self) -> None:
        if urlsplit(self.base_url).scheme not in ("http", "https"):
            raise ConfigurationError(f"base_url must be an http(s) URL, got {self.base_url!r}")
        empty = [
            name
            for name in ("organization", "tenant", "client_id", "client_secret")
            if not getattr(self, name)
        ]
        if empty:
            raise ConfigurationError(f"these settings must not be empty: {', '.join(empty)}")
        if min(self.timeout) <= 0:
            raise ConfigurationError("timeouts must be positive")
        if self.refresh_margin < 0:
            raise ConfigurationError("refresh_margin must not be negative")

    @property
    def token_endpoint(self) -> str:
        """`token_url`, or by default `{base}/{organization}/identity_/connect/token`."""
        if self.token_url:
            return self.token_url
        organization = quote(self.organization, safe="")
        return f"{self.base_url.rstrip('/')}/{organization}/identity_/connect/token"

    @property
    def odata_url(self) -> str:
        """The Orchestrator OData root: `{base}/{organization}/{tenant}/orchestrator_/odata`."""
        organization, tenant = quote(self.organization, safe=""), quote(self.tenant, safe="")
        return f"{self.base_url.rstrip('/')}/{organization}/{tenant}/orchestrator_/odata"

    @property
    def api_url(self) -> str:
        """The Orchestrator Web API root: `{base}/{organization}/{tenant}/orchestrator_/api`."""
        return self.odata_url.removesuffix("/odata") + "/api"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ClientConfig:
        """Read UIPATH_URL, UIPATH_CLIENT_ID, UIPATH_CLIENT_SECRET and optional UIPATH_SCOPES.

        Raises one `ConfigurationError` naming every required variable that is missing or empty.
        """
        env = os.environ if environ is None else environ
        required = (ENV_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET)
        missing = tuple(name for name in required if not env.get(name, "").strip())
        if missing:
            raise ConfigurationError(
                f"missing environment variables: {', '.join(missing)}", missing=missing
            )
        base_url, organization, tenant = split_tenant_url(env[ENV_URL])
        return cls(
            base_url=base_url,
            organization=organization,
            tenant=tenant,
            client_id=env[ENV_CLIENT_ID].strip(),
            client_secret=env[ENV_CLIENT_SECRET].strip(),
            scopes=tuple(env.get(ENV_SCOPES, "").split()),
        )


_SERVICE_SEGMENTS = ("orchestrator_", "identity_", "odata", "api")


def split_tenant_url(url: str) -> tuple[str, str, str]:
    """Split `https://cloud.uipath.com/{org}/{tenant}` (trailing slash allowed) into its parts.

    Anything after the tenant is refused: `.../{org}/{tenant}/orchestrator_` would otherwise be
    read as organization `{tenant}` and tenant `orchestrator_`.
    """
    parts = urlsplit(url.strip())
    segments = [segment for segment in parts.path.split("/") if segment]
    expected = f"{ENV_URL} must look like https://cloud.uipath.com/{{organization}}/{{tenant}}"
    if parts.scheme not in ("http", "https") or not parts.netloc or len(segments) < 2:
        raise ConfigurationError(f"{expected}, got {url!r}")
    if len(segments) > 2:
        extra = "/".join(segments[2:])
        hint = ""
        if segments[2] in _SERVICE_SEGMENTS:
            hint = f"; the client adds '/{segments[2]}' itself"
        raise ConfigurationError(
            f"{expected} with nothing after the tenant, got {url!r} (remove '/{extra}'{hint})"
        )
    base_url = f"{parts.scheme}://{parts.netloc}"
    return base_url, unquote(segments[0]), unquote(segments[1])
