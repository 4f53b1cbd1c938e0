from django.urls import path, re_path

from . import ckan, views

app_name = "opendata"

urlpatterns = [
    path("opendata/", views.index, name="index"),
    path("opendata/catalog.ttl", views.catalog_turtle, name="catalog-ttl"),
    path("opendata/catalog.jsonld", views.catalog_jsonld, name="catalog-jsonld"),
    path("opendata/<slug:name>/", views.dataset, name="dataset"),
    path("opendata/<slug:name>/resource/<uuid:resource_id>/preview.json", views.preview, name="preview"),
    path("opendata/<slug:name>/resource/<uuid:resource_id>/download/<str:filename>", views.download,
         name="download"),
    path("opendata/<slug:name>/resource/<uuid:resource_id>/v/<int:number>/<str:filename>", views.download_version,
         name="download-version"),
    # CKAN Action API for this organization's own catalogue (no trailing slash, like CKAN).
    re_path(r"^api/3/action/(?P<name>[\w.-]+)$", ckan.action, name="ckan-action"),
    re_path(r"^api/action/(?P<name>[\w.-]+)$", ckan.action, name="ckan-action-unversioned"),
]
