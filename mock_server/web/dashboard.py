"""The dashboard at `/_emulator/`: the world, each entity set's records, clock, faults, requests.

Plain server-rendered HTML (a Jinja template shipped in the package, no build step). A small
inline script polls the control plane's cheap JSON every second (`summary`: counts, not records;
`requests?limit=50`; `faults`), and pages through the records of the entity set chosen
(`records/{org}/{tenant}/{set}?skip=&top=`, the control plane's entities with secret members
masked), reloading the page shown only when that set changed. Each tenant's folder tree, with
each folder's assets, is rendered with the page and reloaded (`folders`) when folders or assets
change; so is each tenant's list of queues with their item counts per status (`queues`), and
of buckets with their files, each with a download link (`buckets`: a pre-signed read URI), and
each tenant's newest jobs with their states (`jobs`, reloaded while one of them has not ended,
since jobs move with the clock; never their arguments). Its clock buttons `POST
/_emulator/clock`; a pending or running job's Complete and Fault buttons `POST
/_emulator/jobs/{org}/{tenant}/{key}/complete|fault`. App secrets, and the members an entity set
marks secret, are never shown, neither in the page nor in the JSON it reads.

Access: register `dashboard_blueprint` inside the control blueprint (`control_blueprint`), so
the control plane's guard decides (off, loopback-only, or `Authorization: Bearer TOKEN`). A
browser cannot send that header when opening a page, so with a control token the page is opened
once as `/_emulator/?token=TOKEN`: the query token is presented to the guard as the header it
stands for, and the page's script keeps it in memory for its polling calls and drops it from the
address bar.
"""

import secrets
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, render_template, request, url_for

from uipath_emulator.mock_server.control.bucket_view import bucket_view
from uipath_emulator.mock_server.control.clock_actions import clock_document
from uipath_emulator.mock_server.control.folder_view import folder_view
from uipath_emulator.mock_server.control.job_view import FAULT_INFO, FINAL, JOBS_SHOWN, job_view
from uipath_emulator.mock_server.control.queue_view import STATUSES, queue_view
from uipath_emulator.mock_server.control.summary import SECRET_MASK, world_summary
from uipath_emulator.mock_server.orchestrator.entities.registry import EntitySet
from uipath_emulator.mock_server.web.context import current_emulator
from uipath_emulator.mock_server.web.control import MAX_PAGE, count_argument
from uipath_emulator.mock_server.web.responses import base_url, json_response

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator

REQUESTS_SHOWN = 50
"""How many of the latest journal entries the dashboard lists, newest first."""
RECORDS_SHOWN = 20
"""Records of the chosen entity set on one page."""
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#fa4616"/>'
    '<text x="16" y="22" font-family="sans-serif" font-size="14" font-weight="700" '
    'fill="#fff" text-anchor="middle">Ui</text></svg>'
)
"""The dashboard's icon: the emulator's colour, no file to ship."""
_CONTROL_ENDPOINTS = {
    "summary": "control.summary",
    "requests": "control.get_requests",
    "clock": "control.get_clock",
    "faults": "control.get_faults",
}


def columns(entity_set: EntitySet) -> dict[str, Any]:
    """What the records table shows of a set: its columns, and the members it masks."""
    facts = entity_set.facts
    shown = facts.get("columns") or [entity_set.key, *list(entity_set.type.wire_order)[:5]]
    return {"columns": shown, "secret": facts.get("secret_members", [])}


def _requests(emulator: "Emulator") -> list[dict[str, Any]]:
    entries = []
    for entry in emulator.requests.entries(REQUESTS_SHOWN):
        shown = entry.as_dict()
        shown["query_text"] = "&".join(f"{name}={value}" for name, value in entry.query.items())
        entries.append(shown)
    return entries[::-1]


def _first_page(emulator: "Emulator") -> dict[str, Any]:
    """The records the page opens on: the first set of the world's first tenant."""
    tenants = emulator.world.tenants()
    sets = list(emulator.registry)
    if not tenants or not sets:
        return {}
    tenant, entity_set = tenants[0], sets[0]
    organization = next(o for o in emulator.world.organizations if tenant in o.tenants)
    records = tenant.store(entity_set.name).snapshot()[:RECORDS_SHOWN]
    return {
        "organization": organization.name,
        "tenant": tenant.name,
        "set": entity_set.name,
        "count": len(tenant.store(entity_set.name)),
        "records": [entity_set.masked(record) for record in records],
        **columns(entity_set),
    }


