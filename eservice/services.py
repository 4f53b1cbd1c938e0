"""Every write that matters: keyword-only functions in a transaction; audit rows (auditlog) and outbox rows in the
same transaction; files and messages after commit."""

import datetime as dt
import functools
import weakref

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import thai
from portal.access.permissions import may_act_in, require
from portal.audit import trail as audit
from portal.inputs.ratelimit import allowance
from portal.notifications.services import citizen_language, notify
from portal.outputs.codes import insert_with_code
from portal.outputs.files import private_storage

from . import catalogue, selectors, workflow
from .models import (
    ACTIVE_BOOKING,
    Booking,
    BookingStatus,
    DayCounter,
    DocumentRequest,
    FieldKind,
    FormField,
    FormVersion,
    Queue,
    RequestDocument,
    RequestEvent,
    RequiredDocument,
    ServiceRequest,
    ServiceType,
    Slot,
    ticket_label,
)
from .workflow import Status

# --- service types ----------------------------------------------------------------------------------------------

definition_of = selectors.definition_of  # the form as it would be frozen now (a read)


@transaction.atomic
def publish_version(*, service_type: ServiceType, actor=None) -> FormVersion:
    """Freeze the current fields and manual as a new version when they changed; requests keep their own version."""
    if actor is not None:
        require(actor, "change", service_type)
    ServiceType.objects.select_for_update().filter(pk=service_type.pk).first()
    definition = definition_of(service_type)
    current = service_type.current_version
    if current is not None and current.definition == definition:
        return current
    number = (FormVersion.objects.filter(service_type=service_type).aggregate(n=Max("number"))["n"] or 0) + 1
    version = FormVersion.objects.create(service_type=service_type, number=number, definition=definition)
    ServiceType.objects.filter(pk=service_type.pk).update(current_version=version)
    service_type.current_version = version
    return version


@transaction.atomic
def create_from_template(*, organization, template_key: str, actor=None, code: str | None = None,
                         department=None, queue=None, publish: bool = True) -> ServiceType:
    """A service type started from the catalogue (idempotent per code), with its first form version; with
    publish=False (the form builder) the copy stays a draft until staff publish it."""
    template = catalogue.TEMPLATES[template_key]
    code = code or template_key
    existing = ServiceType.objects.filter(organization=organization, code=code).first()
    if existing is not None:
        return existing
    if department is None:
        department = organization.departments.filter(code=template.get("department", "")).first()
    service_type = ServiceType(
        organization=organization, code=code, template_key=template_key, department=department, queue=queue,
        **{k: template[k] for k in ("name_th", "name_en", "description", "keywords", "processing_days", "fee",
                                     "office", "legal_basis", "steps")})
    if actor is not None:
        require(actor, "add", service_type)
    service_type.save()
    FormField.objects.bulk_create([
        FormField(service_type=service_type, order=index * 10, code=f["code"], kind=f["kind"],
                  label_th=f["label_th"], label_en=f["label_en"], required=f["required"], help_th=f["help_th"],
                  choices="\n".join(f"{k}|{v}" for k, v in f["choices"]), allow_other=f["allow_other"])
        for index, f in enumerate(template["fields"])])
    RequiredDocument.objects.bulk_create([
        RequiredDocument(service_type=service_type, order=index * 10, **d)
        for index, d in enumerate(template["documents"])])
    if actor is not None:
        audit.record(service_type, actor=actor, event="eservice.service_type.created_from_template",
                     action=audit.Action.CREATE, data={"template": template_key})
    if publish:
        publish_version(service_type=service_type)
    return service_type


# --- the form builder: every edit goes to the draft (the service type's own fields); publishing freezes it --------

def variable_name(label: str, taken=()) -> str:
    """A variable name (the field's code: Open311 attribute, export column) made from its Thai label: the words
    romanized (PyThaiNLP, Royal Institute system) and joined by "_", e.g. ที่อยู่ที่ขอติดตั้ง -> thiyu_thi_kho_tittang.
    Made unique among `taken` with _2, _3, ..."""
    from django.utils.text import slugify
    from pythainlp.tokenize import word_tokenize
    from pythainlp.transliterate import romanize

    words = [romanize(w) if any("\u0e00" <= ch <= "\u0e7f" for ch in w) else w
             for w in word_tokenize(thai.to_arabic_digits(label or ""), keep_whitespace=False)]
    base = slugify("_".join(w for w in words if w.strip())).replace("-", "_").strip("_")[:34] or "field"
    if base[0].isdigit():
        base = f"f_{base}"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def _field_choices(labels: list[str], old_pairs: list[tuple[str, str]]) -> str:
    """Choice rows as staff typed them (labels only) -> the stored list, keeping each old choice's code so answers
    already filed still read right; a new label gets a code made from it."""
    codes_by_label = {label: code for code, label in old_pairs}
    taken, rows = set(), []
    for label in labels:
        label = label.strip()
        if not label:
            continue
        code = codes_by_label.get(label) or variable_name(label, taken | set(codes_by_label.values()))
        if code in taken:
            code = variable_name(label, taken)
        taken.add(code)
        rows.append(f"{code}|{label}")
    return "\n".join(rows)


def _builder_audit(service_type, actor, event, **data):
    audit.record(service_type, actor=actor, event=f"eservice.form.{event}", data=data)


def _next_order(service_type) -> int:
    return (service_type.fields.aggregate(n=Max("order"))["n"] or 0) + 10


@transaction.atomic
def add_field(*, service_type: ServiceType, label_th: str, kind: str, actor) -> FormField:
    """A new draft field from its label and type alone: the variable name is made from the label."""
    require(actor, "change", service_type)
    label_th = (label_th or "").strip()
    if not label_th:
        raise ValidationError({"label_th": _("กรุณาพิมพ์ชื่อช่อง")})
    if kind not in FieldKind.values:
        raise ValidationError({"kind": _("เลือกชนิดของช่อง")})
    taken = set(service_type.fields.values_list("code", flat=True))
    field = FormField(service_type=service_type, label_th=label_th[:200], kind=kind,
                      code=variable_name(label_th, taken), order=_next_order(service_type))
    if kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE):
        field.choices = _field_choices([_("ตัวเลือกที่ 1"), _("ตัวเลือกที่ 2")], [])
    field.save()
    _builder_audit(service_type, actor, "field_added", code=field.code)
    return field


