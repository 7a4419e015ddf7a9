"""Pre-signed blob URIs: what GetReadUri/GetWriteUri hand out, and checking one when it is used.

A URI grants one verb on one file of one bucket until an expiry on the emulator's clock, as an
Azure Blob SAS URL does: `{base}/_blob/{org}/{tenant}/{bucket id}{path}?se=...&sp=r&sig=...`.
`sig` is an HMAC-SHA256, under a key of the emulator instance, of everything else the URI says;
changing any part of it (the path, the verb, the expiry, the bucket) breaks the signature. The
key is never written anywhere: a restarted emulator (`--state` included) refuses the URIs of
the one before, as a storage account whose key was rotated does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

BLOB_PREFIX = "/_blob"
"""Where the emulator serves pre-signed URIs (outside any service's path)."""
READ = "r"
WRITE = "w"
VERBS = {READ: "GET", WRITE: "PUT"}
"""The HTTP verb each permission is for (`Verb` of BlobFileAccessDto)."""
DEFAULT_EXPIRY_MINUTES = 60
"""A URI's lifetime when `expiryInMinutes` is 0 or missing."""
MAX_EXPIRY_MINUTES = 7 * 24 * 60
"""The longest lifetime a URI may be asked for (7 days, Azure's limit for a user SAS)."""


@dataclass(frozen=True)
class BlobGrant:
    """What one URI allows: a permission (`r` or `w`) on one file, until `expiry` (POSIX
    seconds, emulator clock)."""

    organization: str
    tenant: str
    bucket_id: int
    path: str
    permission: str
    expiry: int

    def _message(self) -> bytes:
        parts = (
            self.organization,
            self.tenant,
            str(self.bucket_id),
            self.path,
            self.permission,
            str(self.expiry),
        )
        return "\n".join(parts).encode("utf-8")


def expiry_text(expiry: int) -> str:
    """`se` as Azure writes it: `2026-11-30T15:04:05Z`."""
    return f"{datetime.fromtimestamp(expiry, UTC):%Y-%m-%dT%H:%M:%SZ}"


def parse_expiry(text: str) -> int | None:
    """The POSIX seconds of an `se` value, or None when it is not one."""
    try:
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(moment.timestamp())


class UriSigner:
    """Signs and checks blob URIs with one secret key (never shown: not in its repr)."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else secrets.token_bytes(32)

    def signature(self, grant: BlobGrant) -> str:
        """The `sig` of a grant (base64url, no padding)."""
        digest = hmac.new(self._key, grant._message(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def uri(self, base: str, grant: BlobGrant) -> str:
        """The absolute URI of a grant, under the emulator's base URL `base`."""
        path = quote(grant.path, safe="/")
        where = "/".join(quote(part, safe="") for part in (grant.organization, grant.tenant))
        query = f"se={expiry_text(grant.expiry)}&sp={grant.permission}&sig={self.signature(grant)}"
        return f"{base}{BLOB_PREFIX}/{where}/{grant.bucket_id}{path}?{query}"

    def valid(self, grant: BlobGrant, signature: str) -> bool:
        """Whether `signature` is the grant's (compared in constant time)."""
        if not signature.isascii():
            return False
        return hmac.compare_digest(self.signature(grant).encode(), signature.encode())

    def __repr__(self) -> str:
        return "<UriSigner>"
