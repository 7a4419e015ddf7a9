"""What every OData collection resource shares: the send protocol, query options, pages, paging."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlencode

import requests

from ._errors import UnexpectedResponseError, json_body

Entity = dict[str, Any]
MAX_PAGE_SIZE = 1000  # Orchestrator's limit for $top
# Left unescaped in query strings, as UiPath's docs write them: `$top=10&$orderby=Name,Id`.
ODATA_QUERY_SAFE = "$,'"


class SendRequest(Protocol):
    """Sends an authorized Orchestrator request and raises `APIError` on an error status."""

    def __call__(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        data: bytes | None = None,
    ) -> requests.Response: ...


@dataclass(frozen=True)
class Page:
    """One page of a listing: the items as sent, and `@odata.count` when the service sent it."""

    items: list[Entity]
    count: int | None


def comma_list(value: str | Sequence[str] | None) -> str | None:
    """`value`, or its items joined with commas (`$select=Id,Name`)."""
    if value is None or isinstance(value, str):
        return value
    return ",".join(value)


def with_query(url: str, options: Mapping[str, str | None]) -> str:
    """`url` with the options that are not None, written as UiPath's docs write them."""
    query = urlencode(
        {name: value for name, value in options.items() if value is not None},
        safe=ODATA_QUERY_SAFE,
        quote_via=quote,
    )
    return f"{url}?{query}" if query else url


def query_options(
    *,
    filter: str | None = None,
    select: str | Sequence[str] | None = None,
    orderby: str | Sequence[str] | None = None,
    top: int | None = None,
    skip: int | None = None,
    expand: str | Sequence[str] | None = None,
    count: bool = False,
) -> dict[str, str | None]:
    """The OData system query options (`$filter` ... `$count`) for the arguments given."""
    return {
        "$filter": filter,
        "$select": comma_list(select),
        "$orderby": comma_list(orderby),
        "$top": None if top is None else str(top),
        "$skip": None if skip is None else str(skip),
        "$expand": comma_list(expand),
        "$count": "true" if count else None,
    }


def json_object(response: requests.Response, method: str, url: str) -> dict[str, Any]:
    """The response's JSON object; `UnexpectedResponseError` when the body is not one."""
    body = json_body(response)
    if not isinstance(body, dict):
        raise UnexpectedResponseError(
            "expected a JSON object", status=response.status_code, method=method, url=url
        )
    return body


def json_object_or_none(response: requests.Response) -> dict[str, Any] | None:
    """The response's JSON object, or None when it has no body (or not an object)."""
    body = json_body(response)
    return body if isinstance(body, dict) else None


def get_page(
    send: SendRequest,
    url: str,
    *,
    what: str,
    headers: Mapping[str, str] | None = None,
) -> Page:
    """GET one OData collection page at `url` (options included); `what` names it in errors."""
    response = send("GET", url, idempotent=True, headers=headers)
    return page_of(response, "GET", url, what=what)


def page_of(response: requests.Response, method: str, url: str, *, what: str) -> Page:
    """The OData collection a response holds (`value`, `@odata.count`); `what` names it."""
    body = json_object(response, method, url)
    items = body.get("value")
    if not isinstance(items, list):
        raise UnexpectedResponseError(
            f"{what} list has no 'value' array", status=response.status_code, method=method, url=url
        )
    total = body.get("@odata.count")
    return Page(items=items, count=total if isinstance(total, int) else None)


def walk(fetch: Callable[[int, int], Sequence[Entity]], page_size: int) -> Iterator[Entity]:
    """Every item of `fetch(top, skip)` pages, from skip 0 until a page comes back short."""
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size}")
    skip = 0
    while True:
        items = fetch(page_size, skip)
        yield from items
        if len(items) < page_size:
            return
        skip += len(items)