def _folders(emulator: "Emulator") -> list[dict[str, Any]]:
    """Each tenant's folder tree with its assets, passwords and secrets masked."""
    assets = emulator.registry.get("Assets")
    secret = assets.facts.get("secret_members", []) if assets is not None else []
    return folder_view(emulator.world, secret)


def _buckets(emulator: "Emulator") -> list[dict[str, Any]]:
    """Each tenant's buckets and files, download links on the host the page was asked on."""
    base = base_url(request.environ)
    return bucket_view(emulator.world, emulator.uri_signer, base, emulator.clock.now())


def dashboard_view(emulator: "Emulator") -> dict[str, Any]:
    """What the page shows, with secrets masked: the template's only input besides URLs."""
    organizations = world_summary(emulator.world)
    return {
        "organizations": organizations,
        "folders": _folders(emulator),
        "queues": queue_view(emulator.world),
        "buckets": _buckets(emulator),
        "jobs": job_view(emulator.world, emulator.clock.now()),
        "sets": {entity_set.name: columns(entity_set) for entity_set in emulator.registry},
        "selected": _first_page(emulator),
        "clock": clock_document(emulator.clock),
        "faults": emulator.faults.describe(),
        "requests": _requests(emulator),
    }


def dashboard_blueprint() -> Blueprint:
    """The page `/`; register it inside the control blueprint so that its guard applies."""
    blueprint = Blueprint("dashboard", __name__, template_folder="templates")

    @blueprint.url_value_preprocessor
    def token_from_query(endpoint: str | None, values: dict[str, Any] | None) -> None:
        # Runs before every before_request function, the control guard's included.
        token = request.args.get("token")
        if endpoint != "control.dashboard.dashboard":
            return  # the JSON routes take the token only as a header, as the control plane does
        if token and request.method in ("GET", "HEAD") and "Authorization" not in request.headers:
            request.environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    @blueprint.get("/favicon.svg")
    def favicon() -> Response:
        return Response(
            FAVICON, content_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
        )

    @blueprint.get("/folders")
    def folders() -> Response:
        return json_response({"tenants": _folders(current_emulator())})

    @blueprint.get("/queues")
    def queues() -> Response:
        return json_response({"tenants": queue_view(current_emulator().world)})

    @blueprint.get("/buckets")
    def buckets() -> Response:
        return json_response({"tenants": _buckets(current_emulator())})

    @blueprint.get("/jobs")
    def jobs() -> Response:
        emulator = current_emulator()
        return json_response({"tenants": job_view(emulator.world, emulator.clock.now())})

    @blueprint.get("/records/<organization>/<tenant>/<entity_set>")
    def records(organization: str, tenant: str, entity_set: str) -> Response:
        handle = current_emulator().entities(organization, tenant, entity_set)
        skip, top = count_argument("skip", 0, 10**9), count_argument("top", RECORDS_SHOWN, MAX_PAGE)
        shown = list(handle.list(skip, top))
        return json_response({"count": handle.count(), "skip": skip, "value": shown})

    @blueprint.get("/")
    def dashboard() -> Response:
        nonce = secrets.token_urlsafe(16)
        urls = {name: url_for(endpoint) for name, endpoint in _CONTROL_ENDPOINTS.items()}
        urls["records"] = url_for("control.summary").removesuffix("summary") + "records"
        urls["folders"] = url_for("control.dashboard.folders")
        urls["queues"] = url_for("control.dashboard.queues")
        urls["buckets"] = url_for("control.dashboard.buckets")
        urls["jobs"] = url_for("control.dashboard.jobs")
        page = render_template(
            "uipath_emulator/dashboard.html",
            view=dashboard_view(current_emulator()),
            urls=urls,
            nonce=nonce,
            requests_shown=REQUESTS_SHOWN,
            records_shown=RECORDS_SHOWN,
            secret_mask=SECRET_MASK,
            queue_statuses=STATUSES,
            jobs_shown=JOBS_SHOWN,
            final_states=FINAL,
            fault_info=FAULT_INFO,
        )
        return Response(
            page,
            content_type="text/html; charset=utf-8",
            headers={
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": (
                    f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
                    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                    "form-action 'none'; frame-ancestors 'none'"
                ),
            },
        )

    return blueprint
