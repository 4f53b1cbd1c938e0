"""Writes of the request domain: service types started from the catalogue and their published versions, and the
requests citizens file and staff handle. Keyword-only functions in a transaction; the audit row and the outbox rows
in the same transaction; files and messages after commit."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import thai
from portal.access.permissions import may_act_in, require
from portal.audit import trail as audit
from portal.notifications.services import citizen_language, notify
from portal.outputs.codes import insert_with_code
from portal.outputs.files import private_storage

from .. import catalogue, workflow
from ..models import (
    DocumentRequest,
    FieldKind,
    FormField,
    FormVersion,
    RequestDocument,
    RequestEvent,
    RequiredDocument,
    ServiceRequest,
    ServiceType,
    choice_lines,
)
from ..workflow import Status
from . import selectors

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
                                     "office", "legal_basis", "steps")},
        # The manual's English, where the template has it.
        **{k: template.get(k, "") for k in ("description_en", "office_en", "legal_basis_en", "steps_en")})
    if actor is not None:
        require(actor, "add", service_type)
    service_type.save()
    FormField.objects.bulk_create([
        FormField(service_type=service_type, order=index * 10, code=f["code"], kind=f["kind"],
                  label_th=f["label_th"], label_en=f["label_en"], required=f["required"], help_th=f["help_th"],
                  help_en=f.get("help_en", ""), choices=choice_lines(f), allow_other=f["allow_other"])
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
                   consent: bool, channel: str = ServiceRequest.Channel.WEB, actor=None,
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
        department_id=service_type.department_id, filed_by=actor if actor is not None and
        actor.is_authenticated else None, applicant_name=applicant_name.strip(), phone=phone, email=email,
        notify_channel=notify_channel, citizen_id_hash=id_hash, citizen_id_masked=id_masked,
        citizen_id_last4_hash=last4_hash(id_raw) if id_raw else "", answers=answers,
        consent_at=now, created_at=now,
        deadline=selectors.working_deadline(now, service_type.processing_days),
        # Unless told, the language of the page the citizen filed on; staff filing at the counter write in Thai.
        language=citizen_language(language if language or not _is_staff(actor) else settings.LANGUAGE_CODE))
    labels = {f["code"]: f["label_th"] for f in version.fields}

    def then():
        rows = _document_rows(request_obj, files, labels)
        if rows:
            RequestDocument.objects.bulk_create(rows)
        _event(request_obj, RequestEvent.Kind.STATUS, to_status=Status.RECEIVED,
               message=_("ยื่นที่เคาน์เตอร์") if channel == ServiceRequest.Channel.COUNTER else "", actor=actor)
        audit.record(request_obj, actor=actor if _is_staff(actor) else audit.citizen(channel),
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