@transaction.atomic
def update_field(*, field: FormField, actor, label_th: str, label_en: str = "", kind: str, required: bool,
                 help_th: str = "", choice_labels: list[str] = (), allow_other: bool = False,
                 code: str | None = None) -> FormField:
    require(actor, "change", field.service_type)
    errors = {}
    label_th = (label_th or "").strip()
    if not label_th:
        errors["label_th"] = _("กรุณาพิมพ์ชื่อช่อง")
    if kind not in FieldKind.values:
        errors["kind"] = _("เลือกชนิดของช่อง")
    code = (code or "").strip() or field.code
    others = set(field.service_type.fields.exclude(pk=field.pk).values_list("code", flat=True))
    if code != field.code:
        import re

        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", code):
            errors["code"] = _("ชื่อตัวแปรใช้ได้เฉพาะ a–z ตัวเลข และ _ ขึ้นต้นด้วยตัวอักษร")
        elif code in others:
            errors["code"] = _("มีช่องอื่นใช้ชื่อตัวแปรนี้แล้ว")
    choices = ""
    if kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE):
        choices = _field_choices(list(choice_labels), field.choice_pairs())
        if not choices:
            errors["choices"] = _("ช่องแบบเลือกต้องมีตัวเลือกอย่างน้อยหนึ่งข้อ")
    if errors:
        raise ValidationError(errors)
    field.label_th, field.label_en, field.kind, field.required = label_th[:200], label_en.strip()[:200], kind, required
    field.help_th, field.choices, field.code = help_th.strip()[:300], choices, code
    field.allow_other = allow_other and bool(choices)
    field.save()
    _builder_audit(field.service_type, actor, "field_changed", code=field.code)
    return field


