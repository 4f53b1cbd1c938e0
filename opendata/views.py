"""Public catalogue pages: search with facets, the dataset page with previews, downloads, DCAT."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import condition, require_GET

from portal.inputs.ratelimit import limited
from portal.machinery.dbrouting import anonymous_replica_reads
from portal.models import Organization

from . import dcat, search, selectors, services
from .models import Dataset

PAGE_SIZE = 20
SORTS = {
    "relevance": ("score desc, metadata_modified desc", gettext_lazy("เกี่ยวข้องที่สุด")),
    "name": ("title_string asc", gettext_lazy("ชื่อ ก–ฮ")),
    "modified": ("metadata_modified desc", gettext_lazy("ปรับปรุงล่าสุด")),
}
FACET_TITLES = {
    "organization": gettext_lazy("องค์กร"), "groups": gettext_lazy("หมวดหมู่"), "tags": gettext_lazy("คำสำคัญ"),
    "res_format": gettext_lazy("รูปแบบไฟล์"), "license_id": gettext_lazy("สัญญาอนุญาต"),
    "data_type": gettext_lazy("ประเภทข้อมูล"),
}


def _org(org_slug):
    return get_object_or_404(Organization, slug=org_slug, is_active=True) if org_slug else None


PAGE_RATE = "120/m"


def _english_labels(facets) -> dict:
    """On an English page, the English names of the organizations and categories in the facets (the search keeps
    the Thai ones)."""
    from django.utils.translation import get_language

    from portal.models import Organization

    from .models import Group

    if get_language() != "en":
        return {}
    labels = {}
    slugs = [name for name, _label, _n in facets.get("organization", [])]
    for slug, name_en in Organization.objects.filter(slug__in=slugs).exclude(name_en="").values_list("slug", "name_en"):
        labels[("organization", slug)] = name_en
    names = [name for name, _label, _n in facets.get("groups", [])]
    for name, title_en in Group.objects.filter(name__in=names).exclude(title_en="").values_list("name", "title_en"):
        labels[("groups", name)] = title_en
    return labels


@require_GET
@limited(PAGE_RATE, group="opendata-search", per_organization=False, count="all", methods=("GET",))
@anonymous_replica_reads  # a visitor's catalogue page may be a moment old (portal.machinery.dbrouting)
def index(request, org_slug=None):
    organization = _org(org_slug)
    q = request.GET.get("q", "").strip()[:200]
    sort_key = request.GET.get("sort", "relevance" if q else "modified")
    sort_key = sort_key if sort_key in SORTS else "modified"
    chosen = []
    for field in search.FACET_FIELDS:
        for value in request.GET.getlist(field)[:5]:
            if value and '"' not in value:
                chosen.append((field, value))
    fq = " ".join(f'{field}:"{value}"' for field, value in chosen)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    facet_fields = [f for f in search.FACET_FIELDS if not (organization and f == "organization")]
    found = selectors.search_datasets(organization=organization, q=q, fq=fq, sort=SORTS[sort_key][0],
                                      start=(page - 1) * PAGE_SIZE, rows=PAGE_SIZE, facet_fields=facet_fields,
                                      kept=True)
    base = [("q", q)] if q else []
    base += [("sort", sort_key)] if sort_key != ("relevance" if q else "modified") else []
    facets = []
    english = _english_labels(found["facets"])
    for field in facet_fields:
        items = []
        for name, label, n in found["facets"][field][:12]:
            label = english.get((field, name), label)
            selected = (field, name) in chosen
            params = base + [p for p in chosen if p != (field, name)] + ([] if selected else [(field, name)])
            items.append({"name": name, "label": label, "count": n, "selected": selected,
                          "url": "?" + urlencode(params)})
        if items:
            facets.append({"field": field, "title": FACET_TITLES[field], "items": items})
    pages = (found["count"] + PAGE_SIZE - 1) // PAGE_SIZE
    page_url = lambda n: "?" + urlencode(base + chosen + [("page", n)])  # noqa: E731
    # The search box suggests words that find something here: the most used tags of what is published.
    words = [name for name, _label, _n in found["facets"].get("tags", [])[:2]] if not q else []
    placeholder = _("เช่น %(words)s") % {"words": " ".join(words)} if words else _("คำค้น เช่น ชื่อชุดข้อมูล")
    return render(request, "opendata/index.html", {
        "placeholder": placeholder,
        "organization": organization, "q": q, "found": found, "facets": facets, "sort_key": sort_key,
        "sorts": [(k, label) for k, (_s, label) in SORTS.items()], "chosen": chosen,
        "hidden": chosen, "page": page, "pages": pages,
        "prev_url": page_url(page - 1) if page > 1 else "", "next_url": page_url(page + 1) if page < pages else "",
        "catalog_ttl": reverse("opendata:catalog-ttl", args=[organization.slug]) if organization
        else reverse("opendata-catalog-ttl"),
    })


def _dataset(org_slug, name):
    organization = _org(org_slug)
    dataset = selectors.dataset_by_id_or_name(name, organization=organization)
    if dataset is None or dataset.name != name:
        raise Http404(_("ไม่พบชุดข้อมูล"))
    return organization, dataset


@require_GET
@anonymous_replica_reads  # a visitor's dataset page may be a moment old (portal.machinery.dbrouting)
def dataset(request, org_slug, name):
    organization, dataset = _dataset(org_slug, name)
    resources = []
    for resource in dataset.resources.all():
        info = {"resource": resource, "versions": resource.ordered_versions,
                "latest": resource.ordered_versions[0] if resource.ordered_versions else None,
                "url": "", "preview": ""}
        from .ckan import resource_dict

        info["url"] = resource_dict(request, resource, dataset)["url"]
        if resource.datastore_active:
            info["preview"] = "table"
        elif resource.format == "GeoJSON" and info["latest"]:
            info["preview"] = "map"
        info["chart"] = preview_chart_columns(resource)
        info["preview_url"] = reverse("opendata:preview", args=[organization.slug, dataset.name, resource.id])
        info["version_links"] = [
            (v, reverse("opendata:download-version", args=[organization.slug, dataset.name, resource.id, v.number,
                                                              v.original_name.replace("/", "_") or "file"]))
            for v in resource.ordered_versions]
        resources.append(info)
    api_base = request.build_absolute_uri(reverse("opendata-ckan-action", args=["package_show"]))
    first_table = next((r["resource"] for r in resources if r["preview"] == "table"), None)
    return render(request, "opendata/dataset.html", {
        "organization": organization, "dataset": dataset, "resources": resources,
        "schema_org": json.dumps(dcat.schema_org(request, dataset), ensure_ascii=False).replace("</", "<\\/"),
        "api_show": f"{api_base}?id={dataset.name}",
        "api_datastore": request.build_absolute_uri(reverse("opendata-ckan-action", args=["datastore_search"]))
        + f"?resource_id={first_table.id}&limit=5" if first_table else "",
        "tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "metadata": metadata_rows(dataset),
    })


# Shown only when filled in: the fields that only statistical datasets have, and the unit of collection.
OPTIONAL_ROWS = {"data_collect", "first_year_of_data", "last_year_of_data", "disaggregate", "unit_of_measure",
                 "unit_of_multiplier", "calculation_method", "standard"}


def metadata_rows(dataset):
    """The thai-gdc fields as (label, value) for the page."""
    from portal.thai import format_be_date

    fields = ["data_type", "data_type_other", "objective", "objective_other", "update_frequency_unit",
              "update_frequency_unit_other", "update_frequency_interval", "geo_coverage", "geo_coverage_other",
              "data_collect", "data_collect_other", "data_source", "data_format", "data_format_other",
              "data_category", "data_classification", "license_id", "license_id_other", "accessible_condition",
              "data_language", "data_language_other", "data_support", "data_support_other", "first_year_of_data",
              "last_year_of_data", "disaggregate", "unit_of_measure", "unit_of_multiplier", "calculation_method",
              "standard", "maintainer", "maintainer_email", "telephone_number"]
    rows = []
    for name in fields:
        field = Dataset._meta.get_field(name)
        display = getattr(dataset, f"get_{name}_display", None)
        value = display() if display else getattr(dataset, name)
        if isinstance(value, list):  # several-allowed thai-gdc fields: their labels in the page's language
            labels = getattr(field, "labels", {})
            value = ", ".join(str(labels.get(v, v)) for v in value)
        if not value and (name.endswith("_other") or name in OPTIONAL_ROWS):
            continue
        if isinstance(value, int) and name.endswith("_year_of_data"):
            value = str(value)  # a BE year, never "2,567"
        rows.append((field.verbose_name, value))
    for name in ("created_date", "last_updated_date"):
        value = getattr(dataset, name)
        rows.append((Dataset._meta.get_field(name).verbose_name, format_be_date(value) if value else ""))
    return rows


def preview_chart_columns(resource):
    """A time series chart when the table has a date/month column and a numeric column."""
    fields = resource.datastore_fields or []
    date = next((f["id"] for f in fields if f["type"] == "date"), None)
    values = [f["id"] for f in fields if f["type"] in ("int", "numeric")]
    if resource.datastore_active and date and values:
        return {"x": date, "y": values[0]}
    return None


@require_GET
@limited(PAGE_RATE, group="opendata-preview", per_organization=False, count="all", methods=("GET",))
def preview(request, org_slug, name, resource_id):
    """First 100 rows with column types (tables) or the GeoJSON itself (maps) for the page's previews."""
    from . import datastore

    organization, dataset = _dataset(org_slug, name)
    resource = next((r for r in dataset.resources.all() if r.id == resource_id), None)
    if resource is None:
        raise Http404(_("ไม่พบทรัพยากร"))
    if resource.datastore_active:
        result = datastore.search(resource, limit=datastore.PREVIEW_ROWS)
        chart = preview_chart_columns(resource)
        if chart:
            series = datastore.search(resource, fields=[chart["x"], chart["y"]], sort=f"{chart['x']} asc",
                                      limit=2000)
            result["chart"] = {**chart, "points": [[r[chart["x"]], r[chart["y"]]] for r in series["records"]]}
        return JsonResponse(result, json_dumps_params={"ensure_ascii": False})
    version = resource.ordered_versions[0] if resource.ordered_versions else None
    if resource.format == "GeoJSON" and version is not None:
        with version.file.open("rb") as handle:
            return HttpResponse(handle.read(), content_type="application/geo+json")
    raise Http404(_("ทรัพยากรนี้ไม่มีตัวอย่าง"))


