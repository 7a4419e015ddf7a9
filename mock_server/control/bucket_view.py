"""What the dashboard shows of buckets: each tenant's buckets with their folder, and each
bucket's files (path, content type, size) with a download link, a pre-signed read URI."""

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from uipath_emulator.mock_server.orchestrator.storage.signing import (
    DEFAULT_EXPIRY_MINUTES,
    READ,
    BlobGrant,
    UriSigner,
)
from uipath_emulator.mock_server.world import World

BUCKETS = "Buckets"
FILES = "BucketFiles"
FILES_SHOWN = 50
"""At most this many files are listed per bucket (by path), with the total."""


def _read_uri(
    signer: UriSigner,
    base: str,
    organization: str,
    tenant: str,
    expiry: int,
    bucket_id: int,
    path: str,
) -> str:
    return signer.uri(base, BlobGrant(organization, tenant, bucket_id, path, READ, expiry))


def _files(
    files: Sequence[Mapping[str, Any]], link: Callable[[int, str], str], bucket_id: int
) -> tuple[list[dict[str, Any]], int]:
    held = sorted(
        (file for file in files if file.get("BucketId") == bucket_id),
        key=lambda file: str(file.get("FullPath")),
    )
    shown = [
        {
            "path": file.get("FullPath"),
            "content_type": file.get("ContentType"),
            "size": file.get("Size"),
            "download": link(bucket_id, str(file.get("FullPath"))),
        }
        for file in held[:FILES_SHOWN]
    ]
    return shown, len(held)


def bucket_view(world: World, signer: UriSigner, base: str, now: float) -> list[dict[str, Any]]:
    """Each tenant's buckets by folder path, each with its files; the download links are read
    URIs under `base` valid for the default lifetime from `now`."""
    tenants = []
    expiry = int(now) + 60 * DEFAULT_EXPIRY_MINUTES
    for organization in world.organizations:
        for tenant in organization.tenants:
            if BUCKETS not in tenant.entities:
                continue
            folders = {
                folder.get("Id"): str(folder.get("FullyQualifiedName") or "")
                for folder in tenant.store("Folders").snapshot()
            }
            files = tenant.store(FILES).snapshot()

            link = partial(_read_uri, signer, base, organization.name, tenant.name, expiry)
            buckets = []
            for bucket in sorted(
                tenant.store(BUCKETS).snapshot(),
                key=lambda b: (folders.get(b.get("OrganizationUnitId"), ""), b["Id"]),
            ):
                shown, total = _files(files, link, bucket["Id"])
                buckets.append(
                    {
                        "id": bucket["Id"],
                        "name": bucket.get("Name"),
                        "folder": folders.get(bucket.get("OrganizationUnitId"), ""),
                        "files": shown,
                        "file_count": total,
                    }
                )
            tenants.append(
                {"organization": organization.name, "tenant": tenant.name, "buckets": buckets}
            )
    return tenants
