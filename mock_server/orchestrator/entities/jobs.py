"""The `Jobs` entity set and its actions: start, stop, restart, resume, and `GetByKey`.

Jobs are listed across the caller's folders without a folder header, read by Id or by key
(`GetByKey(identifier=<guid>)`, folder header required), and made by `StartJobs` (one job, or
`JobsCount`, or one per robot of `RobotIds`) and `RestartJob`. They run on the emulator clock
as `job_lifecycle` says: any read of the set first brings its jobs up to date, so a test moves
the clock and reads. Listings answer the four argument members as null, as the cloud does.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping
from functools import cache
from typing import Any

from uipath_emulator.mock_server.orchestrator import odata
from uipath_emulator.mock_server.orchestrator.entities import job_lifecycle as lifecycle
from uipath_emulator.mock_server.orchestrator.entities.actions import (
    ActionContext,
    ActionResult,
    post_action,
)
from uipath_emulator.mock_server.orchestrator.entities.crud import in_scope, translated
from uipath_emulator.mock_server.orchestrator.entities.input import parse_json_object
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    Action,
    EntitySet,
    Operation,
    Record,
    Unique,
)
from uipath_emulator.mock_server.orchestrator.entities.releases import (
    RELEASES,
    checked_arguments,
)
from uipath_emulator.mock_server.orchestrator.entities.world_checks import (
    folder_members,
    outside_folders,
)
from uipath_emulator.mock_server.orchestrator.errors import (
    ITEM_NOT_FOUND,
    ApiError,
    bad_request,
    not_found,
)
from uipath_emulator.mock_server.orchestrator.representation import entity_context, item
from uipath_emulator.mock_server.orchestrator.spec.subset import component
from uipath_emulator.mock_server.orchestrator.timestamps import orchestrator_time
from uipath_emulator.mock_server.world.collation import string_key
from uipath_emulator.mock_server.world.dotnet import canonical_guid, utf16_length
from uipath_emulator.mock_server.world.store import TenantStores, TenantWrite

COLLECTION = "/odata/Jobs"
ENTITY = "/odata/Jobs({key})"
ENTITY_ROUTE = "/odata/Jobs(<key>)"
SERVICE = "UiPath.Server.Configuration.OData"
START_JOBS = f"{COLLECTION}/{SERVICE}.StartJobs"
STOP_JOBS = f"{COLLECTION}/{SERVICE}.StopJobs"
STOP_JOB = f"{ENTITY_ROUTE}/{SERVICE}.StopJob"
RESTART_JOB = f"{COLLECTION}/{SERVICE}.RestartJob"
RESUME_JOB = f"{COLLECTION}/{SERVICE}.ResumeJob"
GET_BY_KEY = f"{COLLECTION}/{SERVICE}.GetByKey(identifier={{identifier}})"
JOBS = "Jobs"
ROBOTS = "Robots"
UNFINISHED = "unfinished"
NEXT_EVENT = "next job event"
"""Where a store's derived values keep when its next job changes by itself."""
LISTING_NULLS = ("InputArguments", "InputFile", "OutputArguments", "OutputFile")
STOP_STRATEGIES = {"SoftStop": "SoftStop", "Kill": "Kill", "1": "SoftStop", "2": "Kill"}
MODERN_STRATEGIES = frozenset({"ModernJobsCount", "JobsCount"})
CLASSIC_STRATEGIES = frozenset({"All", "RobotCount"})
MAX_JOBS_COUNT = 100
MAX_REFERENCE = 128


@cache
def _start_sources() -> tuple[str, ...]:
    """The `Source` values StartProcessDto takes."""
    return tuple(component("StartProcessDto")["properties"]["Source"]["enum"])


def _unfinished(record: Record) -> bool | None:
    return True if record.get("State") not in lifecycle.FINAL else None