def _serve(request, version, *, filename):
    from portal.outputs.files import serve_private

    return serve_private(request, version.file, filename=filename, as_attachment=True)


def _download(request, org_slug, name, resource_id, version=None):
    organization, dataset = _dataset(org_slug, name)
    resource = next((r for r in dataset.resources.all() if r.id == resource_id), None)
    if resource is None or not resource.ordered_versions:
        raise Http404(_("ไม่พบไฟล์"))
    chosen = resource.ordered_versions[0] if version is None else next(
        (v for v in resource.ordered_versions if v.number == version), None)
    if chosen is None:
        raise Http404(_("ไม่พบไฟล์ฉบับนี้"))
    services.count_download(resource=resource)
    return _serve(request, chosen, filename=chosen.original_name)


@require_GET
@limited(PAGE_RATE, group="opendata-download", per_organization=False, count="all", methods=("GET",))
def download(request, org_slug, name, resource_id, filename):
    return _download(request, org_slug, name, resource_id)


@require_GET
@limited(PAGE_RATE, group="opendata-download", per_organization=False, count="all", methods=("GET",))
def download_version(request, org_slug, name, resource_id, number, filename):
    return _download(request, org_slug, name, resource_id, version=number)


def _catalog_page(request, org_slug):
    """(organization, datasets of the page, paging) for the DCAT catalogue: 100 datasets a page (`?page=N`, from 1),
    latest change first, optionally only those changed since `modified_since` (ISO date), as ckanext-dcat pages."""
    import datetime as dt

    from django.db.models import Max
    from django.utils.dateparse import parse_datetime

    organization = _org(org_slug)
    qs = dcat.catalog_datasets(organization)
    since = request.GET.get("modified_since", "").strip()
    if since:
        try:
            moment = parse_datetime(since) or parse_datetime(since + "T00:00:00")
        except ValueError:
            moment = None
        if moment is None:
            raise Http404(_("modified_since ต้องเป็นวันที่แบบ ISO 8601"))
        qs = qs.filter(metadata_modified__gte=moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    ids = None
    if not since and page >= 1:
        # the whole catalogue, latest change first: its count and page from the search words' index, kept per
        # version like a search (the same datasets and order as `qs`), its latest change from the kept state
        found = selectors.search_page(organization=organization, sort="metadata_modified desc", harvest=True,
                                      start=(page - 1) * dcat.PAGE_SIZE, rows=dcat.PAGE_SIZE, kept=True)
        count, ids = found["count"], found["ids"]
    else:
        count = qs.count()
    last = max(1, -(-count // dcat.PAGE_SIZE))
    if not 1 <= page <= last:
        raise Http404(_("ไม่มีหน้านี้ในบัญชีข้อมูล"))
    base = dcat.base_url(request) + request.path

    def url(number):
        params = {"modified_since": since} if since else {}
        return base + "?" + urlencode({**params, "page": number})

    if ids is None:
        modified = qs.aggregate(m=Max("metadata_modified"))["m"]
        datasets = dcat.page_of(qs, (page - 1) * dcat.PAGE_SIZE, dcat.PAGE_SIZE)
    else:
        modified = selectors.catalog_state(organization)[1]["modified"]
        datasets = selectors.datasets_in_order(ids)
    paging = {"current": url(page), "first": url(1), "last": url(last), "count": count, "per_page": dcat.PAGE_SIZE,
              "next": url(page + 1) if page < last else None, "previous": url(page - 1) if page > 1 else None,
              "modified": modified}
    return organization, datasets, paging


def _catalog_state(request, org_slug=None):
    """What the catalogue page depends on, cheaply: the catalogue's version (every write it shows changes it), its
    datasets' count and latest change and the consents (kept per version, selectors.catalog_state), the URL and
    the base URL; the ETag and Last-Modified of conditional GET come from it (computed once a request: both ask)."""
    if not hasattr(request, "_catalog_state"):
        request._catalog_state = _compute_catalog_state(request, org_slug)
    return request._catalog_state


def _compute_catalog_state(request, org_slug=None):
    import hashlib

    version, state = selectors.catalog_state(_org(org_slug))
    moments = [m for m in (state["modified"], state["consent"]) if m]
    key = "|".join(str(v) for v in (version, state["n"], state["modified"], state["consent"],
                                    request.get_full_path(), dcat.base_url(request)))
    return hashlib.sha256(key.encode()).hexdigest()[:32], max(moments) if moments else None


def _etag(request, org_slug=None):
    return _catalog_state(request, org_slug)[0]


def _last_modified(request, org_slug=None):
    return _catalog_state(request, org_slug)[1]


@require_GET
@condition(etag_func=_etag, last_modified_func=_last_modified)
def catalog_turtle(request, org_slug=None):
    return HttpResponse(_catalog_body(request, org_slug, "turtle"), content_type="text/turtle; charset=utf-8")


@require_GET
@condition(etag_func=_etag, last_modified_func=_last_modified)
def catalog_jsonld(request, org_slug=None):
    return HttpResponse(_catalog_body(request, org_slug, "json-ld"), content_type="application/ld+json")


CATALOG_SECONDS = 600


def _catalog_body(request, org_slug, fmt):
    """A catalogue page serialised, kept under its ETag (what it depends on: the catalogue's version, count, latest
    change, consents, URL): building and serialising a hundred datasets' graph takes seconds, and harvesters ask
    for the same pages again. Every write through the services or a model's save changes the version, so the page
    is built again at once; writes that bypass both are seen within selectors.STATE_SECONDS."""
    from django.core.cache import cache

    key = f"opendata:catalog:{fmt}:{_etag(request, org_slug)}"
    body = cache.get(key)
    if body is None:
        organization, datasets, paging = _catalog_page(request, org_slug)
        graph = dcat.build_graph(request, datasets, organization=organization, paging=paging)
        body = graph.serialize(format=fmt, **({"auto_compact": True} if fmt == "json-ld" else {}))
        cache.set(key, body, CATALOG_SECONDS)
    return body
