"""A tenant's machines: complete records in wire order, unique names, increasing int64 ids."""

import copy
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from uipath_emulator.mock_server.world.collation import string_key

MachineRecord = dict[str, Any]

_SLOT_FIELDS = (
    "NonProductionSlots",
    "UnattendedSlots",
    "HeadlessSlots",
    "TestAutomationSlots",
    "HostingSlots",
    "AppTestSlots",
    "PerformanceTestSlots",
    "AutomationCloudSlots",
    "AutomationCloudTestAutomationSlots",
)

# Wire order of a machine as the cloud sends it, with the value a new machine gets.
MACHINE_DEFAULTS: dict[str, Any] = {
    "LicenseKey": None,
    "Name": None,
    "Description": None,
    "Type": "Standard",
    "Scope": "Default",
    **dict.fromkeys(_SLOT_FIELDS, 0),
    "Key": None,
    "EndpointDetectionStatus": "NotAvailable",
    "AutomationType": "Any",
    "TargetFramework": "Any",
    "ServerlessLicensingModel": None,
    "ClientSecret": None,
    "Id": None,
    "RobotVersions": [],
    "RobotUsers": [],
    "UpdatePolicy": None,
    "Tags": [],
    "MaintenanceWindow": None,
    "VpnSettings": None,
}

OPTIONAL_FIELDS = ("UpdateInfo",)
"""Members the cloud omits when they have no value (absent in both captured list responses)."""


def complete_record(fields: Mapping[str, Any], machine_id: int, key: str) -> MachineRecord:
    """A full machine record in wire order: `fields` over the defaults, with this id and key."""
    record: MachineRecord = {}
    for name, default in MACHINE_DEFAULTS.items():
        value = fields.get(name, default)
        record[name] = copy.deepcopy(value) if isinstance(value, list | dict) else value
    record["Id"] = machine_id
    record["Key"] = key
    record["ClientSecret"] = None
    for name in OPTIONAL_FIELDS:
        if fields.get(name) is not None:
            record[name] = copy.deepcopy(fields[name])
    return record


MAX_MACHINE_ID = 2**63 - 1
"""Ids are int64, as in Orchestrator."""


class MachineIdsExhaustedError(ValueError):
    """The tenant has handed out every int64 id."""


class MachineNotFoundError(LookupError):
    """No machine with this id in the tenant."""

    def __init__(self, machine_id: int) -> None:
        super().__init__(f"machine {machine_id} does not exist")
        self.machine_id = machine_id


class MachineNameTakenError(ValueError):
    """Another machine of the tenant already has this name (names compare case-insensitively)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"machine name {name!r} is already used")
        self.name = name


class MachineStore:
    """A tenant's machines, safe to share between request threads.

    Readers get the current snapshot without locking: every write builds a new list and swaps
    it in, and records are never mutated after they are stored, so a list being paged or
    filtered by one request never changes under it.
    """

    def __init__(self, records: Iterable[MachineRecord] = (), next_id: int | None = None) -> None:
        ordered = sorted(records, key=lambda record: record["Id"])
        self._lock = threading.Lock()
        self._current: tuple[list[MachineRecord], dict[Any, Any]] = (ordered, {})
        self._by_id = {record["Id"]: record for record in ordered}
        self._names = {string_key(record["Name"]): record["Id"] for record in ordered}
        highest = ordered[-1]["Id"] if ordered else 0
        self._next_id = max(next_id or 0, highest + 1)
        self.revision = 0
        """How many writes the store has taken; persistence saves only when it moves."""
        self._record_cache: dict[int, tuple[MachineRecord, Any]] = {}

    @property
    def next_id(self) -> int:
        """The id the next created machine will get."""
        return self._next_id

    def snapshot(self) -> Sequence[MachineRecord]:
        """Every machine, by ascending id; the sequence never changes once returned."""
        return self._current[0]

    def view(self) -> tuple[Sequence[MachineRecord], dict[Any, Any]]:
        """The current machines, and a dict for values derived from exactly those machines.

        Both are replaced together on every write, so whatever a reader stores in the dict
        (e.g. a serialised listing) is never served for other machines, and goes with them.
        """
        return self._current

    def __len__(self) -> int:
        return len(self._current[0])

    def derived(self, record: MachineRecord, compute: Callable[[MachineRecord], Any]) -> Any:
        """`compute(record)`, kept while `record` is the stored version of its machine.

        A value cached for a machine is dropped when the machine is replaced or deleted, so
        the cache never holds more than one entry per live machine.
        """
        entry = self._record_cache.get(record["Id"])
        if entry is not None and entry[0] is record:
            return entry[1]
        value = compute(record)
        if self._by_id.get(record["Id"]) is record:
            self._record_cache[record["Id"]] = (record, value)
        return value

    def get(self, machine_id: int) -> MachineRecord:
        """The machine with this id; raises `MachineNotFoundError`."""
        try:
            return self._by_id[machine_id]
        except KeyError:
            raise MachineNotFoundError(machine_id) from None

    def create(self, fields: Mapping[str, Any]) -> MachineRecord:
        """Store a new machine with the next id and a fresh key; returns the stored record."""
        with self._lock:
            if self._next_id > MAX_MACHINE_ID:
                raise MachineIdsExhaustedError("every int64 machine id of the tenant is used")
            self._claim_name(fields["Name"], None)
            record = complete_record(fields, self._next_id, str(uuid.uuid4()))
            self._next_id += 1
            self._by_id[record["Id"]] = record
            self._names[string_key(record["Name"])] = record["Id"]
            self._current = ([*self._current[0], record], {})
            self.revision += 1
            return record

    def replace(self, machine_id: int, fields: Mapping[str, Any]) -> MachineRecord:
        """Give machine `machine_id` these fields (id and key kept); returns the new record."""
        return self.update(machine_id, lambda _current: fields)

    def update(
        self, machine_id: int, change: Callable[[MachineRecord], Mapping[str, Any]]
    ) -> MachineRecord:
        """Replace machine `machine_id` by `change(current record)`, atomically.

        The read, `change` (which merges and validates) and the write happen under the
        store's lock, so a concurrent update never writes back a value read before another
        update committed. `change` raising leaves the machine as it was.
        """
        with self._lock:
            current = self.get(machine_id)
            fields = change(current)
            self._claim_name(fields["Name"], machine_id)
            record = complete_record(fields, machine_id, current["Key"])
            del self._names[string_key(current["Name"])]
            self._names[string_key(record["Name"])] = machine_id
            self._by_id[machine_id] = record
            self._record_cache.pop(machine_id, None)
            records = [record if r["Id"] == machine_id else r for r in self._current[0]]
            self._current = (records, {})
            self.revision += 1
            return record

    def delete(self, machine_ids: Iterable[int]) -> None:
        """Remove these machines, all or none: raises `MachineNotFoundError` for a missing one."""
        with self._lock:
            doomed = set(machine_ids)
            for machine_id in doomed:
                self.get(machine_id)
            for machine_id in doomed:
                record = self._by_id.pop(machine_id)
                self._record_cache.pop(machine_id, None)
                del self._names[string_key(record["Name"])]
            self._current = ([r for r in self._current[0] if r["Id"] not in doomed], {})
            self.revision += 1

    def _claim_name(self, name: str, machine_id: int | None) -> None:
        holder = self._names.get(string_key(name))
        if holder is not None and holder != machine_id:
            raise MachineNameTakenError(name)

    def __repr__(self) -> str:
        return f"<MachineStore {len(self)} machines, next id {self._next_id}>"
