"""Routes outside an organization's pages: the bank's payment callback and the staff revenue dashboard."""

from django.urls import path

from . import callback, staff_views
from .api.views import LandBuildingEstimateView, SignboardEstimateView

urlpatterns = [
    path("taxpay/callback/<slug:org_slug>/", callback.payment_callback, name="taxpay-callback"),
    path("taxpay/dashboard/", staff_views.dashboard, name="taxpay-dashboard"),
    path("api/tax/estimate/land-building/", LandBuildingEstimateView.as_view(), name="tax-estimate-land-building"),
    path("api/tax/estimate/signboard/", SignboardEstimateView.as_view(), name="tax-estimate-signboard"),
]
