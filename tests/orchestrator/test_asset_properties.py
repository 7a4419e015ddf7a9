"""Properties of folder-scoped asset queries: random assets in random folders, then OData
queries in one folder answer what plain Python computes over that folder's assets, and no
answer ever carries a stored password or secret.

The reference below spells out the documented semantics on its own: names compare ignoring
case, ties of `$orderby` keep `Id` ascending, the default order is `Id`, and
`@odata.count` counts every match before `$skip`/`$top`.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.orchestrator.folder_helpers import (
    ASSETS,
    CREDENTIAL_PASSWORD,
    FINANCE,
    FOLDER_KEYS,
    FOLDER_PATHS,
    GET_FILTERED,
    HR,
    INVOICES,
    SECRET_VALUE,
    SHARED,
    asset_body,
    folder_call,
    robot_asset,
)
from tests.orchestrator.helpers import token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.folders.headers import (
    FOLDER_ID,
    FOLDER_KEY,
    FOLDER_PATH,
    FOLDER_PATH_ENCODED,
    encode_folder_path,
)
from uipath_emulator.mock_server.well_known import FINANCE_ROBOT_KEY

INT32 = st.integers(-(2**31), 2**31 - 1)
SMALL_INT = st.integers(-3, 6)
NAME = st.text(alphabet="abAB", min_size=1, max_size=2)
"""Short names: they clash across folders and differ only in case."""
SECRET = st.text(alphabet="0123456789abcdef", min_size=10, max_size=10)
VALUE_TYPES = ("Text", "Bool", "Integer", "Credential", "Secret")
Predicate = Callable[["Asset"], bool]
RELATIONS: dict[str, Callable[[int, int], bool]] = {
    name: getattr(operator, name) for name in ("eq", "ne", "gt", "ge", "lt", "le")
}
"""The OData comparison operators, as Python's."""


@dataclass(frozen=True)
class Asset:
    """What the reference knows of a stored asset."""

    id: int
    folder: int
    name: str
    value_type: str
    int_value: int
    secret: str | None = None


WELL_KNOWN = (
    Asset(1, SHARED, "ApiBaseUrl", "Text", 0),
    Asset(2, SHARED, "MaxRetries", "Integer", 3),
    Asset(3, SHARED, "FeatureEnabled", "Bool", 0),
    Asset(4, SHARED, "ServiceAccount", "Credential", 0, CREDENTIAL_PASSWORD),
    Asset(5, SHARED, "ApiKey", "Secret", 0, SECRET_VALUE),
    Asset(6, FINANCE, "InvoiceApprovalLimit", "Integer", 5000),
)


@dataclass(frozen=True)
class NewAsset:
    """An asset a test creates: its folder, name and the members of its value."""

    folder: int
    name: str
    value_type: str
    members: dict[str, Any]

    @property
    def secret(self) -> str | None:
        """The password or secret value it stores, if any."""
        return self.members.get("CredentialPassword") or self.members.get("SecretValue")


@st.composite
def new_assets(draw: st.DrawFn) -> NewAsset:
    """A valid asset of a random value type in a random folder."""
    folder = draw(st.sampled_from(list(FOLDER_PATHS)))
    name = draw(NAME)
    value_type = draw(st.sampled_from(VALUE_TYPES))
    members: dict[str, Any]
    if value_type == "Text":
        members = {"StringValue": draw(st.text(alphabet="xyz019", max_size=6))}
    elif value_type == "Bool":
        members = {"BoolValue": draw(st.booleans())}
    elif value_type == "Integer":
        members = {"IntValue": draw(st.one_of(SMALL_INT, INT32))}
    elif value_type == "Credential":
        members = {
            "CredentialUsername": draw(st.text(alphabet="uvw", min_size=1, max_size=4)),
            "CredentialPassword": "password-" + draw(SECRET),
        }
    else:
        members = {"SecretValue": "secret-" + draw(SECRET)}
    return NewAsset(folder, name, value_type, members)


ASSET_SETS = st.lists(
    new_assets(), max_size=8, unique_by=lambda asset: (asset.folder, asset.name.casefold())
)


