"""The HTTPS-intercepting forward proxy: clients that hard-code https://cloud.uipath.com reach
the emulator with `HTTPS_PROXY` and a CA bundle, unchanged."""

from uipath_emulator.mock_server.transports.proxy.server import LOOPBACK_NO_PROXY, ProxyServer

__all__ = ["LOOPBACK_NO_PROXY", "ProxyServer"]
