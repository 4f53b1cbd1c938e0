"""E-service types in Open311 GeoReport v2 (portal.open311, through EserviceConfig.open311_provider()): each public
type is a service with `metadata: true`, its attributes generated from the form definition, and POST requests.json
files a request through the same RequestForm as the web page."""

import re

from django.http import QueryDict

from portal import thai
from portal.open311.providers import Open311Error, Provider

from . import selectors, services
from .forms import RequestForm, field_name
from .models import FieldKind, ServiceRequest

ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})([T ].*)?$")
DATATYPES = {
    FieldKind.TEXT: ("string", "ข้อความสั้น"),
    FieldKind.TEXTAREA: ("text", "ข้อความยาว"),
    FieldKind.NUMBER: ("number", "ตัวเลข (รับเลขไทย)"),
    FieldKind.DATE: ("datetime", "วันที่ ISO 8601 เช่น 2025-10-25"),
    FieldKind.CHOICE: ("singlevaluelist", "เลือกหนึ่ง key จาก values"),
    FieldKind.MULTICHOICE: ("multivaluelist", "เลือกได้หลาย key จาก values: attribute[code][]=key"),
    FieldKind.CITIZEN_ID: ("string", "เลขประจำตัวประชาชน 13 หลัก (ตรวจเลขตรวจสอบ)"),
    FieldKind.PHONE: ("string", "เบอร์โทรศัพท์ 9–10 หลัก"),
    FieldKind.EMAIL: ("string", "อีเมล"),
    FieldKind.ADDRESS: ("string", "ที่อยู่ รูปแบบ บ้านเลขที่|ตำบล|อำเภอ|จังหวัด"),
    FieldKind.POINT: ("string", "พิกัด รูปแบบ ละติจูด,ลองจิจูด"),
}


def _open311_types(organization):
    return selectors.public_service_types(organization).filter(online=True)


def service_dict(service_type) -> dict:
    return {"service_code": service_type.code, "service_name": service_type.name_th,
            "description": service_type.description or service_type.name_en, "metadata": True, "type": "batch",
            "keywords": service_type.keywords,
            "group": service_type.department.name_th if service_type.department_id else ""}


def attributes(version) -> list[dict]:
    rows = []
    fields = sorted(version.fields, key=lambda f: (f.get("order", 0), f["code"]))
    for order, field in enumerate(fields, start=1):
        if field["kind"] == FieldKind.FILE:
            continue  # files cannot travel in a form-encoded Open311 POST
        datatype, description = DATATYPES[field["kind"]]
        row = {"variable": True, "code": field["code"], "datatype": datatype, "required": field["required"],
               "datatype_description": description, "order": order, "description": field["label_th"]}
        if datatype in ("singlevaluelist", "multivaluelist"):
            row["values"] = [{"key": key, "name": name} for key, name in field.get("choices", [])]
        rows.append(row)
    return rows


def _form_data(post, version) -> QueryDict:
    """attribute[<code>] values mapped onto the web form's field names."""
    data = QueryDict(mutable=True)
    for field in version.fields:
        code, kind, name = field["code"], field["kind"], field_name(field["code"])
        values = post.getlist(f"attribute[{code}][]") or post.getlist(f"attribute[{code}]")
        if not values:
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
    data.update({"applicant_name": name, "phone": post.get("phone", ""), "email": post.get("email", ""),
                 "notify_channel": "email" if post.get("email") else "", "consent": "on"})
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


def _iso(value):
    from django.utils import timezone

    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def request_dict(request_obj: ServiceRequest) -> dict:
    """A complaint request's shape (portal.open311.providers.REQUEST_FIELDS) without anything personal: no answers (they
    may hold names, IDs, addresses, a map point), no applicant, no staff messages; the service's name stands in
    for the description."""
    from . import workflow

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


class EserviceProvider(Provider):
    def request(self, request, organization, service_request_id):
        code = selectors.clean_tracking_code(service_request_id)
        if not code:
            return None
        request_obj = (ServiceRequest.objects.filter(organization=organization, tracking_code=code)
                       .select_related("service_type", "department", "organization").first())
        return request_dict(request_obj) if request_obj is not None else None

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
        form = RequestForm(_form_data(request.POST, version), version=version)
        if not form.is_valid():
            raise Open311Error(400, _error_description(form, version))
        data = form.cleaned_data
        request_obj = services.submit_request(
            service_type=service_type, version=version, answers=form.cleaned_answers, files={},
            applicant_name=data["applicant_name"], phone=data["phone"], email=data["email"],
            notify_channel=data["notify_channel"], consent=True, channel=ServiceRequest.Channel.OPEN311)
        return {"service_request_id": request_obj.tracking_code, "service_notice": "", "account_id": None}


provider = EserviceProvider()
