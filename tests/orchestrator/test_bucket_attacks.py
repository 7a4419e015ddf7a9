"""Storage buckets under attack: each test pins a refusal or answer an adversarial review found
wrong in the first version (a 500, a limit or signature bypass, a fidelity slip), now fixed."""

import base64
import contextlib
import copy
import json
import traceback
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from tests.orchestrator.bucket_helpers import (
    BUCKETS,
    SHARED,
    access,
    download,
    function,
    local,
    stored_files,
    upload,
)
from tests.orchestrator.helpers import assert_orchestrator_error, call
from uipath_emulator.mock_server import Emulator, WorldError
from uipath_emulator.mock_server.orchestrator.errors import ApiError
from uipath_emulator.mock_server.orchestrator.storage.limits import MAX_FILE_BYTES
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

HARNESS_FILES = f"/_emulator/entities/{ORGANIZATION}/{TENANT}/BucketFiles"


def default_document() -> dict[str, Any]:
    """A fresh copy of the well-known world as a document."""
    return copy.deepcopy(Emulator().state())


def seeded_world(record: dict[str, Any]) -> dict[str, Any]:
    """The well-known world with one more BucketFiles record in acme/DefaultTenant."""
    document = default_document()
    document["organizations"][0]["tenants"][0]["entities"]["BucketFiles"].append(record)
    return document


def test_blob_uri_with_a_huge_bucket_id_is_not_a_500(http: FlaskClient) -> None:
    """A blob URI whose bucket segment has 5000 digits is refused in storage shape (400
    InvalidUri), not a 500."""
    uri = local(access(http, "GET", "readme.txt")["Uri"])
    tampered = uri.replace("/1/readme.txt", "/" + "9" * 5000 + "/readme.txt")
    response = http.get(tampered)
    assert response.status_code == 400, response.data
    assert response.headers["Content-Type"] == "application/xml"
    assert b"<Code>InvalidUri</Code>" in response.data


def test_world_file_with_a_bad_last_modified_is_refused_naming_it() -> None:
    """A world file whose LastModified is not a date is refused at load, naming the member and
    its form (it never loads and then makes every GET of its URI a 500)."""
    record = {"BucketId": 1, "FullPath": "lm.txt", "Content": "aGk=", "LastModified": "garbage"}
    with pytest.raises(WorldError, match=r"BucketFiles\[\d+\]\.LastModified: .*date-time"):
        Emulator(seeded_world(record))


def test_harness_file_with_a_newline_in_its_content_type_is_refused(http: FlaskClient) -> None:
    """The harness refuses a file whose ContentType holds CR/LF (400, nothing stored), rather
    than storing a value that makes every download of the file a 500."""
    record = {
        "BucketId": 1,
        "FullPath": "crlf.txt",
        "Content": "aGk=",
        "ContentType": "text/plain\r\nX-Injected: 1",
    }
    added = http.post(HARNESS_FILES, json=record)
    assert added.status_code == 400, added.data
    assert "ContentType" in added.get_json()["message"]
    assert download(http, "crlf.txt").status_code == 404


def test_world_file_with_a_lone_surrogate_path_is_refused_naming_it() -> None:
    """A world file whose FullPath holds a lone surrogate (JSON `\\ud800`) is refused at load,
    naming the member (it never loads so that GetFiles and ListFiles answer 500)."""
    record = {"BucketId": 1, "FullPath": "s\ud800.txt", "Content": "aGk="}
    with pytest.raises(WorldError, match=r"BucketFiles\[\d+\]\.FullPath: .*lone surrogate"):
        Emulator(seeded_world(record))


def test_harness_cannot_store_a_file_over_the_per_file_limit(emulator: Emulator) -> None:
    """The documented 1 MiB per-file limit holds for files seeded through the harness too."""
    files = emulator.entities(ORGANIZATION, TENANT, "BucketFiles")
    content = base64.b64encode(b"x" * (MAX_FILE_BYTES + 1)).decode("ascii")
    with contextlib.suppress(ApiError):
        files.add({"BucketId": 1, "FullPath": "big.bin", "Content": content})
    assert all(record["Size"] <= MAX_FILE_BYTES for record in stored_files(emulator))


def test_world_file_over_the_per_file_limit_is_refused() -> None:
    """A world file larger than the documented 1 MiB limit is refused at load, naming Content."""
    content = base64.b64encode(b"x" * (MAX_FILE_BYTES + 1)).decode("ascii")
    record = {"BucketId": 1, "FullPath": "big.bin", "Content": content}
    with pytest.raises(WorldError) as raised:
        Emulator(seeded_world(record))
    assert "Content" in str(raised.value)


