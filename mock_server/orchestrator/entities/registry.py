"""The entity-set registry: each set declared once, everything else derived from the declaration.

A declaration (`EntitySet`) names the set, its spec type (through its overlay file), the label
its messages use, whether it lives in folders, the operations it serves (with the spec's
path for each, from which the OAuth scopes are read), its unique constraints, and the hooks
for what is particular to it: how a new record is completed, what a create answer adds, and
its actions and functions. The OData engine, the store, the representation, write validation,
the router and the OpenAPI document take an `EntitySet` and never name one.
"""

from __future__ import annotations

import copy
import enum
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from uipath_emulator.mock_server.orchestrator.entities.types import (
    EntityType,
    build_entity_type,
    json_schema,
    overlay,
)
from uipath_emulator.mock_server.orchestrator.spec.subset import operation_scopes
from uipath_emulator.mock_server.world.collation import string_key

if TYPE_CHECKING:
    from uipath_emulator.mock_server.orchestrator.entities.actions import (
        ActionContext,
        ActionHandler,
    )
    from uipath_emulator.mock_server.orchestrator.entities.validation import Check
    from uipath_emulator.mock_server.orchestrator.odata.model import ODataModel
    from uipath_emulator.mock_server.world.store import TenantStores, TenantWrite

Record = dict[str, Any]
SECRET_MASK = "\u2022" * 8
"""What the harness and the dashboard show instead of a stored secret."""


class Operation(enum.Enum):
    """The CRUD operations of an entity set: HTTP method, and whether they address one entity."""

    LIST = ("GET", False)
    GET = ("GET", True)
    CREATE = ("POST", False)
    REPLACE = ("PUT", True)
    UPDATE = ("PATCH", True)
    DELETE = ("DELETE", True)

    @property
    def method(self) -> str:
        """The HTTP method."""
        return self.value[0]

    @property
    def on_entity(self) -> bool:
        """Whether the operation addresses one entity (`Set(key)`) rather than the collection."""
        return bool(self.value[1])


