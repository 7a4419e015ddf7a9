"""`python -m uipath_emulator.contract_tests.compare A B`: field-level differences between
two `--record` folders.

Values are not compared (a real tenant holds other machines than the emulator); what is
compared is what a client depends on: which requests were made, the statuses, the recorded
headers after normalisation, and the shape of each body (keys present, JSON types).
"""

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any


def json_type(value: Any) -> str:
    """The JSON type name of a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def shape_differences(left: Any, right: Any, where: str = "body") -> Iterator[str]:
    """Missing or extra keys and type changes between two JSON values, recursively.

    The items of an array are compared as one merged shape, so lists of different
    lengths holding the same kind of item do not differ.
    """
    left_type, right_type = json_type(left), json_type(right)
    if left_type != right_type:
        yield f"{where}: type {left_type} in A, {right_type} in B"
        return
    if left_type == "object":
        for key in left.keys() - right.keys():
            yield f"{where}.{key}: only in A"
        for key in right.keys() - left.keys():
            yield f"{where}.{key}: only in B"
        for key in left.keys() & right.keys():
            yield from shape_differences(left[key], right[key], f"{where}.{key}")
    elif left_type == "array" and left and right:
        yield from shape_differences(_merged(left), _merged(right), f"{where}[]")


def _merged(items: list[Any]) -> Any:
    objects = [item for item in items if isinstance(item, dict)]
    if len(objects) != len(items):
        return items[0]
    merged: dict[str, Any] = {}
    for item in objects:
        for key, value in item.items():
            if key not in merged or merged[key] is None:
                merged[key] = value
    return merged


def record_differences(left: dict[str, Any], right: dict[str, Any]) -> Iterator[str]:
    """Differences between two recorded responses."""
    if left["request"] != right["request"]:
        yield f"request: {left['request']} in A, {right['request']} in B"
    if left["status"] != right["status"]:
        yield f"status: {left['status']} in A, {right['status']} in B"
    for name in sorted(left["headers"].keys() | right["headers"].keys()):
        a, b = left["headers"].get(name), right["headers"].get(name)
        if a != b:
            yield f"header {name}: {a!r} in A, {b!r} in B"
    yield from shape_differences(left["body"], right["body"])


def folder_differences(a: Path, b: Path) -> Iterator[str]:
    """Every difference between two record folders, one line each."""
    left = {p.relative_to(a) for p in a.rglob("*.json")}
    right = {p.relative_to(b) for p in b.rglob("*.json")}
    for path in sorted(left - right):
        yield f"{path}: only in A"
    for path in sorted(right - left):
        yield f"{path}: only in B"
    for path in sorted(left & right):
        a_record = json.loads((a / path).read_text(encoding="utf-8"))
        b_record = json.loads((b / path).read_text(encoding="utf-8"))
        for difference in record_differences(a_record, b_record):
            yield f"{path}: {difference}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the differences; exit 0 when there are none, 1 when there are, 2 on bad usage."""
    parser = argparse.ArgumentParser(
        prog="python -m uipath_emulator.contract_tests.compare", description=__doc__
    )
    parser.add_argument("a", type=Path, help="first record folder (e.g. the emulator's)")
    parser.add_argument("b", type=Path, help="second record folder (e.g. the cloud's)")
    args = parser.parse_args(argv)
    for folder in (args.a, args.b):
        if not folder.is_dir():
            print(f"compare: error: {folder} is not a folder", file=sys.stderr)
            return 2
    differences = list(folder_differences(args.a, args.b))
    for line in differences:
        print(line)
    total = len(list(args.a.rglob("*.json")))
    print(f"{len(differences)} differences in {total} recorded responses of A")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
