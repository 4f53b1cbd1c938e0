"""E-service types in Open311 GeoReport v2 (portal.open311, through EserviceConfig.open311_provider()).

Each public online type is a service with `metadata: true`; its definition lists every field of its form as an
attribute, with a `datatype_description` that says how to write the value (with an example). A file field is an
attribute that takes the file's URL (the portal downloads and checks it as an upload); a required file that is not
sent does not refuse the request: the request is filed and the documents are asked for at once through the usual
"documents asked" step (status "waiting for the citizen's documents", the citizen is sent the upload link, and the
answer's `service_notice` names the documents and the link). POST requests.json files a request through the same
RequestForm as the web page; GET requests.json lists requests without anything personal.
"""

import re

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from portal import thai
from portal.inputs.uploads import max_upload_bytes
from portal.open311.providers import Open311Error, Provider, keywords

from . import workflow
from .forms import RequestForm, check_document, field_name
from .models import FieldKind, ServiceRequest
from .requests import selectors, services

ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})([T ].*)?$")
DATATYPES = {
    FieldKind.TEXT: ("string", "ข้อความสั้น ไม่เกิน 200 ตัวอักษร"),
    FieldKind.TEXTAREA: ("text", "ข้อความยาว ไม่เกิน 2,000 ตัวอักษร"),
    FieldKind.NUMBER: ("number", "ตัวเลข (รับเลขไทย) เช่น 3"),
    FieldKind.DATE: ("datetime", "วันที่ ISO 8601 (ค.ศ.) เช่น 2025-10-25"),
    FieldKind.CHOICE: ("singlevaluelist", "เลือกหนึ่ง key จาก values"),
    FieldKind.MULTICHOICE: ("multivaluelist", "เลือกได้หลาย key จาก values: attribute[code][]=key"),
    FieldKind.CITIZEN_ID: ("string", "เลขประจำตัวประชาชน 13 หลัก (ตรวจเลขตรวจสอบหลักสุดท้าย) เช่น 1234567890121"),
    FieldKind.PHONE: ("string", "เบอร์โทรศัพท์ 9–10 หลัก เช่น 0812345678"),
    FieldKind.EMAIL: ("string", "อีเมล เช่น name@example.com"),
    FieldKind.ADDRESS: ("string", "ที่อยู่ รูปแบบ บ้านเลขที่|ตำบล|อำเภอ|จังหวัด เช่น 9 หมู่ 3|คำใหญ่|ห้วยเม็ก|กาฬสินธุ์"),
    FieldKind.POINT: ("string", "พิกัด รูปแบบ ละติจูด,ลองจิจูด เช่น 16.4321,103.5012 "
                                "(ถ้าไม่ส่ง ใช้ lat และ long ของคำขอ)"),
    # {mb}: the one upload limit (settings.UPLOAD_MAX_BYTES) when the definition is asked for
    FieldKind.FILE: ("string", "ที่อยู่ URL (http หรือ https) ของไฟล์ PDF, JPEG, PNG, WebP, Word หรือ Excel "
                               "ไม่เกิน {mb} MB ระบบดาวน์โหลดไฟล์ตอนรับคำร้อง "
                               "เช่น https://example.org/document.pdf · ถ้าไม่ส่ง คำร้องยังรับได้ "
                               "และระบบจะขอเอกสารนี้หลังยื่นทันที (สถานะ “รอเอกสารจากผู้ยื่น” พร้อมลิงก์ส่งเอกสาร)"),
}
NO_NAME = "ไม่ระบุชื่อ (Open311)"  # first_name/last_name are optional in GeoReport; staff see who filed it so


def _open311_types(organization):
    return selectors.public_service_types(organization).filter(online=True)


def service_dict(service_type) -> dict:
    return {"service_code": service_type.code, "service_name": service_type.name_th,
            "description": service_type.description or service_type.name_en, "metadata": True, "type": "batch",
            "keywords": keywords(*service_type.keywords.split()),  # the field holds space-separated words
            "group": service_type.department.name_th if service_type.department_id else ""}


