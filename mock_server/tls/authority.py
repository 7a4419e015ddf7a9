"""The proxy's local CA on disk: made on first use, kept per user, reused by every start.

The folder holds three files:

- `ca-key.pem`: the CA's private key followed by its certificate, readable by the user only.
  It is the one source of truth, created whole under its final name in one step (a hard link
  to a finished temporary file), so two emulators starting at once agree on one CA;
- `ca.pem`: the CA certificate alone, to add to an OS trust store;
- `ca-bundle.pem`: certifi's roots followed by the CA, for `SSL_CERT_FILE` and
  `REQUESTS_CA_BUNDLE`, so that other HTTPS in the same process still verifies.

The last two are derived from the first and rewritten when they differ.
"""

import contextlib
import getpass
import os
import re
import socket
import ssl
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from uipath_emulator.mock_server.tls.contexts import server_context
from uipath_emulator.mock_server.tls.locations import default_ca_dir
from uipath_emulator.mock_server.tls.minting import Issued, new_ca, new_leaf

KEY_FILE = "ca-key.pem"
CERT_FILE = "ca.pem"
BUNDLE_FILE = "ca-bundle.pem"
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----\r?\n.*?-----END \1-----\r?\n?", re.DOTALL)
_OTHERS_BITS = 0o077


class CAError(Exception):
    """The CA folder cannot be used; the message names the file and what to do."""


def _owner() -> str:
    """`user@host`, to tell this CA from others in a trust store (best effort)."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        user = "user"
    return f"{user}@{socket.gethostname()}"


def _write_new(path: Path, data: bytes, mode: int) -> bool:
    """Create `path` with `data` only if it does not exist; False if another process did first.

    The data goes to a temporary file (created with `mode`) that is then hard-linked under the
    final name, so no reader ever sees a partly written file.
    """
    descriptor, temporary = tempfile.mkstemp(prefix=".new-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _write_if_changed(path: Path, data: bytes) -> None:
    """Replace `path` with `data` (atomically) unless it already holds exactly that."""
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return
    descriptor, temporary = tempfile.mkstemp(prefix=".new-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _read_ca(path: Path, now: datetime) -> Issued:
    """The CA in `path`, checked: private to the user, a CA, matching its key, not expired."""
    if sys.platform != "win32" and path.stat().st_mode & _OTHERS_BITS:
        raise CAError(
            f"{path} can be read by other users: run `chmod 600 {path}`, "
            f"or delete {path.parent} to make a new CA"
        )
    blocks = {label: block for block, label in _blocks(path.read_bytes())}
    try:
        key = serialization.load_pem_private_key(blocks[b"PRIVATE KEY"], password=None)
        certificate = x509.load_pem_x509_certificate(blocks[b"CERTIFICATE"])
    except (KeyError, ValueError):
        raise CAError(
            f"{path} does not hold a PEM private key and certificate: "
            f"delete {path.parent} to make a new CA"
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != (
        certificate.public_key()
    ):
        raise CAError(f"{path}: the key does not match the certificate; delete {path.parent}")
    if certificate.not_valid_after_utc <= now:
        raise CAError(
            f"{path}: the CA expired on {certificate.not_valid_after_utc:%Y-%m-%d}; delete "
            f"{path.parent} to make a new one (and trust the new one where you trusted this)"
        )
    return Issued(certificate, key)


def _blocks(data: bytes) -> list[tuple[bytes, bytes]]:
    return [(match.group(0), match.group(1)) for match in _PEM_BLOCK.finditer(data)]


class CertificateAuthority:
    """The local CA of one folder, and the TLS settings of the leaves it signs."""

    def __init__(self, directory: Path, issued: Issued) -> None:
        self.directory = directory
        self._issued = issued
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    @classmethod
    def load_or_create(cls, directory: str | Path | None = None) -> "CertificateAuthority":
        """The CA in `directory` (default: the per-user one), made there if there is none yet.

        Raises `CAError` (or `OSError` for a folder that cannot be created or read).
        """
        folder = Path(directory) if directory is not None else default_ca_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        now = datetime.now(UTC)
        key_path = folder / KEY_FILE
        if not key_path.exists():
            made = new_ca(now, owner=_owner())
            _write_new(key_path, made.private_key_pem() + made.certificate_pem(), 0o600)
        issued = _read_ca(key_path, now)
        authority = cls(folder, issued)
        certificate = issued.certificate_pem()
        _write_if_changed(authority.cert_path, certificate)
        roots = Path(certifi.where()).read_bytes().rstrip(b"\n")
        _write_if_changed(authority.bundle_path, roots + b"\n\n" + certificate)
        return authority

    @property
    def certificate(self) -> x509.Certificate:
        """The CA certificate."""
        return self._issued.certificate

    @property
    def key_path(self) -> Path:
        """The CA's private key (with its certificate), readable by the user only."""
        return self.directory / KEY_FILE

    @property
    def cert_path(self) -> Path:
        """The CA certificate alone (PEM): what an OS trust store takes."""
        return self.directory / CERT_FILE

    @property
    def bundle_path(self) -> Path:
        """certifi's roots plus the CA (PEM): for `SSL_CERT_FILE` and `REQUESTS_CA_BUNDLE`."""
        return self.directory / BUNDLE_FILE

    def leaf(self, host: str) -> Issued:
        """A new leaf certificate for `host`, signed by this CA."""
        return new_leaf(self._issued, host, datetime.now(UTC))

    def server_context(self, host: str) -> ssl.SSLContext:
        """The TLS server context for `host`, made once per host and process."""
        with self._lock:
            context = self._contexts.get(host)
            if context is None:
                context = self._contexts[host] = server_context(self.leaf(host))
            return context
