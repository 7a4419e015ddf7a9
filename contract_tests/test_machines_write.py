"""Contract: the machine life cycle, and scope enforcement with a read-only app."""

import contextlib
import secrets
from collections.abc import Iterator

import pytest
import requests

from uipath_emulator.client import ForbiddenError, NotFoundError, UiPathClient
from uipath_emulator.contract_tests.helpers import assert_orchestrator_error, assert_valid_machine
from uipath_emulator.contract_tests.targets import Target

pytestmark = pytest.mark.writes


@pytest.fixture
def machine_name(api: UiPathClient) -> Iterator[str]:
    """A `contract-test-` name; whatever machine has it is deleted afterwards, even on failure."""
    name = f"contract-test-{secrets.token_hex(4)}"
    yield name
    for machine in api.machines.list(filter=f"Name eq '{name}'").items:
        with contextlib.suppress(NotFoundError):
            api.machines.delete(machine["Id"])


def test_create_get_patch_list_delete(api: UiPathClient, machine_name: str) -> None:
    """Create, get, patch, list and delete a machine; afterwards it is gone (404)."""
    created = api.machines.create({"Name": machine_name, "Description": "contract test"})
    assert created["Name"] == machine_name
    machine_id = created["Id"]
    fetched = api.machines.get(machine_id)
    fetched.pop("@odata.context", None)
    assert_valid_machine(fetched)
    assert fetched["Description"] == "contract test"
    api.machines.update(machine_id, {"Description": "patched by the contract test"})
    assert api.machines.get(machine_id)["Description"] == "patched by the contract test"
    listed = api.machines.list(filter=f"Name eq '{machine_name}'").items
    assert [item["Id"] for item in listed] == [machine_id]
    api.machines.delete(machine_id)
    with pytest.raises(NotFoundError):
        api.machines.get(machine_id)


def test_duplicate_name_is_refused(
    target: Target, session: requests.Session, api: UiPathClient, machine_name: str
) -> None:
    """Creating a second machine with a name already used is refused (409, errorCode 1001)."""
    api.machines.create({"Name": machine_name})
    response = session.post(
        target.machines_url,
        json={"Name": machine_name},
        headers={"Authorization": f"Bearer {api.token().access_token}"},
        timeout=30,
    )
    body = assert_orchestrator_error(response, 409)
    assert body["errorCode"] == 1001


def test_readonly_app_cannot_write(target: Target, session: requests.Session) -> None:
    """An app holding only OR.Machines.Read can list machines but gets 403 on create."""
    if target.readonly is None:
        pytest.skip("needs UIPATH_READONLY_CLIENT_ID and UIPATH_READONLY_CLIENT_SECRET")
    with target.client(session, target.readonly) as readonly:
        readonly.machines.list(top=1)
        with pytest.raises(ForbiddenError):
            readonly.machines.create({"Name": "contract-test-must-not-exist"})
