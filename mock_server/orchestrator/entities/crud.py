"""The CRUD operations every entity set shares, over a tenant's stores (no HTTP here).

Each write runs in one tenant transaction: read, merge, validate and write cannot interleave
with another write, and a store error becomes the set's own Orchestrator error.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities.input import entity_fields
from uipath_emulator.mock_server.orchestrator.entities.registry import EntitySet, Record
from uipath_emulator.mock_server.orchestrator.errors import (
    ApiError,
    bad_request,
    conflict,
    not_found,
)
from uipath_emulator.mock_server.world.store import (
    IdsExhaustedError,
    RecordNotFoundError,
    TenantStores,
    UniqueViolationError,
)


def store_error(entity_set: EntitySet, error: Exception) -> ApiError:
    """The Orchestrator error for a store error raised while writing `entity_set`."""
    if isinstance(error, RecordNotFoundError):
        return not_found(entity_set.not_found_message(error.key))
    if isinstance(error, UniqueViolationError):
        constraint = error.constraint
        return conflict(constraint.message.format(**error.record), constraint.error_code)
    if isinstance(error, IdsExhaustedError):
        return bad_request(f"The {entity_set.label.lower()} cannot be created: {error}.")
    raise error


@contextmanager
def translated(entity_set: EntitySet) -> Iterator[None]:
    """Turn store errors raised in the block into the set's Orchestrator errors."""
    try:
        yield
    except (RecordNotFoundError, UniqueViolationError, IdsExhaustedError) as error:
        raise store_error(entity_set, error) from None


def get(stores: TenantStores, entity_set: EntitySet, key: Any) -> Record:
    """The stored record with this key, or 404."""
    with translated(entity_set):
        return stores[entity_set.name].get(key)


def create(stores: TenantStores, entity_set: EntitySet, body: Mapping[str, Any]) -> Record:
    """Validate `body`, then store a new record with the next id; returns the stored record."""
    fields = entity_fields(entity_set, body)
    with translated(entity_set), stores.write() as write:
        record = entity_set.record(fields, write.new_id(entity_set.name))
        return write.put(entity_set.name, record)


def replace(
    stores: TenantStores, entity_set: EntitySet, key: Any, body: Mapping[str, Any]
) -> Record:
    """PUT: the record gets the body's members, defaults for the others (key kept)."""
    fields = entity_fields(entity_set, body)
    return update(stores, entity_set, key, lambda _current: fields)


def patch(stores: TenantStores, entity_set: EntitySet, key: Any, body: Mapping[str, Any]) -> Record:
    """PATCH: the body's members change, the others keep their stored values."""
    return update(
        stores, entity_set, key, lambda current: entity_fields(entity_set, {**current, **body})
    )


def update(
    stores: TenantStores,
    entity_set: EntitySet,
    key: Any,
    change: Callable[[Record], Mapping[str, Any]],
) -> Record:
    """Replace a record by `change(current)` (merged and validated inside the transaction).

    Read-only members (`Key`, server-managed state) keep their stored values.
    """
    with translated(entity_set), stores.write() as write:
        current = write.get(entity_set.name, key)
        fields = dict(change(current))
        for member in entity_set.type.read_only:
            if member in current:
                fields[member] = current[member]
        return write.put(entity_set.name, entity_set.record(fields, key))


def delete(stores: TenantStores, entity_set: EntitySet, keys: list[Any]) -> None:
    """Delete these records, all or none (404 for the first unknown key)."""
    with translated(entity_set), stores.write() as write:
        for key in keys:
            write.delete(entity_set.name, key)