@transaction.atomic
def move_field(*, field: FormField, up: bool, actor) -> None:
    """One place up or down; orders are renumbered 10, 20, ... so they stay distinct."""
    require(actor, "change", field.service_type)
    fields = list(field.service_type.fields.select_for_update().order_by("order", "pk"))
    index = next(i for i, f in enumerate(fields) if f.pk == field.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(fields):
        fields[index], fields[other] = fields[other], fields[index]
    for n, f in enumerate(fields):
        if f.order != n * 10:
            FormField.objects.filter(pk=f.pk).update(order=n * 10)
    _builder_audit(field.service_type, actor, "field_moved", code=field.code, up=up)


@transaction.atomic
def duplicate_field(*, field: FormField, actor) -> FormField:
    """A copy right below the original, with its own variable name."""
    require(actor, "change", field.service_type)
    service_type = field.service_type
    FormField.objects.filter(service_type=service_type, order__gt=field.order).update(order=F("order") + 10)
    taken = set(service_type.fields.values_list("code", flat=True))
    copy = FormField(service_type=service_type, code=variable_name(field.label_th, taken), kind=field.kind,
                     label_th=field.label_th, label_en=field.label_en, required=field.required,
                     help_th=field.help_th, choices=field.choices, allow_other=field.allow_other,
                     order=field.order + 5)
    copy.save()
    _builder_audit(service_type, actor, "field_duplicated", code=field.code, copy=copy.code)
    return copy


@transaction.atomic
def remove_field(*, field: FormField, actor) -> None:
    """Off the draft; requests already filed keep the field in their own version."""
    require(actor, "change", field.service_type)
    code, service_type = field.code, field.service_type
    field.delete()
    _builder_audit(service_type, actor, "field_removed", code=code)


@transaction.atomic
def publish_draft(*, service_type: ServiceType, actor) -> FormVersion:
    """The draft becomes the live form for new requests (requests already filed keep their version)."""
    previous = service_type.current_version_id
    version = publish_version(service_type=service_type, actor=actor)
    if version.pk != previous:  # publishing an unchanged draft is no new version
        _builder_audit(service_type, actor, "published", version=version.number)
    return version


@transaction.atomic
def roll_back(*, service_type: ServiceType, version: FormVersion, actor) -> FormVersion:
    """An earlier version's form becomes the draft again and is published as the next version (the history
    stays whole: nothing is deleted, the earlier version is not reused)."""
    require(actor, "change", service_type)
    if version.service_type_id != service_type.pk:
        raise ValidationError(_("ฉบับนี้ไม่ใช่ของบริการนี้"))
    definition = version.definition
    service_type.fields.all().delete()
    FormField.objects.bulk_create([
        FormField(service_type=service_type, order=n * 10, code=f["code"], kind=f["kind"],
                  label_th=f["label_th"], label_en=f.get("label_en", ""), required=f.get("required", False),
                  help_th=f.get("help_th", ""), allow_other=f.get("allow_other", False),
                  choices="\n".join(f"{k}|{v}" for k, v in f.get("choices", [])))
        for n, f in enumerate(sorted(definition.get("fields", []), key=lambda f: f.get("order", 0)))])
    service_type.documents.all().delete()
    RequiredDocument.objects.bulk_create([
        RequiredDocument(service_type=service_type, order=n * 10, **d)
        for n, d in enumerate(definition.get("documents", []))])
    updates = {k: definition[k] for k in ("name_th", "name_en", "processing_days") if k in definition}
    if "fee" in definition:
        from decimal import Decimal

        updates["fee"] = Decimal(definition["fee"])
    if updates:
        ServiceType.objects.filter(pk=service_type.pk).update(**updates)
        for k, v in updates.items():
            setattr(service_type, k, v)
    new = publish_version(service_type=service_type, actor=actor)
    _builder_audit(service_type, actor, "rolled_back", to_version=version.number, version=new.number)
    return new


# --- requests --------------------------------------------------------------------------------------------------

def _event(request, kind, *, message="", from_status="", to_status="", is_public=True, actor=None):
    return RequestEvent.objects.create(request=request, kind=kind, message=message, from_status=from_status,
                                       to_status=to_status, is_public=is_public,
                                       actor=actor if actor is not None and actor.is_authenticated else None)


def tracking_url(request_obj: ServiceRequest, *, private: bool = True) -> str:
    """Absolute when PORTAL_BASE_URL is set; the private form carries the requester's access key."""
    path = reverse("eservice:track", args=[request_obj.organization.slug, request_obj.tracking_code])
    if private:
        path += f"?k={request_obj.access_key}"
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + path


def _notify_citizen(request_obj, event, context):
    channel = request_obj.notify_channel
    recipient = request_obj.email if channel == ServiceRequest.Notify.EMAIL else request_obj.phone
    if not channel or not recipient:
        return None
    return notify(organization=request_obj.organization, event=event, channel=channel, recipient=recipient,
                  context={"request": request_obj, "service": request_obj.service_type,
                           "organization": request_obj.organization, "url": tracking_url(request_obj), **context},
                  language=request_obj.language, related=request_obj)


def _document_rows(request_obj, files: dict[str, list], labels: dict[str, str], document_request=None):
    """RequestDocument rows for checked uploads (portal.inputs.uploads.CheckedFile), saved to private storage."""
    from portal.outputs.files import private_upload_to

    rows = []
    for code, items in files.items():
        for item in items:
            name = private_upload_to("eservice/documents")(None, f"x.{item.extension}")
            path = private_storage.save(name, ContentFile(item.data))
            doc = RequestDocument(request=request_obj, field_code=code if document_request is None else "",
                                  document_request=document_request, label=labels.get(code, code),
                                  original_name=item.name[:200], mime=item.mime, size=len(item.data))
            doc.file.name = path
            rows.append(doc)
    return rows


def submit_request(*, service_type: ServiceType, answers: dict, files: dict | None = None, applicant_name: str,
                   phone: str = "", email: str = "", notify_channel: str = "", citizen_id: str = "",
                   consent: bool, channel: str = ServiceRequest.Channel.WEB, filed_by=None,
                   version: FormVersion | None = None, language: str | None = None) -> ServiceRequest:
    """File a request under the service's current form version. `answers` are already cleaned by RequestForm
    (every channel goes through it); a citizen ID answer is stored only as the keyed hash plus a masked form."""
    if not consent:
        raise ValidationError({"consent": _("กรุณายินยอมให้ใช้ข้อมูลเพื่อพิจารณาคำร้อง")})
    version = version or service_type.current_version
    if version is None:
        raise ValidationError(_("บริการนี้ยังไม่เปิดรับคำร้อง"))
    files = files or {}
    organization = service_type.organization
    answers = dict(answers)
    id_codes = [f["code"] for f in version.fields if f["kind"] == FieldKind.CITIZEN_ID]
    id_raw = next((answers[code] for code in id_codes if answers.get(code)), "") or citizen_id
    for code in id_codes:
        if answers.get(code):
            answers[code] = thai.mask_id(answers[code])
    id_hash = thai.personal_id_hash(id_raw) if id_raw else ""
    id_masked = thai.mask_id(id_raw) if id_raw else ""
    now = timezone.now()
    request_obj = ServiceRequest(
        organization=organization, service_type=service_type, form_version=version, channel=channel,
        department_id=service_type.department_id, filed_by=filed_by if filed_by is not None and
        filed_by.is_authenticated else None, applicant_name=applicant_name.strip(), phone=phone, email=email,
        notify_channel=notify_channel, citizen_id_hash=id_hash, citizen_id_masked=id_masked,
        citizen_id_last4_hash=last4_hash(id_raw) if id_raw else "", answers=answers,
        consent_at=now, created_at=now,
        deadline=selectors.working_deadline(now, service_type.processing_days),
        # Unless told, the language of the page the citizen filed on; staff filing at the counter write in Thai.
        language=citizen_language(language if language or not _is_staff(filed_by) else settings.LANGUAGE_CODE))
    labels = {f["code"]: f["label_th"] for f in version.fields}

    def then():
        rows = _document_rows(request_obj, files, labels)
        if rows:
            RequestDocument.objects.bulk_create(rows)
        _event(request_obj, RequestEvent.Kind.STATUS, to_status=Status.RECEIVED,
               message=_("ยื่นที่เคาน์เตอร์") if channel == ServiceRequest.Channel.COUNTER else "", actor=filed_by)
        audit.record(request_obj, actor=filed_by if _is_staff(filed_by) else audit.citizen(channel),
                     event="eservice.request.submitted", action=audit.Action.CREATE,
                     data={"tracking_code": request_obj.tracking_code})
        _notify_citizen(request_obj, "eservice_received", {})

    with transaction.atomic():
        insert_with_code(request_obj, make_code=organization.new_tracking_code, then=then)
    return request_obj


def last4_hash(citizen_id: str) -> str:
    """The keyed hash of an ID's last four digits: what a requester types to open their request on another device
    (the same rule as the tax register's, taxpay.models.Owner)."""
    return thai.personal_id_hash("last4:" + thai.normalize_id(citizen_id)[-4:])


def _is_staff(user) -> bool:
    return user is not None and user.is_authenticated


def _locked(request_obj) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().select_related("organization", "service_type").get(
        pk=request_obj.pk)


def change_status(*, request_obj: ServiceRequest, to_status: str, note: str = "", actor=None) -> ServiceRequest:
    """Move a request along the workflow table; the citizen hears of it through the outbox."""
    with transaction.atomic():
        obj = _locked(request_obj)
        if actor is not None:
            require(actor, "change", obj)
        workflow.check(obj.status, to_status, note)
        previous = obj.status
        obj.status = to_status
        if to_status in (Status.APPROVED, Status.REJECTED):
            obj.decision_reason = note
        if to_status in workflow.CLOSED_STATES:
            obj.closed_at = timezone.now()
        obj.save(update_fields=["status", "decision_reason", "closed_at", "updated_at"])
        _event(obj, RequestEvent.Kind.STATUS, from_status=previous, to_status=to_status, message=note, actor=actor)
        # The status label stays lazy: it is rendered in the citizen's language, not the staff member's.
        _notify_citizen(obj, "eservice_status", {"status": Status(obj.status).label, "note": note})
    return obj


def ask_for_documents(*, request_obj: ServiceRequest, message: str, items: list[str], actor=None) -> DocumentRequest:
    """Staff ask for documents: the request waits for the citizen, who gets an upload field per item."""
    items = [i.strip() for i in items if i and i.strip()][:10]
    if not message.strip():
        raise ValidationError({"message": _("กรุณาเขียนข้อความถึงผู้ยื่น")})
    if not items:
        raise ValidationError({"items": _("กรุณาระบุเอกสารที่ต้องการอย่างน้อยหนึ่งรายการ")})
    with transaction.atomic():
        obj = _locked(request_obj)
        if actor is not None:
            require(actor, "change", obj)
        if obj.status != Status.WAITING_CITIZEN:
            workflow.check(obj.status, Status.WAITING_CITIZEN, message)
            previous, obj.status = obj.status, Status.WAITING_CITIZEN
            obj.save(update_fields=["status", "updated_at"])
            _event(obj, RequestEvent.Kind.STATUS, from_status=previous, to_status=obj.status, actor=actor)
        doc_request = DocumentRequest.objects.create(request=obj, message=message.strip(), items=items,
                                                     created_by=actor if actor and actor.is_authenticated else None)
        _event(obj, RequestEvent.Kind.DOCS_ASKED, message=message.strip(), actor=actor)
        _notify_citizen(obj, "eservice_documents_asked", {"message": message.strip(), "items": items})
    return doc_request


def upload_documents(*, document_request: DocumentRequest, checked: list) -> list[RequestDocument]:
    """The citizen sends exactly the documents asked for; the request goes back to checking."""
    from portal.outputs.files import private_upload_to

    with transaction.atomic():
        obj = _locked(document_request.request)
        doc_request = DocumentRequest.objects.select_for_update().get(pk=document_request.pk)
        if doc_request.fulfilled_at is not None or obj.status != Status.WAITING_CITIZEN:
            raise ValidationError(_("ส่งเอกสารชุดนี้แล้ว หรือคำร้องไม่ได้รอเอกสาร"))
        if len(checked) != len(doc_request.items):
            raise ValidationError(_("กรุณาแนบเอกสารให้ครบทุกรายการ"))
        rows = []
        for label, item in checked:
            doc = RequestDocument(request=obj, document_request=doc_request, label=label[:200],
                                  original_name=item.name[:200], mime=item.mime, size=len(item.data))
            doc.file.save(private_upload_to("eservice/documents")(None, f"x.{item.extension}"),
                          ContentFile(item.data), save=False)
            rows.append(doc)
        RequestDocument.objects.bulk_create(rows)
        doc_request.fulfilled_at = timezone.now()
        doc_request.save(update_fields=["fulfilled_at"])
        _event(obj, RequestEvent.Kind.DOCS_UPLOADED, message=", ".join(doc_request.items))
        previous, obj.status = obj.status, Status.CHECKING
        obj.save(update_fields=["status", "updated_at"])
        _event(obj, RequestEvent.Kind.STATUS, from_status=previous, to_status=obj.status)
        audit.record(obj, actor=audit.citizen("web"), event="eservice.request.documents_uploaded",
                     changes={"status": [previous, obj.status]}, data={"tracking_code": obj.tracking_code})
    return rows


def attach_result(*, request_obj: ServiceRequest, checked, actor=None) -> ServiceRequest:
    """The result document (e.g. the permit as PDF), private to the requester."""
    from portal.outputs.files import private_upload_to

    with transaction.atomic():
        obj = _locked(request_obj)
        if actor is not None:
            require(actor, "change", obj)
        if obj.status not in workflow.DECIDED_STATES:
            raise ValidationError(_("แนบผลได้หลังอนุมัติหรือไม่อนุมัติแล้วเท่านั้น"))
        obj.result_file.save(private_upload_to("eservice/results")(None, f"x.{checked.extension}"),
                             ContentFile(checked.data), save=False)
        obj.result_name = checked.name[:200]
        obj.save(update_fields=["result_file", "result_name", "updated_at"])
        _event(obj, RequestEvent.Kind.RESULT, message=obj.result_name, actor=actor)
        _notify_citizen(obj, "eservice_result", {})
    return obj


def add_note(*, request_obj: ServiceRequest, message: str, actor) -> RequestEvent:
    if not message.strip():
        raise ValidationError({"message": _("กรุณาเขียนบันทึก")})
    with transaction.atomic():
        obj = _locked(request_obj)
        require(actor, "change", obj)
        return _event(obj, RequestEvent.Kind.NOTE, message=message.strip(), is_public=False, actor=actor)


def assign(*, request_obj: ServiceRequest, assignee, actor) -> ServiceRequest:
    from portal.access.roles import ACTING_ROLES

    with transaction.atomic():
        obj = _locked(request_obj)
        require(actor, "change", obj)
        if assignee is not None and not may_act_in(assignee, obj.organization_id, roles=ACTING_ROLES):
            raise ValidationError({"assignee": _("ผู้รับผิดชอบต้องเป็นเจ้าหน้าที่ขององค์กรนี้")})
        obj.assignee = assignee
        obj.save(update_fields=["assignee", "updated_at"])
        _event(obj, RequestEvent.Kind.ASSIGNED, message=str(assignee or "-"), is_public=False, actor=actor)
    return obj


def contacts(request_obj: ServiceRequest) -> dict[str, str]:
    """The contacts the requester gave, by outbox channel: where a one-time code or the tracking details may go
    (never to an address typed later: the portal is no SMS relay)."""
    return {channel: value for channel, value in (("sms", request_obj.phone), ("email", request_obj.email)) if value}


def id_digits_match(request_obj: ServiceRequest, digits: str) -> bool:
    """Whether `digits` are the last four of the ID the requester filed with (False when none was asked for)."""
    digits = thai.normalize_id(digits)
    return bool(request_obj.citizen_id_last4_hash) and len(digits) == 4 and \
        request_obj.citizen_id_last4_hash == last4_hash(digits)


def record_access(*, request_obj: ServiceRequest, via: str) -> None:
    """A browser proved it belongs to the requester (one-time code or ID digits): the audit log says how."""
    audit.record(request_obj, actor=audit.citizen("web"), event="eservice.request.access",
                 data={"tracking_code": request_obj.tracking_code, "via": via})


def send_tracking_details(*, request_obj: ServiceRequest, channel: str):
    """What to keep (the code, the private link) sent to a contact the requester gave, at their asking."""
    recipient = contacts(request_obj).get(channel)
    if recipient is None:
        raise ValidationError(_("ไม่มีช่องทางติดต่อนี้ในคำร้อง"))
    with transaction.atomic():
        audit.record(request_obj, actor=audit.citizen("web"), event="eservice.request.details_sent",
                     data={"tracking_code": request_obj.tracking_code, "channel": channel})
        return notify(organization=request_obj.organization, event="eservice_keep", channel=channel,
                      recipient=recipient, language=request_obj.language, related=request_obj,
                      context={"request": request_obj, "service": request_obj.service_type,
                               "organization": request_obj.organization, "url": tracking_url(request_obj)})


def rate(*, request_obj: ServiceRequest, rating: int, comment: str = "") -> ServiceRequest:
    with transaction.atomic():
        obj = _locked(request_obj)
        if obj.status not in workflow.RATEABLE_STATES:
            raise ValidationError(_("ให้คะแนนได้หลังมีผลการพิจารณาแล้ว"))
        if obj.rated_at is not None:
            raise ValidationError(_("คำร้องนี้ให้คะแนนแล้ว"))
        if not 1 <= int(rating) <= 5:
            raise ValidationError(_("กรุณาเลือกคะแนน 1 ถึง 5"))
        obj.rating, obj.rating_comment, obj.rated_at = int(rating), comment.strip()[:1000], timezone.now()
        obj.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        _event(obj, RequestEvent.Kind.RATED, message=str(obj.rating))
        audit.record(obj, actor=audit.citizen("web"), event="eservice.request.rated",
                     changes={"rating": [None, obj.rating]}, data={"tracking_code": obj.tracking_code})
    return obj


# --- queues ---------------------------------------------------------------------------------------------------

class SlotUnavailable(Exception):
    """The slot cannot take this booking (full, closed, past, beyond the window, booked twice): HTTP 409."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def ensure_slots(*, queue: Queue, day: dt.date) -> list[Slot]:
    """Materialise the day's slots from the opening hours (idempotent); none on a shut day."""
    if not selectors.is_open_day(queue, day):
        return []
    tz = timezone.get_current_timezone()
    step = dt.timedelta(minutes=queue.slot_minutes)
    slots = []
    for hours in queue.hours.all():
        if hours.weekday != day.weekday():
            continue
        start = timezone.make_aware(dt.datetime.combine(day, hours.opens), tz)
        close = timezone.make_aware(dt.datetime.combine(day, hours.closes), tz)
        while start + step <= close:
            slots.append(Slot(queue=queue, date=day, start=start, end=start + step, capacity=queue.places_per_slot))
            start += step
    if slots:
        Slot.objects.bulk_create(slots, ignore_conflicts=True)
        DayCounter.objects.bulk_create([DayCounter(queue=queue, date=day)], ignore_conflicts=True)
    return list(Slot.objects.filter(queue=queue, date=day).order_by("start"))


def _next_number(queue_id: int, day: dt.date) -> int:
    """Take the next ticket number of the day: the UPDATE holds the counter's row lock until commit, so numbers
    are unique and without gaps (a rolled-back booking gives its number back)."""
    table = connection.ops.quote_name(DayCounter._meta.db_table)
    for _attempt in range(2):
        with connection.cursor() as cursor:
            # One statement (PostgreSQL and SQLite >= 3.35 both have RETURNING).
            cursor.execute(f"UPDATE {table} SET last_number = last_number + 1 WHERE queue_id = %s AND date = %s "
                           "RETURNING last_number", [queue_id, day])
            row = cursor.fetchone()
        if row:
            return row[0]
        DayCounter.objects.bulk_create([DayCounter(queue_id=queue_id, date=day)], ignore_conflicts=True)
    raise RuntimeError("day counter missing")


def _check_bookable(slot: Slot, now, *, fresh: bool = True) -> None:
    """Closed slot or queue, shut day (weekday without hours, holiday, closure), past, too soon, beyond the window
    (the calendar is memoised). A memoised slot (`fresh=False`) is not asked whether it or its queue is closed or
    too soon: the booking statement checks those on the locked rows."""
    queue = slot.queue
    if slot.start <= now:
        raise SlotUnavailable(_("ช่วงเวลานี้ผ่านไปแล้ว"))
    days = selectors.bookable_days(queue, timezone.localdate(now))
    open_days = [d for d, is_open in days if is_open]
    closed = not queue.is_active or not queue.organization.is_active or slot.is_closed  # a deactivated organization too
    if (fresh and closed) or (slot.date in dict(days)
                                                               and slot.date not in open_days):
        raise SlotUnavailable(_("วันหรือช่วงเวลานี้ปิดให้บริการ"))
    if fresh and slot.start < now + dt.timedelta(minutes=queue.lead_time_minutes):
        raise SlotUnavailable(_("ต้องจองล่วงหน้าอย่างน้อย %(m)d นาที") % {"m": queue.lead_time_minutes})
    if not open_days or slot.date > open_days[-1]:
        raise SlotUnavailable(_("จองล่วงหน้าได้ไม่เกิน %(n)d วันทำการ") % {"n": queue.booking_window_days})
    if slot.date not in open_days:
        raise SlotUnavailable(_("วันหรือช่วงเวลานี้ปิดให้บริการ"))


class TooManyBookings(SlotUnavailable):
    """One client address used up its bookings of the day: HTTP 429 with Retry-After."""

    status = 429

    def __init__(self, message, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)


def _week(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def check_booking_limits(*, queue: Queue, phone: str, day: dt.date, exclude: Booking | None = None) -> None:
    """What one phone number may hold in one queue: `max_per_phone_day` places on a day and `max_per_phone_week`
    in that week (Monday to Sunday). Active bookings count; cancelled ones give their place back. `book` checks the
    same in its own statement; this says which limit refused, and guards a move and any step that holds a place
    later (e.g. a code sent to the phone first)."""
    held = (Booking.objects.filter(queue=queue, phone=phone, status__in=ACTIVE_BOOKING, date__range=_week(day))
            .order_by())
    if exclude is not None:
        held = held.exclude(pk=exclude.pk)
    counts = held.aggregate(day=Count("pk", filter=Q(date=day)), week=Count("pk"))
    if counts["day"] >= queue.max_per_phone_day:
        raise SlotUnavailable(_("เบอร์โทรศัพท์นี้จองคิวนี้ในวันเดียวกันครบ %(n)d ที่แล้ว") % {"n": queue.max_per_phone_day})
    if counts["week"] >= queue.max_per_phone_week:
        raise SlotUnavailable(_("เบอร์โทรศัพท์นี้จองคิวนี้ในสัปดาห์เดียวกันครบ %(n)d ที่แล้ว")
                              % {"n": queue.max_per_phone_week})


def _seconds_to_local_midnight(now) -> int:
    local = timezone.localtime(now)
    midnight = timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time()),
                                   local.tzinfo)
    return max(1, int((midnight - local).total_seconds()))


