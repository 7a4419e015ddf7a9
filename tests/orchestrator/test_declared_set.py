"""A set declared only here (`Widgets`, a type the spec does not have) gets the whole engine."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import assert_orchestrator_error, call, token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    EntitySet,
    Operation,
    Registry,
    Unique,
)
from uipath_emulator.mock_server.well_known import ORGANIZATION, READONLY, TENANT

COLLECTION = "/odata/Widgets"
ENTITY = "/odata/Widgets({key})"
WIDGETS_PATH = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Widgets"
WIDGETS = EntitySet(
    name="Widgets",
    label="Widget",
    folder_scoped=False,
    operations={
        Operation.LIST: COLLECTION,
        Operation.GET: ENTITY,
        Operation.CREATE: COLLECTION,
        Operation.REPLACE: ENTITY,
        Operation.UPDATE: ENTITY,
        Operation.DELETE: ENTITY,
    },
    unique=(Unique(("Name",), "The widget name '{Name}' is already used."),),
    extra_scopes={
        COLLECTION: frozenset({"OR.Machines"}),
        ENTITY: frozenset({"OR.Machines"}),
    },
    overlay_facts={
        "type": "WidgetDto",
        "wire_order": ["Name", "Colour", "Size", "Key", "Id"],
        "read_only": ["Id", "Key"],
        "defaults": {"Colour": "Red", "Size": 1},
        "messages": {"not_found": "There is no widget {key}."},
    },
    spec_schemas={
        "WidgetDto": {
            "type": "object",
            "required": ["Name"],
            "properties": {
                "Id": {"type": "integer", "format": "int64"},
                "Key": {"type": "string", "format": "uuid"},
                "Name": {"type": "string", "minLength": 1, "maxLength": 20},
                "Size": {"type": "integer", "format": "int32", "minimum": 0},
                "Colour": {"$ref": "#/components/schemas/Colour"},
            },
        },
        "Colour": {"type": "string", "enum": ["Red", "Green", "Blue"]},
    },
)


@pytest.fixture
def widgets() -> FlaskClient:
    """A client of an emulator whose registry holds Machines and Widgets."""
    emulator = Emulator(registry=Registry([*default_registry(), WIDGETS]))
    return emulator.app.test_client()


def _create(http: FlaskClient, **fields: Any) -> dict[str, Any]:
    response = call(http, "POST", WIDGETS_PATH, json=fields)
    assert response.status_code == 201, response.data
    created: dict[str, Any] = response.get_json()
    return created


def test_declared_set_serves_create_get_replace_patch_delete(widgets: FlaskClient) -> None:
    """A declared set gets 201 with Location, GET by key, PUT, PATCH and DELETE then 404."""
    created = _create(widgets, Name="sprocket", Size=3)
    assert list(created) == ["@odata.context", "@odata.type", "Name", "Colour", "Size", "Key", "Id"]
    assert created["@odata.type"] == "#UiPath.Server.Configuration.OData.WidgetDto"
    assert (created["Colour"], created["Size"]) == ("Red", 3)
    entity = f"{WIDGETS_PATH}({created['Id']})"

    assert call(widgets, "GET", entity).get_json()["Name"] == "sprocket"
    replaced = call(widgets, "PUT", entity, json={"Name": "cog", "Colour": "Blue"})
    assert replaced.status_code == 200, replaced.data
    assert (replaced.get_json()["Colour"], replaced.get_json()["Size"]) == ("Blue", 1)
    patched = call(widgets, "PATCH", entity, json={"Size": 9})
    assert (patched.get_json()["Name"], patched.get_json()["Size"]) == ("cog", 9)
    assert patched.get_json()["Key"] == created["Key"]

    assert call(widgets, "DELETE", entity).status_code == 204
    message = assert_orchestrator_error(call(widgets, "GET", entity), 404, 1002)
    assert message == f"There is no widget {created['Id']}."


def test_declared_set_answers_odata_queries(widgets: FlaskClient) -> None:
    created_type = "#UiPath.Server.Configuration.OData.WidgetDto"
    """$filter (enum, case-insensitive names), $orderby, $select, $top, $skip, $count work."""
    for name, colour, size in [("a", "Green", 5), ("b", "Blue", 2), ("c", "Green", 7)]:
        _create(widgets, Name=name, Colour=colour, Size=size)
    query = {
        "$filter": "colour eq 'Green' and size gt 1",
        "$orderby": "Size desc",
        "$select": "Name,Size",
        "$count": "true",
        "$top": "1",
    }
    response = call(widgets, "GET", WIDGETS_PATH, query_string=query)
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["@odata.count"] == 2
    assert body["value"] == [{"@odata.type": created_type, "Name": "c", "Size": 7}]
    assert body["@odata.context"].endswith("/odata/$metadata#Widgets(Name,Size)")
    skipped = call(widgets, "GET", WIDGETS_PATH, query_string={"$orderby": "Id", "$skip": "2"})
    assert [widget["Name"] for widget in skipped.get_json()["value"]] == ["c"]


def test_declared_set_validates_input_from_its_declaration(widgets: FlaskClient) -> None:
    """Missing required, unknown enum member, range, length and uniqueness come from the type."""
    _create(widgets, Name="taken")
    cases = [
        ({"Size": 1}, 400),
        ({"Name": "x", "Colour": "red"}, 400),
        ({"Name": "x", "Size": -1}, 400),
        ({"Name": "x" * 21}, 400),
        ({"Name": "x", "Shape": "round"}, 400),
        ({"Name": "TAKEN "}, 409),
    ]
    for body, status in cases:
        response = call(widgets, "POST", WIDGETS_PATH, json=body)
        assert response.status_code == status, (body, response.data)
    assert call(widgets, "GET", WIDGETS_PATH).get_json()["@odata.count"] == 1


def test_declared_set_checks_its_scopes(widgets: FlaskClient) -> None:
    """A token without the declared scope gets 403 on the declared set."""
    token = token_for(widgets, READONLY)
    response = call(widgets, "GET", WIDGETS_PATH, token=token)
    assert response.status_code == 403, response.data


def test_declared_set_has_a_harness_handle_and_is_documented() -> None:
    """`entities(...)` adds records; the OpenAPI document lists the set's paths."""
    emulator = Emulator(registry=Registry([*default_registry(), WIDGETS]))
    added = emulator.entities(ORGANIZATION, TENANT, "Widgets").add({"Name": "from-harness"})
    assert emulator.entities(ORGANIZATION, TENANT, "Widgets").get(added["Id"]) == added
    http = emulator.app.test_client()
    document = http.get("/_emulator/openapi.json").get_json()
    assert {"get", "post"} <= set(document["paths"]["/odata/Widgets"])
    assert "WidgetDto" in document["components"]["schemas"]
    state = emulator.state()
    tenant = state["organizations"][0]["tenants"][0]
    assert [widget["Name"] for widget in tenant["entities"]["Widgets"]] == ["from-harness"]
