import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from portal.models import (
    ApiKey,
    BackgroundJob,
    Department,
    Invitation,
    Membership,
    Notification,
    Organization,
    OrganizationHost,
    OrganizationSetup,
    Role,
)

# Tracking-code prefixes (2–4 capitals) never run out: 484 of two letters, then three, then four.
_prefixes = ("".join(letters) for size in (2, 3, 4)
             for letters in itertools.product("ABCDEFGHJKMNPQRSTUVWXZ", repeat=size))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org{n}")
    name_th = factory.Sequence(lambda n: f"เทศบาลตำบลทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test Municipality {n}")
    kind = Organization.Kind.SUBDISTRICT_MUNICIPALITY
    district = "เมือง"
    province = "ขอนแก่น"
    code_prefix = factory.LazyFunction(lambda: next(_prefixes))
    latitude = "16.4320"
    longitude = "102.8230"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organization = factory.SubFactory(OrganizationFactory)
    name_th = factory.Sequence(lambda n: f"กองทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test Division {n}")
    code = factory.Sequence(lambda n: f"dept{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw-test-12345")


def staff(organization, role=Role.ADMINISTRATOR, department=None, **kwargs):
    """A staff user holding `role` in `organization`."""
    user = UserFactory(**kwargs)
    user.save()
    Membership.objects.create(user=user, organization=organization, role=role, department=department)
    return user


def make_tenant_objects(organization):
    """One row of every portal model for `organization` (used by the tenancy test across all apps)."""
    from portal.notifications.services import notify

    dept = DepartmentFactory(organization=organization)
    staff(organization, Role.OFFICER, department=dept)
    notify(organization=organization, event="generic", channel="email", recipient="a@example.com",
           context={"subject": "s", "message": "m"})


def _notification(organization):
    from portal.notifications.services import notify

    return notify(organization=organization, event="generic", channel="email", recipient="a@example.com",
                  context={"subject": "s", "message": "m"})


def _membership(organization):
    return Membership.objects.get(user=staff(organization, Role.OFFICER), organization=organization)


# Tenancy test hook: one saved row of every organization-owned model of the app (tests/portal/test_tenancy.py).
def _api_key(organization):
    from portal.open311.services import create_api_key

    return create_api_key(organization=organization, name="tenancy", actor=None)[0]


TENANCY_FACTORIES = {
    Organization: lambda organization: organization,
    Department: lambda organization: DepartmentFactory(organization=organization),
    Membership: _membership,
    Notification: _notification,
    BackgroundJob: lambda organization: BackgroundJob.objects.create(organization=organization, kind="tenancy.test"),
    ApiKey: _api_key,
    OrganizationHost: lambda organization: OrganizationHost.objects.create(
        organization=organization, host=f"www.{organization.slug}.go.th"),
    Invitation: lambda organization: Invitation.objects.create(
        organization=organization, email=f"admin@{organization.slug}.example", token_hash="0" * 64,
        expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
    OrganizationSetup: lambda organization: OrganizationSetup.objects.get_or_create(organization=organization)[0],
}
# Rows anybody may read by design (the public directory of organizations).
TENANCY_PUBLIC_MODELS = {Organization}
