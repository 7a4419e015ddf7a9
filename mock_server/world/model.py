"""Organizations, apps and tenants, with the look-ups the services need."""

from dataclasses import dataclass, field

from uipath_emulator.mock_server.world.store import EntityStore, TenantStores


@dataclass(frozen=True)
class App:
    """An external application registered in an organization."""

    name: str
    client_id: str
    client_secret: str | None = field(repr=False)
    confidential: bool
    scopes: tuple[str, ...]
    organization_id: str
    robot_key: str | None = None
    """The `Key`-like robot key (a tenant robot's `LicenseKey`) this app's tokens stand for."""


@dataclass
class Tenant:
    """A tenant of an organization, holding its Orchestrator entities."""

    id: str
    name: str
    entities: TenantStores

    def store(self, entity_set: str) -> EntityStore:
        """The records of one entity set in this tenant."""
        return self.entities[entity_set]


@dataclass
class Organization:
    """An Automation Cloud organization with its apps and tenants."""

    id: str
    name: str
    apps: list[App]
    tenants: list[Tenant]

    def find_tenant(self, name_or_id: str) -> Tenant | None:
        """The tenant named (case-insensitively) or identified by `name_or_id`, if any."""
        wanted = name_or_id.casefold()
        for tenant in self.tenants:
            if wanted in (tenant.name.casefold(), tenant.id.casefold()):
                return tenant
        return None


class World:
    """Every organization of the emulated cloud, indexed for the look-ups requests make."""

    def __init__(self, organizations: list[Organization]) -> None:
        self.organizations = organizations
        self._by_key: dict[str, Organization] = {}
        self._apps: dict[str, App] = {}
        for organization in organizations:
            self._by_key[organization.name.casefold()] = organization
            self._by_key[organization.id.casefold()] = organization
            for app in organization.apps:
                self._apps[app.client_id.casefold()] = app

    def find_organization(self, name_or_id: str) -> Organization | None:
        """The organization named (case-insensitively) or identified by `name_or_id`, if any."""
        return self._by_key.get(name_or_id.casefold())

    def find_app(self, client_id: str) -> App | None:
        """The app with this client id (GUIDs compare case-insensitively), if any."""
        return self._apps.get(client_id.casefold())

    def organization_of(self, app: App) -> Organization:
        """The organization that registered `app`."""
        return self._by_key[app.organization_id.casefold()]

    def tenants(self) -> list[Tenant]:
        """Every tenant of every organization."""
        return [tenant for organization in self.organizations for tenant in organization.tenants]

    def revision(self) -> int:
        """How many commits every tenant's stores have taken in all."""
        return sum(tenant.entities.revision() for tenant in self.tenants())

    def __repr__(self) -> str:
        names = ", ".join(organization.name for organization in self.organizations)
        return f"<World organizations=[{names}]>"
