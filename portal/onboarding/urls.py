"""The set-up wizard under the organization (/<slug>/setup/ on the shared host, /setup/ on its own host), and the
page where an invited staff member sets their first password."""

from django.urls import path

from portal.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("setup/join/<str:uidb64>/<str:token>/", views.join, name="join"),
    path("setup/<slug:step_name>/", views.step, name="step"),
]