def refresh(stores: TenantStores, now: float) -> None:
    """Bring the tenant's jobs to their state at `now` (a write only when one has changed)."""
    store = stores[JOBS]
    due = store.view()[1].get(NEXT_EVENT)
    if due is not None and due > now:
        return
    with stores.lock:
        with stores.write() as write:
            following = math.inf
            for job in write.bucket(JOBS, UNFINISHED, True):
                current = lifecycle.settled(job, now)
                if current is not job:
                    write.put(JOBS, current)
                event = lifecycle.next_event(current)
                if event is not None:
                    following = min(following, event)
        store.view()[1][NEXT_EVENT] = following


def _listed(record: Record) -> Record:
    """A job as a listing shows it: the argument members null."""
    if all(record.get(member) is None for member in LISTING_NULLS):
        return record
    return {**record, **dict.fromkeys(LISTING_NULLS)}


def _entity_options(context: ActionContext) -> odata.QueryOptions:
    """The call's `$select`/`$expand` for the one job it answers (400 for bad ones), read
    before anything is written."""
    pairs = [
        (name, value)
        for name, value in context.parameters.items()
        if name.strip().startswith("$") and name.strip().lower() != "$format"
    ]
    try:
        return odata.parse_entity_options(pairs, JOBS_SET.odata)
    except odata.ODataQueryError as error:
        raise bad_request(error.message) from None


def _answer(context: ActionContext, record: Record, options: odata.QueryOptions) -> ActionResult:
    """One job as an entity answer, with the call's `$select`."""
    suffix = odata.context_suffix(options)
    body = {"@odata.context": entity_context(context.service_root, JOBS_SET, suffix)}
    body.update(item(JOBS_SET, odata.project(record, options)))
    return ActionResult(200, body)


def find_job(stores: TenantStores, identifier: Any) -> Record | None:
    """The tenant's job with this key, in any form of the GUID, if any."""
    guid = canonical_guid(identifier)
    if guid is None:
        return None
    wanted = JOBS_SET.unique[0].key({"Key": guid})
    return stores[JOBS].find(0, wanted) if wanted is not None else None


def _find_by_key(
    write: TenantWrite | None, context: ActionContext, identifier: Any
) -> Record | None:
    """The job with this key (any case), if the caller's folder holds it."""
    holder = find_job(context.stores, identifier)
    if holder is None:
        return None
    record = write.get(JOBS, holder["Id"]) if write is not None else holder
    return record if in_scope(JOBS_SET, context, record) else None


def _job(write: TenantWrite, context: ActionContext, job_id: Any) -> Record:
    """The job with this Id in the caller's folder, brought up to date; 404 otherwise."""
    if not isinstance(job_id, int) or isinstance(job_id, bool):
        raise bad_request(f"The job id {job_id!r} is not an integer.")
    try:
        record = write.get(JOBS, job_id)
    except LookupError:
        raise not_found(JOBS_SET.not_found_message(job_id)) from None
    if not in_scope(JOBS_SET, context, record):
        raise not_found(JOBS_SET.not_found_message(job_id))
    return lifecycle.settled(record, context.now)


def _release(write: TenantWrite, context: ActionContext, info: Mapping[str, Any]) -> Record:
    """The release `ReleaseKey` names (else `ReleaseName`) in the call's folder."""
    release_key = info.get("ReleaseKey")
    release_name = info.get("ReleaseName")
    if not release_key and not release_name:
        raise bad_request("Either ReleaseKey or ReleaseName must be given.")
    folder = context.scope.folder if context.scope is not None else None
    releases = [
        release
        for release in write.records(RELEASES.name)
        if folder is None or release.get("OrganizationUnitId") == folder["Id"]
    ]
    if release_key:
        wanted = string_key(str(release_key))
        found = [r for r in releases if string_key(str(r.get("Key"))) == wanted]
    else:
        wanted = string_key(str(release_name))
        found = [r for r in releases if string_key(str(r.get("Name"))) == wanted]
    if not found:
        raise ApiError(404, RELEASES.not_found_message(release_key or release_name), ITEM_NOT_FOUND)
    return found[0]


