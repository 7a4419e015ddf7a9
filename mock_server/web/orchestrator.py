"""Orchestrator's HTTP routes, generated from the entity-set registry: one generic OData router.

For each registered set: `GET/POST Set`, `GET/PUT/PATCH/DELETE Set(key)` (as the set declares
them) and its actions `Set/Name` and `Set(key)/Name`. Every route resolves the organization
and tenant (404), authenticates the bearer token (401), checks the operation's scopes (403) and
the `Accept` header (406) in that order, then runs the pure core. Any other path under
`orchestrator_/` is answered by `not_emulated`: 404 naming Orchestrator's operation when 20.0
has one there, or saying that Orchestrator has no such path.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from itertools import islice
from typing import Any

from werkzeug.exceptions import MethodNotAllowed

from uipath_emulator.mock_server.jsonio import dump_json
from uipath_emulator.mock_server.orchestrator import odata
from uipath_emulator.mock_server.orchestrator.auth import authenticate, authorize
from uipath_emulator.mock_server.orchestrator.entities import crud
from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext, ActionResult
from uipath_emulator.mock_server.orchestrator.entities.input import parse_json_object
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    Action,
    EntitySet,
    Operation,
    Record,
    Registry,
)
from uipath_emulator.mock_server.orchestrator.errors import (
    ApiError,
    bad_request,
)
from uipath_emulator.mock_server.orchestrator.folders.access import (
    caller_of,
    folder_scope,
    folder_tree,
)
from uipath_emulator.mock_server.orchestrator.folders.headers import folder_reference
from uipath_emulator.mock_server.orchestrator.lookup import tenant_named
from uipath_emulator.mock_server.orchestrator.representation import (
    ODATA_CONTENT_TYPE,
    Listing,
    collection_body,
    collection_context,
    entity_context,
    item,
    response_headers,
    service_root,
)
from uipath_emulator.mock_server.orchestrator.spec.subset import (
    find_operation,
    operation_permissions,
    operation_takes_folder,
    path_methods,
)
from uipath_emulator.mock_server.web.context import emulator_of
from uipath_emulator.mock_server.web.middleware import NOT_EMULATED
from uipath_emulator.mock_server.web.orchestrator_errors import orchestrator_error_response
from uipath_emulator.mock_server.web.responses import base_url, json_response
from uipath_emulator.mock_server.web.service import Answer, Response, Service, WSGIAnswer, request

TENANT = "/<organization>/<tenant>"
PREFIX = f"{TENANT}/orchestrator_"
ODATA = f"{PREFIX}/odata"
COVERAGE = "https://github.com/uipath-cloud-emulator/uipath-cloud-emulator#coverage"
"""Where the README's coverage table is, for the not-emulated answers."""
_KEY = re.compile(r"^(-?[0-9]{1,19})L?$")
_JSON_FORMATS = frozenset({"json", "application/json"})
_ACCEPTS_JSON = frozenset({"*/*", "application/json", "application/json, */*"})
_JSON_RANGES = frozenset({"application/json", "application/*", "*/*"})
MAX_LISTINGS_PER_SNAPSHOT = 64
"""Listings of distinct `$` options kept for a set's current records."""


def parse_key(text: str) -> int:
    """An int64 entity key, as in `Set(123)` or `Set(123L)`."""
    match = _KEY.match(text.strip())
    if match is None or not -(2**63) <= int(match.group(1)) < 2**63:
        raise bad_request(f"The key value '{text}' is not a valid Int64.")
    return int(match.group(1))


def _check_accept(environ: dict[str, Any]) -> None:
    """406 unless the client takes JSON (`$format` or `Accept`)."""
    if environ.get("QUERY_STRING"):  # its names decoded: `$%66ormat` is `$format` too
        for name, wanted in request.args.items(multi=True):
            if _is_format(name) and wanted.split(";")[0].strip().lower() not in _JSON_FORMATS:
                raise ApiError(406, f"The format '{wanted}' is not supported; only JSON is.")
    accept = environ.get("HTTP_ACCEPT")
    if not accept or accept in _ACCEPTS_JSON:
        return
    for value, quality in request.accept_mimetypes:
        if quality > 0 and value.partition(";")[0].strip().lower() in _JSON_RANGES:
            return
    raise ApiError(406, "The Accept header admits no JSON media type; only JSON is served.")


