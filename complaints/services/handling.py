"""Staff handling a complaint: its status along the workflow, replies and notes, routing and corrections,
duplicates, the citizen's rating, personal data removed once closed, and an asset's QR sticker scanned."""


from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import workflow
from complaints.models import (
    DESCRIPTION_MAX,
    Asset,
    Complaint,
    ComplaintPhoto,
    ComplaintUpdate,
    Rating,
)
from portal.access.permissions import may_act_in, require
from portal.audit import trail as audit
from portal.audit.trail import acting
from portal.inputs import uploads
from portal.models import Role

from .filing import _add_photo, _notify_citizen


def change_status(*, complaint: Complaint, to_status: str, actor=None, note: str = "", public: bool = True,
                  photo=None) -> ComplaintUpdate:
    """Move a complaint along the workflow table; a citizen-visible change is notified."""
    require(actor, "change", complaint)
    after_photo = None
    if photo is not None:
        if to_status != workflow.Status.RESOLVED:
            raise ValidationError({"photo": _("แนบภาพหลังแก้ไขได้เมื่อแก้ไขเสร็จเท่านั้น")})
        after_photo = uploads.check_image(photo)
    with transaction.atomic(), acting(actor):
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        workflow.check(locked.status, to_status, note)  # TransitionNotAllowed is a ValidationError
        now = timezone.now()
        previous = locked.status
        locked.status = to_status
        if to_status == workflow.Status.RESOLVED:
            locked.resolved_at = now
        elif to_status == workflow.Status.REOPENED:
            locked.resolved_at = None
        locked.save(update_fields=["status", "resolved_at", "updated_at"])
        update = ComplaintUpdate.objects.create(
            complaint=locked, kind=ComplaintUpdate.Kind.STATUS, from_status=previous, to_status=to_status,
            message=note.strip(), is_public=public, author=audit.person(actor), created_at=now)
        if after_photo is not None:
            _add_photo(locked, after_photo, ComplaintPhoto.Kind.AFTER)
        if public:
            extra = {"note": note.strip()}
            if to_status in workflow.RATEABLE_STATES and not hasattr(locked, "rating"):
                extra["rate_path"] = reverse("complaints:rate", args=[locked.organization.slug, locked.rating_token])
            _notify_citizen(locked, "complaint_status", extra)
    complaint.status, complaint.resolved_at = locked.status, locked.resolved_at
    return update


def add_reply(*, complaint: Complaint, actor, message: str, public: bool) -> ComplaintUpdate:
    require(actor, "change", complaint)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("กรุณาพิมพ์ข้อความ")})
    if len(message) > DESCRIPTION_MAX:
        raise ValidationError({"message": _("ข้อความยาวเกินไป")})
    with transaction.atomic():
        update = ComplaintUpdate.objects.create(
            complaint=complaint, kind=ComplaintUpdate.Kind.REPLY if public else ComplaintUpdate.Kind.NOTE,
            message=message, is_public=public, author=audit.person(actor))
        if public:
            _notify_citizen(complaint, "complaint_reply", {"note": message})
    return update


UNCHANGED = object()  # `edit` leaves a field alone; None clears it (department, officer)
EDITABLE = ("category", "department", "assignee", "address", "village")


def edit(*, complaint: Complaint, actor, category=UNCHANGED, department=UNCHANGED, assignee=UNCHANGED,
         address=UNCHANGED, village=UNCHANGED) -> ComplaintUpdate | None:
    """Staff correct or route a complaint: category, department, officer, address, village. One internal timeline
    line says what changed (who: its author and the audit row); None when nothing did."""
    require(actor, "change", complaint)
    if category is not UNCHANGED:
        if (category is None or category.organization_id != complaint.organization_id or not category.is_active
                or category.is_protected != complaint.is_protected):
            raise ValidationError({"category": _("เลือกประเภทเรื่องที่เปิดใช้ขององค์กรนี้")})
    if department not in (UNCHANGED, None) and department.organization_id != complaint.organization_id:
        raise ValidationError({"department": _("หน่วยงานต้องอยู่ในองค์กรเดียวกัน")})
    if assignee not in (UNCHANGED, None):
        roles = (Role.LEGAL_OFFICER, Role.EXECUTIVE) if complaint.is_protected else (Role.ADMINISTRATOR, Role.OFFICER)
        if not may_act_in(assignee, complaint.organization_id, roles=roles):
            raise ValidationError({"assignee": _("เจ้าหน้าที่ต้องอยู่ในองค์กรเดียวกันและมีหน้าที่รับเรื่อง")})
    wanted = {"category": category, "department": department, "assignee": assignee,
              "address": address if address is UNCHANGED else (address or "").strip()[:300],
              "village": village if village is UNCHANGED else (village or "").strip()[:100]}
    fields, parts = [], []
    for name, value in wanted.items():
        if value is UNCHANGED:
            continue
        field = Complaint._meta.get_field(name)
        current = getattr(complaint, field.attname)
        if (value.pk if hasattr(value, "pk") else value) == current:
            continue
        setattr(complaint, name, value)
        fields.append(name)
        shown = (value.get_full_name() or value.get_username()) if name == "assignee" and value else value
        parts.append(f"{field.verbose_name}: {shown if shown not in (None, '') else '–'}")
    if not fields:
        return None
    routed = {"department", "assignee"} & set(fields)
    with transaction.atomic(), acting(actor):
        complaint.save(update_fields=[*fields, "updated_at"])
        return ComplaintUpdate.objects.create(
            complaint=complaint, kind=ComplaintUpdate.Kind.ASSIGN if routed else ComplaintUpdate.Kind.NOTE,
            message="; ".join(parts), is_public=False, author=audit.person(actor))


