"""CKAN Action API v3, read subset, for the national catalogue's harvester and any CKAN client.

Served at /api/3/action/<name> and /api/action/<name> (installation-wide) and under /<org>/ for one
organization's own catalogue. GET with a query string or POST with a JSON object (or a form); no CSRF, no
redirects. Answers in CKAN's envelope {help, success, result} and its error __types and status codes.
"""

import json
import uuid

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from portal.inputs.ratelimit import limited
from portal.machinery.dbrouting import anonymous_replica_reads
from portal.models import Organization

from . import datastore, search, selectors
from .ckan_dicts import (  # the dicts the actions answer with; callers may read them from here too
    KeptJSON,
    KeptResult,
    _dumps,
    _kept_for,
    absolute,
    group_dict,
    kept_package_dicts,
    organization_dict,
    organization_uuid,
    package_dict,
    resource_dict,
)
from .models import LICENSES

API_VERSION = 3
# Anonymous API: generous enough for a harvester paging a whole catalogue, not for hammering it.
API_RATE = "600/m"
# Offsets are 64-bit signed integers in SQL (and in CKAN's Solr); anything larger is refused, not passed on.
MAX_OFFSET = 2**63 - 1


class ActionError(Exception):
    status = 400
    type = "Bad Request"

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ActionError):
    status, type = 404, "Not Found Error"


class ValidationError(ActionError):
    status, type = 409, "Validation Error"


class QueryError(ActionError):
    status, type = 400, "Search Query Error"


def _json_response(body, status=200):
    """JsonResponse(body), with package_search's kept package texts (KeptJSON) put in as they are: the same bytes
    as encoding their dicts, without decoding and encoding 400 KB again on every page."""
    import secrets

    from django.http import HttpResponse

    if isinstance(body.get("result"), KeptResult):
        marker = f"kept-{secrets.token_hex(16)}"  # no text of the answer can hold it
        text = _dumps({**body, "result": marker}).replace(f'"{marker}"', body["result"], 1)
        return HttpResponse(text.encode(), status=status, content_type="application/json")
    results = body.get("result", {}).get("results") if isinstance(body.get("result"), dict) else None
    if not isinstance(results, KeptJSON):
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    marker = f"kept-{secrets.token_hex(16)}"  # no text of the answer can hold it
    text = _dumps({**body, "result": {**body["result"], "results": marker}})
    text = text.replace(f'"{marker}"', "[" + ", ".join(results) + "]", 1)
    return HttpResponse(text.encode(), status=status, content_type="application/json")


# ---- parameters ------------------------------------------------------------------------------------------------

def _int(params, key, default, *, minimum=0, maximum=None):
    raw = params.get(key, default)
    if raw in (None, ""):
        return default
    try:
        from portal.thai import to_arabic_digits

        value = int(to_arabic_digits(str(raw)).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("%(key)s ต้องเป็นจำนวนเต็ม") % {"key": key}, **{key: [_("ต้องเป็นจำนวนเต็ม")]}) from None
    if value < minimum:
        raise ValidationError(_("%(key)s ต้องไม่น้อยกว่า %(min)s") % {"key": key, "min": minimum},
                              **{key: [_("ต้องไม่น้อยกว่า %(min)s") % {"min": minimum}]})
    if maximum is not None and value > maximum:
        raise ValidationError(_("%(key)s ต้องไม่เกิน %(max)s") % {"key": key, "max": maximum},
                              **{key: [_("ต้องไม่เกิน %(max)s") % {"max": maximum}]})
    return value


def _text(params, key, default=""):
    """A parameter that must be a string (a number is taken as its text); a list or an object is refused."""
    raw = params.get(key, default)
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValidationError(_("%(key)s ต้องเป็นข้อความ") % {"key": key}, **{key: [_("ต้องเป็นข้อความ")]})
    return str(raw)


def _bool(params, key, default=False):
    raw = params.get(key, default)
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in ("true", "1", "yes", "on")


