"""Root URLs. Each service app adds itself through the URL modules its ServiceAppConfig names (portal.registry):
public pages under the organization slug, routes outside it, and DRF routes under /api/."""

import re
from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from portal.api.viewsets import router
from portal.inputs import tempuploads
from portal.onboarding import views as onboarding_views
from portal.registry import service_apps
from portal.web import views

# Served on every host, the shared one and the organizations' own (portal.web.host_urls).
core_urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/<uuid:job_uuid>/", views.job_status, name="job-status"),
    path("jobs/<uuid:job_uuid>/download/", views.job_download, name="job-download"),
    # Thumbnails of files kept across a form error: to the session that sent them only (portal.inputs.tempuploads).
    path("files/kept/<str:token>/", tempuploads.serve_thumbnail, name="kept-upload"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files; the split view keeps the page free of
    # inline script (Content-Security-Policy script-src 'self').
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Open311 GeoReport v2 for every organization; the service apps publish their services through it.
    path("", include("portal.open311.urls")),
    # An organization's first administrator sets their password here (portal.onboarding).
    path("accounts/invitation/<uuid:invitation_uuid>/<str:token>/", onboarding_views.accept,
         name="onboarding-accept"),
]
# Public uploads, debug or not (see portal.web.views.public_media); before the /<org_slug>/ routes.
MEDIA_PREFIX = re.escape(settings.MEDIA_URL.lstrip("/"))
core_urlpatterns.insert(0, re_path(rf"^{MEDIA_PREFIX}(?P<path>.+)$", views.public_media, name="public-media"))

urlpatterns = list(core_urlpatterns)

for config in service_apps():
    if config.api_url_module:
        import_module(config.api_url_module)  # registers its viewsets on the shared router
    if config.root_url_module:
        # Routes outside an organization's pages (e.g. webhooks).
        urlpatterns.append(path("", include(config.root_url_module)))

urlpatterns += [path("api/", include(router.urls))]
urlpatterns += [
    path("", views.landing, name="landing"),
    path("<slug:org_slug>/", include((views.org_home_patterns(), "portal"))),
    path("<slug:org_slug>/", include("portal.onboarding.urls")),
]
for config in service_apps():
    if config.url_module:
        # Each app's url module sets its own app_name; its paths sit under /<org_slug>/.
        urlpatterns.append(path("<slug:org_slug>/", include(config.url_module)))

# Error pages keep the citizen inside their organization (portal.web.errors).
handler400 = "portal.web.errors.bad_request"
handler403 = "portal.web.errors.permission_denied"
handler404 = "portal.web.errors.page_not_found"
handler500 = "portal.web.errors.server_error"
