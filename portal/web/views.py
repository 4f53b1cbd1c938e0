import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import selectors
from portal.machinery import jobs
from portal.models import BackgroundJob, Organization
from portal.outputs import qr
from portal.outputs.files import serve_private
from portal.web import errors

LANDING_PAGE_SIZE = 24


def landing(request):
    """The organizations on this installation, a page at a time (an installation may hold all 7,850 of the
    country), searched by name, subdistrict, district or province."""
    from django.core.paginator import Paginator
    from django.utils.http import urlencode

    query = request.GET.get("q", "")[:100].strip()
    found = selectors.search_organizations(query)
    paginator = Paginator(found, LANDING_PAGE_SIZE)
    paginator.count = selectors.count_organizations(query, found)  # kept: see the selector
    page = paginator.get_page(request.GET.get("page"))

    def page_url(number):
        return "?" + urlencode({**({"q": query} if query else {}), **({"page": number} if number > 1 else {})})

    return render(request, "portal/landing.html", {
        "organizations": page.object_list, "page": page, "query": query,
        "prev_url": page_url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": page_url(page.next_page_number()) if page.has_next() else "",
    })


def organization_home(request, org_slug):
    """The organization's front door. Its own part is rendered once per organization, language and kind of host
    and kept (portal.web.front_door); for a visitor without a session (nearly every citizen) the whole page is
    kept per host as well, and a request only puts its CSRF token in."""
    from django.conf import settings
    from django.middleware.csrf import get_token
    from django.utils.translation import get_language

    from portal.web import front_door
    from portal.web.hosts import current_host_slug

    slug = str(org_slug)
    variant = f"{get_language()}:{'own' if current_host_slug.get() else 'shared'}"
    home = front_door.FRONT_DOOR.get_variant(slug, variant, lambda: _front_door(org_slug))
    if home is None:
        raise Http404
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.COOKIES.get("messages"):
        # a session may hold messages to show: the shell is rendered for it
        return render(request, "portal/org_home.html", {"home": home})

    def whole_page():
        return render(request, "portal/org_home.html", {
            "home": home, "csrf_token": front_door.CSRF_PLACEHOLDER, "lang_next": request.path,
        }).content.decode()

    page = front_door.FRONT_DOOR.get_variant(slug, f"page:{variant}:{request.get_host()}", whole_page)
    return HttpResponse(page.replace(front_door.CSRF_PLACEHOLDER, get_token(request)))


def _front_door(org_slug):
    """{"name", "url", "content"} of an active organization's home page, or None."""
    from django.template.loader import render_to_string

    organization = Organization.objects.filter(slug=org_slug, is_active=True).first()
    if organization is None:
        return None
    line_qr = ""
    if organization.line_oa_url:
        from portal.web.front_door import qr_version

        line_qr = reverse("portal:org-line-qr", args=[organization.slug]) + "?v=" + qr_version(organization.line_oa_url)
    content = render_to_string("portal/org_home_content.html", {
        "organization": organization, "services": selectors.organization_services(organization), "line_qr": line_qr,
    })
    return {"name": organization.name, "url": organization.get_absolute_url(), "content": content}


def org_home_patterns():
    """The home page's routes under /<org_slug>/ (portal.urls) and at the root of an organization's host."""
    from django.urls import path

    return [path("", organization_home, name="org-home"),
            path("line-qr.svg", organization_line_qr, name="org-line-qr")]


LINE_QR_MAX_AGE = 86400


def organization_line_qr(request, org_slug):
    """The organization's LINE QR as an SVG image, drawn once per LINE id. The home page links it with a digest of
    the id in the URL, so a browser may keep it for a day and a new id is fetched at once."""
    from django.utils.cache import patch_cache_control

    line_id = (Organization.objects.filter(slug=org_slug, is_active=True)
               .exclude(line_oa_id="").values_list("line_oa_id", flat=True).first())
    if not line_id:
        raise Http404
    response = HttpResponse(_qr_svg(Organization(line_oa_id=line_id).line_oa_url), content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=LINE_QR_MAX_AGE)
    return response


@functools.lru_cache(maxsize=1024)
def _qr_svg(text: str) -> bytes:
    """A QR code as SVG, drawn here (no outside service) once per text: a QR is a pure function of the text it
    encodes, so a new LINE id is a new key and needs no invalidation. The shared cache keeps one drawing for every
    process, this process keeps its own copy."""
    import hashlib

    from django.core.cache import cache

    key = "portal:qr-svg-bytes:" + hashlib.sha256(text.encode()).hexdigest()[:32]
    svg = cache.get(key)
    if svg is None:
        svg = qr.svg_bytes(text)
        cache.set(key, svg, timeout=30 * 86400)
    return svg


def ratelimited(request, exception=None):
    if request.accepts("text/html"):
        return errors.error_response(request, 429)
    return HttpResponse(_("มีคำขอมากเกินไป กรุณารอสักครู่แล้วลองใหม่"), status=429,
                        content_type="text/plain; charset=utf-8")


def healthz(request):
    from portal.web.health import healthz as report

    return report(request)


LOCKED_OUT_MESSAGE = _("เข้าสู่ระบบผิดหลายครั้งเกินไป บัญชีนี้ถูกระงับการเข้าสู่ระบบจากเครื่องนี้ชั่วคราว "
                       "กรุณาลองใหม่ภายหลัง หรือติดต่อผู้ดูแลระบบเพื่อปลดล็อก")


def locked_out(request, response=None, credentials=None):
    """django-axes lockout (admin login, API Basic): a Thai page or JSON, 429, without the password check."""
    message = str(LOCKED_OUT_MESSAGE)
    if request.path.startswith("/api/") or not request.accepts("text/html"):
        from django.http import JsonResponse

        return JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, "portal/error.html", {"message": message, "status": 429}, status=429)


def _own_job(request, job_uuid):
    job = BackgroundJob.objects.filter(uuid=job_uuid).first()
    if job is None or not jobs.visible_to(request.user, job):
        raise Http404  # somebody else's job looks like no job at all
    return job


@login_required
def job_status(request, job_uuid):
    """Progress of a background job, for the page that polls it (only the person who asked sees it)."""
    job = _own_job(request, job_uuid)
    return JsonResponse({
        "status": job.status, "progress": job.progress, "total": job.total, "percent": job.percent,
        "message": job.message, "filename": job.filename,
        "download_url": job.result and job.status == BackgroundJob.Status.DONE
        and reverse("job-download", args=[job.uuid]) or None,
    })


@login_required
def job_download(request, job_uuid):
    job = _own_job(request, job_uuid)
    if job.status != BackgroundJob.Status.DONE or not job.result:
        raise Http404
    return serve_private(request, job.result, filename=job.filename or None)


def public_media(request, path):
    """Public uploads (complaint photos shown on public pages) from MEDIA_ROOT, in debug and in production alike
    (WhiteNoise serves only files present at start-up). Private files live outside MEDIA_ROOT and never come
    through here. A front proxy may serve /media/ itself from the same directory instead."""
    from django.views.static import serve

    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
