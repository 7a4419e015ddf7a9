"""Queue items under random sequences of queue calls, checked against a model written here.

The model (`QueueModel`) knows only the rules of orchestrator-core-facts section 3: which item
`StartTransaction` hands out next (priority, then the earliest `DueDate`, none last, then the
oldest; a `DeferDate` still ahead waits), what a result does (retries per `MaxNumberOfRetries`
and `AcceptAutomaticallyRetry`, a `BusinessException` never retried), unique references, soft
deletes, and abandonment after 24 h in progress, applied when a queue action next touches the
queue, even when the action itself is then refused (a duplicate reference, a result for an item
that is no longer in progress); a refused call changes nothing else. It does not import the
product's queue code.
"""

import dataclasses
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from flask.testing import FlaskClient
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from werkzeug.test import TestResponse

from tests.orchestrator.helpers import bearer, token_for
from tests.orchestrator.queue_paths import (
    ADD,
    DEFINITIONS,
    ITEMS,
    START,
    progress_path,
    result_path,
)
from tests.orchestrator.queue_paths import FINANCE_FOLDER as FOLDER
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import FINANCE_ROBOT, FULL

QUEUE_NAME = "ModelQueue"
RUN_STARTS_AT = datetime(2030, 1, 1, tzinfo=UTC).timestamp()
DAY = 24 * 3600
PRIORITY_ORDER = ("High", "Normal", "Low")
FINAL = frozenset({"Successful", "Failed", "Retried", "Deleted", "Abandoned"})
NOT_COUNTED_FOR_UNIQUENESS = frozenset({"Deleted", "Retried"})
REFERENCES = ("REF-A", "ref-a", "REF-B", "REF-C")
"""A small pool, with a case variant: unique references compare case-insensitively."""
OFFSETS = (-3600.0, -0.5, 0.0, 0.5, 60.0, 3600.0, DAY - 1.0, DAY, 2.0 * DAY)
"""Seconds from the emulator's now for DeferDate and DueDate (a half second tests the ticks)."""
DATE_STYLES = ("Z", "+02:00", "-05:30", "naive")
ADVANCES = (1.0, 60.0, 3600.0, 12.0 * 3600, DAY - 1.0, DAY, DAY + 1.0, 3.0 * DAY)
REFERENCE_FILTERS = (None, None, None, ("REF-A", "Equals"), ("ref", "StartsWith"))
EXCEPTIONS = ("ApplicationException", "BusinessException", None)

RUNS = settings(max_examples=40, stateful_step_count=35, deadline=None)


def client_date(moment: float, style: str) -> str:
    """`moment` as a client may send it: UTC with `Z`, with an offset, or naive (UTC)."""
    whole = int(moment // 1)
    ticks = round((moment - whole) * 10_000_000)
    fraction = f".{ticks:07d}" if ticks else ""
    if style in ("Z", "naive"):
        text = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{text}{fraction}{'Z' if style == 'Z' else ''}"
    sign = 1 if style[0] == "+" else -1
    hours, minutes = int(style[1:3]), int(style[4:6])
    zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    text = datetime.fromtimestamp(whole, zone).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}{fraction}{style}"