class _ClientDay:
    """Bookings from one client address in one queue on one day, the day of the portal's time zone (Asia/Bangkok:
    it turns at local midnight, not at midnight UTC), counted in the shared cache (Redis in production; without it
    each process counts alone). The place is counted before the booking, in one round trip (INCR), and given back
    if the booking is refused, so concurrent requests from one address cannot slip past the count together."""

    def __init__(self, queue: Queue, client: str, now):
        self.limit = queue.max_per_client_day
        self.retry_after = _seconds_to_local_midnight(now)
        # portal.inputs.ratelimit's counters, with the window named by the local date instead of a UTC period.
        self.bucket = allowance(group="eservice-book-client", rate=f"{self.limit}/d", subject=client,
                                organization=str(queue.pk))
        if self.bucket is not None:
            self.bucket.key = f"rl:eservice-book-client:{queue.pk}:{client}:{timezone.localdate(now).isoformat()}"

    def take(self) -> None:
        if self.bucket is None:
            return
        if self.bucket.hit() > self.limit:
            self.give_back()
            raise TooManyBookings(
                _("มีการจองคิวนี้จากเครือข่ายนี้ครบ %(n)d ครั้งในวันนี้แล้ว กรุณาลองใหม่วันพรุ่งนี้") % {"n": self.limit},
                retry_after=self.retry_after)

    def give_back(self) -> None:
        if self.bucket is None:
            return
        try:
            cache.decr(self.bucket.key)
        except Exception:  # expired or cache down: nothing to give back
            pass