def _list(params, key):
    """A list given as a JSON array, a repeated GET key, or a comma-separated string."""
    raw = params.get(key)
    if raw is None or raw == "":
        return []
    if isinstance(raw, list):
        return [str(v) for v in raw]
    raw = str(raw).strip()
    if raw.startswith("["):
        try:
            value = json.loads(raw)
        except ValueError:
            raise ValidationError(_("%(key)s ต้องเป็นรายการ JSON") % {"key": key}) from None
        if not isinstance(value, list):
            raise ValidationError(_("%(key)s ต้องเป็นรายการ JSON") % {"key": key})
        return [str(v) for v in value]
    return [v.strip() for v in raw.split(",") if v.strip()]


def _required(params, key="id"):
    value = params.get(key)
    if value in (None, ""):
        raise ValidationError(_("ต้องระบุ %(key)s") % {"key": key}, **{key: [_("ต้องระบุค่านี้")]})
    return str(value)


# ---- actions ---------------------------------------------------------------------------------------------------

def status_show(request, params, organization):
    return {"site_title": organization.name_th if organization else _("ข้อมูลเปิดขององค์กรปกครองส่วนท้องถิ่น"),
            "site_url": absolute(request, "/"), "site_description": "", "ckan_version": "2.10.0",
            "api_version": API_VERSION, "error_emails_to": None, "locale_default": "th",
            "extensions": ["datastore", "thai_gdc", "dcat"]}


def package_list(request, params, organization):
    """Names of the datasets the national catalogue may harvest, by name."""
    limit = _int(params, "limit", None, minimum=1, maximum=selectors.MAX_ROWS * 100)
    offset = _int(params, "offset", 0, maximum=MAX_OFFSET)
    names = selectors.harvestable_names(organization)
    if organization is not None or limit or offset:
        return names[offset:offset + limit] if limit else names[offset:]
    # The installation's whole list (39,000 names, 1.7 MB at 7,850 organizations) is encoded once per list the
    # process holds (selectors.HARVESTABLE_NAMES hands out the same list until it reads a newer one), not per call.
    global _encoded_names
    kept = _encoded_names
    if kept is None or kept[0] is not names:
        kept = _encoded_names = (names, KeptResult(_dumps(names)))
    return kept[1]


_encoded_names: tuple[list, KeptResult] | None = None


def package_search(request, params, organization):
    """Searches the datasets the national catalogue may harvest (q, fq, sort, rows, start, facet.field,
    facet.limit, facet.mincount), as CKAN's Solr does. rows above 1000 are capped at 1000, as CKAN caps them."""
    rows = min(_int(params, "rows", 10), selectors.MAX_ROWS)
    start = _int(params, "start", 0, maximum=MAX_OFFSET)
    facet_fields = _list(params, "facet.field")
    for field in facet_fields:
        if field not in search.FACET_FIELDS:
            raise QueryError(_("facet.field %(field)s ไม่มี ใช้ได้: %(fields)s")
                             % {"field": field, "fields": ", ".join(search.FACET_FIELDS)})
    facet_limit = _int(params, "facet.limit", 50, minimum=-1)
    facet_limit = 1000 if facet_limit < 0 else min(facet_limit, 1000)
    facet_mincount = _int(params, "facet.mincount", 0)
    fq = _text(params, "fq")
    fq_list = params.get("fq_list")
    if fq_list:  # separate filters, each ANDed with the others (CKAN sends each as its own Solr fq)
        parts = [fq] + (fq_list if isinstance(fq_list, list) else [fq_list])
        if not all(isinstance(v, str) for v in parts):
            raise ValidationError(_("fq_list ต้องเป็นรายการข้อความ"), fq_list=[_("ต้องเป็นรายการข้อความ")])
        fq = " ".join(f"({v})" for v in parts if v.strip())
    try:
        found = selectors.search_page(
            organization=organization, q=_text(params, "q"), fq=fq, sort=_text(params, "sort"), start=start,
            rows=rows, facet_fields=facet_fields, facet_limit=facet_limit, facet_mincount=facet_mincount,
            harvest=True, kept=True)
    except search.SearchQueryError as exc:
        raise QueryError(str(exc)) from None
    facets = {f: {name: n for name, _label, n in items} for f, items in found["facets"].items()}
    search_facets = {f: {"title": f, "items": [{"name": name, "display_name": label, "count": n}
                                               for name, label, n in items]}
                     for f, items in found["facets"].items()}
    return {"count": found["count"], "sort": found["sort"], "facets": facets, "search_facets": search_facets,
            "results": kept_package_dicts(request, found["ids"])}


