"""The portal call `uipath auth` makes after the token: the token's organization and tenants."""

from typing import Any

import pytest
from flask.testing import FlaskClient
from uipath.platform.portal import PortalService

from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import (
    FULL,
    GLOBEX,
    ORGANIZATION,
    ORGANIZATION_ID,
    QA_TENANT,
    TENANT,
    TENANT_ID,
    WellKnownApp,
)

PATH = "/{}/portal_/api/filtering/leftnav/tenantsAndOrganizationInfo"


def token(http: FlaskClient, app: WellKnownApp = FULL) -> str:
    """A client-credentials token for `app` from the org-less token URL, as the SDK asks."""
    form = {
        "grant_type": "client_credentials",
        "client_id": app.client_id,
        "client_secret": str(app.client_secret),
    }
    answer = http.post("/identity_/connect/token", data=form)
    assert answer.status_code == 200, answer.data
    return str(answer.get_json()["access_token"])


def portal(http: FlaskClient, organization: str, access_token: str | None) -> Any:
    """GET the call for `organization`, with `access_token` as bearer when given."""
    headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
    return http.get(PATH.format(organization), headers=headers)


@pytest.mark.parametrize("organization", [ORGANIZATION_ID, ORGANIZATION, "ACME"])
def test_answers_the_tokens_organization_and_its_tenants(
    http: FlaskClient, organization: str
) -> None:
    """By id (what the CLI sends: the token's `prt_id`) or name, any case: tenants, organization."""
    answer = portal(http, organization, token(http))
    assert answer.status_code == 200
    assert answer.content_type == "application/json; charset=utf-8"
    body = answer.get_json()
    assert list(body) == ["tenants", "organization"]
    assert body["organization"] == {"id": ORGANIZATION_ID, "name": ORGANIZATION}
    assert body["tenants"][0] == {"name": TENANT, "id": TENANT_ID}
    assert [tenant["name"] for tenant in body["tenants"]] == [TENANT, QA_TENANT]


def test_organization_without_tenants_lists_none(emulator: Emulator, http: FlaskClient) -> None:
    """An organization with no tenants answers an empty `tenants` list."""
    document = emulator.state()
    for organization in document["organizations"]:
        if organization["name"] == ORGANIZATION:
            organization["tenants"] = []
    emulator.load(document)
    answer = portal(http, ORGANIZATION, token(http))
    assert answer.status_code == 200, answer.data
    assert answer.get_json()["tenants"] == []


def test_missing_token_is_401_with_a_bare_challenge(http: FlaskClient) -> None:
    """No bearer token: 401 in the emulator's error shape, `WWW-Authenticate: Bearer`."""
    answer = portal(http, ORGANIZATION_ID, None)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.get_json()["message"] == "You are not authenticated!"


def test_token_of_another_organization_is_401(http: FlaskClient) -> None:
    """A globex token asking for acme's tenants is refused with `invalid_token`."""
    answer = portal(http, ORGANIZATION_ID, token(http, GLOBEX))
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]


def test_expired_token_is_401(emulator: Emulator, http: FlaskClient) -> None:
    """A token past its expiry is refused."""
    access_token = token(http)
    emulator.clock.advance(3601)
    answer = portal(http, ORGANIZATION_ID, access_token)
    assert answer.status_code == 401
    assert "expired" in answer.headers["WWW-Authenticate"]


def test_forged_token_is_401(http: FlaskClient) -> None:
    """A token whose signature does not verify is refused."""
    header, payload, signature = token(http).split(".")
    forged = f"{header}.{payload}.{signature[::-1]}"
    assert portal(http, ORGANIZATION_ID, forged).status_code == 401


def test_unknown_organization_is_404_naming_it(http: FlaskClient) -> None:
    """An organization the world does not have is a 404 naming it, before the token is read."""
    answer = portal(http, "initech", None)
    assert answer.status_code == 404
    assert answer.get_json()["message"] == "Organization 'initech' does not exist."


def test_other_methods_are_405(http: FlaskClient) -> None:
    """Only GET (and HEAD) are served; POST is a 405 naming the allowed methods."""
    answer = http.post(PATH.format(ORGANIZATION_ID))
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET, HEAD"


def test_uipath_sdks_portal_service_reads_the_answer(
    uipath_server: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`uipath-platform`'s own `PortalService` (what `uipath auth` calls) parses the answer."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    http = uipath_server.emulator.app.test_client()
    info = PortalService(uipath_server.base_url).get_tenants_and_organizations(
        prt_id=ORGANIZATION_ID, access_token=token(http)
    )
    assert (info.organization.id, info.organization.name) == (ORGANIZATION_ID, ORGANIZATION)
    assert (info.tenants[0].name, info.tenants[0].id) == (TENANT, TENANT_ID)
