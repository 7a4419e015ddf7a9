"""Applying `QueryOptions` to an entity set's records: filter, order, page, project."""

from collections.abc import Mapping, Sequence
from typing import Any

from uipath_emulator.mock_server.orchestrator.odata.options import QueryOptions
from uipath_emulator.mock_server.orchestrator.odata.ordering import order_page
from uipath_emulator.mock_server.orchestrator.odata.selection import project as _project

PAGE_LIMIT = 1000
"""Orchestrator's default `$top` (`Pagination.Limits`): a page never holds more items."""


def evaluate(
    records: Sequence[Mapping[str, Any]],
    options: QueryOptions,
    keys_cache: dict[Any, Any] | None = None,
) -> tuple[list[Mapping[str, Any]], int]:
    """`(page, count)`: the filtered, ordered, skipped and topped records (the same objects), and
    how many records match the filter in all.

    `records` must be sorted by key ascending, the default order. Without `$filter` and
    `$orderby` only the page is touched. `keys_cache`, a dict that lives exactly as long as
    `records`, keeps `$orderby` sort keys between calls (used only without `$filter`).
    """
    predicate = options.filter
    matched = records if predicate is None else [r for r in records if predicate(r)]
    top = PAGE_LIMIT if options.top is None else min(options.top, PAGE_LIMIT)
    start, stop = options.skip, options.skip + top
    if options.orderby:
        cache = keys_cache if predicate is None else None
        page = order_page(matched, options.orderby, start, stop, options.key, cache)
        return page, len(matched)
    return list(matched[start:stop]), len(matched)


def project(record: Mapping[str, Any], options: QueryOptions) -> dict[str, Any]:
    """The record as written with `$select`: selected members in wire order; all without it."""
    return _project(record, options.select)


def context_suffix(options: QueryOptions) -> str | None:
    """`(Name,Id)` for `$select=Name, Id`, for `@odata.context` (`$metadata#Set(Name,Id)`)."""
    return None if options.select_text is None else f"({options.select_text})"