def _inputs_text(release: Record, given: Any) -> tuple[str | None, dict[str, Any]]:
    """The job's InputArguments (the release's defaults under the given ones) and their
    values."""
    defaults = checked_arguments(release.get("InputArguments"), "The release's InputArguments")
    values = checked_arguments(given, "InputArguments")
    merged = {**defaults, **values}
    if not defaults:
        return (given if isinstance(given, str) and given else None), merged
    return json.dumps(merged, separators=(",", ":"), ensure_ascii=False), merged


def _robots(write: TenantWrite, robot_ids: Any) -> list[Record]:
    """The robots of `RobotIds`, each once; at most `MAX_JOBS_COUNT` of them."""
    if not isinstance(robot_ids, list) or not robot_ids:
        raise bad_request("The Specific strategy needs RobotIds: the robots to run the jobs on.")
    if len(robot_ids) > MAX_JOBS_COUNT:
        raise bad_request(f"RobotIds may name at most {MAX_JOBS_COUNT} robots.")
    for robot_id in robot_ids:
        if not isinstance(robot_id, int) or isinstance(robot_id, bool):
            raise bad_request(f"RobotIds holds {robot_id!r}, which is not an integer.")
    robots = []
    for robot_id in dict.fromkeys(robot_ids):  # a robot named twice runs one job
        try:
            robots.append(write.get(ROBOTS, robot_id))
        except LookupError:
            raise ApiError(404, "Robot does not exist.", ITEM_NOT_FOUND) from None
    return robots


def _given(info: Mapping[str, Any], member: str, default: Any) -> Any:
    """The request's value of `member`, or `default` when it sends none (null)."""
    value = info.get(member)
    return default if value is None else value


def _check_start_info(info: Mapping[str, Any]) -> None:
    """What StartProcessDto bounds beyond JobDto: Reference length, InputFile as a GUID,
    SpecificPriorityValue 1-100."""
    reference = info.get("Reference")
    if reference is not None and (
        not isinstance(reference, str) or utf16_length(reference) > MAX_REFERENCE
    ):
        raise bad_request(f"Reference must be a string of at most {MAX_REFERENCE} characters.")
    input_file = info.get("InputFile")
    if input_file is not None and canonical_guid(input_file) is None:
        raise bad_request("InputFile must be the GUID of an attachment.")
    priority = info.get("SpecificPriorityValue")
    if priority is not None and (
        not isinstance(priority, int) or isinstance(priority, bool) or not 1 <= priority <= 100
    ):
        raise bad_request("SpecificPriorityValue must be an integer from 1 to 100.")


def _simple_robot(robot: Record) -> Record:
    return {
        "Name": robot.get("Name"),
        "MachineName": robot.get("MachineName"),
        "Username": robot.get("Username"),
        "Type": robot.get("Type") or "Unattended",
        "HostingType": robot.get("HostingType") or "Standard",
        "Id": robot.get("Id"),
    }


def _count(info: Mapping[str, Any]) -> int:
    count = info.get("JobsCount")
    if count is None:
        return 1
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_JOBS_COUNT:
        raise bad_request(f"JobsCount must be an integer from 1 to {MAX_JOBS_COUNT}.")
    return count


def _source(info: Mapping[str, Any]) -> tuple[str, str]:
    """The job's `Source` and `SourceType` from the request's `Source`."""
    source = info.get("Source") or "Manual"
    allowed = _start_sources()
    if source not in allowed:
        raise bad_request(f"Source '{source}' is not one of {', '.join(allowed)}.")
    source_types = JOBS_SET.type.properties["SourceType"].members
    return source, source if source in source_types else "Manual"


