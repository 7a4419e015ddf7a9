"""HTTP routes of Orchestrator's OData Machines API under `/{org}/{tenant}/orchestrator_/odata/`."""

import re
import secrets
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Blueprint, Response, request

from uipath_emulator.mock_server.jsonio import dump_json
from uipath_emulator.mock_server.orchestrator import odata
from uipath_emulator.mock_server.orchestrator.auth import (
    READ_SCOPES,
    WRITE_SCOPES,
    authenticate,
    authorize,
)
from uipath_emulator.mock_server.orchestrator.errors import (
    ApiError,
    organization_not_found,
    tenant_not_found,
)
from uipath_emulator.mock_server.orchestrator.machine_input import (
    bad_request,
    check_type_annotation,
    machine_fields,
    parse_json_object,
)
from uipath_emulator.mock_server.orchestrator.representation import (
    ODATA_CONTENT_TYPE,
    Listing,
    collection_body,
    collection_context,
    entity_context,
    item_bytes,
    machine_item,
    response_headers,
    service_root,
)
from uipath_emulator.mock_server.web.responses import base_url, json_response
from uipath_emulator.mock_server.world import Tenant
from uipath_emulator.mock_server.world.machines import (
    MachineIdsExhaustedError,
    MachineNameTakenError,
    MachineNotFoundError,
)

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator

NAME_ALREADY_USED = 1001
ITEM_NOT_FOUND = 1002
_PREFIX = "/<organization>/<tenant>/orchestrator_/odata"
_KEY = re.compile(r"^(-?[0-9]{1,19})L?$")
_JSON_FORMATS = frozenset({"json", "application/json"})
_ACCEPTS_JSON = frozenset({"*/*", "application/json", "application/json, */*"})
_JSON_RANGES = frozenset({"application/json", "application/*", "*/*"})
_BULK_DELETE = "UiPath.Server.Configuration.OData.DeleteBulk"
_T = TypeVar("_T")
MAX_LISTINGS_PER_SNAPSHOT = 64
"""Listings of distinct query strings kept for a tenant's current machines."""


def parse_key(text: str) -> int:
    """An int64 entity key, as in `Machines(123)` or `Machines(123L)`."""
    match = _KEY.match(text.strip())
    if match is None or not -(2**63) <= int(match.group(1)) < 2**63:
        raise bad_request(f"The key value '{text}' is not a valid Int64.")
    return int(match.group(1))


def _check_accept() -> None:
    """406 unless the client takes JSON (`$format` or `Accept`)."""
    wanted = request.args.get("$format")
    if wanted is not None and wanted.split(";")[0].strip().lower() not in _JSON_FORMATS:
        raise ApiError(406, f"The format '{wanted}' is not supported; only JSON is.")
    accept = request.headers.get("Accept")
    if not accept or accept in _ACCEPTS_JSON:
        return
    for value, quality in request.accept_mimetypes:
        if quality > 0 and value.partition(";")[0].strip().lower() in _JSON_RANGES:
            return
    raise ApiError(406, "The Accept header admits no JSON media type; only JSON is served.")


def _query_pairs() -> list[tuple[str, str]]:
    return [(name, value) for name, value in request.args.items(multi=True) if name != "$format"]


def _listing_key() -> tuple[tuple[str, str], ...]:
    """What a listing depends on: the `$` options, in a canonical order.

    Other parameters are ignored by the query engine, so they must not make a listing miss
    the cache (a junk parameter per request would otherwise defeat it).
    """
    return tuple(
        sorted(
            (name.strip(), value) for name, value in _query_pairs() if name.strip().startswith("$")
        )
    )


