"""The `Releases` entity set: the processes of a folder, each running a version of a package.

A release's name is unique in its folder (409/1001); it runs a package of the feed, at one of
its versions (400 otherwise); its `InputArguments` are a JSON object. A release with
unfinished jobs is not deleted (400/1012). `ListReleases`, which UiPath's CLI calls, answers as
the listing does. `JobBehavior` (emulator only) says how its jobs run on the emulator clock.
"""

from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.jsonio import JSONBodyError, parse_json_body
from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext
from uipath_emulator.mock_server.orchestrator.entities.job_lifecycle import FINAL, settled
from uipath_emulator.mock_server.orchestrator.entities.processes import (
    PACKAGES,
    find_package,
    package_versions,
)
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    Action,
    EntitySet,
    Operation,
    Record,
    Unique,
)
from uipath_emulator.mock_server.orchestrator.entities.world_checks import (
    folder_members,
    outside_folders,
)
from uipath_emulator.mock_server.orchestrator.errors import (
    ApiError,
    bad_request,
    folder_not_accessible,
)
from uipath_emulator.mock_server.orchestrator.timestamps import orchestrator_time
from uipath_emulator.mock_server.world.dotnet import utf16_length
from uipath_emulator.mock_server.world.store import TenantWrite

COLLECTION = "/odata/Releases"
ENTITY = "/odata/Releases({key})"
LIST_RELEASES = f"{COLLECTION}/UiPath.Server.Configuration.OData.ListReleases"
FOLDERS = "Folders"
JOBS = "Jobs"
HAS_DEPENDENT_ITEMS = 1012
MAX_INPUT_ARGUMENTS = 10_000
MAX_SECONDS = 10 * 365 * 86400


def checked_arguments(text: Any, member: str) -> dict[str, Any]:
    """Input arguments: a JSON object as a string of at most 10,000 characters (400 else)."""
    if text is None or text == "":
        return {}
    if not isinstance(text, str):
        raise bad_request(f"{member} must be a string holding a JSON object.")
    if utf16_length(text) > MAX_INPUT_ARGUMENTS:
        raise bad_request(f"{member} must be at most {MAX_INPUT_ARGUMENTS} characters long.")
    try:  # a lone surrogate character is passed on, and refused as not UTF-8
        parsed = parse_json_body(text.encode("utf-8", "surrogatepass"), member)
    except JSONBodyError as error:
        raise bad_request(str(error)) from None
    if not isinstance(parsed, dict):
        raise bad_request(f'{member} must be a JSON object, e.g. {{"Name": "Ada"}}.')
    return parsed


def _behavior_problem(behavior: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """(member, message) when a JobBehavior's times are out of range."""
    for member in ("StartAfterSeconds", "RunSeconds"):
        seconds = (behavior or {}).get(member)
        if seconds is not None and not 0 <= seconds <= MAX_SECONDS:
            return f"JobBehavior.{member}", "must be between 0 and ten years (in seconds)"
    return None


def _check_behavior(behavior: Mapping[str, Any] | None) -> None:
    problem = _behavior_problem(behavior)
    if problem is not None:
        raise bad_request(f"{problem[0]} {problem[1]}.")


def _prepare(
    call: ActionContext | None, write: TenantWrite, record: Record, old: Record | None
) -> Record:
    package = find_package(write.records(PACKAGES), str(record.get("ProcessKey") or ""))
    if package is None:
        raise bad_request(f"The package '{record.get('ProcessKey')}' is not in the feed.")
    if record.get("ProcessVersion") not in package_versions(package):
        raise bad_request(
            f"The package '{package['Id']}' has no version '{record.get('ProcessVersion')}' "
            f"(versions: {', '.join(package_versions(package))})."
        )
    checked_arguments(record.get("InputArguments"), "InputArguments")
    _check_behavior(record.get("JobBehavior"))
    try:
        folder = write.get(FOLDERS, record.get("OrganizationUnitId"))
    except LookupError:
        raise folder_not_accessible() from None
    record["ProcessKey"] = package["Id"]
    record["OrganizationUnitFullyQualifiedName"] = folder.get("FullyQualifiedName")
    record["FolderKey"] = folder.get("Key")
    record["IsLatestVersion"] = record.get("ProcessVersion") == package.get("Version")
    if old is None:
        if call is not None:
            record["CreationTime"] = orchestrator_time(call.now)
    elif call is not None:
        record["LastModificationTime"] = orchestrator_time(call.now)
    return record


def _before_delete(call: ActionContext | None, write: TenantWrite, record: Record) -> None:
    """Refused while a job of the release has not ended (on the emulator clock)."""
    for job in write.bucket(JOBS, "unfinished", True):
        current = settled(job, call.now) if call is not None else job
        if job.get("ReleaseId") == record["Id"] and current.get("State") not in FINAL:
            raise bad_request(
                f"The process '{record['Name']}' has jobs that have not ended.",
                HAS_DEPENDENT_ITEMS,
            )


def _complete_loaded(records: list[Record], tenant: Mapping[str, list[Any]]) -> list[Record]:
    """Folder path and key, and the latest-version flag, from the world's folders and feed."""
    in_folder = folder_members(tenant)
    packages = list(tenant.get(PACKAGES, []))
    completed = []
    for record in records:
        package = find_package(packages, str(record.get("ProcessKey") or "")) or {}
        completed.append(
            {
                **record,
                **in_folder(record.get("OrganizationUnitId")),
                "IsLatestVersion": record.get("ProcessVersion") == package.get("Version"),
            }
        )
    return completed


def _check_loaded(
    records: list[Any], tenant: Mapping[str, list[Any]]
) -> tuple[int, str, str] | None:
    """Each release in a folder of the tenant, running a version of a package of its feed."""
    problem = outside_folders(records, tenant)
    if problem is not None:
        return problem
    packages = [package for package in tenant.get(PACKAGES, []) if isinstance(package, dict)]
    for index, record in enumerate(records):
        package = find_package(packages, str(record.get("ProcessKey") or ""))
        if package is None:
            return (
                index,
                "ProcessKey",
                f"no package of this tenant has Id {record.get('ProcessKey')}",
            )
        if record.get("ProcessVersion") not in package_versions(package):
            return (
                index,
                "ProcessVersion",
                f"the package has no version {record.get('ProcessVersion')}",
            )
        try:
            checked_arguments(record.get("InputArguments"), "InputArguments")
        except ApiError as error:
            return index, "InputArguments", error.message
        behavior = _behavior_problem(record.get("JobBehavior"))
        if behavior is not None:
            return index, behavior[0], behavior[1]
    return None


RELEASES = EntitySet(
    name="Releases",
    label="Release",
    folder_scoped=True,
    operations={
        Operation.LIST: COLLECTION,
        Operation.GET: ENTITY,
        Operation.CREATE: COLLECTION,
        Operation.REPLACE: ENTITY,
        Operation.UPDATE: ENTITY,
        Operation.DELETE: ENTITY,
    },
    unique=(Unique(("OrganizationUnitId", "Name"), "The name '{Name}' is already used."),),
    type_annotation=False,
    cross_folder_list=True,
    prepare=_prepare,
    before_delete=_before_delete,
    check_loaded=_check_loaded,
    complete_loaded=_complete_loaded,
    actions=(
        Action(
            "UiPath.Server.Configuration.OData.ListReleases",
            "GET",
            LIST_RELEASES,
            writes=False,
            lists=True,
            rules_of=COLLECTION,
        ),
    ),
)