def wire_date(moment: float | None) -> str | None:
    """The instant as Orchestrator writes it back: UTC, seven fractional digits, `Z`."""
    if moment is None:
        return None
    whole = int(moment // 1)
    ticks = round((moment - whole) * 10_000_000)
    return f"{datetime.fromtimestamp(whole, UTC):%Y-%m-%dT%H:%M:%S}.{ticks:07d}Z"


@dataclasses.dataclass(frozen=True)
class QueueRules:
    """The settings of the queue a run drives."""

    max_retries: int
    auto_retry: bool
    unique: bool
    retry_abandoned: bool


@dataclasses.dataclass
class Item:
    """The model's queue item; `id` and `key` are learnt from the emulator's answers."""

    order: int
    priority: str
    reference: str | None
    due: float | None
    defer: float | None
    retry_number: int = 0
    ancestor: "Item | None" = None
    status: str = "New"
    progress: str | None = None
    started_at: float | None = None
    exception: str | None = None
    id: int | None = None
    key: str | None = None


class QueueModel:
    """What the emulator should hold for one queue, after each call."""

    def __init__(self, rules: QueueRules) -> None:
        self.rules = rules
        self.items: list[Item] = []
        self.handed_out: set[int] = set()

    def create(
        self,
        priority: str,
        reference: str | None,
        due: float | None,
        defer: float | None,
    ) -> Item:
        """A new `New` item, the youngest of the queue."""
        item = Item(len(self.items), priority, reference, due, defer)
        self.items.append(item)
        return item

    def retry(self, item: Item) -> Item:
        """The `New` copy of `item` (same Key, reference, priority and dates; one retry more)."""
        copy = self.create(item.priority, item.reference, item.due, item.defer)
        copy.retry_number = item.retry_number + 1
        copy.ancestor = item
        copy.key = item.key
        return copy

    def duplicate(self, reference: str | None) -> bool:
        """Whether adding `reference` is refused: a live item of a unique queue has it."""
        if reference is None or not self.rules.unique:
            return False
        wanted = reference.casefold()
        return any(
            item.reference is not None
            and item.reference.casefold() == wanted
            and item.status not in NOT_COUNTED_FOR_UNIQUENESS
            for item in self.items
        )

    def stale(self, item: Item, now: float) -> bool:
        """Whether `item` has been in progress for 24 hours (abandoned at the next touch)."""
        return (
            item.status == "InProgress"
            and item.started_at is not None
            and now - item.started_at >= DAY
        )

    def touch(self, now: float) -> None:
        """A queue action reached the queue: stale items are abandoned (and maybe retried)."""
        for item in [item for item in self.items if self.stale(item, now)]:
            item.status = "Abandoned"
            if self.rules.retry_abandoned and item.retry_number < self.rules.max_retries:
                self.retry(item)

    def next_item(self, now: float, reference_filter: tuple[str, str] | None) -> Item | None:
        """The item StartTransaction hands out now, if any."""
        eligible = [
            item
            for item in self.items
            if item.status == "New"
            and (item.defer is None or item.defer <= now)
            and _matches(item.reference, reference_filter)
        ]
        if not eligible:
            return None
        return min(
            eligible,
            key=lambda item: (
                PRIORITY_ORDER.index(item.priority),
                item.due is None,
                item.due or 0.0,
                item.order,
            ),
        )

    def finish(self, item: Item, successful: bool, exception: str | None) -> None:
        """A result for an item in progress: Successful, Failed, or Retried with a copy."""
        if successful:
            item.status = "Successful"
            return
        item.exception = exception
        retried = (
            exception == "ApplicationException"
            and self.rules.auto_retry
            and item.retry_number < self.rules.max_retries
        )
        item.status = "Retried" if retried else "Failed"
        if retried:
            self.retry(item)


def _matches(reference: str | None, reference_filter: tuple[str, str] | None) -> bool:
    if reference_filter is None:
        return True
    wanted, option = reference_filter
    own = (reference or "").casefold()
    if option == "StartsWith":
        return own.startswith(wanted.casefold())
    return own == wanted.casefold()


class QueueMachine(RuleBasedStateMachine):
    """Random queue calls on one fresh queue of a fresh emulator, each checked by the model."""

    def __init__(self) -> None:
        super().__init__()
        self.emulator = Emulator()
        self.emulator.clock.freeze()
        self.emulator.clock.set(RUN_STARTS_AT)
        self.http: FlaskClient = self.emulator.app.test_client()
        self.app_token = ""
        self.robot_token = ""
        self._new_tokens()
        self.model = QueueModel(QueueRules(0, False, False, False))
        self.queue_id = 0
        self.rows: dict[int, dict[str, Any]] = {}
        self.others: list[tuple[int, str]] = []

    # -- plumbing ---------------------------------------------------------------------------

    def _new_tokens(self) -> None:
        self.app_token = token_for(self.http, FULL)
        self.robot_token = token_for(self.http, FINANCE_ROBOT)

    def _post(self, path: str, body: Any, *, robot: bool = True) -> TestResponse:
        token = self.robot_token if robot else self.app_token
        return self.http.post(path, json=body, headers={**bearer(token), **FOLDER})

    def _list(self, query: str) -> list[dict[str, Any]]:
        response = self.http.get(f"{ITEMS}?{query}", headers=bearer(self.app_token))
        assert response.status_code == 200, response.data
        body = response.get_json()
        assert body["@odata.count"] == len(body["value"]), "more items than one page"
        return list(body["value"])

    @property
    def now(self) -> float:
        """The emulator's (frozen) clock."""
        return self.emulator.clock.now()

    def _observe(self) -> None:
        """Read the queue's items; bind the model's retry copies to the emulator's ids."""
        rows = self._list(f"$filter=QueueDefinitionId eq {self.queue_id}&$orderby=Id")
        self.rows = {row["Id"]: row for row in rows}
        for item in self.model.items:
            if item.id is not None:
                continue
            assert item.ancestor is not None
            assert item.ancestor.id is not None
            copies = [row for row in rows if row["AncestorId"] == item.ancestor.id]
            assert len(copies) == 1, (item.ancestor.id, copies)
            item.id = copies[0]["Id"]

    def _target(self, data: st.DataObject, prefer: str) -> Item | None:
        """An item of the model, most often one with Status `prefer` (None when there is none)."""
        candidates = list(self.model.items)
        preferred = [item for item in candidates if item.status == prefer]
        if preferred and data.draw(st.integers(0, 3), label="aim") > 0:
            candidates = preferred
        return data.draw(st.sampled_from(candidates)) if candidates else None

    def _date(self, data: st.DataObject, label: str) -> tuple[float | None, str | None]:
        offset = data.draw(st.none() | st.sampled_from(OFFSETS), label=f"{label} offset")
        if offset is None:
            return None, None
        style = data.draw(st.sampled_from(DATE_STYLES), label=f"{label} style")
        moment = self.now + offset
        return moment, client_date(moment, style)

    # -- rules ------------------------------------------------------------------------------

    @initialize(
        max_retries=st.sampled_from((1, 2, 0)),
        auto_retry=st.sampled_from((True, True, False)),
        unique=st.booleans(),
        retry_abandoned=st.sampled_from((True, False)),
    )
    def create_queue(
        self, max_retries: int, auto_retry: bool, unique: bool, retry_abandoned: bool
    ) -> None:
        """A queue of its own in Finance, with these retry and uniqueness settings."""
        rules = QueueRules(max_retries, auto_retry, unique, retry_abandoned)
        body = {
            "Name": QUEUE_NAME,
            "MaxNumberOfRetries": max_retries,
            "AcceptAutomaticallyRetry": auto_retry,
            "EnforceUniqueReference": unique,
            "RetryAbandonedItems": retry_abandoned,
        }
        response = self._post(DEFINITIONS, body, robot=False)
        assert response.status_code == 201, response.data
        self.queue_id = response.get_json()["Id"]
        self.model = QueueModel(rules)
        self.others = sorted(
            (row["Id"], row["Status"])
            for row in self._list(f"$filter=QueueDefinitionId ne {self.queue_id}")
        )
        self._observe()

    @rule(data=st.data(), count=st.integers(1, 3))
    def add(self, data: st.DataObject, count: int) -> None:
        """AddQueueItem, `count` times: 201 and a New item, or 409/1016 for a live duplicate
        reference on a unique queue."""
        for _ in range(count):
            self._add_one(data)
        self._observe()

    def _add_one(self, data: st.DataObject) -> None:
        priority = data.draw(st.sampled_from((*PRIORITY_ORDER, None)), label="Priority")
        reference = data.draw(st.none() | st.sampled_from(REFERENCES), label="Reference")
        due, due_text = self._date(data, "DueDate")
        defer, defer_text = self._date(data, "DeferDate")
        item_data: dict[str, Any] = {"Name": QUEUE_NAME, "SpecificContent": {"n": 1}}
        for member, value in (
            ("Priority", priority),
            ("Reference", reference),
            ("DueDate", due_text),
            ("DeferDate", defer_text),
        ):
            if value is not None:
                item_data[member] = value
        response = self._post(ADD, {"itemData": item_data}, robot=False)
        self.model.touch(self.now)
        if self.model.duplicate(reference):
            self._refused(response, 409, 1016)
            return
        assert response.status_code == 201, response.data
        item = self.model.create(priority or "Normal", reference, due, defer)
        body = response.get_json()
        item.id, item.key = body["Id"], body["Key"]
        assert body["Status"] == "New"

    @rule(
        reference_filter=st.sampled_from(REFERENCE_FILTERS),
        as_robot=st.sampled_from((True, True, True, False)),
    )
    def start(self, reference_filter: tuple[str, str] | None, as_robot: bool) -> None:
        """StartTransaction as the robot: exactly the item the model picks, or 204; with an
        app's token: 204 whatever waits (the queue is still touched)."""
        transaction: dict[str, Any] = {"Name": QUEUE_NAME}
        if reference_filter is not None:
            transaction["Reference"], transaction["ReferenceFilterOption"] = reference_filter
        response = self._post(START, {"transactionData": transaction}, robot=as_robot)
        self.model.touch(self.now)
        expected = self.model.next_item(self.now, reference_filter) if as_robot else None
        if expected is None:
            assert (response.status_code, response.data) == (204, b""), response.data
        else:
            assert response.status_code == 200, response.data
            self._handed(expected, response.get_json())
        self._observe()

    @rule(reference=st.none() | st.sampled_from(REFERENCES))
    def start_new(self, reference: str | None) -> None:
        """StartTransaction with SpecificContent: a new item, in progress at once (or 409)."""
        transaction: dict[str, Any] = {"Name": QUEUE_NAME, "SpecificContent": {"made": "here"}}
        if reference is not None:
            transaction["Reference"] = reference
        response = self._post(START, {"transactionData": transaction})
        self.model.touch(self.now)
        if self.model.duplicate(reference):
            self._refused(response, 409, 1016)
        else:
            assert response.status_code == 200, response.data
            item = self.model.create("Normal", reference, None, None)
            body = response.get_json()
            item.id, item.key = body["Id"], body["Key"]
            self._handed(item, body)
        self._observe()

    @precondition(lambda self: bool(self.model.items))
    @rule(data=st.data())
    def progress(self, data: st.DataObject) -> None:
        """SetTransactionProgress: 200 while in progress, 400 otherwise."""
        item = self._target(data, "InProgress")
        if item is None:
            return
        text = f"step {len(self.model.items)}"
        path = progress_path(item.id)
        response = self._post(path, {"progress": text})
        self.model.touch(self.now)
        if item.status == "InProgress":
            assert (response.status_code, response.data) == (200, b""), response.data
            item.progress = text
        else:
            self._refused(response, 400)
        self._observe()

    @precondition(lambda self: bool(self.model.items))
    @rule(
        data=st.data(),
        successful=st.sampled_from((False, True)),
        exception=st.sampled_from(EXCEPTIONS),
    )
    def result(self, data: st.DataObject, successful: bool, exception: str | None) -> None:
        """SetTransactionResult: final states, retries per the queue; 400 on New, 409 final."""
        item = self._target(data, "InProgress")
        if item is None:
            return
        outcome: dict[str, Any] = {"IsSuccessful": successful}
        if exception is not None:
            outcome["ProcessingException"] = {"Reason": "model", "Type": exception}
        defer = None
        if not successful:
            defer, defer_text = self._date(data, "result DeferDate")
            if defer_text is not None:
                outcome["DeferDate"] = defer_text
        path = result_path(item.id)
        response = self._post(path, {"transactionResult": outcome})
        self.model.touch(self.now)
        if item.status == "InProgress":
            assert (response.status_code, response.data) == (200, b""), response.data
            if defer is not None:
                item.defer = defer
            self.model.finish(item, successful, None if successful else exception)
        elif item.status in FINAL:
            self._refused(response, 409)
        else:
            self._refused(response, 400)
        self._observe()

    @precondition(lambda self: bool(self.model.items))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        """DELETE QueueItems(id): 204 and a soft `Deleted` while New, else 400 (no touch)."""
        item = self._target(data, "New")
        assert item is not None
        response = self.http.delete(
            f"{ITEMS}({item.id})", headers={**bearer(self.app_token), **FOLDER}
        )
        if item.status == "New":
            assert response.status_code == 204, response.data
            item.status = "Deleted"
        else:
            self._refused(response, 400)
        self._observe()

    @rule(seconds=st.sampled_from(ADVANCES))
    def advance(self, seconds: float) -> None:
        """Emulator time moves on (tokens are renewed); nothing changes until a queue action."""
        self.emulator.clock.advance(seconds)
        self._new_tokens()
        self._observe()

    def _refused(self, response: TestResponse, status: int, code: int | None = None) -> None:
        assert response.status_code == status, response.data
        if code is not None:
            assert response.get_json()["errorCode"] == code, response.data

    def _handed(self, item: Item, body: dict[str, Any]) -> None:
        """`body` is `item` handed to finance-robot now, and no item is handed out twice."""
        if item.id is None:  # a retry copy made by this very call
            assert item.ancestor is not None
            assert body["AncestorId"] == item.ancestor.id, (body, item)
            item.id = body["Id"]
        assert body["Id"] == item.id, (body, item)
        assert body["Id"] not in self.model.handed_out, f"item {body['Id']} handed out twice"
        assert (body["Status"], body["Robot"]["Name"]) == ("InProgress", "finance-robot")
        self.model.handed_out.add(item.id)
        item.status = "InProgress"
        item.started_at = self.now

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def items_are_the_model_s(self) -> None:
        """Every item of the queue is the model's, with its status, retry chain and dates."""
        expected = {item.id: item for item in self.model.items}
        assert set(self.rows) == set(expected)
        for item_id, row in self.rows.items():
            item = expected[item_id]
            assert item.ancestor is None or item.ancestor.id is not None
            seen = {
                "Status": row["Status"],
                "RetryNumber": row["RetryNumber"],
                "AncestorId": row["AncestorId"],
                "Key": row["Key"],
                "Reference": row["Reference"],
                "Priority": row["Priority"],
                "DueDate": row["DueDate"],
                "DeferDate": row["DeferDate"],
                "Progress": row["Progress"],
                "ProcessingExceptionType": row["ProcessingExceptionType"],
            }
            assert seen == {
                "Status": item.status,
                "RetryNumber": item.retry_number,
                "AncestorId": item.ancestor.id if item.ancestor else None,
                "Key": item.key,
                "Reference": item.reference,
                "Priority": item.priority,
                "DueDate": wire_date(item.due),
                "DeferDate": wire_date(item.defer),
                "Progress": item.progress,
                "ProcessingExceptionType": item.exception,
            }, item

    @invariant()
    def status_counts_add_up(self) -> None:
        """The counts per Status of the queue's listing are the model's."""
        listed = Counter(row["Status"] for row in self.rows.values())
        assert listed == Counter(item.status for item in self.model.items)

    @invariant()
    def nothing_in_progress_twice(self) -> None:
        """Each item in progress was handed out, once, and is bound to finance-robot."""
        for row in self.rows.values():
            if row["Status"] == "InProgress":
                assert row["Id"] in self.model.handed_out
                assert row["StartProcessing"] is not None

    @invariant()
    def retry_chains_follow_the_queue(self) -> None:
        """A copy's ancestor shares its Key, was retried (never for a BusinessException) or
        abandoned, and no chain outgrows MaxNumberOfRetries."""
        rules = self.model.rules
        for row in self.rows.values():
            ancestor_id = row["AncestorId"]
            if ancestor_id is None:
                assert row["RetryNumber"] == 0
                continue
            ancestor = self.rows[ancestor_id]
            assert row["Key"] == ancestor["Key"]
            assert row["RetryNumber"] == ancestor["RetryNumber"] + 1 <= rules.max_retries
            if ancestor["Status"] == "Retried":
                assert rules.auto_retry
                assert ancestor["ProcessingExceptionType"] == "ApplicationException"
            else:
                assert ancestor["Status"] == "Abandoned"
                assert rules.retry_abandoned
        for row in self.rows.values():
            if row["ProcessingExceptionType"] == "BusinessException":
                assert row["Status"] == "Failed"

    @invariant()
    def unique_references_hold(self) -> None:
        """On a unique queue, one live retry chain (Key) at most per reference."""
        if not self.model.rules.unique:
            return
        keys: dict[str, set[str]] = {}
        for row in self.rows.values():
            if row["Reference"] is not None and row["Status"] not in NOT_COUNTED_FOR_UNIQUENESS:
                keys.setdefault(row["Reference"].casefold(), set()).add(row["Key"])
        assert all(len(chains) == 1 for chains in keys.values()), keys

    def teardown(self) -> None:
        """At the end of a run, the world's other queue items keep their statuses (checked
        once, not per step: each listing costs as much as a step)."""
        if not self.queue_id:
            return
        rows = self._list(f"$filter=QueueDefinitionId ne {self.queue_id}")
        assert sorted((row["Id"], row["Status"]) for row in rows) == self.others


def test_queue_items_follow_the_model() -> None:
    """Random add/start/progress/result/delete/clock sequences leave the queue as modelled."""
    run_state_machine_as_test(QueueMachine, settings=RUNS)


def _stale_item(emulator: Emulator, http: FlaskClient) -> tuple[int, int, str]:
    """A queue that retries abandoned items, with one item in progress for 24 h; the queue's
    id, the item's id and a robot token valid now."""
    emulator.clock.freeze()
    emulator.clock.set(RUN_STARTS_AT)
    app = bearer(token_for(http, FULL))
    queue = {
        "Name": QUEUE_NAME,
        "MaxNumberOfRetries": 1,
        "AcceptAutomaticallyRetry": True,
        "RetryAbandonedItems": True,
    }
    created = http.post(DEFINITIONS, json=queue, headers={**app, **FOLDER})
    assert created.status_code == 201, created.data
    added = http.post(ADD, json={"itemData": {"Name": QUEUE_NAME}}, headers={**app, **FOLDER})
    assert added.status_code == 201, added.data
    robot = token_for(http, FINANCE_ROBOT)
    body = {"transactionData": {"Name": QUEUE_NAME}}
    started = http.post(START, json=body, headers={**bearer(robot), **FOLDER})
    assert started.status_code == 200, started.data
    emulator.clock.advance(DAY)
    return created.get_json()["Id"], started.get_json()["Id"], token_for(http, FINANCE_ROBOT)


def _chain(http: FlaskClient, queue_id: int) -> list[tuple[str, int | None]]:
    query = f"$filter=QueueDefinitionId eq {queue_id}&$orderby=Id"
    response = http.get(f"{ITEMS}?{query}", headers=bearer(token_for(http, FULL)))
    return [(row["Status"], row["AncestorId"]) for row in response.get_json()["value"]]


def test_result_on_a_stale_item_abandons_it(emulator: Emulator, http: FlaskClient) -> None:
    """SetTransactionResult 24 h after the start: 409, and the item is Abandoned and retried."""
    queue_id, item_id, robot = _stale_item(emulator, http)
    path = result_path(item_id)
    body = {"transactionResult": {"IsSuccessful": True}}
    response = http.post(path, json=body, headers={**bearer(robot), **FOLDER})
    assert response.status_code == 409, response.data
    assert "Abandoned" in response.get_json()["message"]
    assert _chain(http, queue_id) == [("Abandoned", None), ("New", item_id)]


def test_progress_on_a_stale_item_abandons_it(emulator: Emulator, http: FlaskClient) -> None:
    """SetTransactionProgress 24 h after the start: 400, and the item is Abandoned and retried."""
    queue_id, item_id, robot = _stale_item(emulator, http)
    path = progress_path(item_id)
    response = http.post(path, json={"progress": "late"}, headers={**bearer(robot), **FOLDER})
    assert response.status_code == 400, response.data
    assert "Abandoned" in response.get_json()["message"]
    assert _chain(http, queue_id) == [("Abandoned", None), ("New", item_id)]


def test_a_stale_item_is_abandoned_by_the_next_start(emulator: Emulator, http: FlaskClient) -> None:
    """After 24 h, StartTransaction abandons the item and hands out its retry copy at once."""
    queue_id, item_id, robot = _stale_item(emulator, http)
    body = {"transactionData": {"Name": QUEUE_NAME}}
    response = http.post(START, json=body, headers={**bearer(robot), **FOLDER})
    assert response.status_code == 200, response.data
    assert (response.get_json()["AncestorId"], response.get_json()["RetryNumber"]) == (item_id, 1)
    assert _chain(http, queue_id) == [("Abandoned", None), ("InProgress", item_id)]
