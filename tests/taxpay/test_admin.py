import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import Role
from taxpay import services
from taxpay.models import Bill, Parcel, Payment
from tests.portal.factories import staff
from tests.taxpay.factories import make_bill, tax_org
from tests.taxpay.test_imports import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return tax_org()


@pytest.fixture
def officer_client(client, org):
    client.force_login(staff(org, Role.FINANCE))
    return client


def test_counter_payment_through_the_service(officer_client, org):
    bill = make_bill(org)
    response = officer_client.post(reverse("admin:taxpay_payment_add"),
                                   {"bill": bill.pk, "amount": "๒,๐๐๐", "paid_on": "01/03/2568"})
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = Payment.objects.get()
    assert (payment.method, payment.amount, payment.paid_on) == ("counter", D("2000"), dt.date(2025, 3, 1))
    assert payment.recorded_by is not None and payment.receipt_number.startswith("RC")
    receipt = officer_client.get(reverse("admin:taxpay_payment_receipt", args=[payment.pk]))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")


def test_counter_payment_too_much_is_refused_with_a_message(officer_client, org):
    bill = make_bill(org)
    response = officer_client.post(reverse("admin:taxpay_payment_add"),
                                   {"bill": bill.pk, "amount": "999999", "paid_on": "01/03/2568"}, follow=True)
    assert response.status_code == 200
    assert "มากกว่ายอดค้างชำระ" in response.content.decode()
    assert not Payment.objects.exists()


def upload(client, url, org, name, data, capture):
    """Post a file as staff do; the import runs as a background job (here at commit) and the answer is the
    import's job page."""
    with capture(execute=True):
        response = client.post(url, {"organization": org.pk, "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"])


def test_register_import_page(officer_client, org, django_capture_on_commit_callbacks):
    url = reverse("admin:taxpay_parcel_import")
    assert officer_client.get(url).status_code == 200
    page = upload(officer_client, url, org, "r.csv", GOOD.replace(b"residential_other", b"palace"),
                  django_capture_on_commit_callbacks)
    assert page.status_code == 200 and "แถว 2" in page.content.decode()
    assert not Parcel.objects.exists()
    page = upload(officer_client, url, org, "r.csv", GOOD, django_capture_on_commit_callbacks)
    assert "นำเข้าแล้ว: แปลง 1" in page.content.decode()
    assert Parcel.objects.filter(organization=org).count() == 1
    template = officer_client.get(reverse("admin:taxpay_parcel_import_template"))
    assert template.status_code == 200 and b"record,owner_id" in template.content


def test_register_import_into_another_organization_refused(officer_client, org):
    other = tax_org()
    response = officer_client.post(reverse("admin:taxpay_parcel_import"),
                                   {"organization": other.pk, "file": SimpleUploadedFile("r.csv", GOOD)})
    assert response.status_code == 200  # the form refuses the choice
    assert not Parcel.objects.exists()


def test_statement_import_shows_its_matches_before_recording(officer_client, org,
                                                              django_capture_on_commit_callbacks):
    bill = make_bill(org)
    data = f"date,amount,ref1,ref2,bank_reference\n01/03/2568,2000,{bill.number},256801,B1\n01/03/2568,5,NOPE,,B2\n"
    page = upload(officer_client, reverse("admin:taxpay_statementimport_add"), org, "s.csv", data.encode(),
                  django_capture_on_commit_callbacks)
    text = page.content.decode()
    assert page.status_code == 200 and "NOPE" in text and bill.owner.name in text and "จะบันทึก 1 รายการ" in text
    assert not Payment.objects.exists()  # nothing recorded before the clerk confirms
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = officer_client.post(page.wsgi_request.path)
    done = officer_client.get(confirmed["Location"], follow=True)
    assert "NOPE" in done.content.decode() and "บันทึกใหม่ 1 รายการ" in done.content.decode()
    assert Payment.objects.count() == 1


def test_statement_import_reads_a_thai_banks_headers(officer_client, org, django_capture_on_commit_callbacks):
    bill = make_bill(org)
    data = (f"วันที่,จำนวนเงิน,เลขอ้างอิง 1,เลขอ้างอิง 2,เลขที่รายการ\n01/03/2568,\"2,000.00\",{bill.number},256801,"
            f"KTB-9\n").encode()
    page = upload(officer_client, reverse("admin:taxpay_statementimport_add"), org, "ktb.csv", data,
                  django_capture_on_commit_callbacks)
    assert "จะบันทึก 1 รายการ" in page.content.decode()
    english = f"Transaction Date,Amount,Reference 1,Reference 2,Transaction ID\n2025-03-01,2000,{bill.number},,X1\n"
    page = upload(officer_client, reverse("admin:taxpay_statementimport_add"), org, "scb.csv", english.encode(),
                  django_capture_on_commit_callbacks)
    assert "จะบันทึก 1 รายการ" in page.content.decode()
    template = officer_client.get(reverse("admin:taxpay_statementimport_template"))
    assert "เลขอ้างอิง 1" in template.content.decode("utf-8-sig")


