"""Citizen pages: thin views over forms, services and selectors."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.access import otp
from portal.access.permissions import can
from portal.inputs.forms import apply_errors
from portal.inputs.ratelimit import (
    client_ip,
    count_accepted,
    hit_subject,
    limited,
    ratelimited_response,
    retry_message,
)
from portal.models import Organization
from portal.outputs.files import serve_private
from portal.web import errors

from . import selectors, services, workflow
from .forms import ComplaintForm, CorruptionForm, CorruptionStatusForm, RatingForm
from .models import Asset, Complaint, ComplaintPhoto, Rating

# Per organization and client address; only accepted submissions use up SUBMIT_RATE (portal.inputs.ratelimit).
SUBMIT_RATE = "10/h"
LOOKUP_RATE = "30/m"
SCAN_RATE = "60/h"


def _org(org_slug):
    return get_object_or_404(Organization, slug=org_slug, is_active=True)


def index(request, org_slug):
    organization = _org(org_slug)
    code = request.GET.get("code", "").strip()
    if code:
        # Whatever was typed (spaces, a slash, Thai): the tracking page answers 404 for what is not a code.
        return redirect("complaints:track", org_slug, selectors.clean_tracking_code(code) or "-")
    return render(request, "complaints/index.html", {"organization": organization})


def _photo_files(checked) -> list[ContentFile]:
    """The form's photos (already checked and re-encoded, portal.inputs.uploads.check_photo) as the service takes them."""
    return [ContentFile(item.data, name=f"{uuid.uuid4().hex}.{item.extension}") for item in checked]


def _complaint_form_limited(request, retry_after, org_slug):
    """429 with the form again, everything typed still in it, the chosen photos kept (portal.inputs.tempuploads), and
    when to try again."""
    organization = _org(org_slug)
    form = ComplaintForm(request.POST, request.FILES, categories=selectors.public_categories(organization),
                         request=request)
    form.is_valid()
    form.add_error(None, retry_message(retry_after))
    return ratelimited_response(request, retry_after_seconds=retry_after, organization=organization,
                                template="complaints/form.html",
                                context={"form": form, "asset": None, **selectors.map_context(organization)})


@limited(SUBMIT_RATE, group="complaints-submit", on_limited=_complaint_form_limited)
@require_http_methods(["GET", "POST"])
def complaint_new(request, org_slug):
    if request.method == "POST":
        # The busiest anonymous write: organization and categories from the cached directory, not three queries.
        directory = selectors.category_directory(org_slug)
        if directory is None:
            raise Http404
        organization, categories = directory["organization"], directory["form_categories"]
    else:
        organization = _org(org_slug)
        categories = selectors.public_categories(organization)
    asset = None
    asset_code = request.POST.get("asset") or request.GET.get("asset") or ""
    if asset_code:
        asset = Asset.objects.filter(organization=organization, code=asset_code[:40]).select_related("category").first()
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES, categories=categories, request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = services.submit_complaint(
                    organization=organization, category=data["category"], description=data["description"],
                    channel=Complaint.Channel.QR if asset else Complaint.Channel.WEB,
                    latitude=data["latitude"], longitude=data["longitude"], address=data["address"],
                    village=data["village"], photo_files=_photo_files(data["photos"]), contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"], contact_email=data["contact_email"],
                    notify_channel=data["notify_channel"], pdpa_consent=data["pdpa_consent"], asset=asset)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                count_accepted(request)
                form.release_uploads()
                # The tracking page itself shows the new code (?new=1): no flash message to sign and store.
                return redirect(complaint.get_absolute_url() + "?new=1")
        status = 400
    else:
        initial = {}
        if asset is not None:
            initial = {"asset": asset.code, "category": asset.category_id, "village": asset.village,
                       "latitude": asset.latitude, "longitude": asset.longitude,
                       "address": f"{asset.get_kind_display()} {asset.code} {asset.name}".strip()}
        form = ComplaintForm(initial=initial, categories=categories)
        status = 200
    return render(request, "complaints/form.html", {
        "organization": organization, "form": form, "asset": asset, **selectors.map_context(organization)}, status=status)


