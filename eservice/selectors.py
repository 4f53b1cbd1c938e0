"""Reads, with their joins declared, so query counts stay flat."""

import datetime as dt
import re

from django.db.models import Avg, Count, Prefetch, Q
from django.db.models.functions import TruncMonth

from portal.machinery import calendar
from portal.thai import localized

from .models import (
    Booking,
    BookingStatus,
    Closure,
    DocumentRequest,
    Queue,
    RequestDocument,
    RequestEvent,
    ServiceRequest,
    ServiceType,
    Slot,
)

TRACKING_CODE_RE = re.compile(r"[A-Z0-9-]{1,24}")


# --- working days -----------------------------------------------------------------------------------------------

def working_deadline(start: dt.datetime, days: int) -> dt.datetime:
    return calendar.deadline(start, days)


def holidays(start: dt.date, end: dt.date) -> set[dt.date]:
    return calendar.holiday_dates(start, end)


def closed_dates(queue: Queue, start: dt.date, end: dt.date) -> set[dt.date]:
    rows = Closure.objects.filter(organization_id=queue.organization_id, date__gte=start, date__lte=end).filter(
        Q(queue__isnull=True) | Q(queue=queue)).values_list("date", flat=True)
    return set(rows) | holidays(start, end)


def _open_weekdays(queue: Queue) -> set[int]:
    return {h.weekday for h in queue.hours.all()}


def is_open_day(queue: Queue, day: dt.date) -> bool:
    return day.weekday() in _open_weekdays(queue) and day not in closed_dates(queue, day, day)


# The booking calendar of a queue changes a few times a month (hours, closures, holidays): each process keeps it for
# a short while and forgets it at once when one of those rows is saved or deleted here (signals below); another
# process sees the change within CALENDAR_SECONDS.
CALENDAR_SECONDS = 30
_calendar: dict = {}


def forget_calendars(**kwargs):
    _calendar.clear()
    _booking_slots.clear()


def bookable_days(queue: Queue, today: dt.date) -> list[tuple[dt.date, bool]]:
    """The next `booking_window_days` working days of the queue, with the shut days between them marked."""
    import time

    key = (queue.pk, today, queue.booking_window_days)
    hit = _calendar.get(key)
    if hit is not None and time.monotonic() - hit[0] < CALENDAR_SECONDS:
        return hit[1]
    days = _bookable_days(queue, today)
    if len(_calendar) > 1000:
        _calendar.clear()
    _calendar[key] = (time.monotonic(), days)
    return days


def _bookable_days(queue: Queue, today: dt.date) -> list[tuple[dt.date, bool]]:
    weekdays = _open_weekdays(queue)
    if not weekdays:
        return []
    span = queue.booking_window_days * 3 + 14
    shut = closed_dates(queue, today, today + dt.timedelta(days=span))
    days, open_count, day = [], 0, today
    while open_count < queue.booking_window_days and day <= today + dt.timedelta(days=span):
        if day.weekday() in weekdays:
            is_open = day not in shut
            days.append((day, is_open))
            open_count += is_open
        day += dt.timedelta(days=1)
    return days


# Booking reads its slot (with the queue, its organization and hours) from this per-process memo, forgotten with the
# calendars. Only what a stale copy cannot get wrong is trusted from it: the slot's queue, day and start, for the
# calendar checks; whether the slot or queue is closed, the lead time and the free places are checked again by
# the booking statement itself, on the rows it locks.
_booking_slots: dict = {}


def slot_for_booking(slot_id: int) -> Slot | None:
    import time

    hit = _booking_slots.get(slot_id)
    if hit is not None and time.monotonic() - hit[0] < CALENDAR_SECONDS:
        return hit[1]
    slot = (Slot.objects.select_related("queue__organization").prefetch_related("queue__hours")
            .filter(pk=slot_id).first())
    if slot is None:
        return None
    if len(_booking_slots) > 5000:
        _booking_slots.clear()
    _booking_slots[slot_id] = (time.monotonic(), slot)
    return slot


def forget_booking_slot(slot_id: int) -> None:
    _booking_slots.pop(slot_id, None)


def fresh_slot(slot_id: int) -> Slot | None:
    return Slot.objects.select_related("queue__organization").filter(pk=slot_id).first()


# --- service catalogue ------------------------------------------------------------------------------------------

def public_service_types(organization):
    return (ServiceType.objects.filter(organization=organization, is_public=True, current_version__isnull=False)
            .select_related("department", "queue", "current_version").order_by("order", "name_th"))


def search_terms(query: str) -> list[str]:
    """Thai has no spaces between words: split the query into words (PyThaiNLP, newmm) so that
    "ขอน้ำประปา" finds "ขอติดตั้งน้ำประปา"."""
    from pythainlp.tokenize import word_tokenize

    terms = []
    for chunk in (query or "").split()[:10]:
        words = [w.strip() for w in word_tokenize(chunk, engine="newmm", keep_whitespace=False) if w.strip()]
        terms.extend(w for w in words if len(w) > 1 or not w.isascii())
    return terms[:10]


