"""Live datasets: every data feed the service apps declare on the app registry, turned into a published dataset
per organization with one CSV resource (a new version when the figures change) and its datastore table.

Runs in a Celery task per organization (beat, or on demand through a background job), never in a web request.
"""

import datetime as dt
import hashlib
import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import override

from portal.audit import trail as audit
from portal.outputs.exports import csv_bytes
from portal.thai import be_year

from . import datastore, services
from .models import Dataset, FeedSource, Group, Resource, ThaiGdc

log = logging.getLogger(__name__)

FIELD_TYPES = {"text": "text", "integer": "int", "numeric": "numeric", "date": "date", "month": "date"}
GROUP_TITLES = {
    "complaints": ("เรื่องร้องเรียน", "Complaints"),
    "budget": ("งบประมาณและการเงิน", "Budget and finance"),
    "services": ("บริการประชาชน", "Public services"),
    "tax": ("ภาษีและรายได้", "Tax and revenue"),
}


class FeedError(ValueError):
    pass


def place_name(organization) -> str:
    """The organization's area in words, for thai-gdc's geo_coverage_other (geo_coverage is เทศบาล/อบต.)."""
    return " ".join(filter(None, [organization.name_th,
                                  f"ตำบล{organization.subdistrict}" if organization.subdistrict else "",
                                  f"อำเภอ{organization.district}" if organization.district else "",
                                  f"จังหวัด{organization.province}" if organization.province else ""]))[:300]


def all_feeds():
    from portal.registry import data_feeds

    return list(data_feeds())


def _cell(value, kind):
    if value is None:
        return None
    if kind == "integer":
        return int(value)
    if kind == "numeric":  # a JSON number in the datastore, as CKAN's DataStore answers numbers
        return datastore.json_number(value if isinstance(value, Decimal) else Decimal(str(value)))
    if kind == "month":
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else str(value)[:7]
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return str(value)


def feed_table(feed, organization) -> tuple[list[dict], list[dict]]:
    """(datastore fields, records) of one feed for one organization. A row with a key the feed did not declare
    is refused: whatever is not in the data dictionary (personal data included) never leaves the service."""
    if feed.update_frequency_unit not in ThaiGdc.FrequencyUnit.values:
        raise FeedError(f"{feed.name}: update_frequency_unit must be a thai-gdc value, not {feed.update_frequency_unit!r}")
    names = [f.name for f in feed.fields]
    kinds = {f.name: f.type for f in feed.fields}
    records = []
    for row in feed.rows(organization):
        extra = set(row) - set(names)
        if extra:
            raise FeedError(f"{feed.name}: undeclared field(s) {sorted(extra)}")
        records.append({name: _cell(row.get(name), kinds[name]) for name in names})
    fields = [{"id": f.name, "type": FIELD_TYPES.get(f.type, "text")} for f in feed.fields]
    return fields, records


def _dictionary(feed):
    with override("th"):
        return [{"name": f.name, "type": f.type, "unit": str(f.unit), "description": str(f.description)}
                for f in feed.fields]


def _statistics(feed, records) -> tuple[dict, str]:
    """thai-gdc's statistical fields a feed answers by itself: ({first/last year of data}, its figures' units), the
    years (Buddhist era) those its month and date columns cover, none when it has no such column or no rows."""
    dated = [f.name for f in feed.fields if f.type in ("month", "date")]
    years = [int(text[:4]) for r in records for name in dated if (text := str(r.get(name) or ""))[:4].isdigit()]
    values = {"first_year_of_data": be_year(min(years)), "last_year_of_data": be_year(max(years))} if years else {}
    with override("th"):
        units = dict.fromkeys(str(f.unit) for f in feed.fields if f.type in ("integer", "numeric") and f.unit)
    return values, ", ".join(units)[:200]


def _group(category):
    if not category:
        return None
    title_th, title_en = GROUP_TITLES.get(category, (category, category))
    group, _ = Group.objects.get_or_create(name=slugify(category)[:100] or "other",
                                           defaults={"title_th": title_th, "title_en": title_en})
    return group