def test_write_uri_from_before_a_reset_cannot_write_into_a_new_bucket(
    http: FlaskClient, emulator: Emulator
) -> None:
    """A write URI signed for a bucket the reset removed does not write into a different bucket
    that later gets the same Id (the uipath_server fixture resets between tests)."""
    created = call(
        http,
        "POST",
        BUCKETS,
        headers=SHARED,
        json={"Name": "Old", "Identifier": "6f1d2b1e-0000-4000-8000-000000000001"},
    ).get_json()
    stale = local(access(http, "PUT", "x.txt", bucket_id=created["Id"])["Uri"])
    emulator.reset()
    fresh = call(
        http,
        "POST",
        BUCKETS,
        headers=SHARED,
        json={"Name": "New", "Identifier": "6f1d2b1e-0000-4000-8000-000000000002"},
    ).get_json()
    assert fresh["Id"] == created["Id"]
    response = http.put(stale, data=b"from the previous world")
    assert response.status_code == 403, response.status_code
    assert not [record for record in stored_files(emulator) if record["BucketId"] == fresh["Id"]]


def test_bucket_identifier_must_be_a_guid(http: FlaskClient) -> None:
    """POST Buckets with an Identifier that is not a GUID is 400 (BucketDto.Identifier is a
    uuid in the 20.0 spec, facts 5.2), not 201."""
    response = call(
        http, "POST", BUCKETS, headers=SHARED, json={"Name": "NotGuid", "Identifier": "O'Brien"}
    )
    assert response.status_code == 400, response.data


def test_braced_form_of_a_taken_identifier_is_a_duplicate(http: FlaskClient) -> None:
    """`{guid}` is the same Guid as `guid` to .NET, so a second bucket with the braced form of
    a taken Identifier is refused (409/1001), not stored as a second bucket with that Guid."""
    guid = "6f1d2b1e-0000-4000-8000-00000000000c"
    first = call(http, "POST", BUCKETS, headers=SHARED, json={"Name": "a", "Identifier": guid})
    assert first.status_code == 201, first.data
    second = call(
        http, "POST", BUCKETS, headers=SHARED, json={"Name": "b", "Identifier": "{" + guid + "}"}
    )
    assert_orchestrator_error(second, 409, 1001)


@pytest.mark.parametrize("minutes", ["1_0", "\u0663"], ids=["underscore", "arabic-indic-3"])
def test_expiry_in_minutes_is_an_ascii_integer(http: FlaskClient, minutes: str) -> None:
    """`expiryInMinutes` that ASP.NET's Int32 binding refuses (`1_0`, non-ASCII digits) is 400,
    not read by Python's int() as 10 or 3 minutes."""
    response = call(
        http,
        "GET",
        function("GetReadUri"),
        headers=SHARED,
        query_string={"path": "readme.txt", "expiryInMinutes": minutes},
    )
    assert response.status_code == 400, response.data


def test_transport_error_chain_does_not_carry_the_signature() -> None:
    """When a blob transfer cannot connect, the TransportError's whole traceback (what
    `logger.exception` prints) shows the URI without its `sig`."""
    from uipath_emulator.client._transport import (
        RetryPolicy,
        Transport,
        TransportError,
    )

    transport = Transport(
        requests.Session(),
        timeout=(2.0, 2.0),
        retry=RetryPolicy(max_attempts=1),
        sleep=lambda _seconds: None,
        jitter=lambda: 0.0,
    )
    uri = (
        "http://127.0.0.1:9/_blob/acme/DefaultTenant/1/readme.txt"
        "?se=2026-11-30T16:00:00Z&sp=r&sig=SECRETSIGNATURE"
    )
    with pytest.raises(TransportError) as raised:
        transport.send("GET", uri, idempotent=False, shown_url=uri.split("?", 1)[0])
    printed = "".join(traceback.format_exception(raised.value))
    assert "SECRETSIGNATURE" not in printed


def test_upload_then_json_world_round_trip_keeps_bytes(emulator: Emulator) -> None:
    """Sanity: bytes uploaded survive `state()` -> `Emulator(document)` exactly."""
    http = emulator.app.test_client()
    data = bytes(range(256))
    assert upload(http, "rt/bytes.bin", data).status_code == 201
    again = Emulator(json.loads(json.dumps(emulator.state())))
    assert download(again.app.test_client(), "rt/bytes.bin").data == data
