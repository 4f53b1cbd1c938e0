"""Reads, with their joins declared, so query counts stay flat."""

import datetime as dt
import math
import statistics

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from portal.machinery.cache import Memo
from portal.models import Department, Organization
from portal.outputs import codes

from . import workflow
from .models import Category, Complaint, ComplaintPhoto, ComplaintUpdate

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def public_categories(organization):
    return Category.objects.filter(organization=organization, is_active=True, is_protected=False).order_by(
        "order", "name_th")


def protected_categories(organization):
    return Category.objects.filter(organization=organization, is_active=True, is_protected=True).order_by("order")


# Shared with the e-service tracking box: one rule for what a citizen may type.
TRACKING_CODE_RE = codes.TRACKING_CODE_RE
clean_tracking_code = codes.clean_tracking_code


def complaint_for_tracking(organization, code: str) -> Complaint | None:
    """The public tracking page: the complaint, its public timeline and its photos (3 queries)."""
    code = clean_tracking_code(code)
    if not code:
        return None
    complaint = (
        Complaint.objects.filter(organization=organization, tracking_code=code, is_protected=False)
        .select_related("category", "department", "rating")
        .prefetch_related(
            Prefetch("updates", queryset=ComplaintUpdate.objects.filter(is_public=True).order_by("created_at", "pk"),
                     to_attr="public_updates"),
            Prefetch("photos", queryset=ComplaintPhoto.objects.order_by("pk"), to_attr="all_photos"),
        )
        .first()
    )
    if complaint is not None:
        complaint.public_updates = complaint.with_received(complaint.public_updates)
    return complaint


def staff_complaints(queryset, *, status=None, category=None, department=None, channel=None, overdue=None):
    """The staff list (admin changelist and benchmark): filters that the indexes cover, newest first."""
    qs = queryset.select_related("category", "department", "assignee")
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if department:
        qs = qs.filter(department=department)
    if channel:
        qs = qs.filter(channel=channel)
    if overdue:
        qs = qs.filter(status__in=workflow.OPEN_STATES, sla_deadline__lt=timezone.now())
    return qs.order_by("-created_at")


def nearby(complaint: Complaint, *, metres: int = 200, days: int = 30, limit: int = 20) -> list[Complaint]:
    """Other reports of the same category within `metres` and `days`: a bounding box in SQL, distance in Python."""
    if complaint.latitude is None:
        return []
    lat, lng = float(complaint.latitude), float(complaint.longitude)
    dlat = metres / 111_320
    dlng = metres / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    since = complaint.created_at - dt.timedelta(days=days)
    until = complaint.created_at + dt.timedelta(days=days)
    candidates = (
        Complaint.objects.filter(organization_id=complaint.organization_id, category_id=complaint.category_id,
                                 created_at__gte=since, created_at__lte=until,
                                 latitude__gte=lat - dlat, latitude__lte=lat + dlat,
                                 longitude__gte=lng - dlng, longitude__lte=lng + dlng)
        .exclude(pk=complaint.pk).order_by("-created_at")[: limit * 3]
    )
    result = []
    for other in candidates:
        distance = distance_m(lat, lng, other.latitude, other.longitude)
        if distance <= metres:
            other.distance_m = round(distance)
            result.append(other)
    return result[:limit]


def map_points(organization, *, public: bool = True, limit: int = 2000) -> list[dict]:
    qs = Complaint.objects.filter(organization=organization, status__in=workflow.OPEN_STATES, latitude__isnull=False)
    qs = qs.public() if public else qs.ordinary()
    return [
        {"code": code, "lat": float(lat), "lng": float(lng), "category": cat_th, "status": workflow.public_label(st)}
        for code, lat, lng, cat_th, st in qs.order_by("-created_at").values_list(
            "tracking_code", "latitude", "longitude", "category__name_th", "status")[:limit]
    ]


def dashboard(organization, *, public: bool = True) -> dict:
    qs = Complaint.objects.filter(organization=organization)
    qs = qs.public() if public else qs.ordinary()
    by_status = {row["status"]: row["n"] for row in qs.values("status").annotate(n=Count("pk"))}
    by_category = list(qs.values("category__name_th", "category__name_en").annotate(n=Count("pk")).order_by("-n"))
    by_village = list(qs.exclude(village="").values("village").annotate(n=Count("pk")).order_by("-n")[:30])
    resolved = qs.filter(resolved_at__isnull=False)
    durations = [(r - c).total_seconds() / 86400 for c, r in resolved.values_list("created_at", "resolved_at")[:20000]]
    sla_total = resolved.filter(sla_deadline__isnull=False).count()
    sla_met = resolved.filter(resolved_at__lte=F("sla_deadline")).count()
    overdue = qs.filter(status__in=workflow.OPEN_STATES, sla_deadline__lt=timezone.now()).count()
    return {
        "total": sum(by_status.values()),
        "by_status": [(workflow.public_label(s), by_status.get(s, 0)) for s in workflow.Status.values],
        "by_category": by_category,
        "by_village": by_village,
        "median_days": round(statistics.median(durations), 1) if durations else None,
        "sla_percent": round(100 * sla_met / sla_total, 1) if sla_total else None,
        "open": qs.filter(status__in=workflow.OPEN_STATES).count(),
        "overdue": overdue,
        "ratings": qs.aggregate(n=Count("rating"), happy=Count("rating", filter=Q(rating__score__gte=4))),
    }



# ---- open-data feeds: aggregates only, public categories only (never corruption reports) --------------------------

