"""Buckets: CRUD, GetByKey, scopes of both families, and the file functions."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.bucket_helpers import (
    BUCKETS,
    DOCUMENTS,
    FUNCTIONS,
    SHARED,
    access,
    download,
    file_call,
    function,
    list_files_path,
    stored_files,
    upload,
)
from tests.orchestrator.helpers import (
    assert_not_authorized,
    assert_orchestrator_error,
    call,
    token_for,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.errors import ApiError
from uipath_emulator.mock_server.well_known import (
    DOCUMENTS_BUCKET,
    DOCUMENTS_BUCKET_IDENTIFIER,
    DOCUMENTS_FILES,
    FULL,
    READONLY,
)

WIRE_ORDER = [
    "Name",
    "Description",
    "Identifier",
    "StorageProvider",
    "StorageParameters",
    "StorageContainer",
    "Options",
    "CredentialStoreId",
    "ExternalName",
    "Password",
    "FoldersCount",
    "Encrypted",
    "Tags",
    "Id",
]
NEW_IDENTIFIER = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"


def scoped_token(http: FlaskClient, scope: str) -> str:
    """A token of the `full` app asking for just `scope`."""
    response = http.post(
        "/identity_/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": FULL.client_id,
            "client_secret": FULL.client_secret,
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.data
    return str(response.get_json()["access_token"])


def create(http: FlaskClient, body: dict[str, Any], token: str | None = None) -> Any:
    """POST a bucket into Shared."""
    return call(http, "POST", BUCKETS, token=token, json=body, headers=SHARED)


def test_list_answers_the_documents_bucket_in_wire_order(http: FlaskClient) -> None:
    """GET Buckets in Shared answers Documents as BucketDto, built-in storage members null."""
    response = call(http, "GET", BUCKETS, headers=SHARED)
    assert response.status_code == 200, response.data
    (bucket,) = response.get_json()["value"]
    assert list(bucket) == WIRE_ORDER
    assert bucket["Name"] == DOCUMENTS_BUCKET
    assert bucket["Identifier"] == DOCUMENTS_BUCKET_IDENTIFIER
    assert bucket["CredentialStoreId"] is None
    assert bucket["StorageProvider"] is None
    assert bucket["Encrypted"] is False


def test_list_needs_a_folder(http: FlaskClient) -> None:
    """Buckets live in folders: no folder header is 400/1101."""
    assert_orchestrator_error(call(http, "GET", BUCKETS), 400, 1101)


def test_other_folder_does_not_see_the_bucket(http: FlaskClient) -> None:
    """Finance has no bucket: the listing is empty and Documents' Id is 404 there."""
    finance = {"X-UIPATH-FolderPath": "Finance"}
    assert call(http, "GET", BUCKETS, headers=finance).get_json()["value"] == []
    assert_orchestrator_error(call(http, "GET", DOCUMENTS, headers=finance), 404, 1002)


@pytest.mark.parametrize("scope", ["OR.Buckets.Read", "OR.Administration.Read"])
def test_either_read_scope_lists(http: FlaskClient, scope: str) -> None:
    """A token with the read scope of either family lists buckets."""
    token = scoped_token(http, scope)
    assert call(http, "GET", BUCKETS, token=token, headers=SHARED).status_code == 200


@pytest.mark.parametrize("scope", ["OR.Buckets.Read", "OR.Administration.Read", "OR.Queues"])
def test_create_needs_a_write_scope(http: FlaskClient, scope: str) -> None:
    """POST Buckets with only a read scope (or another service's) is 403 in ABP's envelope."""
    token = scoped_token(http, scope)
    assert_not_authorized(create(http, {"Name": "X", "Identifier": NEW_IDENTIFIER}, token))


@pytest.mark.parametrize("scope", ["OR.Buckets.Write", "OR.Administration.Write"])
def test_either_write_scope_creates(http: FlaskClient, scope: str) -> None:
    """A token with the write scope of either family creates a bucket (201, Location)."""
    token = scoped_token(http, scope)
    response = create(http, {"Name": "Reports", "Identifier": NEW_IDENTIFIER}, token)
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["Identifier"] == NEW_IDENTIFIER
    assert response.headers["Location"].endswith(f"/odata/Buckets({body['Id']})")


def test_duplicate_name_in_a_folder_is_409(http: FlaskClient) -> None:
    """A second bucket named Documents in Shared is 409/1001."""
    response = create(http, {"Name": DOCUMENTS_BUCKET, "Identifier": NEW_IDENTIFIER})
    assert_orchestrator_error(response, 409, 1001)


