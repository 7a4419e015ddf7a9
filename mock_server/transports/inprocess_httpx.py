"""In-process mode for `httpx` (UiPath's Python SDK uses it), through `respx`."""

import re
from collections.abc import Callable
from typing import Any

import httpx
import respx


def httpx_router(app: Callable[..., Any], base_urls: tuple[str, ...]) -> Any:
    """A `respx` router sending httpx calls under `base_urls` to `app`.

    Every other URL passes through to the network (or to a respx mock started before).
    """
    from uipath_emulator.mock_server.transports.inprocess import call_wsgi, wsgi_environ

    def drop() -> None:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")

    def answer(request: httpx.Request) -> httpx.Response:
        environ = wsgi_environ(
            request.method, str(request.url), request.headers.multi_items(), request.read(), drop
        )
        status, headers, body = call_wsgi(app, environ)
        return httpx.Response(status, headers=headers, content=body)

    router = respx.MockRouter(assert_all_called=False, assert_all_mocked=False)
    for base_url in base_urls:
        pattern = re.compile(re.escape(base_url) + r"(?:[/?#].*)?$")
        router.route(url__regex=pattern).mock(side_effect=answer)
    router.route().pass_through()
    return router
