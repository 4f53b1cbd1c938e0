import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eservice.models import FieldKind, FormField, RequestDocument, ServiceRequest
from eservice.requests import services
from eservice.workflow import Status
from portal.inputs.uploads import CheckedFile
from portal.models import Role
from tests.portal.factories import staff

from .factories import PDF_BYTES, VALID_ID, make_request, png_bytes, service_with_template

pytestmark = pytest.mark.django_db


def pdf_upload(name="doc.pdf", data=PDF_BYTES):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def contact(**extra):
    data = {"applicant_name": "สมหญิง ใจงาม", "phone": "๐๘๑-๒๓๔-๕๖๗๘", "email": "", "notify_channel": "sms",
            "consent": "on"}
    data.update(extra)
    return data


def permit_data(**extra):
    data = contact(**{
        "f_citizen_id": VALID_ID, "f_work_0": "build", "f_building_use": "บ้านพักอาศัย", "f_floors": "๒",
        "f_area": "120.5", "f_title_deed_no": "12345", "f_site_0": "99 หมู่ 3", "f_site_1": "คำใหญ่",
        "f_site_2": "ห้วยเม็ก", "f_site_3": "กาฬสินธุ์", "f_location_0": "16.5930", "f_location_1": "103.2320",
        "f_plans": pdf_upload("plans.pdf")})
    data.update(extra)
    return data


def test_catalogue_searches_thai_without_spaces(client, org):
    service_with_template(org, "tap-water-connection")
    service_with_template(org, "elderly-allowance")
    url = reverse("eservice:catalogue", args=[org.slug])
    page = client.get(url).content.decode()
    assert "ขอติดตั้งน้ำประปา" in page and "เบี้ยยังชีพผู้สูงอายุ" in page
    found = client.get(url, {"q": "ขอน้ำประปา"}).content.decode()  # not a substring of the name: words are
    assert "ขอติดตั้งน้ำประปา" in found and "เบี้ยยังชีพผู้สูงอายุ" not in found
    assert "เบี้ยยังชีพผู้สูงอายุ" in client.get(url, {"q": "เบี้ยยังชีพ"}).content.decode()


def test_manual_shows_steps_documents_fee_office_and_legal_basis(client, org):
    service_with_template(org, "building-permit")
    page = client.get(reverse("eservice:manual", args=[org.slug, "building-permit"])).content.decode()
    for text in ("ตรวจพิจารณาแบบแปลน", "45 วันทำการ", "200 บาท", "กองช่าง", "พระราชบัญญัติควบคุมอาคาร",
                 "สำเนาโฉนดที่ดิน", "ยื่นคำร้องออนไลน์"):
        assert text in page


