"""pytest plugin (registered through the `pytest11` entry point): emulator fixtures for tests.

- `uipath_emulator`: a fresh emulator per test, with `https://cloud.uipath.com` intercepted
  in-process (no socket);
- `uipath_server`: one real HTTP server per session on a free loopback port, reset before
  each test; `.base_url`, `.emulator`;
- `uipath_client`: the bundled client with the well-known `full` app, on `uipath_emulator`;
- `uipath_proxy`: an HTTPS proxy in front of `uipath_server`'s emulator (one per session, with
  a CA of its own in a temporary folder), for clients that hard-code https://cloud.uipath.com;
  `.environment()` gives the variables that send a client (e.g. a subprocess) through it.

`@pytest.mark.uipath_world("world.json")` loads another world file (a relative path is taken
from the test file's folder) into the fixtures for one test.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from uipath_emulator.client import UiPathClient
    from uipath_emulator.mock_server.emulator import Emulator
    from uipath_emulator.mock_server.transports.proxy import ProxyServer
    from uipath_emulator.mock_server.transports.server import EmulatorServer


def pytest_configure(config: pytest.Config) -> None:
    """Declare the plugin's marker so that `--strict-markers` accepts it."""
    config.addinivalue_line(
        "markers", "uipath_world(path): load this world file into the emulator fixtures"
    )


def _marker_world(request: pytest.FixtureRequest) -> dict[str, Any] | None:
    from uipath_emulator.mock_server.world.files import read_world_document

    marker = request.node.get_closest_marker("uipath_world")
    if marker is None:
        return None
    given = Path(marker.args[0])
    candidates = [given]
    if not given.is_absolute():
        candidates = [request.path.parent / given, Path(request.config.rootpath) / given]
    for path in candidates:
        if path.is_file():
            return read_world_document(path)
    looked = " and ".join(str(path) for path in candidates)
    where = " (beside the test file, then under the rootdir)" if len(candidates) == 2 else ""
    pytest.fail(
        f"@pytest.mark.uipath_world({marker.args[0]!r}): no such file; looked for {looked}{where}",
        pytrace=False,
    )


@pytest.fixture
def uipath_emulator(request: pytest.FixtureRequest) -> Iterator["Emulator"]:
    """A fresh emulator; `requests` calls to https://cloud.uipath.com reach it in-process."""
    from uipath_emulator.mock_server.emulator import Emulator

    emulator = Emulator(_marker_world(request))
    with emulator.intercept():
        yield emulator


@pytest.fixture(scope="session")
def _uipath_server_session() -> Iterator["EmulatorServer"]:
    from uipath_emulator.mock_server.emulator import Emulator
    from uipath_emulator.mock_server.transports.server import EmulatorServer

    server = EmulatorServer(Emulator(), host="127.0.0.1", port=0).start()
    yield server
    server.stop()


@pytest.fixture
def uipath_server(
    request: pytest.FixtureRequest, _uipath_server_session: "EmulatorServer"
) -> "EmulatorServer":
    """The session's emulator server, reset to its world (or the marker's) for this test."""
    server = _uipath_server_session
    server.emulator.reset()
    world = _marker_world(request)
    if world is not None:
        server.emulator.load(world)
    return server


@pytest.fixture(scope="session")
def _uipath_proxy_session(
    _uipath_server_session: "EmulatorServer", tmp_path_factory: pytest.TempPathFactory
) -> Iterator["ProxyServer"]:
    from uipath_emulator.mock_server.tls import CertificateAuthority
    from uipath_emulator.mock_server.transports.proxy import ProxyServer

    authority = CertificateAuthority.load_or_create(tmp_path_factory.mktemp("uipath-proxy-ca"))
    with ProxyServer(_uipath_server_session.emulator, authority) as proxy:
        yield proxy


@pytest.fixture
def uipath_proxy(
    uipath_server: "EmulatorServer", _uipath_proxy_session: "ProxyServer"
) -> "ProxyServer":
    """The session's HTTPS proxy in front of `uipath_server`'s emulator (reset for this test).

    `CONNECT cloud.uipath.com:443` (and alpha, staging) reaches the emulator; `.url` is the
    proxy, `.environment()` the `HTTPS_PROXY`, `NO_PROXY`, `SSL_CERT_FILE` and
    `REQUESTS_CA_BUNDLE` values for a client, `.authority` the CA (a temporary one).
    """
    return _uipath_proxy_session


@pytest.fixture
def uipath_client(uipath_emulator: "Emulator") -> Iterator["UiPathClient"]:
    """The bundled client as the well-known `full` app of acme/DefaultTenant, on the emulator.

    Its waits (retry back-off, `Retry-After`) advance the emulator's clock instead of sleeping.
    """
    from uipath_emulator.client import UiPathClient
    from uipath_emulator.mock_server.emulator import DEFAULT_BASE_URL
    from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT

    with UiPathClient(
        base_url=DEFAULT_BASE_URL,
        organization=ORGANIZATION,
        tenant=TENANT,
        client_id=FULL.client_id,
        client_secret=str(FULL.client_secret),
        sleep=uipath_emulator.clock.advance,
    ) as uipath:
        yield uipath
