"""The `uipath-client` command line, driven through `main(argv)`."""

from __future__ import annotations

import json

import pytest
import responses

from tests.client.fakes import (
    CLIENT_ID,
    CLIENT_SECRET,
    MACHINES_URL,
    TENANT_URL,
    TOKEN_URL,
    TOKEN_VALUES,
    add_tokens,
    list_body,
    machine,
    orchestrator_error,
    token_body,
)
from uipath_emulator.client.cli import main


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment names the test tenant and the full app's credentials."""
    monkeypatch.setenv("UIPATH_URL", TENANT_URL)
    monkeypatch.setenv("UIPATH_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("UIPATH_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.delenv("UIPATH_SCOPES", raising=False)


def test_machines_list_prints_a_table_of_every_machine(
    rsps: responses.RequestsMock, capsys: pytest.CaptureFixture[str]
) -> None:
    """`machines list` prints Id, Name, Type and Scope of every machine as aligned columns."""
    add_tokens(rsps)
    template = {**machine(2, "Finance template"), "Type": "Template", "Scope": "Shared"}
    rsps.get(MACHINES_URL, json=list_body([machine(1, "BUILD-AGENT-01"), template]))
    assert main(["machines", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Id  Name              Type      Scope",
        "--  ----------------  --------  -------",
        "1   BUILD-AGENT-01    Standard  Default",
        "2   Finance template  Template  Shared",
    ]


def test_machines_list_json_prints_the_machines_as_sent(
    rsps: responses.RequestsMock, capsys: pytest.CaptureFixture[str]
) -> None:
    """`machines list --json` prints the machine dicts as a JSON array."""
    add_tokens(rsps)
    rsps.get(MACHINES_URL, json=list_body([machine(1), machine(2)]))
    assert main(["machines", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [machine(1), machine(2)]


def test_machines_list_passes_filter_and_top_through(
    rsps: responses.RequestsMock, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--filter` and `--top N` become `$filter` and `$top` on one list request."""
    add_tokens(rsps)
    rsps.get(
        MACHINES_URL,
        json=list_body([machine(3)], count=9),
        match=[
            responses.matchers.query_param_matcher({"$filter": "Type eq 'Standard'", "$top": "1"})
        ],
    )
    assert main(["machines", "list", "--filter", "Type eq 'Standard'", "--top", "1"]) == 0
    assert "MACHINE-003" in capsys.readouterr().out


def test_token_prints_expiry_and_scopes_but_not_the_token(
    rsps: responses.RequestsMock, capsys: pytest.CaptureFixture[str]
) -> None:
    """`token` shows type, lifetime, expiry time and scopes, never the token value."""
    rsps.post(TOKEN_URL, json=token_body(scope="OR.Machines OR.Machines.Read"))
    assert main(["token"]) == 0
    output = capsys.readouterr().out
    assert "token_type: Bearer" in output
    assert "expires_in: 3600" in output
    assert "expires_at: 20" in output
    assert "scope: OR.Machines OR.Machines.Read" in output
    assert TOKEN_VALUES[0] not in output


def test_wrong_secret_exits_1_with_one_line_naming_invalid_client(
    rsps: responses.RequestsMock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused secret prints one `invalid_client` line on stderr, exits 1, with no traceback."""
    rsps.post(TOKEN_URL, status=400, json={"error": "invalid_client"})
    assert main(["machines", "list"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: invalid_client (token request rejected with HTTP 400)\n"


def test_api_errors_exit_1_with_one_line(
    rsps: responses.RequestsMock, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Orchestrator error prints its status and message on one stderr line and exits 1."""
    add_tokens(rsps)
    rsps.get(MACHINES_URL, **orchestrator_error(403, "You are not authorized!"))
    assert main(["machines", "list"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: HTTP 403 GET ")
    assert "You are not authorized!" in line


def test_missing_variables_exit_2_naming_them_all(
    rsps: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without credentials the CLI exits 2 with one line naming every missing variable."""
    monkeypatch.delenv("UIPATH_CLIENT_ID")
    monkeypatch.delenv("UIPATH_CLIENT_SECRET")
    assert main(["token"]) == 2
    assert capsys.readouterr().err == (
        "error: missing environment variables: UIPATH_CLIENT_ID, UIPATH_CLIENT_SECRET\n"
    )
    assert len(rsps.calls) == 0


def test_verbose_logs_requests_to_stderr_without_secrets(
    rsps: responses.RequestsMock, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-v` logs the client's requests to stderr, showing neither secret nor token."""
    add_tokens(rsps)
    rsps.get(MACHINES_URL, json=list_body([]))
    assert main(["-v", "machines", "list"]) == 0
    log = capsys.readouterr().err
    assert "requesting a token" in log
    assert f"GET {MACHINES_URL}?$orderby=Id&$top=100&$skip=0 -> 200" in log
    assert CLIENT_SECRET not in log
    assert TOKEN_VALUES[0] not in log


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing command is a usage error: argparse's message and exit status 2."""
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert "usage: uipath-client" in capsys.readouterr().err