@limited(SCAN_RATE, group="complaints-scan", count="all", methods=("GET",))
def qr_scan(request, org_slug, asset_code):
    organization = _org(org_slug)
    asset = Asset.objects.filter(organization=organization, code=asset_code[:40]).first()
    if asset is None:
        # A sticker the organization removed or never printed: say so and offer the ordinary form.
        return errors.error_response(
            request, 404, organization=organization,
            message=_("ไม่พบสติกเกอร์ QR รหัส %(code)s ในระบบ อาจเลิกใช้แล้วหรือพิมพ์ผิด แจ้งเรื่องด้วยแบบฟอร์มได้ตามปกติ")
            % {"code": asset_code[:40]},
            extra={"offer_complaint_form": reverse("complaints:new", args=[org_slug])})
    if _first_scan_today(asset, request):
        services.record_scan(asset=asset, actor=request.user)
    return redirect(reverse("complaints:new", args=[org_slug]) + f"?asset={asset.code}")


def _first_scan_today(asset, request) -> bool:
    """A sticker's scan counts once per visitor (client address) per day, however often it is reloaded."""
    from django.core.cache import cache
    from django.utils import timezone

    key = f"scan:{asset.pk}:{client_ip(request)}:{timezone.localdate():%Y%m%d}"
    try:
        return cache.add(key, 1, 26 * 3600)
    except Exception:  # cache down: count it (a scan is not worth failing the citizen's page)
        return True


@limited(LOOKUP_RATE, group="complaints-lookup", count="all", methods=("GET",))
def track(request, org_slug, code, send_error="", status=200):
    organization = _org(org_slug)
    complaint = selectors.complaint_for_tracking(organization, code)
    if complaint is None:
        return render(request, "complaints/not_found.html", {"organization": organization, "code": code},
                      status=404)
    rating = getattr(complaint, "rating", None)
    # Whoever holds the (unguessable) tracking code filed the complaint: anonymous citizens rate and ask to
    # reopen here, not only those who left a phone or e-mail for the rating link.
    can_rate = rating is None and complaint.status in workflow.RATEABLE_STATES
    return render(request, "complaints/track.html", {
        "organization": organization, "complaint": complaint, "is_new": request.GET.get("new") == "1",
        "photos": complaint.all_photos, "rating": rating, "rating_form": RatingForm() if can_rate else None,
        "track_url": request.build_absolute_uri(complaint.get_absolute_url()),
        "contacts": [(channel, otp.mask_contact(value))
                     for channel, value in services.reporter_contacts(complaint).items()],
        "sent": request.GET.get("sent") == "1", "send_error": send_error,
    }, status=status)


@limited(LOOKUP_RATE, group="complaints-send", count="all")
@require_POST
def send_details(request, org_slug, code):
    """The tracking code and link sent to a contact the reporter gave, at their asking (three an hour per report)."""
    organization = _org(org_slug)
    complaint = selectors.complaint_for_tracking(organization, code)
    if complaint is None:
        raise Http404
    allowed, retry_after = hit_subject(group="complaints-send", subject=complaint.tracking_code, rate="3/h")
    if not allowed:
        return track(request, org_slug, code, send_error=retry_message(retry_after), status=429)
    try:
        services.send_tracking_details(complaint=complaint, channel=request.POST.get("via", ""))
    except ValidationError as exc:
        return track(request, org_slug, code, send_error=" ".join(exc.messages), status=400)
    return redirect(complaint.get_absolute_url() + "?new=1&sent=1")


