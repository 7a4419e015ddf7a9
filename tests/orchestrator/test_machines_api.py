"""The Machines routes: envelopes, headers, CRUD, validation, errors, concurrency."""

import gc
import json
import threading
import uuid

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import (
    MACHINES,
    ODATA_CONTENT_TYPE,
    assert_orchestrator_error,
    assert_valid_machine,
    bearer,
    call,
    token_for,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.entities.machines import MACHINES as MACHINE_SET
from uipath_emulator.mock_server.web.app import shared_apps
from uipath_emulator.mock_server.web.orchestrator import MAX_LISTINGS_PER_SNAPSHOT
from uipath_emulator.mock_server.web.service import MAX_CACHED_PATH, MAX_CACHED_ROUTES
from uipath_emulator.mock_server.well_known import (
    DEFAULT_TENANT_MACHINES,
    ORGANIZATION_ID,
    TENANT_ID,
)

MACHINE_TYPE = "UiPath.Server.Configuration.OData.ExtendedMachineDto"
SCHEMA_FIELDS = [name for name in MACHINE_SET.schema["properties"] if name != "UpdateInfo"]
NEXT_ID = DEFAULT_TENANT_MACHINES + 1
BULK_DELETE = f"{MACHINES}/UiPath.Server.Configuration.OData.DeleteBulk"


def machine_count(http: FlaskClient) -> int:
    """How many machines acme/DefaultTenant holds."""
    return int(call(http, "GET").get_json()["@odata.count"])


def test_list_envelope_keys_context_and_items(http: FlaskClient) -> None:
    """The list is `@odata.context`, `@odata.count`, `value`; items carry every field in order."""
    response = call(http, "GET")
    assert response.status_code == 200
    body = json.loads(response.data, object_pairs_hook=dict)
    assert list(body) == ["@odata.context", "@odata.count", "value"]
    assert body["@odata.context"] == (
        f"http://localhost/acme/DefaultTenant/orchestrator_/odata/$metadata#Machines/{MACHINE_TYPE}"
    )
    assert body["@odata.count"] == len(body["value"]) == DEFAULT_TENANT_MACHINES
    for item in body["value"]:
        assert list(item) == SCHEMA_FIELDS
        assert item["@odata.type"] == f"#{MACHINE_TYPE}"
        assert item["ClientSecret"] is None
        assert_valid_machine(item)


def test_orchestrator_headers(http: FlaskClient) -> None:
    """Responses carry Orchestrator's OData content type, version, no-cache and a correlation id."""
    response = call(http, "GET")
    assert response.headers["Content-Type"] == ODATA_CONTENT_TYPE
    assert response.headers["OData-Version"] == "4.0"
    assert response.headers["Cache-Control"] == "no-cache, no-store, must-revalidate"
    uuid.UUID(response.headers["X-Correlation-Id"])
    error = http.get(MACHINES)
    uuid.UUID(error.headers["X-Correlation-Id"])


def test_head_of_a_listing_has_the_get_headers_and_no_body(http: FlaskClient) -> None:
    """HEAD on a listing answers GET's status and headers, Content-Length included, no body."""
    token = token_for(http)
    got = call(http, "GET", token=token)
    head = call(http, "HEAD", token=token)
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["Content-Length"] == str(len(got.data))
    assert head.headers["Content-Type"] == ODATA_CONTENT_TYPE
    assert head.headers["OData-Version"] == "4.0"


def test_routing_stays_right_past_the_route_cache(emulator: Emulator, http: FlaskClient) -> None:
    """More distinct paths than the route cache keeps are still routed each to its own record,
    and the cache stays within its bound."""
    token = token_for(http)
    service = shared_apps(emulator.registry).orchestrator
    for key in range(1, MAX_CACHED_ROUTES + 50):
        response = http.get(f"{MACHINES}({key})", headers=bearer(token))
        if key <= DEFAULT_TENANT_MACHINES:
            assert response.get_json()["Id"] == key
        else:
            assert response.status_code == 404
    assert len(service._matches) <= MAX_CACHED_ROUTES
    assert call(http, "GET", f"{MACHINES}(1)", token=token).get_json()["Id"] == 1


def test_an_upgrade_request_is_routed_the_same_before_and_after_a_plain_one(
    emulator: Emulator, http: FlaskClient
) -> None:
    """A request asking for a websocket upgrade gets the same answer whether or not a plain
    request for the same method and path came first (the route cache never answers it)."""
    shared_apps(emulator.registry).orchestrator._matches.clear()
    token = token_for(http)
    upgrade = {**bearer(token), "Connection": "Upgrade", "Upgrade": "websocket"}
    path = f"{MACHINES}(3)"
    first = http.get(path, headers=upgrade).status_code
    assert http.get(path, headers=bearer(token)).status_code == 200
    assert http.get(path, headers=upgrade).status_code == first


def test_long_paths_are_routed_without_filling_the_route_cache(
    emulator: Emulator, http: FlaskClient
) -> None:
    """Paths longer than the cache keeps are answered as usual and leave no cache entry."""
    token = token_for(http)
    service = shared_apps(emulator.registry).orchestrator
    service._matches.clear()
    for n in range(20):
        path = f"{MACHINES}/{'x' * (MAX_CACHED_PATH + n)}"
        assert_orchestrator_error(http.get(path, headers=bearer(token)), 404, 0)
    assert service._matches == {}


def test_context_echoes_org_and_tenant_as_written(http: FlaskClient) -> None:
    """Org and tenant by id or in another case are accepted and echoed as written."""
    for org, tenant in [("ACME", "defaulttenant"), (ORGANIZATION_ID, TENANT_ID)]:
        path = f"/{org}/{tenant}/orchestrator_/odata/Machines"
        body = call(http, "GET", path=path).get_json()
        assert body["@odata.context"].startswith(f"http://localhost/{org}/{tenant}/orchestrator_/")
        assert body["@odata.count"] == DEFAULT_TENANT_MACHINES


def test_double_slash_before_odata_is_routed(http: FlaskClient) -> None:
    """`orchestrator_//odata/Machines` (swagger-generated clients) works like one slash."""
    path = MACHINES.replace("orchestrator_/odata", "orchestrator_//odata")
    assert call(http, "GET", path=path).status_code == 200


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/initech/DefaultTenant/orchestrator_/odata/Machines", "initech"),
        ("/acme/Nope/orchestrator_/odata/Machines", "Nope"),
    ],
)
def test_unknown_organization_or_tenant_is_404_naming_it(
    http: FlaskClient, path: str, named: str
) -> None:
    """An unknown organization or tenant gets a JSON 404 that names it."""
    message = assert_orchestrator_error(call(http, "GET", path=path), 404, 0)
    assert f"'{named}'" in message


