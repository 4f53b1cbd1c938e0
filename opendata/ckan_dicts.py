"""The CKAN Action API's dicts (package, resource, organization, group, as CKAN 2.10 gives them, with the thai-gdc
keys), and package_search's package dicts kept in the cache as JSON texts (kept_package_dicts). opendata.ckan
answers with them; the DCAT pages and the dataset page use resource_dict too."""

import datetime as dt
import json
import threading
import uuid
from collections import OrderedDict

from django.urls import reverse
from django.utils import timezone

from portal.machinery.dbrouting import primary

from . import selectors
from .models import thai_gdc


def iso(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value, dt.UTC).replace(tzinfo=None)
    return value.isoformat()


def organization_uuid(organization) -> str:
    """A stable UUID for an organization (CKAN ids are UUIDs; the database key is not published)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"organization:{organization.slug}"))


def absolute(request, path: str) -> str:
    """An absolute URL on PORTAL_BASE_URL when it is set (never from the request's Host header), else on the
    request's own address (development)."""
    from django.conf import settings

    configured = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    if configured and path.startswith("/"):
        return configured + path
    return request.build_absolute_uri(path)


def organization_dict(request, org, *, package_count=None):
    result = {
        "id": organization_uuid(org),
        "name": org.slug,
        "title": org.name_th,
        "display_name": org.name,
        "description": " ".join(filter(None, [org.subdistrict, org.district, org.province])),
        "image_url": absolute(request, org.logo.url) if org.logo else "",
        "created": None,
        "is_organization": True,
        "type": "organization",
        "state": "active" if org.is_active else "deleted",
        "approval_status": "approved",
        "title_en": org.name_en,
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_dict(group, *, package_count=None):
    result = {
        "id": str(group.id), "name": group.name, "title": group.title_th, "display_name": group.title,
        "description": group.description, "image_display_url": "", "image_url": "", "type": "group",
        "is_organization": False, "state": "active", "approval_status": "approved", "created": iso(group.created),
        "title_en": group.title_en,
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def resource_dict(request, resource, dataset=None):
    dataset = dataset or resource.dataset
    versions = getattr(resource, "ordered_versions", None)
    latest = versions[0] if versions else (resource.latest_version if versions is None else None)
    if resource.url:
        url = resource.url
    elif latest is not None:
        url = absolute(request, reverse("opendata:download", args=[
            dataset.organization.slug, dataset.name, resource.id, download_name(resource, latest)]))
    else:
        url = ""
    return {
        "id": str(resource.id),
        "package_id": str(dataset.id),
        "url": url,
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "mimetype": latest.mimetype if latest else None,
        "size": latest.size if latest else None,
        "hash": f"sha256:{latest.sha256}" if latest else "",
        "created": iso(resource.created),
        "last_modified": iso(latest.created if latest else resource.last_modified),
        "metadata_modified": iso(resource.last_modified),
        "position": resource.position,
        "state": "active",
        "resource_type": None,
        "url_type": resource.url_type,
        "datastore_active": resource.datastore_active,
        "version": latest.number if latest else None,
        "download_count": resource.download_count,
    }


def download_name(resource, version) -> str:
    extension = version.original_name.rsplit(".", 1)[-1].lower() if "." in version.original_name else "bin"
    return f"{resource.id}-v{version.number}.{extension}"


def harvestable(dataset) -> bool:
    """The dataset's own allow_harvest, unless its organization said no to harvesting (HarvestConsent)."""
    from .models import HarvestConsent

    try:
        consent = dataset.organization.harvest_consent
    except HarvestConsent.DoesNotExist:
        consent = None
    return dataset.allow_harvest and (consent is None or consent.allow_harvest)


def package_dict(request, dataset):
    tags = [{"name": t.name, "display_name": t.name, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"tag:{t.name}")),
             "state": "active", "vocabulary_id": None} for t in dataset.tags.all()]
    groups = [group_dict(g) for g in dataset.groups.all()]
    resources = [resource_dict(request, r, dataset) for r in dataset.resources.all()]
    org = dataset.organization
    result = {
        "id": str(dataset.id),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "type": "dataset",
        "state": "active",
        "private": not dataset.is_published,
        "license_id": dataset.license_id,
        "license_title": dataset.license_title,
        "license_url": dataset.license_url,
        "isopen": dataset.isopen,
        "tags": tags,
        "num_tags": len(tags),
        "groups": groups,
        "owner_org": organization_uuid(org),
        "organization": organization_dict(request, org),
        "resources": resources,
        "num_resources": len(resources),
        "metadata_created": iso(dataset.metadata_created),
        "metadata_modified": iso(dataset.metadata_modified),
        "author": org.name_th,
        "author_email": org.email,
        "maintainer": dataset.maintainer,
        "maintainer_email": dataset.maintainer_email,
        "url": absolute(request, dataset.get_absolute_url()),
        "version": None,
        "extras": [],
        "created_date": dataset.created_date.isoformat() if dataset.created_date else None,
        "last_updated_date": dataset.last_updated_date.isoformat() if dataset.last_updated_date else None,
        "allow_harvest": "True" if harvestable(dataset) else "False",
        "live": bool(dataset.feed_name),
    }
    result.update(thai_gdc.api_values(dataset))  # the thai-gdc keys: opendata.models.thai_gdc.API_KEYS
    return result


PACKAGE_SECONDS = 300
LOCAL_PACKAGES = 2000  # texts this process keeps too (about 4 KB each): a page is not 400 KB from Redis each time
_local_packages: "OrderedDict[str, str]" = OrderedDict()
_local_lock = threading.Lock()


class KeptJSON(list):
    """A JSON array given as its items' JSON texts, put into the answer as they are (_json_response)."""


class KeptResult(str):
    """A whole `result` given as its JSON text, put into the answer as it is (_json_response)."""


def _dumps(value) -> str:
    """As JsonResponse writes its body (DjangoJSONEncoder, non-ASCII as is), so kept texts join into the same bytes."""
    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def _kept_for(request) -> str:
    """What a kept answer built for this request depends on besides the data: its base URL and language."""
    import hashlib

    from django.utils.translation import get_language

    return hashlib.sha256(f"{absolute(request, '/')}|{get_language()}".encode()).hexdigest()[:16]


def kept_package_dicts(request, ids) -> KeptJSON:
    """package_dict() of the datasets `ids`, in that order, as JSON texts, each kept in the shared cache under its
    dataset's stamp and the shared part's token (selectors.dataset_stamps), the page's language and base URL: a
    page of a hundred datasets is read from the cache as text, not from the database, built and serialised again
    (300-600 ms under load), nor unpickled as dicts and encoded again. A dataset whose stamp changed is read and
    serialised again, alone. Writes that bypass the services and the model signals are seen within
    PACKAGE_SECONDS."""
    from django.core.cache import cache

    if not ids:
        return KeptJSON()
    shared, stamps = selectors.dataset_stamps(ids)
    where = _kept_for(request)
    keys = {i: f"opendata:package:{i}:{stamps[i]}:{shared}:{where}" for i in ids}
    with _local_lock:  # a key names its dataset's stamp: a text kept here under it is never out of date
        found = {key: _local_packages[key] for key in keys.values() if key in _local_packages}
        for key in found:
            _local_packages.move_to_end(key)
    shared_found = cache.get_many([key for key in keys.values() if key not in found])
    found.update(shared_found)
    missing = [i for i in ids if keys[i] not in found]
    built = {}
    if missing:
        with primary():  # kept for every node: never from a lagging replica (portal.machinery.dbrouting)
            built = {keys[d.pk]: _dumps(package_dict(request, d)) for d in selectors.datasets_in_order(missing)}
        cache.set_many(built, PACKAGE_SECONDS)
        found.update(built)
    with _local_lock:
        for key in (*shared_found, *built):
            _local_packages[key] = found[key]
        while len(_local_packages) > LOCAL_PACKAGES:
            _local_packages.popitem(last=False)
    return KeptJSON(found[keys[i]] for i in ids if keys[i] in found)