def search_service_types(organization, query: str):
    qs = public_service_types(organization)
    for term in search_terms(query):
        qs = qs.filter(Q(name_th__icontains=term) | Q(name_en__icontains=term) | Q(keywords__icontains=term)
                       | Q(description__icontains=term))
    return qs


def service_type_for_form(organization, code: str):
    return (ServiceType.objects.filter(organization=organization, code=code, is_public=True)
            .select_related("current_version", "organization", "queue", "department").first())


# --- requests -----------------------------------------------------------------------------------------------------

def clean_tracking_code(code) -> str:
    """What a citizen typed, as printed: any case, with or without dashes, Thai digits (portal.outputs.codes)."""
    from portal.outputs.codes import clean_tracking_code as clean

    return clean(code)


def request_for_tracking(organization, code: str) -> ServiceRequest | None:
    code = clean_tracking_code(code)
    if not code:
        return None
    return (ServiceRequest.objects.filter(organization=organization, tracking_code=code)
            .select_related("service_type", "form_version", "department", "organization")
            .prefetch_related(
                Prefetch("events", queryset=RequestEvent.objects.filter(is_public=True).order_by("created_at", "pk"),
                         to_attr="public_events"),
                Prefetch("document_requests", queryset=DocumentRequest.objects.order_by("created_at", "pk"),
                         to_attr="all_document_requests"),
                Prefetch("documents", queryset=RequestDocument.objects.order_by("uploaded_at", "pk"),
                         to_attr="all_documents"))
            .first())


def answer_rows(request_obj: ServiceRequest) -> list[tuple[str, str]]:
    """(label, shown value) per answered field of the request's own form version."""
    rows = []
    for field in sorted(request_obj.form_version.fields, key=lambda f: (f.get("order", 0), f["code"])):
        value = request_obj.answers.get(field["code"])
        if value in (None, "", [], {}):
            continue
        rows.append((localized(field, "label"), display_value(field, value)))
    return rows


def display_value(field: dict, value) -> str:
    from portal import thai

    kind = field["kind"]
    names = dict(tuple(c) for c in field.get("choices", []))
    if kind in ("choice", "multichoice") and isinstance(value, dict):
        picked = value.get("value")
        picked = picked if isinstance(picked, list) else [picked]
        shown = [names.get(p, p) for p in picked if p and p != "__other__"]
        if value.get("other"):
            shown.append(value["other"])
        return ", ".join(shown)
    if kind == "address" and isinstance(value, dict):
        return " ".join(filter(None, [value.get("line"), "ต." + value.get("subdistrict", ""),
                                      "อ." + value.get("district", ""), "จ." + value.get("province", "")]))
    if kind == "point" and isinstance(value, dict):
        return f"{value.get('lat')}, {value.get('lng')}"
    if kind == "date":
        try:
            return thai.format_be_date(dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def staff_requests(queryset):
    return queryset.select_related("service_type", "department", "assignee", "organization")


def satisfaction(queryset, by: str):
    """Average rating and count per service type ("service_type__name_th") or department."""
    return (queryset.filter(rating__isnull=False).values(by).annotate(n=Count("pk"), average=Avg("rating"))
            .order_by(by))


# --- queues -------------------------------------------------------------------------------------------------------

def public_queues(organization):
    return Queue.objects.filter(organization=organization, is_active=True).prefetch_related("hours").order_by(
        "name_th")


def slots_for(queue: Queue, day: dt.date):
    return Slot.objects.filter(queue=queue, date=day).order_by("start")


def day_bookings(queue: Queue, day: dt.date, search: str = ""):
    qs = Booking.objects.filter(queue=queue, date=day).select_related("slot").order_by("number")
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(ticket__icontains=search) | Q(phone__contains=search) | Q(name__icontains=search))
    return qs


def now_serving(organization, day: dt.date):
    """Per queue, the last ticket called at each counter today (for the display screen)."""
    calls = (Booking.objects.filter(queue__organization=organization, date=day, called_at__isnull=False,
                                    status__in=[BookingStatus.CALLED, BookingStatus.SERVED])
             .select_related("queue").order_by("queue__name_th", "counter", "-called_at"))
    screen: dict = {}
    for booking in calls:
        counters = screen.setdefault(booking.queue, {})
        counters.setdefault(booking.counter, booking)
    return [(queue, sorted(counters.items())) for queue, counters in screen.items()]


# --- open-data feeds ------------------------------------------------------------------------------------------------

def requests_by_service_month(organization):
    rows = (ServiceRequest.objects.filter(organization=organization).annotate(month=TruncMonth("created_at"))
            .values("service_type__code", "service_type__name_th", "month").annotate(requests=Count("pk"))
            .order_by("month", "service_type__code"))
    for row in rows:
        yield {"service_code": row["service_type__code"], "service_name": row["service_type__name_th"],
               "month": row["month"].strftime("%Y-%m") if row["month"] else "", "requests": row["requests"]}


