"""The well-known default world's ids and credentials, like Azurite's well-known dev account.

They are published in the README and printed at start: never use them outside local testing.
"""

from typing import NamedTuple


class WellKnownApp(NamedTuple):
    """An external application of the default world."""

    client_id: str
    client_secret: str | None
    scopes: tuple[str, ...]


ORGANIZATION = "acme"
ORGANIZATION_ID = "2a0e9c3e-6d1b-4f5a-8c7e-0b9d4e1f2a3c"
TENANT = "DefaultTenant"
TENANT_ID = "7c4f1e2d-9b8a-4c6d-a5e3-1f2b3c4d5e6f"
QA_TENANT = "QA"
DEFAULT_TENANT_MACHINES = 8
"""Machines of acme/DefaultTenant (ids 1 to 8; the next one created gets id 9)."""

EMULATED_SERVICES = (
    "OR.Machines",
    "OR.Folders",
    "OR.Assets",
    "OR.Robots",
    "OR.Users",
    "OR.Queues",
    "OR.Jobs",
    "OR.Execution",
    "OR.Buckets",
    "OR.Administration",
)
"""The scope families of the emulated Orchestrator services."""
EVERY_SCOPE = tuple(
    f"{family}{part}" for family in EMULATED_SERVICES for part in ("", ".Read", ".Write")
)
READ_SCOPES = tuple(f"{family}.Read" for family in EMULATED_SERVICES)

FULL = WellKnownApp(
    "8d3e6f0a-4b2c-4e1d-9f7a-6c5b4a3d2e1f",
    "emulator-full-secret",
    EVERY_SCOPE,
)
"""Every scope; `Folder Administrator` of every folder of acme/DefaultTenant."""
READONLY = WellKnownApp(
    "3f9a2b1c-7d6e-4a5b-8c9d-0e1f2a3b4c5d", "emulator-readonly-secret", READ_SCOPES
)
"""The `.Read` scopes; `Viewer` of `Shared` only."""
FINANCE_ROBOT = WellKnownApp(
    "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e", "emulator-robot-secret", ("OR.Default", *EVERY_SCOPE)
)
"""Its tokens act as the robot `finance-robot` (`Automation User` of `Shared` and `Finance`)."""
FINANCE_ROBOT_NAME = "finance-robot"
FINANCE_ROBOT_KEY = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
"""The robot key (`UIPATH_ROBOT_KEY`) of `finance-robot`."""
FOLDERS = ("Shared", "Finance", "Finance/Invoices", "HR")
"""The folders of acme/DefaultTenant (Ids 1 to 4)."""
SHARED_ASSET_VALUES = {"ApiBaseUrl": "https://api.example.invalid", "MaxRetries": 3}
"""Two of the plain assets of `Shared` (Text, Integer); `FeatureEnabled` (Bool) is true."""
CREDENTIAL_ASSET = ("ServiceAccount", "svc-robot", "emulator-credential-password")
"""The Credential asset of `Shared`: name, user name, password (direct API access allowed)."""
SECRET_ASSET = ("ApiKey", "emulator-secret-value")
"""The Secret asset of `Shared`: name, value (direct API access allowed)."""
FINANCE_ASSET = ("InvoiceApprovalLimit", 5000)
"""The Integer asset of `Finance`."""
INVOICE_QUEUE = "InvoiceQueue"
"""The queue of `Finance`: one retry, unique references, items `INV-1001` to `INV-1003`."""
INVOICE_REFERENCES = ("INV-1001", "INV-1002", "INV-1003")
DEMO_QUEUE = "DemoQueue"
"""The empty queue of `Shared`: no retries, references not unique."""
DOCUMENTS_BUCKET = "Documents"
"""The bucket of `Shared` (Id 1), with the files of `DOCUMENTS_FILES`."""
DOCUMENTS_BUCKET_ID = 1
DOCUMENTS_BUCKET_IDENTIFIER = "9e2b7c4d-3f1a-4b6e-8d5c-2a9f7e1b3c6d"
README_TEXT = "Hello from the emulator\n"
DOCUMENTS_FILES = {
    "/readme.txt": README_TEXT.encode(),
    "/invoices/2026/INV-1001.pdf": b"%PDF-1.4\n% INV-1001 (emulator sample)\n%%EOF\n",
}
"""The files of `Documents`, by path, with their bytes."""
ROBOTS = WellKnownApp(
    "c2d4e6f8-1a3b-4c5d-8e7f-9a0b1c2d3e4f", "emulator-robots-secret", ("OR.Robots.Read",)
)
SPA = WellKnownApp("e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9", None, ("OR.Machines.Read",))
GLOBEX = WellKnownApp(
    "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e",
    "emulator-globex-secret",
    ("OR.Machines", "OR.Machines.Read", "OR.Machines.Write"),
)
