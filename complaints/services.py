"""Every write that matters: keyword-only functions in a transaction, notifications through the outbox."""

import re
import secrets
from decimal import Decimal, InvalidOperation

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access.permissions import require
from portal.access.tenancy import user_org_ids
from portal.audit import trail as audit
from portal.audit.trail import acting
from portal.inputs import uploads
from portal.machinery.cache import Memo
from portal.models import Department, Organization, Role
from portal.notifications.services import citizen_language, notify
from portal.outputs.codes import insert_with_code
from portal.web.middleware import absolute_url

from . import sla, workflow
from .models import (
    DESCRIPTION_MAX,
    MAX_PHOTOS,
    Asset,
    Category,
    Complaint,
    ComplaintPhoto,
    ComplaintUpdate,
    Holiday,
    LineConversation,
    Rating,
)
from .selectors import distance_m

EMAIL_MAX = 254  # RFC 5321 and the contact_email column


def _coordinate(value, low, high, label):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
        if not number.is_finite():  # NaN / Infinity cannot be compared or stored
            raise ValueError(value)
        number = number.quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({label: _("พิกัดไม่ถูกต้อง")}) from exc
    if not (low <= number <= high):
        raise ValidationError({label: _("พิกัดไม่ถูกต้อง")})
    return number


def check_location(organization, latitude, longitude):
    """Both or neither; inside the organization's area when it has a centre."""
    lat = _coordinate(latitude, -90, 90, "latitude")
    lng = _coordinate(longitude, -180, 180, "longitude")
    if (lat is None) != (lng is None):
        raise ValidationError({"latitude": _("ต้องระบุทั้งละติจูดและลองจิจูด")})
    if lat is not None and organization.latitude is not None and organization.longitude is not None:
        limit = float(organization.area_radius_km) * 1000
        if distance_m(lat, lng, organization.latitude, organization.longitude) > limit:
            raise ValidationError({"latitude": _(
                "ตำแหน่งอยู่นอกพื้นที่ของ%(org)s (รัศมี %(km)s กม.)"
            ) % {"org": organization.name_th, "km": organization.area_radius_km}})
    return lat, lng


def _add_photo(complaint, content, kind) -> ComplaintPhoto:
    """Corruption reports' photos are evidence: private storage, never under /media/."""
    field = "evidence" if complaint.is_protected else "image"
    return ComplaintPhoto.objects.create(complaint=complaint, kind=kind, **{field: content})


def _notify_recipient(complaint: Complaint) -> str:
    """Where the citizen asked to be told (empty for anonymous / protected reports)."""
    if complaint.is_protected or complaint.anonymized_at:
        return ""
    return {"email": complaint.contact_email, "sms": complaint.contact_phone,
            "line": complaint.line_user_id}.get(complaint.notify_channel, "")


def _notify_citizen(complaint: Complaint, event: str, extra: dict | None = None):
    """One outbox row on the citizen's chosen channel (none for anonymous / protected reports)."""
    recipient = _notify_recipient(complaint)
    if not recipient:
        return None
    channel = complaint.notify_channel
    if "rate_path" in (extra or {}):
        extra = {**extra, "rate_path": absolute_url(extra["rate_path"])}
    context = {
        # The status label stays lazy: it is rendered in the citizen's language, not the staff member's.
        "complaint": complaint, "code": complaint.tracking_code,
        "status": workflow.Status(complaint.status).label if complaint.status in workflow.Status.values
        else complaint.status, "organization": complaint.organization,
        "track_path": absolute_url(reverse("complaints:track", args=[complaint.organization.slug,
                                                                      complaint.tracking_code])),
        **(extra or {}),
    }
    return notify(organization=complaint.organization, event=event, channel=channel, recipient=recipient,
                  context=context, language=complaint.language, related=complaint)


def reporter_contacts(complaint: Complaint) -> dict[str, str]:
    """The contacts the reporter gave, by outbox channel (none for corruption reports or anonymised ones)."""
    if complaint.is_protected or complaint.anonymized_at:
        return {}
    return {channel: value for channel, value in (("sms", complaint.contact_phone), ("email", complaint.contact_email))
            if value}


