"""The harness's handle on one entity set of one tenant: add, read, change, remove records.

What the API would do, with its validation, but without a token: `Emulator.entities(...)`
returns one, and `/_emulator/entities/{org}/{tenant}/{set}` serves the same over HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from uipath_emulator.mock_server.orchestrator.entities import crud
from uipath_emulator.mock_server.orchestrator.entities.registry import EntitySet, Record
from uipath_emulator.mock_server.orchestrator.errors import ApiError
from uipath_emulator.mock_server.orchestrator.lookup import tenant_named
from uipath_emulator.mock_server.world.store import TenantStores

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator


class EntityHandle:
    """One entity set of one tenant of an emulator; raises `ApiError` as the API would answer."""

    def __init__(self, emulator: Emulator, organization: str, tenant: str, entity_set: str) -> None:
        found = emulator.registry.get(entity_set)
        if found is None:
            known = ", ".join(declared.name for declared in emulator.registry)
            raise ApiError(404, f"No entity set named '{entity_set}' is emulated (sets: {known}).")
        self.entity_set: EntitySet = found
        self._emulator = emulator
        self._organization = organization
        self._tenant = tenant

    @property
    def stores(self) -> TenantStores:
        """The tenant's stores (looked up on each use: a reset replaces them)."""
        _, tenant = tenant_named(self._emulator.world, self._organization, self._tenant)
        return tenant.entities

    def _current(self) -> TenantStores:
        """The tenant's stores, the set's records brought to the emulator clock's now."""
        stores = self.stores
        if self.entity_set.refresh is not None:
            self.entity_set.refresh(stores, self._emulator.clock.now())
        return stores

    def list(
        self, skip: int = 0, top: int | None = None, *, reveal_secrets: bool = False
    ) -> Sequence[Record]:
        """The records by key, `top` of them from `skip` (all without `top`); secret members
        (an asset's stored password) masked unless `reveal_secrets`."""
        records = self._current()[self.entity_set.name].snapshot()
        stop = None if top is None else skip + top
        return [self._shown(record, reveal_secrets) for record in records[skip:stop]]

    def count(self) -> int:
        """How many records the set holds in this tenant."""
        return len(self._current()[self.entity_set.name])

    def get(self, key: Any, *, reveal_secrets: bool = False) -> Record:
        """The record with this key (404 `ApiError` otherwise), secrets masked unless
        `reveal_secrets`."""
        return self._shown(crud.get(self._current(), self.entity_set, key), reveal_secrets)

    def _shown(self, record: Record, reveal_secrets: bool = False) -> Record:
        return record if reveal_secrets else self.entity_set.masked(record)

    def add(self, fields: Mapping[str, Any]) -> Record:
        """Create a record from API-style fields (validated, next id); returns it.

        The set's emulator members (a folder's `Access`, the folder of a folder-scoped
        record) may be given too.
        """
        body, hidden = self._split(fields)
        return self._shown(crud.create(self.stores, self.entity_set, body, emulator_members=hidden))

    def update(self, key: Any, fields: Mapping[str, Any]) -> Record:
        """Change the given members of a record (as PATCH does); returns the new record."""
        body, hidden = self._split(fields)
        changed = crud.patch(self.stores, self.entity_set, key, body, emulator_members=hidden)
        return self._shown(changed)

    def _split(self, fields: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        hidden = self.entity_set.type.hidden | crud.harness_members(self.entity_set)
        body = {name: value for name, value in fields.items() if name not in hidden}
        return body, {name: value for name, value in fields.items() if name in hidden}

    def remove(self, key: Any) -> None:
        """Delete the record with this key (404 `ApiError` otherwise)."""
        crud.delete(self.stores, self.entity_set, [key])

    def __repr__(self) -> str:
        return f"<EntityHandle {self._organization}/{self._tenant}/{self.entity_set.name}>"
