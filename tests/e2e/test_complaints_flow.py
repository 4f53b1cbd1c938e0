"""Phone: file a complaint with a photo and track it; staff resolve it in the admin; the citizen rates it."""

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_file_track_resolve_rate(live_server, phone_page, desktop_page, shot, tmp_path):
    from complaints.demo import ensure_categories
    from complaints.models import Complaint
    from portal.models import Department, Role
    from tests.complaints.factories import jpeg_bytes
    from tests.portal.factories import OrganizationFactory, staff

    org = OrganizationFactory(slug="e2e-town", name_th="เทศบาลตำบลทดสอบอีทูอี")
    works = Department.objects.create(organization=org, code="works", name_th="กองช่าง")
    cats = ensure_categories(org)
    officer = staff(org, Role.OFFICER, department=works, username="e2e-works")
    photo = tmp_path / "light.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480), color=(240, 200, 40), exif_gps=True))

    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/complaints/new/")
    assert page.locator(".leaflet-container").count() == 1  # local Leaflet loaded, no tiles configured
    shot(page, "complaints-01-form-empty")
    page.select_option("#id_category", str(cats["street_light"].pk))
    page.fill("#id_description", "ไฟถนนดับ 3 ต้น ตั้งแต่หน้าวัดถึงสามแยก มืดมาก")
    page.locator("#map").click(position={"x": 180, "y": 120})  # drop the pin on the blank grid
    assert page.input_value("#id_latitude") != ""
    page.fill("#id_village", "หมู่ 2")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_contact_phone", "0812345678")
    page.select_option("#id_notify_channel", "sms")
    page.check("#id_pdpa_consent")
    shot(page, "complaints-02-form-filled")
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")
    code = page.inner_text("#tracking-code").strip()
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.photos.count() == 1 and complaint.latitude is not None
    shot(page, "complaints-03-tracking-code")

    # Track by code from the complaints page.
    page.goto(f"{live_server.url}/{org.slug}/complaints/")
    page.fill("#code", code.lower())
    page.click("button[type=submit].btn")
    page.wait_for_selector("#status")
    assert "รับเรื่องแล้ว" in page.inner_text("#status")

    # Staff resolve it in the admin.
    admin = desktop_page
    login(admin, live_server, "e2e-works")
    admin.goto(f"{live_server.url}/admin/complaints/complaint/?queue=mine")
    assert code in admin.content()
    shot(admin, "complaints-04-admin-queue")
    admin.click(f"text={code}")
    admin.select_option("#id_act-action", "status")
    admin.select_option("#id_act-to_status", "accepted")
    admin.click("#apply-action")
    admin.wait_for_selector(".messagelist")
    admin.select_option("#id_act-action", "status")
    admin.select_option("#id_act-to_status", "resolved")
    admin.fill("#id_act-note", "เปลี่ยนหลอดไฟ LED ครบ 3 ต้นแล้ว")
    admin.set_input_files("#id_act-photo", str(photo))
    admin.click("#apply-action")
    admin.wait_for_selector(".messagelist")
    shot(admin, "complaints-05-admin-resolved")
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert officer is not None

    # The citizen sees the public reply, then rates through the tokenised link.
    page.goto(f"{live_server.url}{complaint.get_absolute_url()}")
    assert "เปลี่ยนหลอดไฟ LED" in page.content()
    shot(page, "complaints-06-track-resolved")
    page.goto(f"{live_server.url}/{org.slug}/complaints/rate/{complaint.rating_token}/")
    page.check("input[name=score][value='5']")
    page.fill("#id_comment", "รวดเร็วมาก ขอบคุณครับ")
    shot(page, "complaints-07-rate")
    page.click("button[type=submit].btn")
    page.wait_for_selector("#rating-done")
    shot(page, "complaints-08-rated")
    assert complaint.rating.score == 5


def test_corruption_form_on_phone(live_server, phone_page, shot):
    from complaints.demo import ensure_categories
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="e2e-integrity")
    ensure_categories(org)
    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/integrity/")
    page.fill("#id_description", "มีการเรียกรับเงินเพื่ออนุมัติใบอนุญาตก่อสร้าง")
    page.click("button[type=submit].btn")
    page.wait_for_selector("#passphrase")
    shot(page, "complaints-09-integrity-done")
    code, passphrase = page.inner_text("#tracking-code"), page.inner_text("#passphrase")
    page.goto(f"{live_server.url}/{org.slug}/integrity/status/")
    page.fill("#id_code", code)
    page.fill("#id_passphrase", passphrase)
    page.click("button[type=submit].btn")
    page.wait_for_selector("#status")
    shot(page, "complaints-10-integrity-status")