def send_tracking_details(*, complaint: Complaint, channel: str):
    """The tracking code and link, sent at the reporter's asking to a contact they gave (never another)."""
    recipient = reporter_contacts(complaint).get(channel)
    if recipient is None:
        raise ValidationError(_("ไม่มีช่องทางติดต่อนี้ในเรื่องที่แจ้ง"))
    with transaction.atomic():
        audit.record(complaint, actor=audit.citizen("web"), event="complaints.complaint.details_sent",
                     data={"tracking_code": complaint.tracking_code, "channel": channel})
        return notify(organization=complaint.organization, event="complaint_keep", channel=channel,
                      recipient=recipient, language=complaint.language, related=complaint,
                      context={"code": complaint.tracking_code, "organization": complaint.organization,
                               "track_path": absolute_url(reverse("complaints:track", args=[
                                   complaint.organization.slug, complaint.tracking_code]))})


def submit_complaint(*, organization, category: Category, description: str, channel: str = Complaint.Channel.WEB,
                     latitude=None, longitude=None, address: str = "", village: str = "", photos=(),
                     contact_name: str = "", contact_phone: str = "", contact_email: str = "",
                     notify_channel: str = "", line_user_id: str = "", pdpa_consent: bool = False,
                     asset: Asset | None = None, filed_by=None, photo_files=None,
                     notify_received: bool = True, passphrase_hash: str = "",
                     concerned_department=None, language: str | None = None) -> Complaint:
    """File a complaint. Everything is validated before the first write, so nothing is half-saved.

    Writes: the complaint row; its photos and the "received" outbox row when there are any (one transaction). The
    timeline's "received" entry is derived from the row (`Complaint.with_received`), not stored. A citizen's own
    submission is its own record: the row names the channel, carries the tracking code and the time, and has no
    `filed_by` (kept to one INSERT; no audit row, which would also copy the contact details into the log). One filed
    by staff (`filed_by`) is recorded by auditlog with the officer as actor."""
    if category.organization_id != organization.pk or not category.is_active:
        raise ValidationError({"category": _("ไม่พบประเภทเรื่องนี้")})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("กรุณาเล่ารายละเอียด")})
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError({"description": _("รายละเอียดยาวเกิน %(n)s ตัวอักษร")
                               % {"n": DESCRIPTION_MAX}})
    if asset is not None and asset.organization_id != organization.pk:
        raise ValidationError({"asset": _("ไม่พบทรัพย์สินนี้")})
    if asset is not None and latitude in (None, "") and asset.latitude is not None:
        latitude, longitude = asset.latitude, asset.longitude
    lat, lng = check_location(organization, latitude, longitude)
    if lat is None and not (address or village or asset):
        raise ValidationError({"address": _("กรุณาปักหมุดบนแผนที่ หรือระบุที่อยู่/หมู่บ้าน")})
    has_contact = bool(contact_phone or contact_email or line_user_id)
    if has_contact and not pdpa_consent and filed_by is None:
        raise ValidationError({"pdpa_consent": _("กรุณายินยอมให้ใช้ข้อมูลติดต่อ หรือแจ้งโดยไม่ระบุตัวตน")})
    if len(contact_email or "") > EMAIL_MAX:
        raise ValidationError({"contact_email": _("อีเมลยาวเกิน %(n)s ตัวอักษร")
                               % {"n": EMAIL_MAX}})
    if notify_channel == "email" and not contact_email:
        raise ValidationError({"contact_email": _("กรุณาระบุอีเมลเพื่อรับการแจ้งเตือน")})
    if notify_channel == "sms" and not contact_phone:
        raise ValidationError({"contact_phone": _("กรุณาระบุเบอร์โทรเพื่อรับ SMS")})
    if notify_channel == "line" and not line_user_id:
        notify_channel = ""
    if photo_files is not None:
        cleaned = photo_files
    else:
        try:
            cleaned = uploads.check_images(photos, max_count=MAX_PHOTOS)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc

    now = timezone.now()
    sealed = {}
    if category.is_protected:
        # A corruption reporter's contact is stored encrypted, never in the plain columns (portal.outputs.crypto).
        sealed = {k: v for k, v in {"name": contact_name[:200], "phone": contact_phone[:30],
                                    "email": contact_email}.items() if v}
        contact_name = contact_phone = contact_email = ""
    complaint = Complaint(
        sealed_contact=sealed,
        organization=organization, category=category, is_protected=category.is_protected,
        description=description, channel=channel, latitude=lat, longitude=lng, address=address[:300],
        village=village[:100], asset=asset, department_id=category.department_id, contact_name=contact_name[:200],
        contact_phone=contact_phone[:30], contact_email=contact_email, line_user_id=line_user_id,
        notify_channel=notify_channel, pdpa_consent_at=now if (pdpa_consent or filed_by) and has_contact else None,
        filed_by=filed_by, created_at=now, sla_deadline=sla.deadline(now, category.sla_days),
        passphrase_hash=passphrase_hash, concerned_department=concerned_department,
        # Unless told, the language of the page the citizen filed on; staff filing for someone write in Thai.
        language=citizen_language(language if language or filed_by is None else settings.LANGUAGE_CODE),
    )
    will_notify = notify_received and _notify_recipient(complaint)

    def then():
        for content in cleaned:
            _add_photo(complaint, content, ComplaintPhoto.Kind.CITIZEN)
        if will_notify:
            _notify_citizen(complaint, "complaint_received")

    if filed_by is None:
        with disable_auditlog():
            insert_with_code(complaint, make_code=organization.new_tracking_code,
                             then=then if (cleaned or will_notify) else None)
    else:
        insert_with_code(complaint, make_code=organization.new_tracking_code,
                         then=then if (cleaned or will_notify) else None)
    return complaint


