"""Pre-signed blob URIs through a real `uipath-mock` server: a file of the largest size is
moved whole, one byte more is refused by the transport in the storage's own shape, and
concurrent uploads are all kept."""

from concurrent.futures import ThreadPoolExecutor

import requests

from tests.subprocess_helpers import http_session
from uipath_emulator.mock_server.orchestrator.storage.limits import MAX_FILE_BYTES
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT

ODATA = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
FUNCTIONS = "UiPath.Server.Configuration.OData"


def _uri(session: requests.Session, server: EmulatorServer, name: str, path: str) -> str:
    token = session.post(
        f"{server.base_url}/identity_/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": FULL.client_id,
            "client_secret": FULL.client_secret,
        },
        timeout=10,
    ).json()["access_token"]
    answer = session.get(
        f"{server.base_url}{ODATA}/Buckets(1)/{FUNCTIONS}.{name}",
        params={"path": path},
        headers={"Authorization": f"Bearer {token}", "X-UIPATH-FolderPath": "Shared"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    uri = str(answer.json()["Uri"])
    assert uri.startswith(f"{server.base_url}/_blob/")
    return uri


def test_file_of_the_largest_size_round_trips(uipath_server: EmulatorServer) -> None:
    """A 1 MiB file PUT to a write URI over the socket reads back byte for byte."""
    data = bytes(range(256)) * (MAX_FILE_BYTES // 256)
    with http_session() as session:
        put = session.put(
            _uri(session, uipath_server, "GetWriteUri", "big.bin"), data=data, timeout=10
        )
        assert put.status_code == 201, put.text
        got = session.get(_uri(session, uipath_server, "GetReadUri", "big.bin"), timeout=10)
    assert got.content == data


def test_one_byte_over_is_413_in_storage_shape(uipath_server: EmulatorServer) -> None:
    """The server refuses a body over the limit before reading it: 413 RequestBodyTooLarge."""
    with http_session() as session:
        uri = _uri(session, uipath_server, "GetWriteUri", "big.bin")
        put = session.put(uri, data=b"x" * (MAX_FILE_BYTES + 1), timeout=10)
    assert put.status_code == 413
    assert put.headers["x-ms-error-code"] == "RequestBodyTooLarge"
    assert put.text.startswith('<?xml version="1.0" encoding="utf-8"?><Error>')


def test_concurrent_uploads_are_all_kept(uipath_server: EmulatorServer) -> None:
    """Uploads of 16 files from 8 threads at once are each acknowledged and each stored whole."""
    files = {f"parallel/{index}.bin": bytes([index]) * (1000 + index) for index in range(16)}

    def put(path: str) -> int:
        with http_session() as session:
            uri = _uri(session, uipath_server, "GetWriteUri", path)
            return session.put(uri, data=files[path], timeout=10).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(put, files))
    assert statuses == [201] * len(files)
    with http_session() as session:
        for path, data in files.items():
            assert (
                session.get(_uri(session, uipath_server, "GetReadUri", path), timeout=10).content
                == data
            )
