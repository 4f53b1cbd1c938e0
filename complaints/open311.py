"""Complaint categories in Open311 GeoReport v2 (portal.open311): each public, unprotected category is a service
without attributes; corruption reports never appear here. Registered by ComplaintsConfig.open311_provider()."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.utils import timezone

from portal.inputs import uploads
from portal.open311.providers import Open311Error, Provider, keywords

from . import selectors, services, workflow
from .forms import normalize_phone
from .models import DESCRIPTION_MAX, Category, Complaint, ComplaintPhoto, ComplaintUpdate


def _services(organization):
    # Explicit order: the model's default ("organization", ...) would join the organization table for nothing.
    return Category.objects.filter(organization=organization, is_active=True, is_public=True,
                                   is_protected=False).order_by("order", "name_th")


def service_dict(category: Category) -> dict:
    return {
        "service_code": category.code, "service_name": category.name_th, "description": category.description or
        category.name_en, "metadata": False, "type": "realtime",
        "keywords": keywords(category.name_th, category.name_en),
        "group": category.department.name_th if category.department_id else "",
    }


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


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


class ComplaintsProvider(Provider):
    order = 10  # first: a complaint POST is the busiest write, and its category comes from a cached directory
    def services(self, organization):
        return [service_dict(c) for c in _services(organization).select_related("department")]

    def definition(self, organization, service_code):
        category = _services(organization).filter(code=service_code).first()
        if category is None:
            return None
        return {"service_code": category.code, "attributes": []}

    def create(self, request, organization, service_code, media):
        category = selectors.public_category(organization.slug, service_code)  # cached: no query when warm
        if category is None:
            return None
        post = request.POST
        lat, lng = post.get("lat", ""), post.get("long", "")
        address = post.get("address_string", "") or post.get("address_id", "")
        if not (lat and lng) and not address:
            raise Open311Error(400, "a location is required: lat and long, address_string or address_id")
        description = post.get("description", "")
        if len(description) > DESCRIPTION_MAX:
            raise Open311Error(400, f"description is longer than {DESCRIPTION_MAX} characters")
        if not description.strip():
            description = category.name_th
        name = " ".join(filter(None, [post.get("first_name", ""), post.get("last_name", "")]))
        try:
            phone = normalize_phone(post.get("phone", ""))
            if post.get("email"):
                validate_email(post["email"])
        except ValidationError as exc:
            raise Open311Error(400, " ".join(exc.messages)) from exc
        photo_files = None
        if media.url:
            try:
                photo_files = uploads.check_images([media.fetch()], max_count=1)
            except ValidationError as exc:
                raise Open311Error(400, "media_url: " + " ".join(exc.messages)) from exc
        try:
            complaint = services.submit_complaint(
                organization=organization, category=category, description=description,
                channel=Complaint.Channel.OPEN311, latitude=lat or None, longitude=lng or None, address=address,
                contact_name=name, contact_email=post.get("email", ""), contact_phone=phone, photo_files=photo_files,
                pdpa_consent=True)  # the client app collects consent (documented in the API key terms)
        except ValidationError as exc:
            raise Open311Error(400, " ".join(exc.messages)) from exc
        return {"service_request_id": complaint.tracking_code, "service_notice": "", "account_id": None}

    def request(self, request, organization, service_request_id):
        complaint = _request_queryset(organization).filter(tracking_code=service_request_id).first()
        return request_dict(request, complaint) if complaint is not None else None

    def requests(self, request, organization, query):
        found = query.apply(_request_queryset(organization), code_field="category__code",
                            open_states=workflow.OPEN_STATES, closed_states=workflow.CLOSED_STATES)
        return [request_dict(request, c) for c in found]


provider = ComplaintsProvider()
