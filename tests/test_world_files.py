"""World documents: what a world file may hold, and the errors that name the bad field."""

import copy
from typing import Any

import pytest

from uipath_emulator.mock_server import Emulator, WorldError


def default_document() -> dict[str, Any]:
    """A fresh copy of the well-known world as a document."""
    return copy.deepcopy(Emulator().state())


def test_machine_names_differing_by_trailing_spaces_are_duplicates() -> None:
    """Two machines named `A` and `a ` in one tenant are refused, naming the second one."""
    document = default_document()
    machines = document["organizations"][0]["tenants"][0]["machines"]
    machines.append({"Name": machines[0]["Name"].lower() + "  "})
    with pytest.raises(WorldError) as raised:
        Emulator(document)
    where = f"organizations[0].tenants[0].machines[{len(machines) - 1}].Name"
    assert str(raised.value).startswith(f"{where}: machine name ")
    assert "is already used at organizations[0].tenants[0].machines[0].Name" in str(raised.value)
