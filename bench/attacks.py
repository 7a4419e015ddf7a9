"""The hardening review's attacks, re-run against a `uipath-mock` child process on 127.0.0.1.

`python -m bench.attacks` prints one line per attack with the figure the review asked for:
lost PATCHes under concurrency, 5xx from forged tokens, the control plane under a foreign
`Host`, a probe's latency beside 200 idle connections, RSS after 1,000 long-path requests and
after 300 large create/delete cycles, temp-directory growth from two 1,000 MiB bodies, and the
time of a 100,000-parenthesis `$filter`. Bounded in count and time; every server is stopped.
"""

import base64
import json
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from bench.common import (
    MACHINES_PATH,
    Request,
    fetch_token,
    free_port,
    machines_request,
    rss_mib,
    send,
    token_request,
    uipath_mock_command,
)
from bench.procs import Server, serving

Report = Callable[[str, str], None]


def _json_request(method: str, path: str, token: str, body: object) -> Request:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return Request(method, method, path, headers, json.dumps(body).encode())


def lost_patches(server: Server, token: str, rounds: int = 150) -> str:
    """6 threads patch other members of machine 1 while one patches `Description`."""
    acknowledged: list[str] = []
    stop = threading.Event()
    path = f"{MACHINES_PATH}(1)"

    def describe() -> None:
        for n in range(rounds):
            body = {"Description": f"d{n}"}
            answer = send(server.port, _json_request("PATCH", path, token, body))
            if answer.status == 200:
                acknowledged.append(f"d{n}")
        stop.set()

    def others(slots: str) -> None:
        n = 0
        while not stop.is_set():
            send(server.port, _json_request("PATCH", path, token, {slots: n % 5}))
            n += 1

    members = ["UnattendedSlots", "HeadlessSlots", "NonProductionSlots", "TestAutomationSlots"]
    members += ["HostingSlots", "AppTestSlots"]
    threads = [threading.Thread(target=others, args=(m,)) for m in members]
    threads.append(threading.Thread(target=describe))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    final = json.loads(send(server.port, machines_request(token)).body)["value"][0]["Description"]
    lost = 0 if final == acknowledged[-1] else 1
    return f"{lost} lost of {len(acknowledged)} acknowledged Description PATCHes (final {final!r})"


def forged_tokens(server: Server) -> str:
    """Forged JWT headers and payloads: how many answers are 5xx."""
    headers = [
        {"alg": "RS256", "kid": None},
        {"alg": "RS256", "kid": 123},
        {"alg": "RS\r\n256"},
        {"alg": "RS256\u20ac"},
        {"alg": "\u0100"},
        {"alg": "none"},
        {"alg": "HS256", "kid": "x"},
        {"alg": None},
        [],
        "x",
    ]
    statuses = []
    for header in headers:
        for claims in ({}, {"exp": "NaN"}, [], {"scope": [{"a": 1}]}):
            parts = [json.dumps(header).encode(), json.dumps(claims).encode(), b"sig"]
            forged = ".".join(base64.urlsafe_b64encode(p).rstrip(b"=").decode() for p in parts)
            statuses.append(send(server.port, machines_request(forged)).status)
    server_errors = sum(1 for status in statuses if status >= 500)
    return f"{server_errors} 5xx in {len(statuses)} forged tokens (all {sorted(set(statuses))})"


def foreign_host(server: Server) -> str:
    """The control plane reached with `Host: evil.example` and a matching Origin."""
    headers = {"Host": "evil.example", "Origin": "http://evil.example"}
    answers = [
        send(server.port, Request("reset", "POST", "/_emulator/reset", headers)).status,
        send(server.port, Request("state", "GET", "/_emulator/state", headers)).status,
    ]
    return f"POST reset -> {answers[0]}, GET state -> {answers[1]}"


def idle_connections(server: Server) -> str:
    """A probe's latency while 200 idle keep-alive connections are open."""
    idle = []
    try:
        for _ in range(200):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            sock.recv(65536)
            idle.append(sock)
        started = time.perf_counter()
        status = send(server.port, Request("health", "GET", "/_emulator/health"), 30).status
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        for sock in idle:
            sock.close()
    return f"probe {status} in {elapsed:.1f} ms with 200 idle connections open"