@pytest.mark.parametrize("key", ["3", "3L"])
def test_get_by_key(http: FlaskClient, key: str) -> None:
    """`Machines(3)` and `Machines(3L)` return the entity with its `$entity` context."""
    body = call(http, "GET", path=f"{MACHINES}({key})").get_json()
    assert body["@odata.context"].endswith("/odata/$metadata#Machines/$entity")
    assert body["Id"] == 3
    assert body["Name"] == "Finance template"
    assert list(body)[1:] == SCHEMA_FIELDS
    listed = next(m for m in call(http, "GET").get_json()["value"] if m["Id"] == 3)
    assert {k: v for k, v in body.items() if k != "@odata.context"} == listed


def test_unknown_key_is_404_1002(http: FlaskClient) -> None:
    """An id no machine has gets 404 with errorCode 1002."""
    assert_orchestrator_error(call(http, "GET", path=f"{MACHINES}(999)"), 404, 1002)


@pytest.mark.parametrize("key", ["abc", "1.5", "99999999999999999999", "'1'"])
def test_malformed_key_is_400(http: FlaskClient, key: str) -> None:
    """A key that is not an int64 gets 400 errorCode 1000."""
    assert_orchestrator_error(call(http, "GET", path=f"{MACHINES}({key})"), 400, 1000)


def test_create_returns_201_location_and_the_secret_once(http: FlaskClient) -> None:
    """Create answers 201 with Location, a new id and key, and a ClientSecret only this once."""
    response = call(http, "POST", json={"Name": "NEW-RUNNER", "UnattendedSlots": 2})
    assert response.status_code == 201
    body = response.get_json()
    assert body["@odata.context"].endswith("$metadata#Machines/$entity")
    assert body["Id"] == NEXT_ID
    uuid.UUID(body["Key"])
    assert body["ClientSecret"]
    assert body["Type"] == "Standard"
    assert body["UnattendedSlots"] == 2
    assert response.headers["Location"] == (
        f"http://localhost/acme/DefaultTenant/orchestrator_/odata/Machines({NEXT_ID})"
    )
    stored = call(http, "GET", path=f"{MACHINES}({NEXT_ID})").get_json()
    assert stored["ClientSecret"] is None
    assert stored["Key"] == body["Key"]
    assert_valid_machine({k: v for k, v in stored.items() if k != "@odata.context"})


