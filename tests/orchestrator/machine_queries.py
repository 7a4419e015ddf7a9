"""The OData engine bound to the Machines model, as the engine tests use it."""

from collections.abc import Sequence

from uipath_emulator.mock_server.orchestrator import odata
from uipath_emulator.mock_server.orchestrator.entities.machines import MACHINES

MODEL = MACHINES.odata


def parse_list_options(pairs: Sequence[tuple[str, str]]) -> odata.QueryOptions:
    """The options of `GET /odata/Machines`."""
    return odata.parse_list_options(pairs, MODEL)


def parse_entity_options(pairs: Sequence[tuple[str, str]]) -> odata.QueryOptions:
    """The options of `GET /odata/Machines({key})`."""
    return odata.parse_entity_options(pairs, MODEL)