def book(*, slot_id: int, name: str, phone: str, citizen_id: str = "", now=None, confirm: bool = True,
         language: str | None = None, channel: str = "web", by=None, client: str | None = None,
         hold: bool = False) -> Booking:
    """Book one place. Raises SlotUnavailable (409), TooManyBookings (429) or ValidationError (400).

    Exactly-N and gap-free numbers rest on row locks taken in one transaction: the slot row's conditional UPDATE
    (booked < capacity, not closed, queue and organization active, lead time, the phone's day and week limits) is
    the lock that makes overbooking impossible, and the day counter's row lock hands out the next number (a
    rolled-back booking gives its number back). Bookings for one phone number are taken one at a time (an advisory
    lock on PostgreSQL, SQLite's single writer), so two requests cannot both pass its limits. Nothing is read under
    a serialisable snapshot, so nothing is retried. On PostgreSQL the whole booking (lock, limits, slot, counter,
    booking row, audit row) is one round trip, as cheap as a plain insert; the queries are counted in
    tests/eservice/test_booking_queries.py.

    hold=True (a queue with confirm_by_sms): the place is taken as HELD and nothing is sent; `confirm_hold` makes it
    a booking once the citizen typed the code, `release_expired_holds` gives it back otherwise (the beat task every
    minute, and here when a booking on such a queue is refused, so a full day frees up without the beat)."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("กรุณากรอกชื่อ")})
    slot = selectors.slot_for_booking(slot_id)
    if slot is None:
        raise ValidationError({"slot": _("ไม่พบช่วงเวลานี้")})
    _check_bookable(slot, now, fresh=False)
    queue = slot.queue
    per_client = _ClientDay(queue, client, now) if client else None
    if per_client is not None:
        per_client.take()
    booking = Booking(queue=queue, slot=slot, date=slot.date, name=name[:200], phone=phone,
                      citizen_id_hash=thai.personal_id_hash(citizen_id) if citizen_id else "",
                      citizen_id_masked=thai.mask_id(citizen_id) if citizen_id else "", created_at=now,
                      language=citizen_language(language))
    if hold:
        booking.status, confirm = BookingStatus.HELD, False
    # The booking's own audit row names who booked: a signed-in officer booking for someone, or the citizen by channel.
    booking.booked_by = by if _is_staff(by) else audit.citizen(channel)
    try:
        taken = _take(booking, now, confirm=confirm, client=client)
        if not taken and queue.confirm_by_sms and release_expired_holds(queue=queue, now=now):
            taken = _take(booking, now, confirm=confirm, client=client)  # expired holds gave places (or the phone's allowance) back
        if not taken:
            _explain_refusal(slot_id, phone, now)
    except BaseException:
        if per_client is not None:
            per_client.give_back()
        raise
    return booking


def _take(booking: Booking, now, *, confirm: bool, client: str | None) -> bool:
    try:
        if connection.vendor == "postgresql" and not confirm:
            return _take_place_postgresql(booking, now, client)  # one round trip commits (or rolls back) alone
        with transaction.atomic():
            take = _take_place_postgresql if connection.vendor == "postgresql" else _take_place_orm
            taken = take(booking, now, client)
            if taken and confirm:
                queue = booking.queue
                notify(organization=queue.organization, event="eservice_booked", channel="sms",
                       recipient=booking.phone, context={"booking": booking, "queue": queue,
                                                         "start": booking.slot.start, "url": ticket_url(booking)},
                       language=booking.language, related=booking)
            return taken
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
        if constraint not in (None, "uniq_eservice_booking_phone"):
            raise  # any other constraint is a bug, not the citizen's doing
        # The partial unique index (slot, phone): this phone already holds a place in the slot.
        raise SlotUnavailable(_("เบอร์โทรศัพท์นี้จองช่วงเวลานี้ไว้แล้ว")) from exc


# --- confirmation by SMS code (Queue.confirm_by_sms) ------------------------------------------------------------

HOLD_MINUTES = 10  # how long a held place waits for its code


def hold_expires(booking: Booking):
    return booking.created_at + dt.timedelta(minutes=HOLD_MINUTES)


def release_expired_holds(*, now=None, queue=None, actor=None) -> int:
    """Places held for a code and not confirmed within HOLD_MINUTES go back to their slots. Run by the beat task
    every minute and, lazily, before each booking on a queue that confirms by SMS, so a full day frees up even
    without the beat. `now` is passed in by tests."""
    now = now or timezone.now()
    expired = Booking.objects.filter(status=BookingStatus.HELD, created_at__lte=now - dt.timedelta(minutes=HOLD_MINUTES))
    if queue is not None:
        expired = expired.filter(queue=queue)
    actor = actor or audit.system("eservice.release_holds")
    return sum(_release_hold(pk, now=now, actor=actor, expired_only=True)
               for pk in list(expired.values_list("pk", flat=True)))


def release_hold(*, booking: Booking, now=None) -> bool:
    """Give one held place back at once (its code could not be sent)."""
    return _release_hold(booking.pk, now=now or timezone.now(), actor=audit.citizen("web"), expired_only=False)


def _release_hold(pk, *, now, actor, expired_only: bool) -> bool:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().filter(pk=pk, status=BookingStatus.HELD).first()
        if booking is None or (expired_only and hold_expires(booking) > now):
            return False  # confirmed (or released) meanwhile
        booking.status, booking.finished_at = BookingStatus.CANCELLED, now
        booking.save(update_fields=["status", "finished_at"])
        _release(booking)
        audit.record(booking, actor=actor, event="eservice.booking.hold_released",
                     changes={"status": [BookingStatus.HELD, booking.status]}, data={"ticket": booking.ticket})
    selectors.forget_booking_slot(booking.slot_id)
    return True


def confirm_hold(*, booking: Booking, now=None) -> Booking:
    """The citizen typed the code in time: the held place becomes a booking and the usual "booked" SMS goes out."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("queue__organization", "slot").get(pk=booking.pk)
        if booking.status != BookingStatus.HELD:
            raise SlotUnavailable(_("การจองนี้ยืนยันแล้วหรือถูกยกเลิกแล้ว"))
        if hold_expires(booking) <= now:
            raise SlotUnavailable(_("เกินเวลายืนยัน ที่ที่กันไว้ถูกคืนแล้ว กรุณาจองใหม่"))
        booking.status = BookingStatus.BOOKED
        booking.save(update_fields=["status"])
        audit.record(booking, actor=audit.citizen("web"), event="eservice.booking.confirmed",
                     changes={"status": [BookingStatus.HELD, booking.status]}, data={"ticket": booking.ticket})
        notify(organization=booking.queue.organization, event="eservice_booked", channel="sms", recipient=booking.phone,
               context={"booking": booking, "queue": booking.queue, "start": booking.slot.start,
                        "url": ticket_url(booking)}, language=booking.language, related=booking)
    return booking


