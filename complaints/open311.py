"""Open311 GeoReport v2 at /open311/v2/: one endpoint for every organization, jurisdiction_id = slug.

Only public, unprotected categories exist here: corruption reports never appear in this API.
"""

import datetime as dt
from xml.etree import ElementTree as ET

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from portal.inputs.ratelimit import count_accepted, limited
from portal.inputs.text import strip_all
from portal.models import Organization

from . import services, workflow
from .forms import normalize_phone
from .models import DESCRIPTION_MAX, Category, Complaint, ComplaintPhoto, ComplaintUpdate

MAX_RESULTS = 1000
MAX_SPAN = dt.timedelta(days=90)


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        self.status, self.description = status, description
        super().__init__(description)


# --- extension point ---------------------------------------------------------------------------------------------
# Other apps publish their own service types here (e.g. e-service request forms, with attributes) without this
# module importing them: an app registers a provider in its AppConfig.ready(). A provider has
#   services(organization) -> list[dict]                     extra entries of services.json
#   definition(organization, service_code) -> dict | None    the service definition (None: not this provider's)
#   create(request, organization, service_code) -> dict | None  files a request from the POST (raises Open311Error)
#   request(organization, service_request_id) -> dict | None   one of its requests, in request_dict's shape
PROVIDERS: list = []


def register_provider(provider) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


# --- rendering -----------------------------------------------------------------------------------------------

def _xml_value(parent, key, value):
    child = ET.SubElement(parent, key)
    if isinstance(value, bool):
        child.text = "true" if value else "false"
    elif isinstance(value, list):
        for item in value:
            _xml_dict(child, "value" if key == "values" else key.rstrip("s"), item)
    elif value is not None:
        child.text = strip_all(str(value))  # rows written before input was cleaned must not break the XML


def _xml_dict(parent, tag, data: dict):
    node = ET.SubElement(parent, tag)
    for key, value in data.items():
        _xml_value(node, key, value)
    return node


def render(fmt: str, root: str, item: str, data, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    if isinstance(data, dict):
        tree = ET.Element(root)
        for key, value in data.items():
            _xml_value(tree, key, value)
    else:
        tree = ET.Element(root)
        for entry in data:
            _xml_dict(tree, item, entry)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(tree, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", "error", [{"code": status, "description": description}], status=status)


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- helpers ----------------------------------------------------------------------------------------------------

def _organization(request) -> Organization:
    slug = (request.POST.get("jurisdiction_id") if request.method == "POST" else None) or request.GET.get(
        "jurisdiction_id", "")
    if not slug:
        raise Open311Error(400, "jurisdiction_id is required (the organization's slug) / ต้องระบุ jurisdiction_id")
    organization = Organization.objects.filter(slug=slug, is_active=True).first()
    if organization is None:
        raise Open311Error(404, f"unknown jurisdiction_id {slug!r}")
    return organization


def _services(organization):
    # Explicit order: the model's default ("organization", ...) would join the organization table for nothing.
    return Category.objects.filter(organization=organization, is_active=True, is_public=True,
                                   is_protected=False).order_by("order", "name_th")


def service_dict(category: Category) -> dict:
    return {
        "service_code": category.code, "service_name": category.name_th, "description": category.description or
        category.name_en, "metadata": False, "type": "realtime", "keywords": category.name_en,
        "group": category.department.name_th if category.department_id else "",
    }


def _media_url(request, complaint):
    photos = [p for p in complaint.all_photos if p.kind == ComplaintPhoto.Kind.CITIZEN]
    return request.build_absolute_uri(photos[0].url) if photos else None


def request_dict(request, complaint: Complaint) -> dict:
    notes = [u.message for u in complaint.with_received(complaint.public_updates) if u.message]
    return {
        "service_request_id": complaint.tracking_code,
        "status": workflow.open311_status(complaint.status),
        "status_notes": notes[-1] if notes else workflow.public_label(complaint.status),
        "service_name": complaint.category.name_th,
        "service_code": complaint.category.code,
        "description": complaint.description,
        "agency_responsible": complaint.department.name_th if complaint.department_id else complaint.organization.name_th,
        "service_notice": None,
        "requested_datetime": _iso(complaint.created_at),
        "updated_datetime": _iso(complaint.updated_at),
        "expected_datetime": _iso(complaint.sla_deadline),
        "address": complaint.address or complaint.village or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(complaint.latitude) if complaint.latitude is not None else None,
        "long": float(complaint.longitude) if complaint.longitude is not None else None,
        "media_url": _media_url(request, complaint),
    }


def _request_queryset(organization):
    return (
        Complaint.objects.filter(organization=organization).public()
        .select_related("category", "department", "organization")
        .prefetch_related(
            Prefetch("updates", queryset=ComplaintUpdate.objects.filter(is_public=True).order_by("created_at", "pk"),
                     to_attr="public_updates"),
            Prefetch("photos", queryset=ComplaintPhoto.objects.order_by("pk"), to_attr="all_photos"),
        )
    )


EARLIEST, LATEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


def _date(value, name):
    """An ISO 8601 date-time between 1900 and 9000 (so the 90-day arithmetic cannot overflow), else a 400."""
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            parsed = dt.datetime.fromisoformat(value)
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        inside = EARLIEST <= parsed <= LATEST
    except (ValueError, OverflowError) as exc:
        raise Open311Error(400, f"{name} must be an ISO 8601 date-time / {name} ต้องเป็นวันเวลาแบบ ISO 8601") from exc
    if not inside:
        raise Open311Error(400, f"{name} must be between 1900 and 9000 / {name} ต้องอยู่ระหว่างปี ค.ศ. 1900–9000")
    return parsed


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in value for value in items) for key, items in values.lists())


