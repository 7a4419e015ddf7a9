"""Properties of bucket files: any bytes at any valid path come back exactly, and the
functions that list files agree with what was written."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.orchestrator.bucket_helpers import SHARED, download, list_files_path, upload
from tests.orchestrator.helpers import call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.storage.paths import file_path

RUNS = settings(max_examples=40, deadline=None)
SEGMENT_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\")
SEGMENTS = st.text(SEGMENT_CHARACTERS, min_size=1, max_size=12).filter(
    lambda segment: segment not in (".", "..")
)
PATHS = st.lists(SEGMENTS, min_size=1, max_size=4).map("/".join)
_EMULATOR = Emulator()
_HTTP = _EMULATOR.app.test_client()


@RUNS
@given(
    data=st.binary(max_size=4096),
    path=PATHS,
    content_type=st.sampled_from(
        ["application/octet-stream", "text/plain; charset=utf-8", "image/png", "application/pdf"]
    ),
)
def test_bytes_round_trip_at_any_valid_path(data: bytes, path: str, content_type: str) -> None:
    """What a write URI stores, a read URI answers: the same bytes and content type."""
    assert upload(_HTTP, path, data, content_type).status_code == 201
    got = download(_HTTP, path)
    assert got.status_code == 200, got.data
    assert got.data == data
    assert got.headers["Content-Type"] == content_type


@RUNS
@given(path=PATHS)
def test_listed_path_is_the_stored_form(path: str) -> None:
    """ListFiles names a written file by its stored form: one leading `/`, segments kept."""
    upload(_HTTP, path, b"x")
    response = call(
        _HTTP, "GET", list_files_path(), headers=SHARED, query_string={"prefix": file_path(path)}
    )
    paths = [item["fullPath"] for item in response.get_json()["items"]]
    assert file_path(path) in paths
    assert file_path(path) == "/" + path


@RUNS
@given(path=st.text(string.printable, max_size=20))
def test_paths_are_stored_or_refused_never_escaping(path: str) -> None:
    """Any text is either refused as a path or stored without `.`/`..`/empty segments."""
    try:
        stored = file_path(path)
    except ValueError:
        return
    segments = stored.split("/")
    assert segments[0] == ""
    assert all(segment not in ("", ".", "..") for segment in segments[1:])
