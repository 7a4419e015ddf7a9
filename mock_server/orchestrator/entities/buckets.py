"""The `Buckets` entity set: storage buckets of a folder, and the functions on their files.

- CRUD with OData; names are unique in a folder (409/1001), Identifiers in the tenant. Only
  Orchestrator's built-in storage is emulated: a bucket naming a storage provider, container,
  parameters, credential store or password is refused (400). `Identifier` is fixed at creation.
- `GetByKey(identifier='...')` answers the bucket of the folder with that Identifier.
- `GetReadUri` / `GetWriteUri` answer a `BlobFileAccessDto` whose `Uri` is pre-signed
  (`storage.signing`): served by the emulator itself, no bearer token needed.
- `GetFiles` (OData, `directory`, `recursive`, `fileNameGlob`), `GetFile`, `DeleteFile`, and
  `ListFiles` (`/api/Buckets/{id}/ListFiles`, also under the tenant without `orchestrator_`,
  where UiPath's Python SDK calls it).
- Deleting a bucket deletes its files with it. A `ReadOnly` bucket refuses writes (400).
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import re
from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator import odata
from uipath_emulator.mock_server.orchestrator.entities import bucket_files, crud
from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext, ActionResult
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    Action,
    EntitySet,
    Operation,
    Record,
    Unique,
)
from uipath_emulator.mock_server.orchestrator.entities.world_checks import outside_folders
from uipath_emulator.mock_server.orchestrator.errors import (
    ITEM_NOT_FOUND,
    ApiError,
    bad_request,
    not_found,
)
from uipath_emulator.mock_server.orchestrator.representation import entity_context, item
from uipath_emulator.mock_server.orchestrator.storage.paths import (
    InvalidPathError,
    directory_path,
    file_name,
    file_path,
)
from uipath_emulator.mock_server.orchestrator.storage.signing import (
    DEFAULT_EXPIRY_MINUTES,
    MAX_EXPIRY_MINUTES,
    READ,
    VERBS,
    WRITE,
    BlobGrant,
)
from uipath_emulator.mock_server.world.dotnet import canonical_guid
from uipath_emulator.mock_server.world.store import TenantWrite

COLLECTION = "/odata/Buckets"
ENTITY = "/odata/Buckets({key})"
FUNCTIONS = "UiPath.Server.Configuration.OData"
GET_BY_KEY = f"{FUNCTIONS}.GetByKey"
LIST_FILES = "/api/Buckets/{id}/ListFiles"
BLOB_FILE_DTO = f"{FUNCTIONS}.BlobFileDto"
ACCESS_DTO = f"{FUNCTIONS}.BlobFileAccessDto"
EXTERNAL_STORAGE = (
    "StorageProvider",
    "StorageParameters",
    "StorageContainer",
    "CredentialStoreId",
    "Password",
)
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII)
"""What ASP.NET binds to an Int32 query parameter (no `_`, no other digits)."""
BY_IDENTIFIER = 1
"""The position of the Identifier constraint in `unique` (GetByKey looks buckets up by it)."""
DEFAULT_TAKE_HINT = 500
MAX_TAKE_HINT = 1000
READ_SCOPES = frozenset({"OR.Buckets", "OR.Buckets.Read"})
WRITE_SCOPES = frozenset({"OR.Buckets", "OR.Buckets.Write"})
"""UiPath's TypeScript SDK documents these (`OR.Buckets*`); the 20.0 spec `OR.Administration*`.
Either family is accepted. GetWriteUri is a read in the spec, `OR.Buckets` alone in the docs."""


def _prepare(
    _call: ActionContext | None, _write: TenantWrite, record: Record, old: Record | None
) -> Record:
    for member in EXTERNAL_STORAGE:
        if record.get(member) is not None:
            raise bad_request(
                f"{member} must be null: only Orchestrator's built-in storage is emulated."
            )
    identifier = canonical_guid(record.get("Identifier"))
    if identifier is None:
        raise bad_request("Identifier must be a GUID, e.g. 6f1d3c2a-8b4e-4f5a-9c7d-0e1f2a3b4c5d.")
    record["Identifier"] = identifier
    if old is not None and identifier != canonical_guid(old.get("Identifier")):
        raise bad_request("The Identifier of a bucket cannot be changed.")
    return record


def _complete(_record: Record) -> None:
    """Nothing: a bucket's Identifier is the client's, and it has no `Key`."""


def _before_delete(_call: ActionContext | None, write: TenantWrite, record: Record) -> None:
    """The bucket's files go with it."""
    bucket_files.delete_files(write, record["Id"])


def _bucket(context: ActionContext) -> Record:
    """The bound bucket, if the caller's folder holds it (404 otherwise)."""
    return crud.get(context.stores, BUCKETS, context.key, context)


def _writable(bucket: Record) -> None:
    if bucket.get("Options") == "ReadOnly":
        raise bad_request(f"The bucket '{bucket['Name']}' is read-only.")


def _path(context: ActionContext, name: str = "path") -> str:
    try:
        return file_path(context.parameters.get(name) or "")
    except InvalidPathError as error:
        raise bad_request(str(error)) from None


