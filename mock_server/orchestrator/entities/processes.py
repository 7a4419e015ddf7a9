"""The `Processes` entity set: the packages of the tenant's feed (no folder).

A package is declared in the world or added through the harness (`Id` the package id,
`Version` its latest version, `OlderVersions` those a release may still run); uploading a
`.nupkg` is not emulated (501). Deleting a package (`DELETE Processes('<id>')`) keeps the
releases that run it, marked `IsProcessDeleted`, as Orchestrator's ReleaseDto says.
"""

from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext, ActionResult
from uipath_emulator.mock_server.orchestrator.entities.crud import translated
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    Action,
    EntitySet,
    Operation,
    Record,
    Unique,
)
from uipath_emulator.mock_server.orchestrator.errors import ApiError, not_found
from uipath_emulator.mock_server.world.collation import string_key

COLLECTION = "/odata/Processes"
DELETE_PATH = "/odata/Processes('{key}')"
UPLOAD_PATH = "/odata/Processes/UiPath.Server.Configuration.OData.UploadPackage"
RELEASES = "Releases"
PACKAGES = "Processes"


def _complete(record: Record) -> None:
    record["Key"] = f"{record.get('Id')}:{record.get('Version')}"
    record["IsLatestVersion"] = True


def package_versions(package: Record) -> list[str]:
    """Every version of the package a release may run, the latest first."""
    return [str(package.get("Version")), *package.get("OlderVersions", [])]


def find_package(records: list[Record], package_id: str) -> Record | None:
    """The package with this id (matched as Orchestrator matches names), if any."""
    wanted = string_key(package_id)
    for package in records:
        if string_key(str(package.get("Id", ""))) == wanted:
            return package
    return None


def _check_loaded(
    records: list[Any], _tenant: Mapping[str, list[Any]]
) -> tuple[int, str, str] | None:
    """Each package names its id and its latest version."""
    for index, record in enumerate(records):
        for member in ("Id", "Version"):
            value = record.get(member)
            if not isinstance(value, str) or not value.strip():
                return index, member, "a package needs its id and version"
    return None


def _delete(context: ActionContext) -> ActionResult:
    package_id = context.parameters.get("package", "")
    with translated(PROCESSES), context.stores.write() as write:
        package = find_package(write.records(PACKAGES), package_id)
        if package is None:
            raise not_found(PROCESSES.not_found_message(package_id))
        write.delete(PACKAGES, package["PackageNumber"])
        for release in write.records(RELEASES):
            if string_key(str(release.get("ProcessKey"))) == string_key(str(package["Id"])):
                write.put(RELEASES, {**release, "IsProcessDeleted": True})
    return ActionResult(204)


def _upload(_context: ActionContext) -> ActionResult:
    raise ApiError(
        501,
        "Uploading packages is not emulated: declare packages in the world file (tenant "
        "entities 'Processes') or add them with the harness.",
    )


PROCESSES = EntitySet(
    name="Processes",
    label="Package",
    folder_scoped=False,
    operations={Operation.LIST: COLLECTION},
    key="PackageNumber",
    unique=(Unique(("Id",), "A package with the id '{Id}' exists."),),
    type_annotation=False,
    complete=_complete,
    check_loaded=_check_loaded,
    actions=(
        Action(
            "DeleteById",
            "DELETE",
            DELETE_PATH,
            _delete,
            route="/odata/Processes('<package>')",
            success_status=204,
        ),
        Action(
            "UploadPackage",
            "POST",
            UPLOAD_PATH,
            _upload,
            route=UPLOAD_PATH,
            success_status=501,
        ),
    ),
)
