"""Routes outside an organization's pages: Open311 GeoReport v2 and the LINE webhook."""

from django.urls import path, re_path

from . import line, open311, views

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("complaints/photos/<int:pk>/", views.photo, name="complaints-photo"),
    re_path(r"^open311/v2/services" + FMT, open311.service_list, name="open311-services"),
    re_path(r"^open311/v2/services/(?P<service_code>[-\w]+)" + FMT, open311.service_definition,
            name="open311-service"),
    re_path(r"^open311/v2/requests" + FMT, open311.requests_view, name="open311-requests"),
    re_path(r"^open311/v2/requests/(?P<service_request_id>[-\w]+)" + FMT, open311.request_detail,
            name="open311-request"),
    re_path(r"^open311/v2/tokens/(?P<token>[-\w]+)" + FMT, open311.token_detail, name="open311-token"),
    path("line/webhook/<slug:org_slug>/", line.webhook, name="line-webhook"),
]