def package_show(request, params, organization):
    dataset = selectors.dataset_by_id_or_name(_required(params), organization=organization)
    if dataset is None:
        raise NotFound(_("ไม่พบชุดข้อมูล"))
    return package_dict(request, dataset)


def resource_show(request, params, organization):
    resource = selectors.resource_by_id(_required(params), organization=organization)
    if resource is None:
        raise NotFound(_("ไม่พบทรัพยากร"))
    return resource_dict(request, resource)


def _organization(params, organization):
    slug = _required(params)
    qs = selectors.organizations_with_counts(organization)
    org = qs.filter(slug=slug).first()
    if org is None:
        try:
            org = next((o for o in qs if organization_uuid(o) == str(uuid.UUID(slug))), None)
        except ValueError:
            org = None
    if org is None:
        raise NotFound(_("ไม่พบองค์กร"))
    return org


def _kept_organization_dicts(request, organization, *, offset, limit) -> list[dict]:
    """organization_list with all_fields: a page of organization dicts with their dataset counts, kept per
    catalogue version (every dataset published or withdrawn and every organization saved changes it), language and
    base URL: a hundred of 7,850 organizations were read, counted and built again on every call (31 ms)."""
    scope = organization.pk if organization is not None else "*"
    return selectors.kept_for_version(
        f"organization-page:{_kept_for(request)}:{scope}:{offset}:{limit}",
        lambda: [organization_dict(request, o, package_count=o.package_count)
                 for o in selectors.organizations_page(organization, offset=offset, limit=limit, counts=True)])


def organization_list(request, params, organization):
    limit = _int(params, "limit", 1000, minimum=1, maximum=1000)
    offset = _int(params, "offset", 0, maximum=MAX_OFFSET)
    if _bool(params, "all_fields"):
        return _kept_organization_dicts(request, organization, offset=offset, limit=limit)
    return selectors.organization_names(organization, offset=offset, limit=limit)


def organization_show(request, params, organization):
    org = _organization(params, organization)
    result = organization_dict(request, org, package_count=org.package_count)
    if _bool(params, "include_datasets"):
        datasets = selectors.with_related(selectors.public_datasets(org).filter(selectors.harvestable_q())
                                          .order_by("-metadata_modified"))[:10]
        result["packages"] = [package_dict(request, d) for d in datasets]
    return result


def group_list(request, params, organization):
    qs = selectors.groups_with_counts(organization).order_by("name")
    if _bool(params, "all_fields"):
        return [group_dict(g, package_count=g.package_count) for g in qs]
    return [g.name for g in qs]


def group_show(request, params, organization):
    value = _required(params)
    qs = selectors.groups_with_counts(organization)
    group = qs.filter(name=value).first()
    if group is None:
        try:
            group = qs.filter(pk=uuid.UUID(value)).first()
        except ValueError:
            group = None
    if group is None:
        raise NotFound(_("ไม่พบหมวดหมู่"))
    return group_dict(group, package_count=group.package_count)


def tag_list(request, params, organization):
    names = selectors.tag_names(organization, str(params.get("query", "") or ""))
    if _bool(params, "all_fields"):
        return [{"name": n, "display_name": n, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"tag:{n}")),
                 "vocabulary_id": None} for n in names]
    return names


def license_list(request, params, organization):
    return [{"id": key, "title": title, "url": url, "od_conformance": "approved" if is_open else "not reviewed",
             "osd_conformance": "not reviewed", "status": "active", "is_okd_compliant": is_open}
            for key, (title, url, is_open) in LICENSES.items()]


