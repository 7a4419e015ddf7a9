"""UiPath's Python SDK folders and assets services, unchanged, as the robot `finance-robot`.

The `cloud` tests run twice: in-process (`intercept()` routes the SDK's httpx calls to
https://cloud.uipath.com into the emulator) and against a real `uipath-mock` server on
127.0.0.1 (`uipath_server`); the last ones run the README's SDK recipe as written.
The SDK is configured as `tests/compat/sdk_support.py` says (`UIPATH_URL`,
`UIPATH_ACCESS_TOKEN`, and `UIPATH_ROBOT_KEY` for the robot path of the assets service); the
tests close both httpx clients of every SDK service.
"""

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from uipath.platform import UiPath
from uipath.platform.errors import EnrichedException
from uipath.platform.orchestrator import Asset, UserAsset

from tests.compat.sdk_support import CLOUD, ROBOT_SCOPE, Cloud, closing, configure
from tests.subprocess_helpers import child_env
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import (
    FINANCE_ROBOT,
    FINANCE_ROBOT_KEY,
    FULL,
    ORGANIZATION,
    TENANT,
)

README = Path(__file__).resolve().parents[2] / "README.md"
RECIPE_SECTION = "## UiPath's SDK as the robot finance-robot\n"
INVOICES_KEY = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
"""The `Key` of `Finance/Invoices` in fixtures/worlds/default.json."""
SHARED_ASSETS = ["ApiBaseUrl", "MaxRetries", "FeatureEnabled", "ServiceAccount", "ApiKey"]
ASSETS = "/orchestrator_/odata/Assets/UiPath.Server.Configuration.OData."
NAVIGATION = "/orchestrator_/api/FoldersNavigation/GetFoldersForCurrentUser"

pytestmark = pytest.mark.usefixtures("sdk_environment")


@pytest.mark.parametrize(
    ("path", "key"), [("Finance/Invoices", INVOICES_KEY), ("HR", None)], ids=["nested", "hr"]
)
def test_retrieve_key_as_robot(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch, path: str, key: str | None
) -> None:
    """`folders.retrieve_key` finds a folder the robot can use (inherited) and not one it cannot."""
    sdk = configure(cloud, monkeypatch)
    with closing(sdk.folders) as folders:
        assert folders.retrieve_key(folder_path=path) == key
    (call,) = cloud.calls(NAVIGATION)
    assert call.status == 200
    assert call.query["searchText"] == path.split("/")[-1]