def change_status(*, complaint: Complaint, to_status: str, user=None, note: str = "", public: bool = True,
                  photo=None) -> ComplaintUpdate:
    """Move a complaint along the workflow table; a citizen-visible change is notified."""
    require(user, "change", complaint)
    after_photo = None
    if photo is not None:
        if to_status != workflow.Status.RESOLVED:
            raise ValidationError({"photo": _("แนบภาพหลังแก้ไขได้เมื่อแก้ไขเสร็จเท่านั้น")})
        after_photo = uploads.check_image(photo)
    with transaction.atomic(), acting(user):
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
            message=note.strip(), is_public=public, author=user, created_at=now)
        if after_photo is not None:
            _add_photo(locked, after_photo, ComplaintPhoto.Kind.AFTER)
        if public:
            extra = {"note": note.strip()}
            if to_status in workflow.RATEABLE_STATES and not hasattr(locked, "rating"):
                extra["rate_path"] = reverse("complaints:rate", args=[locked.organization.slug, locked.rating_token])
            _notify_citizen(locked, "complaint_status", extra)
    complaint.status, complaint.resolved_at = locked.status, locked.resolved_at
    return update


def add_reply(*, complaint: Complaint, user, message: str, public: bool) -> ComplaintUpdate:
    require(user, "change", complaint)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("กรุณาพิมพ์ข้อความ")})
    if len(message) > DESCRIPTION_MAX:
        raise ValidationError({"message": _("ข้อความยาวเกินไป")})
    with transaction.atomic():
        update = ComplaintUpdate.objects.create(
            complaint=complaint, kind=ComplaintUpdate.Kind.REPLY if public else ComplaintUpdate.Kind.NOTE,
            message=message, is_public=public, author=user)
        if public:
            _notify_citizen(complaint, "complaint_reply", {"note": message})
    return update


UNCHANGED = object()  # `edit` leaves a field alone; None clears it (department, officer)
EDITABLE = ("category", "department", "assignee", "address", "village")


