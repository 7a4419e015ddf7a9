"""The organization and tenant a request names, or the 404 that says which one is missing."""

from uipath_emulator.mock_server.orchestrator.errors import organization_not_found, tenant_not_found
from uipath_emulator.mock_server.world import Organization, Tenant, World


def organization_named(world: World, name: str) -> Organization:
    """The organization `name` (its name in any case, or its id); 404 when there is none."""
    found = world.find_organization(name)
    if found is None:
        raise organization_not_found(name)
    return found


def tenant_named(world: World, organization: str, tenant: str) -> tuple[Organization, Tenant]:
    """The organization and its tenant named in a path; 404 naming the one that is missing."""
    found_organization = organization_named(world, organization)
    found = found_organization.find_tenant(tenant)
    if found is None:
        raise tenant_not_found(organization, tenant)
    return found_organization, found