def comparisons() -> st.SearchStrategy[tuple[str, Predicate]]:
    """One OData comparison on Name, ValueType or IntValue, with its Python meaning."""
    name_eq = NAME.map(
        lambda name: (f"Name eq '{name}'", lambda a: a.name.casefold() == name.casefold())
    )
    name_prefix = st.sampled_from("abAM").map(
        lambda p: (f"startswith(Name,'{p}')", lambda a: a.name.casefold().startswith(p.casefold()))
    )
    kind = st.sampled_from(VALUE_TYPES).map(
        lambda kind: (f"ValueType eq '{kind}'", lambda a: a.value_type == kind)
    )
    number = st.tuples(st.sampled_from(sorted(RELATIONS)), SMALL_INT).map(
        lambda pair: (
            f"IntValue {pair[0]} {pair[1]}",
            lambda a: RELATIONS[pair[0]](a.int_value, pair[1]),
        )
    )
    return st.one_of(name_eq, name_prefix, kind, number)


def combine(
    children: st.SearchStrategy[tuple[str, Predicate]],
) -> st.SearchStrategy[tuple[str, Predicate]]:
    """`and`, `or` and `not` over smaller filters."""
    both = st.tuples(children, children)
    return st.one_of(
        both.map(lambda p: (f"({p[0][0]}) and ({p[1][0]})", lambda a: p[0][1](a) and p[1][1](a))),
        both.map(lambda p: (f"({p[0][0]}) or ({p[1][0]})", lambda a: p[0][1](a) or p[1][1](a))),
        children.map(lambda c: (f"not ({c[0]})", lambda a: not c[1](a))),
    )


FILTERS = st.recursive(comparisons(), combine, max_leaves=3)
ORDER_MEMBERS = {"Name": lambda a: a.name.casefold(), "IntValue": lambda a: a.int_value}


@dataclass(frozen=True)
class Query:
    """OData options with the reference meaning of the filter."""

    filter: tuple[str, Predicate] | None
    orderby: tuple[tuple[str, bool], ...]
    top: int | None
    skip: int | None
    count: bool
    select: bool
    filtered: bool
    """Through GetFiltered rather than the listing."""

    def path(self) -> str:
        """The request path with its query string."""
        options = []
        if self.filter is not None:
            options.append(f"$filter={quote(self.filter[0])}")
        if self.orderby:
            clauses = ",".join(f"{name} {'desc' if desc else 'asc'}" for name, desc in self.orderby)
            options.append(f"$orderby={quote(clauses)}")
        if self.top is not None:
            options.append(f"$top={self.top}")
        if self.skip is not None:
            options.append(f"$skip={self.skip}")
        if self.count:
            options.append("$count=true")
        if self.select:
            options.append("$select=Name,CredentialPassword,SecretValue,Value")
        base = GET_FILTERED if self.filtered else ASSETS
        return f"{base}?{'&'.join(options)}" if options else base

    def expected(self, assets: list[Asset]) -> tuple[list[int], int]:
        """The Ids of the page in order, and the count of all matches."""
        matched = sorted(assets, key=lambda a: a.id)
        if self.filter is not None:
            matched = [a for a in matched if self.filter[1](a)]
        ordered = matched
        for name, desc in reversed(self.orderby):
            ordered = sorted(ordered, key=ORDER_MEMBERS[name], reverse=desc)
        start = self.skip or 0
        stop = None if self.top is None else start + self.top
        return [a.id for a in ordered[start:stop]], len(matched)


QUERIES = st.builds(
    Query,
    filter=st.none() | FILTERS,
    orderby=st.lists(
        st.tuples(st.sampled_from(sorted(ORDER_MEMBERS)), st.booleans()),
        max_size=2,
        unique_by=lambda clause: clause[0],
    ).map(tuple),
    top=st.none() | st.integers(0, 6),
    skip=st.none() | st.integers(0, 6),
    count=st.booleans(),
    select=st.booleans(),
    filtered=st.booleans(),
)


def folder_headers(folder: int, kind: str) -> dict[str, str]:
    """The folder named by one of the four headers."""
    return {
        FOLDER_ID: {FOLDER_ID: str(folder)},
        FOLDER_KEY: {FOLDER_KEY: FOLDER_KEYS[folder]},
        FOLDER_PATH: {FOLDER_PATH: FOLDER_PATHS[folder]},
        FOLDER_PATH_ENCODED: {FOLDER_PATH_ENCODED: encode_folder_path(FOLDER_PATHS[folder])},
    }[kind]