def _is_format(name: str) -> bool:
    """`$format`, in any case (option names are matched case-insensitively)."""
    return name.strip().lower() == "$format"


def _query_pairs() -> list[tuple[str, str]]:
    return [(name, value) for name, value in request.args.items(multi=True) if not _is_format(name)]


def _listing_key() -> tuple[tuple[str, str], ...]:
    """What a listing depends on: the `$` options, in a canonical order.

    Other parameters are ignored by the query engine, so they must not make a listing miss
    the cache (a junk parameter per request would otherwise defeat it).
    """
    if not request.environ.get("QUERY_STRING"):
        return ()
    pairs = _query_pairs()
    return tuple(
        sorted(
            (name.strip().lower(), value) for name, value in pairs if name.strip().startswith("$")
        )
    )


def _options(parse: Callable[..., odata.QueryOptions], entity_set: EntitySet) -> odata.QueryOptions:
    try:
        return parse(_query_pairs(), entity_set.odata)
    except odata.ODataQueryError as error:
        raise bad_request(error.message) from None


def _entity_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> WSGIAnswer:
    if headers:
        return json_response(body, status, content_type=ODATA_CONTENT_TYPE, headers=headers)
    return Answer(dump_json(body), status, ODATA_CONTENT_TYPE)


class _Router:
    """The Orchestrator routes of a registry (the emulator is the request's)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.routes: list[tuple[re.Pattern[str], set[str]]] = []
        """The paths served (after `orchestrator_`), with their methods."""

    def serve(self, rule: str, method: str) -> None:
        """Remember that `method` is served on `rule` (a Flask rule under `orchestrator_`)."""
        parts = re.split(r"(<[^>]+>)", rule.removeprefix(PREFIX))
        regex = "".join("[^/]+" if part.startswith("<") else re.escape(part) for part in parts)
        for pattern, methods in self.routes:
            if pattern.pattern == regex:
                methods.add(method)
                return
        self.routes.append((re.compile(regex), {method}))

    def call(
        self,
        entity_set: EntitySet,
        spec_path: str,
        method: str,
        organization: str,
        tenant: str,
        *,
        cross_folder: bool = False,
    ) -> ActionContext:
        """Check the request (404 tenant, 401 token, 403 scope, 406 Accept, then its folder:
        400/1101, 400/1100, 403 role) and say who calls, where."""
        environ = request.environ
        emulator = emulator_of(environ)
        found_org, found = tenant_named(emulator.world, organization, tenant)
        claims = authenticate(
            emulator.verifier, found_org, environ.get("HTTP_AUTHORIZATION"), emulator.clock.now()
        )
        scopes = entity_set.scopes(spec_path, method)
        takes_folder = entity_set.folder_scoped and operation_takes_folder(spec_path, method)
        if scopes:  # none: "OAuth authentication is not supported" (the handler decides)
            # `OR.Default` counts where folder roles decide: folder-scoped operations, and the
            # sets whose records the caller's folders decide (the folder tree itself)
            authorize(claims, scopes, roles_decide=takes_folder or entity_set.visible is not None)
        _check_accept(environ)
        environ["uipath_emulator.claims"] = claims
        caller = caller_of(claims, found.entities)
        scope = None
        if takes_folder:
            scope = folder_scope(
                folder_tree(found.entities),
                caller,
                folder_reference(request.headers.get),
                scopes,
                operation_permissions(spec_path, method),
                cross_folder=cross_folder,
            )
        now = emulator.clock.now()
        if entity_set.refresh is not None:
            entity_set.refresh(found.entities, now)
        return ActionContext(
            entity_set=entity_set,
            stores=found.entities,
            body=b"",
            claims=claims,
            now=now,
            service_root=service_root(base_url(environ), organization, tenant),
            caller=caller,
            scope=scope,
            signer=emulator.uri_signer,
        )

    def list(
        self,
        entity_set: EntitySet,
        organization: str,
        tenant: str,
        *,
        spec_path: str | None = None,
    ) -> WSGIAnswer:
        if spec_path is None:
            spec_path = entity_set.operations[Operation.LIST]
        call = self.call(
            entity_set,
            spec_path,
            "GET",
            organization,
            tenant,
            cross_folder=entity_set.cross_folder_list,
        )
        store = call.stores[entity_set.name]
        snapshot, derived = store.view()
        key = (spec_path, *_listing_key(), _scope_key(entity_set, call))
        listing = derived.get(key)
        if listing is None:
            options = _options(odata.parse_list_options, entity_set)
            folders = call.scope.folder_ids if call.scope is not None else None
            if folders is not None and _folder_page_only(entity_set, options):
                with call.stores.lock:  # the counts and the records of one commit
                    snapshot, derived = store.view()
                    count = sum(store.count(folder) for folder in folders)
                page = _folder_page(entity_set, folders, snapshot, options)
            else:
                records = _in_scope(entity_set, call, snapshot)
                keys_cache = derived if records is snapshot else None
                page, count = odata.evaluate(records, options, keys_cache)
            shown = entity_set.listed
            if options.select is None:
                compute = partial(_item_bytes, entity_set)
                items = b",".join(store.derived(record, compute) for record in page)
            else:
                items = b",".join(
                    dump_json(item(entity_set, odata.project(shown(r) if shown else r, options)))
                    for r in page
                )
            listing = Listing(count, odata.context_suffix(options), items)
            if len(derived) >= MAX_LISTINGS_PER_SNAPSHOT:
                derived.clear()
            derived[key] = listing
        context = collection_context(call.service_root, entity_set, listing.context_suffix)
        return Answer(
            collection_body(context, listing.count, listing.items), 200, ODATA_CONTENT_TYPE
        )

    def get(self, entity_set: EntitySet, organization: str, tenant: str, key: str) -> WSGIAnswer:
        spec_path = entity_set.operations[Operation.GET]
        call = self.call(entity_set, spec_path, "GET", organization, tenant)
        record_key = parse_key(key)
        options = _options(odata.parse_entity_options, entity_set)
        record = crud.get(call.stores, entity_set, record_key, call)
        context = entity_context(call.service_root, entity_set, odata.context_suffix(options))
        return _entity_response(
            {"@odata.context": context, **item(entity_set, odata.project(record, options))}
        )

    def create(self, entity_set: EntitySet, organization: str, tenant: str) -> WSGIAnswer:
        spec_path = entity_set.operations[Operation.CREATE]
        call = self.call(entity_set, spec_path, "POST", organization, tenant)
        body = parse_json_object(request.get_data(cache=False), f"a {entity_set.label.lower()}")
        record = crud.create(call.stores, entity_set, body, call)
        shown = entity_set.present_created(record) if entity_set.present_created else record
        answer = {
            "@odata.context": entity_context(call.service_root, entity_set, None),
            **item(entity_set, shown),
        }
        location = f"{call.service_root}/{entity_set.name}({record[entity_set.key]})"
        return _entity_response(answer, 201, {"Location": location})

    def update(self, entity_set: EntitySet, organization: str, tenant: str, key: str) -> WSGIAnswer:
        operation = Operation.UPDATE if request.method == "PATCH" else Operation.REPLACE
        call = self.call(
            entity_set, entity_set.operations[operation], request.method, organization, tenant
        )
        record_key = parse_key(key)
        body = parse_json_object(request.get_data(cache=False), f"a {entity_set.label.lower()}")
        change = crud.patch if operation is Operation.UPDATE else crud.replace
        record = change(call.stores, entity_set, record_key, body, call)
        context = entity_context(call.service_root, entity_set, None)
        return _entity_response({"@odata.context": context, **item(entity_set, record)})

    def delete(self, entity_set: EntitySet, organization: str, tenant: str, key: str) -> WSGIAnswer:
        spec_path = entity_set.operations[Operation.DELETE]
        call = self.call(entity_set, spec_path, "DELETE", organization, tenant)
        crud.delete(call.stores, entity_set, [parse_key(key)], call)
        return _empty(204)

    def action(
        self,
        entity_set: EntitySet,
        action: Action,
        organization: str,
        tenant: str,
        key: str | None = None,
        **parameters: str,
    ) -> WSGIAnswer:
        rules = action.rules_of or action.spec_path
        if action.handler is None:  # a listing function
            return self.list(entity_set, organization, tenant, spec_path=rules)
        call = self.call(entity_set, rules, action.method, organization, tenant)
        context = replace(
            call,
            body=request.get_data(cache=False),
            key=parse_key(key) if key is not None else None,
            parameters={**dict(request.args.items()), **parameters},
        )
        return _action_response(action.handler(context))

    def not_emulated(self, organization: str, tenant: str, rest: str) -> WSGIAnswer:
        tenant_named(emulator_of(request.environ).world, organization, tenant)
        path = "/" + rest
        method = request.method
        served = {m for pattern, methods in self.routes if pattern.fullmatch(path) for m in methods}
        if served:
            allowed = served | ({"HEAD"} if "GET" in served else set())
            raise MethodNotAllowed(valid_methods=sorted(allowed))
        spec_operation = find_operation(path, method)
        if spec_operation is not None and _is_emulated(
            self.registry, spec_operation.path, method
        ):  # its route did not match: a key or parameter left empty, as in `Set('')`
            raise bad_request(f"'{path}' names an empty key or parameter.")
        if spec_operation is not None:
            request.environ[NOT_EMULATED] = spec_operation.operation_id
            raise ApiError(
                404,
                f"The operation '{spec_operation.operation_id}' ({method} {spec_operation.path}: "
                f"{spec_operation.summary.rstrip('.')}) is not emulated. See the emulated "
                f"operations: {COVERAGE}",
            )
        spec_methods = path_methods(path)
        if spec_methods:
            request.environ[NOT_EMULATED] = "(no such method)"
            raise ApiError(
                405,
                f"Orchestrator 20.0 has no {method} operation on '{path}'.",
                headers={"Allow": ", ".join(sorted(spec_methods))},
            )
        request.environ[NOT_EMULATED] = "(no such path)"
        closest = difflib.get_close_matches(path, _emulated_paths(self.registry), n=1, cutoff=0.5)
        hint = f" Did you mean '{closest[0]}'?" if closest else ""
        raise ApiError(404, f"Orchestrator 20.0 has no path '{path}'.{hint}")


def _scope_key(entity_set: EntitySet, call: ActionContext) -> tuple[Any, ...]:
    """What a listing's records depend on besides the query (for the cache key): the folders
    in scope, or who is asking when the set shows each caller its own records."""
    scope = call.scope
    if entity_set.folder_scoped and scope is not None:
        return tuple(sorted(scope.folder_ids))
    if entity_set.visible is not None and call.caller is not None:
        return tuple(call.caller.principals)
    return ()


def _in_scope(
    entity_set: EntitySet, call: ActionContext, snapshot: Sequence[Record]
) -> Sequence[Record]:
    """The records a listing covers (computed only when the listing is not cached)."""
    scope = call.scope
    if entity_set.folder_scoped and scope is not None:
        member = entity_set.folder_member
        ids = scope.folder_ids
        return [record for record in snapshot if record.get(member) in ids]
    if entity_set.visible is not None and call.caller is not None:
        shows = entity_set.visible(call)
        return [record for record in snapshot if shows(record)]
    return snapshot


def _folder_page_only(entity_set: EntitySet, options: odata.QueryOptions) -> bool:
    """Whether the listing is a page of the records of some folders in key order (no
    `$filter`, no `$orderby`): counted per folder, paged without a pass over every record."""
    return entity_set.counted is not None and options.filter is None and not options.orderby


def _folder_page(
    entity_set: EntitySet,
    ids: frozenset[int],
    snapshot: Sequence[Record],
    options: odata.QueryOptions,
) -> list[Record]:
    """The page of the records in these folders, in key order, read until it is full."""
    member = entity_set.folder_member
    top = odata.PAGE_LIMIT if options.top is None else min(options.top, odata.PAGE_LIMIT)
    in_scope = (record for record in snapshot if record.get(member) in ids)
    return list(islice(in_scope, options.skip, options.skip + top))


def _is_emulated(registry: Registry, spec_path: str, method: str) -> bool:
    """Whether some set serves `METHOD spec_path` (a path of the spec)."""
    for entity_set in registry:
        for operation, path in entity_set.operations.items():
            if path == spec_path and operation.method == method:
                return True
        for action in entity_set.actions:
            if action.spec_path == spec_path and action.method == method:
                return True
    return False


def _emulated_paths(registry: Registry) -> list[str]:
    paths = []
    for entity_set in registry:
        paths.extend(sorted(set(entity_set.operations.values())))
        paths.extend(action.spec_path for action in entity_set.actions)
    return paths


def _item_bytes(entity_set: EntitySet, record: dict[str, Any]) -> bytes:
    """A listing row's bytes (what the set's listings show of the record)."""
    shown = entity_set.listed(record) if entity_set.listed is not None else record
    return dump_json(item(entity_set, shown))


def _action_response(result: ActionResult) -> Response:
    if result.body is None:
        response = _empty(result.status)
        response.headers.update(result.headers)
        return response
    return json_response(
        result.body, result.status, content_type=ODATA_CONTENT_TYPE, headers=dict(result.headers)
    )


def _empty(status: int) -> Response:
    """An answer without a body, so without a content type (werkzeug's default is HTML)."""
    response = Response(status=status)
    del response.headers["Content-Type"]
    return response


def orchestrator_service(registry: Registry) -> Service:
    """Orchestrator's API: one generic set of routes per registered entity set, and a catch-all
    saying what is not emulated."""
    service = Service(
        lambda error: orchestrator_error_response(error, request), headers=response_headers
    )
    router = _Router(registry)
    for entity_set in registry:
        _register(service, router, entity_set)
    service.route(
        f"{PREFIX}/<path:rest>",
        endpoint="orchestrator.not_emulated",
        view=router.not_emulated,
        methods=None,
    )
    return service


def _register(service: Service, router: _Router, entity_set: EntitySet) -> None:
    name = entity_set.name
    collection = f"{ODATA}/{name}"
    entity = f"{ODATA}/{name}(<key>)"
    views = {
        Operation.LIST: (collection, router.list),
        Operation.CREATE: (collection, router.create),
        Operation.GET: (entity, router.get),
        Operation.REPLACE: (entity, router.update),
        Operation.UPDATE: (entity, router.update),
        Operation.DELETE: (entity, router.delete),
    }
    for operation, (rule, view) in views.items():
        if operation in entity_set.operations:
            router.serve(rule, operation.method)
            service.route(
                rule,
                endpoint=f"orchestrator.{name}:{operation.name.lower()}",
                view=partial(view, entity_set),
                methods=[operation.method],
            )
    for action in entity_set.actions:
        rule = PREFIX + action.rule(collection.removeprefix(PREFIX), entity.removeprefix(PREFIX))
        router.serve(rule, action.method)
        view = (
            partial(router.list, entity_set, spec_path=action.rules_of or action.spec_path)
            if action.lists
            else partial(router.action, entity_set, action)
        )
        endpoint = f"orchestrator.{name}:{action.name.rsplit('.', 1)[-1]}"
        service.route(rule, endpoint=endpoint, view=view, methods=[action.method])
        if action.also_under_tenant and action.route is not None:
            service.route(
                f"{TENANT}{action.route}",
                endpoint=f"tenant_alias.{name}:{action.name}",  # not in the OpenAPI document
                view=view,
                methods=[action.method],
            )


def tenant_routes(registry: Registry) -> list[str]:
    """Paths under the tenant, outside `orchestrator_/`, that Orchestrator's service answers
    (werkzeug syntax): the routes its actions are `also_under_tenant`."""
    return [
        f"{TENANT}{action.route}"
        for entity_set in registry
        for action in entity_set.actions
        if action.also_under_tenant and action.route is not None
    ]
