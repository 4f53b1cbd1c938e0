import pytest
from auditlog.models import LogEntry
from django.conf import global_settings
from django.urls import reverse

from complaints import services
from complaints.demo import ensure_categories
from complaints.models import Complaint
from portal.models import Department, Role
from tests.portal.factories import staff

from .factories import change_page_data, make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(org):
    cats = ensure_categories(org)
    works = Department.objects.create(organization=org, code="works", name_th="กองช่าง")
    complaint, passphrase = services.submit_corruption_report(
        organization=org, category=cats["corruption"], description="ผู้รับเหมาจ่ายเงินให้เจ้าหน้าที่กองช่าง",
        concerned_department=works)
    return complaint, passphrase, works


def test_passphrase_is_hashed_and_checks(org, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the production hashers (tests run on MD5)
    complaint, passphrase = services.submit_corruption_report(
        organization=org, category=ensure_categories(org)["corruption"], description="มีการเรียกรับเงิน")
    assert complaint.is_protected
    assert passphrase not in complaint.passphrase_hash and complaint.passphrase_hash.startswith(("pbkdf2", "argon2"))
    assert services.check_passphrase(complaint, passphrase)
    assert not services.check_passphrase(complaint, "wrong-pass")


def test_reporter_checks_status_with_code_and_passphrase(client, org, report):
    complaint, passphrase, _ = report
    url = reverse("complaints:integrity-status", args=[org.slug])
    wrong = client.post(url, {"code": complaint.tracking_code, "passphrase": "nope"})
    assert wrong.status_code == 400 and "ไม่ถูกต้อง" in wrong.content.decode()
    ok = client.post(url, {"code": complaint.tracking_code, "passphrase": passphrase})
    assert ok.status_code == 200 and complaint.get_status_display() in ok.content.decode()


def test_form_gives_code_and_passphrase_once(client, org):
    Department.objects.create(organization=org, code="legal", name_th="งานนิติการ")
    cats = ensure_categories(org)
    response = client.post(reverse("complaints:integrity-new", args=[org.slug]),
                           {"category": cats["corruption"].pk, "description": "มีการเรียกรับเงิน"})
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    text = response.content.decode()
    assert complaint.tracking_code in text and 'id="passphrase"' in text
    assert response["Cache-Control"] == "no-store"
    assert complaint.contact_name == "" and complaint.department.code == "legal"


def test_never_public(client, org, report):
    complaint, _, _ = report
    assert client.get(reverse("complaints:track", args=[org.slug, complaint.tracking_code])).status_code == 404
    assert client.get(reverse("complaints:map-data", args=[org.slug])).json()["points"] == []
    assert complaint.tracking_code not in client.get("/open311/v2/requests.json",
                                                     {"jurisdiction_id": org.slug}).content.decode()


@pytest.mark.parametrize("role,department_code,can_read", [
    (Role.LEGAL_OFFICER, None, True),
    (Role.EXECUTIVE, None, True),
    (Role.ADMINISTRATOR, None, False),
    (Role.OFFICER, "works", False),  # the department concerned
    (Role.OFFICER, None, False),
    (Role.AUDITOR, None, False),
])
def test_only_legal_and_executives_read_and_every_read_is_logged(client, org, report, role, department_code,
                                                                   can_read):
    complaint, _, works = report
    user = staff(org, role, department=works if department_code else None)
    client.force_login(user)
    change = reverse("admin:complaints_protectedcomplaint_change", args=[complaint.pk])
    listing = reverse("admin:complaints_protectedcomplaint_changelist")
    ordinary = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    response = client.get(change)
    if can_read:
        assert response.status_code == 200
        assert "ผู้รับเหมาจ่ายเงิน" in response.content.decode()
        entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
        assert entry.actor == user and entry.object_pk == str(complaint.pk)
        assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 1
        client.get(change)
        assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 2
        # Opening the list is a read of every report on it.
        response = client.get(listing)
        assert response.status_code == 200 and complaint.tracking_code in response.content.decode()
        entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
        assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 3
        assert entry.actor == user and entry.object_pk == str(complaint.pk)
        assert entry.additional_data["read"] == "admin list"
        assert entry.additional_data["organization_id"] == org.pk
    else:
        assert response.status_code in (403, 404)
        assert client.get(listing).status_code == 403 or complaint.tracking_code not in client.get(listing).content.decode()
        assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before
    # Never through the ordinary complaints admin, whatever the role.
    assert client.get(ordinary).status_code in (403, 404)


def test_other_organizations_legal_officer_cannot_read(client, org, other_org, report):
    complaint, _, _ = report
    client.force_login(staff(other_org, Role.LEGAL_OFFICER))
    assert client.get(reverse("admin:complaints_protectedcomplaint_change", args=[complaint.pk])).status_code == 404


def test_ordinary_officer_list_does_not_show_protected(client, org, report):
    complaint, _, works = report
    make_complaint(org, description="ไฟดับ")
    client.force_login(staff(org, Role.OFFICER, department=works))
    page = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert complaint.tracking_code not in page


def _access_rows(complaint):
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(complaint.pk))


def test_history_action_and_exports_of_a_corruption_report_are_each_logged(client, org, report):
    """Every way staff can see a corruption report leaves an audit row naming who and where: the history page,
    the workflow action (which shows the report again) and each export of the list."""
    complaint, _, _ = report
    user = staff(org, Role.LEGAL_OFFICER)
    client.force_login(user)
    opts = "admin:complaints_protectedcomplaint"

    def read_by(fetch, where):
        before = _access_rows(complaint).count()
        response = fetch()
        assert response.status_code in (200, 302), (where, response.status_code)
        rows = list(_access_rows(complaint).order_by("pk")[before:])
        assert len(rows) == 1, (where, [r.additional_data for r in rows])
        assert rows[0].actor == user and rows[0].additional_data["organization_id"] == org.pk
        return rows[0], response

    entry, _ = read_by(lambda: client.get(reverse(f"{opts}_history", args=[complaint.pk])), "history")
    assert entry.additional_data["read"] == "admin history"

    change = reverse(f"{opts}_change", args=[complaint.pk])
    data = change_page_data(client, change, action={"action": "note", "note": "ส่งงานนิติการตรวจสอบ"})
    entry, response = read_by(lambda: client.post(change, data), "action")
    assert entry.additional_data["read"] == "admin action"
    assert response.status_code == 302

    for action, kind in (("export_csv", "text/csv"), ("export_xlsx", "spreadsheetml")):
        entry, response = read_by(lambda action=action: client.post(
            reverse(f"{opts}_changelist"), {"action": action, "_selected_action": [complaint.pk]}), action)
        assert entry.additional_data["read"] == "export"
        assert kind in response["Content-Type"]
