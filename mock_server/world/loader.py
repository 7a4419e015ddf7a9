"""Read, validate and write world files (version 1, `fixtures/schemas/world.schema.json`)."""

import copy
import uuid
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import jsonschema
from referencing import Registry, Resource

from uipath_emulator.mock_server.resources import load_schema
from uipath_emulator.mock_server.world.collation import string_key
from uipath_emulator.mock_server.world.machines import MachineStore, complete_record
from uipath_emulator.mock_server.world.model import App, Organization, Tenant, World
from uipath_emulator.mock_server.world.scopes import KNOWN_SCOPES, unknown_scope_message
from uipath_emulator.mock_server.world.validation import strict_validator


class WorldError(ValueError):
    """A world file or state document that cannot be loaded; the message names the bad field."""


@cache
def _validator() -> Any:
    machine = load_schema("machine")
    registry: Registry = Registry().with_resource(
        "https://uipath-cloud-emulator/schemas/machine.schema.json",
        Resource.from_contents(machine),
    )
    return strict_validator(load_schema("world"), registry)


def json_path(parts: Iterable[str | int]) -> str:
    """`organizations[0].tenants[1].Name` from a sequence of keys and indexes."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def load_world(data: Any, *, checked: bool = False) -> World:
    """Build a world from a parsed world document, checking it whole before building anything.

    `checked=True` skips the checks for a document that already passed them in this process.
    The world shares no mutable value with `data`: either can change without touching the other.
    """
    if not isinstance(data, dict):
        raise WorldError("(document): a world document is a JSON object")
    if not checked:
        problem = jsonschema.exceptions.best_match(_validator().iter_errors(data))
        if problem is not None:
            raise WorldError(f"{json_path(problem.absolute_path)}: {problem.message}")
        _check_identities(data)
    return World([_organization(entry) for entry in data["organizations"]])


def _check_identities(data: dict[str, Any]) -> None:
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
            _check_machines(tenant.get("machines", []), f"{tenant_where}.machines")


def _check_machines(machines: list[dict[str, Any]], where: str) -> None:
    names: dict[str, str] = {}
    ids: dict[str, str] = {}
    keys: dict[str, str] = {}
    for m, machine in enumerate(machines):
        _unique(names, machine["Name"], f"{where}[{m}].Name", "machine name", key=string_key)
        if "Id" in machine:
            if not isinstance(machine["Id"], int) or machine["Id"] < 1:
                raise WorldError(f"{where}[{m}].Id: must be a positive integer")
            _unique(ids, str(machine["Id"]), f"{where}[{m}].Id", "machine Id")
        if machine.get("Key") is not None:
            _unique(keys, machine["Key"], f"{where}[{m}].Key", "machine Key")


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


def _organization(entry: dict[str, Any]) -> Organization:
    apps = [
        App(
            name=app["name"],
            client_id=app["client_id"],
            client_secret=app.get("client_secret"),
            confidential=app["confidential"],
            scopes=tuple(app["scopes"]),
            organization_id=entry["id"],
        )
        for app in entry.get("apps", [])
    ]
    tenants = [_tenant(tenant) for tenant in entry.get("tenants", [])]
    return Organization(id=entry["id"], name=entry["name"], apps=apps, tenants=tenants)


def _tenant(entry: dict[str, Any]) -> Tenant:
    machines = entry.get("machines", [])
    next_id = max((m["Id"] for m in machines if "Id" in m), default=0) + 1
    records = []
    for machine in machines:
        machine_id = machine.get("Id")
        if machine_id is None:
            machine_id, next_id = next_id, next_id + 1
        records.append(
            complete_record(machine, machine_id, machine.get("Key") or str(uuid.uuid4()))
        )
    store = MachineStore(records, next_id=entry.get("next_machine_id"))
    return Tenant(id=entry["id"], name=entry["name"], machines=store)


def dump_world(world: World) -> dict[str, Any]:
    """The world as a version-1 world document: `load_world(dump_world(w))` rebuilds `w`."""
    return {
        "version": 1,
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
                    }
                    for app in org.apps
                ],
                "tenants": [
                    {
                        "name": tenant.name,
                        "id": tenant.id,
                        "next_machine_id": tenant.machines.next_id,
                        "machines": copy.deepcopy(list(tenant.machines.snapshot())),
                    }
                    for tenant in org.tenants
                ],
            }
            for org in world.organizations
        ],
    }