@transaction.atomic
def refresh_feed(*, organization, feed, now=None, actor=None) -> Dataset | None:
    """Create or update the organization's dataset for `feed`. Nothing is created for a feed without rows.

    A refresh that created the dataset, renamed it or added a version writes one audit row naming `actor` (the
    beat task by default); the hourly date stamp alone is not recorded."""
    now = now or timezone.now()
    actor = actor or audit.system("task:opendata-refresh")
    changes = {}
    fields, records = feed_table(feed, organization)
    dataset = Dataset.objects.filter(organization=organization, feed_name=feed.name).first()
    if dataset is None and not records:
        return None
    with override("th"):
        title, description = str(feed.title), str(feed.description)
    years, units = _statistics(feed, records)
    if dataset is None:
        dataset = services.create_dataset(
            organization=organization, name=f"{organization.slug}-{feed.name}"[:100], title=title, notes=description,
            data_type=Dataset.DataType.STATISTICAL, objective=[ThaiGdc.Objective.PUBLIC_SERVICE,
                                                              ThaiGdc.Objective.MISSION],
            update_frequency_unit=feed.update_frequency_unit, update_frequency_interval=feed.update_frequency_interval,
            geo_coverage=ThaiGdc.GeoCoverage.LOCAL_GOVERNMENT, geo_coverage_other=place_name(organization),
            data_source=f"ระบบบริการ{organization.name_th}", data_format=[ThaiGdc.DataFormat.CSV],
            data_language=[ThaiGdc.Language.THAI], maintainer=organization.name_th,
            # thai-gdc needs a contact address to publish: the organization's, else the portal's sender address
            maintainer_email=organization.email or settings.DEFAULT_FROM_EMAIL, telephone_number=organization.phone,
            created_date=timezone.localdate(now), tags=feed.tags, actor=actor,
            # aggregates: no unit of collection (no person, household...), the figures as counted, not scaled
            data_collect=ThaiGdc.DataCollect.NONE, unit_of_measure=units, unit_of_multiplier="หน่วย", **years,
            groups=[g for g in [_group(feed.category)] if g])
        Dataset.objects.filter(pk=dataset.pk).update(feed_name=feed.name)
        dataset.feed_name = feed.name
        changes["created"] = True
        services.publish(dataset=dataset, actor=actor)  # aggregates only: public by construction; staff may unpublish
    elif dataset.title != title or dataset.notes != description:
        Dataset.objects.filter(pk=dataset.pk).update(title=title, notes=description)
        changes["title"] = [dataset.title, title]
        dataset.title, dataset.notes = title, description
        services.reindex(dataset)
    resource = dataset.resources.first()
    if resource is None:
        resource = Resource.objects.create(dataset=dataset, name=f"{title} (CSV)", format="CSV",
                                           description="ตารางข้อมูลปรับปรุงอัตโนมัติ")
    Resource.objects.filter(pk=resource.pk).update(data_dictionary=_dictionary(feed))
    data = csv_bytes([f["id"] for f in fields], ([r[f["id"]] for f in fields] for r in records),
                     lineterminator="\n")
    latest = resource.versions.order_by("-number").first()
    if latest is None or latest.sha256 != hashlib.sha256(data).hexdigest():
        version = services.add_version(resource=resource, data=data, filename=f"{feed.name}.csv",
                                       checked_format="CSV", records=records, fields=fields, actor=actor)
        changes["version"] = getattr(version, "number", None)
    Dataset.objects.filter(pk=dataset.pk).update(last_updated_date=timezone.localdate(now), metadata_modified=now,
                                                 **years)
    dataset.metadata_modified = now
    services.sync_terms(dataset)
    if changes:
        audit.record(dataset, actor=actor, event="opendata.dataset.refreshed", changes=changes,
                     data={"feed": feed.name})
    return dataset


def refresh_organization(organization, *, feeds=None, progress=None, only_changed=False) -> list[str]:
    """The organization's feeds (every one, or with `only_changed` those whose source rows changed since their last
    refresh); a failing feed is logged and does not stop the others, and its sources stay due."""
    feeds = all_feeds() if feeds is None else feeds
    digests = source_digests(feeds)
    versions, due = _source_state(organization.pk, digests)
    chosen = [f for f in feeds if not f.sources or set(f.sources) & due] if only_changed else feeds
    done, failed = [], set()
    for i, feed in enumerate(chosen, start=1):
        try:
            if refresh_feed(organization=organization, feed=feed) is not None:
                done.append(feed.name)
        except Exception:
            failed.update(feed.sources)
            log.exception("open-data feed %s failed for %s", feed.name, organization.slug)
        if progress:
            progress(i, len(chosen))
    refreshed = {source for feed in chosen for source in feed.sources} - failed
    _mark_refreshed(organization.pk, {s: versions[s] for s in refreshed}, digests)
    return done


# ---- what changed since the last refresh ---------------------------------------------------------------------------
# Each feed names the models it reads (DataFeed.sources). Every committed write to one of them bumps
# FeedSource.version for its organization (portal.machinery.changes -> note_changes); a refresh first reads the
# versions, then the rows, then records the versions it started from as `refreshed`. A write that lands during a
# refresh therefore leaves its source due for the next one; nothing is missed, at worst refreshed twice.

