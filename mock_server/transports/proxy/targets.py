"""Which requests the proxy serves: the emulated cloud hosts, on their standard ports only.

Everything else is refused with a one-line reason; nothing is ever forwarded or tunnelled to
another host, so the proxy cannot reach the internet whatever a client asks.
"""

from http import HTTPStatus
from urllib.parse import urlsplit

from uipath_emulator.mock_server.tls.hosts import (
    EMULATED_HOSTS,
    HTTP_PORT,
    HTTPS_PORT,
    emulated_host,
)

_EMULATED = ", ".join(EMULATED_HOSTS)


class RefusedError(Exception):
    """A request the proxy does not serve: answer `status` with `text`, then close."""

    def __init__(self, status: HTTPStatus, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def _not_emulated(what: str) -> RefusedError:
    return RefusedError(
        HTTPStatus.FORBIDDEN,
        f"uipath-mock proxy refused {what}: it serves only {_EMULATED} (HTTPS on port "
        f"{HTTPS_PORT}) from the emulator and never forwards elsewhere; "
        "add this host to NO_PROXY to reach it directly",
    )


def _ascii(target: bytes) -> str:
    try:
        return target.decode("ascii")
    except UnicodeDecodeError:
        raise RefusedError(HTTPStatus.BAD_REQUEST, "the request target is not ASCII") from None


_VERSIONS = (b"1.0", b"1.1")


def check_version(http_version: bytes) -> None:
    """`RefusedError` (505) for an HTTP version other than 1.0 and 1.1."""
    if http_version not in _VERSIONS:
        raise RefusedError(
            HTTPStatus.HTTP_VERSION_NOT_SUPPORTED,
            f"HTTP/{http_version.decode('ascii', 'replace')} is not served; use HTTP/1.1",
        )


def tunnel_host(target: bytes) -> str:
    """The emulated host a `CONNECT host:port` names; `RefusedError` for any other target."""
    text = _ascii(target)
    host, colon, port = text.rpartition(":")
    if not colon or not host or not (port.isascii() and port.isdigit()) or len(port) > 5:
        raise RefusedError(
            HTTPStatus.BAD_REQUEST,
            f"CONNECT needs host:port, e.g. cloud.uipath.com:443, not {text!r}",
        )
    name = emulated_host(host)
    if name is None or int(port) != HTTPS_PORT:
        raise _not_emulated(f"CONNECT {text}")
    return name


def plain_target(target: bytes) -> tuple[str, str]:
    """(emulated host, path and query) of an absolute `http://` request target.

    `RefusedError` for an origin-form target (a client that took the proxy for the emulator),
    `https://` without `CONNECT`, and any host or port not emulated.
    """
    text = _ascii(target)
    if text.startswith("/"):
        raise RefusedError(
            HTTPStatus.BAD_REQUEST,
            "this is uipath-mock's HTTPS proxy, not the emulator: set HTTPS_PROXY to its URL, "
            "or send requests to the emulator's own port",
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise RefusedError(HTTPStatus.BAD_REQUEST, f"invalid request target {text!r}") from None
    if parts.scheme.lower() != "http" or not parts.hostname:
        raise RefusedError(
            HTTPStatus.BAD_REQUEST,
            f"the proxy takes CONNECT host:443 or an absolute http:// URL, not {text!r}",
        )
    name = emulated_host(parts.hostname)
    if name is None or (port or HTTP_PORT) != HTTP_PORT:
        raise _not_emulated(f"http://{parts.netloc}")
    path = parts.path or "/"
    return name, f"{path}?{parts.query}" if parts.query else path


def tunnelled_path(target: bytes, host: str) -> str:
    """The path and query of a request inside a tunnel to `host` (origin or absolute form)."""
    text = _ascii(target)
    if text.startswith("/"):
        return text
    invalid = RefusedError(HTTPStatus.BAD_REQUEST, f"invalid request target {text!r}")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise invalid from None
    if parts.scheme.lower() != "https" or emulated_host(parts.hostname or "") != host:
        raise invalid
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def host_header_matches(value: str, host: str) -> bool:
    """Whether a `Host` header names `host` (any case, any port)."""
    try:
        parts = urlsplit(f"//{value}")
        hostname, _ = parts.hostname, parts.port  # `.port` refuses a port that is no number
    except ValueError:
        return False
    return hostname is not None and emulated_host(hostname) == host