def bookings_per_day(organization):
    rows = (Booking.objects.filter(queue__organization=organization)
            .values("queue__code", "queue__name_th", "date")
            .annotate(bookings=Count("pk"), served=Count("pk", filter=Q(status=BookingStatus.SERVED)))
            .order_by("date", "queue__code"))
    for row in rows:
        yield {"queue_code": row["queue__code"], "queue_name": row["queue__name_th"], "date": row["date"].isoformat(),
               "bookings": row["bookings"], "served": row["served"]}


def _connect_calendar_signals():
    from django.db.models.signals import post_delete, post_save

    from portal.models import Holiday

    from .models import OpeningHours

    for model in (Queue, OpeningHours, Closure, Holiday, Slot):
        post_save.connect(forget_calendars, sender=model, dispatch_uid=f"eservice-calendar-save-{model.__name__}")
        post_delete.connect(forget_calendars, sender=model, dispatch_uid=f"eservice-calendar-del-{model.__name__}")


_connect_calendar_signals()


# --- the form builder ---------------------------------------------------------------------------------------------

def definition_of(service_type: ServiceType) -> dict:
    return {
        "name_th": service_type.name_th, "name_en": service_type.name_en,
        "processing_days": service_type.processing_days, "fee": str(service_type.fee),
        # Positions, not the stored order numbers: moving a field and back is no change.
        "fields": [{**f.as_definition(), "order": n * 10} for n, f in enumerate(service_type.fields.all())],
        "documents": [d.as_definition() for d in service_type.documents.all()],
    }


def _kind_label(kind: str) -> str:
    from .models import FieldKind

    return str(FieldKind(kind).label) if kind in FieldKind.values else kind


def draft_changes(service_type) -> list[str]:
    """What publishing the draft would change, one Thai line per change, for staff to read before publishing."""
    from django.utils.translation import gettext as _

    draft = definition_of(service_type)
    live = service_type.current_version.definition if service_type.current_version_id else None
    if live is None:
        return [_("เผยแพร่ครั้งแรก: แบบฟอร์ม %(n)s ช่อง") % {"n": len(draft["fields"])}]
    lines = []
    old = {f["code"]: f for f in live.get("fields", [])}
    new = {f["code"]: f for f in draft["fields"]}
    for code, f in new.items():
        if code not in old:
            lines.append(_("เพิ่มช่อง “%(label)s” (%(kind)s)") % {"label": f["label_th"], "kind": _kind_label(f["kind"])})
    for code, f in old.items():
        if code not in new:
            lines.append(_("ลบช่อง “%(label)s”") % {"label": f["label_th"]})
    names = {"label_th": _("ชื่อช่อง"), "label_en": _("ชื่อภาษาอังกฤษ"), "help_th": _("คำอธิบาย"),
             "allow_other": _("ตัวเลือก “อื่น ๆ”")}
    for code, f in new.items():
        before = old.get(code)
        if before is None:
            continue
        label = f["label_th"]
        if before["label_th"] != f["label_th"]:
            lines.append(_("เปลี่ยนชื่อช่อง “%(old)s” เป็น “%(new)s”") % {"old": before["label_th"], "new": label})
        if before["kind"] != f["kind"]:
            lines.append(_("ช่อง “%(label)s”: ชนิดเปลี่ยนจาก %(old)s เป็น %(new)s") % {
                "label": label, "old": _kind_label(before["kind"]), "new": _kind_label(f["kind"])})
        if bool(before.get("required")) != bool(f["required"]):
            lines.append((_("ช่อง “%(label)s”: ต้องกรอก") if f["required"] else _("ช่อง “%(label)s”: ไม่บังคับกรอก"))
                         % {"label": label})
        if [list(c) for c in before.get("choices", [])] != [list(c) for c in f["choices"]]:
            lines.append(_("ช่อง “%(label)s”: ตัวเลือกเปลี่ยนเป็น %(choices)s") % {
                "label": label, "choices": ", ".join(c[1] for c in f["choices"])})
        for key in ("label_en", "help_th", "allow_other"):
            if before.get(key) != f[key]:
                lines.append(_("ช่อง “%(label)s”: แก้%(what)s") % {"label": label, "what": names[key]})
    common = [c for c in new if c in old]
    if [c for c in sorted(old, key=lambda c: old[c].get("order", 0)) if c in common] != \
            [c for c in sorted(new, key=lambda c: new[c].get("order", 0)) if c in common]:
        lines.append(_("เปลี่ยนลำดับช่อง"))
    for key, what in (("name_th", _("ชื่อบริการ")), ("name_en", _("ชื่อบริการภาษาอังกฤษ")),
                      ("processing_days", _("ระยะเวลาดำเนินการ")), ("fee", _("ค่าธรรมเนียม"))):
        if live.get(key) != draft[key]:
            lines.append(_("แก้%(what)s") % {"what": what})
    if live.get("documents") != draft["documents"]:
        lines.append(_("แก้รายการเอกสารที่ต้องใช้"))
    return lines
