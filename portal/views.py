from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from . import errors, selectors
from .models import Organization


def landing(request):
    query = request.GET.get("q", "")[:100]
    return render(request, "portal/landing.html", {
        "organizations": selectors.search_organizations(query), "query": query,
    })


def organization_home(request, org_slug):
    organization = get_object_or_404(Organization, slug=org_slug, is_active=True)
    return render(request, "portal/org_home.html", {
        "organization": organization, "services": selectors.organization_services(organization),
        "line_qr": _qr_data_uri(organization.line_oa_url) if organization.line_oa_url else "",
    })


def _qr_data_uri(text: str) -> str:
    """A QR code as an SVG data URI (drawn here, no outside service)."""
    import base64

    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def ratelimited(request, exception=None):
    if request.accepts("text/html"):
        return errors.error_response(request, 429)
    return HttpResponse(_("มีคำขอมากเกินไป กรุณารอสักครู่แล้วลองใหม่"), status=429,
                        content_type="text/plain; charset=utf-8")


def healthz(request):
    from .health import healthz as report

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