def _count(context: ActionContext, name: str, maximum: int) -> int:
    """A whole-number query parameter (0 when missing); 400 outside 0 to `maximum`."""
    text = context.parameters.get(name) or "0"
    if not _WHOLE_NUMBER.fullmatch(text.strip()):
        raise bad_request(f"The value '{text}' is not valid for {name}.")
    value = int(text)
    if not 0 <= value <= maximum:
        raise bad_request(f"{name} must be between 0 and {maximum}.")
    return value


def _minutes(context: ActionContext) -> int:
    """`expiryInMinutes`, the default for 0 or none."""
    return _count(context, "expiryInMinutes", MAX_EXPIRY_MINUTES) or DEFAULT_EXPIRY_MINUTES


def _access(context: ActionContext, bucket: Record, path: str, permission: str) -> dict[str, Any]:
    """A BlobFileAccessDto for a pre-signed URI (without its context)."""
    if context.signer is None:
        raise ApiError(503, "This emulator cannot sign blob URIs.")
    root = context.service_root
    base, organization, tenant = _service_parts(root)
    grant = BlobGrant(
        organization,
        tenant,
        bucket["Id"],
        path,
        permission,
        int(context.now) + 60 * _minutes(context),
    )
    return {
        "Uri": context.signer.uri(base, grant),
        "Verb": VERBS[permission],
        "RequiresAuth": False,
        "Headers": {"Keys": [], "Values": []},
    }


def _service_parts(root: str) -> tuple[str, str, str]:
    """Base URL, organization and tenant of `{base}/{org}/{tenant}/orchestrator_/odata`."""
    base, organization, tenant, _service, _odata = root.rsplit("/", 4)
    return base, organization, tenant


def _access_answer(context: ActionContext, permission: str) -> ActionResult:
    bucket = _bucket(context)
    if permission == WRITE:
        _writable(bucket)
    access = _access(context, bucket, _path(context), permission)
    return ActionResult(
        200, {"@odata.context": f"{context.service_root}/$metadata#{ACCESS_DTO}", **access}
    )


def _get_read_uri(context: ActionContext) -> ActionResult:
    return _access_answer(context, READ)


def _get_write_uri(context: ActionContext) -> ActionResult:
    return _access_answer(context, WRITE)


def _blob_file(record: Mapping[str, Any]) -> dict[str, Any]:
    """A file as GetFiles and GetFile answer it (BlobFileDto)."""
    return {
        "FullPath": record["FullPath"],
        "ContentType": record.get("ContentType"),
        "Size": record.get("Size", 0),
        "IsDirectory": False,
        "Id": None,
    }


def _flag(context: ActionContext, name: str) -> bool:
    text = (context.parameters.get(name) or "false").strip().lower()
    if text not in ("true", "false"):
        raise bad_request(f"The value '{text}' is not valid for {name}.")
    return text == "true"


def _get_files(context: ActionContext) -> ActionResult:
    bucket = _bucket(context)
    try:
        directory = directory_path(context.parameters.get("directory"))
    except InvalidPathError as error:
        raise bad_request(str(error)) from None
    recursive = _flag(context, "recursive")
    glob = context.parameters.get("fileNameGlob") or None
    pairs = [(name, value) for name, value in context.parameters.items() if name.startswith("$")]
    try:
        options = odata.parse_list_options(pairs, bucket_files.BUCKET_FILES.odata)
    except odata.ODataQueryError as error:
        raise bad_request(error.message) from None
    matched = []
    for record in bucket_files.files_of(context.stores, bucket["Id"]):
        path = record["FullPath"]
        if not path.startswith(directory):
            continue
        if not recursive and "/" in path[len(directory) :]:
            continue
        if glob is not None and not fnmatch.fnmatchcase(file_name(path), glob):
            continue
        matched.append(record)
    page, count = odata.evaluate(matched, options)
    selected = odata.context_suffix(options) or ""
    body = {
        "@odata.context": f"{context.service_root}/$metadata#Collection({BLOB_FILE_DTO}){selected}",
        "@odata.count": count,
        "value": [odata.project(_blob_file(record), options) for record in page],
    }
    return ActionResult(200, body)


def _existing(context: ActionContext, bucket: Record, path: str) -> Record:
    found = bucket_files.file_at(context.stores, bucket["Id"], path)
    if found is None:
        raise ApiError(404, "File does not exist.", ITEM_NOT_FOUND)
    return found


def _get_file(context: ActionContext) -> ActionResult:
    bucket = _bucket(context)
    found = _existing(context, bucket, _path(context))
    body = {"@odata.context": f"{context.service_root}/$metadata#{BLOB_FILE_DTO}"}
    return ActionResult(200, {**body, **_blob_file(found)})


def _delete_file(context: ActionContext) -> ActionResult:
    bucket = _bucket(context)
    _writable(bucket)
    path = _path(context)
    with context.stores.write() as write:
        found = bucket_files.find(write, bucket["Id"], path)
        if found is None:
            raise ApiError(404, "File does not exist.", ITEM_NOT_FOUND)
        write.delete(bucket_files.NAME, found["Id"])
    return ActionResult(204)


