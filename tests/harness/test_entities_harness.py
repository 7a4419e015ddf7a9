"""The harness reads and changes any entity set without a token, with the API's validation."""

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import MACHINES, call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.errors import ApiError
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

ENTITIES = f"/_emulator/entities/{ORGANIZATION}/{TENANT}/Machines"


def test_python_handle_adds_reads_changes_and_removes(
    emulator: Emulator, http: FlaskClient
) -> None:
    """`entities(...)` add/get/update/remove are what the API then serves."""
    machines = emulator.entities(ORGANIZATION, TENANT, "Machines")
    before = machines.count()
    added = machines.add({"Name": "from-the-harness", "UnattendedSlots": 2})
    assert machines.count() == before + 1
    served = call(http, "GET", f"{MACHINES}({added['Id']})").get_json()
    assert (served["Name"], served["UnattendedSlots"], served["Key"]) == (
        "from-the-harness",
        2,
        added["Key"],
    )
    changed = machines.update(added["Id"], {"Description": "changed"})
    assert changed["Description"] == "changed"
    assert changed["Name"] == "from-the-harness"
    machines.remove(added["Id"])
    assert call(http, "GET", f"{MACHINES}({added['Id']})").status_code == 404
    assert [m["Id"] for m in machines.list(top=2)] == [m["Id"] for m in machines.list()[:2]]


def test_python_handle_validates_as_the_api_does(emulator: Emulator, http: FlaskClient) -> None:
    """A body the API refuses is refused by the handle with the API's status and message."""
    machines = emulator.entities(ORGANIZATION, TENANT, "Machines")
    for body in ({"Type": "Standard"}, {"Name": "x", "Type": "standard"}, {"Name": "x" * 451}):
        with pytest.raises(ApiError) as refused:
            machines.add(body)
        answer = call(http, "POST", MACHINES, json=body).get_json()
        assert (refused.value.status, refused.value.message) == (400, answer["message"])
    existing = machines.list(top=1)[0]["Name"]
    with pytest.raises(ApiError) as duplicate:
        machines.add({"Name": existing.lower()})
    assert (duplicate.value.status, duplicate.value.error_code) == (409, 1001)


def test_python_handle_names_unknown_sets_tenants_and_keys(emulator: Emulator) -> None:
    """An unknown set lists the emulated ones; an unknown tenant or key is a 404 saying so."""
    with pytest.raises(
        ApiError, match=r"No entity set named 'Widgets' is emulated \(sets: Machines"
    ):
        emulator.entities(ORGANIZATION, TENANT, "Widgets")
    with pytest.raises(ApiError, match="Nowhere"):
        emulator.entities(ORGANIZATION, "Nowhere", "Machines").count()
    with pytest.raises(ApiError, match="does not exist"):
        emulator.entities(ORGANIZATION, TENANT, "Machines").get(10**9)


def test_handle_follows_a_reset(emulator: Emulator) -> None:
    """A handle taken before `reset()` sees the world after it (it looks the tenant up anew)."""
    machines = emulator.entities(ORGANIZATION, TENANT, "Machines")
    start = machines.count()
    machines.add({"Name": "gone-after-reset"})
    emulator.reset()
    assert machines.count() == start


def test_http_entities_round_trip_without_a_token(http: FlaskClient) -> None:
    """POST, GET (one and a page), PATCH and DELETE under `/_emulator/entities/` need no token."""
    created = http.post(ENTITIES, json={"Name": "over-http"})
    assert created.status_code == 201, created.data
    key = created.get_json()["Id"]
    assert http.get(f"{ENTITIES}/{key}").get_json()["Name"] == "over-http"
    page = http.get(f"{ENTITIES}?skip=1&top=2").get_json()
    assert (page["skip"], len(page["value"])) == (1, 2)
    assert page["count"] == len(http.get(f"{ENTITIES}?top=500").get_json()["value"])
    patched = http.patch(f"{ENTITIES}/{key}", json={"HeadlessSlots": 3})
    assert patched.get_json()["HeadlessSlots"] == 3
    assert http.delete(f"{ENTITIES}/{key}").status_code == 204
    assert http.get(f"{ENTITIES}/{key}").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "text"),
    [
        ("POST", ENTITIES, {"Type": "Standard"}, 400, "The Name field is required."),
        ("POST", ENTITIES, ["not", "an", "object"], 400, "JSON object"),
        ("PATCH", f"{ENTITIES}/1", {"Type": "Foo"}, 400, "Type"),
        ("GET", f"{ENTITIES}/abc", None, 400, "not an integer"),
        ("GET", f"{ENTITIES}?top=-1", None, 400, "top"),
        ("GET", "/_emulator/entities/acme/DefaultTenant/Widgets", None, 404, "Widgets"),
        ("DELETE", f"{ENTITIES}/999999", None, 404, "does not exist"),
    ],
)
def test_http_entities_refuse_bad_requests_in_the_control_shape(
    http: FlaskClient,
    method: str,
    path: str,
    body: object,
    status: int,
    text: str,
) -> None:
    """Bad bodies, keys and sets get a 4xx `{"message"}` naming the problem; nothing changes."""
    before = http.get(f"{ENTITIES}?top=500").get_json()["value"]
    response = http.open(path, method=method, json=body)
    assert response.status_code == status, response.data
    assert list(response.get_json()) == ["message"]
    assert text in response.get_json()["message"]
    assert http.get(f"{ENTITIES}?top=500").get_json()["value"] == before


def test_http_entities_pages_are_bounded(emulator: Emulator, http: FlaskClient) -> None:
    """A page holds at most 500 records whatever `top` asks."""
    machines = emulator.entities(ORGANIZATION, TENANT, "Machines")
    for number in range(510 - machines.count()):
        machines.add({"Name": f"bulk-{number:03d}"})
    page = http.get(f"{ENTITIES}?top=100000").get_json()
    assert (page["count"], len(page["value"])) == (510, 500)
