"""A minimal `requests` client for UiPath Automation Cloud: Identity tokens, Orchestrator
Machines, Folders, Assets, Queues, Processes, Jobs and Buckets.

    from . import UiPathClient

    with UiPathClient.from_env() as uipath:  # UIPATH_URL, UIPATH_CLIENT_ID, UIPATH_CLIENT_SECRET
        for machine in uipath.machines.iter(filter="Type eq 'Standard'"):
            print(machine["Id"], machine["Name"])
        for asset in uipath.assets.iter(folder="Finance/Invoices"):
            print(asset["Name"], asset["ValueType"], asset["Value"])
        uipath.queues.add_item("InvoiceQueue", {"Reference": "INV-1"}, folder="Finance")
        (job,) = uipath.processes.start("HelloWorld", {"Name": "Ada"}, folder="Shared")
        print(uipath.jobs.output(uipath.jobs.wait(job, timeout=300)))
        uipath.buckets.upload(1, "out/report.csv", b"a,b\n", folder="Shared")

This package never imports the emulator: copy it into a project and it works against the cloud.
"""

from ._assets import AssetPage, Assets
from ._auth import Token
from ._buckets import BucketPage, Buckets
from ._client import UiPathClient
from ._config import ClientConfig
from ._errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ForbiddenError,
    JobTimeoutError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    UiPathError,
    UnauthorizedError,
    UnexpectedResponseError,
)
from ._folder_ref import FolderRef
from ._folders import FolderPage, Folders
from ._jobs import JobPage, Jobs
from ._machines import MachinePage, Machines
from ._processes import Processes, ProcessPage
from ._queue_definitions import QueueDefinitionPage, QueueDefinitions
from ._queues import QueueItemPage, Queues
from ._transport import RetryPolicy
from ._version import __version__

__all__ = [
    "APIError",
    "AssetPage",
    "Assets",
    "AuthenticationError",
    "BadRequestError",
    "BucketPage",
    "Buckets",
    "ClientConfig",
    "ConfigurationError",
    "ConflictError",
    "FolderPage",
    "FolderRef",
    "Folders",
    "ForbiddenError",
    "JobPage",
    "JobTimeoutError",
    "Jobs",
    "MachinePage",
    "Machines",
    "NotFoundError",
    "ProcessPage",
    "Processes",
    "QueueDefinitionPage",
    "QueueDefinitions",
    "QueueItemPage",
    "Queues",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "Token",
    "TransportError",
    "UiPathClient",
    "UiPathError",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "__version__",
]
