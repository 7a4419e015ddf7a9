"""Which request targets the proxy serves: decided by pure functions, for any bytes at all."""

from collections.abc import Callable
from http import HTTPStatus
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uipath_emulator.mock_server.tls import EMULATED_HOSTS
from uipath_emulator.mock_server.transports.proxy.targets import (
    RefusedError,
    host_header_matches,
    plain_target,
    tunnel_host,
    tunnelled_path,
)

_T = TypeVar("_T")
TARGETS = st.one_of(
    st.binary(max_size=80),
    st.builds(
        lambda host, port: f"{host}:{port}".encode(),
        st.sampled_from([*EMULATED_HOSTS, "CLOUD.UIPATH.COM.", "example.com", "", "[::1]"]),
        st.one_of(st.integers(-1, 70000).map(str), st.text(max_size=6)),
    ),
)


def decide(function: Callable[[bytes], _T], target: bytes) -> _T | RefusedError:
    """What `function` makes of `target`: its result, or the refusal it raised."""
    try:
        return function(target)
    except RefusedError as error:
        return error


@settings(max_examples=300, deadline=None)
@given(TARGETS)
def test_any_connect_target_is_an_emulated_host_or_refused(target: bytes) -> None:
    """A CONNECT target is either one of the three hosts on 443, or a 400/403 refusal."""
    decided = decide(tunnel_host, target)
    if isinstance(decided, RefusedError):
        assert decided.status in (HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN)
        assert "\n" not in decided.text
    else:
        assert decided in EMULATED_HOSTS
        host, _, port = target.decode().rpartition(":")
        assert (host.lower().rstrip("."), int(port)) == (decided, 443)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.binary(max_size=80), st.text(max_size=60).map(lambda t: f"http://{t}".encode()))
)
def test_any_plain_target_is_an_emulated_url_or_refused(target: bytes) -> None:
    """An absolute-form target is an emulated host's http:// URL on port 80, or refused."""
    decided = decide(plain_target, target)
    if isinstance(decided, RefusedError):
        assert decided.status in (HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN)
    else:
        host, path = decided
        assert host in EMULATED_HOSTS
        assert path.startswith("/")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (b"cloud.uipath.com:443", "cloud.uipath.com"),
        (b"Staging.UiPath.com.:443", "staging.uipath.com"),
        (b"alpha.uipath.com:0443", "alpha.uipath.com"),
    ],
)
def test_connect_host_matching_ignores_case_and_a_trailing_dot(
    target: bytes, expected: str
) -> None:
    """Host names compare case-insensitively, a trailing dot allowed, the port as a number."""
    assert tunnel_host(target) == expected


def test_tunnelled_absolute_target_must_name_the_tunnel_host() -> None:
    """Inside a tunnel, an absolute https:// target is its path; another host is refused."""
    assert tunnelled_path(b"https://cloud.uipath.com/a?b=1", "cloud.uipath.com") == "/a?b=1"
    with pytest.raises(RefusedError):
        tunnelled_path(b"https://example.com/a", "cloud.uipath.com")


@pytest.mark.parametrize(
    ("value", "matches"),
    [
        ("cloud.uipath.com", True),
        ("CLOUD.uipath.com:443", True),
        ("alpha.uipath.com", False),
        ("localhost", False),
        ("[::1]:443", False),
        ("cloud.uipath.com:bad", False),
    ],
)
def test_host_header_must_name_the_tunnel_host(value: str, matches: bool) -> None:
    """A tunnel's requests must name its host in `Host` (any case, any port)."""
    assert host_header_matches(value, "cloud.uipath.com") is matches
