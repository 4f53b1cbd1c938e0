"""The invited clerk's set-up wizard: one step a page, each saved as they go (leaving and coming back resumes),
skippable, Thai first; the last step opens the organization's pages, which show only the services switched on."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from portal.models import Department, OrganizationHost, OrganizationSetup, Role
from tests.portal.factories import OrganizationFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_org(db):
    organization = OrganizationFactory(is_active=False, name_en="", line_oa_id="")
    OrganizationSetup.objects.create(organization=organization)
    return organization


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (11, 93, 75)).save(out, "PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def test_the_wizard_walks_saves_each_step_and_opens_the_organization(clerk, new_org):
    base = f"/{new_org.slug}/setup/"
    assert clerk.get(base)["Location"] == f"{base}names/"
    page = clerk.get(f"{base}names/")
    assert page.status_code == 200 and "ขั้นที่ 1 จาก 13" in page.content.decode()
    response = clerk.post(f"{base}names/", {"name_th": "องค์การบริหารส่วนตำบลคำใหญ่",
                                            "name_en": "Kham Yai SAO"})
    assert response["Location"] == f"{base}contact/"
    new_org.refresh_from_db()
    assert new_org.name_en == "Kham Yai SAO"

    assert clerk.post(f"{base}contact/", {"skip": "1"})["Location"] == f"{base}logo/"
    assert clerk.post(f"{base}logo/", {"logo": _png()})["Location"] == f"{base}line/"
    new_org.refresh_from_db()
    assert new_org.logo.name.startswith("logos/") and new_org.logo.name.endswith(".jpg")

    bad = clerk.post(f"{base}line/", {"line_oa_id": "khamyai"})
    assert bad.status_code == 400 and "ขึ้นต้นด้วย @" in bad.content.decode()
    assert 'value="khamyai"' in bad.content.decode(), "what was typed is kept"
    assert clerk.post(f"{base}line/", {"line_oa_id": "@khamyai"})["Location"] == f"{base}digits/"
    assert clerk.post(f"{base}digits/", {"public_digits": "thai"})["Location"] == f"{base}services/"
    new_org.refresh_from_db()
    assert new_org.public_digits == "thai"

    services_page = clerk.get(f"{base}services/").content.decode()
    assert 'value="taxpay"' in services_page and 'value="complaints"' in services_page
    on = ["complaints", "eservice", "taxpay", "innovation_plans"]
    assert clerk.post(f"{base}services/", {"on": on})["Location"] == f"{base}departments/"
    assert OrganizationSetup.objects.get(organization=new_org).services_off == ["opendata"]

    response = clerk.post(f"{base}departments/", {"standard": ["clerk", "finance"],
                                                  "others": "กองส่งเสริมการเกษตร\n\n"})
    assert response["Location"] == f"{base}staff/"
    assert sorted(Department.objects.filter(organization=new_org).values_list("name_th", flat=True)) == [
        "กองคลัง", "กองส่งเสริมการเกษตร", "สำนักปลัด"]
    # saving the step again adds nothing twice
    clerk.post(f"{base}departments/", {"standard": ["clerk"], "others": "กองส่งเสริมการเกษตร"})
    assert Department.objects.filter(organization=new_org).count() == 3

    # then the steps of the services switched on, in the apps' order (open data, switched off, has none anyway)
    assert clerk.post(f"{base}staff/", {"skip": "1"})["Location"] == f"{base}innovation_plans-plan/"
    for step, after in (("innovation_plans-plan", "eservice-templates"), ("eservice-templates", "eservice-queues"),
                        ("eservice-queues", "complaints-categories"), ("complaints-categories", "taxpay-settings"),
                        ("taxpay-settings", "finish")):
        assert clerk.post(f"{base}{step}/", {"skip": "1"})["Location"] == f"{base}{after}/"
    finish = clerk.get(f"{base}finish/").content.decode()
    assert "ติดต่อและเวลาทำการ" in finish.split('id="skipped"')[1], "the skipped step is named"
    assert Client().get(f"/{new_org.slug}/").status_code == 404, "hidden until the clerk opens it"
    opened = clerk.post(f"{base}finish/")
    assert opened["Location"] == f"/{new_org.slug}/"
    new_org.refresh_from_db()
    assert new_org.is_active
    home = Client().get(f"/{new_org.slug}/").content.decode()
    assert f"/{new_org.slug}/eservice/" in home and "/opendata/" not in home, "only the services switched on"
    assert LogEntry.objects.filter(additional_data__event="portal.setup.step_saved").count() == 14
    assert LogEntry.objects.get(additional_data__event="portal.setup.finished").additional_data[
        "organization_id"] == new_org.pk


def test_leaving_and_coming_back_resumes_at_the_first_step_not_done(clerk, new_org):
    base = f"/{new_org.slug}/setup/"
    clerk.post(f"{base}names/", {"name_th": "อบต.คำใหญ่", "name_en": ""})
    clerk.post(f"{base}contact/", {"address": "หมู่ 1", "phone": "043 000 000", "email": "", "office_hours": ""})
    later = Client()
    later.force_login(new_org.memberships.get().user)
    assert later.get(base)["Location"] == f"{base}logo/"
    # an earlier step shows what was saved, and the progress marks the saved steps
    contact = later.get(f"{base}contact/").content.decode()
    assert "043 000 000" in contact and contact.count("✓") == 2


def test_only_the_organizations_administrators_run_its_wizard(new_org, other_org):
    base = f"/{new_org.slug}/setup/names/"
    anonymous = Client().get(base)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    for user in (staff(new_org, Role.OFFICER), staff(other_org, Role.ADMINISTRATOR)):
        client = Client()
        client.force_login(user)
        assert client.get(base).status_code == 403
        assert client.post(base, {"name_th": "ยึด", "name_en": ""}).status_code == 403
    new_org.refresh_from_db()
    assert new_org.name_th != "ยึด"
    assert Client().get(f"/{new_org.slug}/setup/nothing/").status_code == 302
    client = Client()
    client.force_login(staff(new_org, Role.ADMINISTRATOR))
    assert client.get(f"/{new_org.slug}/setup/nothing/").status_code == 404


def test_a_bad_logo_is_a_400_in_thai(clerk, new_org):
    response = clerk.post(f"/{new_org.slug}/setup/logo/",
                          {"logo": SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")})
    assert response.status_code == 400 and "ไม่ใช่ภาพ" in response.content.decode()


def test_the_wizard_on_the_organizations_own_host(new_org):
    OrganizationHost.objects.create(organization=new_org, host="www.khamyai.go.th")
    client = Client(HTTP_HOST="www.khamyai.go.th")
    client.force_login(staff(new_org, Role.ADMINISTRATOR))
    assert client.get("/setup/")["Location"] == "/setup/names/"
    assert client.post("/setup/names/", {"name_th": "อบต.คำใหญ่", "name_en": ""})["Location"] == "/setup/contact/"


def test_one_language_at_a_time(clerk, new_org):
    clerk.post("/i18n/setlang/", {"language": "en"})
    page = clerk.get(f"/{new_org.slug}/setup/names/").content.decode()
    assert "Step 1 of 13" in page and "ขั้นที่" not in page and "Save and continue" in page


def test_the_contact_step_takes_office_hours_in_english_too(clerk, new_org):
    base = f"/{new_org.slug}/setup/"
    assert 'name="office_hours_en"' in clerk.get(f"{base}contact/").content.decode()
    clerk.post(f"{base}contact/", {"address": "หมู่ 1", "phone": "043 000 000", "email": "",
                                   "office_hours": "จันทร์–ศุกร์ 08:30–16:30 น.",
                                   "office_hours_en": "Monday–Friday 08:30–16:30"})
    new_org.refresh_from_db()
    assert (new_org.office_hours, new_org.office_hours_en) == ("จันทร์–ศุกร์ 08:30–16:30 น.", "Monday–Friday 08:30–16:30")