def test_apply_with_every_field_type_then_receipt(client, org):
    service_with_template(org, "building-permit")
    url = reverse("eservice:form", args=[org.slug, "building-permit"])
    assert client.get(url).status_code == 200
    response = client.post(url, permit_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    request_obj = ServiceRequest.objects.get()
    assert request_obj.phone == "0812345678" and request_obj.notify_channel == "sms"
    assert request_obj.answers["floors"] == "2" and request_obj.answers["work"] == {"value": "build", "other": ""}
    assert request_obj.answers["site"]["province"] == "กาฬสินธุ์"
    doc = RequestDocument.objects.get()
    assert doc.field_code == "plans" and doc.mime == "application/pdf" and "/media/" not in doc.file.path
    track = client.get(response["Location"]).content.decode()
    assert request_obj.tracking_code in track and "รับคำร้องแล้ว" in track
    receipt = client.get(reverse("eservice:receipt", args=[org.slug, request_obj.tracking_code]))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")


def test_receipt_and_private_parts_need_the_requesters_link(client, org):
    request_obj = make_request(org)
    anonymous = client.get(reverse("eservice:track", args=[org.slug, request_obj.tracking_code])).content.decode()
    assert "รับคำร้องแล้ว" in anonymous and "สมชาย" not in anonymous
    assert client.get(reverse("eservice:receipt", args=[org.slug, request_obj.tracking_code])).status_code == 403
    wrong = client.get(reverse("eservice:track", args=[org.slug, request_obj.tracking_code]), {"k": "guess"})
    assert wrong.status_code == 200
    assert client.get(reverse("eservice:receipt", args=[org.slug, request_obj.tracking_code])).status_code == 403
    private = client.get(reverse("eservice:track", args=[org.slug, request_obj.tracking_code]),
                         {"k": request_obj.access_key})
    assert private.status_code == 302  # the key leaves the address bar
    assert client.get(reverse("eservice:receipt", args=[org.slug, request_obj.tracking_code])).status_code == 200


@pytest.mark.parametrize(("field", "value", "message"), [
    ("f_citizen_id", "1101700230709", "เลขตรวจสอบ"),
    ("f_citizen_id", "12345", "13 หลัก"),
    ("f_work_0", "castle", "ไม่อยู่ในรายการ"),
    ("f_floors", "สอง", "ตัวเลข"),
    ("f_site_3", "", "ตำบล อำเภอ และจังหวัด"),
    ("f_location_1", "", "ทั้งละติจูดและลองจิจูด"),
    ("f_location_0", "abc", "พิกัด"),
    ("phone", "12345", "เบอร์โทรศัพท์ไม่ถูกต้อง"),
    ("consent", "", "ยินยอม"),
])
def test_bad_values_are_400_with_thai_message_and_keep_input(client, org, field, value, message):
    service_with_template(org, "building-permit")
    url = reverse("eservice:form", args=[org.slug, "building-permit"])
    data = permit_data(**{field: value})
    if value == "":
        data.pop(field)
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "บ้านพักอาศัย" in page  # what was typed is still there
    assert not ServiceRequest.objects.exists()


def test_dates_bad_values(client, org):
    service_with_template(org, "elderly-allowance")
    url = reverse("eservice:form", args=[org.slug, "elderly-allowance"])
    base = contact(**{"f_citizen_id": VALID_ID, "f_payment_0": "bank", "f_address_0": "1", "f_address_1": "ก",
                      "f_address_2": "ข", "f_address_3": "ค"})
    for value, message in [("31/02/2503", "ไม่มีวันที่นี้"), ("01/01/1960", "พุทธศักราช"), ("1960-01-01", "วว/ดด/ปปปป")]:
        response = client.post(url, {**base, "f_birth_date": value})
        assert response.status_code == 400 and message in response.content.decode(), value
    ok = client.post(url, {**base, "f_birth_date": "๐๑/๐๑/๒๕๐๓"})
    assert ok.status_code == 302
    assert ServiceRequest.objects.get().answers["birth_date"] == "1960-01-01"


def test_other_choice_needs_text_and_multichoice(client, org):
    service_with_template(org, "disability-allowance")
    url = reverse("eservice:form", args=[org.slug, "disability-allowance"])
    def base():
        return contact(**{"f_citizen_id": VALID_ID, "f_disability_card_no": "123", "f_address_0": "1",
                          "f_address_1": "ก", "f_address_2": "ข", "f_address_3": "ค",
                          "f_disability_card": pdf_upload()})

    response = client.post(url, {**base(), "f_disability_type_0": ["sight", "__other__"]})
    assert response.status_code == 400 and "กรุณาระบุ" in response.content.decode()
    response = client.post(url, {**base(), "f_disability_type_0": ["sight", "__other__"],
                                 "f_disability_type_1": "ออทิสติก"})
    assert response.status_code == 302
    answer = ServiceRequest.objects.get().answers["disability_type"]
    assert answer == {"value": ["sight", "__other__"], "other": "ออทิสติก"}


def test_files_checked_by_content_size_and_count_and_kept_across_errors(client, org, settings):
    service_with_template(org, "building-permit")
    url = reverse("eservice:form", args=[org.slug, "building-permit"])
    fake = client.post(url, permit_data(f_plans=SimpleUploadedFile("plans.pdf", b"MZ\x90\x00 not a pdf")))
    assert fake.status_code == 400 and "ชนิดไฟล์ไม่รองรับ" in fake.content.decode()
    too_many = client.post(url, permit_data(f_plans=[pdf_upload(f"p{i}.pdf") for i in range(4)]))
    assert too_many.status_code == 400 and "ไม่เกิน 3 ไฟล์" in too_many.content.decode()
    settings.UPLOAD_MAX_BYTES = 100_000  # the one upload limit (portal.inputs.uploads.max_upload_bytes)
    big = client.post(url, permit_data(f_plans=pdf_upload(data=PDF_BYTES + b"0" * (settings.UPLOAD_MAX_BYTES + 1))))
    assert big.status_code == 400 and "ใหญ่เกิน" in big.content.decode()
    # A good file with an error elsewhere: the file is kept (hidden token) and the second post needs no upload.
    first = client.post(url, permit_data(f_citizen_id="1101700230709"))
    page = first.content.decode()
    assert first.status_code == 400 and "plans.pdf" in page and 'name="f_plans__kept"' in page
    import re

    token = re.search(r'name="f_plans__kept" value="([^"]+)"', page).group(1)
    # A tampered token is ignored: the required file is missing again (and the real one stays kept).
    data = permit_data(f_plans__kept=token[:-2] + "xx")
    data.pop("f_plans")
    assert client.post(url, data).status_code == 400
    # Another browser (session) cannot use the token.
    from django.test import Client

    data = permit_data(f_plans__kept=token)
    data.pop("f_plans")
    assert Client().post(url, data).status_code == 400
    assert client.post(url, data).status_code == 302
    assert RequestDocument.objects.get().original_name == "plans.pdf"


def test_query_count_constant_whatever_the_field_count(client, org):
    """20 fields and 3 attachments cost the same number of queries as 2 fields and 3 attachments."""
    def post_with(n_fields, code=None):
        service_type = service_with_template(org, "general-request", code=code or f"svc{n_fields}")
        FormField.objects.filter(service_type=service_type).delete()
        FormField.objects.bulk_create(
            [FormField(service_type=service_type, code=f"t{i}", kind=FieldKind.TEXT, label_th=f"ช่อง {i}",
                       required=True, order=i) for i in range(n_fields - 1)]
            + [FormField(service_type=service_type, code="files", kind=FieldKind.FILE, label_th="ไฟล์", order=99)])
        services.publish_version(service_type=service_type)
        url = reverse("eservice:form", args=[org.slug, service_type.code])
        data = contact(**{f"f_t{i}": f"คำตอบ {i}" for i in range(n_fields - 1)})
        data["f_files"] = [pdf_upload(f"a{i}.pdf") for i in range(3)]
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data)
        assert response.status_code == 302
        return len(queries)

    post_with(3, code="warm-up")  # per-process lookups (cached directory, rate-limit counters) paid once
    small, large = post_with(2), post_with(20)
    assert small == large
    assert RequestDocument.objects.count() == 9


