"""The OpenAPI document: in step with the route table, valid OpenAPI 3.0, true to our schemas."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient

from tests.openapi.helpers import (
    CONTROL_OPENAPI,
    ORCHESTRATOR_BASE,
    SWAGGER_JSON,
    fetch_document,
    operations,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.entities.machines import MACHINES
from uipath_emulator.mock_server.well_known import ORGANIZATION, QA_TENANT, TENANT

_ROUTE_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")
_SAMPLE_ARGUMENTS = {
    "organization": ORGANIZATION,
    "tenant": TENANT,
    "key": "1",
    "identifier": "5f0c1f8e-1b6a-4f0e-9d8b-2a7c3e4f5a6b",
    "package": "HelloWorld",
}
_TOKEN_METHODS_ONLY_REFUSED = ("GET", "PUT", "PATCH", "DELETE")


def routed_operations(app: Flask) -> set[tuple[str, str]]:
    """(path as documented, METHOD) for every Identity and Machines route of the app."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ("identity", "orchestrator"):
            continue
        if rule.endpoint == "orchestrator.not_emulated":
            continue  # answers every other path: not an operation
        path = _ROUTE_ARGUMENT.sub(r"{\1}", rule.rule)
        path = path.removeprefix("/{organization}/{tenant}/orchestrator_")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            found.add((path, method))
    return found


def walk(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object in a JSON document, with its location."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{where}/{index}")


def test_documented_operations_are_exactly_the_routes(
    emulator: Emulator, http: FlaskClient
) -> None:
    """Every Identity and Machines route and method is documented, and nothing else is."""
    assert operations(fetch_document(http)) == routed_operations(emulator.app)


def test_every_documented_operation_reaches_its_route(
    emulator: Emulator, http: FlaskClient
) -> None:
    """Each documented path, filled with sample values on its server, is matched by a route."""
    adapter = emulator.app.url_map.bind("localhost")
    document = fetch_document(http)
    for path, method in operations(document):
        prefix = "" if "servers" in document["paths"][path] else ORCHESTRATOR_BASE
        endpoint, _ = adapter.match(prefix + path.format(**_SAMPLE_ARGUMENTS), method=method)
        assert endpoint.split(".")[0] in ("identity", "orchestrator"), (path, method, endpoint)


@pytest.mark.parametrize("method", _TOKEN_METHODS_ONLY_REFUSED)
def test_token_endpoint_refuses_other_methods(http: FlaskClient, method: str) -> None:
    """The token endpoint's methods other than POST, documented as such, only refuse."""
    response = http.open("/identity_/connect/token", method=method)
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid_request"}


def test_document_is_valid_openapi_30(http: FlaskClient) -> None:
    """The document passes schemathesis's OpenAPI 3.0 meta-schema validation."""
    document = fetch_document(http)
    assert document["openapi"].startswith("3.0.")
    schemathesis.openapi.from_dict(document).validate()


def test_document_has_no_json_schema_2020_constructs(http: FlaskClient) -> None:
    """No `const`, `$defs`, type lists or null type remain, and every `$ref` resolves."""
    document = fetch_document(http)
    for where, node in walk(document):
        if where.endswith(("/properties", "/paths", "/schemas")):
            continue  # names of members, paths and schemas, not keywords
        assert "const" not in node, where
        assert "$defs" not in node, where
        assert not isinstance(node.get("type"), list), where
        assert node.get("type") != "null", where
        ref = node.get("$ref")
        if isinstance(ref, str):
            hash_sign, components, kind, name = ref.split("/")
            assert (hash_sign, components) == ("#", "components"), (where, ref)
            assert name in document["components"][kind], (where, ref)


def test_machine_members_are_those_of_the_schema(http: FlaskClient) -> None:
    """Request and response machines have the schema's members, and its `$defs` are components."""
    machine = MACHINES.schema
    schemas = fetch_document(http)["components"]["schemas"]
    for name in ("MachineDto", "MachinePatch", "ExtendedMachineDto"):
        assert list(schemas[name]["properties"]) == list(machine["properties"]), name
    assert set(machine["$defs"]) <= set(schemas)
    assert schemas["MachineDto"]["required"] == machine["required"]