def edit(*, complaint: Complaint, user, category=UNCHANGED, department=UNCHANGED, assignee=UNCHANGED,
         address=UNCHANGED, village=UNCHANGED) -> ComplaintUpdate | None:
    """Staff correct or route a complaint: category, department, officer, address, village. One internal timeline
    line says what changed (who: its author and the audit row); None when nothing did."""
    require(user, "change", complaint)
    if category is not UNCHANGED:
        if (category is None or category.organization_id != complaint.organization_id or not category.is_active
                or category.is_protected != complaint.is_protected):
            raise ValidationError({"category": _("เลือกประเภทเรื่องที่เปิดใช้ขององค์กรนี้")})
    if department not in (UNCHANGED, None) and department.organization_id != complaint.organization_id:
        raise ValidationError({"department": _("หน่วยงานต้องอยู่ในองค์กรเดียวกัน")})
    if assignee not in (UNCHANGED, None):
        roles = (Role.LEGAL_OFFICER, Role.EXECUTIVE) if complaint.is_protected else (Role.ADMINISTRATOR, Role.OFFICER)
        if complaint.organization_id not in user_org_ids(assignee, roles):
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
    with transaction.atomic(), acting(user):
        complaint.save(update_fields=[*fields, "updated_at"])
        return ComplaintUpdate.objects.create(
            complaint=complaint, kind=ComplaintUpdate.Kind.ASSIGN if routed else ComplaintUpdate.Kind.NOTE,
            message="; ".join(parts), is_public=False, author=user)


def assign(*, complaint: Complaint, user, department=None, assignee=None) -> ComplaintUpdate | None:
    """Route to a department and/or an officer (None: leave as is)."""
    return edit(complaint=complaint, user=user, department=UNCHANGED if department is None else department,
                assignee=UNCHANGED if assignee is None else assignee)


def mark_duplicate(*, complaint: Complaint, original: Complaint, user) -> ComplaintUpdate:
    require(user, "change", complaint)
    if original.pk == complaint.pk or original.organization_id != complaint.organization_id:
        raise ValidationError({"duplicate_of": _("เลือกเรื่องอื่นขององค์กรเดียวกัน")})
    if original.duplicate_of_id == complaint.pk:
        raise ValidationError({"duplicate_of": _("สองเรื่องนี้อ้างถึงกันเป็นวง")})
    with transaction.atomic(), acting(user):
        complaint.duplicate_of = original
        complaint.save(update_fields=["duplicate_of", "updated_at"])
        note = _("เรื่องนี้ซ้ำกับเรื่อง %(code)s ติดตามได้ที่เรื่องนั้น") % {
            "code": original.tracking_code}
        return change_status(complaint=complaint, to_status=workflow.Status.CLOSED, user=user, note=note)


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


# --- Corruption channel -----------------------------------------------------------------------------------

PASSPHRASE_WORDS = 4


def new_passphrase() -> str:
    alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(PASSPHRASE_WORDS))


def submit_corruption_report(*, organization, category: Category, description: str, concerned_department=None,
                             contact_name: str = "", contact_phone: str = "", contact_email: str = "",
                             pdpa_consent: bool = False, photos=(), photo_files=None) -> tuple[Complaint, str]:
    """Returns the complaint and the passphrase (shown once, stored only as a password hash). `photo_files`: photos
    already checked and re-encoded (as submit_complaint takes them)."""
    if not category.is_protected:
        raise ValidationError({"category": _("ประเภทนี้ไม่ใช่ช่องทางร้องเรียนการทุจริต")})
    if concerned_department is not None and concerned_department.organization_id != organization.pk:
        raise ValidationError({"concerned_department": _("ไม่พบหน่วยงานนี้")})
    passphrase = new_passphrase()
    # One INSERT with the passphrase hash and the department concerned; routed to the category's department
    # (legal affairs), never to the department concerned.
    complaint = submit_complaint(
        organization=organization, category=category, description=description, channel=Complaint.Channel.WEB,
        address="-", contact_name=contact_name, contact_phone=contact_phone, contact_email=contact_email,
        pdpa_consent=pdpa_consent, photos=photos, photo_files=photo_files, passphrase_hash=make_password(passphrase),
        concerned_department=concerned_department)
    return complaint, passphrase


