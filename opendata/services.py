"""Writes of the catalogue: publishing, uploads (new immutable versions), the datastore, live feeds, staleness."""

import hashlib
import io
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import trail as audit
from portal.inputs import uploads

from . import datastore, search, workflow
from .models import Dataset, DatasetTerm, DatastoreRecord, Resource, ResourceVersion, SearchFacet, Tag
from .workflow import check_publishable

log = logging.getLogger(__name__)

FORMATS = {
    # format -> (mime type, file extension)
    "CSV": ("text/csv", "csv"),
    "XLSX": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "GEOJSON": ("application/geo+json", "geojson"),
    "JSON": ("application/json", "json"),
    "PDF": ("application/pdf", "pdf"),
}
DISPLAY_FORMAT = {"CSV": "CSV", "XLSX": "XLSX", "GEOJSON": "GeoJSON", "JSON": "JSON", "PDF": "PDF"}
TABULAR = ("CSV", "XLSX")
GEOJSON_TYPES = {"FeatureCollection", "Feature", "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                 "MultiPolygon", "GeometryCollection"}


def _require(actor, action, obj):
    from portal.access.permissions import require

    require(actor, action, obj)  # None or audit.system(...): the system itself (task, command)


# ---- the catalogue's version (selectors.catalogue_version) --------------------------------------------------------

def catalogue_changed(*, dataset_ids=(), shared=False, version=True) -> None:
    """New tokens for what changed: the catalogue's version (every kept search answer and DCAT state), the stamps
    of `dataset_ids` (their kept package dicts), with `shared` every package dict (an organization, a consent, a
    category or a tag changed). Again after the surrounding transaction commits: a request that read the old
    rows meanwhile kept its answer under a token nobody asks for after that."""
    from django.core.cache import cache

    from . import selectors

    stamp_keys = [selectors.STAMP_KEY.format(i) for i in dataset_ids if i is not None]

    def bump():
        if stamp_keys:
            cache.set_many({key: selectors.new_token() for key in stamp_keys}, selectors.STAMP_SECONDS)
        tokens = {}
        if version:
            tokens[selectors.VERSION_KEY] = selectors.new_token()
        if shared:
            tokens[selectors.SHARED_KEY] = selectors.new_token()
        if tokens:
            cache.set_many(tokens, None)

    bump()
    transaction.on_commit(bump)


def _dataset_saved(sender, instance, **kwargs):
    catalogue_changed(dataset_ids=[instance.pk])


def _resource_saved(sender, instance, **kwargs):
    catalogue_changed(dataset_ids=[instance.dataset_id])


def _version_saved(sender, instance, **kwargs):
    resource = Resource.objects.filter(pk=instance.resource_id).values_list("dataset_id", flat=True).first()
    catalogue_changed(dataset_ids=[resource], shared=resource is None)


def _shared_saved(sender, instance, **kwargs):
    catalogue_changed(shared=True)


def _labels_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A dataset's tags or categories set (from the dataset), or a tag's or category's datasets (from it)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        catalogue_changed(dataset_ids=[instance.pk])
    elif pk_set:
        catalogue_changed(dataset_ids=list(pk_set))
    else:  # a tag's or category's datasets all cleared: which ones is no longer known
        catalogue_changed(shared=True)


def watch_catalogue() -> None:
    """Every save and delete of what the catalogue shows changes its version (wired once, at start-up); writes with
    QuerySet.update() call catalogue_changed themselves (sync_terms, touch, reindex, count_download)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from portal.models import Organization

    from .models import Group, HarvestConsent

    for model, receiver in ((Dataset, _dataset_saved), (Resource, _resource_saved),
                            (ResourceVersion, _version_saved), (Organization, _shared_saved),
                            (HarvestConsent, _shared_saved), (Group, _shared_saved), (Tag, _shared_saved)):
        uid = f"opendata-version-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + "-delete")
    for through in (Dataset.tags.through, Dataset.groups.through):
        m2m_changed.connect(_labels_changed, sender=through, weak=False,
                            dispatch_uid=f"opendata-version-{through._meta.label_lower}")


# ---- search index -------------------------------------------------------------------------------------------------

def dataset_terms(dataset, tag_names=None) -> list[str]:
    tag_names = tag_names if tag_names is not None else [t.name for t in dataset.tags.all()]
    return search.dataset_words(title=dataset.title, notes=dataset.notes, name=dataset.name, tag_names=tag_names,
                                organization_names=[dataset.organization.name_th, dataset.organization.name_en])


def dataset_facet_ids(dataset) -> list[int]:
    """The SearchFacet ids of the dataset as it is in the database now (tags, categories, resource formats...)."""
    pairs = search.facet_pairs(
        organization_id=dataset.organization_id, tag_names=dataset.tags.values_list("name", flat=True),
        group_names=dataset.groups.values_list("name", flat=True),
        formats=dataset.resources.values_list("format", flat=True).distinct(),
        license_id=dataset.license_id, data_type=dataset.data_type)
    return sorted(search.facet_id_map(SearchFacet, pairs).values())


def reindex(dataset) -> None:
    """Rewrite the dataset's search words with its current state, organization, last change and facet values."""
    words = dataset_terms(dataset)
    dataset.search_text = " ".join(words)
    Dataset.objects.filter(pk=dataset.pk).update(search_text=dataset.search_text)
    DatasetTerm.objects.filter(dataset=dataset).delete()
    DatasetTerm.objects.bulk_create(term_rows(dataset, words, dataset_facet_ids(dataset)))
    catalogue_changed(dataset_ids=[dataset.pk])


def _listed(dataset) -> bool:
    """What the search words' `published` copy holds: published, by an organization that is active and has open
    data switched on."""
    from portal.selectors import service_is_off

    return (dataset.state == Dataset.State.PUBLISHED and dataset.organization.is_active
            and not service_is_off(dataset.organization_id, "opendata"))


def term_rows(dataset, words, facets) -> list[DatasetTerm]:
    title_words = search.title_words(dataset.title)
    listed = _listed(dataset)
    return [DatasetTerm(dataset_id=dataset.pk, term=w, organization_id=dataset.organization_id,
                        published=listed, modified=dataset.metadata_modified,
                        in_title=w in title_words, facets=facets) for w in [*words, search.EVERY]]


def sync_terms(dataset) -> None:
    """After a change of state, last change, tags, categories or resources: the copies on the search words follow."""
    DatasetTerm.objects.filter(dataset_id=dataset.pk).update(
        published=_listed(dataset), modified=dataset.metadata_modified,
        organization_id=dataset.organization_id, facets=dataset_facet_ids(dataset))
    catalogue_changed(dataset_ids=[dataset.pk])


def _relist(organization_id, listed: bool) -> None:
    """The organization's datasets leave (or rejoin) the search words' public copy in one UPDATE, so
    package_search answers without joining the organization or its set-up."""
    terms = DatasetTerm.objects.filter(organization_id=organization_id)
    if listed:
        published = Dataset.objects.filter(pk=OuterRef("dataset_id"), state=Dataset.State.PUBLISHED)
        terms.exclude(published=True).update(published=Exists(published))
    else:
        terms.filter(published=True).update(published=False)
    catalogue_changed(shared=True)  # after the words' copy: an answer computed from now on sees it


def organization_saved(sender, instance, **kwargs) -> None:
    """An organization deactivated (or active again): its datasets leave (or rejoin) the catalogue."""
    from portal.models import OrganizationSetup

    off = OrganizationSetup.objects.filter(organization_id=instance.pk).values_list("services_off", flat=True).first()
    _relist(instance.pk, instance.is_active and "opendata" not in (off or ()))


def setup_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """Open data switched off (or on again) in the organization's set-up: its datasets leave (or rejoin) the
    national catalogue's harvest, as when the organization is deactivated. Other set-up saves (a wizard step
    marked done) leave the catalogue alone."""
    from portal.models import Organization

    if update_fields is not None and "services_off" not in update_fields:
        return
    active = Organization.objects.filter(pk=instance.organization_id, is_active=True).exists()
    _relist(instance.organization_id, active and "opendata" not in (instance.services_off or ()))


def touch(dataset) -> None:
    now = timezone.now()
    Dataset.objects.filter(pk=dataset.pk).update(metadata_modified=now)
    dataset.metadata_modified = now
    sync_terms(dataset)


# ---- datasets -----------------------------------------------------------------------------------------------------

@transaction.atomic
def create_dataset(*, organization, name, title, actor=None, tags=(), groups=(), **fields) -> Dataset:
    dataset = Dataset(organization=organization, name=name, title=title, **fields)
    _require(actor, "add", dataset)
    dataset.full_clean()
    dataset.save()
    if tags:
        dataset.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
    if groups:
        dataset.groups.set(groups)
    reindex(dataset)
    audit.record(dataset, actor=actor, event="opendata.dataset.created", action=audit.Action.CREATE)
    return dataset


def missing_for_publish(dataset) -> list[str]:
    """The labels of the thai-gdc fields a dataset still needs before it can be published (empty: ready)."""
    return [label for _name, label in workflow.missing_for_publish(dataset)]


@transaction.atomic
def set_state(*, dataset, state, actor=None) -> Dataset:
    """Publish or unpublish, as the workflow allows. A dataset that is not public data (workflow.is_public_category)
    or lacks a thai-gdc field it needs is never published: the ValidationError says which fields."""
    _require(actor, "change", dataset)
    workflow.check(dataset.state, state)
    if state == workflow.State.PUBLISHED:
        check_publishable(dataset)
        missing = missing_for_publish(dataset)
        if missing:
            raise ValidationError(_("ยังเผยแพร่ไม่ได้ ต้องกรอก: %(fields)s") % {"fields": ", ".join(missing)})
    previous, dataset.state = dataset.state, state
    dataset.metadata_modified = timezone.now()
    dataset.save(update_fields=["state", "metadata_modified"])
    sync_terms(dataset)
    audit.record(dataset, actor=actor, changes={"state": [previous, state]},
                 event="opendata.dataset.published" if state == workflow.State.PUBLISHED
                 else "opendata.dataset.unpublished")
    return dataset


def publish(*, dataset, actor=None):
    return set_state(dataset=dataset, state=workflow.State.PUBLISHED, actor=actor)


def unpublish(*, dataset, actor=None):
    return set_state(dataset=dataset, state=workflow.State.DRAFT, actor=actor)


# ---- uploads ------------------------------------------------------------------------------------------------------

def detect_format(data: bytes) -> str | None:
    """What the content is, whatever the file is called: CSV, XLSX, GeoJSON, JSON or PDF (None: none of these)."""
    if data.startswith(b"%PDF-"):
        return "PDF"
    if data.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        return "XLSX" if "xl/workbook.xml" in names else None
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        try:
            value = json.loads(data.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            return None
        if isinstance(value, dict) and value.get("type") in GEOJSON_TYPES:
            return "GEOJSON"
        return "JSON"
    try:  # the head only: the whole table is read by the DataStore's background job
        header, rows = datastore.read_csv(_head(data))
    except datastore.NotATable:
        return None
    if len(header) >= 2 or rows:
        return "CSV"
    return None


def _head(data: bytes, size: int = 65536) -> bytes:
    """The first `size` bytes of a text file, ending at a line's end when the file is longer."""
    if len(data) <= size:
        return data
    head = data[:size]
    return head[:head.rfind(b"\n") + 1] or head


def check_upload(*, data: bytes, declared_format: str = "", filename: str = "") -> str:
    """The upload's format, checked by content and size; ValidationError with a Thai message otherwise."""
    limit = uploads.max_upload_bytes()
    if len(data) > limit:
        raise ValidationError(_("ไฟล์ใหญ่เกินไป (%(size)s MB) อัปโหลดได้ไม่เกิน %(max)s MB")
                              % {"size": f"{len(data) / 1048576:.1f}", "max": f"{limit / 1048576:.0f}"})
    if not data:
        raise ValidationError(_("ไฟล์ว่างเปล่า"))
    detected = detect_format(data)
    declared = (declared_format or "").strip().upper()
    if not declared and "." in filename:
        extension = filename.rsplit(".", 1)[-1].upper()
        declared = {"XLS": "XLSX", "TXT": "CSV"}.get(extension, extension)
    if detected is None:
        raise ValidationError(_("ไม่รู้จักเนื้อไฟล์ รับเฉพาะ CSV, XLSX, GeoJSON, JSON และ PDF"))
    if declared and declared in FORMATS and declared != detected and not (declared == "JSON" and detected == "GEOJSON"):
        raise ValidationError(_("ไฟล์นี้ไม่ใช่ %(declared)s ตามที่ระบุ เนื้อไฟล์เป็น %(detected)s")
                              % {"declared": DISPLAY_FORMAT.get(declared, declared),
                                 "detected": DISPLAY_FORMAT[detected]})
    # A workbook's cells are read by the DataStore's background job (load_version), not here: in the request only
    # its structure (detect_format) and size are checked.
    return detected


@transaction.atomic
def add_version(*, resource, data: bytes, filename: str, actor=None, checked_format: str | None = None,
                records=None, fields=None) -> ResourceVersion:
    """Store an upload as the resource's next version (older versions stay downloadable) and reload the
    datastore when it is a table."""
    _require(actor, "change", resource)
    detected = checked_format or check_upload(data=data, declared_format=resource.format, filename=filename)
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    number = (resource.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    mime, extension = FORMATS[detected]
    base = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or f"file.{extension}"
    version = ResourceVersion(resource=resource, number=number, original_name=base, mimetype=mime, size=len(data),
                              sha256=hashlib.sha256(data).hexdigest(), created_by=audit.person(actor))
    version.file.save(f"upload.{extension}", ContentFile(data), save=False)
    version.save()
    version.datastore_job = None
    now = timezone.now()
    resource.format = DISPLAY_FORMAT[detected]
    resource.last_modified = now
    resource._latest_version = version
    resource.save(update_fields=["format", "last_modified"])
    if records is not None:  # a live feed: the declared types, not ones guessed back from the CSV
        _store_records(resource=resource, fields=fields, records=records)
    else:
        version.datastore_job = _load_later(resource=resource, version=version, fmt=detected, actor=actor)
    dataset = resource.dataset
    dataset.metadata_modified = now
    dataset.last_updated_date = timezone.localdate()
    dataset.save(update_fields=["metadata_modified", "last_updated_date"])
    sync_terms(dataset)
    audit.record(resource, actor=actor, event="opendata.resource.version_added",
                 data={"version": number, "sha256": version.sha256, "datastore": resource.datastore_active})
    return version


@transaction.atomic
def add_resource(*, dataset, name, actor=None, data: bytes | None = None, filename="", url="", description="",
                 declared_format="", data_dictionary=None) -> Resource:
    detected = None
    if data is not None:
        detected = check_upload(data=data, declared_format=declared_format, filename=filename)
    position = dataset.resources.count()
    resource = Resource(dataset=dataset, name=name, description=description, url=url, position=position,
                        format=DISPLAY_FORMAT.get(detected, declared_format), data_dictionary=data_dictionary or [])
    _require(actor, "add", resource)
    resource.save()
    audit.record(resource, actor=actor, event="opendata.resource.added", action=audit.Action.CREATE)
    resource.datastore_job = None
    if data is not None:
        version = add_version(resource=resource, data=data, filename=filename, actor=actor, checked_format=detected)
        resource.datastore_job = version.datastore_job
    else:
        touch(dataset)
    return resource


def _load_later(*, resource, version, fmt: str, actor=None):
    """A table goes into the DataStore in a background job (the bounded reader's limits apply there), never in
    the request; until it is read the resource's DataStore is off. Returns the job (None: not a table)."""
    from django.utils.translation import get_language

    from portal.machinery import jobs

    if fmt.upper() not in TABULAR:
        _load_datastore(resource=resource, data=b"", fmt=fmt)
        return None
    DatastoreRecord.objects.filter(resource=resource).delete()
    Resource.objects.filter(pk=resource.pk).update(datastore_active=False, datastore_fields=[], datastore_error="")
    resource.datastore_active, resource.datastore_fields, resource.datastore_error = False, [], ""
    return jobs.enqueue(kind="opendata.datastore_load", organization=resource.dataset.organization, actor=actor,
                        params={"resource": str(resource.pk), "version": str(version.pk), "format": fmt,
                                "language": get_language()})


def load_version(*, resource_id, version_id, fmt: str, actor=None) -> bool | None:
    """The background half of an upload: the version's table into the DataStore. None when the resource or the
    version is gone or a newer version was uploaded meanwhile (its own job loads it); False when the file is not
    a readable table (the reason is on the resource, shown to staff)."""
    with transaction.atomic():
        resource = Resource.objects.select_for_update().filter(pk=resource_id).first()
        latest = resource and resource.versions.order_by("-number").first()
        if latest is None or str(latest.pk) != str(version_id):
            return None
        with latest.file.open("rb") as stored:
            data = stored.read()
        loaded = _load_datastore(resource=resource, data=data, fmt=fmt)
        touch(resource.dataset)
        audit.record(resource, actor=actor, event="opendata.resource.datastore_loaded",
                     data={"version": latest.number, "loaded": loaded, "error": resource.datastore_error})
    catalogue_changed(dataset_ids=[resource.dataset_id])
    return loaded


def _load_datastore(*, resource, data: bytes, fmt: str) -> bool:
    """Replace the resource's datastore rows with the table in `data`; a file that is not a table leaves the
    datastore off with the reason recorded (shown to staff)."""
    DatastoreRecord.objects.filter(resource=resource).delete()
    if fmt.upper() not in TABULAR:
        Resource.objects.filter(pk=resource.pk).update(datastore_active=False, datastore_fields=[], datastore_error="")
        resource.datastore_active = False
        return False
    try:
        fields, records = datastore.table(data, fmt)
    except datastore.NotATable as exc:
        Resource.objects.filter(pk=resource.pk).update(datastore_active=False, datastore_fields=[],
                                                       datastore_error=str(exc)[:500])
        resource.datastore_active, resource.datastore_error = False, str(exc)[:500]
        return False
    _store_records(resource=resource, fields=fields, records=records)
    return True


def _store_records(*, resource, fields, records) -> None:
    DatastoreRecord.objects.filter(resource=resource).delete()
    batch = []
    for i, record in enumerate(records, start=1):
        batch.append(DatastoreRecord(resource=resource, row=i, data=record))
        if len(batch) >= 2000:
            DatastoreRecord.objects.bulk_create(batch)
            batch = []
    DatastoreRecord.objects.bulk_create(batch)
    Resource.objects.filter(pk=resource.pk).update(datastore_active=True, datastore_fields=fields, datastore_error="")
    resource.datastore_active, resource.datastore_fields, resource.datastore_error = True, fields, ""


def count_download(*, resource) -> None:
    """One more download of the resource and of its dataset (atomic increments, no read-modify-write)."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    Dataset.objects.filter(pk=resource.dataset_id).update(download_count=F("download_count") + 1)
    # the resource's count is in its dataset's package dict; no search answer or DCAT page shows it
    catalogue_changed(dataset_ids=[resource.dataset_id], version=False)


# ---- staleness ----------------------------------------------------------------------------------------------------

def notify_stale(*, now=None, actor=None) -> list[Dataset]:
    """Flag published datasets past their update frequency and tell each maintainer once per period, through the
    notification outbox (the row is written with the flag; delivery happens after commit). `actor` is the beat
    task that runs it."""
    from django.urls import reverse

    from portal.notifications.services import notify
    from portal.thai import format_be_date

    from .selectors import stale_datasets

    now = now or timezone.now()
    notified = []
    for dataset in stale_datasets():
        period = dataset.update_period()
        if dataset.stale_notified_at and dataset.stale_notified_at + period > now:
            continue
        recipient = dataset.maintainer_email or dataset.organization.email
        base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
        last = dataset.last_updated_date or timezone.localdate(dataset.metadata_modified)
        with transaction.atomic():
            Dataset.objects.filter(pk=dataset.pk).update(stale_notified_at=now)
            audit.record(dataset, actor=actor, event="opendata.dataset.stale_notified")
            notify(organization=dataset.organization, event="opendata_stale", channel="email", recipient=recipient,
                   related=dataset, context={
                       "title": dataset.title, "organization": dataset.organization.name_th,
                       "interval": dataset.update_frequency_interval,
                       "unit": dataset.get_update_frequency_unit_display(),
                       "last_updated": format_be_date(last),
                       "url": base + dataset.get_absolute_url(),
                       "admin_url": base + reverse("admin:opendata_dataset_change", args=[dataset.pk]),
                   })
        notified.append(dataset)
    return notified
