"""The `Assets` entity set: folder-scoped values and credentials, and the robot endpoints.

- Every operation needs a folder (one of the four folder headers); names are unique per folder
  (409/1001). The value rules are `asset_values`.
- `GetFiltered` answers as the listing does (the SDK's `assets.list` and `retrieve`).
- `GetRobotAssetByNameForRobotKey` gives a robot the asset's value, password or secret
  included (`UserAssetDto`). The robot key must be a robot assigned to the folder; without
  one, only an asset with `AllowDirectApiAccess` is answered (UiPath's SDK sends none then).
- `SetRobotAssetByRobotKey` changes the asset's value for a robot of the folder; 204, no body.
"""

from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities import crud
from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext, ActionResult
from uipath_emulator.mock_server.orchestrator.entities.asset_values import (
    PROTECTED,
    VALUE_MEMBERS,
    AssetValueError,
    revealed,
    settled,
)
from uipath_emulator.mock_server.orchestrator.entities.input import parse_json_object
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    Action,
    EntitySet,
    Operation,
    Record,
    Unique,
)
from uipath_emulator.mock_server.orchestrator.entities.world_checks import outside_folders
from uipath_emulator.mock_server.orchestrator.errors import (
    ITEM_NOT_FOUND,
    ApiError,
    bad_request,
)
from uipath_emulator.mock_server.orchestrator.folders.access import robot_in_folder
from uipath_emulator.mock_server.orchestrator.timestamps import orchestrator_time
from uipath_emulator.mock_server.world.collation import string_key
from uipath_emulator.mock_server.world.store import TenantWrite

COLLECTION = "/odata/Assets"
ENTITY = "/odata/Assets({key})"
FUNCTIONS = "UiPath.Server.Configuration.OData"
GET_FILTERED = f"{FUNCTIONS}.GetFiltered"
GET_ROBOT_ASSET = f"{FUNCTIONS}.GetRobotAssetByNameForRobotKey"
SET_ROBOT_ASSET = f"{FUNCTIONS}.SetRobotAssetByRobotKey"
ROBOT_ASSET_CONTEXT = "UiPath.Application.Dto.Assets.RobotAssetDto"
ASSET_NOT_FOUND = "Could not find an asset with this name."
NOT_AVAILABLE = "Asset or Robot do not exist or the Asset is not available for the specified robot."
USER_ASSET_MEMBERS = (
    "Name",
    "ValueType",
    "StringValue",
    "BoolValue",
    "IntValue",
    "SecretValue",
    "CredentialUsername",
    "CredentialPassword",
    "ExternalName",
    "CredentialStoreId",
    "KeyValueList",
    "ConnectionData",
    "Id",
)
"""What a robot gets of an asset (`UserAssetDto`, in the spec's order)."""
ROBOT_VALUE_MEMBERS = (
    "StringValue",
    "BoolValue",
    "IntValue",
    "CredentialUsername",
    "CredentialPassword",
    "SecretValue",
)
"""What `SetRobotAssetByRobotKey` may change."""


def _prepare(
    call: ActionContext | None, _write: TenantWrite, record: Record, old: Record | None
) -> Record:
    try:
        stored = settled(record, old)
    except AssetValueError as error:
        raise bad_request(str(error)) from None
    if call is not None:
        now = orchestrator_time(call.now)
        if old is None:
            stored["CreationTime"] = now
        else:
            stored["LastModificationTime"] = now
    return stored


def _check_loaded(
    records: list[Any], tenant: Mapping[str, list[Any]]
) -> tuple[int, str, str] | None:
    """Each asset in a folder of the tenant, and valid for its value type."""
    problem = outside_folders(records, tenant)
    if problem is not None:
        return problem
    for index, record in enumerate(records):
        try:
            settled(record, None)
        except AssetValueError as error:
            return index, error.member, str(error)
    return None


def _complete_loaded(records: list[Record], _tenant: Mapping[str, list[Any]]) -> list[Record]:
    return [settled(record, None) for record in records]


def _named(context: ActionContext, name: str) -> Record:
    scope = context.scope
    wanted = string_key(name)
    for asset in context.stores["Assets"].snapshot():
        if scope is not None and not scope.holds(asset, "OrganizationUnitId"):
            continue
        if string_key(str(asset.get("Name", ""))) == wanted:
            return asset
    raise ApiError(404, ASSET_NOT_FOUND, ITEM_NOT_FOUND)


def _robot_of_folder(context: ActionContext, robot_key: str, permission: str) -> Record:
    """The robot with this key, if its roles in the call's folder grant `permission`; 404
    otherwise."""
    folder = context.scope.folder if context.scope is not None else None
    robot = robot_in_folder(context.stores, robot_key, folder, (frozenset({permission}),))
    if robot is None:
        raise ApiError(404, NOT_AVAILABLE, ITEM_NOT_FOUND)
    return robot


def _text_parameter(body: Mapping[str, Any], name: str, required: bool) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"The {name} field is required.", 0)
    return value