def normalise_passphrase(passphrase: str) -> str:
    """As issued (four groups of four joined by hyphens), from what was typed: spaces or no separator at all."""
    text = re.sub(r"[\s\-\u2010-\u2015_.]+", "", (passphrase or "").strip().lower())
    if len(text) == 4 * PASSPHRASE_WORDS:
        return "-".join(text[i:i + 4] for i in range(0, len(text), 4))
    return (passphrase or "").strip().lower()


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    from django.contrib.auth.hashers import get_hasher

    algorithm = get_hasher().algorithm
    if algorithm not in _DUMMY_HASHES:
        _DUMMY_HASHES[algorithm] = make_password(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[algorithm]


def check_passphrase(complaint: Complaint | None, passphrase: str) -> bool:
    """The same password-hash work whether or not the tracking code exists (`complaint` None), so the answer's
    timing does not tell which codes are real."""
    encoded = complaint.passphrase_hash if complaint is not None and complaint.passphrase_hash else _dummy_hash()
    matched = check_password(normalise_passphrase(passphrase), encoded)
    return matched and complaint is not None and bool(complaint.passphrase_hash)


def log_protected_read(*, complaint: Complaint, user, where: str):
    """Every staff read of a corruption report leaves an audit row (auditlog ACCESS)."""
    LogEntry.objects.log_create(
        complaint, force_log=True, action=LogEntry.Action.ACCESS, actor=user if user and user.is_authenticated else None,
        changes={"read": where}, additional_data={"organization_id": complaint.organization_id, "read": where})


def log_protected_list_read(*, complaints, user, where: str):
    """A staff list of corruption reports: one ACCESS row per report shown, written in one INSERT."""
    if not complaints:
        return
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(complaints[0].__class__)
    actor = user if user and user.is_authenticated else None
    LogEntry.objects.bulk_create([
        LogEntry(content_type=content_type, object_pk=str(c.pk), object_id=c.pk, object_repr=str(c)[:200],
                 action=LogEntry.Action.ACCESS, actor=actor, changes={"read": where},
                 additional_data={"organization_id": c.organization_id, "read": where})
        for c in complaints])


def stop_line_updates(*, organization, line_user_id: str) -> int:
    """A LINE user typed "stop" or blocked the account: no more pushes, and the LINE id leaves their complaints.
    Returns how many complaints carried it."""
    if not line_user_id:
        return 0
    with transaction.atomic():
        carried = list(Complaint.objects.select_for_update().filter(organization=organization,
                                                                    line_user_id=line_user_id))
        Complaint.objects.filter(pk__in=[c.pk for c in carried]).update(
            line_user_id="", notify_channel=Complaint.NotifyChannel.NONE, updated_at=timezone.now())
        for complaint in carried:
            audit.record(complaint, actor=audit.citizen("line"), event="complaints.complaint.line_updates_stopped",
                         data={"tracking_code": complaint.tracking_code})
    return len(carried)


# --- Holiday calendar --------------------------------------------------------------------------------------------

def seed_holidays(*, years, actor=None) -> int:
    """Copy Thai public holidays from the `holidays` package into the Holiday table (idempotent). `actor` is the
    command or the demo loader that asked; each holiday added gets its audit row."""
    import holidays as holidays_lib

    count = 0
    with transaction.atomic():
        for day, name in sorted(holidays_lib.Thailand(years=list(years), language="th").items()):
            holiday, created = Holiday.objects.update_or_create(date=day, defaults={"name": name[:200]})
            if created:
                audit.record(holiday, actor=actor, event="complaints.holiday.seeded", action=audit.Action.CREATE)
            count += created
    return count


# --- LINE chats: the draft complaint between a citizen's messages ---------------------------------------------------

def start_line_conversation(*, organization, line_user_id: str) -> LineConversation:
    """The citizen followed the account and has been shown the privacy notice."""
    with transaction.atomic():
        conversation, _created = LineConversation.objects.update_or_create(
            organization=organization, line_user_id=line_user_id, defaults={"draft": {"noticed": True}})
        audit.record(conversation, actor=audit.citizen("line"), event="complaints.lineconversation.started")
    return conversation


def lock_line_conversation(*, organization, line_user_id: str) -> LineConversation:
    """The citizen's conversation, locked until the caller's transaction ends (LINE may deliver two messages of
    one citizen at once)."""
    conversation, _created = LineConversation.objects.select_for_update().get_or_create(
        organization=organization, line_user_id=line_user_id)
    return conversation


def save_line_draft(*, conversation: LineConversation, draft: dict) -> None:
    """The citizen's own unfinished report (not audited: no staff write)."""
    conversation.draft = draft
    conversation.save(update_fields=["draft", "updated_at"])


# --- Personal data ------------------------------------------------------------------------------------------

def anonymize(*, complaint: Complaint, user) -> Complaint:
    require(user, "change", complaint)
    if complaint.status not in (workflow.Status.CLOSED, workflow.Status.REJECTED, workflow.Status.RESOLVED):
        raise ValidationError(_("ลบข้อมูลส่วนบุคคลได้เฉพาะเรื่องที่ปิดแล้ว"))
    with transaction.atomic(), acting(user):
        complaint.contact_name = complaint.contact_phone = complaint.contact_email = complaint.line_user_id = ""
        complaint.sealed_contact = {}
        complaint.notify_channel = ""
        complaint.anonymized_at = timezone.now()
        complaint.save(update_fields=["contact_name", "contact_phone", "contact_email", "sealed_contact",
                                      "line_user_id", "notify_channel", "anonymized_at", "updated_at"])
        ComplaintUpdate.objects.create(complaint=complaint, kind=ComplaintUpdate.Kind.NOTE, is_public=False,
                                       author=user, message=_("ลบข้อมูลติดต่อของผู้แจ้งแล้ว (PDPA)"))
        # The outbox kept the phone number / address and the message texts: they go too.
        from portal.notifications.services import scrub

        scrub(complaint)
    return complaint


# --- Assets and API keys --------------------------------------------------------------------------------------

@transaction.atomic
def record_scan(*, asset: Asset, user) -> None:
    """Count a QR-sticker scan (the view counts a visitor once a day). `user` is the request's user: a passer-by
    is named as the public scan in the audit row, which an `.update()` would otherwise leave unrecorded."""
    Asset.objects.filter(pk=asset.pk).update(scan_count=F("scan_count") + 1)
    actor = user if getattr(user, "is_authenticated", False) else audit.system("public:qr-scan")
    audit.record(asset, actor=actor, event="complaints.asset.scanned")


# --- the categories' directory (cached) ------------------------------------------------------------------------

DIRECTORY_CACHE_SECONDS = 60
# In front of the shared cache, each process keeps the directory it last read for a few seconds: a Redis round trip
# plus unpickling cost about as much as the INSERT itself. A change is seen at once by the process that makes it
# and by the others within DIRECTORY_LOCAL_SECONDS.
DIRECTORY_LOCAL_SECONDS = 5


def _load_directory(organization_slug: str) -> dict | None:
    organization = (Organization.objects.filter(slug=organization_slug, is_active=True)
                    .defer("line_channel_secret", "line_channel_access_token").first())
    if organization is None:
        return None
    categories = {}
    for category in (Category.objects.filter(organization=organization, is_active=True, is_public=True,
                                             is_protected=False).select_related("department")):
        category.organization = organization
        categories[category.code] = category
    # What the citizen web form offers (non-public categories too, never protected ones), in display order.
    form_categories = list(Category.objects.filter(organization=organization, is_active=True, is_protected=False)
                           .order_by("order", "name_th"))
    for category in form_categories:
        category.organization = organization
    return {"organization": organization, "categories": categories, "form_categories": form_categories}


def _slug_of(instance):
    if isinstance(instance, Organization):
        return instance.slug
    return Organization.objects.filter(pk=instance.organization_id).values_list("slug", flat=True).first()


def _directory_invalidation():
    return [(model, _slug_of) for model in (Organization, Department, Category)]


# What a complaint POST (Open311 and the citizen web form) needs of one organization: the organization and its
# categories. Forgotten when an organization, department or category of it is saved or deleted; a
# queryset.update() is seen after DIRECTORY_CACHE_SECONDS (rules: portal.machinery.cache).
CATEGORY_DIRECTORY = Memo("complaints-categories", _load_directory, seconds=DIRECTORY_CACHE_SECONDS,
                          local_seconds=DIRECTORY_LOCAL_SECONDS, invalidate_on=_directory_invalidation())


def category_directory(organization_slug: str) -> dict | None:
    return CATEGORY_DIRECTORY.get(organization_slug)


def public_category(organization_slug: str, service_code: str) -> Category | None:
    """The public, unprotected category `service_code` of the organization (organization and department attached),
    from the cached directory: no query when warm."""
    data = category_directory(organization_slug) if service_code and organization_slug else None
    return data["categories"].get(service_code) if data is not None else None
