"""The emulator's blob endpoint: the pre-signed URIs of GetReadUri/GetWriteUri, used as a
client uses Azure Blob storage (no bearer token; the URI's signature is the credential).

`GET`/`HEAD` read a file, `PUT` writes one whole (at most `MAX_FILE_BYTES`, and the emulator
holds at most `MAX_STORED_BYTES`). Every refusal is answered as Azure Blob storage answers,
XML `<Error><Code>...</Code><Message>...</Message></Error>` with `x-ms-error-code`, and changes
nothing: the URI is checked (path, signature, expiry, permission) before anything is read.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Request, Response

from uipath_emulator.mock_server.orchestrator.entities import bucket_files
from uipath_emulator.mock_server.orchestrator.storage.limits import (
    MAX_FILE_BYTES,
    MAX_STORED_BYTES,
)
from uipath_emulator.mock_server.orchestrator.storage.paths import InvalidPathError, file_path
from uipath_emulator.mock_server.orchestrator.storage.signing import (
    BLOB_PREFIX,
    READ,
    WRITE,
    BlobGrant,
    parse_expiry,
)
from uipath_emulator.mock_server.orchestrator.timestamps import parse_time
from uipath_emulator.mock_server.persistence import PersistenceError
from uipath_emulator.mock_server.web.context import emulator_of
from uipath_emulator.mock_server.web.middleware import BODY_TOO_LARGE
from uipath_emulator.mock_server.world.store import RetiredError

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator
    from uipath_emulator.mock_server.world.store import TenantStores

AUTHENTICATION_FAILED = (
    "Server failed to authenticate the request. Make sure the value of Authorization header "
    "is formed correctly including the signature."
)
_PERMISSIONS = {"GET": READ, "HEAD": READ, "PUT": WRITE}
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class StorageError(Exception):
    """A refusal in Azure Blob storage's shape: status, code, message, and a detail."""

    def __init__(self, status: int, code: str, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail


def _denied(detail: str) -> StorageError:
    return StorageError(403, "AuthenticationFailed", AUTHENTICATION_FAILED, detail)


def _error_response(error: StorageError, method: str, now: float) -> Response:
    request_id = str(uuid.uuid4())
    moment = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
    message = f"{error.message}\nRequestId:{request_id}\nTime:{moment}"
    detail = (
        f"<AuthenticationErrorDetail>{escape(error.detail)}</AuthenticationErrorDetail>"
        if error.detail
        else ""
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<Error><Code>{error.code}</Code><Message>{escape(message)}</Message>{detail}</Error>"
    )
    response = Response(
        b"" if method == "HEAD" else body.encode("utf-8"),
        error.status,
        content_type="application/xml",
    )
    response.headers["x-ms-error-code"] = error.code
    response.headers["x-ms-request-id"] = request_id
    return response


def _grant(request: Request, now: float) -> BlobGrant:
    """The grant the URI claims, if its signature, expiry and permission hold; 403 otherwise."""
    raw_path = request.path.removeprefix(BLOB_PREFIX + "/")
    parts = raw_path.split("/", 3)
    if len(parts) != 4 or not (parts[2].isascii() and parts[2].isdigit() and len(parts[2]) <= 19):
        raise StorageError(400, "InvalidUri", "The requested URI does not represent any resource.")
    organization, tenant, bucket, rest = parts
    if any(segment in (".", "..") for segment in rest.replace("\\", "/").split("/")):
        raise _denied("The path of a blob may not hold '.' or '..' segments.")
    try:
        path = file_path(rest)
    except InvalidPathError as error:
        raise _denied(str(error)) from None
    if path != "/" + rest:
        raise _denied("The path of the blob is not the one the URI was signed for.")
    permission = request.args.get("sp", "")
    expiry = parse_expiry(request.args.get("se", ""))
    signature = request.args.get("sig", "")
    if not permission or expiry is None or not signature:
        raise _denied("The URI is not pre-signed: se, sp and sig are required.")
    grant = BlobGrant(organization, tenant, int(bucket), path, permission, expiry)
    signer = emulator_of(request.environ).uri_signer
    if not signer.valid(grant, signature):
        raise _denied("Signature did not match.")
    if now > expiry:
        raise _denied(
            "Signature not valid in the specified time frame: "
            f"Expiry [{request.args.get('se')}] - Current "
            f"[{datetime.fromtimestamp(now, UTC):%Y-%m-%dT%H:%M:%SZ}]"
        )
    if _PERMISSIONS.get(request.method) != permission:
        raise StorageError(
            403,
            "AuthorizationPermissionMismatch",
            "This request is not authorized to perform this operation using this permission.",
        )
    return grant


def _tenant_stores(emulator: Emulator, grant: BlobGrant) -> TenantStores:
    organization = emulator.world.find_organization(grant.organization)
    tenant = organization.find_tenant(grant.tenant) if organization is not None else None
    if tenant is None:
        raise _container_gone()
    return tenant.entities


def _container_gone() -> StorageError:
    return StorageError(404, "ContainerNotFound", "The specified container does not exist.")


def _headers(response: Response, record: dict[str, Any]) -> None:
    response.headers["ETag"] = (
        f'"0x{hashlib.sha256(record["Content"].encode()).hexdigest()[:16].upper()}"'
    )
    modified = record.get("LastModified")
    if modified:
        moment = datetime.fromtimestamp(int(parse_time(modified)), UTC)
        response.headers["Last-Modified"] = format_datetime(moment, usegmt=True)
    response.headers["x-ms-blob-type"] = "BlockBlob"


def _read(request: Request, emulator: Emulator, grant: BlobGrant) -> Response:
    stores = _tenant_stores(emulator, grant)
    record = bucket_files.file_at(stores, grant.bucket_id, grant.path)
    if record is None:
        raise StorageError(404, "BlobNotFound", "The specified blob does not exist.")
    data = bucket_files.content(record)
    response = Response(
        b"" if request.method == "HEAD" else data,
        200,
        content_type=record.get("ContentType") or DEFAULT_CONTENT_TYPE,
    )
    response.headers["Content-Length"] = str(len(data))
    _headers(response, record)
    return response


def _too_large(limit: int, what: str) -> StorageError:
    return StorageError(
        413,
        "RequestBodyTooLarge",
        f"The request body is too large and exceeds the maximum permissible limit: {what} of "
        f"{limit} bytes.",
    )


def _write(request: Request, emulator: Emulator, grant: BlobGrant) -> Response:
    if request.environ.get(BODY_TOO_LARGE) or (request.content_length or 0) > MAX_FILE_BYTES:
        raise _too_large(MAX_FILE_BYTES, "the emulator's limit per file is")
    data = request.get_data(cache=False)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(MAX_FILE_BYTES, "the emulator's limit per file is")
    stores = _tenant_stores(emulator, grant)
    content_type = request.headers.get("Content-Type") or DEFAULT_CONTENT_TYPE
    with emulator.upload_lock:
        tenants = [tenant.entities for tenant in emulator.world.tenants()]
        old = bucket_files.file_at(stores, grant.bucket_id, grant.path)
        replaced = int(old.get("Size") or 0) if old is not None else 0
        if bucket_files.stored_bytes(tenants) - replaced + len(data) > MAX_STORED_BYTES:
            raise _too_large(MAX_STORED_BYTES, "the emulator holds at most")
        try:
            record = bucket_files.write_file(
                stores, grant.bucket_id, grant.path, content_type, data, emulator.clock.now()
            )
        except LookupError:
            raise _container_gone() from None
    response = Response(b"", 201)
    del response.headers["Content-Type"]
    _headers(response, record)
    return response


def blob_service(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The WSGI app under `/_blob/`."""
    request = Request(environ)
    now = emulator_of(environ).clock.now()
    try:
        if request.method not in _PERMISSIONS:
            raise StorageError(
                405, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb."
            )
        emulator = emulator_of(environ)
        grant = _grant(request, now)
        if request.method == "PUT":
            response = _write(request, emulator, grant)
        else:
            response = _read(request, emulator, grant)
    except StorageError as error:
        response = _error_response(error, request.method, now)
    except (PersistenceError, RetiredError):
        response = _error_response(
            StorageError(503, "ServerBusy", "The server is currently unable to receive requests."),
            request.method,
            now,
        )
    response.headers["x-ms-version"] = "2021-08-06"
    return response(environ, start_response)
