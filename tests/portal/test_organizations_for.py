"""One answer to "which organizations may this user act in, for this action" (portal.access.permissions): the
same set answers "may I?" and "which rows?", leaves out deactivated organizations, and the admin's choices and
filters are built from it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from complaints.models import Complaint
from portal.access.permissions import may_act_in, organization_ids_for, organizations_for
from portal.models import Role
from tests.complaints.factories import CategoryFactory
from tests.portal.factories import OrganizationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(org, other_org):
    closed = OrganizationFactory(is_active=False)
    user = staff(org, Role.OFFICER)
    user.memberships.create(organization=other_org, role=Role.AUDITOR)
    user.memberships.create(organization=closed, role=Role.ADMINISTRATOR)
    return user, org, other_org, closed


def test_the_answer_follows_the_role_table_and_leaves_out_deactivated_organizations(three):
    user, officer_in, auditor_in, closed = three
    assert organization_ids_for(user) == {officer_in.pk, auditor_in.pk}
    assert organization_ids_for(user, "view", Complaint) == {officer_in.pk, auditor_in.pk}
    assert organization_ids_for(user, "change", Complaint) == {officer_in.pk}
    assert organization_ids_for(user, roles=[Role.ADMINISTRATOR]) == set()  # only in the deactivated one
    assert list(organizations_for(user, "change", Complaint)) == [officer_in]
    assert may_act_in(user, officer_in.pk, "change", Complaint)
    assert not may_act_in(user, auditor_in.pk, "change", Complaint)
    assert not may_act_in(user, closed.pk)


def test_superusers_get_every_active_organization_and_nobody_gets_none(three):
    _user, officer_in, auditor_in, closed = three
    root = UserFactory(is_superuser=True, is_staff=True)
    root.save()
    assert organization_ids_for(root, "delete", Complaint) >= {officer_in.pk, auditor_in.pk}
    assert closed.pk not in organization_ids_for(root)
    assert organization_ids_for(AnonymousUser()) == set()
    assert organization_ids_for(None) == set()


def test_the_admin_category_filter_offers_only_the_organizations_the_user_acts_in(client, three):
    user, officer_in, _auditor_in, closed = three
    user.is_staff = True
    user.save()
    mine = CategoryFactory(organization=officer_in, name_th="ถนนชำรุดของเรา")
    CategoryFactory(organization=closed, name_th="หมวดขององค์กรที่ปิดแล้ว")
    client.force_login(user)
    page = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert mine.name_th in page
    assert "หมวดขององค์กรที่ปิดแล้ว" not in page
