"""Reads of the request domain, with their joins declared, so query counts stay flat."""

import datetime as dt
import re

from django.db.models import Avg, Count, Prefetch, Q

from portal.machinery import calendar
from portal.thai import localized

from ..models import (
    DocumentRequest,
    RequestDocument,
    RequestEvent,
    ServiceRequest,
    ServiceType,
    shown_choices,
)

TRACKING_CODE_RE = re.compile(r"[A-Z0-9-]{1,24}")


def working_deadline(start: dt.datetime, days: int) -> dt.datetime:
    return calendar.deadline(start, days)


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
    names = dict(shown_choices(field))
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
    from ..models import FieldKind

    return str(FieldKind(kind).label) if kind in FieldKind.values else kind


def draft_changes(service_type) -> list[str]:
    """What publishing the draft would change, one Thai line per change, for staff to read before publishing."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

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
             "help_en": _("คำอธิบายภาษาอังกฤษ"), "choices_en": _("ตัวเลือกภาษาอังกฤษ"),
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
        for key in ("label_en", "help_th", "help_en", "choices_en", "allow_other"):
            if before.get(key) != f.get(key):
                lines.append(_("ช่อง “%(label)s”: แก้%(what)s") % {"label": label, "what": names[key]})
    common = [c for c in new if c in old]
    if [c for c in sorted(old, key=lambda c: old[c].get("order", 0)) if c in common] != \
            [c for c in sorted(new, key=lambda c: new[c].get("order", 0)) if c in common]:
        lines.append(_("เปลี่ยนลำดับช่อง"))
    for key, what in (("name_th", _("ชื่อบริการ")), ("name_en", _("ชื่อบริการภาษาอังกฤษ")),
                      ("processing_days", pgettext("service", "ระยะเวลาดำเนินการ")), ("fee", _("ค่าธรรมเนียม"))):
        if live.get(key) != draft[key]:
            lines.append(_("แก้%(what)s") % {"what": what})
    if live.get("documents") != draft["documents"]:
        lines.append(_("แก้รายการเอกสารที่ต้องใช้"))
    return lines
