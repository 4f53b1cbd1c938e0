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
    })


def ratelimited(request, exception=None):
    if request.accepts("text/html"):
        return errors.error_response(request, 429)
    return HttpResponse(_("มีคำขอมากเกินไป กรุณารอสักครู่แล้วลองใหม่"), status=429,
                        content_type="text/plain; charset=utf-8")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
