"""The Orchestrator Jobs resource (`/odata/Jobs`): read, stop, restart, and wait for a job's end.

A job is named by its `Key` (a GUID string or `uuid.UUID`), its `Id` (an int), or given as the
dict `processes.start`, `get` or `list` returned. `GetByKey`, `StopJobs` and `RestartJob` act in
the job's folder: it is taken from `folder=`, else from the job dict's `OrganizationUnitId`,
else found with one cross-folder listing (`Key in (...)`, as UiPath's SDK resolves keys).
Listings answer `InputArguments` and `OutputArguments` null, as the cloud does: `get` (and
`wait`) answer them filled, and `output(job)` parses the output arguments' JSON text.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from ._errors import JobTimeoutError, NotFoundError
from ._folder_entities import FolderEntities
from ._folder_ref import FolderLike, FolderRef, folder_ref
from ._odata import Entity, Page, SendRequest, json_object, query_options, with_query

Job = Entity
JobLike = str | uuid.UUID | int | Mapping[str, Any]
"""A job: its `Key`, its `Id`, or the job as the service answered it."""
StopStrategy = Literal["SoftStop", "Kill"]
SERVICE = "UiPath.Server.Configuration.OData"
FINAL_STATES = frozenset({"Successful", "Faulted", "Stopped"})
"""The states a job never leaves."""


class JobPage(Page):
    """One page of jobs: the items, and `@odata.count` when the service sent it."""


class LocatedJob(NamedTuple):
    """A job's `Id` and `Key` (None when not needed and not known) and its folder."""

    id: int | None
    key: str | None
    folder: FolderRef


def job_key(key: str | uuid.UUID) -> str:
    """`key` as a GUID string; `ValueError` when it is not a GUID."""
    try:
        return str(key if isinstance(key, uuid.UUID) else uuid.UUID(key))
    except (ValueError, AttributeError, TypeError):
        raise ValueError(f"a job key is a GUID, got {key!r}") from None


def output(job: Mapping[str, Any]) -> dict[str, Any]:
    """The job's output arguments as a dict (its `OutputArguments` JSON text parsed; `{}` when
    it has none). `ValueError` when the text is not a JSON object, or when the output was too
    large to answer inline and sits in the `OutputFile` attachment (not downloaded here).
    """
    text = job.get("OutputArguments")
    if not text:
        if job.get("OutputFile"):
            raise ValueError(
                f"job {job.get('Key')}'s output is in the attachment {job['OutputFile']} "
                "(OutputFile), which this client does not download"
            )
        return {}
    try:
        parsed = json.loads(text)
    except (TypeError, ValueError):
        raise ValueError(f"job {job.get('Key')}'s OutputArguments is not JSON: {text!r}") from None
    if not isinstance(parsed, dict):
        raise ValueError(f"job {job.get('Key')}'s OutputArguments is not a JSON object: {text!r}")
    return parsed