def _fields(version) -> list[dict]:
    return sorted(version.fields, key=lambda f: (f.get("order", 0), f["code"]))


def attributes(version) -> list[dict]:
    rows = []
    for order, field in enumerate(_fields(version), start=1):
        datatype, description = DATATYPES[field["kind"]]
        description = description.replace("{mb}", str(max_upload_bytes() // (1024 * 1024)))
        required = field["required"] and field["kind"] != FieldKind.FILE  # a missing file is asked for after filing
        label = field["label_th"] + (" (ต้องมี: ถ้าไม่ส่ง จะขอหลังยื่น)" if field["required"] and not required else "")
        row = {"variable": True, "code": field["code"], "datatype": datatype, "required": required,
               "datatype_description": description, "order": order, "description": label}
        if datatype in ("singlevaluelist", "multivaluelist"):
            row["values"] = [{"key": key, "name": name} for key, name in field.get("choices", [])]
        rows.append(row)
    return rows


def _values(post, code) -> list[str]:
    return [v for v in (post.getlist(f"attribute[{code}][]") or post.getlist(f"attribute[{code}]")) if v.strip()]


def _form_data(post, version) -> QueryDict:
    """attribute[<code>] values mapped onto the web form's field names."""
    data = QueryDict(mutable=True)
    for field in version.fields:
        code, kind, name = field["code"], field["kind"], field_name(field["code"])
        values = _values(post, code)
        if kind == FieldKind.POINT and not values and post.get("lat") and post.get("long"):
            values = [f"{post['lat']},{post['long']}"]  # the request's own location
        if not values or kind == FieldKind.FILE:
            continue
        value = values[0]
        if kind == FieldKind.MULTICHOICE:
            data.setlist(f"{name}_0", values)
        elif kind == FieldKind.CHOICE:
            data[f"{name}_0"] = value
        elif kind == FieldKind.ADDRESS:
            parts = (value.split("|") + ["", "", "", ""])[:4]
            for index, part in enumerate(parts):
                data[f"{name}_{index}"] = part.strip()
        elif kind == FieldKind.POINT:
            lat, _sep, lng = value.partition(",")
            data[f"{name}_0"], data[f"{name}_1"] = lat.strip(), lng.strip()
        elif kind == FieldKind.DATE:
            # ISO 8601 (date or date-time, CE) becomes the form's dd/mm/BE; the form then judges it (30 Feb...).
            match = ISO_DATE.match(value.strip())
            data[name] = (f"{match['d']}/{match['m']}/{thai.be_year(int(match['y']))}" if match else value)
        else:
            data[name] = value
    name = " ".join(filter(None, [post.get("first_name", "").strip(), post.get("last_name", "").strip()]))
    data.update({"applicant_name": name or NO_NAME, "phone": post.get("phone", ""), "email": post.get("email", ""),
                 "notify_channel": "email" if post.get("email") else "",
                 "consent": "on"})
    return data


def _error_description(form, version) -> str:
    by_name = {field_name(f["code"]): f["code"] for f in version.fields}
    parts = []
    for name, errors in form.errors.items():
        if name in by_name:
            label = f"attribute[{by_name[name]}]"
        elif name == "applicant_name":
            label = "first_name"
        else:
            label = name
        parts.append(f"{label}: {' '.join(str(e) for e in errors)}")
    return "; ".join(parts)


def _checked(upload, name):
    try:
        return check_document(upload)
    except ValidationError as exc:
        raise Open311Error(400, f"{name}: {' '.join(exc.messages)}") from exc


def _files(post, version, media) -> dict[str, list]:
    """The file attributes (and `media_url`) fetched and checked as uploads: {field code: [CheckedFile]}.
    `media_url` fills the first file field left empty (required ones first); with none, it is kept as a document of
    its own so that it is never dropped."""
    files = {}
    file_fields = [f for f in _fields(version) if f["kind"] == FieldKind.FILE]
    for field in file_fields:
        urls = _values(post, field["code"])[:3]
        if urls:
            name = f"attribute[{field['code']}]"
            files[field["code"]] = [_checked(media.fetch(url, name), name) for url in urls]
    if media.url:
        empty = [f["code"] for f in sorted(file_fields, key=lambda f: not f["required"]) if f["code"] not in files]
        files[empty[0] if empty else "media_url"] = [_checked(media.fetch(), "media_url")]
    return files


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def request_dict(request_obj: ServiceRequest) -> dict:
    """A complaint request's shape (portal.open311.providers.REQUEST_FIELDS) without anything personal: no answers
    (they may hold names, IDs, addresses, a map point), no applicant, no staff messages; the service's name stands
    in for the description."""
    service_type = request_obj.service_type
    return {
        "service_request_id": request_obj.tracking_code,
        "status": "open" if request_obj.status in workflow.OPEN_STATES else "closed",
        "status_notes": request_obj.get_status_display(),
        "service_name": service_type.name_th,
        "service_code": service_type.code,
        "description": service_type.name_th,
        "agency_responsible": (request_obj.department.name_th if request_obj.department_id
                               else request_obj.organization.name_th),
        "service_notice": None,
        "requested_datetime": _iso(request_obj.created_at),
        "updated_datetime": _iso(request_obj.updated_at),
        "expected_datetime": _iso(request_obj.deadline),
        "address": None, "address_id": None, "zipcode": None, "lat": None, "long": None, "media_url": None,
    }


def _requests(organization):
    return (ServiceRequest.objects.filter(organization=organization, service_type__is_public=True)
            .select_related("service_type", "department", "organization"))


class EserviceProvider(Provider):
    def services(self, organization):
        return [service_dict(t) for t in _open311_types(organization)]

    def definition(self, organization, service_code):
        service_type = _open311_types(organization).filter(code=service_code).first()
        if service_type is None:
            return None
        return {"service_code": service_type.code, "attributes": attributes(service_type.current_version)}

    def create(self, request, organization, service_code, media):
        service_type = _open311_types(organization).filter(code=service_code).first()
        if service_type is None:
            return None
        version = service_type.current_version
        form = RequestForm(_form_data(request.POST, version), version=version, files_required=False)
        if not form.is_valid():
            raise Open311Error(400, _error_description(form, version))
        files = _files(request.POST, version, media)  # downloaded only once everything else is right
        data = form.cleaned_data
        request_obj = services.submit_request(
            service_type=service_type, version=version, answers=form.cleaned_answers, files=files,
            applicant_name=data["applicant_name"], phone=data["phone"], email=data["email"],
            notify_channel=data["notify_channel"], consent=True, channel=ServiceRequest.Channel.OPEN311)
        missing = [f["label_th"] for f in _fields(version)
                   if f["kind"] == FieldKind.FILE and f["required"] and f["code"] not in files]
        notice = ""
        if missing:
            message = "คำร้องนี้ต้องมีเอกสารต่อไปนี้ กรุณาส่งผ่านลิงก์ติดตามคำร้อง: " + ", ".join(missing)
            services.ask_for_documents(request_obj=request_obj, message=message, items=missing)
            notice = f"{message} {request.build_absolute_uri(services.tracking_url(request_obj))}"
        return {"service_request_id": request_obj.tracking_code, "service_notice": notice, "account_id": None}

    def request(self, request, organization, service_request_id):
        code = selectors.clean_tracking_code(service_request_id)
        request_obj = _requests(organization).filter(tracking_code=code).first() if code else None
        return request_dict(request_obj) if request_obj is not None else None

    def requests(self, request, organization, query):
        found = query.apply(_requests(organization), code_field="service_type__code",
                            open_states=workflow.OPEN_STATES)
        return [request_dict(r) for r in found]


provider = EserviceProvider()