def _new_job(
    write: TenantWrite,
    context: ActionContext,
    release: Record,
    info: Mapping[str, Any],
    robot: Record | None,
    batch: str,
) -> Record:
    text, values = _inputs_text(release, info.get("InputArguments"))
    source, source_type = _source(info)
    now = context.now
    fields: dict[str, Any] = {
        "Key": str(uuid.uuid4()),
        "State": "Pending",
        "JobPriority": _given(info, "JobPriority", _given(release, "JobPriority", "Normal")),
        "SpecificPriorityValue": _given(
            info, "SpecificPriorityValue", release.get("SpecificPriorityValue")
        ),
        "Robot": _simple_robot(robot) if robot is not None else None,
        "Source": source,
        "SourceType": source_type,
        "BatchExecutionKey": batch,
        "CreationTime": orchestrator_time(now),
        "LastModificationTime": orchestrator_time(now),
        "ReleaseName": release.get("Name"),
        "InputArguments": text,
        "InputFile": info.get("InputFile"),
        "Reference": info.get("Reference"),
        "EntryPointPath": info.get("EntryPointPath") or release.get("EntryPointPath"),
        "RuntimeType": info.get("RuntimeType") or "Unattended",
        "ProcessType": release.get("ProcessType") or "Process",
        "TraceId": info.get("TraceId"),
        "ParentSpanId": info.get("ParentSpanId"),
        "OrganizationUnitId": release.get("OrganizationUnitId"),
        "OrganizationUnitFullyQualifiedName": release.get("OrganizationUnitFullyQualifiedName"),
        "FolderKey": release.get("FolderKey"),
        "ReleaseId": release.get("Id"),
        "Plan": lifecycle.plan(release, values, now),
    }
    record = JOBS_SET.record(fields, write.new_id(JOBS))
    problem = JOBS_SET.problem(record)
    if problem is not None:
        path, text_ = problem
        raise bad_request(f"{'.'.join(str(part) for part in path)}: {text_}")
    return write.put(JOBS, record)


