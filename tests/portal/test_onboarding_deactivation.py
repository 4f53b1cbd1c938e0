"""The installation's superuser deactivates and reactivates an organization from its admin page, after a page that
says what will happen; recorded in the audit log; the organization's own staff cannot. (What deactivation hides
is proven in test_deactivation.py.)"""

import pytest
from auditlog.models import LogEntry
from django.test import Client

from portal.models import OrganizationSetup, Role
from portal.onboarding import services
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_user(django_user_model):
    return django_user_model.objects.create_superuser("root-act", "root@example.com", "x")


@pytest.fixture
def root(root_user):
    client = Client()
    client.force_login(root_user)
    return client


def test_superuser_deactivates_after_confirming_and_reactivates(root, root_user, org):
    url = f"/admin/portal/organization/{org.pk}/activation/"
    change = root.get(f"/admin/portal/organization/{org.pk}/change/").content.decode()
    assert f'href="{url}"' in change and "ปิดการใช้งาน" in change
    confirm = root.get(url)
    html = confirm.content.decode()
    assert confirm.status_code == 200 and 'id="activation-effects"' in html
    assert "ข้อมูลทั้งหมดยังเก็บไว้ครบ" in html and "ตอบว่าไม่พบ" in html
    org.refresh_from_db()
    assert org.is_active, "the confirmation page changes nothing"
    assert Client().get(f"/{org.slug}/").status_code == 200

    assert root.post(url)["Location"] == f"/admin/portal/organization/{org.pk}/change/"
    org.refresh_from_db()
    assert not org.is_active
    assert Client().get(f"/{org.slug}/").status_code == 404
    row = LogEntry.objects.get(additional_data__event="portal.organization.deactivated")
    assert row.actor == root_user and row.changes == {"is_active": [True, False]}
    assert row.additional_data["organization_id"] == org.pk

    again = root.get(url).content.decode()
    assert "เปิดใช้งาน" in again and "activation-effects" not in again
    root.post(url)
    org.refresh_from_db()
    assert org.is_active and Client().get(f"/{org.slug}/").status_code == 200
    assert LogEntry.objects.get(additional_data__event="portal.organization.reactivated").actor == root_user


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.OFFICER])
def test_the_organizations_own_staff_cannot(client, org, role):
    client.force_login(staff(org, role))
    url = f"/admin/portal/organization/{org.pk}/activation/"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    org.refresh_from_db()
    assert org.is_active
    assert not LogEntry.objects.filter(additional_data__event="portal.organization.deactivated").exists()
    change = client.get(f"/admin/portal/organization/{org.pk}/change/")
    assert url not in change.content.decode()


def test_finishing_the_wizard_does_not_undo_a_deactivation(root_user, org):
    clerk = staff(org, Role.ADMINISTRATOR)
    OrganizationSetup.objects.create(organization=org)
    services.finish_setup(organization=org, actor=clerk)
    services.set_active(organization=org, active=False, actor=root_user)
    services.finish_setup(organization=org, actor=clerk)
    org.refresh_from_db()
    assert not org.is_active