def _explain_refusal(slot_id: int, phone: str, now):
    """The slot's UPDATE matched nothing: say why from the rows as they are now (the memo may be behind)."""
    selectors.forget_booking_slot(slot_id)
    slot = selectors.fresh_slot(slot_id)
    if slot is None:
        raise ValidationError({"slot": _("ไม่พบช่วงเวลานี้")})
    _check_bookable(slot, now)
    check_booking_limits(queue=slot.queue, phone=phone, day=slot.date)
    raise SlotUnavailable(_("ช่วงเวลานี้เต็มแล้ว กรุณาเลือกช่วงอื่น"))


def _take_place_orm(booking: Booking, now, client: str | None = None) -> bool:
    """Any database: the same checks as the PostgreSQL statement, one statement at a time (run inside atomic()).
    The transaction is the database's only writer from its start (SQLite's IMMEDIATE transactions, see
    portal.settings), so the phone's count cannot interleave with another booking. The queue is read again, not
    taken from the memo."""
    queue = (Queue.objects.filter(pk=booking.queue_id, is_active=True, organization__is_active=True)
             .values("lead_time_minutes", "letter", "max_per_phone_day", "max_per_phone_week").first())
    if queue is None or booking.slot.start < now + dt.timedelta(minutes=queue["lead_time_minutes"]):
        return False
    held = (Booking.objects.filter(queue_id=booking.queue_id, phone=booking.phone, status__in=ACTIVE_BOOKING,
                                   date__range=_week(booking.date))
            .order_by().aggregate(day=Count("pk", filter=Q(date=booking.date)), week=Count("pk")))
    if held["day"] >= queue["max_per_phone_day"] or held["week"] >= queue["max_per_phone_week"]:
        return False
    taken = (Slot.objects.filter(pk=booking.slot_id, booked__lt=F("capacity"), is_closed=False)
             .update(booked=F("booked") + 1))
    if not taken:
        return False
    booking.number = _next_number(booking.queue_id, booking.date)
    booking.ticket = ticket_label(queue["letter"], booking.number)
    booking.save(force_insert=True)
    return True


_ACTIVE_SQL = ", ".join(f"'{status}'" for status in ACTIVE_BOOKING)  # literals: the partial index's own predicate