def test_folders_navigation_refuses_an_app_token(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a plain app token, GetFoldersForCurrentUser's documented 403 is the SDK's error."""
    sdk = configure(cloud, monkeypatch, app=FULL, scope="OR.Folders")
    with closing(sdk.folders) as folders, pytest.raises(EnrichedException) as raised:
        folders.retrieve_key(folder_path="Finance/Invoices")
    assert raised.value.status_code == 403
    assert raised.value.http_method == "GET"
    assert raised.value.error_info is not None
    assert raised.value.error_info.message == "You are not authorized!"
    assert [call.status for call in cloud.calls(NAVIGATION)] == [403]  # not retried


def test_direct_api_access_without_robot_key(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a robot key, list and retrieve read GetFiltered; passwords come by direct access."""
    sdk = configure(cloud, monkeypatch)
    with closing(sdk.assets) as assets:
        listed = assets.list(folder_path="Shared")
        text = assets.retrieve("ApiBaseUrl", folder_path="Shared")
        password = assets.retrieve_credential("ServiceAccount", folder_path="Shared")
        secret = assets.retrieve_secret("ApiKey", folder_path="Shared")
    assert [asset.name for asset in listed.items] == SHARED_ASSETS
    assert not listed.has_more
    assert isinstance(text, Asset)
    assert (text.value_type, text.string_value) == ("Text", "https://api.example.invalid")
    assert password == "emulator-credential-password"
    assert secret == "emulator-secret-value"
    # the SDK checks AllowDirectApiAccess through GetFiltered before each robot-less POST
    assert [call.status for call in cloud.calls(f"{ASSETS}GetFiltered")] == [200] * 4
    assert [call.status for call in cloud.calls(f"{ASSETS}GetRobotAssetByNameForRobotKey")] == [
        200
    ] * 2


def test_robot_path_with_robot_key(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """With UIPATH_ROBOT_KEY, every retrieval is a POST GetRobotAssetByNameForRobotKey."""
    sdk = configure(cloud, monkeypatch, robot_key=FINANCE_ROBOT_KEY)
    with closing(sdk.assets) as assets:
        text = assets.retrieve("ApiBaseUrl", folder_path="Shared")
        credential = assets.retrieve("ServiceAccount", folder_path="Shared")
        password = assets.retrieve_credential("ServiceAccount", folder_path="Shared")
        secret = assets.retrieve_secret("ApiKey", folder_path="Shared")
    assert isinstance(text, UserAsset)
    assert (text.value_type, text.string_value) == ("Text", "https://api.example.invalid")
    assert credential.credential_username == "svc-robot"
    assert password == "emulator-credential-password"
    assert secret == "emulator-secret-value"
    assert cloud.calls(f"{ASSETS}GetFiltered") == []
    assert [call.status for call in cloud.calls(f"{ASSETS}GetRobotAssetByNameForRobotKey")] == [
        200
    ] * 4


def test_update_robot_asset_raises_on_the_empty_204_but_changes_the_asset(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`assets.update` raises JSONDecodeError on the empty 204; OData shows the changed value.

    The emulator follows the service (spec: 204, no content), not the SDK's unit test, which
    mocks a JSON body (facts decision 3): the SDK calls `.json()` on the empty answer and raises,
    so the new value is read back through GET Assets/GetFiltered with a folder header.
    """
    sdk = configure(cloud, monkeypatch, robot_key=FINANCE_ROBOT_KEY)
    with closing(sdk.assets) as assets:
        asset = assets.retrieve("ApiBaseUrl", folder_path="Shared")
        assert isinstance(asset, UserAsset)
        asset.string_value = "https://api.changed.invalid"
        with pytest.raises(json.JSONDecodeError):
            assets.update(asset, folder_path="Shared")
    assert [call.status for call in cloud.calls(f"{ASSETS}SetRobotAssetByRobotKey")] == [204]
    with closing(sdk.api_client) as api:
        answer = api.request(
            "GET",
            f"{ASSETS}GetFiltered",
            params={"$filter": "Name eq 'ApiBaseUrl'"},
            headers={"X-UIPATH-FolderPath": "Shared"},
        ).json()
    (row,) = answer["value"]
    assert (row["StringValue"], row["Value"]) == ("https://api.changed.invalid",) * 2


@pytest.mark.parametrize("robot_key", [None, FINANCE_ROBOT_KEY], ids=["direct", "robot-key"])
def test_async_variants(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch, robot_key: str | None
) -> None:
    """The async retrieve_key, list, retrieve, retrieve_credential and retrieve_secret work."""
    sdk = configure(cloud, monkeypatch, robot_key=robot_key)

    async def run() -> tuple[str | None, list[str], str | None, str | None, str | None]:
        folders, assets = sdk.folders, sdk.assets
        try:
            key, listed, text, password, secret = await asyncio.gather(
                folders.retrieve_key_async(folder_path="Finance/Invoices"),
                assets.list_async(folder_path="Shared"),
                assets.retrieve_async("ApiBaseUrl", folder_path="Shared"),
                assets.retrieve_credential_async("ServiceAccount", folder_path="Shared"),
                assets.retrieve_secret_async("ApiKey", folder_path="Shared"),
            )
        finally:
            await folders.aclose()
            await assets.aclose()
        return key, [a.name for a in listed.items], text.string_value, password, secret

    assert asyncio.run(run()) == (
        INVOICES_KEY,
        SHARED_ASSETS,
        "https://api.example.invalid",
        "emulator-credential-password",
        "emulator-secret-value",
    )


def test_sdk_own_login_as_robot_in_process(
    uipath_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, `UiPath(client_id=)` logs in as finance-robot; UIPATH_FOLDER_PATH is used."""
    monkeypatch.setenv("UIPATH_ROBOT_KEY", FINANCE_ROBOT_KEY)
    monkeypatch.setenv("UIPATH_FOLDER_PATH", "Shared")
    sdk = UiPath(
        base_url=f"{CLOUD}/{ORGANIZATION}/{TENANT}",
        client_id=FINANCE_ROBOT.client_id,
        client_secret=str(FINANCE_ROBOT.client_secret),
        scope=ROBOT_SCOPE,
    )
    with closing(sdk.folders) as folders, closing(sdk.assets) as assets:
        assert folders.retrieve_key(folder_path="Finance/Invoices") == INVOICES_KEY
        assert assets.retrieve("MaxRetries").int_value == 3
        assert assets.retrieve_secret("ApiKey") == "emulator-secret-value"
    token_calls = [e for e in uipath_emulator.requests if e.path == "/identity_/connect/token"]
    assert [e.status for e in token_calls] == [200]


def run_recipe(language: str, *command: str, host: str = "http://127.0.0.1:8080") -> str:
    """Run the recipe's one ```language block (its server URL turned into `host`); its stdout."""
    readme = README.read_text(encoding="utf-8")
    start = readme.index(RECIPE_SECTION)
    text = readme[start : readme.index("\n## ", start + 1)]
    (block,) = re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)
    # `python` in the shell block is this interpreter
    environment = child_env(
        {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    )
    run = subprocess.run(  # noqa: S603 - the recipe's own code, loopback only
        [*command, block.replace("http://127.0.0.1:8080", host)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_recipe_in_process_block_runs() -> None:
    """The recipe's in-process Python block prints the Finance/Invoices key and the secret."""
    stdout = run_recipe("python", sys.executable, "-c")
    assert stdout.splitlines() == [INVOICES_KEY, "emulator-secret-value"]


@pytest.mark.skipif(shutil.which("bash") is None or sys.platform == "win32", reason="needs bash")
def test_recipe_server_block_runs(uipath_server: EmulatorServer) -> None:
    """The recipe's shell block, against a server, prints the credential by the robot path."""
    stdout = run_recipe("sh", "bash", "-euo", "pipefail", "-c", host=uipath_server.base_url)
    assert stdout == "emulator-credential-password\n"
    robot_calls = Cloud(uipath_server.base_url, uipath_server.emulator).calls(
        f"{ASSETS}GetRobotAssetByNameForRobotKey"
    )
    assert [call.status for call in robot_calls] == [200]
