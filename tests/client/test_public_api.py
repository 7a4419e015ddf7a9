"""The package's public surface: exported names, version, and what it may import."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import sys
from pathlib import Path

from uipath_emulator import client

CLIENT_DIR = Path(client.__file__).parent


def test_all_lists_exactly_the_public_names() -> None:
    """`client.__all__` is exactly the intended public API, and each name is importable."""
    assert sorted(client.__all__) == [
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
    for name in client.__all__:
        assert hasattr(client, name)


def test_version_matches_the_distribution() -> None:
    """`client.__version__` (sent in the User-Agent) equals the installed distribution's version."""
    assert client.__version__ == importlib.metadata.version("uipath-cloud-emulator")


def test_client_imports_only_the_standard_library_and_requests() -> None:
    """No client module imports the emulator, the tests or any third-party package but requests."""
    allowed = set(sys.stdlib_module_names) | {"requests"}
    if "MUTANT_UNDER_TEST" in os.environ:  # mutmut's copy of a module imports its trampoline
        allowed.add("mutmut")
    for path in sorted(CLIENT_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 1, f"{path.name} imports from outside the client package"
                continue
            else:
                continue
            assert set(roots) <= allowed, f"{path.name} imports {roots}"