# The phone's bookings in the queue that day and week (the partial index eservice_booking_phone_held), the slot's
# conditional UPDATE with every refusal in its WHERE, the day counter's upsert (its row lock orders the numbers), the
# booking row and its audit row, as one statement.
_BOOK_SQL = f"""
WITH h AS (
    SELECT count(*) FILTER (WHERE b.date = %(day)s) AS day_n, count(*) AS week_n
    FROM eservice_booking AS b
    WHERE b.queue_id = %(queue)s AND b.phone = %(phone)s AND b.status IN ({_ACTIVE_SQL})
        AND b.date BETWEEN %(monday)s AND %(sunday)s
), s AS (
    UPDATE eservice_slot AS s SET booked = s.booked + 1
    FROM eservice_queue AS q, portal_organization AS o, h
    WHERE s.id = %(slot)s AND s.queue_id = %(queue)s AND s.date = %(day)s AND q.id = s.queue_id
        AND s.booked < s.capacity AND NOT s.is_closed AND q.is_active
        AND o.id = q.organization_id AND o.is_active
        AND s.start >= %(now)s + q.lead_time_minutes * interval '1 minute'
        AND h.day_n < q.max_per_phone_day AND h.week_n < q.max_per_phone_week
    RETURNING s.id, s.queue_id, s.date, q.letter, q.organization_id
), c AS (
    INSERT INTO eservice_daycounter AS d (queue_id, date, last_number)
    SELECT queue_id, date, 1 FROM s
    ON CONFLICT (queue_id, date) DO UPDATE SET last_number = d.last_number + 1
    RETURNING d.last_number
), b AS (
    INSERT INTO eservice_booking (queue_id, slot_id, date, number, ticket, name, phone, citizen_id_hash,
        citizen_id_masked, status, token, created_at, language)
    SELECT s.queue_id, s.id, s.date, c.last_number, s.letter || '-' || CASE WHEN c.last_number < 1000
            THEN lpad(c.last_number::text, 3, '0') ELSE c.last_number::text END,
        %(name)s, %(phone)s, %(id_hash)s, %(id_masked)s, %(status)s, %(token)s, %(now)s, %(language)s
    FROM s, c
    RETURNING id, number, ticket, date
), a AS (
    INSERT INTO auditlog_logentry (content_type_id, object_pk, object_id, object_repr, action, changes,
        changes_text, timestamp, actor_id, actor_email, remote_addr, remote_port, additional_data, cid)
    SELECT %(content_type)s, b.id::text, b.id, replace(%(object_repr)s, '{{ticket}}', b.ticket), %(action)s,
        %(changes)s::jsonb, '', %(now)s, %(actor_id)s, %(actor_email)s, %(remote_addr)s, %(remote_port)s,
        jsonb_build_object('organization_id', s.organization_id, 'event', 'eservice.booking.booked',
                           'actor', %(actor_name)s, 'ticket', b.ticket), %(cid)s
    FROM b, s WHERE %(audit)s
)
SELECT b.id, b.number, b.ticket FROM b
"""

BOOKED_EVENT = "eservice.booking.booked"  # registered in EserviceConfig.audit_events


def _audit_context(booking: Booking, client: str | None) -> dict:
    """The booking's audit row, as django-auditlog writes the row of a created booking, with the registered event:
    who booked (the officer as the row's user, or the citizen by channel in its data), the client address the
    caller gave (`client`: the view's trusted-proxy-aware address) and the request's correlation id. Nothing is read
    from auditlog's per-request context: it outlives its request."""
    import json

    from auditlog.cid import get_cid
    from auditlog.context import auditlog_disabled
    from django.contrib.contenttypes.models import ContentType

    user = booking.booked_by if _is_staff(booking.booked_by) else None
    return {"audit": not auditlog_disabled.get(), "content_type": ContentType.objects.get_for_model(Booking).pk,
            "action": audit.Action.CREATE, "actor_id": getattr(user, "pk", None),
            "actor_email": getattr(user, "email", None), "remote_addr": client, "remote_port": None,
            "cid": get_cid(), "actor_name": audit.actor_name(booking.booked_by),
            "changes": json.dumps({"status": ["None", booking.status]})}


# The statement is prepared once per database connection (planning it cost as much as running it). Prepared
# statements live with the server session, so a pooler in transaction mode in front of PostgreSQL would not do.
_BOOK_PARAMS = {"slot": "bigint", "queue": "bigint", "day": "date", "monday": "date", "sunday": "date",
                "now": "timestamptz", "name": "text", "phone": "text", "id_hash": "text",
                "id_masked": "text", "status": "text", "token": "text", "language": "text", "content_type": "integer",
                "object_repr": "text", "action": "smallint", "changes": "jsonb", "actor_id": "integer",
                "actor_email": "text", "remote_addr": "inet", "remote_port": "integer", "cid": "text",
                "audit": "boolean", "actor_name": "text"}
_prepared_on = weakref.WeakSet()
# pg_advisory_xact_lock(key1, key2): the first key names e-service's phone locks among the installation's.
_PHONE_LOCK = 0x65737663


def _prepare_sql() -> str:
    sql = _BOOK_SQL
    for number, name in enumerate(_BOOK_PARAMS, start=1):
        sql = sql.replace(f"%({name})s", f"${number}")
    return f"PREPARE eservice_book_v2 ({', '.join(_BOOK_PARAMS.values())}) AS {sql}"


def _take_place_postgresql(booking: Booking, now, client: str | None = None) -> bool:
    monday, sunday = _week(booking.date)
    params = {
        "slot": booking.slot_id, "queue": booking.queue_id, "day": booking.date, "monday": monday, "sunday": sunday,
        "now": now, "name": booking.name, "phone": booking.phone,
        "id_hash": booking.citizen_id_hash, "id_masked": booking.citizen_id_masked, "status": booking.status,
        "token": booking.token, "language": booking.language, **_audit_context(booking, client),
        # str(booking) as auditlog would write it, but for the ticket, which the statement hands out.
        "object_repr": str(Booking(ticket="{ticket}", date=booking.date))}
    with connection.cursor() as cursor:
        raw = connection.connection
        if raw not in _prepared_on:
            cursor.execute(_prepare_sql())  # kept by the session even if this transaction rolls back
            _prepared_on.add(raw)
        # Two statements in one message, one round trip: outside a transaction PostgreSQL runs them as one implicit
        # transaction, so the phone's lock is held until the booking is committed, and the booking's statement,
        # started once the lock is granted, sees every booking of that phone committed before.
        cursor.execute(f"SELECT pg_advisory_xact_lock(%s, hashtext(%s)); "
                       f"EXECUTE eservice_book_v2 ({', '.join(['%s'] * len(_BOOK_PARAMS))})",
                       [_PHONE_LOCK, booking.phone, *(params[name] for name in _BOOK_PARAMS)])
        row = cursor.fetchone()
    if row is None:
        return False
    booking.pk, booking.number, booking.ticket = row
    booking._state.adding, booking._state.db = False, connection.alias
    booking.booked_by = None  # named on the statement's audit row
    return True


@functools.cache
def _cancel_pattern(language) -> str:
    return reverse("eservice:cancel", args=["-org-", "-token-"])


def cancel_path(booking: Booking) -> str:
    """reverse() of the cancel page, once: resolving it for every booking costs a tenth of a millisecond. Slugs and
    tokens are URL-safe as they are."""
    return (_cancel_pattern(translation.get_language()).replace("-org-", booking.queue.organization.slug, 1)
            .replace("-token-", booking.token, 1))


def ticket_url(booking: Booking) -> str:
    path = reverse("eservice:ticket", args=[booking.queue.organization.slug, booking.token])
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + path


