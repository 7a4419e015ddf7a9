"""The dashboard's buckets: each tenant's buckets with their files and working download links."""

import re
from html import unescape
from typing import TYPE_CHECKING

import requests
from flask.testing import FlaskClient

from tests.browser.test_dashboard import HTTP_TIMEOUT
from tests.orchestrator.bucket_helpers import upload
from uipath_emulator.mock_server.orchestrator.entities.registry import SECRET_MASK
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import (
    DOCUMENTS_BUCKET,
    DOCUMENTS_FILES,
    ORGANIZATION,
    TENANT,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

DASHBOARD = "/_emulator/"


def links(section: str) -> dict[str, str]:
    """Each file path of a rendered buckets section, with its download link."""
    found = re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', section)
    return {unescape(path): unescape(href) for href, path in found}


def test_page_lists_documents_with_files_that_download(http: FlaskClient) -> None:
    """Documents (Shared) is listed with its two files; each link answers the file's bytes."""
    page = http.get(DASHBOARD).get_data(as_text=True)
    section = page.split('<section id="buckets">', 1)[1].split("</section>", 1)[0]
    assert re.search(rf"{DOCUMENTS_BUCKET} <small class=\"mono\">Shared</small>", section)
    shown = links(section)
    assert sorted(shown) == sorted(DOCUMENTS_FILES)
    for path, href in shown.items():
        assert href.startswith("http://localhost/_blob/")
        assert http.get(href.removeprefix("http://localhost")).data == DOCUMENTS_FILES[path]
    assert section.count("No buckets.") == 2  # acme/QA and globex hold none


def test_json_follows_uploads(http: FlaskClient) -> None:
    """`/_emulator/buckets` shows a file as soon as it is uploaded, with its size and type."""
    upload(http, "new/file.csv", b"a,b\n", "text/csv")
    tenants = http.get("/_emulator/buckets").get_json()["tenants"]
    (default,) = [t for t in tenants if (t["organization"], t["tenant"]) == (ORGANIZATION, TENANT)]
    (bucket,) = default["buckets"]
    assert bucket["file_count"] == 3
    (new,) = [file for file in bucket["files"] if file["path"] == "/new/file.csv"]
    assert (new["content_type"], new["size"]) == ("text/csv", 4)


def test_records_of_files_mask_the_content(http: FlaskClient) -> None:
    """The records view of BucketFiles shows each file without its (possibly large) bytes."""
    path = f"/_emulator/records/{ORGANIZATION}/{TENANT}/BucketFiles"
    records = http.get(path).get_json()["value"]
    assert {record["Content"] for record in records} == {SECRET_MASK}
    assert {record["FullPath"] for record in records} == set(DOCUMENTS_FILES)


def test_live_page_shows_an_uploaded_file_without_reloading(
    page: "Page", served: EmulatorServer
) -> None:
    """A file uploaded after the page opened appears in Documents' table with a working link."""
    from playwright.sync_api import expect

    page.goto(f"{served.base_url}{DASHBOARD}")
    expect(page.locator("#live")).to_contain_text("live, updated")
    page.evaluate("window.sameDocument = true")
    served_http = served.emulator.app.test_client()
    assert upload(served_http, "live/added.txt", b"added live", "text/plain").status_code == 201
    tenant = page.locator(
        f'#buckets .bucket-tenant[data-organization="{ORGANIZATION}"][data-tenant="{TENANT}"]'
    )
    link = tenant.locator("a", has_text="/live/added.txt")
    expect(link).to_have_count(1)
    href = link.get_attribute("href")
    assert href is not None
    assert requests.get(href, timeout=HTTP_TIMEOUT).content == b"added live"
    assert page.evaluate("window.sameDocument") is True
