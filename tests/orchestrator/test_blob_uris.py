"""Pre-signed blob URIs: what they allow, and every refusal (403/404/405/413 in Azure Blob
storage's XML shape), each leaving the stored files exactly as they were."""

import re
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.orchestrator.bucket_helpers import (
    DOCUMENTS,
    SHARED,
    access,
    download,
    local,
    stored_files,
    upload,
)
from tests.orchestrator.helpers import call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.storage import limits
from uipath_emulator.mock_server.web import blobs
from uipath_emulator.mock_server.web.serving import MAX_BODY_BYTES

NEW = "out/new.txt"


def assert_storage_error(response: TestResponse, status: int, code: str) -> str:
    """Azure's error shape: XML `<Error><Code>` with `x-ms-error-code`; returns the message."""
    assert response.status_code == status, response.data
    assert response.headers["Content-Type"] == "application/xml"
    assert response.headers["x-ms-error-code"] == code
    text = response.data.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?><Error><Code>')
    match = re.search(r"<Code>([^<]+)</Code><Message>([^<]+)</Message>", text)
    assert match is not None
    assert match.group(1) == code
    return match.group(2)


def test_read_uri_needs_no_token_and_write_then_read_round_trips(http: FlaskClient) -> None:
    """A write URI stores bytes (201) that a read URI answers, neither sending a token."""
    assert upload(http, NEW, b"payload", "text/plain").status_code == 201
    assert download(http, NEW).data == b"payload"


def test_expired_uri_is_refused(http: FlaskClient, emulator: Emulator) -> None:
    """A URI used after its expiry on the emulator clock is 403 and writes nothing."""
    uri = access(http, "PUT", NEW, expiryInMinutes=1)["Uri"]
    before = stored_files(emulator)
    emulator.clock.advance(61)
    response = http.put(local(uri), data=b"late")
    message = assert_storage_error(response, 403, "AuthenticationFailed")
    assert message.startswith("Server failed to authenticate the request.")
    assert b"Signature not valid in the specified time frame" in response.data
    assert stored_files(emulator) == before


def test_uri_is_valid_until_its_expiry(http: FlaskClient, emulator: Emulator) -> None:
    """The default lifetime is 60 minutes: at 59 minutes the read URI still answers."""
    uri = access(http, "GET", "readme.txt")["Uri"]
    emulator.clock.advance(59 * 60)
    assert http.get(local(uri)).status_code == 200
    emulator.clock.advance(2 * 60)
    assert_storage_error(http.get(local(uri)), 403, "AuthenticationFailed")


def test_uri_replayed_for_another_path_is_refused(http: FlaskClient, emulator: Emulator) -> None:
    """A write URI with its path changed fails the signature: 403, nothing written."""
    uri = local(access(http, "PUT", NEW)["Uri"])
    before = stored_files(emulator)
    response = http.put(uri.replace("/out/new.txt", "/out/other.txt"), data=b"x")
    assert_storage_error(response, 403, "AuthenticationFailed")
    assert b"Signature did not match" in response.data
    assert stored_files(emulator) == before


def test_read_uri_replayed_as_a_write_is_refused(http: FlaskClient, emulator: Emulator) -> None:
    """A read URI used to PUT is 403 AuthorizationPermissionMismatch; the file is unchanged."""
    uri = local(access(http, "GET", "readme.txt")["Uri"])
    before = stored_files(emulator)
    response = http.put(uri, data=b"overwritten")
    assert_storage_error(response, 403, "AuthorizationPermissionMismatch")
    assert stored_files(emulator) == before
    write_uri = local(access(http, "PUT", "readme.txt")["Uri"])
    assert_storage_error(http.get(write_uri), 403, "AuthorizationPermissionMismatch")


def test_permission_changed_in_the_uri_is_refused(http: FlaskClient, emulator: Emulator) -> None:
    """Turning `sp=r` into `sp=w` breaks the signature: 403, nothing written."""
    uri = local(access(http, "GET", "readme.txt")["Uri"])
    before = stored_files(emulator)
    assert_storage_error(
        http.put(uri.replace("sp=r", "sp=w"), data=b"x"), 403, "AuthenticationFailed"
    )
    assert stored_files(emulator) == before


def test_tampered_signature_is_refused(http: FlaskClient, emulator: Emulator) -> None:
    """A signature with one character changed is 403; so is one missing."""
    uri = local(access(http, "PUT", NEW)["Uri"])
    signature = uri.rsplit("sig=", 1)[1]
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    before = stored_files(emulator)
    assert_storage_error(
        http.put(uri.replace(signature, flipped), data=b"x"), 403, "AuthenticationFailed"
    )
    assert_storage_error(http.put(uri.split("&sig=")[0], data=b"x"), 403, "AuthenticationFailed")
    assert_storage_error(http.put(uri.split("?")[0], data=b"x"), 403, "AuthenticationFailed")
    assert stored_files(emulator) == before


def test_uri_of_another_emulator_is_refused(http: FlaskClient) -> None:
    """Each emulator signs with its own key: another instance's URI is 403 here."""
    other = Emulator().app.test_client()
    uri = local(access(other, "GET", "readme.txt")["Uri"])
    assert_storage_error(http.get(uri), 403, "AuthenticationFailed")


