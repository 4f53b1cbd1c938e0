"""Phone: apply for a service; the page says what to keep and the receipt downloads there. Then on another phone (a
fresh browser context: no session, no private link) the citizen types the tracking code in lower case without
dashes, sees the status only, asks for a one-time code by SMS, types it and uploads the document staff asked for.
The code comes from a patched generator (the live server runs in this process)."""

import pytest

from tests.e2e.a11y import assert_axe_clean
from tests.e2e.conftest import PHONE, _offline

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_apply_then_regain_access_on_another_phone(live_server, browser, phone_page, shot, tmp_path, monkeypatch):
    from eservice.models import ServiceRequest
    from eservice.requests import services
    from portal.access import otp
    from portal.models import Role
    from portal.notifications.sms import LocmemSMSBackend
    from tests.eservice.factories import PDF_BYTES, VALID_ID, png_bytes
    from tests.portal.factories import OrganizationFactory, staff

    monkeypatch.setattr(otp, "new_code", lambda: "482913")
    org = OrganizationFactory(slug="e2e-anywhere", name_th="เทศบาลตำบลตามได้")
    services.create_from_template(organization=org, template_key="building-permit")
    officer = staff(org, Role.OFFICER)
    plans = tmp_path / "plans.pdf"
    plans.write_bytes(PDF_BYTES)
    house = tmp_path / "house.png"
    house.write_bytes(png_bytes())

    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/eservice/building-permit/")
    page.fill("#id_applicant_name", "สมหญิง ใจงาม")
    page.fill("#id_phone", "081-234-5678")
    page.fill("#id_f_citizen_id", VALID_ID)
    page.check("input[name=f_work_0][value=build]")
    page.fill("#id_f_building_use", "บ้านพักอาศัย")
    page.fill("#id_f_floors", "2")
    page.fill("#id_f_area", "120")
    page.fill("#id_f_title_deed_no", "12345")
    page.fill("input[name=f_site_0]", "99 หมู่ 3")
    page.fill("input[name=f_site_1]", "คำใหญ่")
    page.fill("input[name=f_site_2]", "ห้วยเม็ก")
    page.fill("input[name=f_site_3]", "กาฬสินธุ์")
    page.set_input_files("#id_f_plans", str(plans))
    page.check("#id_consent")
    page.click("button[type=submit]:has-text('ยื่นคำร้อง')")
    page.wait_for_selector("#keep")
    code = page.inner_text("h1 .code").strip()
    request_obj = ServiceRequest.objects.get(tracking_code=code)
    keep = page.inner_text("#keep")
    assert "เก็บสิ่งเหล่านี้ไว้" in keep and code in keep
    assert request_obj.access_key in page.inner_text("#private-link")
    assert page.locator("#keep button:has-text('08x-xxx-5678')").is_visible()  # send it by SMS
    assert page.locator("#line-share").is_visible()
    with page.expect_download() as download:
        page.click("#receipt-download")
    saved = tmp_path / "receipt.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert_axe_clean(page)
    shot(page, "access-01-applied-what-to-keep")

    services.ask_for_documents(request_obj=request_obj, message="กรุณาแนบสำเนาทะเบียนบ้าน",
                               items=["สำเนาทะเบียนบ้าน"], actor=officer)

    # Another phone: nothing of the first one's session.
    other = _offline(browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                         locale="th-TH"))
    try:
        phone = other.new_page()
        phone.goto(f"{live_server.url}/{org.slug}/eservice/#track")
        phone.fill("#code", code.lower().replace("-", ""))
        phone.press("#code", "Enter")
        phone.wait_for_selector("#access")
        assert code in phone.inner_text("h1")
        assert phone.locator("input[name=doc_0]").count() == 0  # status only
        assert "สมหญิง" not in phone.content()
        assert_axe_clean(phone)
        shot(phone, "access-02-other-phone-status-only")
        phone.click("#access button:has-text('SMS')")
        phone.wait_for_selector("#otp-code")
        assert "482913" in LocmemSMSBackend.outbox[-1]["text"]
        assert LocmemSMSBackend.outbox[-1]["to"] == "0812345678"
        phone.fill("#otp-code", "482913")
        shot(phone, "access-03-one-time-code")
        phone.click("#access button:has-text('ยืนยัน')")
        phone.wait_for_selector("input[name=doc_0]")
        phone.set_input_files("input[name=doc_0]", str(house))
        phone.click("button:has-text('ส่งเอกสาร')")
        phone.wait_for_selector(".status-checking")
        shot(phone, "access-04-document-sent-from-other-phone")
    finally:
        other.close()
    assert request_obj.documents.filter(document_request__isnull=False).count() == 1
