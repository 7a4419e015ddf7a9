"""The CRUD operations every entity set shares, over a tenant's stores (no HTTP here).

Each write runs in one tenant transaction: read, merge, validate and write cannot interleave
with another write, and a store error becomes the set's own Orchestrator error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from uipath_emulator.mock_server.orchestrator.entities.input import entity_fields
from uipath_emulator.mock_server.orchestrator.entities.registry import EntitySet, Record
from uipath_emulator.mock_server.orchestrator.errors import (
    ApiError,
    bad_request,
    conflict,
    folder_not_accessible,
    folder_required,
    not_found,
)
from uipath_emulator.mock_server.orchestrator.folders.access import FOLDERS as FOLDER_SET
from uipath_emulator.mock_server.world.store import (
    IdsExhaustedError,
    RecordNotFoundError,
    TenantStores,
    TenantWrite,
    UniqueViolationError,
)

if TYPE_CHECKING:
    from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext


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


def in_scope(entity_set: EntitySet, call: ActionContext | None, record: Record) -> bool:
    """Whether the caller may see `record`: its folder is in scope, or the set shows it them."""
    if call is None:
        return True
    if entity_set.folder_scoped and call.scope is not None:
        return call.scope.holds(record, entity_set.folder_member)
    if entity_set.visible is not None and call.caller is not None:
        return entity_set.visible(call)(record)
    return True


def get(
    stores: TenantStores, entity_set: EntitySet, key: Any, call: ActionContext | None = None
) -> Record:
    """The stored record with this key, or 404 (also when the caller may not see it)."""
    with translated(entity_set):
        record = stores[entity_set.name].get(key)
    if not in_scope(entity_set, call, record):
        raise not_found(entity_set.not_found_message(key))
    return record


def create(
    stores: TenantStores,
    entity_set: EntitySet,
    body: Mapping[str, Any],
    call: ActionContext | None = None,
    emulator_members: Mapping[str, Any] | None = None,
) -> Record:
    """Validate `body`, then store a new record with the next id; returns the stored record.

    A folder-scoped record goes into the call's folder; `emulator_members` (the harness's)
    set members that no request body may.
    """
    fields = entity_fields(entity_set, body)
    hidden = _emulator_members(entity_set, emulator_members)
    with translated(entity_set), stores.write() as write:
        record = entity_set.record({**fields, **hidden}, write.new_id(entity_set.name))
        scope = call.scope if call is not None else None
        if entity_set.folder_scoped and scope is not None and scope.folder is not None:
            record[entity_set.folder_member] = scope.folder["Id"]
        if entity_set.prepare is not None:
            record = entity_set.prepare(call, write, record, None)  # type: ignore[arg-type]
        _check_folder(write, entity_set, record)
        _check_stored(entity_set, record)
        return write.put(entity_set.name, record)


def replace(
    stores: TenantStores,
    entity_set: EntitySet,
    key: Any,
    body: Mapping[str, Any],
    call: ActionContext | None = None,
) -> Record:
    """PUT: the record gets the body's members, defaults for the others (key kept)."""
    fields = entity_fields(entity_set, body)
    return update(stores, entity_set, key, lambda _current: fields, call)


def patch(
    stores: TenantStores,
    entity_set: EntitySet,
    key: Any,
    body: Mapping[str, Any],
    call: ActionContext | None = None,
    emulator_members: Mapping[str, Any] | None = None,
) -> Record:
    """PATCH: the body's members change, the others keep their stored values."""
    hidden = _emulator_members(entity_set, emulator_members)
    own = entity_set.type.hidden

    def change(current: Record) -> dict[str, Any]:
        visible = {name: value for name, value in current.items() if name not in own}
        return {**entity_fields(entity_set, {**visible, **body}), **hidden}

    return update(stores, entity_set, key, change, call, overrides=frozenset(hidden))


def update(
    stores: TenantStores,
    entity_set: EntitySet,
    key: Any,
    change: Callable[[Record], Mapping[str, Any]],
    call: ActionContext | None = None,
    *,
    overrides: frozenset[str] = frozenset(),
) -> Record:
    """Replace a record by `change(current)` (merged and validated inside the transaction).

    Read-only members (`Key`, server-managed state, the emulator's) keep their stored values.
    """
    with translated(entity_set), stores.write() as write:
        current = write.get(entity_set.name, key)
        if not in_scope(entity_set, call, current):
            raise not_found(entity_set.not_found_message(key))
        fields = dict(change(current))
        for member in entity_set.type.read_only - overrides:
            if member in current:
                fields[member] = current[member]
        record = entity_set.record(fields, key)
        if entity_set.prepare is not None:
            record = entity_set.prepare(call, write, record, current)  # type: ignore[arg-type]
        _check_folder(write, entity_set, record)
        _check_stored(entity_set, record)
        return write.put(entity_set.name, record)


def delete(
    stores: TenantStores,
    entity_set: EntitySet,
    keys: list[Any],
    call: ActionContext | None = None,
) -> None:
    """Delete these records, all or none (404 for the first unknown or unseen key); a set
    whose `before_delete` answers a record keeps that instead (a soft delete)."""
    with translated(entity_set), stores.write() as write:
        for key in keys:
            record = write.get(entity_set.name, key)
            if not in_scope(entity_set, call, record):
                raise not_found(entity_set.not_found_message(key))
            kept = None
            if entity_set.before_delete is not None:
                kept = entity_set.before_delete(call, write, record)  # type: ignore[arg-type]
            if kept is None:
                write.delete(entity_set.name, key)
            else:
                write.put(entity_set.name, kept)


def _check_folder(write: TenantWrite, entity_set: EntitySet, record: Record) -> None:
    """A folder-scoped record's folder exists when it is written (it may have been deleted
    since the request's folder was read): 400/1101 without one, 400/1100 for a gone one."""
    if not entity_set.folder_scoped:
        return
    folder_id = record.get(entity_set.folder_member)
    if folder_id is None:
        raise folder_required()
    try:
        write.get(FOLDER_SET, folder_id)
    except LookupError:
        raise folder_not_accessible() from None


def _emulator_members(entity_set: EntitySet, members: Mapping[str, Any] | None) -> dict[str, Any]:
    """The emulator members the harness sets; 400 for a name the set does not have."""
    if not members:
        return {}
    hidden = entity_set.type.hidden | harness_members(entity_set)
    for name in members:
        if name not in hidden:
            raise bad_request(f"'{name}' is not an emulator member of {entity_set.name}.")
    return dict(members)


def harness_members(entity_set: EntitySet) -> frozenset[str]:
    """Members only the harness sets besides the emulator's: a folder-scoped record's folder,
    and the read-only members the set lets it set (`harness_writable`)."""
    folder = {entity_set.folder_member} if entity_set.folder_scoped else set()
    return frozenset(folder) | entity_set.harness_writable


def _check_stored(entity_set: EntitySet, record: Record) -> None:
    """400 naming the problem when a stored record would break the set's type."""
    found = entity_set.problem(record)
    if found is not None:
        path, text = found
        where = ".".join(str(part) for part in path)
        raise bad_request(f"{where}: {text}" if where else text)
