"""The roles that read corruption reports (legal officer, executive) are granted by a superuser only; the grant is
audited and announced to the organization's legal officers."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from portal import services
from portal.models import Membership, Notification, Role
from tests.portal.factories import UserFactory, staff

ADD = "admin:portal_membership_add"


@pytest.fixture
def administrator(org):
    return staff(org, Role.ADMINISTRATOR)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.LEGAL_OFFICER, Role.EXECUTIVE])
def test_administrator_cannot_give_themself_a_protected_role(org, administrator, role):
    client = Client()
    client.force_login(administrator)
    response = client.post(reverse(ADD), {"organization": org.pk, "role": role, "user": administrator.pk,
                                          "department": ""})
    assert response.status_code in (200, 400, 403)
    assert not Membership.objects.filter(user=administrator, role=role).exists()
    with pytest.raises(PermissionDenied):
        services.add_staff_member(organization=org, role=role, user=administrator, granted_by=administrator)
    assert not Membership.objects.filter(user=administrator, role=role).exists()


@pytest.mark.django_db
def test_administrator_cannot_turn_an_existing_role_into_a_protected_one(org, administrator):
    colleague = staff(org, Role.OFFICER)
    membership = Membership.objects.get(user=colleague)
    membership.role = Role.LEGAL_OFFICER
    with pytest.raises(PermissionDenied):
        services.save_membership(membership=membership, granted_by=administrator)
    assert Membership.objects.get(pk=membership.pk).role == Role.OFFICER
    own = Membership.objects.get(user=administrator)
    own.role = Role.EXECUTIVE
    with pytest.raises(PermissionDenied):
        services.save_membership(membership=own, granted_by=administrator)


@pytest.mark.django_db
def test_protected_roles_are_not_offered_to_administrators(org, administrator):
    client = Client()
    client.force_login(administrator)
    html = client.get(reverse(ADD)).content.decode()
    assert f'value="{Role.OFFICER}"' in html
    assert f'value="{Role.LEGAL_OFFICER}"' not in html and f'value="{Role.EXECUTIVE}"' not in html


@pytest.mark.django_db
def test_superuser_grant_is_audited_and_announced_to_legal_officers(org, administrator):
    existing = staff(org, Role.LEGAL_OFFICER, email="legal@example.com")
    root = UserFactory(is_superuser=True)
    root.save()
    client = Client()
    client.force_login(root)
    response = client.post(reverse(ADD), {"organization": org.pk, "role": Role.LEGAL_OFFICER,
                                          "user": administrator.pk, "department": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    granted = Membership.objects.get(user=administrator, role=Role.LEGAL_OFFICER)
    entry = LogEntry.objects.filter(additional_data__protected_role_granted=Role.LEGAL_OFFICER).get()
    assert entry.actor == root and entry.object_pk == str(granted.pk)
    assert entry.additional_data["organization_id"] == org.pk
    notice = Notification.objects.get(recipient=existing.email)
    assert administrator.get_username() in notice.body and notice.organization == org


@pytest.mark.django_db
def test_ordinary_roles_still_granted_by_administrators(org, administrator):
    colleague = UserFactory()
    colleague.save()
    Membership.objects.create(user=colleague, organization=org, role=Role.AUDITOR)
    membership = services.add_staff_member(organization=org, role=Role.OFFICER, user=colleague,
                                           granted_by=administrator)
    assert membership.role == Role.OFFICER
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_administrator_of_another_organization_cannot_grant_here(org, other_org):
    outsider = staff(other_org, Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        services.add_staff_member(organization=org, role=Role.OFFICER, username="x", password="Kh0nKaen-2568!",
                                  granted_by=outsider)
