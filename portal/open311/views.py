"""The GeoReport v2 endpoints: formats (JSON and XML), errors, rate limits, the API key, the request filters and
the discovery document. What a service is and how a request is filed is the providers' business (providers.py)."""

import datetime as dt
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from portal.inputs.ratelimit import count_accepted, limited
from portal.inputs.text import strip_all
from portal.models import Organization
from portal.open311 import media, services
from portal.open311.providers import Open311Error, Query, providers

MAX_RESULTS = 1000
MAX_SPAN = dt.timedelta(days=90)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-06T00:00:00+07:00"  # when the endpoint's behaviour last changed (the discovery document)


# --- rendering -----------------------------------------------------------------------------------------------

def _xml_value(parent, key, value):
    child = ET.SubElement(parent, key)
    if isinstance(value, bool):
        child.text = "true" if value else "false"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                _xml_dict(child, "value" if key == "values" else key.rstrip("s"), item)
            else:
                ET.SubElement(child, key.rstrip("s")).text = strip_all(str(item))
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
    tree = ET.Element(root)
    if isinstance(data, dict):
        for key, value in data.items():
            _xml_value(tree, key, value)
    else:
        for entry in data:
            _xml_dict(tree, item, entry)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(tree, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", "error", [{"code": status, "description": description}], status=status)


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


def _list(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))


def query_from(params) -> Query:
    """The GET requests.json filters as the specification reads them (service_request_id overrides the rest; by
    default the last 90 days)."""
    ids = _list(params.get("service_request_id", ""))
    if ids:
        return Query(ids=tuple(i.upper() for i in ids[:MAX_RESULTS]), limit=MAX_RESULTS)
    statuses = frozenset(_list(params.get("status", "")))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open or closed")
    if statuses == {"open", "closed"}:
        statuses = frozenset()
    end = _date(params["end_date"], "end_date") if params.get("end_date") else None
    start = _date(params["start_date"], "start_date") if params.get("start_date") else None
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
    return Query(service_codes=_list(params.get("service_code", "")), statuses=statuses, start=start, end=end,
                 limit=MAX_RESULTS)


def _requested(row) -> dt.datetime:
    return dt.datetime.fromisoformat(row["requested_datetime"]) if row.get("requested_datetime") else EARLIEST


class Media:
    """The files a POST names by URL, fetched only when a provider asks (after its own checks passed)."""

    def __init__(self, request):
        self.url = (request.POST.get("media_url") or "").strip()

    def fetch(self, url: str | None = None, name: str = "media_url"):
        try:
            return media.fetch(self.url if url is None else url)
        except media.MediaError as exc:
            raise Open311Error(400, f"{name}: the file at {url or self.url!r} {exc} / "
                                    f"{name}: ดึงไฟล์จากที่อยู่นี้ไม่ได้") from exc


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
def discovery(request, fmt):
    """Where the endpoint is and what it speaks (GeoReport v2 service discovery)."""
    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    url = reverse("open311-services", kwargs={"fmt": "json"}).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "OPEN311_CONTACT", "") or "ติดต่อผู้ดูแลระบบขององค์กร (jurisdiction) ที่ต้องการส่งเรื่อง",
        "key_service": "คีย์ API ออกให้ทีละองค์กร: ขอได้จากผู้ดูแลระบบขององค์กร (manage.py create_api_key)",
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": f"{base}{url}" if base else request.build_absolute_uri(url),
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }
    if fmt == "json":
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    tree = ET.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        ET.SubElement(tree, key).text = data[key]
    endpoints = ET.SubElement(tree, "endpoints")
    for endpoint in data["endpoints"]:
        node = ET.SubElement(endpoints, "endpoint")
        for key in ("specification", "url", "changeset", "type"):
            ET.SubElement(node, key).text = endpoint[key]
        formats = ET.SubElement(node, "formats")
        for value in endpoint["formats"]:
            ET.SubElement(formats, "format").text = value
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(tree, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@require_GET
@read_limited
@guarded
def service_list(request, fmt):
    organization = _organization(request)
    data = [row for provider in providers(organization) for row in provider.services(organization)]
    return render(fmt, "services", "service", data)


@require_GET
@read_limited
@guarded
def service_definition(request, service_code, fmt):
    organization = _organization(request)
    for provider in providers(organization):
        definition = provider.definition(organization, service_code)
        if definition is not None:
            return render(fmt, "service_definition", "attribute", definition)
    raise Open311Error(404, f"unknown service_code {service_code!r}")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@read_limited
@write_limited
@guarded
def requests_view(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    organization = _organization(request)
    query = query_from(request.GET)
    rows = [row for provider in providers(organization) for row in provider.requests(request, organization, query)]
    rows.sort(key=_requested, reverse=True)
    return render(fmt, "service_requests", "request", rows[:query.limit])


def _create(request, fmt):
    slug = request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id", "")
    organization = services.organization_for_key(slug, request.POST.get("api_key", ""))
    if organization is None:
        _organization(request)  # an unknown jurisdiction is a 404, a known one without a valid key a 403
        raise Open311Error(403, "missing or invalid api_key / api_key ไม่ถูกต้อง")
    code = request.POST.get("service_code", "")
    if not code:
        raise Open311Error(400, "service_code is required / ต้องระบุ service_code")
    files = Media(request)
    for provider in providers(organization):
        created = provider.create(request, organization, code, files)
        if created is not None:
            count_accepted(request)
            return render(fmt, "service_requests", "request", [created])
    raise Open311Error(400, f"unknown service_code {code!r} / ไม่พบประเภทเรื่องนี้")


@require_GET
@read_limited
@guarded
def request_detail(request, service_request_id, fmt):
    organization = _organization(request)
    for provider in providers(organization):
        found = provider.request(request, organization, service_request_id.upper())
        if found is not None:
            return render(fmt, "service_requests", "request", [found])
    raise Open311Error(404, f"unknown service_request_id {service_request_id!r}")


@require_GET
@read_limited
@guarded
def token_detail(request, token, fmt):
    # Requests get their id at once (no tokens are issued), so every token is unknown.
    _organization(request)
    raise Open311Error(404, f"unknown token {token!r}")
