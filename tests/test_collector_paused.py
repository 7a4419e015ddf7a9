"""World loading pauses the cyclic garbage collector and leaves it as it found it."""

import gc
import threading
from collections.abc import Iterator

import pytest

from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry
from uipath_emulator.mock_server.world.bulk import collector_paused
from uipath_emulator.mock_server.world.loader import WorldError, load_world


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it enabled."""
    yield
    gc.enable()


def test_collector_is_off_inside_and_back_on_after() -> None:
    """An enabled collector is disabled inside the block and enabled again after it."""
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    """A collector the program disabled is not enabled by the block's end."""
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_blocks_keep_it_off_until_the_last_ends() -> None:
    """While a second thread's block still runs, the end of the first keeps the collector off."""
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def long_load() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=long_load)
    with collector_paused():
        thread.start()
        assert inside.wait(10)
    assert not gc.isenabled()
    release.set()
    thread.join()
    assert gc.isenabled()


def test_a_refused_world_leaves_the_collector_enabled() -> None:
    """A world document refused with `WorldError` leaves the collector as it was."""
    gc.enable()
    with pytest.raises(WorldError):
        load_world({"version": 2, "organizations": "nope"}, default_registry())
    assert gc.isenabled()