def _get_robot_asset(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the asset and robot")
    name = _text_parameter(body, "assetName", required=True)
    robot_key = _text_parameter(body, "robotKey", required=False)
    if robot_key is not None:
        _robot_of_folder(context, robot_key, "Assets.View")
    asset = _named(context, str(name))
    if robot_key is None and not asset.get("AllowDirectApiAccess"):
        raise bad_request(
            "The robotKey field is required: this asset does not allow direct API access.", 0
        )
    shown = revealed(asset)
    answer = {
        "@odata.context": f"{context.service_root}/$metadata#{ROBOT_ASSET_CONTEXT}",
        **{member: shown.get(member) for member in USER_ASSET_MEMBERS},
    }
    return ActionResult(200, answer)


def _set_robot_asset(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the robot key and asset")
    robot_key = _text_parameter(body, "robotKey", required=True)
    robot_asset = body.get("robotAsset")
    if not isinstance(robot_asset, dict):
        raise bad_request("; robotAsset must not be null", 0)
    name = _text_parameter(robot_asset, "Name", required=True)
    _robot_of_folder(context, str(robot_key), "Assets.Edit")
    asset = _named(context, str(name))
    kind = robot_asset.get("ValueType", asset.get("ValueType"))
    if kind != asset.get("ValueType"):
        raise bad_request(
            f"The asset '{asset['Name']}' is a {asset.get('ValueType')} asset, not {kind}."
        )
    changed = {
        member: robot_asset[member] for member in ROBOT_VALUE_MEMBERS if member in robot_asset
    }

    def change(current: Record) -> dict[str, Any]:
        hidden = set(PROTECTED.values()) | {"OrganizationUnitId"}
        visible = {name: value for name, value in current.items() if name not in hidden}
        return {**visible, **changed}

    crud.update(context.stores, ASSETS, asset["Id"], change, context)
    return ActionResult(204)


_USER_ASSET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["Name"],
    "properties": {
        "Name": {"type": "string", "minLength": 1},
        "ValueType": {"type": "string", "enum": list(VALUE_MEMBERS)},
        "StringValue": {"type": "string", "nullable": True},
        "BoolValue": {"type": "boolean"},
        "IntValue": {"type": "integer", "format": "int32"},
        "SecretValue": {"type": "string", "nullable": True},
        "CredentialUsername": {"type": "string", "nullable": True},
        "CredentialPassword": {"type": "string", "nullable": True},
        "ExternalName": {"type": "string", "nullable": True},
        "CredentialStoreId": {"type": "integer", "format": "int64", "nullable": True},
        "KeyValueList": {"type": "array", "items": {"type": "object"}},
        "ConnectionData": {"type": "object", "nullable": True},
        "Id": {"type": "integer", "format": "int64"},
    },
}
"""`UserAssetDto`, as the robot endpoints take and answer it."""
_ROBOT_KEY = {"type": "string", "minLength": 1}
_GET_ROBOT_ASSET_REQUEST = {
    "type": "object",
    "required": ["assetName"],
    "properties": {
        "assetName": {"type": "string", "minLength": 1},
        "robotKey": _ROBOT_KEY,
        "supportsCredentialsProxyDisconnected": {"type": "boolean"},
    },
}
_SET_ROBOT_ASSET_REQUEST = {
    "type": "object",
    "required": ["robotKey", "robotAsset"],
    "properties": {"robotKey": _ROBOT_KEY, "robotAsset": _USER_ASSET_SCHEMA},
}


ASSETS = EntitySet(
    name="Assets",
    label="Asset",
    folder_scoped=True,
    operations={
        Operation.LIST: COLLECTION,
        Operation.GET: ENTITY,
        Operation.CREATE: COLLECTION,
        Operation.REPLACE: ENTITY,
        Operation.DELETE: ENTITY,
    },
    unique=(Unique(("OrganizationUnitId", "Name"), "The name '{Name}' is already used."),),
    type_annotation=False,
    prepare=_prepare,
    check_loaded=_check_loaded,
    complete_loaded=_complete_loaded,
    actions=(
        Action(
            name=GET_FILTERED,
            method="GET",
            spec_path=f"{COLLECTION}/{GET_FILTERED}",
            writes=False,
            lists=True,
        ),
        Action(
            name=GET_ROBOT_ASSET,
            method="POST",
            spec_path=f"{COLLECTION}/{GET_ROBOT_ASSET}",
            handler=_get_robot_asset,
            writes=False,
            request_schema=_GET_ROBOT_ASSET_REQUEST,
            response_schema=_USER_ASSET_SCHEMA,
        ),
        Action(
            name=SET_ROBOT_ASSET,
            method="POST",
            spec_path=f"{COLLECTION}/{SET_ROBOT_ASSET}",
            handler=_set_robot_asset,
            success_status=204,
            request_schema=_SET_ROBOT_ASSET_REQUEST,
        ),
    ),
)
