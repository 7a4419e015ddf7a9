"""One client connection to the proxy: its proxy requests, and the TLS tunnel it may open.

A connection starts in plain HTTP. A `CONNECT` to an emulated host is answered 200, TLS is
terminated here with a leaf of the local CA, and the decrypted HTTP/1.1 requests are answered
by the emulator's app with scheme `https` and the client's `Host`. An absolute `http://`
request for an emulated host is answered the same way with scheme `http`. Anything else gets
a one-line refusal and the connection is closed.
"""

import logging
import socket
import ssl
import struct
from collections.abc import Callable
from http import HTTPStatus

import h11

from uipath_emulator.mock_server.tls import CertificateAuthority
from uipath_emulator.mock_server.transports.proxy.bridge import (
    WSGIApp,
    answer_request,
    forwarded_headers,
)
from uipath_emulator.mock_server.transports.proxy.http11 import (
    BodyTooLargeError,
    HttpExchange,
    plain_answer,
)
from uipath_emulator.mock_server.transports.proxy.streams import SocketStream, TlsStream
from uipath_emulator.mock_server.transports.proxy.targets import (
    RefusedError,
    check_version,
    host_header_matches,
    plain_target,
    tunnel_host,
    tunnelled_path,
)
from uipath_emulator.mock_server.web.serving import MAX_BODY_BYTES

_log = logging.getLogger("uipath_emulator")

_UNTRUSTED_CA_ALERTS = ("UNKNOWN_CA", "BAD_CERTIFICATE", "CERTIFICATE_UNKNOWN")
"""TLS alerts a client sends when it does not trust the emulator's CA."""


class _DroppedError(ConnectionAbortedError):
    """Unwinds the request after an injected fault reset the connection."""


class ClientConnection:
    """Serves one accepted socket until the client leaves, the stream fails, or it idles out."""

    def __init__(
        self,
        sock: socket.socket,
        address: str,
        app: WSGIApp,
        authority: CertificateAuthority,
        refused: Callable[[str], None],
    ) -> None:
        self.socket = sock
        self.address = address
        self._app = app
        self._authority = authority
        self._refused = refused

    def serve(self) -> None:
        """Serve the connection, then close it; never raises."""
        try:
            self._serve_plain()
        except _DroppedError:
            pass
        except (OSError, ssl.SSLError, h11.ProtocolError) as error:
            _log.debug("uipath-mock proxy: connection from %s ended: %r", self.address, error)
        except Exception:  # a bug here must end one connection, never the proxy's thread quietly
            _log.exception("uipath-mock proxy: unexpected error serving %s", self.address)
        finally:
            self.socket.close()

    def _drop(self) -> None:
        """An injected `drop` fault: reset the TCP connection (the TLS session with it)."""
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raise _DroppedError("connection dropped by an injected fault")

    def _refuse(self, stream: SocketStream | TlsStream, error: RefusedError) -> None:
        stream.sendall(plain_answer(error.status, error.status.phrase, error.text))

    def _serve_plain(self) -> None:
        stream = SocketStream(self.socket)
        exchange = HttpExchange(stream)
        while True:
            try:
                request = exchange.next_request()
                if request is None:
                    return
                check_version(request.http_version)
                if request.method == b"CONNECT":
                    host = tunnel_host(request.target)
                else:
                    host, path = plain_target(request.target)
            except RefusedError as error:
                if error.status is HTTPStatus.FORBIDDEN:
                    self._refused(error.text)
                self._refuse(stream, error)
                return
            except h11.RemoteProtocolError as error:
                self._refuse(stream, _malformed(error))
                return
            if request.method == b"CONNECT":
                self._tunnel(exchange, host)
                return
            if not self._answer(exchange, request, "http", host, path) or not exchange.next_cycle():
                return

    def _tunnel(self, exchange: HttpExchange, host: str) -> None:
        received = exchange.switch_protocol("Connection Established")
        tls = TlsStream(self.socket, self._authority.server_context(host), received)
        try:
            tls.handshake()
        except ssl.SSLError as error:
            _log_handshake_failure(self.address, host, error, tls.bytes_sent, self._authority)
            return
        inner = HttpExchange(tls)
        while True:
            try:
                request = inner.next_request()
                if request is None:
                    return
                check_version(request.http_version)
                path = tunnelled_path(request.target, host)
            except RefusedError as error:
                self._refuse(tls, error)
                return
            except h11.RemoteProtocolError as error:
                self._refuse(tls, _malformed(error))
                return
            authority = _host_header(request) or host
            if not host_header_matches(authority, host):
                self._refuse(
                    tls,
                    RefusedError(
                        HTTPStatus.MISDIRECTED_REQUEST,
                        f"this tunnel leads to {host}; the Host header names {authority!r}",
                    ),
                )
                return
            if not self._answer(inner, request, "https", authority, path) or not inner.next_cycle():
                return

    def _answer(
        self, exchange: HttpExchange, request: h11.Request, scheme: str, authority: str, path: str
    ) -> bool:
        """Answer one request with the emulator's app; False if the connection must close."""
        too_large = False
        try:
            body = exchange.read_body(MAX_BODY_BYTES)
        except BodyTooLargeError:
            body, too_large = b"", True
        method = request.method.decode("ascii")
        answer = answer_request(
            self._app,
            method=method,
            url=f"{scheme}://{authority}{path}",
            headers=forwarded_headers(request),
            body=body,
            client_address=self.address,
            drop=self._drop,
            body_too_large=too_large,
        )
        headers = answer.headers
        if too_large and not answer.closes:
            headers = sorted([*headers, ("Connection", "close")])
        exchange.respond(answer.status, answer.reason, headers, answer.body)
        return not too_large


def _host_header(request: h11.Request) -> str | None:
    for name, value in request.headers:
        if name == b"host":
            return bytes(value).decode("latin-1")
    return None


def _malformed(error: h11.RemoteProtocolError) -> RefusedError:
    try:
        status = HTTPStatus(error.error_status_hint)
    except ValueError:
        status = HTTPStatus.BAD_REQUEST
    return RefusedError(status, f"malformed request: {error}")


def _log_handshake_failure(
    address: str, host: str, error: ssl.SSLError, sent: int, authority: CertificateAuthority
) -> None:
    """Say what to do when a client refused the leaf: the commonest setup mistake.

    A client that does not trust the CA either sends an alert (`unknown_ca`), or, as asyncio's
    TLS does (UiPath's CLI), just closes the connection once it has the certificate.
    """
    reason = str(getattr(error, "reason", None) or error)
    if any(alert in reason for alert in _UNTRUSTED_CA_ALERTS):
        what = f"refused the certificate for {host} ({reason}): it does not trust"
    elif sent and (isinstance(error, ssl.SSLEOFError) or "EOF" in reason):
        what = (
            f"closed the connection on receiving the certificate for {host}: if it does not trust"
        )
    else:
        _log.debug("uipath-mock proxy: TLS handshake from %s for %s: %s", address, host, reason)
        return
    _log.warning(
        "uipath-mock proxy: the client at %s %s the emulator's CA, set SSL_CERT_FILE and "
        "REQUESTS_CA_BUNDLE to %s, or trust %s (see the banner)",
        address,
        what,
        authority.bundle_path,
        authority.cert_path,
    )
