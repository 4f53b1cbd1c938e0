import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints import selectors, services
from complaints.models import Complaint, ComplaintPhoto, ComplaintUpdate, Rating
from portal.models import Notification

from .factories import CategoryFactory, jpeg_bytes, make_complaint

pytestmark = pytest.mark.django_db


def upload(data=None, name="p.jpg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type="image/jpeg")


def test_submit_creates_code_timeline_photo_and_notification(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = make_complaint(org, photos=[upload(jpeg_bytes(exif_gps=True))], contact_email="c@example.com",
                                   notify_channel="email", pdpa_consent=True)
    assert complaint.tracking_code.startswith(org.code_prefix + "-")
    # The "received" line of the timeline is derived from the row, not stored.
    assert complaint.updates.count() == 0
    [received] = complaint.with_received(complaint.updates.all())
    assert received.to_status == "submitted" and received.created_at == complaint.created_at and received.is_public
    photo = complaint.photos.get()
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()  # GPS and every other tag gone
    assert Notification.objects.filter(event="complaint_received", recipient="c@example.com").exists()
    assert len(mail.outbox) == 1 and complaint.tracking_code in mail.outbox[0].subject


@pytest.mark.parametrize("data", [b"%PDF-1.4 not an image", b"GIF89a" + b"\0" * 20, b"MZ\x90\x00 exe"])
def test_non_images_are_refused_and_nothing_saved(org, data):
    category = CategoryFactory(organization=org)
    with pytest.raises(ValidationError):
        make_complaint(org, category, photos=[upload(jpeg_bytes()), upload(data, "evil.jpg")])
    assert Complaint.objects.count() == 0 and ComplaintPhoto.objects.count() == 0


def test_too_large_and_too_many(org, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    big = io.BytesIO()
    Image.new("RGB", (400, 400)).save(big, "PNG")
    with pytest.raises(ValidationError, match="ใหญ่เกิน"):
        make_complaint(org, photos=[upload(big.getvalue() + b"\0" * 2000, "big.png")])
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError, match="ไม่เกิน 5"):
        make_complaint(org, photos=[upload() for _ in range(6)])
    assert Complaint.objects.count() == 0


def test_text_over_limit_and_location_outside_area(org):
    with pytest.raises(ValidationError, match="ยาวเกิน"):
        make_complaint(org, description="ก" * 4001)
    with pytest.raises(ValidationError, match="นอกพื้นที่"):
        make_complaint(org, latitude="13.7563", longitude="100.5018")  # Bangkok, far from the test org
    with pytest.raises(ValidationError):
        make_complaint(org, latitude=None, longitude=None)  # no pin and no address
    assert Complaint.objects.count() == 0


def test_status_change_notifies_and_forbidden_change_is_refused(org):
    complaint = make_complaint(org, contact_phone="0812345678", notify_channel="sms", pdpa_consent=True)
    services.change_status(complaint=complaint, to_status="accepted")
    with pytest.raises(ValidationError, match="หมายเหตุ"):
        services.change_status(complaint=complaint, to_status="closed", note="")  # note required -> message
    with pytest.raises(ValidationError, match="ไม่สามารถเปลี่ยนสถานะ"):
        services.change_status(complaint=complaint, to_status="submitted")
    complaint.refresh_from_db()
    assert complaint.status == "accepted"
    services.change_status(complaint=complaint, to_status="resolved", note="เปลี่ยนหลอดไฟแล้ว",
                           photo=upload(jpeg_bytes(color=(0, 200, 0))))
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.resolved_at
    assert complaint.photos.filter(kind="after").count() == 1
    events = list(Notification.objects.filter(recipient="0812345678").values_list("event", flat=True))
    assert events.count("complaint_status") == 2
    body = Notification.objects.filter(recipient="0812345678").order_by("-pk").first().body
    assert "เปลี่ยนหลอดไฟแล้ว" in body and "/complaints/rate/" in body


def test_internal_note_is_not_notified(org):
    complaint = make_complaint(org, contact_email="c@example.com", notify_channel="email", pdpa_consent=True)
    before = Notification.objects.count()
    services.add_reply(complaint=complaint, actor=None, message="ภายใน", public=False)
    assert Notification.objects.count() == before
    services.add_reply(complaint=complaint, actor=None, message="ตอบกลับ", public=True)
    assert Notification.objects.count() == before + 1


def test_contact_needs_consent(org):
    with pytest.raises(ValidationError, match="ยินยอม"):
        make_complaint(org, contact_phone="0812345678")


def test_rating_unhappy_requests_reopen(org):
    complaint = make_complaint(org)
    with pytest.raises(ValidationError):
        services.rate(complaint=complaint, score=5)
    services.change_status(complaint=complaint, to_status="accepted")
    services.change_status(complaint=complaint, to_status="resolved", note="ok")
    rating = services.rate(complaint=complaint, score=1, comment="ยังดับอยู่")
    assert rating.reopen_requested
    assert ComplaintUpdate.objects.filter(complaint=complaint, kind="note", message__contains="ยังดับอยู่").exists()
    with pytest.raises(ValidationError, match="ประเมินแล้ว"):
        services.rate(complaint=complaint, score=4)
    assert Rating.objects.count() == 1


def test_duplicate_and_nearby(org):
    from complaints.selectors import nearby

    category = CategoryFactory(organization=org)
    first = make_complaint(org, category, latitude="16.432000", longitude="102.823000")
    second = make_complaint(org, category, latitude="16.432500", longitude="102.823300")  # ~64 m away
    far = make_complaint(org, category, latitude="16.450000", longitude="102.823000")  # ~2 km
    other_cat = make_complaint(org, latitude="16.432100", longitude="102.823000")
    found = nearby(second, metres=200, days=30)
    assert [c.pk for c in found] == [first.pk]
    assert 40 < found[0].distance_m < 90
    assert far not in found and other_cat not in found
    services.mark_duplicate(complaint=second, original=first, actor=None)
    second.refresh_from_db()
    assert second.duplicate_of == first and second.status == "closed"


def test_anonymise_only_closed(org):
    complaint = make_complaint(org, contact_phone="0812345678", contact_name="สมชาย", pdpa_consent=True)
    with pytest.raises(ValidationError):
        services.anonymize(complaint=complaint, actor=None)
    services.change_status(complaint=complaint, to_status="rejected", note="ไม่ใช่อำนาจหน้าที่")
    services.anonymize(complaint=complaint, actor=None)
    complaint.refresh_from_db()
    assert complaint.contact_phone == "" and complaint.contact_name == "" and complaint.anonymized_at


@pytest.mark.django_db(transaction=True)  # outside a test transaction, as in production: no savepoint either
def test_citizen_submission_is_one_insert_and_not_audited(org, django_assert_num_queries):
    """A citizen's plain submission writes one row: no audit row (the audit log is for staff writes), no stored
    timeline row, no savepoint. The holiday calendar is read once per process (memo), so warm it first. After the
    commit, one UPDATE counts the change for the organization's open-data refresh (portal.machinery.changes): the
    hourly refresh then redoes only organizations whose source rows changed."""
    from auditlog.models import LogEntry

    category = CategoryFactory(organization=org)
    make_complaint(org, category)
    with django_assert_num_queries(2) as ctx:
        complaint = make_complaint(org, category)
    assert ctx.captured_queries[0]["sql"].startswith("INSERT INTO \"complaints_complaint\"")
    assert ctx.captured_queries[1]["sql"].startswith('UPDATE "opendata_feedsource"')
    assert not LogEntry.objects.get_for_object(complaint).exists()
    assert not ComplaintUpdate.objects.filter(complaint=complaint).exists()


def test_staff_filing_and_staff_changes_are_audited(org):
    from auditlog.models import LogEntry

    from tests.portal.factories import staff

    officer = staff(org, "officer")
    complaint = make_complaint(org, filed_by=officer, contact_phone="0812345678")
    assert LogEntry.objects.get_for_object(complaint).filter(action=LogEntry.Action.CREATE).exists()
    citizen = make_complaint(org)
    services.change_status(complaint=citizen, to_status="accepted", actor=officer)
    assert LogEntry.objects.get_for_object(citizen).filter(action=LogEntry.Action.UPDATE).exists()


def test_tracking_code_collision_retries_without_half_saved_rows(org, monkeypatch):
    category = CategoryFactory(organization=org)
    first = make_complaint(org, category)
    codes = iter([first.tracking_code, first.tracking_code, "ZZ-2569-NEWONE"])
    monkeypatch.setattr(type(org), "new_tracking_code", lambda self: next(codes))
    second = make_complaint(org, category, photos=[upload()], contact_email="c@example.com", notify_channel="email",
                            pdpa_consent=True)
    assert second.tracking_code == "ZZ-2569-NEWONE"
    assert Complaint.objects.count() == 2 and ComplaintPhoto.objects.count() == 1
    assert Notification.objects.filter(recipient="c@example.com").count() == 1


def test_category_directory_is_cached_and_forgotten_on_change(org, django_assert_num_queries):
    category = CategoryFactory(organization=org, code="light", is_public=True)
    assert selectors.public_category(org.slug, "light") == category  # fills the cache
    with django_assert_num_queries(0):
        assert selectors.public_category(org.slug, "light") == category
    category.is_public = False
    category.save()  # a category taken out of Open311 is forgotten at once
    assert selectors.public_category(org.slug, "light") is None
    assert selectors.public_category(org.slug, "nope") is None


def test_a_system_actor_handles_a_complaint_and_is_named_in_the_audit_row(org):
    """A task or command (a system actor) may reply, route, close and anonymise: the timeline line has no person
    as author (the column holds users only) and the audit row names the task."""
    from auditlog.models import LogEntry

    from portal.audit import trail as audit

    task = audit.system("task:complaints-autoclose")
    complaint = make_complaint(org)
    services.add_reply(complaint=complaint, actor=task, message="รับเรื่องแล้ว", public=True)
    services.edit(complaint=complaint, actor=task, address="หมู่ 3")
    services.change_status(complaint=complaint, to_status="accepted", actor=task)
    services.change_status(complaint=complaint, to_status="closed", actor=task, note="ปิดอัตโนมัติ")
    services.anonymize(complaint=complaint, actor=task)
    lines = ComplaintUpdate.objects.filter(complaint=complaint).exclude(kind="submitted")
    assert lines.count() == 5 and set(lines.values_list("author", flat=True)) == {None}
    rows = LogEntry.objects.filter(object_pk=str(complaint.pk), additional_data__actor=audit.actor_name(task))
    assert rows.count() >= 3