def feed_digest(feed) -> str:
    """A short digest of what a feed publishes (name, fields, titles, frequency, sources): a deployment that
    changes a feed makes every organization's sources of it due once."""
    with override("th"):
        text = repr((feed.name, str(feed.title), str(feed.description), feed.category, tuple(feed.tags),
                     feed.update_frequency_unit, feed.update_frequency_interval, tuple(sorted(feed.sources)),
                     tuple((f.name, f.type, str(f.unit), str(f.description)) for f in feed.fields)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def source_digests(feeds) -> dict[str, str]:
    """{source model label: digest of every feed that reads it}."""
    readers: dict[str, list[str]] = {}
    for feed in feeds:
        for source in feed.sources:
            readers.setdefault(source, []).append(feed_digest(feed))
    return {source: hashlib.sha256("".join(sorted(d)).encode()).hexdigest()[:16] for source, d in readers.items()}


def _source_state(organization_id, digests) -> tuple[dict[str, int], set[str]]:
    """({source: version now}, {sources due}): due when written since the last refresh, never refreshed, or read
    by feeds declared differently since."""
    rows = {r.source: r for r in FeedSource.objects.filter(organization_id=organization_id, source__in=digests)}
    versions = {s: rows[s].version if s in rows else 0 for s in digests}
    due = {s for s, digest in digests.items()
           if s not in rows or rows[s].version != rows[s].refreshed or rows[s].definition != digest}
    return versions, due


def _mark_refreshed(organization_id, versions: dict[str, int], digests: dict[str, str]) -> None:
    now = timezone.now()
    for source, version in versions.items():
        if not FeedSource.objects.filter(organization_id=organization_id, source=source).update(
                refreshed=version, definition=digests[source], refreshed_at=now):
            FeedSource.objects.bulk_create([FeedSource(organization_id=organization_id, source=source,
                                                       definition=digests[source], refreshed_at=now)],
                                           ignore_conflicts=True)


def note_changes(sender, organization_ids, **kwargs) -> None:
    """portal.machinery.changes.rows_changed: rows of `sender` changed for these organizations (after commit)."""
    source = sender._meta.label
    if source not in watched_sources():
        return
    ids = set(organization_ids)
    bumped = FeedSource.objects.filter(organization_id__in=ids, source=source).update(version=F("version") + 1)
    if bumped < len(ids):
        have = set(FeedSource.objects.filter(organization_id__in=ids, source=source)
                   .values_list("organization_id", flat=True))
        FeedSource.objects.bulk_create([FeedSource(organization_id=i, source=source, version=1) for i in ids - have],
                                       ignore_conflicts=True)
        # a row made meanwhile by a refresh that started before this write: bump it too
        FeedSource.objects.filter(organization_id__in=ids - have, source=source, version=0).update(version=1)


_watched: frozenset[str] | None = None


def watched_sources() -> frozenset[str]:
    """Every model a feed reads (the feeds are declared once, at start-up: kept, as every write asks)."""
    global _watched
    if _watched is None:
        _watched = frozenset(source for feed in all_feeds() for source in feed.sources)
    return _watched


# The safety net under the change notices: a write no signal saw (raw SQL, a restore, a notice lost between the
# commit and its hook) would leave a feed behind for good. So every organization is also refreshed whole once a day
# (when a source of it was last read more than CHECK_AGE_HOURS ago), in its own hour of the day (check_hour). Beat's
# slices take the organizations by id modulo their number, the hours by the id's quotient: each 5-minute run gets a
# twenty-fourth of its slice, not a whole hour's share in one run.
CHECK_AGE_HOURS = 20


def check_hour(organization_id: int, slots: int) -> int:
    """The local hour of the day in which the organization's daily whole refresh falls, 0-23."""
    return (organization_id // slots) % 24


def overdue_for_check(organization_ids, now=None, *, slots: int = 12) -> list[int]:
    """Those of these organizations whose hour of the day this is and one of whose feed sources was last read more
    than CHECK_AGE_HOURS ago (or never, on a row a change notice made): to be refreshed whole. One query."""
    now = now or timezone.now()
    hour = timezone.localtime(now).hour
    mine = [i for i in organization_ids if check_hour(i, slots) == hour]
    if not mine:
        return []
    old = Q(refreshed_at__lt=now - dt.timedelta(hours=CHECK_AGE_HOURS)) | Q(refreshed_at__isnull=True)
    found = set(FeedSource.objects.filter(old, organization_id__in=mine).values_list("organization_id", flat=True))
    return [i for i in mine if i in found]


def organizations_due(organization_ids) -> tuple[list[int], list[int]]:
    """(due, unchanged) among these organizations: due when one of its feeds' sources is (see _source_state), or a
    feed names no sources. Two queries for any number of organizations."""
    feeds = all_feeds()
    ids = list(organization_ids)
    if any(not feed.sources for feed in feeds):
        return ids, []
    digests = source_digests(feeds)
    current = Q(pk__in=[])
    for source, digest in digests.items():
        current |= Q(source=source, definition=digest)
    fresh = set(FeedSource.objects.filter(current, organization_id__in=ids, version=F("refreshed"))
                .values("organization_id").annotate(n=Count("pk")).filter(n=len(digests))
                .values_list("organization_id", flat=True))
    return [i for i in ids if i not in fresh], [i for i in ids if i in fresh]


def confirm_current(organization_ids, *, today=None) -> int:
    """The live datasets of organizations whose sources did not change are still current: their date stamp
    (thai-gdc's last_updated_date, which the staleness check reads) moves to today, once a day, in one UPDATE."""
    today = today or timezone.localdate()
    return (Dataset.objects.filter(organization_id__in=list(organization_ids), last_updated_date__lt=today)
            .exclude(feed_name="").update(last_updated_date=today))