def test_assessment_action_runs_a_background_job_and_correction_action(officer_client, org,
                                                                      django_capture_on_commit_callbacks):
    from portal.models import BackgroundJob
    from tests.taxpay.factories import ParcelFactory

    year = services.ensure_tax_year(organization=org, year=2568)
    ParcelFactory(organization=org)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("admin:taxpay_taxyear_changelist"),
                                       {"action": "run_assessment", "_selected_action": [year.pk]}, follow=True)
    assert response.status_code == 200
    job = BackgroundJob.objects.get(kind="taxpay.assessment")
    assert reverse("job-status", args=[job.uuid]) in response.content.decode()
    status = officer_client.get(reverse("job-status", args=[job.uuid])).json()
    assert status["status"] == "done" and status["progress"] == status["total"] == 1
    bill = Bill.objects.get()
    officer_client.post(reverse("admin:taxpay_bill_changelist"),
                        {"action": "issue_correction", "_selected_action": [bill.pk]})
    assert Bill.objects.filter(number=bill.number).count() == 2
    assert officer_client.get(reverse("admin:taxpay_bill_change", args=[bill.pk])).status_code == 200


def test_legal_officer_sees_no_tax_data(client, org):
    make_bill(org)
    client.force_login(staff(org, Role.LEGAL_OFFICER))
    assert client.get(reverse("admin:taxpay_bill_changelist")).status_code == 403


def test_dashboard_scoped_to_own_organizations(officer_client, org):
    bill = make_bill(org)
    services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1), method="counter")
    other = tax_org()
    make_bill(other, value_per_wa=D("7777"))
    response = officer_client.get(reverse("taxpay-dashboard") + f"?organization={other.slug}")
    text = response.content.decode()
    assert response.status_code == 200
    assert "6,000.00" in text and "2,000.00" in text
    assert other.name_th not in text


def test_dashboard_exports_monthly_figures(officer_client, org):
    bill = make_bill(org)
    services.record_payment(bill=bill, amount=D("2000"), paid_on=dt.date(2025, 3, 1), method="counter")
    response = officer_client.get(reverse("taxpay-dashboard"), {"organization": org.slug, "format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "2025-03" in text and "2000.00" in text and bill.owner.name not in text
    xlsx = officer_client.get(reverse("taxpay-dashboard"), {"organization": org.slug, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_statement_file_kept_privately_and_served_to_staff_only(officer_client, org, client,
                                                               django_capture_on_commit_callbacks):
    data = "date,amount,ref1,ref2,bank_reference\n01/03/2568,5,NOPE,,B9\n"
    page = upload(officer_client, reverse("admin:taxpay_statementimport_add"), org, "stmt.csv", data.encode(),
                  django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(page.wsgi_request.path)  # confirmed: the import is kept even with nothing matched
    from taxpay.models import StatementImport

    record = StatementImport.objects.get()
    assert record.file.name.startswith("taxpay/statements/") and "/media/" not in record.file.path
    url = reverse("admin:taxpay_statementimport_file", args=[record.pk])
    response = officer_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).decode() == data
    other = tax_org()
    client.force_login(staff(other, Role.FINANCE))
    assert client.get(url).status_code == 404


def test_tax_dashboard_is_refused_without_tax_rights(client, org):
    """A legal officer and an officer of public works hold no tax rights: the dashboard is 403 for them."""
    make_bill(org)
    for role in (Role.LEGAL_OFFICER, Role.OFFICER):
        client.force_login(staff(org, role))
        assert client.get(reverse("taxpay-dashboard")).status_code == 403
    client.force_login(staff(org, Role.AUDITOR))
    assert client.get(reverse("taxpay-dashboard")).status_code == 200


@pytest.mark.parametrize("kind", ["register", "statement"])
@pytest.mark.parametrize("name, data", [
    ("bomb.xlsx", None),  # 5 KB claiming A1:XFD1048576, built below
    ("wide.csv", b"123456789," * 2_000_000 + b"\n"),  # 20 MB, two million columns
])
def test_a_hostile_table_is_refused_on_the_import_page_with_the_reason(officer_client, org, kind, name, data,
                                                                      django_capture_on_commit_callbacks):
    """Staff upload the file as usual: the request only stores it; the background job refuses it within the
    reader's limits and the import's page says why, in Thai. Nothing is saved."""
    from tests.portal.test_tables import hostile_xlsx

    data = data or hostile_xlsx()
    url = reverse("admin:taxpay_parcel_import" if kind == "register" else "admin:taxpay_statementimport_add")
    page = upload(officer_client, url, org, name, data, django_capture_on_commit_callbacks)
    text = page.content.decode()
    assert page.status_code == 422 and 'id="job-error"' in text
    assert ("เกิน 100,000 แถว" in text) if name.endswith("xlsx") else ("บรรทัดที่ยาวเกิน" in text)
    assert not Parcel.objects.exists() and not Payment.objects.exists()
