"""What `uipath-mock` prints at start: where it listens, the well-known apps, curl to paste."""

from dataclasses import dataclass
from pathlib import Path

from uipath_emulator.mock_server import well_known
from uipath_emulator.mock_server.world import App, Organization, World

PROXY_HEADING = "HTTPS proxy for clients that hard-code https://cloud.uipath.com:"

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


@dataclass(frozen=True)
class ProxySetup:
    """What the banner says about the proxy: its URL and the CA files clients must trust."""

    url: str
    no_proxy: str
    ca_cert: Path
    ca_bundle: Path


def start_banner(
    base_url: str,
    world: World,
    *,
    control_enabled: bool = True,
    proxy: ProxySetup | None = None,
) -> str:
    """The start-up text: base URL, apps and tenants, ready-to-paste curl, pages to open,
    and with `proxy`, how to send clients that hard-code the cloud through it."""
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
    if proxy is not None:
        lines += ["", *proxy_lines(base_url, world, proxy)]
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


def _login_example(world: World) -> tuple[Organization, App, str] | None:
    """The first organization with a confidential app and a tenant: (org, app, tenant name)."""
    for org in world.organizations:
        apps = [app for app in org.apps if app.confidential]
        if apps and org.tenants:
            return org, apps[0], org.tenants[0].name
    return None


def proxy_lines(base_url: str, world: World, proxy: ProxySetup) -> list[str]:
    """The proxy's part of the banner: the exact setup for bash and PowerShell, the OS trust
    commands for Windows and macOS, a `uipath auth` to paste, and the `.env` warning."""
    bundle, cert = proxy.ca_bundle, proxy.ca_cert
    lines = [
        f"{PROXY_HEADING} {proxy.url}",
        "  it answers cloud.uipath.com, alpha.uipath.com and staging.uipath.com from this "
        "emulator and refuses every other host",
        f"  CA: {cert} (certifi's roots plus this CA: {bundle})",
        "Send a client through it, bash:",
        f"  export HTTPS_PROXY={proxy.url} NO_PROXY={proxy.no_proxy}",
        f'  export SSL_CERT_FILE="{bundle}" REQUESTS_CA_BUNDLE="{bundle}"',
        "PowerShell:",
        f'  $env:HTTPS_PROXY = "{proxy.url}"; $env:NO_PROXY = "{proxy.no_proxy}"',
        f'  $env:SSL_CERT_FILE = "{bundle}"; $env:REQUESTS_CA_BUNDLE = "{bundle}"',
        "On Windows and macOS, UiPath's SDK and CLI (truststore) read only the OS trust store; "
        "trust the CA there once:",
        f'  Windows: certutil -user -addstore Root "{cert}"',
        "  macOS:   security add-trusted-cert -r trustRoot "
        f'-k ~/Library/Keychains/login.keychain-db "{cert}"',
        "  or set UIPATH_DISABLE_SSL_VERIFY=true (UiPath's SDK only; it then verifies no "
        "certificate at all)",
    ]
    example = _login_example(world)
    if example is not None:
        org, app, tenant = example
        lines += [
            "Log in with UiPath's CLI (the token request goes through the proxy):",
            f"  uipath auth --client-id {app.client_id} --client-secret "
            f"{_shown_secret(app.client_id, app.client_secret)} "
            f'--base-url {base_url}/{org.name}/{tenant} --scope "{" ".join(app.scopes)}"',
        ]
    lines += [
        "Warning: keep --base-url on this emulator's own URL. With https://cloud.uipath.com/... "
        "the .env that `uipath auth` writes names the real cloud, and a run without "
        "HTTPS_PROXY sends the emulator's token there.",
    ]
    return lines