def _release(booking: Booking):
    Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _booking_for_citizen(token: str, now) -> Booking:
    booking = Booking.objects.select_for_update().filter(token=token).first()
    if booking is None:
        raise PermissionDenied(_("ลิงก์ไม่ถูกต้อง"))
    if booking.status != BookingStatus.BOOKED:
        raise SlotUnavailable(_("การจองนี้ยกเลิกหรือใช้ไปแล้ว"))
    if Slot.objects.filter(pk=booking.slot_id, start__lte=now).exists():
        raise SlotUnavailable(_("เลยเวลานัดแล้ว ยกเลิกหรือเลื่อนไม่ได้"))
    return booking


def cancel_booking(*, token: str, now=None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        booking = _booking_for_citizen(token, now)
        booking.status, booking.finished_at = BookingStatus.CANCELLED, now
        booking.save(update_fields=["status", "finished_at"])
        _release(booking)
        audit.record(booking, actor=audit.citizen("web"), event="eservice.booking.cancelled",
                     changes={"status": [BookingStatus.BOOKED, booking.status]}, data={"ticket": booking.ticket})
    return booking


def move_booking(*, token: str, slot_id: int, now=None) -> Booking:
    """Move the booking in place: the same row, token and link (the citizen's saved link shows the new day and
    time) takes a place in a slot of its own queue and gives the old place back, in one transaction (if the new
    slot is full, nothing changes). One SMS says what changed; nothing else is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _booking_for_citizen(token, now)
        slot = Slot.objects.select_related("queue__organization").filter(pk=slot_id).first()
        if slot is None or slot.queue_id != booking.queue_id:
            # Another queue's (or organization's) slot: a move stays within the ticket's own queue.
            raise ValidationError({"slot": _("เลื่อนได้เฉพาะช่วงเวลาของคิวเดิม กรุณาเลือกช่วงเวลาจากรายการ")})
        if slot.pk == booking.slot_id:
            raise SlotUnavailable(_("เป็นช่วงเวลาเดิม"))
        _check_bookable(slot, now)
        if slot.date != booking.date:
            check_booking_limits(queue=slot.queue, phone=booking.phone, day=slot.date, exclude=booking)
        if Booking.objects.filter(slot=slot, phone=booking.phone, status__in=ACTIVE_BOOKING).exists():
            raise SlotUnavailable(_("เบอร์โทรศัพท์นี้จองช่วงเวลานี้ไว้แล้ว"))
        if not (Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity"), is_closed=False)
                .update(booked=F("booked") + 1)):
            raise SlotUnavailable(_("ช่วงเวลานี้เต็มแล้ว กรุณาเลือกช่วงอื่น"))
        _release(booking)
        old_start, old_ticket = Slot.objects.values_list("start", flat=True).get(pk=booking.slot_id), booking.ticket
        if slot.date != booking.date:  # ticket numbers are per day: the new day hands out its next one
            booking.number = _next_number(booking.queue_id, slot.date)
            booking.ticket = ticket_label(slot.queue.letter, booking.number)
        booking.slot, booking.date, booking.reminder_sent_at = slot, slot.date, None
        booking.save(update_fields=["slot", "date", "number", "ticket", "reminder_sent_at"])
        audit.record(booking, actor=audit.citizen("web"), event="eservice.booking.moved",
                     changes={"start": [old_start.isoformat(), slot.start.isoformat()],
                              "ticket": [old_ticket, booking.ticket]},
                     data={"ticket": booking.ticket})
        notify(organization=slot.queue.organization, event="eservice_moved", channel="sms", recipient=booking.phone,
               context={"booking": booking, "queue": slot.queue, "old_start": old_start, "start": slot.start,
                        "old_ticket": old_ticket, "url": ticket_url(booking)},
               language=booking.language, related=booking)
    selectors.forget_booking_slot(slot.pk)
    return booking


def _staff_booking(booking_id, actor) -> Booking:
    booking = Booking.objects.select_for_update().select_related("queue").get(pk=booking_id)
    require(actor, "change", booking)
    return booking


def check_in(*, booking: Booking, actor, now=None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        booking = _staff_booking(booking.pk, actor)
        if booking.status != BookingStatus.BOOKED:
            raise ValidationError(_("บัตรคิวนี้เช็กอินแล้วหรือไม่อยู่ในสถานะจอง"))
        if booking.date != timezone.localdate(now):
            raise ValidationError(_("บัตรคิวนี้ไม่ใช่ของวันนี้"))
        booking.status, booking.checked_in_at = BookingStatus.CHECKED_IN, now
        booking.save(update_fields=["status", "checked_in_at"])
    return booking


def call_next(*, queue: Queue, counter: int, actor, now=None) -> Booking | None:
    """The next checked-in ticket of the day goes to `counter`; the display shows it."""
    now = now or timezone.now()
    with transaction.atomic():
        require(actor, "change", queue)
        if not 1 <= int(counter) <= queue.counters:
            raise ValidationError(_("ไม่มีช่องบริการนี้"))
        booking = (Booking.objects.select_for_update(skip_locked=True)
                   .filter(queue=queue, date=timezone.localdate(now), status=BookingStatus.CHECKED_IN)
                   .order_by("number").first())
        if booking is None:
            return None
        booking.status, booking.counter, booking.called_at = BookingStatus.CALLED, int(counter), now
        booking.save(update_fields=["status", "counter", "called_at"])
    return booking


def finish(*, booking: Booking, served: bool, actor, now=None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        booking = _staff_booking(booking.pk, actor)
        allowed = (BookingStatus.CALLED, BookingStatus.CHECKED_IN) if served else (
            BookingStatus.BOOKED, BookingStatus.CALLED, BookingStatus.CHECKED_IN)
        if booking.status not in allowed:
            raise ValidationError(_("เปลี่ยนสถานะบัตรคิวนี้ไม่ได้"))
        booking.status = BookingStatus.SERVED if served else BookingStatus.NO_SHOW
        booking.finished_at = now
        booking.save(update_fields=["status", "finished_at"])
    return booking


def send_reminders(*, now=None, actor=None) -> int:
    """Tomorrow's bookings get a reminder through the outbox, once each (run daily by Celery beat, which names
    itself as `actor`)."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    sent = 0
    ids = list(Booking.objects.filter(date=tomorrow, status=BookingStatus.BOOKED, reminder_sent_at__isnull=True)
               .values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            booking = (Booking.objects.select_for_update().select_related("queue__organization", "slot")
                       .filter(pk=pk, reminder_sent_at__isnull=True, status=BookingStatus.BOOKED).first())
            if booking is None:
                continue
            notify(organization=booking.queue.organization, event="eservice_queue_reminder", channel="sms",
                   recipient=booking.phone, context={"booking": booking, "queue": booking.queue,
                                                     "start": booking.slot.start, "url": ticket_url(booking)},
                   language=booking.language, related=booking)
            booking.reminder_sent_at = now
            booking.save(update_fields=["reminder_sent_at"])
            audit.record(booking, actor=actor, event="eservice.booking.reminded")
            sent += 1
    return sent

