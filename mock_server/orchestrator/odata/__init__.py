"""A pure OData v4 query engine for Orchestrator's entity sets, driven by each set's model.

`parse_list_options` / `parse_entity_options` validate a request's `$` options once (compiling
`$filter` into a closure); `evaluate` pages through stored records; `project` applies `$select`.
Every rejected query raises `ODataQueryError`, and nothing else.
"""

from uipath_emulator.mock_server.orchestrator.odata.errors import ODataQueryError
from uipath_emulator.mock_server.orchestrator.odata.evaluation import (
    PAGE_LIMIT,
    context_suffix,
    evaluate,
    project,
)
from uipath_emulator.mock_server.orchestrator.odata.options import (
    QueryOptions,
    parse_entity_options,
    parse_list_options,
)

__all__ = [
    "PAGE_LIMIT",
    "ODataQueryError",
    "QueryOptions",
    "context_suffix",
    "evaluate",
    "parse_entity_options",
    "parse_list_options",
    "project",
]