def test_read_only_fields_are_ignored_on_create(http: FlaskClient) -> None:
    """Id and Key sent by the client are ignored: the server assigns them."""
    body = call(http, "POST", json={"Name": "X", "Id": 5, "Key": str(uuid.uuid4())}).get_json()
    assert body["Id"] == NEXT_ID


def test_ids_increase_and_are_not_reused(http: FlaskClient) -> None:
    """Deleting the newest machine does not make its id come back."""
    first = call(http, "POST", json={"Name": "A"}).get_json()["Id"]
    assert call(http, "DELETE", path=f"{MACHINES}({first})").status_code == 204
    assert call(http, "POST", json={"Name": "B"}).get_json()["Id"] == first + 1


@pytest.mark.parametrize("name", ["BUILD-AGENT-01", "build-agent-01"])
def test_duplicate_name_on_create_is_409_1001(http: FlaskClient, name: str) -> None:
    """A name already used in the tenant, in any case, gets 409 errorCode 1001 and no machine."""
    assert_orchestrator_error(call(http, "POST", json={"Name": name}), 409, 1001)
    assert machine_count(http) == DEFAULT_TENANT_MACHINES


def test_same_name_in_another_tenant_is_fine(http: FlaskClient) -> None:
    """Names are unique per tenant, not per organization."""
    path = "/acme/QA/orchestrator_/odata/Machines"
    assert call(http, "POST", path=path, json={"Name": "BUILD-AGENT-01"}).status_code == 201


INVALID_BODIES = [
    ({"Description": "no name"}, "Name"),
    ({"Name": ""}, "Name"),
    ({"Name": "   "}, "Name"),
    ({"Name": None}, "Name"),
    ({"Name": "x" * 451}, "Name"),
    ({"Name": "X", "Description": "d" * 501}, "Description"),
    ({"Name": "X", "LicenseKey": "k" * 256}, "LicenseKey"),
    ({"Name": "X", "Type": "Virtual"}, "Type"),
    ({"Name": "X", "Scope": "default"}, "Scope"),
    ({"Name": "X", "UnattendedSlots": "2"}, "UnattendedSlots"),
    ({"Name": "X", "UnattendedSlots": True}, "UnattendedSlots"),
    ({"Name": "X", "UnattendedSlots": 2**31}, "UnattendedSlots"),
    ({"Name": "X", "Tags": [{"Value": "no name"}]}, "Tags[0]"),
    ({"Name": "X", "UpdatePolicy": {"Type": "Sometimes"}}, "UpdatePolicy.Type"),
    ({"Name": "X", "Colour": "red"}, "Colour"),
    ({"Name": 5}, "Name"),
]


@pytest.mark.parametrize(("body", "field"), INVALID_BODIES, ids=[f for _, f in INVALID_BODIES])
def test_invalid_body_is_400_naming_the_field(
    http: FlaskClient, body: dict[str, object], field: str
) -> None:
    """A body breaking MachineDto gets 400 errorCode 1000 naming the field; nothing is stored."""
    message = assert_orchestrator_error(call(http, "POST", json=body), 400, 1000)
    assert field in message
    assert machine_count(http) == DEFAULT_TENANT_MACHINES


@pytest.mark.parametrize("data", [b"{", b"[]", b'"x"', b"\xff", b""])
def test_body_that_is_not_a_json_object_is_400(http: FlaskClient, data: bytes) -> None:
    """Invalid JSON or a JSON value that is not an object gets 400 errorCode 1000."""
    headers = {**bearer(token_for(http)), "Content-Type": "application/json"}
    response = http.post(MACHINES, data=data, headers=headers)
    assert_orchestrator_error(response, 400, 1000)


def test_patch_changes_only_the_given_fields(http: FlaskClient) -> None:
    """PATCH merges the body into the machine and keeps everything else, key included."""
    before = call(http, "GET", path=f"{MACHINES}(1)").get_json()
    response = call(http, "PATCH", path=f"{MACHINES}(1)", json={"Description": "patched"})
    assert response.status_code == 200
    after = call(http, "GET", path=f"{MACHINES}(1)").get_json()
    assert after["Description"] == "patched"
    assert {**before, "Description": "patched"} == after