@dataclass(frozen=True)
class Unique:
    """Members whose values no two records of the set share (compared as SQL Server does)."""

    members: tuple[str, ...]
    message: str
    """The 409 message, formatted with the record's members, e.g. `'{Name}' is taken`."""
    error_code: int = 1001

    def key(self, record: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The record's value of the constraint; None when a member is null (never a clash)."""
        values = []
        for member in self.members:
            value = record.get(member)
            if value is None:
                return None
            values.append(string_key(value) if isinstance(value, str) else value)
        return tuple(values)


@dataclass(frozen=True)
class Action:
    """An OData action or function of a set: `Set/Name` (collection) or `Set(key)/Name` (entity).

    `spec_path` is the spec's path of the operation (for its scopes and its OpenAPI object).
    """

    name: str
    method: str
    spec_path: str
    handler: ActionHandler | None = None
    """What it does; None for a function that answers as the set's listing (`lists`)."""
    on_entity: bool = False
    writes: bool = True
    parameters: str | None = None
    """For a function with parameters in the path, e.g. `(identifier=<identifier>)`."""
    success_status: int = 200
    request_schema: dict[str, Any] | None = None
    """The body it takes, as an OpenAPI 3.0 schema (for the document)."""
    response_schema: dict[str, Any] | None = None
    """The body it answers with, as an OpenAPI 3.0 schema (for the document)."""
    route: str | None = None
    """Its path under `orchestrator_/` when it is not `Set/Name` (e.g. under `/api/`)."""
    query: Mapping[str, dict[str, Any] | None] = field(default_factory=dict)
    """The query parameters it documents, each with its schema (None: the spec's)."""
    lists: bool = False
    """A collection function that answers exactly as the listing does, OData options and all
    (a `GetFiltered` function)."""
    rules_of: str | None = None
    """For an operation the 20.0 spec lacks: the spec path (same method) whose scopes, folder
    header and permissions it follows (a `GetByKey` follows the listing)."""
    also_under_tenant: bool = False
    """Whether its `route` is also served under the tenant without `orchestrator_/` (UiPath's
    Python SDK calls one `/api/` function so, `/{org}/{tenant}/api/...`)."""

    def rule(self, collection: str, entity: str) -> str:
        """Its path under `orchestrator_/`, placeholders in werkzeug syntax."""
        if self.route is not None:
            return self.route
        rule = f"{entity if self.on_entity else collection}/{self.name}"
        return rule + (self.parameters or "")


def _server_key(record: Record) -> None:
    if record.get("Key") is None:
        record["Key"] = str(uuid.uuid4())


@dataclass(frozen=True, eq=False)
class EntitySet:
    """One entity set of Orchestrator, declared once."""

    name: str
    label: str
    """What the set's records are called in messages, e.g. `Folder`."""
    folder_scoped: bool
    operations: Mapping[Operation, str]
    """Each served CRUD operation, with the spec path it is documented under."""
    key: str = "Id"
    unique: tuple[Unique, ...] = ()
    expandable: tuple[str, ...] = ()
    buckets: Mapping[str, Callable[[Record], Hashable | None]] = field(default_factory=dict)
    """Indexes by bucket the store keeps up to date (name -> the bucket of a record), read inside
    a write transaction (`TenantWrite.bucket`): an action finds a queue's waiting items without
    a pass over every item."""
    harness_writable: frozenset[str] = frozenset()
    """Read-only members the harness may set all the same (a seeded queue item's status)."""
    filter_only: tuple[str, ...] = ()
    """Emulator members `$filter` accepts, never answered (what the service filters on)."""
    actions: tuple[Action, ...] = ()
    type_annotation: bool = True
    """Whether each item carries `@odata.type` (Orchestrator writes it for derived types)."""
    complete: Callable[[Record], None] = _server_key
    """Fills server-set members of a new record (after `Id` is assigned)."""
    present_created: Callable[[Record], Record] | None = None
    """What a create answer shows of the stored record (e.g. a one-time secret)."""
    folder_member: str = "OrganizationUnitId"
    """For a folder-scoped set: the member that holds a record's folder Id."""
    cross_folder_list: bool = False
    """Whether listing without a folder header answers every folder the caller may use."""
    visible: Callable[[ActionContext], Callable[[Record], bool]] | None = None
    """For a tenant-level set: which records a caller sees (folders: those assigned to it)."""
    prepare: Callable[[ActionContext, TenantWrite, Record, Record | None], Record] | None = None
    """Inside a write's transaction: the record to store, from the new and the stored one (may
    write other records: a renamed folder's subfolders)."""
    before_delete: Callable[[ActionContext, TenantWrite, Record], Record | None] | None = None
    """Inside a delete's transaction: raise to refuse it (a folder that still has content), or
    answer the record to keep instead (a soft delete: a queue item becomes `Deleted`)."""
    check_loaded: (
        Callable[[list[Any], Mapping[str, list[Any]]], tuple[int, str, str] | None] | None
    ) = None
    """A world's records of the set, checked together and against the tenant's other records
    (by set name): (index, member, message) or None."""
    complete_loaded: Callable[[list[Record], Mapping[str, list[Any]]], list[Record]] | None = None
    """A world's records of the set as stored, completed from each other and from the tenant's
    other records (by set name, as the world gives them)."""
    refresh: Callable[[TenantStores, float], None] | None = None
    """Brings the tenant's records of the set to their state at a time (jobs run on the
    emulator clock); every read and action of the set calls it first."""
    listed: Callable[[Record], Record] | None = None
    """What a listing row shows of a record, when it shows less than a read by key (a job's
    arguments)."""
    extra_scopes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Scopes accepted beside the spec's, by spec path, or by `METHOD spec path` where the
    methods of a path differ (e.g. `OR.X.Read` for `GET /odata/X`, `OR.X.Write` for `POST`).

    For an operation the 20.0 spec does not have (`GetCurrentUserExtended`, a set declared in
    a test), the only scopes."""
    overlay_facts: Mapping[str, Any] | None = None
    """The overlay; by default `fixtures/spec/overlays/<name>.json`."""
    spec_schemas: Mapping[str, dict[str, Any]] | None = None
    """Schemas of a type the spec lacks, by name; by default the spec subset's."""

    @cached_property
    def counted(self) -> str | None:
        """The member whose values the store counts: a folder-scoped set's folder (a listing
        in some folders counts its records without a pass over all of them)."""
        return self.folder_member if self.folder_scoped else None

    @cached_property
    def facts(self) -> Mapping[str, Any]:
        """The overlay's facts (type names, wire order, defaults, messages, ...)."""
        return self.overlay_facts if self.overlay_facts is not None else overlay(self.name)

    @cached_property
    def type(self) -> EntityType:
        """The set's entity type (spec schema plus overlay)."""
        schemas = self.spec_schemas
        if schemas is None:
            return build_entity_type(self.name, self.facts)
        return build_entity_type(self.name, self.facts, lambda name: schemas[name])

    @cached_property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema of a stored record."""
        return json_schema(self.type)

    @cached_property
    def messages(self) -> Mapping[str, str]:
        """Message templates of the overlay (`not_found`, ...)."""
        found: Mapping[str, str] = self.facts.get("messages", {})
        return found

    @cached_property
    def example(self) -> dict[str, Any] | None:
        """A request body the OpenAPI document shows (from the overlay), if any."""
        found: dict[str, Any] | None = self.facts.get("example")
        return found

    @cached_property
    def odata(self) -> ODataModel:
        """The EDM model the OData engine evaluates queries against."""
        from uipath_emulator.mock_server.orchestrator.odata.model import odata_model

        return odata_model(
            self.type, key=self.key, expandable=self.expandable, filter_only=self.filter_only
        )

    @cached_property
    def _scopes_by_operation(self) -> dict[tuple[str, str], frozenset[str]]:
        return {}

    def scopes(self, spec_path: str, method: str) -> frozenset[str]:
        """The scopes that allow `METHOD spec_path` (any one of them); worked out once."""
        found = self._scopes_by_operation.get((spec_path, method))
        if found is not None:
            return found
        extra = self.extra_scopes.get(
            f"{method} {spec_path}", self.extra_scopes.get(spec_path, frozenset())
        )
        try:
            found = operation_scopes(spec_path, method) | extra
        except KeyError:  # an operation the 20.0 spec lacks: the declared scopes only
            found = extra
        self._scopes_by_operation[(spec_path, method)] = found
        return found

    @cached_property
    def secret_members(self) -> tuple[str, ...]:
        """Members that hold secrets (the overlay's `secret_members`), masked outside the API."""
        return tuple(self.facts.get("secret_members", ()))

    def masked(self, record: Record) -> Record:
        """The record with its secret members masked (the record itself when it has none)."""
        secret = self.secret_members
        if not secret or not any(record.get(member) for member in secret):
            return record
        return {
            name: SECRET_MASK if name in secret and value else value
            for name, value in record.items()
        }

    def not_found_message(self, key: Any) -> str:
        """404 text for a key the set does not hold."""
        template = self.messages.get("not_found", "{label} does not exist.")
        return template.format(label=self.label, key=key)

    @cached_property
    def check(self) -> Check:
        """The compiled validation of a stored record (`validation.compile_record_check`)."""
        from uipath_emulator.mock_server.orchestrator.entities.validation import (
            compile_record_check,
        )

        return compile_record_check(self.type)

    def problem(self, record: Any) -> tuple[tuple[str | int, ...], str] | None:
        """Where a stored record breaks the set's type, and how; None when it is valid."""
        from uipath_emulator.mock_server.orchestrator.entities.validation import describe

        found = self.check(record)
        if found is None:
            return None
        return found.path, describe(found, "")

    @cached_property
    def _template(self) -> tuple[Record, tuple[tuple[str, Any], ...], tuple[str, ...]]:
        """Every member with its default in wire order; the container defaults; omitted-if-null."""
        defaults = self.type.defaults
        template = {name: defaults.get(name) for name in self.type.wire_order}
        containers = tuple(
            (name, value) for name, value in template.items() if isinstance(value, list | dict)
        )
        return template, containers, self.type.omit_when_null

    def set_problem(
        self, records: list[Any], tenant: Mapping[str, list[Any]]
    ) -> tuple[int, str, str] | None:
        """What is wrong with a world's records of the set together, if anything."""
        if self.check_loaded is None or not records:
            return None
        return self.check_loaded(records, tenant)

    def loaded(self, records: list[Record], tenant: Mapping[str, list[Any]]) -> list[Record]:
        """A world's records of the set as they are stored."""
        if self.complete_loaded is None or not records:
            return records
        return self.complete_loaded(records, tenant)

    def record(self, fields: Mapping[str, Any], key: Any, *, copied: bool = True) -> Record:
        """A full record in wire order: `fields` over the defaults, with this key.

        Values are copied unless `copied=False` (for fields nothing else holds); members the
        overlay leaves out when null are left out; the `complete` hook fills what the
        service sets.
        """
        template, containers, omitted = self._template
        record: Record = {**template, **fields}  # the template's order, the fields' values
        if len(record) != len(template):
            for name in fields:
                if name not in template:
                    del record[name]
        if copied:
            for name, value in fields.items():
                if isinstance(value, list | dict) and name in template:
                    record[name] = copy.deepcopy(value)
        for name, default in containers:
            if name not in fields:
                record[name] = copy.deepcopy(default) if default else type(default)()
        for name in omitted:
            if record.get(name, 0) is None:
                del record[name]
        record[self.key] = key
        self.complete(record)
        return record


class Registry:
    """Every declared entity set, by name (names as Orchestrator spells them, matched exactly)."""

    def __init__(self, entity_sets: Iterable[EntitySet] = ()) -> None:
        self._sets: dict[str, EntitySet] = {}
        for entity_set in entity_sets:
            self.add(entity_set)

    def add(self, entity_set: EntitySet) -> None:
        """Register a set; a second set of the same name is an error."""
        if entity_set.name in self._sets:
            raise ValueError(f"entity set {entity_set.name!r} is declared twice")
        self._sets[entity_set.name] = entity_set

    def get(self, name: str) -> EntitySet | None:
        """The set named `name`, if declared."""
        return self._sets.get(name)

    def __getitem__(self, name: str) -> EntitySet:
        return self._sets[name]

    def __iter__(self) -> Any:
        return iter(self._sets.values())

    def __len__(self) -> int:
        return len(self._sets)

    def __contains__(self, name: object) -> bool:
        return name in self._sets