def _start_jobs(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the jobs to start")
    info = body.get("startInfo")
    if not isinstance(info, dict):
        raise bad_request('startInfo must not be null: {"startInfo": {"ReleaseName": ...}}.')
    strategy = info.get("Strategy")
    if strategy is not None and not isinstance(strategy, str):
        raise bad_request("Strategy must be a string, e.g. ModernJobsCount.")
    if strategy in CLASSIC_STRATEGIES:
        raise bad_request(
            f"The strategy '{strategy}' is not available in a modern folder; use "
            "ModernJobsCount (JobsCount) or Specific (RobotIds)."
        )
    if strategy is not None and strategy not in MODERN_STRATEGIES | {"Specific"}:
        raise bad_request(f"Strategy '{strategy}' is not a start strategy.")
    _check_start_info(info)
    batch = str(uuid.uuid4())
    with translated(JOBS_SET), context.stores.write() as write:
        release = _release(write, context, info)
        if strategy == "Specific":
            robots: list[Record | None] = list(_robots(write, info.get("RobotIds")))
        else:
            robots = [None] * _count(info)
        jobs = [_new_job(write, context, release, info, robot, batch) for robot in robots]
    value = [item(JOBS_SET, job) for job in jobs]
    root = context.service_root
    return ActionResult(201, {"@odata.context": f"{root}/$metadata#Jobs", "value": value})


def _strategy(body: Mapping[str, Any]) -> str:
    strategy = body.get("strategy")
    if strategy is None:
        raise bad_request("strategy is required: SoftStop or Kill.")
    found = STOP_STRATEGIES.get(str(strategy))
    if found is None:
        raise bad_request(f"strategy '{strategy}' is not SoftStop or Kill.")
    return found


def _stop(write: TenantWrite, context: ActionContext, job_ids: list[Any], strategy: str) -> None:
    changed = []
    for job_id in job_ids:
        job = _job(write, context, job_id)
        try:
            changed.append(lifecycle.stopped(job, strategy, context.now))
        except lifecycle.JobStateError as error:
            raise bad_request(f"Job {job_id}: {error}") from None
    for job in changed:
        write.put(JOBS, job)


def _stop_jobs(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the jobs to stop")
    job_ids = body.get("jobIds")
    if not isinstance(job_ids, list) or not job_ids:
        raise bad_request("jobIds is required: the Ids of the jobs to stop.")
    strategy = _strategy(body)
    with translated(JOBS_SET), context.stores.write() as write:
        _stop(write, context, job_ids, strategy)
    return ActionResult(200)


def _stop_job(context: ActionContext) -> ActionResult:
    strategy = _strategy(parse_json_object(context.body, "the stop"))
    with translated(JOBS_SET), context.stores.write() as write:
        _stop(write, context, [context.key], strategy)
    return ActionResult(200)


def _restart_job(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the job to restart")
    options = _entity_options(context)
    with translated(JOBS_SET), context.stores.write() as write:
        job = _job(write, context, body.get("jobId"))
        if job["State"] not in lifecycle.FINAL:
            raise bad_request(f"The job cannot be restarted: it is {job['State']}, not ended.")
        try:
            release = write.get(RELEASES.name, job.get("ReleaseId"))
        except LookupError:
            raise ApiError(
                404, RELEASES.not_found_message(job.get("ReleaseName")), ITEM_NOT_FOUND
            ) from None
        info = {
            "InputArguments": job.get("InputArguments"),
            "Source": job.get("Source"),
            "JobPriority": job.get("JobPriority"),
            "SpecificPriorityValue": job.get("SpecificPriorityValue"),
            "EntryPointPath": job.get("EntryPointPath"),
            "RuntimeType": job.get("RuntimeType"),
        }
        robot = None
        if job.get("Robot") is not None:
            robot = {**job["Robot"]}
        restarted = _new_job(write, context, release, info, robot, str(uuid.uuid4()))
    return _answer(context, restarted, options)


def _resume_job(context: ActionContext) -> ActionResult:
    body = parse_json_object(context.body, "the job to resume")
    options = _entity_options(context)
    with translated(JOBS_SET), context.stores.write() as write:
        found = _find_by_key(write, context, body.get("jobKey"))
        if found is None:
            raise not_found(JOBS_SET.not_found_message(body.get("jobKey")))
        try:
            resumed = lifecycle.resumed(lifecycle.settled(found, context.now), context.now)
        except lifecycle.JobStateError as error:
            raise bad_request(str(error)) from None
        write.put(JOBS, resumed)
    return _answer(context, resumed, options)


def _get_by_key(context: ActionContext) -> ActionResult:
    identifier = context.parameters.get("identifier", "")
    if canonical_guid(identifier) is None:
        raise bad_request(f"The key value '{identifier}' is not a valid Guid.")
    options = _entity_options(context)
    found = _find_by_key(None, context, identifier)
    if found is None:
        raise not_found(JOBS_SET.not_found_message(identifier))
    return _answer(context, found, options)


def _check_loaded(
    records: list[Any], tenant: Mapping[str, list[Any]]
) -> tuple[int, str, str] | None:
    """Each job in a folder of the tenant."""
    return outside_folders(records, tenant)


def _complete_loaded(records: list[Record], tenant: Mapping[str, list[Any]]) -> list[Record]:
    """Folder path and key from the world's folders."""
    in_folder = folder_members(tenant)
    return [{**record, **in_folder(record.get("OrganizationUnitId"))} for record in records]


JOBS_SET = EntitySet(
    name="Jobs",
    label="Job",
    folder_scoped=True,
    operations={Operation.LIST: COLLECTION, Operation.GET: ENTITY},
    unique=(Unique(("Key",), "A job with the key '{Key}' exists."),),
    type_annotation=False,
    cross_folder_list=True,
    expandable=("Robot", "Machine", "Release"),
    buckets={UNFINISHED: _unfinished},
    refresh=refresh,
    listed=_listed,
    check_loaded=_check_loaded,
    complete_loaded=_complete_loaded,
    actions=(
        post_action(f"{SERVICE}.StartJobs", _start_jobs, route=START_JOBS, status=201),
        post_action(f"{SERVICE}.StopJobs", _stop_jobs, route=STOP_JOBS),
        post_action(f"{SERVICE}.StopJob", _stop_job, route=STOP_JOB, on_entity=True),
        post_action(f"{SERVICE}.RestartJob", _restart_job, route=RESTART_JOB),
        post_action(f"{SERVICE}.ResumeJob", _resume_job, route=RESUME_JOB),
        Action(
            f"{SERVICE}.GetByKey",
            "GET",
            GET_BY_KEY,
            _get_by_key,
            writes=False,
            parameters="(identifier=<identifier>)",
            rules_of=COLLECTION,
        ),
    ),
)
