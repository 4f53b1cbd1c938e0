"""Shared core models, one module per concern; every name is importable from `portal.models` (migrations refer to
`portal.models.LanguageField`, `portal.models.AuditTaggedByOrganization` and `validate_slug_not_reserved`)."""

from portal.access.roles import Role
from portal.models.machinery import ApiKey, BackgroundJob, Holiday, Notification
from portal.models.onboarding import DLA_CODE, DirectoryEntry, Invitation, OrganizationSetup
from portal.models.organizations import (
    NATIONAL_EMERGENCY_NUMBERS,
    RESERVED_SLUGS,
    AuditTaggedByOrganization,
    LanguageField,
    Organization,
    OrganizationKey,
    OrganizationOwned,
    OrganizationScoped,
    validate_slug_not_reserved,
)
from portal.models.staff import HOST_NAME, Department, Membership, OrganizationHost

__all__ = [
    "DLA_CODE", "HOST_NAME", "NATIONAL_EMERGENCY_NUMBERS", "RESERVED_SLUGS", "ApiKey", "AuditTaggedByOrganization",
    "BackgroundJob", "Department", "DirectoryEntry", "Holiday", "Invitation", "LanguageField", "Membership",
    "Notification", "Organization", "OrganizationHost", "OrganizationKey", "OrganizationOwned", "OrganizationScoped",
    "OrganizationSetup", "Role", "validate_slug_not_reserved",
]
