"""Writes of the shared core."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership


@transaction.atomic
def add_staff_member(*, organization, role, department=None, user=None, username="", password="",
                     first_name="", last_name="", email="") -> Membership:
    """Give an existing staff user a role, or create the account first (an organization administrator's job:
    they must not need the installation's superuser to take on a new officer)."""
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, password=password, first_name=first_name, last_name=last_name, email=email,
            is_staff=True)
    elif not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return Membership.objects.create(user=user, organization=organization, role=role, department=department)