def _after(token: str | None) -> str | None:
    """The path a continuation token continues after."""
    if not token:
        return None
    try:
        return base64.urlsafe_b64decode(token.encode("ascii") + b"==").decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise bad_request("The continuationToken is not valid.") from None


def _token(path: str) -> str:
    return base64.urlsafe_b64encode(path.encode("utf-8")).rstrip(b"=").decode("ascii")


def _list_files(context: ActionContext) -> ActionResult:
    bucket = _bucket(context)
    prefix = context.parameters.get("prefix") or ""
    prefix = "/" + prefix.replace("\\", "/").lstrip("/")
    after = _after(context.parameters.get("continuationToken"))
    take = _count(context, "takeHint", MAX_TAKE_HINT) or DEFAULT_TAKE_HINT
    access = "expiryInMinutes" in context.parameters and _minutes(context) > 0
    matched = [
        record
        for record in bucket_files.files_of(context.stores, bucket["Id"])
        if record["FullPath"].startswith(prefix) and (after is None or record["FullPath"] > after)
    ]
    page = matched[:take]
    items = [
        {
            "fullPath": record["FullPath"],
            "contentType": record.get("ContentType"),
            "size": record.get("Size", 0),
            "lastModified": record.get("LastModified"),
            "accessInfo": _access(context, bucket, record["FullPath"], READ) if access else None,
        }
        for record in page
    ]
    more = len(matched) > take
    return ActionResult(
        200, {"items": items, "continuationToken": _token(page[-1]["FullPath"]) if more else None}
    )


def _get_by_key(context: ActionContext) -> ActionResult:
    given = context.parameters.get("identifier", "")
    identifier = canonical_guid(given) or given.strip("'")
    wanted = BUCKETS.unique[BY_IDENTIFIER].key({"Identifier": identifier})
    bucket = context.stores[BUCKETS.name].find(BY_IDENTIFIER, wanted) if wanted else None
    if bucket is None or not crud.in_scope(BUCKETS, context, bucket):
        raise not_found(BUCKETS.not_found_message(identifier))
    answer = {"@odata.context": entity_context(context.service_root, BUCKETS, None)}
    return ActionResult(200, {**answer, **item(BUCKETS, bucket)})


def _function(
    name: str,
    handler: Any,
    *,
    method: str = "GET",
    status: int = 200,
    query: Mapping[str, dict[str, Any] | None] | None = None,
) -> Action:
    qualified = f"{FUNCTIONS}.{name}"
    return Action(
        name=qualified,
        method=method,
        spec_path=f"{ENTITY}/{qualified}",
        handler=handler,
        on_entity=True,
        writes=method != "GET",
        success_status=status,
        query=query or {},
    )


BUCKETS = EntitySet(
    name="Buckets",
    label="Bucket",
    folder_scoped=True,
    operations={
        Operation.LIST: COLLECTION,
        Operation.GET: ENTITY,
        Operation.CREATE: COLLECTION,
        Operation.REPLACE: ENTITY,
        Operation.DELETE: ENTITY,
    },
    unique=(
        Unique(("OrganizationUnitId", "Name"), "The name '{Name}' is already used."),
        Unique(("Identifier",), "The identifier '{Identifier}' is already used."),
    ),
    type_annotation=False,
    cross_folder_list=False,
    complete=_complete,
    prepare=_prepare,
    before_delete=_before_delete,
    check_loaded=outside_folders,
    extra_scopes={
        f"GET {COLLECTION}": READ_SCOPES,
        f"POST {COLLECTION}": WRITE_SCOPES,
        f"GET {ENTITY}": READ_SCOPES,
        f"PUT {ENTITY}": WRITE_SCOPES,
        f"DELETE {ENTITY}": WRITE_SCOPES,
        f"{ENTITY}/{FUNCTIONS}.GetReadUri": READ_SCOPES,
        f"{ENTITY}/{FUNCTIONS}.GetWriteUri": frozenset({"OR.Buckets"}),
        f"{ENTITY}/{FUNCTIONS}.GetFiles": READ_SCOPES,
        f"{ENTITY}/{FUNCTIONS}.GetFile": READ_SCOPES,
        f"{ENTITY}/{FUNCTIONS}.DeleteFile": WRITE_SCOPES,
        LIST_FILES: READ_SCOPES,
    },
    actions=(
        Action(
            GET_BY_KEY,
            "GET",
            f"{COLLECTION}/{GET_BY_KEY}(identifier={{identifier}})",
            _get_by_key,
            writes=False,
            parameters="(identifier=<identifier>)",
            rules_of=COLLECTION,
        ),
        _function("GetReadUri", _get_read_uri),
        _function("GetWriteUri", _get_write_uri),
        _function("GetFiles", _get_files),
        _function("GetFile", _get_file),
        _function("DeleteFile", _delete_file, method="DELETE", status=204),
        Action(
            "ListFiles",
            "GET",
            LIST_FILES,
            _list_files,
            on_entity=True,
            writes=False,
            route="/api/Buckets/<key>/ListFiles",
            also_under_tenant=True,
        ),
    ),
)