def assign(*, complaint: Complaint, actor, department=None, assignee=None) -> ComplaintUpdate | None:
    """Route to a department and/or an officer (None: leave as is)."""
    return edit(complaint=complaint, actor=actor, department=UNCHANGED if department is None else department,
                assignee=UNCHANGED if assignee is None else assignee)


def mark_duplicate(*, complaint: Complaint, original: Complaint, actor) -> ComplaintUpdate:
    require(actor, "change", complaint)
    if original.pk == complaint.pk or original.organization_id != complaint.organization_id:
        raise ValidationError({"duplicate_of": _("เลือกเรื่องอื่นขององค์กรเดียวกัน")})
    if original.duplicate_of_id == complaint.pk:
        raise ValidationError({"duplicate_of": _("สองเรื่องนี้อ้างถึงกันเป็นวง")})
    with transaction.atomic(), acting(actor):
        complaint.duplicate_of = original
        complaint.save(update_fields=["duplicate_of", "updated_at"])
        note = _("เรื่องนี้ซ้ำกับเรื่อง %(code)s ติดตามได้ที่เรื่องนั้น") % {
            "code": original.tracking_code}
        return change_status(complaint=complaint, to_status=workflow.Status.CLOSED, actor=actor, note=note)


def rate(*, complaint: Complaint, score: int, comment: str = "") -> Rating:
    if complaint.status not in workflow.RATEABLE_STATES:
        raise ValidationError(_("ประเมินได้เมื่อแก้ไขเสร็จแล้ว"))
    if not (1 <= int(score) <= 5):
        raise ValidationError({"score": _("คะแนน 1–5")})
    comment = (comment or "").strip()[:2000]
    unhappy = int(score) <= 2
    try:
        with transaction.atomic():
            rating = Rating.objects.create(complaint=complaint, score=int(score), comment=comment,
                                           reopen_requested=unhappy)
            audit.record(complaint, actor=audit.citizen("web"), event="complaints.complaint.rated",
                         changes={"score": [None, rating.score]}, data={"tracking_code": complaint.tracking_code})
            if unhappy:
                ComplaintUpdate.objects.create(
                    complaint=complaint, kind=ComplaintUpdate.Kind.NOTE, is_public=False,
                    message=_("ผู้แจ้งไม่พอใจ (%(s)s/5) และขอให้เปิดเรื่องใหม่: %(c)s") % {"s": score, "c": comment})
    except IntegrityError as exc:
        raise ValidationError(_("เรื่องนี้ได้รับการประเมินแล้ว")) from exc
    return rating


def anonymize(*, complaint: Complaint, actor) -> Complaint:
    require(actor, "change", complaint)
    if complaint.status not in (workflow.Status.CLOSED, workflow.Status.REJECTED, workflow.Status.RESOLVED):
        raise ValidationError(_("ลบข้อมูลส่วนบุคคลได้เฉพาะเรื่องที่ปิดแล้ว"))
    with transaction.atomic(), acting(actor):
        complaint.contact_name = complaint.contact_phone = complaint.contact_email = complaint.line_user_id = ""
        complaint.sealed_contact = {}
        complaint.notify_channel = ""
        complaint.anonymized_at = timezone.now()
        complaint.save(update_fields=["contact_name", "contact_phone", "contact_email", "sealed_contact",
                                      "line_user_id", "notify_channel", "anonymized_at", "updated_at"])
        ComplaintUpdate.objects.create(complaint=complaint, kind=ComplaintUpdate.Kind.NOTE, is_public=False,
                                       author=audit.person(actor), message=_("ลบข้อมูลติดต่อของผู้แจ้งแล้ว (PDPA)"))
        # The outbox kept the phone number / address and the message texts: they go too.
        from portal.notifications.services import scrub

        scrub(complaint)
    return complaint


# --- Assets ------------------------------------------------------------------------------------------------

@transaction.atomic
def record_scan(*, asset: Asset, actor) -> None:
    """Count a QR-sticker scan (the view counts a visitor once a day). `actor` is the request's user: a passer-by
    is named as the public scan in the audit row, which an `.update()` would otherwise leave unrecorded."""
    Asset.objects.filter(pk=asset.pk).update(scan_count=F("scan_count") + 1)
    if not getattr(actor, "is_authenticated", False):
        actor = audit.system("public:qr-scan")
    audit.record(asset, actor=actor, event="complaints.asset.scanned")
