"""Phone: apply with an attachment -> staff ask for a document -> the citizen uploads it from the tracking page ->
staff approve with a result document -> the citizen downloads it and rates."""

import pytest

from tests.e2e.a11y import assert_axe_clean
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_apply_ask_upload_approve_download_rate(live_server, phone_page, desktop_page, shot, tmp_path):
    from eservice.models import ServiceRequest
    from eservice.requests.services import create_from_template
    from portal.models import Department, Role
    from tests.eservice.factories import PDF_BYTES, VALID_ID, png_bytes
    from tests.portal.factories import OrganizationFactory, staff

    org = OrganizationFactory(slug="e2e-eservice", name_th="เทศบาลตำบลบริการดี")
    works = Department.objects.create(organization=org, code="works", name_th="กองช่าง")
    create_from_template(organization=org, template_key="building-permit", department=works)
    create_from_template(organization=org, template_key="garbage-bin")
    staff(org, Role.OFFICER, department=works, username="e2e-permits")
    plans = tmp_path / "plans.pdf"
    plans.write_bytes(PDF_BYTES)
    house = tmp_path / "house.png"
    house.write_bytes(png_bytes())
    permit = tmp_path / "permit.pdf"
    permit.write_bytes(PDF_BYTES)

    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/eservice/")
    page.fill("#q", "ขออนุญาตก่อสร้าง")
    page.click("form[role=search] button")
    assert page.locator(".service-list li.card").count() == 1
    shot(page, "eservice-01-catalogue-search")
    page.click("text=คู่มือสำหรับประชาชน")
    assert "พระราชบัญญัติควบคุมอาคาร" in page.content()
    shot(page, "eservice-02-manual")
    page.click("text=ยื่นคำร้องออนไลน์")
    page.fill("#id_applicant_name", "สมหญิง ใจงาม")
    page.fill("#id_phone", "081-234-5678")
    page.check("input[name=notify_channel][value=sms]")
    page.fill("#id_f_citizen_id", VALID_ID)
    page.check("input[name=f_work_0][value=build]")
    page.fill("#id_f_building_use", "บ้านพักอาศัย")
    page.fill("#id_f_floors", "๒")
    page.fill("#id_f_area", "120")
    page.fill("#id_f_title_deed_no", "12345")
    page.fill("input[name=f_site_0]", "99 หมู่ 3")
    page.fill("input[name=f_site_1]", "คำใหญ่")
    page.fill("input[name=f_site_2]", "ห้วยเม็ก")
    # Province left out on purpose: the form comes back with the message, the file kept.
    page.set_input_files("#id_f_plans", str(plans))
    page.check("#id_consent")
    page.click("button[type=submit]:has-text('ยื่นคำร้อง')")
    # The page that comes back rearranges itself once its deferred scripts run (a kept file's remove button) and its
    # font arrives: wait for both before the next click, or the click can land while the form moves under it.
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert "กรุณากรอกตำบล อำเภอ และจังหวัดให้ครบ" in page.content()
    assert "plans.pdf" in page.inner_text(".kept-list")
    shot(page, "eservice-03-form-error-file-kept")
    page.fill("input[name=f_site_3]", "กาฬสินธุ์")
    page.check("#id_consent")
    page.click("button[type=submit]:has-text('ยื่นคำร้อง')")
    page.wait_for_selector("h1 .code")
    code = page.inner_text("h1 .code").strip()
    request_obj = ServiceRequest.objects.get(tracking_code=code)
    assert request_obj.documents.count() == 1
    shot(page, "eservice-04-tracking-received")

    admin = desktop_page
    login(admin, live_server, "e2e-permits")
    admin.goto(f"{live_server.url}/admin/eservice/servicerequest/?mine=yes")
    assert code in admin.content()
    shot(admin, "eservice-05-admin-queue")
    admin.click(f"text={code}")
    admin.select_option("#id_action", "ask")
    admin.fill("#id_message", "กรุณาแนบสำเนาทะเบียนบ้าน")
    admin.fill("#id_items", "สำเนาทะเบียนบ้าน")
    admin.click("#apply-action")
    admin.wait_for_selector(".messagelist")
    shot(admin, "eservice-06-admin-asked")

    page.reload()
    assert "กรุณาแนบสำเนาทะเบียนบ้าน" in page.content()
    page.set_input_files("#id_doc_0", str(house))
    shot(page, "eservice-07-upload-asked-document")
    page.click("text=ส่งเอกสาร")
    page.wait_for_selector(".status-checking")

    admin.reload()
    admin.select_option("#id_action", "status")
    admin.select_option("#id_to_status", "approved")
    admin.fill("#id_message", "อนุมัติให้ก่อสร้างตามแบบ")
    admin.set_input_files("#id_result_file", str(permit))  # approve and attach the result: one submission
    assert_axe_clean(admin)
    admin.click("#apply-action")
    admin.wait_for_selector("text=ดาวน์โหลดเอกสารผล")
    shot(admin, "eservice-08-admin-approved")

    page.reload()
    assert "อนุมัติให้ก่อสร้างตามแบบ" in page.content()
    shot(page, "eservice-09-decision")
    with page.expect_download() as download:
        page.click("#result-download")
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    page.check("input[name=rating][value='5']")
    page.fill("#id_comment", "รวดเร็ว ไม่ต้องเดินทาง")
    page.click("text=ส่งคะแนน")
    page.wait_for_selector("text=ท่านให้คะแนน 5 จาก 5")
    shot(page, "eservice-10-rated")
    request_obj.refresh_from_db()
    assert request_obj.rating == 5 and request_obj.status == "approved"
