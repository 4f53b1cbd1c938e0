"""Phone: a complaint form sent back with an error keeps the typed text and the chosen photo (a thumbnail with a
remove button), counts the description's characters live, and files with the kept photo without choosing it
again."""

import pytest

from tests.e2e.a11y import assert_axe_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = "ถนนชำรุดเป็นหลุมลึก หน้าวัดสว่างอารมณ์ รถจักรยานยนต์ล้มไปแล้วสองคัน"


def test_error_keeps_text_and_photo_then_submit(live_server, phone_page, shot, tmp_path):
    from complaints.demo import ensure_categories
    from complaints.models import Complaint
    from tests.complaints.factories import jpeg_bytes
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="keep-town", name_th="เทศบาลตำบลไม่ลืม")
    cats = ensure_categories(org)
    photo = tmp_path / "หลุม.jpg"
    photo.write_bytes(jpeg_bytes(size=(800, 600), color=(90, 140, 200)))

    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/complaints/new/")
    page.select_option("#id_category", str(cats["road"].pk))
    page.fill("#id_description", TEXT)
    counter = page.locator("#id_description-count")
    assert counter.inner_text() == f"{len(TEXT)} / 4,000"
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_contact_phone", "โทรหาผมนะ")  # not a phone number: the form comes back with an error
    page.click("#submit-complaint")
    page.wait_for_selector(".kept-item")

    # Everything is still there: the text, the category, the photo as a thumbnail served to this browser only.
    assert page.input_value("#id_description") == TEXT
    assert page.input_value("#id_category") == str(cats["road"].pk)
    thumb = page.locator(".kept-thumb")
    assert thumb.count() == 1
    # The thumbnail loads lazily: wait for it to arrive (a 404 or a broken image never gets a width).
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10000)
    assert "หลุม.jpg" in page.inner_text(".kept-name")
    assert page.locator(".kept-remove-button").is_visible()
    assert counter.inner_text() == f"{len(TEXT)} / 4,000"
    assert_axe_clean(page)
    shot(page, "ux-keep-input-01-error-kept")

    # Over the limit: said plainly, nothing cut.
    page.fill("#id_description", "ก" * 4001)
    assert page.locator("#id_description-count.over").inner_text() == "4,001 / 4,000"
    assert len(page.input_value("#id_description")) == 4001
    page.fill("#id_description", TEXT)

    # Fix the phone and a location, then send: the kept photo goes with it, chosen once.
    page.fill("#id_contact_phone", "")
    page.fill("#id_village", "หมู่ 4")
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")
    complaint = Complaint.objects.get(tracking_code=page.inner_text("#tracking-code").strip())
    assert complaint.description == TEXT and complaint.photos.count() == 1
    shot(page, "ux-keep-input-02-filed")


def test_remove_button_drops_a_kept_photo(live_server, phone_page, tmp_path):
    from complaints.demo import ensure_categories
    from complaints.models import Complaint
    from tests.complaints.factories import jpeg_bytes
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="keep-town2", name_th="เทศบาลตำบลเลือกได้")
    cats = ensure_categories(org)
    photo = tmp_path / "a.jpg"
    photo.write_bytes(jpeg_bytes(size=(400, 300)))
    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/complaints/new/")
    page.select_option("#id_category", str(cats["road"].pk))
    page.fill("#id_description", TEXT)
    page.set_input_files("#id_photos", str(photo))
    page.click("#submit-complaint")  # no location: sent back
    page.wait_for_selector(".kept-item")
    page.click(".kept-remove-button")
    assert not page.locator(".kept-item").is_visible()
    page.fill("#id_village", "หมู่ 1")
    page.click("#submit-complaint")
    page.wait_for_selector("#tracking-code")
    assert Complaint.objects.get().photos.count() == 0