def test_external_storage_is_refused(http: FlaskClient) -> None:
    """Only built-in storage is emulated: a StorageProvider is 400 naming the member."""
    body = {"Name": "S3", "Identifier": NEW_IDENTIFIER, "StorageProvider": "Amazon"}
    message = assert_orchestrator_error(create(http, body), 400, 1000)
    assert "StorageProvider" in message


def test_identifier_cannot_change(http: FlaskClient) -> None:
    """PUT with another Identifier is 400; the bucket keeps its own."""
    body = {"Name": DOCUMENTS_BUCKET, "Identifier": NEW_IDENTIFIER}
    assert_orchestrator_error(call(http, "PUT", DOCUMENTS, json=body, headers=SHARED), 400, 1000)
    stored = call(http, "GET", DOCUMENTS, headers=SHARED).get_json()
    assert stored["Identifier"] == DOCUMENTS_BUCKET_IDENTIFIER


def test_get_by_key_answers_one_entity(http: FlaskClient) -> None:
    """GetByKey with the quoted Identifier answers the bucket itself, not a list."""
    path = f"{BUCKETS}/{FUNCTIONS}.GetByKey(identifier='{DOCUMENTS_BUCKET_IDENTIFIER}')"
    response = call(http, "GET", path, headers=SHARED)
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["@odata.context"].endswith("$metadata#Buckets/$entity")
    assert body["Name"] == DOCUMENTS_BUCKET
    other = call(http, "GET", path, headers={"X-UIPATH-FolderPath": "Finance"})
    assert_orchestrator_error(other, 404, 1002)


def test_read_uri_is_an_absolute_emulator_url_on_the_request_host(http: FlaskClient) -> None:
    """GetReadUri answers BlobFileAccessDto; its Uri is on the scheme, host and port asked."""
    response = call(
        http,
        "GET",
        function("GetReadUri"),
        headers=SHARED,
        query_string={"path": "readme.txt"},
        base_url="https://cloud.example.test:8443",
    )
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert list(body) == ["@odata.context", "Uri", "Verb", "RequiresAuth", "Headers"]
    assert body["Uri"].startswith("https://cloud.example.test:8443/_blob/acme/DefaultTenant/1/")
    assert body["Verb"] == "GET"
    assert body["RequiresAuth"] is False
    assert body["Headers"] == {"Keys": [], "Values": []}


def test_readme_downloads_without_a_token(http: FlaskClient) -> None:
    """The read URI of readme.txt answers its bytes and content type, no bearer token sent."""
    response = download(http, "readme.txt")
    assert response.status_code == 200, response.data
    assert response.data == DOCUMENTS_FILES["/readme.txt"]
    assert response.headers["Content-Type"] == "text/plain"


def test_upload_round_trips_bytes_and_content_type(http: FlaskClient) -> None:
    """A PUT to a write URI stores the bytes; GetFile and the read URI show them back."""
    data = bytes(range(256)) * 3
    assert upload(http, "out/data.bin", data, "application/x-test").status_code == 201
    got = download(http, "/out/data.bin")
    assert got.data == data
    assert got.headers["Content-Type"] == "application/x-test"
    info = call(
        http, "GET", function("GetFile"), headers=SHARED, query_string={"path": "out/data.bin"}
    )
    assert info.get_json()["Size"] == len(data)
    assert info.get_json()["FullPath"] == "/out/data.bin"


def test_upload_replaces_a_file_in_place(http: FlaskClient, emulator: Emulator) -> None:
    """Writing an existing path replaces its bytes and keeps one record for it."""
    upload(http, "readme.txt", b"new text", "text/plain")
    records = [f for f in stored_files(emulator) if f["FullPath"] == "/readme.txt"]
    assert [r["Id"] for r in records] == [1]
    assert download(http, "readme.txt").data == b"new text"


def get_files(http: FlaskClient, **query: Any) -> list[str]:
    """The FullPaths GetFiles answers for these parameters."""
    response = call(http, "GET", function("GetFiles"), headers=SHARED, query_string=query)
    assert response.status_code == 200, response.data
    return [row["FullPath"] for row in response.get_json()["value"]]


