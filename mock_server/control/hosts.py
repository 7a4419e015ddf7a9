"""Host names that can only mean this machine (the control plane's DNS-rebinding guard)."""

import ipaddress
from urllib.parse import urlsplit


def hostname(host: str) -> str:
    """The name or address in a `Host` value, without port and brackets, lowercase."""
    try:
        return (urlsplit(f"//{host}").hostname or "").rstrip(".")
    except ValueError:
        return ""


def is_loopback_name(name: str) -> bool:
    """Whether `name` can only mean this machine: `localhost`, `*.localhost`, 127/8, ::1."""
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
