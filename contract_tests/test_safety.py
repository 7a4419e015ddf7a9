"""The suite's own safety: without the write flag, nothing but the token request is POSTed."""

import pytest

from uipath_emulator.contract_tests.targets import PROCESS, PROCESS_FOLDER, cloud_target
from uipath_emulator.contract_tests.transport import ContractSession, WriteBlockedError
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import FULL

ENV = {
    "UIPATH_URL": "https://cloud.uipath.com/acme/DefaultTenant",
    "UIPATH_CLIENT_ID": FULL.client_id,
    "UIPATH_CLIENT_SECRET": str(FULL.client_secret),
}


def test_cloud_target_without_flag_sends_no_write() -> None:
    """A cloud target without UIPATH_CONTRACT_ALLOW_WRITES refuses every write before sending it."""
    target = cloud_target(ENV)
    assert not target.allow_writes
    emulator = Emulator()
    session = target.new_session()
    with emulator.intercept(), target.client(session) as api:
        assert api.machines.list(top=1).items
        for write in (
            lambda: api.machines.create({"Name": "contract-test-x"}),
            lambda: api.machines.update(1, {"Description": "x"}),
            lambda: api.machines.replace(1, {"Name": "x"}),
            lambda: api.machines.delete(1),
            lambda: api.machines.delete_many([1]),
        ):
            with pytest.raises(WriteBlockedError):
                write()
    methods = [entry.method for entry in emulator.requests]
    assert methods == ["POST", "GET"]
    assert session.writes() == []
    assert [sent.method for sent in session.sent if sent.blocked] == [
        "POST",
        "PATCH",
        "PUT",
        "DELETE",
        "POST",
    ]


def test_cloud_target_with_flag_allows_writes() -> None:
    """UIPATH_CONTRACT_ALLOW_WRITES=1 lets the write tests run on the cloud target."""
    assert cloud_target({**ENV, "UIPATH_CONTRACT_ALLOW_WRITES": "1"}).allow_writes


def test_missing_cloud_variables_are_all_named() -> None:
    """A cloud target without its variables names every missing one."""
    with pytest.raises(Exception, match="UIPATH_URL, UIPATH_CLIENT_ID, UIPATH_CLIENT_SECRET"):
        cloud_target({})


def test_session_records_token_posts_as_not_writes() -> None:
    """The token POST is sent and not counted as a write."""
    session = ContractSession(
        token_url="https://x/acme/identity_/connect/token", allow_writes=False
    )
    with Emulator().intercept("https://x"):
        session.post("https://x/acme/identity_/connect/token", data={"a": "b"}, timeout=5)
    assert session.writes() == []
    assert [sent.blocked for sent in session.sent] == [False]


def test_cloud_target_without_flag_sends_no_asset_write() -> None:
    """Without the flag, asset create, replace and delete are refused before sending; reads go."""
    target = cloud_target(ENV)
    emulator = Emulator()
    before = emulator.state()
    session = target.new_session()
    with emulator.intercept(), target.client(session) as api:
        assert api.assets.list(folder="Shared").items
        for write in (
            lambda: api.assets.create({"Name": "contract-test-x"}, folder="Shared"),
            lambda: api.assets.replace(1, {"Name": "x"}, folder="Shared"),
            lambda: api.assets.delete(1, folder="Shared"),
        ):
            with pytest.raises(WriteBlockedError):
                write()
    assert session.writes() == []
    assert [sent.method for sent in session.sent if sent.blocked] == ["POST", "PUT", "DELETE"]
    assert emulator.state() == before


def test_cloud_target_without_flag_starts_stops_and_restarts_no_job() -> None:
    """Without UIPATH_CONTRACT_ALLOW_WRITES, StartJobs, StopJobs and RestartJob are refused before
    they are sent; the job reads still go out."""
    target = cloud_target({**ENV, PROCESS: "HelloWorld", PROCESS_FOLDER: "Shared"})
    emulator = Emulator()
    session = target.new_session()
    with emulator.intercept(), target.client(session) as api:
        assert [job["Id"] for job in api.jobs.list(top=1).items] == [1]  # the world's first
        for write in (
            lambda: api.processes.start("HelloWorld", folder="Shared"),
            lambda: api.jobs.stop(1, folder="Shared"),
            lambda: api.jobs.restart(1, folder="Shared"),
        ):
            with pytest.raises(WriteBlockedError):
                write()
    assert [entry.method for entry in emulator.requests] == ["POST", "GET"]
    assert session.writes() == []


@pytest.mark.parametrize(
    ("variables", "process"),
    [
        ({PROCESS: "Nightly", PROCESS_FOLDER: "Ops/Batch"}, ("Nightly", "Ops/Batch")),
        ({PROCESS: "Nightly"}, None),
        ({PROCESS_FOLDER: "Ops"}, None),
        ({PROCESS: " ", PROCESS_FOLDER: "Ops"}, None),
    ],
)
def test_cloud_target_names_a_process_only_with_both_variables(
    variables: dict[str, str], process: tuple[str, str] | None
) -> None:
    """The job write tests get a process (name, folder) only when both variables are set."""
    assert cloud_target({**ENV, **variables}).process == process
