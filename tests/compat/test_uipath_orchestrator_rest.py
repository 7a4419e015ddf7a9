"""PyPI `uipath-orchestrator-rest` 18.1 (swagger-codegen client of WebApi 18.0) on the emulator.

The client validates enums client-side against the 18.0 lists, so every machine it reads must
carry an 18.0 value (`Scope` in Default, Shared, PersonalWorkspace, Cloud, Serverless).
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import uipath_orchestrator_rest as orch
from uipath_orchestrator_rest.rest import ApiException

from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import (
    DEFAULT_TENANT_MACHINES,
    FULL,
    ORGANIZATION,
    QA_TENANT,
    TENANT,
)

HTTP_TIMEOUT = 10
SCOPES_OF_18_0 = {"Default", "Shared", "PersonalWorkspace", "Cloud", "Serverless"}


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A `requests` session that reaches 127.0.0.1 directly, whatever the proxy settings."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


def _token(http: requests.Session, base_url: str) -> str:
    """A token for the full app, asked for as the guide does (form POST, org in the path)."""
    response = http.post(
        f"{base_url}/{ORGANIZATION}/identity_/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": FULL.client_id,
            "client_secret": str(FULL.client_secret),
            "scope": "OR.Machines OR.Machines.Read OR.Machines.Write",
        },
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.fixture
def machines_api() -> Iterator[Any]:
    """A factory of `MachinesApi` whose connection pools are closed after the test.

    The host takes the form of the client's default (trailing slash, so it requests `//odata`).
    """
    made: list[orch.MachinesApi] = []

    def make(base_url: str, token: str, tenant: str = TENANT) -> orch.MachinesApi:
        configuration = orch.Configuration()
        configuration.host = f"{base_url}/{ORGANIZATION}/{tenant}/orchestrator_/"
        configuration.access_token = token
        made.append(orch.MachinesApi(orch.ApiClient(configuration)))
        return made[-1]

    yield make
    for api in made:
        api.api_client.rest_client.pool_manager.clear()


@pytest.fixture
def token(uipath_server: EmulatorServer, http: requests.Session) -> str:
    """A fresh token for the full app from the emulator server."""
    return _token(http, uipath_server.base_url)


@pytest.fixture
def machines(uipath_server: EmulatorServer, token: str, machines_api: Any) -> orch.MachinesApi:
    """`MachinesApi` on acme/DefaultTenant of the emulator server."""
    api: orch.MachinesApi = machines_api(uipath_server.base_url, token)
    return api


def _raw_list(
    http: requests.Session,
    base_url: str,
    token: str,
    tenant: str = TENANT,
    params: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The tenant's machines list as plain JSON, to compare the client's view with."""
    response = http.get(
        f"{base_url}/{ORGANIZATION}/{tenant}/orchestrator_/odata/Machines",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _raw_rows(
    http: requests.Session, base_url: str, token: str, tenant: str = TENANT
) -> list[dict[str, Any]]:
    """The tenant's machines as plain JSON."""
    rows: list[dict[str, Any]] = _raw_list(http, base_url, token, tenant)["value"]
    return rows


def test_list_with_every_query_option(
    machines: orch.MachinesApi, uipath_server: EmulatorServer, http: requests.Session, token: str
) -> None:
    """`machines_get` with filter, select, orderby, top, skip and count='true' deserializes."""
    options: dict[str, Any] = {
        "filter": "Scope eq 'Default'",
        "select": "Id,Name,Type,Scope",
        "orderby": "Name desc",
        "top": 3,
        "skip": 1,
        "count": "true",
    }
    raw = _raw_list(
        http, uipath_server.base_url, token, params={f"${k}": str(v) for k, v in options.items()}
    )
    page, total = machines.machines_get(**options)
    assert total == raw["@odata.count"]
    assert [(m.id, m.name) for m in page.value] == [(r["Id"], r["Name"]) for r in raw["value"]]
    assert len(page.value) == 3
    assert {machine.scope for machine in page.value} == {"Default"}


def test_tenant_with_20_0_scopes_breaks_the_18_client(
    uipath_server: EmulatorServer, token: str, http: requests.Session, machines_api: Any
) -> None:
    """acme/QA holds 20.0-only scopes, which the 18.x client rejects as the cloud's would be."""
    rows = _raw_rows(http, uipath_server.base_url, token, QA_TENANT)
    assert not {row["Scope"] for row in rows} <= SCOPES_OF_18_0
    with pytest.raises(ValueError, match="Invalid value for `scope`"):
        machines_api(uipath_server.base_url, token, QA_TENANT).machines_get()


def test_list_whole_default_tenant(machines: orch.MachinesApi) -> None:
    """An unfiltered `machines_get` on the guide's tenant deserializes every machine."""
    assert len(machines.machines_get().value) == DEFAULT_TENANT_MACHINES


def test_get_by_id(
    machines: orch.MachinesApi, uipath_server: EmulatorServer, http: requests.Session, token: str
) -> None:
    """`machines_get_by_id` returns the machine as a `MachineDto`."""
    row = next(
        row
        for row in _raw_rows(http, uipath_server.base_url, token)
        if row["Scope"] in SCOPES_OF_18_0
    )
    machine = machines.machines_get_by_id(row["Id"])
    assert isinstance(machine, orch.MachineDto)
    assert (machine.id, machine.name, machine.key) == (row["Id"], row["Name"], row["Key"])


def test_create_update_delete(machines: orch.MachinesApi) -> None:
    """`machines_post`, `machines_put_by_id`, `machines_patch_by_id` and delete round-trip."""
    created = machines.machines_post(
        body=orch.MachineDto(name="COMPAT-RUNNER", type="Standard", unattended_slots=1)
    )
    assert machines.api_client.last_response.status == 201
    assert created.id is not None
    assert created.client_secret

    machines.machines_put_by_id(
        created.id, body=orch.MachineDto(id=created.id, name="COMPAT-RUNNER-2", unattended_slots=2)
    )
    machines.machines_patch_by_id(
        created.id, body=orch.MachineDto(name="COMPAT-RUNNER-2", description="patched")
    )
    updated = machines.machines_get_by_id(created.id)
    assert (updated.name, updated.unattended_slots, updated.description) == (
        "COMPAT-RUNNER-2",
        2,
        "patched",
    )

    machines.machines_delete_by_id(created.id)
    assert machines.api_client.last_response.status == 204
    with pytest.raises(ApiException) as raised:
        machines.machines_get_by_id(created.id)
    assert raised.value.status == 404


def test_delete_bulk(machines: orch.MachinesApi) -> None:
    """`machines_delete_bulk` with a `MachineDeleteBulkRequest` deletes the machines."""
    created = machines.machines_post(body=orch.MachineDto(name="COMPAT-BULK", type="Template"))
    machines.machines_delete_bulk(body=orch.MachineDeleteBulkRequest(machine_ids=[created.id]))
    assert machines.api_client.last_response.status == 204
    with pytest.raises(ApiException) as raised:
        machines.machines_get_by_id(created.id)
    assert raised.value.status == 404


@pytest.mark.parametrize(
    ("call", "status", "error_code"),
    [
        (lambda api: api.machines_get_by_id(999_999), 404, 1002),
        (lambda api: api.machines_get(top=5000), 400, 1000),
        (lambda api: api.machines_post(body=orch.MachineDto(name="BUILD-AGENT-01")), 409, 1001),
    ],
    ids=["unknown-id", "top-over-limit", "duplicate-name"],
)
def test_errors_reach_the_client_as_api_exception(
    machines: orch.MachinesApi, call: Any, status: int, error_code: int
) -> None:
    """Emulator errors surface as `ApiException` with the status and Orchestrator's error body."""
    with pytest.raises(ApiException) as raised:
        call(machines)
    assert raised.value.status == status
    assert json.loads(raised.value.body)["errorCode"] == error_code