class Jobs:
    """Read jobs, stop and restart them, and wait until one ends.

    `list`, `iter`, `get` and `wait`'s reads are retried on connection errors and
    429/502/503/504; `stop` and `restart` are POSTs and are sent once (a repeated restart would
    start another job). `wait` sleeps with the client's `sleep` and reads its `clock`, so a test
    gives a fake sleep (e.g. the emulator clock's `advance`) and never waits.
    """

    def __init__(
        self,
        send: SendRequest,
        odata_url: str,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self._send = send
        self._jobs = FolderEntities(send, f"{odata_url}/Jobs", "job")
        self._clock = clock
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"Jobs(url={self._jobs.url!r})"

    def list(
        self,
        *,
        folder: FolderLike | None = None,
        filter: str | None = None,
        select: str | Sequence[str] | None = None,
        orderby: str | Sequence[str] | None = None,
        top: int | None = None,
        skip: int | None = None,
        expand: str | Sequence[str] | None = None,
        count: bool = False,
    ) -> JobPage:
        """One page of the jobs of `folder` (of every usable folder when it is None), shaped by
        the OData options given (e.g. `filter="State eq 'Faulted'", orderby="CreationTime desc"`).
        """
        options = query_options(
            filter=filter,
            select=select,
            orderby=orderby,
            top=top,
            skip=skip,
            expand=expand,
            count=count,
        )
        page = self._jobs.page(folder, options)
        return JobPage(items=page.items, count=page.count)

    def iter(
        self,
        *,
        folder: FolderLike | None = None,
        filter: str | None = None,
        orderby: str | Sequence[str] | None = "Id",
        page_size: int = 100,
    ) -> Iterator[Job]:
        """Every matching job, page by page (`$top`/`$skip`, `Id` order by default)."""
        return self._jobs.walk(folder, filter, orderby, page_size)

    def get(self, job: JobLike, *, folder: FolderLike | None = None) -> Job:
        """The job now (`GetByKey`), its arguments filled; `NotFoundError` when its folder
        holds no such job."""
        located = self._locate([job], folder, need="key")[0]
        return self._get_by_key(located)

    def get_by_id(self, job_id: int, *, folder: FolderLike) -> Job:
        """The job with this Id in the folder (`Jobs({Id})`); `NotFoundError` when there is
        none."""
        return self._jobs.get(job_id, folder)

    def stop(
        self,
        jobs: JobLike | Iterable[JobLike],
        *,
        strategy: StopStrategy = "SoftStop",
        folder: FolderLike | None = None,
    ) -> None:
        """StopJobs: `SoftStop` asks a running job to stop (`Stopping`, then `Stopped`), `Kill`
        stops it at once; a pending job stops at once. One request a folder. A job that has
        already ended is refused (`BadRequestError`).
        """
        located = self._locate(_many(jobs), folder, need="id")
        by_folder: dict[FolderRef, list[int]] = {}
        for found in located:
            if found.id is not None:  # always: `_locate` found each Id
                by_folder.setdefault(found.folder, []).append(found.id)
        url = f"{self._jobs.url}/{SERVICE}.StopJobs"
        for where, ids in by_folder.items():
            body = {"jobIds": ids, "strategy": strategy}
            self._send("POST", url, idempotent=False, json=body, headers=where.headers())

    def restart(self, job: JobLike, *, folder: FolderLike | None = None) -> Job:
        """RestartJob of an ended job: the new `Pending` job, with the same inputs. An
        unfinished job is refused (`BadRequestError`)."""
        located = self._locate([job], folder, need="id")[0]
        url = f"{self._jobs.url}/{SERVICE}.RestartJob"
        response = self._send(
            "POST",
            url,
            idempotent=False,
            json={"jobId": located.id},
            headers=located.folder.headers(),
        )
        return json_object(response, "POST", url)

    def wait(
        self,
        job: JobLike,
        *,
        folder: FolderLike | None = None,
        timeout: float = 600.0,
        interval: float = 1.0,
        max_interval: float = 30.0,
        backoff: float = 2.0,
    ) -> Job:
        """The job once it has ended (`Successful`, `Faulted` or `Stopped`), read with
        `GetByKey`: first at once, then after `interval` seconds, each pause `backoff` times
        the last up to `max_interval`. `JobTimeoutError` (with the job as last read) when it
        has not ended after `timeout` seconds: counted on the client's clock, or as the seconds
        slept when that is more (a fake sleep that moves no clock still times out).
        """
        if timeout < 0 or interval <= 0 or max_interval < interval or backoff < 1:
            raise ValueError(
                "wait needs timeout >= 0, interval > 0, max_interval >= interval, backoff >= 1"
            )
        located = self._locate([job], folder, need="key")[0]
        started, slept, pause = self._clock(), 0.0, interval
        while True:
            current = self._get_by_key(located)
            if current.get("State") in FINAL_STATES:
                return current
            waited = max(self._clock() - started, slept)
            if waited >= timeout:
                raise JobTimeoutError(current, timeout=timeout, waited=waited)
            nap = min(pause, timeout - waited)
            self._sleep(nap)
            slept += nap
            pause = min(pause * backoff, max_interval)

    @staticmethod
    def output(job: Mapping[str, Any]) -> dict[str, Any]:
        """The job's output arguments as a dict (see `output`); read it from `get` or `wait`:
        listings answer them null."""
        return output(job)

    def _get_by_key(self, located: LocatedJob) -> Job:
        url = f"{self._jobs.url}/{SERVICE}.GetByKey(identifier={located.key})"
        response = self._send("GET", url, idempotent=True, headers=located.folder.headers())
        return json_object(response, "GET", url)

    def _locate(
        self, jobs: list[JobLike], folder: FolderLike | None, *, need: Literal["id", "key"]
    ) -> list[LocatedJob]:
        """Each job's Id, Key and folder; one listing finds those the arguments do not give."""
        given = None if folder is None else folder_ref(folder)
        known: list[LocatedJob | None] = []
        wanted: list[int | str] = []
        for job in jobs:
            located, name = _from_argument(job, given)
            if located is not None and (located.id if need == "id" else located.key):
                known.append(located)
            else:
                known.append(None)
                wanted.append(name)
        if not wanted:
            return [found for found in known if found is not None]
        listed = self._listed(wanted, given)
        return [
            found if found is not None else listed[_lookup_name(job)]
            for found, job in zip(known, jobs, strict=True)
        ]

    def _listed(
        self, names: list[int | str], folder: FolderRef | None
    ) -> dict[int | str, LocatedJob]:
        """The jobs named by these Ids and keys, by name; `NotFoundError` for any missing."""
        keys = sorted({name for name in names if isinstance(name, str)})
        ids = sorted({name for name in names if isinstance(name, int)})
        quoted = ",".join(f"'{key}'" for key in keys)
        clauses = [f"Key in ({quoted})"] if keys else []
        clauses += [f"Id in ({','.join(str(i) for i in ids)})"] if ids else []
        options = query_options(
            filter=" or ".join(clauses),
            select="Id,Key,OrganizationUnitId",
            top=len(keys) + len(ids),
        )
        rows = self._jobs.page(folder, options).items
        found: dict[int | str, LocatedJob] = {}
        for row in rows:
            where = folder or FolderRef.by_id(int(row["OrganizationUnitId"]))
            located = LocatedJob(int(row["Id"]), str(row["Key"]).lower(), where)
            found[located.id] = found[str(located.key)] = located
        missing = [str(name) for name in names if name not in found]
        if missing:
            raise NotFoundError(
                status=404,
                method="GET",
                url=with_query(self._jobs.url, options),
                message=f"no job with the key or id {', '.join(missing)}",
            )
        return found


def _many(jobs: JobLike | Iterable[JobLike]) -> list[JobLike]:
    """One job, or several, as a list."""
    if isinstance(jobs, str | uuid.UUID | int | Mapping):
        return [jobs]
    return list(jobs)


def _lookup_name(job: JobLike) -> int | str:
    """What the listing finds the job by: its Id, or its key in lower case."""
    if isinstance(job, Mapping):
        if job.get("Key"):
            return job_key(job["Key"]).lower()
        return int(job["Id"])
    if isinstance(job, int) and not isinstance(job, bool):
        return job
    if isinstance(job, str | uuid.UUID):
        return job_key(job).lower()
    raise TypeError(f"a job is a key, an id or a job dict, got {type(job).__name__}")


def _from_argument(job: JobLike, folder: FolderRef | None) -> tuple[LocatedJob | None, int | str]:
    """What the argument itself says of the job (None without a folder), and its lookup name."""
    name = _lookup_name(job)
    if isinstance(job, Mapping):
        unit = job.get("OrganizationUnitId")
        where = folder or (FolderRef.by_id(int(unit)) if unit is not None else None)
        job_id = job.get("Id")
        key = job_key(job["Key"]) if job.get("Key") else None
        located = None if where is None else LocatedJob(job_id, key, where)
        return located, name
    if folder is None:
        return None, name
    if isinstance(name, int):
        return LocatedJob(name, None, folder), name
    return LocatedJob(None, name, folder), name