def assert_no_secret(data: bytes, secrets: list[str]) -> None:
    """None of the stored passwords or secrets is in a response body."""
    for secret in secrets:
        assert secret.encode() not in data, secret


def store(http: FlaskClient, token: str, created: list[NewAsset]) -> list[Asset]:
    """Create the assets; return the reference's view of every asset, well-known ones too."""
    assets = list(WELL_KNOWN)
    secrets = [a.secret for a in assets if a.secret]
    for new in created:
        body = asset_body(new.name, new.value_type, **new.members)
        response = folder_call(http, "POST", ASSETS, new.folder, token, json=body)
        assert response.status_code == 201, response.data
        secrets.extend([new.secret] if new.secret else [])
        assert_no_secret(response.data, secrets)
        int_value = int(new.members.get("IntValue", 0))
        answer = response.get_json()
        assert answer["IntValue"] == int_value
        assets.append(
            Asset(answer["Id"], new.folder, new.name, new.value_type, int_value, new.secret)
        )
    return assets


@pytest.fixture(scope="module")
def shared_emulator() -> Emulator:
    """One emulator for the module, reset before each example."""
    return Emulator()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    created=ASSET_SETS,
    folder=st.sampled_from([SHARED, FINANCE, INVOICES, HR]),
    header=st.sampled_from([FOLDER_ID, FOLDER_KEY, FOLDER_PATH, FOLDER_PATH_ENCODED]),
    queries=st.lists(QUERIES, min_size=1, max_size=3),
)
def test_folder_queries_match_the_reference(
    shared_emulator: Emulator,
    created: list[NewAsset],
    folder: int,
    header: str,
    queries: list[Query],
) -> None:
    """A query in one folder answers exactly that folder's matching assets, in the reference's
    order and count, and never a stored secret."""
    shared_emulator.reset()
    http = shared_emulator.app.test_client()
    token = token_for(http)
    assets = store(http, token, created)
    secrets = [a.secret for a in assets if a.secret]
    in_folder = [a for a in assets if a.folder == folder]
    names = {a.id: a.name for a in assets}
    for query in queries:
        response = folder_call(
            http, "GET", query.path(), None, token, headers=folder_headers(folder, header)
        )
        assert response.status_code == 200, (query.path(), response.data)
        assert_no_secret(response.data, secrets)
        body = response.get_json()
        ids, count = query.expected(in_folder)
        assert [item["Name"] for item in body["value"]] == [names[i] for i in ids], query.path()
        if not query.select:
            assert [item["Id"] for item in body["value"]] == ids
        assert body["@odata.count"] == count
        for item in body["value"]:
            assert item["CredentialPassword"] == item["SecretValue"] == ""


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(created=ASSET_SETS)
def test_each_asset_is_listed_only_in_its_folder(
    shared_emulator: Emulator, created: list[NewAsset]
) -> None:
    """Every folder lists (and gets by key) exactly its own assets, in Id order and without
    secrets, and the robot reads back each created secret in that folder."""
    shared_emulator.reset()
    http = shared_emulator.app.test_client()
    token = token_for(http)
    assets = store(http, token, created)
    secrets = [a.secret for a in assets if a.secret]
    for folder in FOLDER_PATHS:
        response = folder_call(http, "GET", ASSETS, folder, token)
        expected = sorted((a.id, a.name) for a in assets if a.folder == folder)
        assert [(item["Id"], item["Name"]) for item in response.get_json()["value"]] == expected
        assert_no_secret(response.data, secrets)
        for asset_id, _name in expected:
            single = folder_call(http, "GET", f"{ASSETS}({asset_id})", folder, token)
            assert single.status_code == 200, single.data
            assert_no_secret(single.data, secrets)
    for new in created:
        if new.secret is None:
            continue
        answer = robot_asset(http, new.folder, new.name, FINANCE_ROBOT_KEY, token)
        if new.folder == HR:  # the finance robot is not assigned to HR
            assert answer.status_code == 404, answer.data
            continue
        assert answer.status_code == 200, answer.data
        shown = answer.get_json()
        assert new.secret in (shown["CredentialPassword"], shown["SecretValue"])
