"""A tenant's records, one store per entity set, written in tenant-wide atomic transactions.

Readers never lock: each store's records are a sequence that is never changed once published
(every commit builds a new one and swaps it in, with a fresh dict for values derived from it),
and stored records are never mutated. Writers take the tenant's lock for the whole
read-merge-validate-write (`Tenant.write()`), so an update never writes back a value read
before another update committed, and an action touching several sets commits all or nothing.

A commit is first handed to the tenant's `committer` (persistence: it must make the change
durable or raise), and only then applied: a change that could not be saved is never seen.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from uipath_emulator.mock_server.world.blocks import RecordBlocks
from uipath_emulator.mock_server.world.bulk import collector_paused

Record = dict[str, Any]

MAX_ID = 2**63 - 1
"""Ids are int64, as in Orchestrator."""


class UniqueConstraint(Protocol):
    """Members no two records share: `key(record)` is the compared value, None for no clash."""

    members: tuple[str, ...]

    def key(self, record: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The record's value of the constraint."""


BucketKey = Callable[[Record], Hashable | None]
"""A bucket index: the bucket a record belongs to (None: in none)."""


class StoreSpec(Protocol):
    """What a store needs to know of its entity set."""

    name: str
    key: str
    unique: tuple[Any, ...]
    buckets: Mapping[str, BucketKey]
    counted: str | None
    """A member whose values the store counts (records per folder), if any."""


class RecordNotFoundError(LookupError):
    """No record with this key in the set."""

    def __init__(self, entity_set: str, key: Any) -> None:
        super().__init__(f"{entity_set}: no record with key {key!r}")
        self.entity_set = entity_set
        self.key = key


class UniqueViolationError(ValueError):
    """Another record of the set already has these values of a unique constraint."""

    def __init__(self, entity_set: str, constraint: Any, record: Mapping[str, Any]) -> None:
        super().__init__(f"{entity_set}: {constraint.members} already used")
        self.entity_set = entity_set
        self.constraint = constraint
        self.record = record


class IdsExhaustedError(ValueError):
    """The set has handed out every int64 id."""


@dataclass(frozen=True)
class Change:
    """One change of a commit: a record stored whole (`put`), or a key deleted."""

    entity_set: str
    put: Record | None = None
    delete: Any = None


@dataclass(frozen=True)
class Commit:
    """What a transaction changed in one tenant, in order, and the sets' next ids after it."""

    organization_id: str
    tenant_id: str
    changes: tuple[Change, ...]
    next_ids: Mapping[str, int] = field(default_factory=dict)


Committer = Callable[[Commit], None]