def test_nullable_members_become_openapi_30_nullable(http: FlaskClient) -> None:
    """`[T, "null"]` is `nullable`, a nullable enum keeps null, a nullable `$ref` is an allOf."""
    members = fetch_document(http)["components"]["schemas"]["MachineDto"]["properties"]
    license_key = members["LicenseKey"]
    assert (license_key["type"], license_key["nullable"], license_key["maxLength"]) == (
        "string",
        True,
        255,
    )
    assert members["Type"]["nullable"] is True
    assert members["Type"]["enum"] == ["Standard", "Template", None]
    assert members["UpdatePolicy"] == {
        "allOf": [{"$ref": "#/components/schemas/UpdatePolicyDto"}],
        "nullable": True,
    }
    assert members["Name"]["type"] == "string"
    assert "nullable" not in members["Name"]
    assert members["@odata.type"]["enum"] == [
        "#UiPath.Server.Configuration.OData.ExtendedMachineDto"
    ]


def test_read_only_members_are_those_the_routes_ignore(http: FlaskClient) -> None:
    """Members marked readOnly in request bodies are exactly those the Machines routes ignore."""
    members = fetch_document(http)["components"]["schemas"]["MachineDto"]["properties"]
    read_only = {name for name, member in members.items() if member.get("readOnly")}
    assert read_only == set(MACHINES.type.read_only) | {"@odata.type"}


def test_operation_security_names_the_route_scopes(http: FlaskClient) -> None:
    """Reads accept any of the read scopes, writes any of the write scopes, Identity none."""
    paths = fetch_document(http)["paths"]
    read = [{"OAuth2": [scope]} for scope in ("OR.Machines", "OR.Machines.Read")]
    write = [{"OAuth2": [scope]} for scope in ("OR.Machines", "OR.Machines.Write")]
    assert paths["/odata/Machines"]["get"]["security"] == read
    assert paths["/odata/Machines({key})"]["get"]["security"] == read
    assert paths["/odata/Machines"]["post"]["security"] == write
    for method in ("put", "patch", "delete"):
        assert paths["/odata/Machines({key})"][method]["security"] == write
    assert paths["/identity_/connect/token"]["post"]["security"] == []


def test_servers_and_token_url_follow_the_request(http: FlaskClient) -> None:
    """Server URLs and the OAuth2 token URL are absolute on the host the client used."""
    response = http.get(SWAGGER_JSON, base_url="http://emulator.test:8123")
    document = response.get_json()
    (server,) = document["servers"]
    assert server["url"] == "http://emulator.test:8123/{organization}/{tenant}/orchestrator_"
    assert server["variables"]["organization"]["default"] == ORGANIZATION
    assert server["variables"]["tenant"]["default"] == TENANT
    flow = document["components"]["securitySchemes"]["OAuth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "http://emulator.test:8123/identity_/connect/token"
    token_path = document["paths"]["/identity_/connect/token"]
    assert token_path["servers"][0]["url"] == "http://emulator.test:8123"


def test_server_variables_default_to_the_tenant_served(http: FlaskClient) -> None:
    """Each tenant's swagger.json defaults the server variables to that tenant, as written."""
    document = fetch_document(
        http, f"/{ORGANIZATION.upper()}/{QA_TENANT}/orchestrator_/swagger/v20.0/swagger.json"
    )
    variables = document["servers"][0]["variables"]
    assert variables["organization"]["default"] == ORGANIZATION.upper()
    assert variables["tenant"]["default"] == QA_TENANT


def test_control_plane_serves_the_same_document(http: FlaskClient) -> None:
    """`/_emulator/openapi.json` is the tenant document of the world's first organization."""
    assert fetch_document(http, CONTROL_OPENAPI) == fetch_document(http, SWAGGER_JSON)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/nope/DefaultTenant/orchestrator_/swagger/v20.0/swagger.json", "Organization 'nope'"),
        (f"/{ORGANIZATION}/Nope/orchestrator_/swagger/v20.0/swagger.json", "Tenant 'Nope'"),
        ("/nope/DefaultTenant/orchestrator_/swagger/index.html", "Organization 'nope'"),
    ],
)
def test_unknown_tenant_has_no_document(http: FlaskClient, url: str, message: str) -> None:
    """An unknown organization or tenant gets Orchestrator's 404 error, not a document."""
    response = http.get(url)
    assert response.status_code == 404
    body = response.get_json()
    assert list(body) == ["message", "errorCode", "traceId"]
    assert body["message"].startswith(message)