def guarded(view):
    def wrapper(request, *args, fmt, **kwargs):
        try:
            if _has_nul(request.GET) or _has_nul(request.POST):
                # PostgreSQL refuses NUL in text with an error: answer it here, as the client's mistake.
                raise Open311Error(400, "NUL characters are not allowed / ห้ามมีอักขระ NUL")
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)
    wrapper.__name__ = view.__name__
    wrapper.handles_nul = True  # answered above in the Open311 format (portal.web.middleware.TextInputMiddleware)
    return wrapper


def _jurisdiction(request, *args, **kwargs):
    return request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id", "")


def _open311_limited(request, retry_after, *args, fmt="json", **kwargs):
    response = error(fmt, 429, f"too many requests, retry after {retry_after} seconds / "
                               f"มีคำขอมากเกินไป ลองใหม่ในอีก {retry_after} วินาที")
    response["Retry-After"] = str(retry_after)
    return response


# Per jurisdiction and client address. A client app posts for many citizens from one address: only accepted
# requests count against its allowance.
read_limited = limited("120/m", group="open311-read", count="all", methods=("GET",),
                       organization_key=_jurisdiction, on_limited=_open311_limited)
write_limited = limited("300/h", group="open311-write", methods=("POST",),
                        organization_key=_jurisdiction, on_limited=_open311_limited)


# --- views ------------------------------------------------------------------------------------------------------

@require_GET
@read_limited
@guarded
def service_list(request, fmt):
    organization = _organization(request)
    data = [service_dict(c) for c in _services(organization).select_related("department")]
    for provider in PROVIDERS:
        data.extend(provider.services(organization))
    return render(fmt, "services", "service", data)


@require_GET
@read_limited
@guarded
def service_definition(request, service_code, fmt):
    organization = _organization(request)
    category = _services(organization).filter(code=service_code).first()
    if category is None:
        for provider in PROVIDERS:
            definition = provider.definition(organization, service_code)
            if definition is not None:
                return render(fmt, "service_definition", "attribute", definition)
        raise Open311Error(404, f"unknown service_code {service_code!r}")
    return render(fmt, "service_definition", "attribute", {"service_code": category.code, "attributes": []})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@read_limited
