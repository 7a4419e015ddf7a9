"""The TLS server settings the proxy answers with: one `ssl.SSLContext` per emulated host."""

import contextlib
import os
import ssl
import tempfile

from uipath_emulator.mock_server.tls.minting import Issued

ALPN_PROTOCOLS = ("http/1.1",)
"""The decrypted stream is served as HTTP/1.1 only: a client offering h2 gets http/1.1."""


def server_context(leaf: Issued) -> ssl.SSLContext:
    """A server context presenting `leaf`: TLS 1.2 or later, ALPN `http/1.1` only.

    `ssl` loads a certificate chain only from a file: the key and certificate are written to a
    temporary file readable by this user only, loaded, and deleted at once.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(list(ALPN_PROTOCOLS))
    descriptor, path = tempfile.mkstemp(prefix="uipath-mock-leaf-", suffix=".pem")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(leaf.private_key_pem() + leaf.certificate_pem())
        context.load_cert_chain(path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return context