@limited(LOOKUP_RATE, group="complaints-lookup", count="all", methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def rate(request, org_slug, token):
    organization = _org(org_slug)
    complaint = Complaint.objects.filter(organization=organization, rating_token=token, is_protected=False).first()
    if complaint is None:
        raise Http404
    already = Rating.objects.filter(complaint=complaint).exists()
    if already:
        return render(request, "complaints/rate.html", {"organization": organization, "complaint": complaint,
                                                         "done": True})
    if complaint.status not in workflow.RATEABLE_STATES:
        return render(request, "complaints/rate.html", {"organization": organization, "complaint": complaint,
                                                         "not_yet": True}, status=409)
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                rating = services.rate(complaint=complaint, score=form.cleaned_data["score"],
                                       comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return render(request, "complaints/rate.html", {
                    "organization": organization, "complaint": complaint, "done": True, "rating": rating})
        return render(request, "complaints/rate.html", {"organization": organization, "complaint": complaint,
                                                         "form": form}, status=400)
    return render(request, "complaints/rate.html", {"organization": organization, "complaint": complaint,
                                                     "form": form})


def _integrity_form_limited(request, retry_after, org_slug):
    organization = _org(org_slug)
    form = CorruptionForm(request.POST, request.FILES, categories=selectors.protected_categories(organization),
                          departments=organization.departments.all(), request=request)
    form.is_valid()
    form.add_error(None, retry_message(retry_after))
    return ratelimited_response(request, retry_after_seconds=retry_after, organization=organization,
                                template="complaints/integrity_form.html", context={"form": form})


@limited(SUBMIT_RATE, group="complaints-integrity", on_limited=_integrity_form_limited)
@require_http_methods(["GET", "POST"])
def integrity_new(request, org_slug):
    organization = _org(org_slug)
    categories = selectors.protected_categories(organization)
    if not categories.exists():
        raise Http404
    departments = organization.departments.all()
    form = CorruptionForm(request.POST or None, request.FILES or None, categories=categories, departments=departments,
                          request=request)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint, passphrase = services.submit_corruption_report(
                    organization=organization, category=data["category"], description=data["description"],
                    concerned_department=data["concerned_department"], contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"], contact_email=data["contact_email"],
                    pdpa_consent=data["pdpa_consent"], photo_files=_photo_files(data["photos"]))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                count_accepted(request)
                form.release_uploads()
                response = render(request, "complaints/integrity_done.html", {
                    "organization": organization, "code": complaint.tracking_code, "passphrase": passphrase})
                response["Cache-Control"] = "no-store"
                return response
        return render(request, "complaints/integrity_form.html", {"organization": organization, "form": form},
                      status=400)
    return render(request, "complaints/integrity_form.html", {"organization": organization, "form": form})


# Every attempt counts here: a wrong passphrase is exactly what this limit is for.
@limited("10/m", group="complaints-integrity-status", count="all", methods=("POST",))
@require_http_methods(["GET", "POST"])
def integrity_status(request, org_slug):
    organization = _org(org_slug)
    form = CorruptionStatusForm(request.POST or None)
    complaint = None
    status = 200
    if request.method == "POST" and form.is_valid():
        candidate = (Complaint.objects.filter(organization=organization, is_protected=True,
                                              tracking_code=selectors.clean_tracking_code(form.cleaned_data["code"]))
                     .prefetch_related("updates").first())
        if services.check_passphrase(candidate, form.cleaned_data["passphrase"]):  # hashes even for no candidate
            complaint = candidate
        else:
            form.add_error(None, _("รหัสติดตามหรือรหัสผ่านไม่ถูกต้อง"))
            status = 400
    elif request.method == "POST":
        status = 400
    updates = complaint.with_received(u for u in complaint.updates.all() if u.is_public) if complaint else []
    response = render(request, "complaints/integrity_status.html", {
        "organization": organization, "form": form, "complaint": complaint, "updates": updates}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def dashboard(request, org_slug):
    organization = _org(org_slug)
    return render(request, "complaints/dashboard.html", {
        "organization": organization, "stats": selectors.dashboard(organization, public=True),
        **selectors.map_context(organization)})


def map_data(request, org_slug):
    organization = _org(org_slug)
    return JsonResponse({"points": selectors.map_points(organization, public=True)})


@login_required
def photo(request, pk):
    """A corruption report's evidence photo: only for those whose role in its organization reads protected
    reports (legal officers, executives; superusers). Everyone else gets 404, as if there were no such photo."""
    item = get_object_or_404(ComplaintPhoto.objects.select_related("complaint"), pk=pk)
    # can() governs a corruption report by the ProtectedComplaint permissions (Complaint.permission_model)
    if not item.evidence or not can(request.user, "view", item.complaint):
        raise Http404
    return serve_private(request, item.evidence, filename=f"evidence-{item.pk}.jpg", as_attachment=False)
