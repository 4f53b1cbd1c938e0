"""Routes outside an organization's pages: complaint photos and the LINE webhook (Open311 is portal.open311)."""

from django.urls import path

from . import line, views

urlpatterns = [
    path("complaints/photos/<int:pk>/", views.photo, name="complaints-photo"),
    path("line/webhook/<slug:org_slug>/", line.webhook, name="line-webhook"),
]