class EntityStore:
    """The records of one entity set in one tenant, ordered by key."""

    def __init__(
        self, spec: StoreSpec, records: Sequence[Record] = (), next_id: int | None = None
    ) -> None:
        self.spec = spec
        key = spec.key
        ordered = sorted(records, key=lambda record: record[key])
        self._current: tuple[RecordBlocks, dict[Any, Any]] = (RecordBlocks.of(ordered, key), {})
        self._by_key: dict[Any, Record] = {record[key]: record for record in ordered}
        self._unique: list[dict[tuple[Any, ...], Any]] = []
        for constraint in spec.unique:
            index: dict[tuple[Any, ...], Any] = {}
            for record in ordered:
                value = constraint.key(record)
                if value is not None:
                    index[value] = record[key]
            self._unique.append(index)
        self._buckets: dict[str, dict[Hashable, dict[Any, Record]]] = {
            name: {} for name in spec.buckets
        }
        self._counts: Counter[Any] = Counter()
        for record in ordered:
            self._bucket(record)
        highest = ordered[-1][key] if ordered and isinstance(ordered[-1][key], int) else 0
        self._next_id = max(next_id or 0, highest + 1)
        self._record_cache: dict[Any, tuple[Record, Any]] = {}
        self.revision = 0
        """How many commits changed this store."""

    @property
    def name(self) -> str:
        """The entity set's name."""
        return self.spec.name

    @property
    def next_id(self) -> int:
        """The id the next created record will get."""
        return self._next_id

    def snapshot(self) -> Sequence[Record]:
        """Every record, by ascending key; the sequence never changes once returned."""
        return self._current[0]

    def view(self) -> tuple[Sequence[Record], dict[Any, Any]]:
        """The current records, and a dict for values derived from exactly those records.

        Both are replaced together on every commit, so whatever a reader stores in the dict
        (e.g. a serialised listing) is never served for other records, and goes with them.
        """
        return self._current

    def __len__(self) -> int:
        return len(self._current[0])

    def get(self, key: Any) -> Record:
        """The record with this key; raises `RecordNotFoundError`."""
        try:
            return self._by_key[key]
        except (KeyError, TypeError):
            raise RecordNotFoundError(self.name, key) from None

    def find(self, constraint_index: int, value: tuple[Any, ...]) -> Record | None:
        """The record holding `value` for the set's `constraint_index`-th unique constraint."""
        holder = self._unique[constraint_index].get(value)
        return None if holder is None else self._by_key.get(holder)

    def bucket(self, index: str, value: Hashable) -> dict[Any, Record]:
        """The records in bucket `value` of index `index`, by key (read under the tenant's
        lock: writers change it in place)."""
        return self._buckets[index].get(value, {})

    def count(self, value: Any) -> int:
        """How many records hold `value` in the set's counted member (read under the tenant's
        lock, with `view()`, for a count that matches the records)."""
        return self._counts[value]

    def _bucket(self, record: Record) -> None:
        counted = self.spec.counted
        if counted is not None:
            self._counts[record.get(counted)] += 1
        key = record[self.spec.key]
        for name, compute in self.spec.buckets.items():
            value = compute(record)
            if value is not None:
                self._buckets[name].setdefault(value, {})[key] = record

    def _unbucket(self, record: Record) -> None:
        counted = self.spec.counted
        if counted is not None:
            self._counts[record.get(counted)] -= 1
        key = record[self.spec.key]
        for name, compute in self.spec.buckets.items():
            value = compute(record)
            if value is None:
                continue
            members = self._buckets[name].get(value)
            if members is not None:
                members.pop(key, None)
                if not members:
                    del self._buckets[name][value]

    def derived(self, record: Record, compute: Callable[[Record], Any]) -> Any:
        """`compute(record)`, kept while `record` is the stored version of its key.

        A value cached for a record is dropped when the record is replaced or deleted, so the
        cache never holds more than one entry per live record.
        """
        key = record[self.spec.key]
        entry = self._record_cache.get(key)
        if entry is not None and entry[0] is record:
            return entry[1]
        value = compute(record)
        if self._by_key.get(key) is record:
            self._record_cache[key] = (record, value)
        return value

    def _apply(self, puts: Mapping[Any, Record], deletes: set[Any], next_id: int) -> None:
        """Publish a committed change (the tenant's lock is held)."""
        for record_key in deletes:
            old = self._by_key.pop(record_key, None)
            self._record_cache.pop(record_key, None)
            if old is not None:
                self._unindex(old)
        for record_key, record in puts.items():
            old = self._by_key.get(record_key)
            if old is not None:
                self._unindex(old)
            self._by_key[record_key] = record
            self._bucket(record)
            self._record_cache.pop(record_key, None)
            for constraint, index in zip(self.spec.unique, self._unique, strict=True):
                value = constraint.key(record)
                if value is not None:
                    index[value] = record_key
        self._current = (self._current[0].changed(puts, deletes), {})
        self._next_id = next_id
        self.revision += 1

    def _unindex(self, record: Record) -> None:
        self._unbucket(record)
        record_key = record[self.spec.key]
        for constraint, index in zip(self.spec.unique, self._unique, strict=True):
            value = constraint.key(record)
            if value is not None and index.get(value) == record_key:
                del index[value]

    def __repr__(self) -> str:
        return f"<EntityStore {self.name}: {len(self)} records, next id {self._next_id}>"


