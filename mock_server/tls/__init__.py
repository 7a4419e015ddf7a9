"""The proxy's local certificate authority: made with `cryptography`, no Flask, no `openssl`."""

from uipath_emulator.mock_server.tls.authority import CAError, CertificateAuthority
from uipath_emulator.mock_server.tls.hosts import EMULATED_HOSTS, emulated_host
from uipath_emulator.mock_server.tls.locations import default_ca_dir

__all__ = ["EMULATED_HOSTS", "CAError", "CertificateAuthority", "default_ca_dir", "emulated_host"]
