"""What the citizen pages of both domains share: the organization from the URL and form errors from a service."""


from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from portal.access.permissions import can
from portal.models import Organization

from .models import ServiceRequest


def _org(org_slug) -> Organization:
    return get_object_or_404(Organization, slug=org_slug, is_active=True)


def _is_staff_of(user, organization) -> bool:
    return user.is_authenticated and can(user, "change", ServiceRequest(organization=organization))


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
