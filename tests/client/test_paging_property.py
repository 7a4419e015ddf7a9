"""Property: `machines.iter` returns every machine exactly once, whatever the page size."""

from __future__ import annotations

import json
from typing import Any

import requests
import responses
from hypothesis import given, settings

from tests.client.fakes import MACHINES_URL, FakeClock, add_tokens, list_body, machine, make_client
from tests.client.strategies import machine_counts, page_sizes


def serve_pages(machines: list[dict[str, Any]]) -> Any:
    """A `responses` callback answering `$top`/`$skip` from `machines`, like Orchestrator."""

    def respond(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        query = request.params  # type: ignore[attr-defined]  # added by responses
        skip, top = int(query.get("$skip", 0)), int(query.get("$top", 1000))
        page = list_body(machines[skip : skip + top], count=len(machines))
        return 200, {"Content-Type": "application/json"}, json.dumps(page)

    return respond


@settings(deadline=None)
@given(count=machine_counts, page_size=page_sizes)
def test_iter_yields_every_machine_exactly_once(count: int, page_size: int) -> None:
    """For 0..250 machines and page sizes 1..100, `iter` yields each machine once, in order."""
    machines = [machine(machine_id) for machine_id in range(1, count + 1)]
    with responses.RequestsMock() as rsps:
        add_tokens(rsps)
        rsps.add_callback(responses.GET, MACHINES_URL, callback=serve_pages(machines))
        with make_client(clock=FakeClock(), sleeps=[]) as uipath:
            assert list(uipath.machines.iter(page_size=page_size)) == machines
        assert len(rsps.calls) == 1 + count // page_size + 1