def orchestrator_blueprint(emulator: "Emulator") -> Blueprint:
    """The Machines routes of one emulator."""
    blueprint = Blueprint("orchestrator", __name__)

    def tenant_for(organization: str, tenant: str, scopes: Collection[str]) -> Tenant:
        org = emulator.world.find_organization(organization)
        if org is None:
            raise organization_not_found(organization)
        found = org.find_tenant(tenant)
        if found is None:
            raise tenant_not_found(organization, tenant)
        claims = authenticate(
            emulator.verifier, org, request.headers.get("Authorization"), emulator.clock.now()
        )
        authorize(claims, scopes)
        _check_accept()
        return found

    def root(organization: str, tenant: str) -> str:
        return service_root(base_url(), organization, tenant)

    def entity_response(
        body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
    ) -> Response:
        return json_response(body, status, content_type=ODATA_CONTENT_TYPE, headers=headers)

    def not_found(machine_id: int) -> ApiError:
        return ApiError(404, f"Machine does not exist. Id: {machine_id}.", ITEM_NOT_FOUND)

    def name_taken(error: MachineNameTakenError) -> ApiError:
        return ApiError(409, f"The machine name '{error.name}' is already used.", NAME_ALREADY_USED)

    def storing(action: Callable[[], _T]) -> _T:
        try:
            return action()
        except MachineNotFoundError as error:
            raise not_found(error.machine_id) from None
        except MachineNameTakenError as error:
            raise name_taken(error) from None
        except MachineIdsExhaustedError as error:
            raise bad_request(f"The machine cannot be created: {error}.") from None

    @blueprint.after_request
    def orchestrator_headers(response: Response) -> Response:
        response.headers.extend(response_headers())
        return response

    @blueprint.get(f"{_PREFIX}/Machines")
    def list_machines(organization: str, tenant: str) -> Response:
        found = tenant_for(organization, tenant, READ_SCOPES)
        snapshot, derived = found.machines.view()
        key = _listing_key()
        listing = derived.get(key)
        if listing is None:
            listing = list_page(found, snapshot)
            if len(derived) >= MAX_LISTINGS_PER_SNAPSHOT:
                derived.clear()
            derived[key] = listing
        context = collection_context(root(organization, tenant), listing.context_suffix)
        return Response(
            collection_body(context, listing.count, listing.items),
            200,
            content_type=ODATA_CONTENT_TYPE,
        )

    def list_page(found: Tenant, snapshot: Sequence[Mapping[str, Any]]) -> Listing:
        options = _options(odata.parse_list_options)
        page, count = odata.evaluate(snapshot, options)
        if options.select is None:
            derived = found.machines.derived
            items = b",".join(derived(record, item_bytes) for record in page)
        else:
            items = b",".join(
                dump_json(machine_item(odata.project(record, options))) for record in page
            )
        return Listing(count, odata.context_suffix(options), items)

    @blueprint.get(f"{_PREFIX}/Machines(<key>)")
    def get_machine(organization: str, tenant: str, key: str) -> Response:
        found = tenant_for(organization, tenant, READ_SCOPES)
        machine_id = parse_key(key)
        options = _options(odata.parse_entity_options)
        record = storing(lambda: found.machines.get(machine_id))
        context = entity_context(root(organization, tenant), odata.context_suffix(options))
        return entity_response(
            {"@odata.context": context, **machine_item(odata.project(record, options))}
        )

    @blueprint.post(f"{_PREFIX}/Machines")
    def create_machine(organization: str, tenant: str) -> Response:
        found = tenant_for(organization, tenant, WRITE_SCOPES)
        fields = machine_fields(parse_json_object(request.get_data(cache=False)))
        record = storing(lambda: found.machines.create(fields))
        service = root(organization, tenant)
        body = {
            "@odata.context": entity_context(service, None),
            **machine_item({**record, "ClientSecret": secrets.token_urlsafe(24)}),
        }
        location = f"{service}/Machines({record['Id']})"
        return entity_response(body, 201, {"Location": location})

    @blueprint.route(f"{_PREFIX}/Machines(<key>)", methods=["PUT", "PATCH"])
    def update_machine(organization: str, tenant: str, key: str) -> Response:
        found = tenant_for(organization, tenant, WRITE_SCOPES)
        machine_id = parse_key(key)
        body = parse_json_object(request.get_data(cache=False))
        if request.method == "PATCH":
            # Merged with the stored machine under the store's lock: only the given members
            # change, as Orchestrator updates only the changed columns.
            record = storing(
                lambda: found.machines.update(
                    machine_id, lambda current: machine_fields({**current, **body})
                )
            )
        else:
            fields = machine_fields(body)
            record = storing(lambda: found.machines.replace(machine_id, fields))
        context = entity_context(root(organization, tenant), None)
        return entity_response({"@odata.context": context, **machine_item(record)})

    @blueprint.delete(f"{_PREFIX}/Machines(<key>)")
    def delete_machine(organization: str, tenant: str, key: str) -> Response:
        found = tenant_for(organization, tenant, WRITE_SCOPES)
        machine_id = parse_key(key)
        storing(lambda: found.machines.delete([machine_id]))
        return Response(status=204)

    @blueprint.post(f"{_PREFIX}/Machines/{_BULK_DELETE}")
    def delete_machines(organization: str, tenant: str) -> Response:
        found = tenant_for(organization, tenant, WRITE_SCOPES)
        body = parse_json_object(request.get_data(cache=False))
        check_type_annotation(body)
        unknown = sorted(set(body) - {"machineIds", "@odata.type"})
        if unknown:
            raise bad_request(f"The property '{unknown[0]}' does not exist on the request type.")
        ids = body.get("machineIds")
        if ids is None or ids == []:
            raise bad_request("Empty machineIds collection in payload")
        if not isinstance(ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in ids
        ):
            raise bad_request("The value of 'machineIds' must be an array of integers.")
        storing(lambda: found.machines.delete(ids))
        return Response(status=204)

    return blueprint


def _options(
    parse: Callable[[list[tuple[str, str]]], "odata.QueryOptions"],
) -> "odata.QueryOptions":
    try:
        return parse(_query_pairs())
    except odata.ODataQueryError as error:
        raise bad_request(error.message) from None