def datastore_search(request, params, organization):
    resource = selectors.resource_by_id(_required(params, "resource_id"), organization=organization)
    if resource is None or not resource.datastore_active:
        raise NotFound(_("ไม่พบทรัพยากรในคลังข้อมูลตาราง"), resource_id=[_("ไม่พบ")])
    # a limit above the maximum is capped, not refused, as CKAN's DataStore caps it at ckan.datastore.search.rows_max
    # (the answer's `limit` says what was applied)
    try:
        return datastore.search(
            resource, q=params.get("q", ""), filters=params.get("filters"), fields=params.get("fields"),
            sort=params.get("sort", ""), limit=min(_int(params, "limit", 100), datastore.MAX_LIMIT),
            offset=_int(params, "offset", 0, maximum=MAX_OFFSET), include_total=_bool(params, "include_total", True),
            records_format=_text(params, "records_format", "objects") or "objects")
    except datastore.DatastoreError as exc:
        raise ValidationError(str(exc), **exc.details) from None


def help_show(request, params, organization):
    """The help text of an action (`name`), as CKAN's help_show answers it: the envelope's `help` URL points here."""
    name = _required(params, "name")
    function = ACTIONS.get(name)
    if function is None:
        raise NotFound(_("ไม่รู้จักคำสั่ง %(name)s") % {"name": name[:100]})
    return function.__doc__ or ACTION_HELP.get(name, "")


ACTION_HELP = {
    "status_show": "Return the site's title, CKAN version and extensions.",
    "package_show": "Return a dataset (id: its id or name) with its resources and thai-gdc metadata.",
    "resource_show": "Return a resource (id).",
    "organization_list": "Return the organizations' names (all_fields: dicts), limit and offset.",
    "organization_show": "Return an organization (id: its name or id); include_datasets for its latest datasets.",
    "group_list": "Return the categories' names (all_fields: dicts).",
    "group_show": "Return a category (id: its name or id).",
    "tag_list": "Return the tags in use (query: part of a tag).",
    "license_list": "Return the licences datasets may carry.",
    "datastore_search": "Search the rows of a tabular resource (resource_id, q, filters, fields, sort, limit, "
                        "offset, records_format, include_total).",
}

ACTIONS = {f.__name__: f for f in (
    status_show, package_list, package_search, package_show, resource_show, organization_list, organization_show,
    group_list, group_show, tag_list, license_list, datastore_search, help_show)}


# ---- the view --------------------------------------------------------------------------------------------------

def _params(request):
    if request.method == "GET":
        return {k: (v if len(v) > 1 else v[0]) for k, v in request.GET.lists()}
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists()}
    body = request.body
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ActionError(_("ข้อมูลที่ส่งมาไม่ใช่ JSON ที่ถูกต้อง")) from None
    if not isinstance(data, dict):
        raise ActionError(_("ข้อมูลที่ส่งมาต้องเป็นออบเจกต์ JSON ไม่ใช่ %(kind)s") % {"kind": type(data).__name__})
    return data


def _envelope(request, name, **body):
    help_url = absolute(request, reverse("opendata-ckan-action", args=["help_show"]) + f"?name={name}")
    return {"help": help_url, **body}


def _too_many(request, retry_after_seconds, name, org_slug=None):
    from portal.inputs.ratelimit import retry_message

    body = _envelope(request, name, success=False, error={"__type": "Throttled", "message": retry_message(
        retry_after_seconds)})
    response = JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(retry_after_seconds)
    return response


@csrf_exempt
@limited(API_RATE, group="opendata-api", per_organization=False, count="all", methods=("GET", "POST"),
         on_limited=_too_many)
@anonymous_replica_reads  # the harvester's reads may be a moment old (portal.machinery.dbrouting)
def action(request, name, org_slug=None):
    organization = get_object_or_404(Organization, slug=org_slug, is_active=True) if org_slug else None
    status = 200
    try:
        if request.method not in ("GET", "POST"):
            raise ActionError(_("ใช้ได้เฉพาะ GET และ POST"))
        function = ACTIONS.get(name)
        if function is None:
            raise ActionError(_("ไม่รู้จักคำสั่ง %(name)s") % {"name": name[:100]})
        params = _params(request)
        body = {"success": True, "result": function(request, params, organization)}
    except ActionError as exc:
        status = exc.status
        error = {"__type": exc.type, "message": exc.message}
        error.update({k: v for k, v in exc.details.items()})
        body = {"success": False, "error": error}
    response = _json_response(_envelope(request, name, **body), status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response