def test_put_replaces_the_machine(http: FlaskClient) -> None:
    """PUT sets every writable field from the body; omitted ones go back to their defaults."""
    before = call(http, "GET", path=f"{MACHINES}(1)").get_json()
    response = call(http, "PUT", path=f"{MACHINES}(1)", json={"Name": "RENAMED"})
    assert response.status_code == 200
    after = call(http, "GET", path=f"{MACHINES}(1)").get_json()
    assert (after["Name"], after["Tags"], after["UnattendedSlots"]) == ("RENAMED", [], 0)
    assert (after["Id"], after["Key"]) == (before["Id"], before["Key"])


def test_put_of_a_listed_item_round_trips(http: FlaskClient) -> None:
    """Sending back an item exactly as listed (annotations, read-only fields) is accepted."""
    item = call(http, "GET").get_json()["value"][2]
    assert call(http, "PUT", path=f"{MACHINES}({item['Id']})", json=item).status_code == 200
    assert call(http, "GET", path=f"{MACHINES}({item['Id']})").get_json()["Tags"] == item["Tags"]


def test_rename_onto_another_machine_is_409(http: FlaskClient) -> None:
    """PATCH or PUT to a name another machine has gets 409 1001 and changes nothing."""
    for method in ("PATCH", "PUT"):
        response = call(http, method, path=f"{MACHINES}(1)", json={"Name": "build-agent-02"})
        assert_orchestrator_error(response, 409, 1001)
    assert call(http, "GET", path=f"{MACHINES}(1)").get_json()["Name"] == "BUILD-AGENT-01"


def test_renaming_to_own_name_in_another_case_is_allowed(http: FlaskClient) -> None:
    """A machine may change the case of its own name."""
    response = call(http, "PATCH", path=f"{MACHINES}(1)", json={"Name": "build-agent-01"})
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
def test_write_to_unknown_key_is_404(http: FlaskClient, method: str) -> None:
    """Updating or deleting an id no machine has gets 404 1002."""
    response = call(http, method, path=f"{MACHINES}(999)", json={"Name": "X"})
    assert_orchestrator_error(response, 404, 1002)


def test_delete_then_get_is_404(http: FlaskClient) -> None:
    """DELETE answers 204 with no body, after which the machine is gone."""
    response = call(http, "DELETE", path=f"{MACHINES}(2)")
    assert (response.status_code, response.data) == (204, b"")
    assert_orchestrator_error(call(http, "GET", path=f"{MACHINES}(2)"), 404, 1002)


def test_bulk_delete(http: FlaskClient) -> None:
    """DeleteBulk removes every listed machine and answers 204."""
    response = call(http, "POST", path=BULK_DELETE, json={"machineIds": [1, 2, 3]})
    assert response.status_code == 204
    assert machine_count(http) == DEFAULT_TENANT_MACHINES - 3


@pytest.mark.parametrize("body", [{"machineIds": []}, {}])
def test_bulk_delete_of_nothing_is_400(http: FlaskClient, body: dict[str, object]) -> None:
    """DeleteBulk without ids gets 400 'Empty machineIds collection in payload'."""
    message = assert_orchestrator_error(call(http, "POST", path=BULK_DELETE, json=body), 400, 1000)
    assert message == "Empty machineIds collection in payload"


def test_bulk_delete_with_an_unknown_id_deletes_nothing(http: FlaskClient) -> None:
    """DeleteBulk naming a missing id gets 404 and leaves every machine in place."""
    response = call(http, "POST", path=BULK_DELETE, json={"machineIds": [1, 999]})
    assert_orchestrator_error(response, 404, 1002)
    assert machine_count(http) == DEFAULT_TENANT_MACHINES


@pytest.mark.parametrize("body", [{"machineIds": ["1"]}, {"machineIds": 1}, {"ids": [1]}])
def test_bulk_delete_with_a_bad_body_is_400(http: FlaskClient, body: dict[str, object]) -> None:
    """DeleteBulk with ids that are not integers, or another member, gets 400."""
    assert_orchestrator_error(call(http, "POST", path=BULK_DELETE, json=body), 400, 1000)


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("?$format=xml", {}),
        ("?$%66ormat=xml", {}),
        ("?%24FORMAT=xml", {}),
        ("", {"Accept": "text/html"}),
        ("", {"Accept": "application/xml"}),
    ],
)
def test_non_json_format_is_406(http: FlaskClient, query: str, headers: dict[str, str]) -> None:
    """`$format` other than JSON (its name percent-encoded or not), or an Accept header
    admitting no JSON, gets 406."""
    response = call(http, "GET", path=MACHINES + query, headers=headers)
    assert_orchestrator_error(response, 406, 0)


