"""The cloud hosts the proxy emulates, and the only names the local CA may vouch for."""

EMULATED_HOSTS = ("cloud.uipath.com", "alpha.uipath.com", "staging.uipath.com")
"""UiPath's SDK and CLI send their token request to one of these, whatever the base URL says
(`uipath-platform` `ExternalApplicationService`: alpha and staging by host name, else cloud)."""

HTTPS_PORT = 443
HTTP_PORT = 80


def emulated_host(name: str) -> str | None:
    """`name` as one of `EMULATED_HOSTS` (any case, a trailing dot allowed), else None."""
    wanted = name.strip().rstrip(".").lower()
    return wanted if wanted in EMULATED_HOSTS else None
