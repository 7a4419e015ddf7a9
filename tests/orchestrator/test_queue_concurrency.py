"""Eight robots draining one queue of 1,000 items at once: each item is handed out once.

In-process (eight Flask test clients on the WSGI app, one per thread) and through a real
server on the loopback interface (`uipath_server`, one `requests` session per thread).
"""

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import requests
from flask.testing import FlaskClient

from tests.identity.helpers import TOKEN_PATH, credentials_form
from tests.orchestrator.helpers import bearer, token_for
from tests.orchestrator.queue_paths import BULK, DEFINITIONS, ITEMS, START, result_path
from tests.orchestrator.queue_paths import FINANCE_FOLDER as FOLDER
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import FINANCE_ROBOT, FULL

QUEUE_NAME = "ConcurrentQueue"
ITEM_COUNT = 1_000
WORKERS = 8
JOIN_SECONDS = 120.0

Post = Callable[[str, dict[str, Any]], tuple[int, Any]]
"""POST a JSON body to a path with the robot's token and the folder; the status and JSON."""


def _drain(post: Post, taken: list[int], failures: list[str]) -> None:
    """Take transactions until the queue answers 204, completing each one successfully."""
    while True:
        status, body = post(START, {"transactionData": {"Name": QUEUE_NAME}})
        if status == 204:
            return
        if status != 200 or body.get("Status") != "InProgress":
            failures.append(f"StartTransaction: {status} {body}")
            return
        taken.append(body["Id"])
        status, _ = post(result_path(body["Id"]), {"transactionResult": {"IsSuccessful": True}})
        if status != 200:
            failures.append(f"SetTransactionResult({body['Id']}): {status}")
            return


def _run_workers(posts: list[Post]) -> list[list[int]]:
    """Run `_drain` on one thread per poster, all released at once; the ids each one took."""
    barrier = threading.Barrier(len(posts), timeout=JOIN_SECONDS)
    taken: list[list[int]] = [[] for _ in posts]
    failures: list[str] = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            _drain(posts[index], taken[index], failures)
        except Exception as error:  # any error fails the test below, with its text
            failures.append(f"worker {index}: {error!r}")

    threads = [
        threading.Thread(target=work, args=(index,), daemon=True) for index in range(len(posts))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_SECONDS)
    assert not [thread.name for thread in threads if thread.is_alive()], "workers still running"
    assert not failures, failures[:5]
    return taken


def _assert_each_item_once(taken: list[list[int]], seeded: set[int]) -> None:
    handed = Counter(item_id for ids in taken for item_id in ids)
    assert [item_id for item_id, times in handed.items() if times > 1] == []
    assert set(handed) == seeded
    assert sum(1 for ids in taken if ids) > 1, "one worker took every item"


def _seed(post_app: Callable[[str, dict[str, Any]], tuple[int, Any]]) -> None:
    status, body = post_app(DEFINITIONS, {"Name": QUEUE_NAME, "MaxNumberOfRetries": 1})
    assert status == 201, body
    items = [{"Reference": f"C-{number:04d}", "Priority": "Normal"} for number in range(ITEM_COUNT)]
    body = {"queueName": QUEUE_NAME, "commitType": "AllOrNothing", "queueItems": items}
    status, answer = post_app(BULK, body)
    assert (status, answer["Success"]) == (200, True), answer


def _flask_post(http: FlaskClient, token: str) -> Post:
    def post(path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = http.post(path, json=body, headers={**bearer(token), **FOLDER})
        return response.status_code, response.get_json(silent=True)

    return post


def _statuses(get: Callable[[str], Any]) -> tuple[set[int], Counter[str]]:
    """The ids and the counts per Status of the queue's items (read in pages)."""
    ids: set[int] = set()
    statuses: Counter[str] = Counter()
    skip = 0
    while True:
        query = f"$filter=QueueDefinitionName eq '{QUEUE_NAME}'&$orderby=Id&$top=500&$skip={skip}"
        page = get(f"{ITEMS}?{query}")["value"]
        ids.update(row["Id"] for row in page)
        statuses.update(row["Status"] for row in page)
        if len(page) < 500:
            return ids, statuses
        skip += 500


def test_eight_robots_in_process_take_each_item_once() -> None:
    """Eight threads on the WSGI app: every item is handed out once and ends Successful."""
    emulator = Emulator()
    admin = emulator.app.test_client()
    app_token = token_for(admin, FULL)
    _seed(_flask_post(admin, app_token))

    def get(path: str) -> Any:
        response = admin.get(path, headers=bearer(app_token))
        assert response.status_code == 200, response.data
        return response.get_json()

    seeded, before = _statuses(get)
    assert before == {"New": ITEM_COUNT}
    clients = [emulator.app.test_client() for _ in range(WORKERS)]
    posts = [_flask_post(http, token_for(http, FINANCE_ROBOT)) for http in clients]
    taken = _run_workers(posts)
    _assert_each_item_once(taken, seeded)
    assert _statuses(get) == (seeded, Counter({"Successful": ITEM_COUNT}))


def _session_post(session: requests.Session, base_url: str, token: str) -> Post:
    def post(path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = session.post(
            base_url + path, json=body, headers={**bearer(token), **FOLDER}, timeout=30
        )
        return response.status_code, response.json() if response.content else None

    return post


def _server_token(session: requests.Session, base_url: str, form: dict[str, str]) -> str:
    response = session.post(base_url + TOKEN_PATH, data=form, timeout=30)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_eight_robots_over_http_take_each_item_once(uipath_server: EmulatorServer) -> None:
    """Eight threads with their own sessions on the loopback server: each item handed once."""
    base_url = uipath_server.base_url
    sessions = [requests.Session() for _ in range(WORKERS + 1)]
    try:
        admin = sessions[0]
        app_token = _server_token(admin, base_url, credentials_form(FULL))
        _seed(_session_post(admin, base_url, app_token))

        def get(path: str) -> Any:
            response = admin.get(base_url + path, headers=bearer(app_token), timeout=30)
            assert response.status_code == 200, response.text
            return response.json()

        seeded, _ = _statuses(get)
        robot_form = credentials_form(FINANCE_ROBOT)
        posts = [
            _session_post(session, base_url, _server_token(session, base_url, robot_form))
            for session in sessions[1:]
        ]
        taken = _run_workers(posts)
        _assert_each_item_once(taken, seeded)
        assert _statuses(get) == (seeded, Counter({"Successful": ITEM_COUNT}))
    finally:
        for session in sessions:
            session.close()
