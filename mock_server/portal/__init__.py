"""The Automation Cloud portal service (`portal_`): the one call `uipath auth` makes of it."""

from uipath_emulator.mock_server.portal.tenants import tenants_and_organization_info

__all__ = ["tenants_and_organization_info"]
