"""`uipath-mock` option handling that needs no process: which hosts count as loopback."""

import pytest

from uipath_emulator.mock_server.cli.main import build_parser, is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "localhost"])
def test_loopback_hosts(host: str) -> None:
    """Loopback addresses (and localhost) keep the control plane on by default."""
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "example.com"])  # noqa: S104 (parsed, never bound)
def test_non_loopback_hosts(host: str) -> None:
    """Any other bind address turns the control plane off unless a control token is given."""
    assert not is_loopback(host)


def test_control_token_and_no_control_exclude_each_other() -> None:
    """`--control-token` and `--no-control` cannot be combined."""
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["--control-token", "t", "--no-control"])
    assert stopped.value.code == 2
