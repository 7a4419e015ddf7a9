"""The Orchestrator processes of folders (`/odata/Releases`) and starting their jobs (`StartJobs`).

What Orchestrator's UI calls a process is a `Release` in the API: a package version deployed to
a folder. `list` without `folder=` reads every folder the caller may use; `start` names the
process's folder. Processes and jobs are plain dicts as sent (`Id`, `Key`, `Name`, `ProcessKey`,
`ProcessVersion`, ...; a job's `Key`, `State`, `OrganizationUnitId`, ...).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from ._folder_entities import FolderEntities
from ._folder_ref import FolderLike, folder_headers
from ._odata import Entity, Page, SendRequest, page_of, query_options

Process = Entity
Job = Entity
START_JOBS_ACTION = "UiPath.Server.Configuration.OData.StartJobs"


class ProcessPage(Page):
    """One page of processes: the items, and `@odata.count` when the service sent it."""


def release_member(release: str | uuid.UUID) -> dict[str, str]:
    """`{"ReleaseKey": ...}` for a key (a `uuid.UUID` or a GUID string), else `{"ReleaseName":
    ...}`."""
    if isinstance(release, uuid.UUID):
        return {"ReleaseKey": str(release)}
    if not isinstance(release, str) or not release.strip():
        raise ValueError(f"a process is named by its Name or Key, got {release!r}")
    try:
        return {"ReleaseKey": str(uuid.UUID(release))}
    except ValueError:
        return {"ReleaseName": release}


class Processes:
    """List a folder's processes and start their jobs. `list` is retried on connection errors
    and 429/502/503/504; `start` is a POST that starts jobs and is sent once.
    """

    def __init__(self, send: SendRequest, odata_url: str) -> None:
        self._send = send
        self._releases = FolderEntities(send, f"{odata_url}/Releases", "process")
        self._start_url = f"{odata_url}/Jobs/{START_JOBS_ACTION}"

    def __repr__(self) -> str:
        return f"Processes(url={self._releases.url!r})"

    def list(
        self,
        *,
        folder: FolderLike | None = None,
        filter: str | None = None,
        select: str | Sequence[str] | None = None,
        orderby: str | Sequence[str] | None = None,
        top: int | None = None,
        skip: int | None = None,
        count: bool = False,
    ) -> ProcessPage:
        """One page of the processes of `folder` (of every usable folder when it is None)."""
        options = query_options(
            filter=filter, select=select, orderby=orderby, top=top, skip=skip, count=count
        )
        page = self._releases.page(folder, options)
        return ProcessPage(items=page.items, count=page.count)

    def start(
        self,
        release: str | uuid.UUID,
        input_arguments: Mapping[str, Any] | None = None,
        *,
        folder: FolderLike,
        jobs_count: int | None = None,
        source: str | None = None,
    ) -> list[Job]:
        """StartJobs: the new `Pending` jobs of the folder's process `release` (its `Name`, or
        its `Key` as a GUID), given `input_arguments` (sent as the JSON text Orchestrator
        takes). Without `jobs_count` the service starts one job, as UiPath's SDKs rely on;
        with it, that many (`Strategy` `ModernJobsCount`). `source` is the job's `Source`
        (the service's default is `Manual`). An unknown process is `NotFoundError` (1002).
        """
        info: dict[str, Any] = release_member(release)
        if input_arguments is not None:
            info["InputArguments"] = json.dumps(dict(input_arguments))
        if jobs_count is not None:
            info.update({"Strategy": "ModernJobsCount", "JobsCount": int(jobs_count)})
        if source is not None:
            info["Source"] = source
        response = self._send(
            "POST",
            self._start_url,
            idempotent=False,
            json={"startInfo": info},
            headers=folder_headers(folder),
        )
        return page_of(response, "POST", self._start_url, what="started job").items
