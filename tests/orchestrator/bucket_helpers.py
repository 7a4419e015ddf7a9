"""Buckets in tests: the paths of the functions, URIs asked for, and files moved through them."""

from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.orchestrator.helpers import call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import DOCUMENTS_BUCKET_ID, ORGANIZATION, TENANT

ODATA = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
BUCKETS = f"{ODATA}/Buckets"
FUNCTIONS = "UiPath.Server.Configuration.OData"
SHARED = {"X-UIPATH-FolderPath": "Shared"}
DOCUMENTS = f"{BUCKETS}({DOCUMENTS_BUCKET_ID})"


def function(name: str, bucket_id: int = DOCUMENTS_BUCKET_ID) -> str:
    """The path of a bucket function, e.g. `GetReadUri`."""
    return f"{BUCKETS}({bucket_id})/{FUNCTIONS}.{name}"


def file_call(
    http: FlaskClient, method: str, name: str, token: str | None = None, **query: Any
) -> TestResponse:
    """Call the bucket function `name` of Documents in Shared with these query parameters."""
    return call(http, method, function(name), token=token, headers=SHARED, query_string=query)


def list_files_path(bucket_id: int = DOCUMENTS_BUCKET_ID, *, prefixed: bool = True) -> str:
    """ListFiles, under `orchestrator_/` or (as UiPath's SDK calls it) under the tenant."""
    service = "/orchestrator_" if prefixed else ""
    return f"/{ORGANIZATION}/{TENANT}{service}/api/Buckets/{bucket_id}/ListFiles"


def access(
    http: FlaskClient,
    verb: str,
    path: str,
    bucket_id: int = DOCUMENTS_BUCKET_ID,
    **query: Any,
) -> dict[str, Any]:
    """The BlobFileAccessDto of GetReadUri (`GET`) or GetWriteUri (`PUT`) for `path`."""
    name = "GetReadUri" if verb == "GET" else "GetWriteUri"
    response = call(
        http,
        "GET",
        function(name, bucket_id),
        headers=SHARED,
        query_string={"path": path, **query},
    )
    assert response.status_code == 200, response.data
    body: dict[str, Any] = response.get_json()
    return body


def local(uri: str) -> str:
    """An absolute URI as the test client takes it (path and query)."""
    parts = urlsplit(uri)
    return f"{parts.path}?{parts.query}"


def upload(
    http: FlaskClient,
    path: str,
    data: bytes,
    content_type: str = "application/octet-stream",
    bucket_id: int = DOCUMENTS_BUCKET_ID,
) -> TestResponse:
    """PUT `data` to a fresh write URI of `path` (no bearer token)."""
    uri = access(http, "PUT", path, bucket_id, contentType=content_type)["Uri"]
    return http.put(local(uri), data=data, headers={"Content-Type": content_type})


def download(http: FlaskClient, path: str, bucket_id: int = DOCUMENTS_BUCKET_ID) -> TestResponse:
    """GET a fresh read URI of `path` (no bearer token)."""
    return http.get(local(access(http, "GET", path, bucket_id)["Uri"]))


def stored_files(emulator: Emulator) -> list[dict[str, Any]]:
    """Every file record of acme/DefaultTenant."""
    organization = emulator.world.find_organization(ORGANIZATION)
    assert organization is not None
    tenant = organization.find_tenant(TENANT)
    assert tenant is not None
    return list(tenant.entities["BucketFiles"].snapshot())
