"""Review walk-through as citizens and staff exercise it: bad input on the phone form, Thai digits, anonymous
filing, a QR scan, a wrong corruption passphrase, the admin change form's layout and the QR sticker PDF."""

import subprocess

import pytest

from tests.e2e.conftest import SHOTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    from complaints.demo import ensure_categories
    from portal.models import Department, Role
    from tests.portal.factories import OrganizationFactory, staff

    org = OrganizationFactory(slug="e2e-review", name_th="เทศบาลตำบลรีวิว")
    works = Department.objects.create(organization=org, code="works", name_th="กองช่าง")
    cats = ensure_categories(org)
    staff(org, Role.OFFICER, department=works, username="e2e-review-works")
    staff(org, Role.ADMINISTRATOR, username="e2e-review-admin")
    return org, cats


def test_phone_form_bad_photo_thai_digits_anonymous_and_qr(live_server, phone_page, shot, tmp_path, town):
    from complaints.models import Asset, Complaint
    from tests.complaints.factories import jpeg_bytes

    org, cats = town
    not_image = tmp_path / "scan.jpg"
    not_image.write_bytes(b"%PDF-1.4 this is a PDF named .jpg")
    photo = tmp_path / "drain.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480), color=(60, 90, 160), exif_gps=True))

    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/complaints/new/")
    page.select_option("#id_category", str(cats["drain"].pk))
    page.fill("#id_description", "ท่อระบายน้ำอุดตัน น้ำท่วมขังหน้าตลาด")
    page.locator("#map").click(position={"x": 150, "y": 100})  # no tiles configured: the blank grid takes the pin
    page.set_input_files("#id_photos", str(not_image))
    page.fill("#id_contact_phone", "๐๘๑-๒๓๔-๕๖๗๘")
    page.select_option("#id_notify_channel", "sms")
    page.check("#id_pdpa_consent")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("#submit-complaint")
    assert posted.value.status == 400
    # The message sits under the photo field itself.
    assert "ไม่ใช่ภาพ" in page.locator(".has-error:has(#id_photos) .errorlist").inner_text()
    shot(page, "complaints-review-01-bad-photo")
    assert Complaint.objects.count() == 0
    page.set_input_files("#id_photos", str(photo))
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")
    complaint = Complaint.objects.get(tracking_code=page.inner_text("#tracking-code").strip())
    assert complaint.contact_phone == "0812345678" and complaint.photos.count() == 1
    assert "ได้รับเรื่องแล้ว" in page.inner_text(".timeline")  # derived "received" entry
    shot(page, "complaints-review-02-tracked")

    # Anonymous: no contact at all, village with Thai digits.
    page.goto(f"{live_server.url}/{org.slug}/complaints/new/")
    page.select_option("#id_category", str(cats["garbage"].pk))
    page.fill("#id_description", "ขยะไม่ได้เก็บมา 2 สัปดาห์")
    page.fill("#id_village", "หมู่ ๓")
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")
    anonymous = Complaint.objects.get(tracking_code=page.inner_text("#tracking-code").strip())
    assert anonymous.village == "หมู่ 3" and not anonymous.contact_phone and anonymous.pdpa_consent_at is None

    # A QR sticker scan opens the form pre-filled and counts the scan.
    asset = Asset.objects.create(organization=org, code="LS-101", kind=Asset.Kind.LOUDSPEAKER,
                                 category=cats["loudspeaker"], village="หมู่ 1", latitude=org.latitude,
                                 longitude=org.longitude)
    page.goto(f"{live_server.url}{asset.get_scan_url()}")
    assert page.input_value("#id_category") == str(cats["loudspeaker"].pk)
    assert page.input_value("#id_village") == "หมู่ 1"
    shot(page, "complaints-review-03-qr-form")
    page.fill("#id_description", "เสียงตามสายไม่ดัง")
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")
    asset.refresh_from_db()
    assert asset.scan_count == 1
    assert Complaint.objects.get(tracking_code=page.inner_text("#tracking-code").strip()).channel == "qr"


def test_wrong_passphrase_is_refused_on_phone(live_server, phone_page, shot, town):
    org, _cats = town
    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/integrity/")
    page.fill("#id_description", "มีการเรียกรับเงินเพื่ออนุมัติใบอนุญาต")
    page.click("button[type=submit].btn")
    page.wait_for_selector("#passphrase")
    code = page.inner_text("#tracking-code")
    page.goto(f"{live_server.url}/{org.slug}/integrity/status/")
    page.fill("#id_code", code)
    page.fill("#id_passphrase", "aaaa-bbbb-cccc-dddd")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("button[type=submit].btn")
    assert posted.value.status == 400
    assert "ไม่ถูกต้อง" in page.inner_text("[role=alert]")
    assert page.locator("#status").count() == 0
    shot(page, "complaints-review-04-wrong-passphrase")
    # Never on the public tracking page.
    assert page.goto(f"{live_server.url}/{org.slug}/complaints/track/{code}/").status == 404


def test_admin_change_form_buttons_clear_of_actions_and_qr_sheet(live_server, desktop_page, shot, town, tmp_path):
    from complaints.models import Asset
    from tests.complaints.factories import make_complaint

    org, cats = town
    complaint = make_complaint(org, cats["street_light"])
    page = desktop_page
    login(page, live_server, "e2e-review-works")
    page.goto(f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/")
    tools = page.locator("ul.object-tools").bounding_box()
    actions = page.locator("#workflow-actions").bounding_box()
    assert tools["y"] + tools["height"] <= actions["y"] + 1, (tools, actions)  # buttons above, not over, the help
    shot(page, "complaints-review-05-admin-change")

    for n in range(3):
        Asset.objects.create(organization=org, code=f"SL-{n:03d}", kind=Asset.Kind.STREET_LIGHT, village="หมู่ 2",
                             batch="2569-1")
    page.context.clear_cookies()
    login(page, live_server, "e2e-review-admin")
    page.goto(f"{live_server.url}/admin/complaints/asset/")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "print_qr_sheet")
    with page.expect_download() as download:
        page.click("button[name=index]")
    pdf = tmp_path / "stickers.pdf"
    download.value.save_as(pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "SarabunThai" in fonts  # the portal's own Thai font, embedded
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "สแกนแจ้งเหตุชำรุด" in text and "SL-002" in text
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf),
                    str(SHOTS / "complaints-review-06-qr-sheet")], check=True)