@pytest.mark.parametrize(
    "accept", ["application/json", "application/*", "*/*", "text/html, application/json;q=0.1"]
)
def test_accept_admitting_json_is_served(http: FlaskClient, accept: str) -> None:
    """Any Accept header that admits JSON is served, as is `$format=json`."""
    assert call(http, "GET", headers={"Accept": accept}).status_code == 200
    assert call(http, "GET", path=f"{MACHINES}?$format=json").status_code == 200


def test_concurrent_creates_lose_nothing() -> None:
    """8 threads creating 25 machines each add 200 machines with unique ids and keys."""
    emulator = Emulator()
    token = token_for(emulator.app.test_client())
    errors: list[int] = []

    def create(worker: int) -> None:
        client = emulator.app.test_client()
        for n in range(25):
            response = client.post(MACHINES, json={"Name": f"w{worker}-{n}"}, headers=bearer(token))
            if response.status_code != 201:
                errors.append(response.status_code)

    threads = [threading.Thread(target=create, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    machines = (
        emulator.world.find_organization("acme").find_tenant("DefaultTenant").store("Machines")
    )
    records = machines.snapshot()
    total = DEFAULT_TENANT_MACHINES + 200
    assert len(records) == total
    assert len({r["Id"] for r in records}) == len({r["Key"] for r in records}) == total


@pytest.mark.parametrize("query", ["", "?$top=3&$skip=2", "?$select=Name,Id", "?$filter=Id gt 100"])
def test_list_body_is_compact_json_in_order(http: FlaskClient, query: str) -> None:
    """The list body is byte for byte the compact JSON of its envelope, keys in wire order."""
    response = call(http, "GET", path=MACHINES + query)
    envelope = json.loads(response.data)
    assert response.data == json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def test_list_shows_each_write_at_once(http: FlaskClient) -> None:
    """A listed machine changed by PATCH, PUT or DELETE is listed changed on the next call."""
    token = token_for(http)

    def listed() -> dict[int, dict[str, object]]:
        items = call(http, "GET", token=token).get_json()["value"]
        return {item["Id"]: item for item in items}

    assert listed()[1]["Description"] != "patched"
    call(http, "PATCH", path=f"{MACHINES}(1)", token=token, json={"Description": "patched"})
    assert listed()[1]["Description"] == "patched"
    call(http, "PUT", path=f"{MACHINES}(1)", token=token, json={"Name": "replaced"})
    assert listed()[1]["Name"] == "replaced"
    call(http, "DELETE", path=f"{MACHINES}(1)", token=token)
    assert 1 not in listed()


def test_same_listing_after_reset_and_load(emulator: Emulator, http: FlaskClient) -> None:
    """A listing repeated after reset or a state load reflects the new world, not a cached one."""
    token = token_for(http)
    query = f"{MACHINES}?$top=3"
    first = call(http, "GET", path=query, token=token).get_json()["value"]
    call(http, "DELETE", path=f"{MACHINES}(1)", token=token)
    assert call(http, "GET", path=query, token=token).get_json()["value"][0]["Id"] == 2
    emulator.reset()
    assert call(http, "GET", path=query, token=token).get_json()["value"] == first
    state = emulator.state()
    state["organizations"][0]["tenants"][0]["entities"]["Machines"][0]["Name"] = "loaded"
    emulator.load(state)
    assert call(http, "GET", path=query, token=token).get_json()["value"][0]["Name"] == "loaded"


def test_listings_are_kept_only_for_the_current_machines(
    emulator: Emulator, http: FlaskClient
) -> None:
    """Cached listings belong to one snapshot: a write drops them, and their number is bounded."""
    token = token_for(http)
    store = emulator.world.find_organization("acme").find_tenant("DefaultTenant").store("Machines")
    for skip in range(MAX_LISTINGS_PER_SNAPSHOT + 5):
        call(http, "GET", path=f"{MACHINES}?$skip={skip}", token=token)
    assert 0 < len(store.view()[1]) <= MAX_LISTINGS_PER_SNAPSHOT
    call(http, "PATCH", path=f"{MACHINES}(2)", token=token, json={"Description": "x"})
    assert store.view()[1] == {}


def test_patch_that_read_before_another_committed_loses_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A PATCH of `Type` that lands while a PATCH of `Description` is validating keeps both."""
    emulator = Emulator()
    token = token_for(emulator.app.test_client())
    from uipath_emulator.mock_server.orchestrator.entities import crud

    validate = crud.entity_fields
    calls: list[int] = []
    other: list[int] = []
    concurrent = threading.Thread(target=lambda: patch_type())

    def patch_type() -> None:
        client = emulator.app.test_client()
        response = client.patch(f"{MACHINES}(1)", json={"Type": "Template"}, headers=bearer(token))
        other.append(response.status_code)

    def slow_validation(entity_set: object, body: dict[str, object]) -> dict[str, object]:
        calls.append(1)
        if len(calls) == 1:
            # The first PATCH has read machine 1; the second PATCH runs now, and gets a
            # bounded chance to commit before the first one writes.
            concurrent.start()
            concurrent.join(timeout=0.2)
        return validate(entity_set, body)  # type: ignore[arg-type]

    monkeypatch.setattr(crud, "entity_fields", slow_validation)
    http = emulator.app.test_client()
    first = http.patch(f"{MACHINES}(1)", json={"Description": "first"}, headers=bearer(token))
    concurrent.join(timeout=10)
    assert first.status_code == 200
    assert other == [200]
    stored = call(http, "GET", path=f"{MACHINES}(1)").get_json()
    assert (stored["Description"], stored["Type"]) == ("first", "Template")


def test_deleted_machines_leave_no_copy_in_memory(http: FlaskClient) -> None:
    """Once a listed machine is deleted, nothing keeps its record (or its cached bytes) alive."""
    names = [f"LEAK-PROBE-{n}" for n in range(3)]
    for name in names:
        created = call(http, "POST", json={"Name": name, "Description": "x" * 500})
        assert created.status_code == 201
        call(http, "GET", path=f"{MACHINES}?$top=1000")
        assert (
            call(http, "DELETE", path=f"{MACHINES}({created.get_json()['Id']})").status_code == 204
        )
    call(http, "GET", path=f"{MACHINES}?$top=1000")
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, dict) and o.get("Name") in names]
    assert alive == []


def test_junk_parameters_share_one_cached_listing(emulator: Emulator, http: FlaskClient) -> None:
    """Listings are cached by their `$` options: other parameters never add cache entries."""
    token = token_for(http)
    store = emulator.world.find_organization("acme").find_tenant("DefaultTenant").store("Machines")
    for n in range(MAX_LISTINGS_PER_SNAPSHOT + 5):
        response = call(http, "GET", path=f"{MACHINES}?$top=2&junk{n}={n}", token=token)
        assert len(response.get_json()["value"]) == 2
    call(http, "GET", path=f"{MACHINES}?junk=1&$top=2", token=token)
    assert len(store.view()[1]) == 1


def test_names_differing_only_by_trailing_spaces_are_duplicates(http: FlaskClient) -> None:
    """`'BUILD-AGENT-01  '` is the name of machine 1 to the unique index, as to `$filter`: 409."""
    response = call(http, "POST", json={"Name": "build-agent-01  "})
    assert_orchestrator_error(response, 409, 1001)
    listed = call(http, "GET", path=f"{MACHINES}?$filter=Name eq 'BUILD-AGENT-01   '")
    assert [machine["Id"] for machine in listed.get_json()["value"]] == [1]


def test_leading_spaces_make_another_name(http: FlaskClient) -> None:
    """Only trailing spaces are ignored: `' BUILD-AGENT-01'` is a new name."""
    assert call(http, "POST", json={"Name": " BUILD-AGENT-01"}).status_code == 201


@pytest.mark.parametrize(
    ("name", "status"),
    [("\U0001f916" * 225, 201), ("\U0001f916" * 226, 400), ("a" * 450, 201), ("a" * 451, 400)],
    ids=["225 emoji = 450 units", "226 emoji = 452 units", "450 ASCII", "451 ASCII"],
)
def test_name_length_counts_utf16_units(http: FlaskClient, name: str, status: int) -> None:
    """The 450-character limit counts UTF-16 code units, as .NET does: an emoji counts two."""
    response = call(http, "POST", json={"Name": name})
    assert response.status_code == status, response.data
    if status == 400:
        assert response.get_json()["message"] == (
            "The field Name must be a string with a maximum length of 450."
        )


def test_names_may_hold_nul_characters(http: FlaskClient) -> None:
    """A NUL in a name is stored and served back as sent (.NET strings and nvarchar hold it)."""
    created = call(http, "POST", json={"Name": "agent\u0000one"})
    assert created.status_code == 201
    machine_id = created.get_json()["Id"]
    assert call(http, "GET", path=f"{MACHINES}({machine_id})").get_json()["Name"] == "agent\x00one"


def test_method_not_allowed_names_the_allowed_methods(http: FlaskClient) -> None:
    """A 405 carries `Allow`, listing the methods the path takes."""
    response = http.delete(MACHINES)
    assert_orchestrator_error(response, 405, 0)
    assert response.headers["Allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize(
    ("name", "status"),
    [("\u001d", 201), ("\ufeff", 201), ("\u0085", 400), ("\u3000 \t", 400), ("", 400)],
    ids=["U+001D", "BOM", "NEL", "ideographic space", "empty"],
)
def test_blank_names_are_blank_as_dotnet_trims(http: FlaskClient, name: str, status: int) -> None:
    """A name is blank (400) exactly when .NET's `char.IsWhiteSpace` covers all of it."""
    assert call(http, "POST", json={"Name": name}).status_code == status


@pytest.mark.parametrize("path", [MACHINES, BULK_DELETE])
def test_type_annotation_must_be_a_string(http: FlaskClient, path: str) -> None:
    """An `@odata.type` that is not a string gets 400 and changes nothing."""
    body = {"@odata.type": [1], "Name": "X", "machineIds": [3]}
    if path == MACHINES:
        del body["machineIds"]
    message = assert_orchestrator_error(call(http, "POST", path=path, json=body), 400, 1000)
    assert message == "The value of the '@odata.type' annotation must be a string."
    assert call(http, "GET", path=f"{MACHINES}(3)").status_code == 200


def test_put_and_patch_keep_the_stored_read_only_members() -> None:
    """Server-managed members (`ServerlessLicensingModel`, `UpdateInfo`) survive PUT and PATCH."""
    document = Emulator().state()
    machine = document["organizations"][0]["tenants"][0]["entities"]["Machines"][0]
    machine["ServerlessLicensingModel"] = "RobotUnits"
    machine["UpdateInfo"] = {"updateStatus": "Compliant", "isCommunity": False}
    http = Emulator(document).app.test_client()
    path = f"{MACHINES}({machine['Id']})"
    for method, body in (("PUT", {"Name": "REPLACED"}), ("PATCH", {"Description": "patched"})):
        answer = call(http, method, path=path, json={**body, "UpdateInfo": None}).get_json()
        assert answer["ServerlessLicensingModel"] == "RobotUnits"
        assert answer["UpdateInfo"] == {"updateStatus": "Compliant", "isCommunity": False}


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_ordered_pages_follow_the_current_records(http: FlaskClient, direction: str) -> None:
    """Pages of one `$orderby` (whose sort keys are kept between calls) add up to the whole
    ordered listing, and follow a rename made between two pages."""
    whole = call(http, "GET", f"{MACHINES}?$orderby=Name {direction}&$select=Id,Name")
    names = [row["Name"] for row in whole.get_json()["value"]]
    pages = [
        row["Name"]
        for skip in range(len(names))
        for row in call(
            http, "GET", f"{MACHINES}?$orderby=Name {direction}&$top=1&$skip={skip}"
        ).get_json()["value"]
    ]
    assert pages == names
    assert names == sorted(names, key=str.casefold, reverse=direction == "desc")
    first_id = whole.get_json()["value"][0]["Id"]
    renamed = "zzzz-last" if direction == "asc" else "0000-first"
    assert call(http, "PATCH", f"{MACHINES}({first_id})", json={"Name": renamed}).status_code == 200
    again = call(http, "GET", f"{MACHINES}?$orderby=Name {direction}&$top=1&$skip=0").get_json()
    assert again["value"][0]["Name"] != renamed
    last = call(
        http, "GET", f"{MACHINES}?$orderby=Name {direction}&$top=1&$skip={len(names) - 1}"
    ).get_json()
    assert last["value"][0]["Name"] == renamed
