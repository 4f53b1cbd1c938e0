"""Filing a complaint (the citizen's web form, LINE, Open311, or staff on someone's behalf): the checks before
the one INSERT, and the citizen's notifications on the channel they chose."""

from decimal import Decimal, InvalidOperation

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import workflow
from complaints.models import (
    DESCRIPTION_MAX,
    MAX_PHOTOS,
    Asset,
    Category,
    Complaint,
    ComplaintPhoto,
)
from complaints.selectors import distance_m
from portal.audit import trail as audit
from portal.inputs import uploads
from portal.machinery import calendar
from portal.notifications.services import citizen_language, notify
from portal.outputs.codes import insert_with_code
from portal.web.middleware import absolute_url

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
        filed_by=filed_by, created_at=now, sla_deadline=calendar.deadline(now, category.sla_days),
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
