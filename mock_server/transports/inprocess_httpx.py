"""In-process mode for `httpx` (UiPath's Python SDK uses it): its transports, patched.

While started, `httpx.HTTPTransport.handle_request` and `AsyncHTTPTransport.handle_async_request`
answer requests under the base URLs from the emulator's WSGI app and hand every other request to
what was there before: the network, or a `respx` mock started earlier (respx patches the layer
below, httpcore, so a respx mock started inside the block keeps answering its own hosts too).
"""

import re
from collections.abc import Callable
from typing import Any

import httpx

SyncHandler = Callable[[httpx.HTTPTransport, httpx.Request], httpx.Response]
AsyncHandler = Callable[[httpx.AsyncHTTPTransport, httpx.Request], Any]


def _drop() -> None:
    raise httpx.RemoteProtocolError("Server disconnected without sending a response.")


class HttpxInterceptor:
    """Routes httpx calls under `base_urls` to a WSGI app, in-process; start, then stop."""

    def __init__(self, app: Callable[..., Any], base_urls: tuple[str, ...]) -> None:
        self._app = app
        self._pattern = re.compile("|".join(re.escape(url) + r"(?:[/?#].*)?$" for url in base_urls))
        self._replaced: tuple[SyncHandler, AsyncHandler] | None = None
        self._installed: tuple[SyncHandler, AsyncHandler] | None = None

    def _ours(self, request: httpx.Request) -> bool:
        return self._pattern.match(str(request.url)) is not None

    def _answer(self, request: httpx.Request, body: bytes) -> httpx.Response:
        from uipath_emulator.mock_server.transports.inprocess import call_wsgi, wsgi_environ

        environ = wsgi_environ(
            request.method, str(request.url), request.headers.multi_items(), body, _drop
        )
        status, headers, content = call_wsgi(self._app, environ)
        return httpx.Response(status, headers=headers, content=content, request=request)

    def start(self) -> None:
        """Patch httpx's transports."""
        sync_before = httpx.HTTPTransport.handle_request
        async_before = httpx.AsyncHTTPTransport.handle_async_request

        def handle_request(transport: httpx.HTTPTransport, request: httpx.Request) -> Any:
            if self._ours(request):
                return self._answer(request, request.read())
            return sync_before(transport, request)

        async def handle_async_request(
            transport: httpx.AsyncHTTPTransport, request: httpx.Request
        ) -> Any:
            if self._ours(request):
                return self._answer(request, await request.aread())
            return await async_before(transport, request)

        httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]
        httpx.AsyncHTTPTransport.handle_async_request = handle_async_request  # type: ignore[method-assign]
        self._replaced = (sync_before, async_before)
        self._installed = (handle_request, handle_async_request)

    def stop(self) -> None:
        """Put back what was there before `start`."""
        if self._replaced is None:
            return
        sync_before, async_before = self._replaced
        httpx.HTTPTransport.handle_request = sync_before  # type: ignore[method-assign]
        httpx.AsyncHTTPTransport.handle_async_request = async_before  # type: ignore[method-assign]
        self._replaced = self._installed = None