def long_paths(server: Server, token: str) -> str:
    """RSS after 1,000 requests with 250 kB paths, and the size of `/_emulator/requests`."""
    before = rss_mib(server.process.pid) or 0.0
    path = MACHINES_PATH + "/" + "x" * 250_000
    for _ in range(1000):
        send(server.port, Request("long", "GET", path, {"Authorization": f"Bearer {token}"}))
    after = rss_mib(server.process.pid) or 0.0
    started = time.perf_counter()
    journal = send(server.port, Request("journal", "GET", "/_emulator/requests"))
    seconds = time.perf_counter() - started
    return (
        f"RSS {before:.0f} -> {after:.0f} MiB; /_emulator/requests {len(journal.body) / 1e6:.1f}"
        f" MB in {seconds:.2f} s"
    )


def create_delete_cycles(server: Server, token: str) -> str:
    """RSS after 300 cycles of creating, listing and deleting 20 large machines."""
    send(server.port, Request("reset", "POST", "/_emulator/reset"))
    before = rss_mib(server.process.pid) or 0.0
    listing = machines_request(token, "$top=1000")
    for cycle in range(300):
        ids = []
        for n in range(20):
            body = {
                "Name": f"big-{cycle}-{n}",
                "Description": "d" * 500,
                "Tags": [{"Name": f"t{i}", "Value": "v" * 200} for i in range(20)],
            }
            answer = send(server.port, _json_request("POST", MACHINES_PATH, token, body))
            ids.append(json.loads(answer.body)["Id"])
        send(server.port, listing)
        bulk = f"{MACHINES_PATH}/UiPath.Server.Configuration.OData.DeleteBulk"
        send(server.port, _json_request("POST", bulk, token, {"machineIds": ids}))
    send(server.port, Request("reset", "POST", "/_emulator/reset"))
    after = rss_mib(server.process.pid) or 0.0
    return f"RSS {before:.0f} -> {after:.0f} MiB after 300 cycles of 20 large machines"


def big_bodies(server: Server, temp_dir: Path) -> str:
    """Two concurrent 1,000 MiB bodies: answers, time, and the temp directory's growth."""

    def used() -> int:
        return sum(p.stat().st_size for p in temp_dir.rglob("*") if p.is_file())

    before = used()
    answers: list[bytes] = []

    def upload() -> None:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        try:
            sock.sendall(
                f"POST {MACHINES_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                f"application/json\r\nContent-Length: {1000 * 1024 * 1024}\r\n\r\n".encode()
            )
            chunk = b"x" * (1024 * 1024)
            try:
                for _ in range(1000):
                    sock.sendall(chunk)
            except OSError:
                pass  # the server answered and closed: what a refused body looks like
            answers.append(sock.recv(65536).split(b"\r\n", 1)[0])
        finally:
            sock.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    peak = before
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, used())
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    growth = (peak - before) / 1024 / 1024
    return f"{[a.decode() for a in answers]} in {seconds:.2f} s; temp dir grew {growth:.1f} MiB"


def deep_parentheses(server: Server, token: str) -> str:
    """A `$filter` of 100,000 nested parentheses: status and time."""
    text = "(" * 100_000 + "Id eq 1" + ")" * 100_000
    started = time.perf_counter()
    answer = send(server.port, machines_request(token, f"$filter={quote(text, safe='()')}"))
    return f"{answer.status} in {(time.perf_counter() - started) * 1000:.1f} ms"


def main() -> None:
    """Run every attack against one fresh server (restarted where state matters)."""
    with tempfile.TemporaryDirectory(prefix="attacks-") as temp:
        temp_dir = Path(temp)
        port = free_port()
        command = [*uipath_mock_command(), "--port", str(port)]
        env = {"TMPDIR": str(temp_dir), "TMP": str(temp_dir), "TEMP": str(temp_dir)}
        with serving("uipath-mock", command, port, token_request(), extra_env=env) as server:
            token, _ = fetch_token(port)
            for name, attack in [
                ("lost PATCHes", lambda: lost_patches(server, token)),
                ("forged tokens", lambda: forged_tokens(server)),
                ("foreign Host", lambda: foreign_host(server)),
                ("200 idle connections", lambda: idle_connections(server)),
                ("1,000 long paths", lambda: long_paths(server, token)),
                ("300 create/delete cycles", lambda: create_delete_cycles(server, token)),
                ("two 1,000 MiB bodies", lambda: big_bodies(server, temp_dir)),
                ("100,000 parentheses", lambda: deep_parentheses(server, token)),
            ]:
                print(f"{name}: {attack()}", flush=True)
    print(f"pid {os.getpid()} done")


if __name__ == "__main__":
    main()
