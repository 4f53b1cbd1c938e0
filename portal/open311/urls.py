"""/open311/: the GeoReport v2 endpoint and its discovery document (names kept from when complaints served it)."""

from django.urls import re_path

from portal.open311 import views

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^open311/discovery" + FMT, views.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FMT, views.service_list, name="open311-services"),
    re_path(r"^open311/v2/services/(?P<service_code>[-\w]+)" + FMT, views.service_definition,
            name="open311-service"),
    re_path(r"^open311/v2/requests" + FMT, views.requests_view, name="open311-requests"),
    re_path(r"^open311/v2/requests/(?P<service_request_id>[-\w]+)" + FMT, views.request_detail,
            name="open311-request"),
    re_path(r"^open311/v2/tokens/(?P<token>[-\w]+)" + FMT, views.token_detail, name="open311-token"),
]