def _feed_queryset(organization):
    return Complaint.objects.filter(organization=organization).public()


def _month(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m") if timezone.is_aware(value) else value.strftime("%Y-%m")


def feed_by_category_month(organization) -> list[dict]:
    """Complaints received per month and category, with how many of them are resolved and still open."""
    from django.db.models.functions import TruncMonth

    rows = (_feed_queryset(organization)
            .annotate(month=TruncMonth("created_at"))
            .values("month", "category__code", "category__name_th")
            .annotate(received=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
                      open=Count("pk", filter=Q(status__in=workflow.OPEN_STATES)))
            .order_by("month", "category__code"))
    return [{"month": _month(r["month"]), "category_code": r["category__code"], "category": r["category__name_th"],
             "received": r["received"], "resolved": r["resolved"], "open": r["open"]} for r in rows]


def feed_by_village(organization) -> list[dict]:
    rows = (_feed_queryset(organization).values("village")
            .annotate(received=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
                      open=Count("pk", filter=Q(status__in=workflow.OPEN_STATES)))
            .order_by("village"))
    return [{"village": r["village"] or "ไม่ระบุ", "received": r["received"], "resolved": r["resolved"],
             "open": r["open"]} for r in rows]


def feed_handling_time(organization) -> list[dict]:
    """Per month of resolution and category: resolved complaints, average working time in days, SLA compliance."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.db.models import Avg, DurationField, ExpressionWrapper
    from django.db.models.functions import TruncMonth

    rows = (_feed_queryset(organization).filter(resolved_at__isnull=False)
            .annotate(month=TruncMonth("resolved_at"),
                      took=ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField()))
            .values("month", "category__code", "category__name_th")
            .annotate(resolved=Count("pk"), average=Avg("took"),
                      with_sla=Count("pk", filter=Q(sla_deadline__isnull=False)),
                      within_sla=Count("pk", filter=Q(resolved_at__lte=F("sla_deadline"))))
            .order_by("month", "category__code"))
    result = []
    for r in rows:
        average = r["average"]
        days = (Decimal(average.total_seconds()) / Decimal(86400)).quantize(Decimal("0.01"), ROUND_HALF_UP) \
            if average is not None else None
        percent = (Decimal(100 * r["within_sla"]) / Decimal(r["with_sla"])).quantize(Decimal("0.1"), ROUND_HALF_UP) \
            if r["with_sla"] else None
        result.append({"month": _month(r["month"]), "category_code": r["category__code"],
                       "category": r["category__name_th"], "resolved": r["resolved"], "average_days": days,
                       "with_sla": r["with_sla"], "within_sla": r["within_sla"], "sla_compliance_percent": percent})
    return result


def map_context(organization):
    """What the map widgets need: tile server, attribution, the organization's centre and area."""
    return {
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        "center_lat": float(organization.latitude) if organization.latitude is not None else 13.7563,
        "center_lng": float(organization.longitude) if organization.longitude is not None else 100.5018,
        "radius_m": float(organization.area_radius_km) * 1000,
    }


# --- the categories' directory (cached) ------------------------------------------------------------------------

DIRECTORY_CACHE_SECONDS = 60
# In front of the shared cache, each process keeps the directory it last read for a few seconds: a Redis round trip
# plus unpickling cost about as much as the INSERT itself. A change is seen at once by the process that makes it
# and by the others within DIRECTORY_LOCAL_SECONDS.
DIRECTORY_LOCAL_SECONDS = 5


def _load_directory(organization_slug: str) -> dict | None:
    organization = (Organization.objects.filter(slug=organization_slug, is_active=True)
                    .defer("line_channel_secret", "line_channel_access_token").first())
    if organization is None:
        return None
    categories = {}
    for category in (Category.objects.filter(organization=organization, is_active=True, is_public=True,
                                             is_protected=False).select_related("department")):
        category.organization = organization
        categories[category.code] = category
    # What the citizen web form offers (non-public categories too, never protected ones), in display order.
    form_categories = list(Category.objects.filter(organization=organization, is_active=True, is_protected=False)
                           .order_by("order", "name_th"))
    for category in form_categories:
        category.organization = organization
    return {"organization": organization, "categories": categories, "form_categories": form_categories}


def _slug_of(instance):
    if isinstance(instance, Organization):
        return instance.slug
    return Organization.objects.filter(pk=instance.organization_id).values_list("slug", flat=True).first()


def _directory_invalidation():
    return [(model, _slug_of) for model in (Organization, Department, Category)]


# What a complaint POST (Open311 and the citizen web form) needs of one organization: the organization and its
# categories. Forgotten when an organization, department or category of it is saved or deleted; a
# queryset.update() is seen after DIRECTORY_CACHE_SECONDS (rules: portal.machinery.cache).
CATEGORY_DIRECTORY = Memo("complaints-categories", _load_directory, seconds=DIRECTORY_CACHE_SECONDS,
                          local_seconds=DIRECTORY_LOCAL_SECONDS, invalidate_on=_directory_invalidation())


def category_directory(organization_slug: str) -> dict | None:
    return CATEGORY_DIRECTORY.get(organization_slug)


def public_category(organization_slug: str, service_code: str) -> Category | None:
    """The public, unprotected category `service_code` of the organization (organization and department attached),
    from the cached directory: no query when warm."""
    data = category_directory(organization_slug) if service_code and organization_slug else None
    return data["categories"].get(service_code) if data is not None else None
