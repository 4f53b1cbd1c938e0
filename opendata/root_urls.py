"""Installation-wide catalogue: the CKAN Action API the national harvester reads, DCAT, and the search page."""

from django.urls import path, re_path

from . import ckan, views

urlpatterns = [
    re_path(r"^api/3/action/(?P<name>[\w.-]+)$", ckan.action, name="opendata-ckan-action"),
    re_path(r"^api/action/(?P<name>[\w.-]+)$", ckan.action, name="opendata-ckan-action-unversioned"),
    path("opendata/", views.index, name="opendata-home"),
    path("opendata/catalog.ttl", views.catalog_turtle, name="opendata-catalog-ttl"),
    path("opendata/catalog.jsonld", views.catalog_jsonld, name="opendata-catalog-jsonld"),
]
