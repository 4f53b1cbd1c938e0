import pytest
from django.test import Client
from django.urls import reverse

from portal.demo import load_core
from portal.models import Organization, Role
from tests.portal.factories import staff


@pytest.mark.django_db
def test_landing_lists_and_searches_organizations(client):
    load_core()
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="th"' in html and "เทศบาลตำบลคำใหญ่" in html and "องค์การบริหารส่วนตำบลนางรอง" in html
    found = client.get("/", {"q": "บุรีรัมย์"}).content.decode()
    assert "องค์การบริหารส่วนตำบลนางรอง" in found and "เทศบาลตำบลคำใหญ่" not in found
    assert "ไม่พบองค์กร" in client.get("/", {"q": "ไม่มีที่นี่"}).content.decode()


@pytest.mark.django_db
def test_language_switch_to_english(client):
    load_core()
    client.post(reverse("set_language"), {"language": "en", "next": "/khamyai/"})
    html = client.get("/khamyai/").content.decode()
    assert 'lang="en"' in html and "Kham Yai Subdistrict Municipality" in html and "Contact" in html


@pytest.mark.django_db
def test_org_home_shows_contact_and_unknown_slug_is_404(client):
    load_core()
    html = client.get("/khamyai/").content.decode()
    assert "ห้วยเม็ก" in html and "กาฬสินธุ์" in html and "043-000-001" in html
    assert client.get("/no-such-org/").status_code == 404


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    """The whole demo twice (each service's own demo is checked in its tests; open data's here too, since only the
    whole command publishes every organization's files): nothing is added the second time."""
    from django.core.management import call_command

    from opendata.models import Dataset

    call_command("load_demo", stdout=open("/dev/null", "w"))
    counts = (Organization.objects.count(), Organization.objects.first().departments.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (Organization.objects.count(), Organization.objects.first().departments.count()) == counts
    assert counts[0] == 3
    for slug in ("khamyai", "nangrong", "phannanakhon"):  # a CSV and a GeoJSON published by each, once
        uploaded = Dataset.objects.published().filter(organization__slug=slug, feed_name="")
        formats = sorted(r.format for d in uploaded for r in d.resources.all())
        assert formats == ["CSV", "GeoJSON"], slug
        for dataset in uploaded:
            assert dataset.data_type and dataset.geo_coverage and dataset.license_id == "Open Data Common"
            assert dataset.resources.get().versions.count() == 1
    page = Client().get("/opendata/", {"q": "ครัวเรือน"})
    assert page.context["found"]["count"] == 3


@pytest.mark.django_db
def test_staff_see_only_their_organizations_and_auditors_cannot_edit(org, other_org):
    client = Client()
    client.force_login(staff(org, Role.ADMINISTRATOR))
    listing = client.get(reverse("admin:portal_organization_changelist")).content.decode()
    assert org.name_th in listing and other_org.name_th not in listing
    assert client.get(reverse("admin:portal_organization_change", args=[org.pk])).status_code == 200

    auditor = Client()
    auditor.force_login(staff(org, Role.AUDITOR))
    assert auditor.get(reverse("admin:portal_department_changelist")).status_code == 403
    assert auditor.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    response = auditor.post(reverse("admin:portal_organization_change", args=[org.pk]), {"name_th": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_admin_writes_are_audited_with_actor(org):
    from auditlog.models import LogEntry

    user = staff(org, Role.ADMINISTRATOR)
    client = Client()
    client.force_login(user)
    url = reverse("admin:portal_organization_change", args=[org.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "logo"}
    data.update({"phone": "043-123-456", "slug": org.slug})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.filter(object_pk=str(org.pk)).latest("timestamp")
    assert entry.actor == user and "phone" in entry.changes_dict


@pytest.mark.django_db
def test_department_parent_must_be_same_organization(org, other_org):
    from django.core.exceptions import ValidationError

    from tests.portal.factories import DepartmentFactory

    foreign = DepartmentFactory(organization=other_org)
    child = DepartmentFactory.build(organization=org, parent=foreign, code="x")
    with pytest.raises(ValidationError):
        child.full_clean()


@pytest.mark.django_db
def test_thai_is_default_even_for_english_browsers(client):
    load_core()
    html = client.get("/khamyai/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="th"' in html and "ติดต่อ" in html


@pytest.mark.django_db
def test_org_administrator_creates_a_staff_account_for_own_organization_only(org, other_org):
    from django.contrib.auth import get_user_model

    from portal.models import Membership
    from tests.portal.factories import DepartmentFactory

    dept = DepartmentFactory(organization=org)
    client = Client()
    client.force_login(staff(org, Role.ADMINISTRATOR))
    url = reverse("admin:portal_membership_add")
    data = {"organization": org.pk, "role": Role.OFFICER, "department": dept.pk, "user": "",
            "new_username": "somchai", "new_password": "Kh0nKaen-2568!", "first_name": "สมชาย", "last_name": "ใจดี"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(username="somchai")
    assert user.is_staff and user.check_password("Kh0nKaen-2568!")
    assert Membership.objects.filter(user=user, organization=org, role=Role.OFFICER, department=dept).exists()

    # Not for another organization, and never without a password.
    refused = client.post(url, {**data, "organization": other_org.pk, "new_username": "other"})
    assert refused.status_code in (200, 400) and not get_user_model().objects.filter(username="other").exists()
    refused = client.post(url, {**data, "new_username": "nopass", "new_password": ""})
    assert not get_user_model().objects.filter(username="nopass").exists()
    # An officer may not manage staff at all.
    officer = Client()
    officer.force_login(staff(org, Role.OFFICER))
    assert officer.get(url).status_code == 403


@pytest.mark.django_db
def test_admin_messages_are_thai(org):
    client = Client()
    client.force_login(staff(org, Role.ADMINISTRATOR))
    url = reverse("admin:portal_department_add")
    response = client.post(url, {"organization": org.pk, "name_th": "กองทดสอบ", "code": "test"}, follow=True)
    assert "เรียบร้อยแล้ว" in response.content.decode()


@pytest.mark.django_db
def test_reserved_paths_cannot_be_organization_slugs():
    from django.core.exceptions import ValidationError

    from tests.portal.factories import OrganizationFactory

    for slug in ("admin", "api", "plans", "open311"):
        with pytest.raises(ValidationError):
            OrganizationFactory.build(slug=slug).full_clean()