class TenantWrite:
    """A transaction over a tenant's stores; see `TenantStores.write()`.

    Reads through it see its own pending changes. Unique constraints are checked as changes
    are made, against the stores and the pending changes together.
    """

    def __init__(self, stores: TenantStores) -> None:
        self._stores = stores
        self._puts: dict[str, dict[Any, Record]] = {}
        self._deletes: dict[str, set[Any]] = {}
        self._next_ids: dict[str, int] = {}
        self._order: list[Change] = []

    def get(self, entity_set: str, key: Any) -> Record:
        """The record as this transaction sees it; raises `RecordNotFoundError`."""
        pending = self._puts.get(entity_set, {})
        if key in pending:
            return pending[key]
        if key in self._deletes.get(entity_set, set()):
            raise RecordNotFoundError(entity_set, key)
        return self._stores[entity_set].get(key)

    @property
    def stores(self) -> TenantStores:
        """The tenant's stores this transaction writes to (for their names and sets)."""
        return self._stores

    def records(self, entity_set: str) -> list[Record]:
        """Every record of the set as this transaction sees it, by key."""
        store = self._stores[entity_set]
        pending = self._puts.get(entity_set, {})
        deleted = self._deletes.get(entity_set, set())
        key = store.spec.key
        merged = [r for r in store.snapshot() if r[key] not in pending and r[key] not in deleted]
        merged.extend(pending.values())
        return sorted(merged, key=lambda record: record[key])

    def bucket(self, entity_set: str, index: str, value: Hashable) -> list[Record]:
        """The records in bucket `value` of the set's index `index`, as this transaction sees
        them (its own changes included), by key."""
        store = self._stores[entity_set]
        compute = store.spec.buckets[index]
        key = store.spec.key
        pending = self._puts.get(entity_set, {})
        deleted = self._deletes.get(entity_set, set())
        found = {
            record_key: record
            for record_key, record in store.bucket(index, value).items()
            if record_key not in pending and record_key not in deleted
        }
        for record_key, record in pending.items():
            if compute(record) == value:
                found[record_key] = record
        return sorted(found.values(), key=lambda record: record[key])

    def new_id(self, entity_set: str) -> int:
        """The next id of the set, for a record this transaction creates."""
        store = self._stores[entity_set]
        next_id = self._next_ids.get(entity_set, store.next_id)
        if next_id > MAX_ID:
            raise IdsExhaustedError(f"every int64 id of {entity_set} is used")
        self._next_ids[entity_set] = next_id + 1
        return next_id

    def put(self, entity_set: str, record: Record) -> Record:
        """Store `record` (new, or replacing the one with its key); returns it."""
        store = self._stores[entity_set]
        key = record[store.spec.key]
        for position, constraint in enumerate(store.spec.unique):
            value = constraint.key(record)
            if value is None:
                continue
            holder = self._holder(entity_set, position, value, constraint)
            if holder is not None and holder != key:
                raise UniqueViolationError(entity_set, constraint, record)
        self._deletes.get(entity_set, set()).discard(key)
        self._puts.setdefault(entity_set, {})[key] = record
        self._order.append(Change(entity_set, put=record))
        return record

    def delete(self, entity_set: str, key: Any) -> Record:
        """Delete the record with this key; returns it. Raises `RecordNotFoundError`."""
        record = self.get(entity_set, key)
        self._puts.get(entity_set, {}).pop(key, None)
        self._deletes.setdefault(entity_set, set()).add(key)
        self._order.append(Change(entity_set, delete=key))
        return record

    def _holder(self, entity_set: str, position: int, value: Any, constraint: Any) -> Any:
        store = self._stores[entity_set]
        key_name = store.spec.key
        for pending in self._puts.get(entity_set, {}).values():
            if constraint.key(pending) == value:
                return pending[key_name]
        stored = store.find(position, value)
        if stored is None:
            return None
        stored_key = stored[key_name]
        if stored_key in self._deletes.get(entity_set, set()):
            return None
        if stored_key in self._puts.get(entity_set, {}):
            return None  # replaced in this transaction by a record checked above
        return stored_key

    @property
    def changed(self) -> bool:
        """Whether the transaction holds any change."""
        return bool(self._order) or bool(self._next_ids)

    def _commit(self) -> Commit | None:
        if not self.changed:
            return None
        stores = self._stores
        return Commit(
            stores.organization_id, stores.tenant_id, tuple(self._order), dict(self._next_ids)
        )

    def _publish(self) -> None:
        touched = set(self._puts) | set(self._deletes) | set(self._next_ids)
        for name in touched:
            store = self._stores[name]
            store._apply(
                self._puts.get(name, {}),
                self._deletes.get(name, set()),
                self._next_ids.get(name, store.next_id),
            )


class TenantStores:
    """The stores of one tenant, one per entity set, and the lock its writers share.

    A store given as a builder (`pending`) is built on first use: a world loaded from a
    document this process already built once (the default world, `reset()`) costs nothing
    for the sets a test never touches.
    """

    def __init__(
        self,
        organization_id: str,
        tenant_id: str,
        stores: Mapping[str, EntityStore],
        pending: Mapping[str, Callable[[], EntityStore]] | None = None,
    ) -> None:
        self.organization_id = organization_id
        self.tenant_id = tenant_id
        self._stores = dict(stores)
        self._pending = dict(pending or {})
        self._names = (*self._stores, *self._pending)
        self.lock = threading.RLock()
        self.committer: Committer | None = None
        """Called with each commit before it is published; raising rolls it back."""

    def __getitem__(self, entity_set: str) -> EntityStore:
        store = self._stores.get(entity_set)
        if store is None:
            return self._build(entity_set)
        return store

    def _build(self, entity_set: str) -> EntityStore:
        if entity_set not in self._names:
            raise KeyError(entity_set)
        with self.lock:
            store = self._stores.get(entity_set)
            if store is None:
                with collector_paused():
                    store = self._pending[entity_set]()
                self._stores[entity_set] = store
                del self._pending[entity_set]  # the document goes once every set is built
            return store

    def __contains__(self, entity_set: object) -> bool:
        return entity_set in self._names

    def __iter__(self) -> Iterator[EntityStore]:
        return iter([self[name] for name in self._names])

    def names(self) -> list[str]:
        """The entity sets held, in registration order."""
        return list(self._names)

    @contextmanager
    def write(self) -> Iterator[TenantWrite]:
        """A transaction: changes made through it are committed together when the block ends.

        An exception inside the block, or from the committer, leaves every store unchanged.
        """
        with self.lock:
            transaction = TenantWrite(self)
            yield transaction
            commit = transaction._commit()
            if commit is None:
                return
            if self.committer is not None:
                self.committer(commit)
            transaction._publish()

    def revision(self) -> int:
        """The total number of commits of every store (one not built yet has none)."""
        return sum(store.revision for store in list(self._stores.values()))

    def retire(self) -> None:
        """Refuse every later commit: the world these stores belong to was replaced."""
        self.committer = _retired


def _retired(commit: Commit) -> None:
    raise RetiredError("the world was reset or replaced while this request ran; try again")


class RetiredError(RuntimeError):
    """A commit to the stores of a world that has since been replaced (`reset`, `load`)."""
