"""Read, validate and write world documents (version 2; version 1 files are migrated on load).

The world knows entity sets only through a catalog (the Orchestrator registry): each set's
name, key, unique constraints, how to check a stored record and how to complete one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, partial
from typing import Any, Protocol

import jsonschema

from uipath_emulator.mock_server.jsonio import json_copy
from uipath_emulator.mock_server.world.bulk import collector_paused
from uipath_emulator.mock_server.world.model import App, Organization, Tenant, World
from uipath_emulator.mock_server.world.schema import WORLD_VERSION, world_schema
from uipath_emulator.mock_server.world.scopes import KNOWN_SCOPES, unknown_scope_message
from uipath_emulator.mock_server.world.store import EntityStore, TenantStores
from uipath_emulator.mock_server.world.validation import strict_validator

Record = dict[str, Any]
V1_SET = "Machines"
"""The only entity set of version 1 documents (a tenant's `machines`)."""


class WorldError(ValueError):
    """A world file or state document that cannot be loaded; the message names the bad field."""


class CatalogEntry(Protocol):
    """What the world needs to know of an entity set."""

    name: str
    key: str
    label: str
    unique: tuple[Any, ...]
    buckets: Mapping[str, Any]
    counted: str | None
    schema: dict[str, Any]

    def problem(self, record: Any) -> tuple[tuple[str | int, ...], str] | None:
        """Where a stored record breaks the set's type, and how; None when it is valid."""

    def record(self, fields: Mapping[str, Any], key: Any, *, copied: bool = True) -> Record:
        """The complete record for these fields and key."""

    def set_problem(
        self, records: list[Any], tenant: Mapping[str, list[Any]]
    ) -> tuple[int, str, str] | None:
        """What is wrong with the records together, or with the tenant's other records (by
        set name): (index, member, message), or None."""

    def loaded(self, records: list[Record], tenant: Mapping[str, list[Any]]) -> list[Record]:
        """The records as stored, completed from each other (a folder's path from its parent)
        and from the tenant's other records as the world gives them (by set name)."""


class Catalog(Protocol):
    """The entity sets a world holds, in order."""

    def __iter__(self) -> Iterator[CatalogEntry]:
        """Each set."""


def json_path(parts: Iterable[str | int]) -> str:
    """`organizations[0].tenants[1].Name` from a sequence of keys and indexes."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


@cache
def _skeleton_validator(names: tuple[str, ...]) -> Any:
    return strict_validator(world_schema(dict.fromkeys(names)))


def migrate(data: dict[str, Any]) -> tuple[dict[str, Any], Callable[[str], str]]:
    """A version 1 document as version 2, and how to say a v2 path as the v1 document wrote it.

    Version 1 held a tenant's machines in `machines` and their next id in `next_machine_id`.
    """
    if data.get("version") != 1:
        return data, lambda path: path
    migrated = {**data, "version": WORLD_VERSION}
    organizations = []
    for organization in data.get("organizations", []):
        if not isinstance(organization, dict):
            organizations.append(organization)
            continue
        tenants = []
        for tenant in organization.get("tenants", []):
            if isinstance(tenant, dict) and ("machines" in tenant or "next_machine_id" in tenant):
                tenant = dict(tenant)
                tenant["entities"] = {V1_SET: tenant.pop("machines", [])}
                if "next_machine_id" in tenant:
                    tenant["next_ids"] = {V1_SET: tenant.pop("next_machine_id")}
            tenants.append(tenant)
        organizations.append({**organization, "tenants": tenants})
    migrated["organizations"] = organizations

    def as_v1(path: str) -> str:
        return path.replace(f".entities.{V1_SET}[", ".machines[").replace(
            f".next_ids.{V1_SET}", ".next_machine_id"
        )

    return migrated, as_v1


def load_world(data: Any, catalog: Catalog, *, checked: bool = False, owned: bool = False) -> World:
    """Build a world from a parsed world document, checking it whole before building anything.

    `checked=True` skips the checks for a document that already passed them in this process.
    The world shares no mutable value with `data` (pass `owned=True` for a document nothing
    else holds, such as one just parsed from a file, to skip copying it).
    """
    if not isinstance(data, dict):
        raise WorldError("(document): a world document is a JSON object")
    with collector_paused():
        return _load_world(data, list(catalog), checked=checked, owned=owned)


def _load_world(
    data: dict[str, Any], entries: list[CatalogEntry], *, checked: bool, owned: bool
) -> World:
    data, as_written = migrate(data)
    if not checked:
        try:
            _check(data, entries)
        except WorldError as error:
            raise WorldError(as_written(str(error))) from None
    if not owned:
        data = json_copy(data)
    # A document already built once in this process builds again: its stores wait for use.
    return World([_organization(entry, entries, lazy=checked) for entry in data["organizations"]])


def _check(data: dict[str, Any], entries: list[CatalogEntry]) -> None:
    validator = _skeleton_validator(tuple(entry.name for entry in entries))
    problem = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if problem is not None:
        raise WorldError(f"{json_path(problem.absolute_path)}: {problem.message}")
    seen_keys: dict[str, str] = {}
    seen_clients: dict[str, str] = {}
    for o, org in enumerate(data["organizations"]):
        where = f"organizations[{o}]"
        for field in ("name", "id"):
            _unique(seen_keys, org[field], f"{where}.{field}", "organization name or id")
        for a, app in enumerate(org.get("apps", [])):
            app_where = f"{where}.apps[{a}]"
            _unique(seen_clients, app["client_id"], f"{app_where}.client_id", "client_id")
            for s, scope in enumerate(app["scopes"]):
                if scope not in KNOWN_SCOPES:
                    raise WorldError(f"{app_where}.scopes[{s}]: {unknown_scope_message(scope)}")
            if app["confidential"] and not app.get("client_secret"):
                raise WorldError(f"{app_where}.client_secret: a confidential app needs a secret")
            if not app["confidential"] and app.get("client_secret") is not None:
                raise WorldError(f"{app_where}.client_secret: a non-confidential app has none")
        tenant_keys: dict[str, str] = {}
        for t, tenant in enumerate(org.get("tenants", [])):
            tenant_where = f"{where}.tenants[{t}]"
            for field in ("name", "id"):
                _unique(tenant_keys, tenant[field], f"{tenant_where}.{field}", "tenant name or id")
            records = tenant.get("entities", {})
            for entry in entries:
                _check_records(entry, records.get(entry.name, []), f"{tenant_where}.entities")
                problem = entry.set_problem(records.get(entry.name, []), records)
                if problem is not None:
                    index, member, text = problem
                    where_set = f"{tenant_where}.entities.{entry.name}[{index}].{member}"
                    raise WorldError(f"{where_set}: {text}")


def _check_records(entry: CatalogEntry, records: list[Any], where: str) -> None:
    """Each record valid, keys positive and unique, unique constraints and `Key`s unclashed.

    Positions are kept, and paths written only for the error: a world can hold 100k records.
    """
    keys: dict[Any, int] = {}
    uniques: list[dict[Any, int]] = [{} for _ in entry.unique]
    guids: dict[str, int] = {}
    key_name = entry.key

    def at(position: int, member: str | None = None) -> str:
        text = f"{where}.{entry.name}[{position}]"
        return f"{text}.{member}" if member is not None else text

    for r, record in enumerate(records):
        problem = entry.problem(record)
        if problem is not None:
            path, text = problem
            raise WorldError(f"{json_path([at(r), *path])}: {text}")
        if key_name in record:
            key = record[key_name]
            if not isinstance(key, int) or isinstance(key, bool) or key < 1:
                raise WorldError(f"{at(r, key_name)}: must be a positive integer")
            first = keys.setdefault(key, r)
            if first != r:
                raise WorldError(
                    f"{at(r, key_name)}: {entry.label} {key_name} {key!r} is already used at "
                    f"{at(first, key_name)}"
                )
        for constraint, seen in zip(entry.unique, uniques, strict=True):
            value = constraint.key(record)
            if value is not None:
                first = seen.setdefault(value, r)
                if first != r:
                    members = "/".join(constraint.members).lower()
                    shown = " / ".join(repr(record[member]) for member in constraint.members)
                    last = constraint.members[-1]
                    raise WorldError(
                        f"{at(r, last)}: {entry.label.lower()} {members} {shown} is already "
                        f"used at {at(first, last)}"
                    )
        guid = record.get("Key")
        if guid is not None:
            first = guids.setdefault(str(guid).casefold(), r)
            if first != r:
                raise WorldError(
                    f"{at(r, 'Key')}: {entry.label} Key {str(guid).casefold()!r} is already "
                    f"used at {at(first, 'Key')}"
                )


def _unique(
    seen: dict[str, str],
    value: str,
    where: str,
    what: str,
    key: Callable[[str], str] = str.casefold,
) -> None:
    folded = key(value)
    if folded in seen:
        raise WorldError(f"{where}: {what} {value!r} is already used at {seen[folded]}")
    seen[folded] = where


def _organization(
    entry: dict[str, Any], entries: list[CatalogEntry], *, lazy: bool
) -> Organization:
    apps = [
        App(
            name=app["name"],
            client_id=app["client_id"],
            client_secret=app.get("client_secret"),
            confidential=app["confidential"],
            scopes=tuple(app["scopes"]),
            organization_id=entry["id"],
            robot_key=app.get("robot_key"),
        )
        for app in entry.get("apps", [])
    ]
    tenants = [
        _tenant(entry["id"], tenant, entries, lazy=lazy) for tenant in entry.get("tenants", [])
    ]
    return Organization(id=entry["id"], name=entry["name"], apps=apps, tenants=tenants)


def _tenant(
    organization_id: str, entry: dict[str, Any], entries: list[CatalogEntry], *, lazy: bool
) -> Tenant:
    records = entry.get("entities", {})
    next_ids = entry.get("next_ids", {})
    builders = {
        catalog_entry.name: partial(
            _store,
            catalog_entry,
            records.get(catalog_entry.name, []),
            next_ids.get(catalog_entry.name),
            records,
        )
        for catalog_entry in entries
    }
    if lazy:
        stores = TenantStores(organization_id, entry["id"], {}, pending=builders)
    else:
        built = {name: build() for name, build in builders.items()}
        stores = TenantStores(organization_id, entry["id"], built)
    return Tenant(id=entry["id"], name=entry["name"], entities=stores)


def _store(
    entry: CatalogEntry,
    records: list[Record],
    next_id: int | None,
    tenant: Mapping[str, list[Any]],
) -> EntityStore:
    key_name = entry.key
    following = max((r[key_name] for r in records if key_name in r), default=0) + 1
    completed = []
    for record in records:
        key = record.get(key_name)
        if key is None:
            key, following = following, following + 1
        completed.append(entry.record(record, key, copied=False))
    return EntityStore(entry, entry.loaded(completed, tenant), next_id=next_id)


def dump_world(world: World, *, copy_records: bool = True) -> dict[str, Any]:
    """The world as a version-2 world document: `load_world(dump_world(w))` rebuilds `w`.

    With `copy_records=False` the document shares the stores' records (never mutated, so
    safe to serialise while the world goes on changing); do not change such a document.
    """
    return {
        "version": WORLD_VERSION,
        "organizations": [
            {
                "name": org.name,
                "id": org.id,
                "apps": [
                    {
                        "name": app.name,
                        "client_id": app.client_id,
                        "client_secret": app.client_secret,
                        "confidential": app.confidential,
                        "scopes": list(app.scopes),
                        **({"robot_key": app.robot_key} if app.robot_key else {}),
                    }
                    for app in org.apps
                ],
                "tenants": [
                    {
                        "name": tenant.name,
                        "id": tenant.id,
                        "entities": {
                            store.name: copy.deepcopy(list(store.snapshot()))
                            if copy_records
                            else list(store.snapshot())
                            for store in tenant.entities
                        },
                        "next_ids": {store.name: store.next_id for store in tenant.entities},
                    }
                    for tenant in org.tenants
                ],
            }
            for org in world.organizations
        ],
    }