def test_tracking_upload_result_and_rating(client, org):
    officer = staff(org, Role.OFFICER)
    request_obj = make_request(org)
    services.ask_for_documents(request_obj=request_obj, message="กรุณาแนบสำเนาทะเบียนบ้าน",
                               items=["สำเนาทะเบียนบ้าน"], actor=officer)
    track_url = reverse("eservice:track", args=[org.slug, request_obj.tracking_code])
    client.get(track_url, {"k": request_obj.access_key})
    page = client.get(track_url).content.decode()
    assert "กรุณาแนบสำเนาทะเบียนบ้าน" in page and "ส่งเอกสาร" in page
    doc_request = request_obj.document_requests.get()
    upload_url = reverse("eservice:upload", args=[org.slug, request_obj.tracking_code, doc_request.pk])
    bad = client.post(upload_url, {"doc_0": SimpleUploadedFile("x.pdf", b"plain text")})
    assert bad.status_code == 400 and "ชนิดไฟล์ไม่รองรับ" in bad.content.decode()
    assert client.post(upload_url, {"doc_0": SimpleUploadedFile("h.png", png_bytes())}).status_code == 302
    request_obj.refresh_from_db()
    assert request_obj.status == Status.CHECKING
    services.change_status(request_obj=request_obj, to_status=Status.APPROVED, note="อนุมัติ", actor=officer)
    services.attach_result(request_obj=request_obj, actor=officer, checked=CheckedFile(
        data=PDF_BYTES, mime="application/pdf", extension="pdf", name="permit.pdf"))
    result = client.get(reverse("eservice:result", args=[org.slug, request_obj.tracking_code]))
    assert result.status_code == 200 and b"".join(result.streaming_content).startswith(b"%PDF")
    assert "permit.pdf" in result["Content-Disposition"]
    assert client.post(reverse("eservice:rate", args=[org.slug, request_obj.tracking_code]),
                       {"rating": "9"}).status_code == 400
    assert client.post(reverse("eservice:rate", args=[org.slug, request_obj.tracking_code]),
                       {"rating": "5", "comment": "ดีมาก"}).status_code == 302
    request_obj.refresh_from_db()
    assert request_obj.rating == 5
    # Another browser (no key) cannot download the result or rate.
    client.logout()
    from django.test import Client

    other = Client()
    assert other.get(reverse("eservice:result", args=[org.slug, request_obj.tracking_code])).status_code == 403


def test_staff_at_the_counter_files_on_behalf(client, org):
    officer = staff(org, Role.OFFICER)
    service_with_template(org)
    client.force_login(officer)
    url = reverse("eservice:form", args=[org.slug, "general-request"])
    assert "ยื่นที่เคาน์เตอร์" in client.get(url).content.decode()
    response = client.post(url, contact(f_subject="ขอรับรอง", f_detail="มาติดต่อที่สำนักงาน"))
    assert response.status_code == 302
    request_obj = ServiceRequest.objects.get()
    assert request_obj.channel == "counter" and request_obj.filed_by == officer


def test_unknown_codes_are_404(client, org):
    assert client.get(reverse("eservice:track", args=[org.slug, "NOPE-1"])).status_code == 404
    assert client.get(reverse("eservice:form", args=[org.slug, "nope"])).status_code == 404
    # A NUL byte is refused as bad input before any lookup (400 with a message), never a 500.
    assert client.get(reverse("eservice:track-lookup", args=[org.slug]), {"code": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("page", ["eservice:catalogue", "complaints:index"])
def test_the_tracking_box_example_carries_this_years_codes(client, org, page):
    """The example in the tracking-code box shows this Buddhist-era year, as the codes issued today carry."""
    import datetime as dt
    from unittest import mock

    from django.urls import reverse

    new_year = dt.datetime(2027, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))  # Bangkok, just past midnight
    with mock.patch("django.utils.timezone.now", return_value=new_year):
        text = client.get(reverse(page, args=[org.slug])).content.decode()
    assert f'placeholder="{org.code_prefix}-2570-XXXXXX"' in text
