"""What `uipath-mock` prints at start: where it listens, the well-known apps, curl to paste."""

from uipath_emulator.mock_server import well_known
from uipath_emulator.mock_server.world import World

_PUBLISHED = {
    app.client_id: app.client_secret
    for app in (
        well_known.FULL,
        well_known.READONLY,
        well_known.ROBOTS,
        well_known.SPA,
        well_known.GLOBEX,
    )
}


def start_banner(base_url: str, world: World, *, control_enabled: bool = True) -> str:
    """The start-up text: base URL, apps and tenants, ready-to-paste curl, pages to open."""
    lines = [f"uipath-mock: UiPath Automation Cloud emulator listening on {base_url}", ""]
    for org in world.organizations:
        tenants = ", ".join(tenant.name for tenant in org.tenants)
        lines.append(f"organization {org.name} ({org.id}); tenants: {tenants}")
        for app in org.apps:
            secret = _shown_secret(app.client_id, app.client_secret)
            lines.append(
                f"  app {app.name:<12} client_id {app.client_id}  secret {secret}  "
                f"scopes {' '.join(app.scopes)}"
            )
    example = _example(base_url, world)
    if example:
        lines += ["", *example]
    for org in world.organizations[:1]:
        for tenant in org.tenants[:1]:
            swagger = f"{base_url}/{org.name}/{tenant.name}/orchestrator_/swagger/index.html"
            lines += ["", f"Swagger UI: {swagger}"]
    if control_enabled:
        lines.append(f"Dashboard:  {base_url}/_emulator/")
    lines += ["", "Press Ctrl-C to stop."]
    return "\n".join(lines)


def _shown_secret(client_id: str, secret: str | None) -> str:
    """The well-known apps' published secrets in full; any other secret masked."""
    if secret is None:
        return "(none)"
    if _PUBLISHED.get(client_id) == secret:
        return secret
    return "<secret from the world file>"


def _example(base_url: str, world: World) -> list[str]:
    for org in world.organizations:
        apps = [app for app in org.apps if app.confidential]
        if apps and org.tenants:
            app, tenant = apps[0], org.tenants[0]
            return [
                "Get a token:",
                f'  curl -X POST "{base_url}/{org.name}/identity_/connect/token" \\',
                '    -H "Content-Type: application/x-www-form-urlencoded" \\',
                f'    -d "grant_type=client_credentials&client_id={app.client_id}'
                f"&client_secret={_shown_secret(app.client_id, app.client_secret)}"
                f'&scope={" ".join(app.scopes)}"',
                "List machines with it:",
                f'  curl -X GET "{base_url}/{org.name}/{tenant.name}'
                '/orchestrator_/odata/Machines" \\',
                '    -H "Authorization: Bearer {access_token}" \\',
                '    -H "accept: application/json"',
            ]
    return []