@pytest.mark.parametrize("dots", ["..", "%2E%2E", ".", "%2e"])
def test_dot_segments_are_refused(http: FlaskClient, emulator: Emulator, dots: str) -> None:
    """A blob path with `.` or `..` segments (raw or percent-encoded) is 403, nothing written."""
    uri = local(access(http, "PUT", "a/b.txt")["Uri"])
    path, query = uri.split("?")
    climbing = path.replace("/a/b.txt", f"/a/{dots}/b.txt")
    before = stored_files(emulator)
    response = http.put(f"{climbing}?{query}", data=b"x")
    assert_storage_error(response, 403, "AuthenticationFailed")
    assert stored_files(emulator) == before


def test_file_over_the_limit_is_413(http: FlaskClient, emulator: Emulator) -> None:
    """A body one byte over the per-file limit is 413 RequestBodyTooLarge; nothing written."""
    uri = local(access(http, "PUT", NEW)["Uri"])
    before = stored_files(emulator)
    response = http.put(uri, data=b"x" * (limits.MAX_FILE_BYTES + 1))
    message = assert_storage_error(response, 413, "RequestBodyTooLarge")
    assert str(limits.MAX_FILE_BYTES) in message
    assert stored_files(emulator) == before


def test_file_at_the_limit_is_stored(http: FlaskClient) -> None:
    """A file of exactly the per-file limit is stored and read back whole."""
    data = bytes(range(256)) * (limits.MAX_FILE_BYTES // 256)
    assert upload(http, NEW, data).status_code == 201
    assert download(http, NEW).data == data


def test_emulator_storage_limit_is_413(
    http: FlaskClient, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that would take the emulator past its storage limit is 413; replacing a file
    counts only the difference."""
    stored = sum(file["Size"] for file in stored_files(emulator))
    monkeypatch.setattr(blobs, "MAX_STORED_BYTES", stored + 10)
    assert upload(http, "ten.bin", b"0123456789").status_code == 201
    assert upload(http, "ten.bin", b"9876543210").status_code == 201
    before = stored_files(emulator)
    message = assert_storage_error(upload(http, "one.bin", b"1"), 413, "RequestBodyTooLarge")
    assert "the emulator holds at most" in message
    assert stored_files(emulator) == before


def test_missing_blob_is_404(http: FlaskClient) -> None:
    """A read URI of a path no file has is 404 BlobNotFound."""
    assert_storage_error(download(http, "no/such.txt"), 404, "BlobNotFound")


def test_uri_of_a_deleted_bucket_is_404(http: FlaskClient, emulator: Emulator) -> None:
    """A write URI of a bucket deleted since is 404 ContainerNotFound; nothing is written."""
    uri = local(access(http, "PUT", NEW)["Uri"])
    assert call(http, "DELETE", DOCUMENTS, headers=SHARED).status_code == 204
    assert_storage_error(http.put(uri, data=b"x"), 404, "ContainerNotFound")
    assert stored_files(emulator) == []


def test_unsupported_verb_is_405(http: FlaskClient) -> None:
    """DELETE on a blob URI is 405 UnsupportedHttpVerb (files are deleted through the API)."""
    uri = local(access(http, "GET", "readme.txt")["Uri"])
    assert_storage_error(http.delete(uri), 405, "UnsupportedHttpVerb")


def test_head_answers_the_size_without_a_body(http: FlaskClient) -> None:
    """HEAD on a read URI answers the headers of GET (length, type) and no body."""
    uri = local(access(http, "GET", "readme.txt")["Uri"])
    response = http.head(uri)
    assert response.status_code == 200
    assert response.headers["Content-Length"] == "24"
    assert response.data == b""


def test_unicode_and_spaces_in_paths_round_trip(http: FlaskClient) -> None:
    """A path with spaces, `%`, `?`, `#` and non-ASCII letters is quoted in the URI and works."""
    path = "Rechnungen/März 2026/50% off?#1.txt"
    uri = access(http, "PUT", path)["Uri"]
    assert quote("März 2026") in uri
    assert http.put(local(uri), data=b"ok").status_code == 201
    assert download(http, path).data == b"ok"


def test_signature_is_not_in_the_signer_repr(emulator: Emulator) -> None:
    """The signer's repr shows no key material."""
    assert repr(emulator.uri_signer) == "<UriSigner>"


def test_journal_redacts_the_signature(http: FlaskClient, emulator: Emulator) -> None:
    """The request journal keeps a blob request's expiry and permission, never its `sig`."""
    uri = local(access(http, "GET", "readme.txt")["Uri"])
    signature = uri.rsplit("sig=", 1)[1]
    assert http.get(uri).status_code == 200
    (entry,) = [entry for entry in emulator.requests if entry.path.startswith("/_blob/")]
    assert entry.query["sig"] == "***"
    assert entry.query["sp"] == "r"
    assert signature not in entry.query_string


def test_file_limit_is_what_every_transport_reads() -> None:
    """The per-file limit equals the request-body limit of the server and the proxy, so every
    transport refuses the same sizes."""
    assert limits.MAX_FILE_BYTES == MAX_BODY_BYTES