@write_limited
@guarded
def requests_view(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    organization = _organization(request)
    qs = _request_queryset(organization)
    ids = request.GET.get("service_request_id")
    if ids:
        codes = [c.strip().upper() for c in ids.split(",") if c.strip()][:MAX_RESULTS]
        qs = qs.filter(tracking_code__in=codes)
    else:
        if request.GET.get("service_code"):
            qs = qs.filter(category__code__in=request.GET["service_code"].split(","))
        statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status must be open or closed")
        if statuses == {"open"}:
            qs = qs.filter(status__in=workflow.OPEN_STATES)
        elif statuses == {"closed"}:
            qs = qs.filter(status__in=workflow.CLOSED_STATES)
        end = _date(request.GET["end_date"], "end_date") if request.GET.get("end_date") else None
        start = _date(request.GET["start_date"], "start_date") if request.GET.get("start_date") else None
        if start and end and end - start > MAX_SPAN:
            raise Open311Error(400, "start_date and end_date may be at most 90 days apart")
        if start and end and end < start:
            raise Open311Error(400, "end_date is before start_date")
        if start is None and end is None:
            start = timezone.now() - MAX_SPAN
        elif start is None:
            start = end - MAX_SPAN
        elif end is None:
            end = start + MAX_SPAN
        qs = qs.filter(created_at__gte=start)
        if end:
            qs = qs.filter(created_at__lte=end)
    data = [request_dict(request, c) for c in qs.order_by("-created_at")[:MAX_RESULTS]]
    return render(fmt, "service_requests", "request", data)


def _create(request, fmt):
    slug = request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id", "")
    raw_key, code = request.POST.get("api_key", ""), request.POST.get("service_code", "")
    category = services.category_for_key(slug, raw_key, code)  # one query on the happy path
    if category is None:
        key = services.api_key_for(slug, raw_key)
        if key is None:
            _organization(request)  # an unknown jurisdiction is a 404, a known one without a valid key a 403
            raise Open311Error(403, "missing or invalid api_key / api_key ไม่ถูกต้อง")
        if not code:
            raise Open311Error(400, "service_code is required / ต้องระบุ service_code")
        for provider in PROVIDERS:
            created = provider.create(request, key.organization, code)
            if created is not None:
                return render(fmt, "service_requests", "request", [created])
        raise Open311Error(400, f"unknown service_code {code!r} / ไม่พบประเภทเรื่องนี้")
    organization = category.organization
    lat, lng = request.POST.get("lat", ""), request.POST.get("long", "")
    address = request.POST.get("address_string", "") or request.POST.get("address_id", "")
    if not (lat and lng) and not address:
        raise Open311Error(400, "a location is required: lat and long, address_string or address_id")
    description = request.POST.get("description", "")
    if len(description) > DESCRIPTION_MAX:
        raise Open311Error(400, f"description is longer than {DESCRIPTION_MAX} characters")
    if not description.strip():
        description = category.name_th
    name = " ".join(filter(None, [request.POST.get("first_name", ""), request.POST.get("last_name", "")]))
    try:
        phone = normalize_phone(request.POST.get("phone", ""))
        if request.POST.get("email"):
            validate_email(request.POST["email"])
    except ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from exc
    try:
        complaint = services.submit_complaint(
            organization=organization, category=category, description=description, channel=Complaint.Channel.OPEN311,
            latitude=lat or None, longitude=lng or None, address=address, contact_name=name,
            contact_email=request.POST.get("email", ""), contact_phone=phone,
            pdpa_consent=True)  # the client app collects consent (documented in the API key terms)
    except ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from exc
    count_accepted(request)
    return render(fmt, "service_requests", "request", [{
        "service_request_id": complaint.tracking_code, "service_notice": "", "account_id": None}])


@require_GET
@read_limited
@guarded
def request_detail(request, service_request_id, fmt):
    organization = _organization(request)
    complaint = _request_queryset(organization).filter(tracking_code=service_request_id.upper()).first()
    if complaint is None:
        for provider in PROVIDERS:
            found = provider.request(organization, service_request_id.upper())
            if found is not None:
                return render(fmt, "service_requests", "request", [found])
        raise Open311Error(404, f"unknown service_request_id {service_request_id!r}")
    return render(fmt, "service_requests", "request", [request_dict(request, complaint)])


@require_GET
@read_limited
@guarded
def token_detail(request, token, fmt):
    # Requests get their id at once (no tokens are issued), so every token is unknown.
    _organization(request)
    raise Open311Error(404, f"unknown token {token!r}")
