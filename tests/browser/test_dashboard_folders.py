"""The dashboard's folder trees and folder assets (server side): shown, ordered, secrets masked."""

import re

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.control.summary import SECRET_MASK
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

DASHBOARD = "/_emulator/"
ASSETS = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Assets"
STORED_SECRETS = ("emulator-credential-password", "emulator-secret-value")
NEW_PASSWORD = "fresh-password-DO-NOT-SHOW-1234"
NEW_SECRET = "fresh-secret-DO-NOT-SHOW-5678"


def page_and_json(http: FlaskClient) -> str:
    """The dashboard page and every JSON it reads (summary, folders, each set's records)."""
    texts = [http.get(DASHBOARD).get_data(as_text=True)]
    for path in ("summary", "folders", "requests", "faults", "clock"):
        response = http.get(f"/_emulator/{path}")
        assert response.status_code == 200
        texts.append(response.get_data(as_text=True))
    for entity_set in http.get("/_emulator/summary").get_json()["organizations"][0]["tenants"][0][
        "entities"
    ]:
        response = http.get(f"/_emulator/records/{ORGANIZATION}/{TENANT}/{entity_set}?top=500")
        assert response.status_code == 200
        texts.append(response.get_data(as_text=True))
    return "\n".join(texts)


def folder_block(page: str, folder_id: int) -> str:
    """The `<details>` block of one folder in the page."""
    found = re.search(
        rf'<details class="folder depth-\d" data-folder="{folder_id}">.*?</details>', page, re.S
    )
    assert found is not None, f"no folder {folder_id} in the page"
    return found.group(0)


def test_folder_tree_is_in_path_order_and_indented_by_depth(http: FlaskClient) -> None:
    """acme/DefaultTenant's folders appear parent before child, a subfolder one level in."""
    page = http.get(DASHBOARD).get_data(as_text=True)
    tree = page.split('data-organization="acme" data-tenant="DefaultTenant">', 1)[1]
    tree = tree.split('<div class="folder-tree"', 1)[0]
    shown = re.findall(
        r'<details class="folder depth-(\d)" data-folder="\d+">\s*<summary><b>'
        r"([^<]+)</b> <small class=\"mono\">([^<]+)</small>",
        tree,
    )
    assert shown == [
        ("0", "Finance", "Finance"),
        ("1", "Invoices", "Finance/Invoices"),
        ("0", "HR", "HR"),
        ("0", "Shared", "Shared"),
    ]


def test_each_folder_shows_its_own_assets(http: FlaskClient) -> None:
    """Shared lists its five assets with type and value, Finance its one, HR none."""
    page = http.get(DASHBOARD).get_data(as_text=True)
    shared = folder_block(page, 1)
    for name in ("ApiBaseUrl", "MaxRetries", "FeatureEnabled", "ServiceAccount", "ApiKey"):
        assert f"<td>{name}</td>" in shared
    assert "<td>ServiceAccount</td><td>Credential</td><td>svc-robot</td>" in shared
    assert "5 asset(s)" in shared
    assert "<td>InvoiceApprovalLimit</td><td>Integer</td><td>5000</td>" in folder_block(page, 2)
    assert "No assets." in folder_block(page, 4)


def test_secret_bearing_assets_show_only_the_mask(http: FlaskClient) -> None:
    """A Credential or Secret asset's row shows the mask in its Secret column; a Text one none."""
    shared = folder_block(http.get(DASHBOARD).get_data(as_text=True), 1)
    rows = dict(
        re.findall(
            r"<tr><td class=\"num\">\d+</td><td>(\w+)</td>.*?<td class=\"mono\">"
            r"([^<]*)</td></tr>",
            shared,
        )
    )
    assert rows["ServiceAccount"] == SECRET_MASK
    assert rows["ApiKey"] == SECRET_MASK
    assert rows["ApiBaseUrl"] == ""


def test_no_stored_secret_in_the_page_or_its_json(http: FlaskClient) -> None:
    """Neither the seeded password and secret nor newly stored ones appear in page or JSON."""
    for body in (
        {
            "Name": "Fresh",
            "ValueType": "Credential",
            "CredentialUsername": "u",
            "CredentialPassword": NEW_PASSWORD,
        },
        {"Name": "FreshSecret", "ValueType": "Secret", "SecretValue": NEW_SECRET},
    ):
        response = call(
            http,
            "POST",
            ASSETS,
            json={"ValueScope": "Global", **body},
            headers={"X-UIPATH-FolderPath": "HR"},
        )
        assert response.status_code == 201, response.data
    everything = page_and_json(http)
    for secret in (*STORED_SECRETS, NEW_PASSWORD, NEW_SECRET):
        assert secret not in everything
    assert "<td>Fresh</td>" in everything
    records = http.get(f"/_emulator/records/{ORGANIZATION}/{TENANT}/Assets?top=500").get_json()
    fresh = next(record for record in records["value"] if record["Name"] == "Fresh")
    assert fresh["ProtectedCredentialPassword"] == SECRET_MASK


def test_folders_json_follows_the_world(emulator: Emulator, http: FlaskClient) -> None:
    """`/_emulator/folders` has a folder and asset added after the page was rendered."""
    folder = emulator.entities(ORGANIZATION, TENANT, "Folders").add(
        {"DisplayName": "Audit", "ParentId": 2}
    )
    emulator.entities(ORGANIZATION, TENANT, "Assets").add(
        {
            "Name": "AuditFlag",
            "ValueScope": "Global",
            "ValueType": "Bool",
            "BoolValue": True,
            "OrganizationUnitId": folder["Id"],
        }
    )
    tenants = http.get("/_emulator/folders").get_json()["tenants"]
    default = next(t for t in tenants if (t["organization"], t["tenant"]) == (ORGANIZATION, TENANT))
    shown = {row["path"]: row for row in default["folders"]}
    assert [row["path"] for row in default["folders"]][:3] == [
        "Finance",
        "Finance/Audit",
        "Finance/Invoices",
    ]
    assert shown["Finance/Audit"]["depth"] == 1
    assert shown["Finance/Audit"]["assets"] == [
        {
            "Id": shown["Finance/Audit"]["assets"][0]["Id"],
            "Name": "AuditFlag",
            "ValueType": "Bool",
            "Value": "True",
            "Description": None,
            "Secret": "",
        }
    ]


@pytest.mark.parametrize("path", ["folders", f"records/{ORGANIZATION}/{TENANT}/Assets"])
def test_dashboard_json_needs_the_header_token(path: str) -> None:
    """The dashboard's own JSON routes refuse `?token=` and answer with the header."""
    http = Emulator(control_token="s3cret").app.test_client()
    assert http.get(f"/_emulator/{path}?token=s3cret").status_code == 401
    answer = http.get(f"/_emulator/{path}", headers={"Authorization": "Bearer s3cret"})
    assert answer.status_code == 200
