"""Stores of a world document this process already built wait for their first use."""

import threading

from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry
from uipath_emulator.mock_server.world.loader import dump_world, load_world
from uipath_emulator.mock_server.world.store import EntityStore


def test_a_lazily_built_world_is_the_world_built_at_once() -> None:
    """The default world built on first use of each store dumps exactly as one built eagerly."""
    emulator = Emulator()
    eager = load_world(emulator._initial_document, default_registry())
    assert emulator.state() == dump_world(eager)


def test_an_untouched_set_is_not_built_and_a_read_builds_it() -> None:
    """A fresh emulator has built no store; reading one set builds that set only."""
    emulator = Emulator()
    stores = emulator.world.organizations[0].tenants[0].entities
    assert stores._stores == {}
    assert len(stores["Machines"]) > 0
    assert list(stores._stores) == ["Machines"]
    assert "Jobs" in stores
    assert "Widgets" not in stores


def test_threads_reading_an_unbuilt_set_share_one_store() -> None:
    """Sixteen threads reading the same unbuilt set at once all get one and the same store."""
    stores = Emulator().world.organizations[0].tenants[0].entities
    seen: list[EntityStore] = []
    start = threading.Barrier(16)

    def read() -> None:
        start.wait()
        seen.append(stores["Machines"])

    threads = [threading.Thread(target=read) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 16
    assert all(store is seen[0] for store in seen)


def test_a_write_after_reset_lands_in_the_store_reads_see() -> None:
    """After `reset()`, a record added to a set not read before is what the next read shows."""
    emulator = Emulator()
    emulator.reset()
    machines = emulator.entities("acme", "DefaultTenant", "Machines")
    before = len(machines.list())
    machines.add({"Name": "after-reset"})
    assert len(machines.list()) == before + 1
    assert any(record["Name"] == "after-reset" for record in machines.list())


def test_a_built_set_lets_go_of_its_builder() -> None:
    """Once a set is built its builder (which holds the world document) is dropped, and once
    every set is built none is left."""
    stores = Emulator().world.organizations[0].tenants[0].entities
    stores["Machines"]
    assert "Machines" not in stores._pending
    assert len(list(stores)) == len(stores.names())
    assert stores._pending == {}
