"""World documents with N machines in acme/DefaultTenant, built from the default world."""

import copy
import json
from pathlib import Path
from typing import Any

from uipath_emulator.mock_server.resources import default_world_path
from uipath_emulator.mock_server.world.files import read_world_document


def _rich_machines(count: int, templates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of the default world's machines (tags, robot versions, policies) under new ids."""
    machines = []
    for number in range(1, count + 1):
        machine = copy.deepcopy(templates[(number - 1) % len(templates)])
        machine["Id"] = number
        machine["Name"] = f"machine-{number:06d}"
        machine["Key"] = f"00000000-0000-4000-8000-{number:012d}"
        for version in machine.get("RobotVersions") or []:
            version["MachineId"] = number
        machines.append(machine)
    return machines


def _lean_machines(count: int) -> list[dict[str, Any]]:
    """Small records (the rest comes from the defaults), so a 100k world loads in seconds."""
    return [
        {
            "Id": number,
            "Name": f"machine-{number:06d}",
            "Type": "Template" if number % 5 == 0 else "Standard",
            "Description": f"bench machine {number}",
            "UnattendedSlots": number % 4,
            "Key": f"00000000-0000-4000-8000-{number:012d}",
        }
        for number in range(1, count + 1)
    ]


BENCH_ASSETS = 50
SHARED_FOLDER_ID = 1


def bench_assets(count: int = BENCH_ASSETS) -> list[dict[str, Any]]:
    """`count` assets of `Shared`: Text, Integer and Bool in turn, each with a description."""
    kinds = (
        ("Text", "StringValue", "value-{n}"),
        ("Integer", "IntValue", 0),
        ("Bool", "BoolValue", 0),
    )
    assets = []
    for number in range(1, count + 1):
        kind, member, value = kinds[number % len(kinds)]
        typed = value.format(n=number) if isinstance(value, str) else number
        assets.append(
            {
                "Id": number,
                "Key": f"00000000-0000-4000-9000-{number:012d}",
                "Name": f"asset-{number:04d}",
                "ValueScope": "Global",
                "ValueType": kind,
                member: bool(number % 2) if kind == "Bool" else typed,
                "Description": f"bench asset {number}",
                "OrganizationUnitId": SHARED_FOLDER_ID,
            }
        )
    return assets


def world_document(machines: int, *, rich: bool) -> dict[str, Any]:
    """The default world with exactly `machines` machines, and the 50 bench assets in `Shared`,
    in acme/DefaultTenant."""
    document = read_world_document(default_world_path())
    tenant = document["organizations"][0]["tenants"][0]
    templates = tenant["entities"].get("Machines") or [{"Name": "template"}]
    tenant["entities"]["Machines"] = (
        _rich_machines(machines, templates) if rich else _lean_machines(machines)
    )
    tenant["entities"]["Assets"] = bench_assets()
    tenant.pop("next_ids", None)
    return document


def write_world(directory: Path, machines: int, *, rich: bool) -> Path:
    """Write `world_document(machines)` to a file in `directory`; returns its path."""
    path = directory / f"world-{machines}-{'rich' if rich else 'lean'}.json"
    path.write_text(json.dumps(world_document(machines, rich=rich)), encoding="utf-8")
    return path


QUEUE = "DemoQueue"
QUEUE_ID = 2
WAITING_ITEMS = 300


def queue_world(finished: int, waiting: int = WAITING_ITEMS) -> dict[str, Any]:
    """The default world with `finished` Successful and `waiting` New items in `DemoQueue`."""
    document = read_world_document(default_world_path())
    tenant = document["organizations"][0]["tenants"][0]
    tenant["entities"]["QueueItems"] = [
        {
            "QueueDefinitionId": QUEUE_ID,
            "Status": "Successful" if number <= finished else "New",
            "Reference": f"R-{number:06d}",
            "SpecificContent": {"Number": number},
            "OrganizationUnitId": SHARED_FOLDER_ID,
            "Key": f"00000000-0000-4000-a000-{number:012d}",
            "Id": number,
        }
        for number in range(1, finished + waiting + 1)
    ]
    tenant.pop("next_ids", None)
    return document


HELLO_WORLD_RELEASE_ID = 2
"""The well-known `HelloWorld` process, in `Shared`."""


def jobs_world(ended: int) -> dict[str, Any]:
    """The default world with `ended` Successful jobs of `HelloWorld` in `Shared`."""
    document = read_world_document(default_world_path())
    tenant = document["organizations"][0]["tenants"][0]
    tenant["entities"]["Jobs"] = [
        {
            "Key": f"00000000-0000-4000-b000-{number:012d}",
            "State": "Successful",
            "ReleaseName": "HelloWorld",
            "ReleaseId": HELLO_WORLD_RELEASE_ID,
            "InputArguments": '{"Name":"Ada"}',
            "OutputArguments": '{"Greeting":"Hello, Ada"}',
            "CreationTime": "2026-01-05T10:13:20.0000000Z",
            "StartTime": "2026-01-05T10:13:21.0000000Z",
            "EndTime": "2026-01-05T10:13:26.0000000Z",
            "OrganizationUnitId": SHARED_FOLDER_ID,
            "Id": number,
        }
        for number in range(1, ended + 1)
    ]
    tenant.pop("next_ids", None)
    return document