def test_get_files_directory_recursion_glob_and_paging(http: FlaskClient) -> None:
    """GetFiles lists the directory's own files, all below it when recursive, filters by
    glob, and pages with $top/$skip."""
    upload(http, "invoices/2026/INV-1002.pdf", b"%PDF-2")
    upload(http, "invoices/notes.txt", b"n")
    assert get_files(http) == ["/readme.txt"]
    assert get_files(http, directory="invoices") == ["/invoices/notes.txt"]
    assert get_files(http, directory="/invoices", recursive="true") == [
        "/invoices/2026/INV-1001.pdf",
        "/invoices/2026/INV-1002.pdf",
        "/invoices/notes.txt",
    ]
    assert get_files(
        http, recursive="true", fileNameGlob="*.pdf", **{"$top": "1", "$skip": "1"}
    ) == ["/invoices/2026/INV-1002.pdf"]
    assert get_files(http, recursive="true", **{"$filter": "Size gt 30"}) == [
        "/invoices/2026/INV-1001.pdf"
    ]
    selected = call(
        http,
        "GET",
        function("GetFiles"),
        headers=SHARED,
        query_string={"directory": "/", "$select": "FullPath,Size"},
    ).get_json()
    assert selected["value"] == [{"FullPath": "/readme.txt", "Size": 24}]


def test_get_files_refuses_a_bad_option(http: FlaskClient) -> None:
    """An unknown property in $filter, or recursive=maybe, is 400 in Orchestrator's shape."""
    bad_filter = call(
        http, "GET", function("GetFiles"), headers=SHARED, query_string={"$filter": "Nope eq 1"}
    )
    assert_orchestrator_error(bad_filter, 400, 1000)
    bad_flag = call(
        http, "GET", function("GetFiles"), headers=SHARED, query_string={"recursive": "maybe"}
    )
    assert_orchestrator_error(bad_flag, 400, 1000)


def list_files(http: FlaskClient, *, prefixed: bool = True, **query: Any) -> dict[str, Any]:
    """The ListFiles answer under either path."""
    response = call(
        http, "GET", list_files_path(prefixed=prefixed), headers=SHARED, query_string=query
    )
    assert response.status_code == 200, response.data
    body: dict[str, Any] = response.get_json()
    return body


def test_list_files_answers_under_both_paths_alike(http: FlaskClient) -> None:
    """ListFiles with and without `orchestrator_` answers the same camelCase items."""
    with_prefix = list_files(http)
    without = list_files(http, prefixed=False)
    assert with_prefix == without
    assert [item["fullPath"] for item in with_prefix["items"]] == sorted(DOCUMENTS_FILES)
    assert list(with_prefix["items"][0]) == [
        "fullPath",
        "contentType",
        "size",
        "lastModified",
        "accessInfo",
    ]
    assert with_prefix["continuationToken"] is None


def test_list_files_pages_with_a_continuation_token(http: FlaskClient) -> None:
    """takeHint=1 answers one file and a token; the token gives the next one, then none."""
    first = list_files(http, takeHint=1)
    second = list_files(http, takeHint=1, continuationToken=first["continuationToken"])
    assert [i["fullPath"] for i in first["items"] + second["items"]] == sorted(DOCUMENTS_FILES)
    assert second["continuationToken"] is None
    assert list_files(http, prefix="invoices/")["items"][0]["fullPath"].startswith("/invoices/")


def test_list_files_with_expiry_gives_read_access(http: FlaskClient) -> None:
    """With expiryInMinutes, each item's accessInfo is a read URI that answers its bytes."""
    items = list_files(http, prefix="/readme", expiryInMinutes=5)["items"]
    (readme,) = items
    uri = readme["accessInfo"]["Uri"]
    assert http.get(uri.removeprefix("http://localhost")).data == DOCUMENTS_FILES["/readme.txt"]


def test_list_files_refuses_a_bad_token(http: FlaskClient) -> None:
    """A continuationToken the emulator did not hand out is 400."""
    response = call(
        http,
        "GET",
        list_files_path(),
        headers=SHARED,
        query_string={"continuationToken": "!!not-a-token"},
    )
    assert_orchestrator_error(response, 400, 1000)


def test_delete_file_then_it_is_gone(http: FlaskClient, emulator: Emulator) -> None:
    """DeleteFile answers 204 and removes the record; deleting it again is 404."""
    query = {"path": "readme.txt"}
    deleted = call(http, "DELETE", function("DeleteFile"), headers=SHARED, query_string=query)
    assert deleted.status_code == 204
    assert all(f["FullPath"] != "/readme.txt" for f in stored_files(emulator))
    again = call(http, "DELETE", function("DeleteFile"), headers=SHARED, query_string=query)
    assert_orchestrator_error(again, 404, 1002)


