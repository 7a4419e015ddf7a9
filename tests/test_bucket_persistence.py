"""Bucket files with `--state`: written bytes survive a restart; old URIs do not."""

from pathlib import Path

from tests.orchestrator.bucket_helpers import access, download, local, upload
from tests.orchestrator.helpers import token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.persistence import DurableState


def test_uploaded_file_survives_a_restart(tmp_path: Path) -> None:
    """A file written through a URI is journaled at once; a new emulator on the state file
    serves the same bytes, and refuses the URI the old one signed."""
    path = tmp_path / "state.json"
    emulator = Emulator(state_file=path)
    http = emulator.app.test_client()
    data = bytes(range(256)) * 40
    assert upload(http, "kept/data.bin", data, "application/x-kept").status_code == 201
    old_uri = local(access(http, "GET", "kept/data.bin")["Uri"])
    assert DurableState(path).recover() == emulator.state()
    emulator.close()

    reloaded = Emulator(state_file=path)
    again = reloaded.app.test_client()
    token_for(again)
    got = download(again, "kept/data.bin")
    assert got.data == data
    assert got.headers["Content-Type"] == "application/x-kept"
    assert again.get(old_uri).status_code == 403
    reloaded.close()


def test_refused_upload_leaves_the_state_file_alone(tmp_path: Path) -> None:
    """A write refused for its size changes neither the world nor the journal."""
    path = tmp_path / "state.json"
    emulator = Emulator(state_file=path)
    http = emulator.app.test_client()
    journal = Path(f"{path}.journal")
    before = journal.read_bytes() if journal.exists() else b""
    uri = local(access(http, "PUT", "big.bin")["Uri"])
    assert http.put(uri, data=b"x" * (1024 * 1024 + 1)).status_code == 413
    after = journal.read_bytes() if journal.exists() else b""
    assert after == before
    emulator.close()
