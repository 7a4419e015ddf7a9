"""Contract suite plumbing: `--target`, `--record`, the target fixture and its clients."""

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from uipath_emulator.client import AuthenticationError, UiPathClient
from uipath_emulator.contract_tests.options import add_contract_options
from uipath_emulator.contract_tests.recording import Recorder
from uipath_emulator.contract_tests.targets import (
    CLOUD_EXAMPLES,
    TARGET_NAMES,
    ConfigurationError,
    Target,
    cloud_target,
    inprocess_target,
    server_target,
)
from uipath_emulator.contract_tests.transport import ContractSession


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--target` and `--record` (already there when loaded with `-p ...contract_tests.options`)."""
    with contextlib.suppress(ValueError):  # registered by the `options` plugin already
        add_contract_options(parser)


CLOUD_NOT_RUN = pytest.StashKey[str]()
CLOUD_SETUP = (
    "set UIPATH_URL=https://cloud.uipath.com/{organization}/{tenant}, UIPATH_CLIENT_ID and "
    "UIPATH_CLIENT_SECRET"
)


def pytest_configure(config: pytest.Config) -> None:
    """Declare the suite's markers; refuse an explicit `--target cloud` that is not configured."""
    config.addinivalue_line(
        "markers", "writes: creates/changes/deletes machines, assets, queues or jobs on the target"
    )
    config.addinivalue_line("markers", "emulator_only: needs the emulator's clock, faults or world")
    try:
        cloud_target()
    except ConfigurationError as error:
        if "cloud" in _named_targets(config):
            raise pytest.UsageError(
                f"--target cloud is not configured: {error}; {CLOUD_SETUP}"
            ) from None
        config.stash[CLOUD_NOT_RUN] = str(error)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line saying the cloud target did not run, and why, when it was not asked for."""
    config = terminalreporter.config
    reason = config.stash.get(CLOUD_NOT_RUN, None)
    if reason is not None and config.getoption("--target") is None:
        terminalreporter.write_line(
            f"contract suite: cloud target not run ({reason}; {CLOUD_SETUP} to run it)"
        )


def _named_targets(config: pytest.Config) -> list[str]:
    option = config.getoption("--target")
    if option is None:
        return []
    names = [name.strip() for name in str(option).split(",") if name.strip()]
    unknown = [name for name in names if name not in TARGET_NAMES]
    if unknown or not names:
        raise pytest.UsageError(f"--target takes {','.join(TARGET_NAMES)}; got {names}")
    return names


def selected_targets(config: pytest.Config) -> list[str]:
    """The targets named by `--target`, or by default the emulator's and a configured cloud."""
    named = _named_targets(config)
    if named:
        return named
    if CLOUD_NOT_RUN in config.stash:
        return ["inprocess", "server"]
    return list(TARGET_NAMES)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses `target` once per selected target."""
    if "target" in metafunc.fixturenames:
        names = selected_targets(metafunc.config)
        metafunc.parametrize("target", names, indirect=True, ids=names)


@pytest.fixture(scope="session")
def _inprocess_target() -> Target:
    return inprocess_target()


@pytest.fixture(scope="session")
def _server_target() -> Iterator[Target]:
    with server_target() as target:
        yield target


@pytest.fixture(scope="session")
def _cloud_target() -> Target | str:
    """The cloud target, or why it cannot run (missing variables, refused credentials)."""
    target = cloud_target()
    probe = target.client()
    try:
        probe.token()
    except AuthenticationError as error:
        return f"cloud target rejected the credentials: {error}"
    finally:
        probe.close()
    return target


@pytest.fixture
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """The target this run of the test talks to, reset (if an emulator) and activated."""
    resource: Target | str = request.getfixturevalue(f"_{request.param}_target")
    if isinstance(resource, str):
        pytest.fail(resource, pytrace=False)
    if request.node.get_closest_marker("emulator_only") and not resource.is_emulator:
        pytest.skip("emulator only: needs the emulator's clock, faults or seeded world")
    if request.node.get_closest_marker("writes") and not resource.allow_writes:
        pytest.skip("writes to the cloud run only with UIPATH_CONTRACT_ALLOW_WRITES=1")
    if request.config.getoption("--record"):
        # Records of two targets compare only if both ran the same examples.
        resource.max_examples = CLOUD_EXAMPLES
    if resource.control is not None:
        resource.control.reset()
    with resource.active():
        yield resource


def _record_name(request: pytest.FixtureRequest, target: Target) -> str:
    node = request.node
    name = f"{Path(str(node.path)).stem}.{node.originalname}"
    callspec = getattr(node, "callspec", None)
    if callspec is not None:
        others = [part for part in callspec.id.split("-") if part != target.name]
        if others:
            name += f"[{'-'.join(others)}]"
    return re.sub(r"[^\w.\-\[\]]+", "_", name)


@pytest.fixture
def session(request: pytest.FixtureRequest, target: Target) -> Iterator[ContractSession]:
    """A recording HTTP session for this test; on a no-writes target it never sends a write."""
    record_dir = request.config.getoption("--record")
    recorder = None
    if record_dir:
        recorder = Recorder(Path(record_dir) / target.name, target.base_url)
        recorder.start(_record_name(request, target))
    with target.new_session(on_response=recorder) as http:
        yield http
        if not target.allow_writes:
            assert not http.writes(), f"writes reached a no-writes target: {http.writes()}"


@pytest.fixture
def api(target: Target, session: ContractSession) -> Iterator[UiPathClient]:
    """The bundled client as the target's app, on the test's session.

    On an emulator, the client's waits advance the emulator's clock instead of sleeping.
    """
    control = target.control
    options: dict[str, Any] = {"sleep": control.advance_clock} if control is not None else {}
    with target.client(session, **options) as client:
        yield client