def test_deleting_a_bucket_deletes_its_files(http: FlaskClient, emulator: Emulator) -> None:
    """DELETE of a bucket with files answers 204 and its files go with it."""
    assert call(http, "DELETE", DOCUMENTS, headers=SHARED).status_code == 204
    assert stored_files(emulator) == []


def test_read_only_bucket_refuses_writes(http: FlaskClient) -> None:
    """A ReadOnly bucket answers 400 to GetWriteUri and DeleteFile, and still reads."""
    body = {
        "Name": DOCUMENTS_BUCKET,
        "Identifier": DOCUMENTS_BUCKET_IDENTIFIER,
        "Options": "ReadOnly",
    }
    assert call(http, "PUT", DOCUMENTS, json=body, headers=SHARED).status_code == 200
    write = call(http, "GET", function("GetWriteUri"), headers=SHARED, query_string={"path": "a"})
    assert_orchestrator_error(write, 400, 1000)
    remove = call(
        http, "DELETE", function("DeleteFile"), headers=SHARED, query_string={"path": "readme.txt"}
    )
    assert_orchestrator_error(remove, 400, 1000)
    assert download(http, "readme.txt").status_code == 200


@pytest.mark.parametrize("path", ["", "a/../b", "../escape", "a//b", "./a", "dir/", "bad\x01name"])
def test_invalid_paths_are_400(http: FlaskClient, path: str) -> None:
    """GetWriteUri for an empty path, a `.`/`..`/empty segment or a control character is 400."""
    response = call(
        http, "GET", function("GetWriteUri"), headers=SHARED, query_string={"path": path}
    )
    assert_orchestrator_error(response, 400, 1000)


@pytest.mark.parametrize("minutes", ["-1", "abc", "100000"])
def test_invalid_expiry_is_400(http: FlaskClient, minutes: str) -> None:
    """expiryInMinutes that is negative, not a number or over 7 days is 400."""
    response = call(
        http,
        "GET",
        function("GetReadUri"),
        headers=SHARED,
        query_string={"path": "readme.txt", "expiryInMinutes": minutes},
    )
    assert_orchestrator_error(response, 400, 1000)


def test_readonly_app_reads_but_cannot_delete_files(http: FlaskClient) -> None:
    """The well-known readonly app (Viewer of Shared) gets read URIs; DeleteFile is 403."""
    token = token_for(http, READONLY)
    uri = file_call(http, "GET", "GetReadUri", token, path="readme.txt")
    assert uri.status_code == 200, uri.data
    remove = file_call(http, "DELETE", "DeleteFile", token, path="readme.txt")
    assert remove.status_code == 403


def test_write_uri_answers_put(http: FlaskClient) -> None:
    """GetWriteUri's Verb is PUT and its URI carries the write permission."""
    body = access(http, "PUT", "x.txt", contentType="text/plain")
    assert body["Verb"] == "PUT"
    assert "sp=w" in body["Uri"]


def test_get_directories_is_named_as_not_emulated(http: FlaskClient) -> None:
    """GetDirectories is not emulated: 404 naming Orchestrator's operation."""
    message = assert_orchestrator_error(file_call(http, "GET", "GetDirectories"), 404, 0)
    assert "Buckets_GetDirectoriesByKey" in message


def test_harness_seeds_a_file_the_api_serves(http: FlaskClient, emulator: Emulator) -> None:
    """A file added through the harness (base64 content) is listed with its computed size and
    downloads; an unknown bucket is 400 and a taken path 409, as the API would answer."""
    files = emulator.entities("acme", "DefaultTenant", "BucketFiles")
    added = files.add({"BucketId": 1, "FullPath": "seeded/a.txt", "Content": "c2VlZGVk"})
    assert (added["FullPath"], added["Size"]) == ("/seeded/a.txt", 6)
    assert download(http, "seeded/a.txt").data == b"seeded"
    with pytest.raises(ApiError) as unknown:
        files.add({"BucketId": 99, "FullPath": "x.txt", "Content": ""})
    assert unknown.value.status == 400
    with pytest.raises(ApiError) as taken:
        files.add({"BucketId": 1, "FullPath": "/seeded/a.txt", "Content": ""})
    assert taken.value.status == 409
