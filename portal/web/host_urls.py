"""URLs on an organization's own host (portal.web.hosts): its pages at the root, without the /<slug>/ prefix.

The same routes as portal.urls, in an order where the organization's own pages come before the installation-wide
ones that share a path (on www.khamyai.go.th, /opendata/ and the CKAN API are Kham Yai's catalogue)."""

from importlib import import_module

from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from portal import urls as shared
from portal.api.viewsets import router
from portal.registry import service_apps
from portal.web import views
from portal.web.hosts import OrganizationHostConverter

register_converter(OrganizationHostConverter, "orghost")

ORG = "<orghost:org_slug>"

urlpatterns = list(shared.core_urlpatterns)
urlpatterns.append(path(ORG, include((views.org_home_patterns(), "portal"))))
urlpatterns.append(path(ORG, include("portal.onboarding.urls")))
for config in service_apps():
    if config.url_module:
        urlpatterns.append(path(ORG, include(config.url_module)))
for config in service_apps():
    if config.api_url_module:
        import_module(config.api_url_module)
    if config.root_url_module:
        urlpatterns.append(path("", include(config.root_url_module)))
urlpatterns += [
    path("api/", include(router.urls)),
    # The installation's landing page is this organization's home here ("/" is matched above; this names it).
    path("", RedirectView.as_view(url="/"), name="landing"),
]

handler400 = shared.handler400
handler403 = shared.handler403
handler404 = shared.handler404
handler500 = shared.handler500
