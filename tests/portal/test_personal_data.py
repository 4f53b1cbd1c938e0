"""Personal data: corruption reporters' contact encrypted at rest and read only on the audited page; anonymising
scrubs the outbox; protected reports' audit entries only for their readers; the status lookup's timing does not
tell real codes from others."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.demo import ensure_categories
from complaints.models import Complaint, ProtectedComplaint
from portal.models import Notification, Role
from tests.complaints.factories import make_complaint
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _report(org, **contact):
    cats = ensure_categories(org)
    return services.submit_corruption_report(organization=org, category=cats["corruption"],
                                             description="เรียกรับเงินใต้โต๊ะ", pdpa_consent=True, **contact)


def test_corruption_reporters_contact_is_encrypted_at_rest(org):
    report, _passphrase = _report(org, contact_name="นายแจ้ง ลับ", contact_phone="0899990000",
                                  contact_email="whistle@example.com")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_name, contact_phone, contact_email, sealed_contact FROM complaints_complaint "
                       "WHERE id = %s", [report.pk])
        name, phone, email, sealed = cursor.fetchone()
    assert (name, phone, email) == ("", "", "")
    assert sealed.startswith("fernet:")
    for secret in ("0899990000", "whistle@example.com", "นายแจ้ง"):
        assert secret not in sealed
    assert Complaint.objects.get(pk=report.pk).reporter_contact() == {
        "name": "นายแจ้ง ลับ", "phone": "0899990000", "email": "whistle@example.com"}


def test_legal_officer_reads_the_contact_on_the_audited_page_only(org):
    report, _passphrase = _report(org, contact_phone="0899990000")
    legal = staff(org, Role.LEGAL_OFFICER)
    client = Client()
    client.force_login(legal)
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    page = client.get(reverse("admin:complaints_protectedcomplaint_change", args=[report.pk]))
    assert page.status_code == 200 and "0899990000" in page.content.decode()
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=legal).count() == before + 1
    listing = client.get(reverse("admin:complaints_protectedcomplaint_changelist"))
    assert "0899990000" not in listing.content.decode()


def test_anonymise_scrubs_the_outbox(org):
    complaint = make_complaint(org, contact_phone="0812345678", contact_email="c@example.com", notify_channel="sms",
                               pdpa_consent=True)
    for target in ("accepted", "in_progress", "resolved"):
        services.change_status(complaint=complaint, to_status=target, note=f"ขั้นตอน {target} บ้านเลขที่ 9")
    rows = Notification.objects.filter(related_id=str(complaint.pk))
    assert rows.count() >= 3 and rows.filter(recipient="0812345678").exists()
    services.anonymize(complaint=complaint, actor=staff(org, Role.OFFICER))
    for row in Notification.objects.filter(related_id=str(complaint.pk)):
        assert "0812345678" not in (row.recipient + row.subject + row.body)
        assert "บ้านเลขที่ 9" not in row.body and complaint.tracking_code not in row.body
    assert not Notification.objects.filter(related_id=str(complaint.pk), status="pending").exists()
    assert not Notification.objects.filter(recipient="0812345678").exists()


def test_anonymise_clears_the_sealed_contact(org):
    report, _passphrase = _report(org, contact_phone="0899990000")
    legal = staff(org, Role.LEGAL_OFFICER)
    for target in ("accepted", "rejected"):
        services.change_status(complaint=report, to_status=target, actor=legal, note="ไม่มีมูล")
    services.anonymize(complaint=report, actor=legal)
    assert Complaint.objects.get(pk=report.pk).reporter_contact()["phone"] == ""


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_protected_audit_entries_are_hidden_from_non_readers(org, role):
    report, _passphrase = _report(org)
    legal = staff(org, Role.LEGAL_OFFICER)
    services.log_protected_read(complaint=report, actor=legal, where="test")
    services.change_status(complaint=report, to_status="accepted", actor=legal)
    ordinary = make_complaint(org)
    services.change_status(complaint=ordinary, to_status="accepted", actor=staff(org, Role.OFFICER))
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(Complaint, ProtectedComplaint, for_concrete_models=False).values()
    entries = LogEntry.objects.filter(object_id=report.pk, content_type__in=list(types))
    assert entries.count() >= 2
    client = Client()
    client.force_login(staff(org, role))
    listing = client.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    assert report.tracking_code not in listing
    for entry in entries:
        assert client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code == 404
    # positive control: the ordinary complaint's entry is listed
    assert ordinary.tracking_code in listing


def test_status_lookup_does_the_same_work_for_unknown_codes(client, org, monkeypatch):
    report, _passphrase = _report(org)
    calls = []
    real = services.protected.check_password

    def counting(password, encoded, *args, **kwargs):
        calls.append(encoded)
        return real(password, encoded, *args, **kwargs)

    monkeypatch.setattr(services.protected, "check_password", counting)
    url = reverse("complaints:integrity-status", args=[org.slug])
    for code in (report.tracking_code, "XX-2569-ZZZZZZ"):
        response = client.post(url, {"code": code, "passphrase": "wrong-wrong-wrong-wrong"})
        assert response.status_code == 400
    assert len(calls) == 2  # one password hash for the real code, one for the unknown one
    assert ProtectedComplaint.objects.filter(pk=report.pk).exists()
