"""Root URLs. Each service app that exists adds itself through its own `urls.py` (public pages under the
organization slug) and `api/urls.py` (DRF routes under /api/)."""

from importlib import util

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views
from .api import router

SERVICE_APPS = ["innovation_plans", "eservice", "complaints", "opendata", "taxpay"]


def _has(module: str) -> bool:
    try:
        return util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package (e.g. app.api) does not exist yet
        return False


urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files; the split view keeps the page free of
    # inline script (Content-Security-Policy script-src 'self').
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

for app in SERVICE_APPS:
    if _has(f"{app}.api.urls"):
        __import__(f"{app}.api.urls")  # registers its viewsets on the shared router
    if _has(f"{app}.root_urls"):
        # Routes outside an organization's pages (e.g. /open311/v2/, webhooks).
        urlpatterns.append(path("", include(f"{app}.root_urls")))

urlpatterns += [path("api/", include(router.urls))]
urlpatterns += [
    path("", views.landing, name="landing"),
    path("<slug:org_slug>/", include(([path("", views.organization_home, name="org-home")], "portal"))),
]
for app in SERVICE_APPS:
    if _has(f"{app}.urls"):
        # Each app's urls.py sets its own app_name; its paths sit under /<org_slug>/.
        urlpatterns.append(path("<slug:org_slug>/", include(f"{app}.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Error pages keep the citizen inside their organization (portal.errors).
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
