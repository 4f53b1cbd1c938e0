from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("complaints/", views.index, name="index"),
    path("complaints/new/", views.complaint_new, name="new"),
    path("complaints/track/<str:code>/", views.track, name="track"),
    path("complaints/track/<str:code>/send/", views.send_details, name="send-details"),
    path("complaints/rate/<uuid:token>/", views.rate, name="rate"),
    path("complaints/qr/<slug:asset_code>/", views.qr_scan, name="qr-scan"),
    path("complaints/dashboard/", views.dashboard, name="dashboard"),
    path("complaints/map.json", views.map_data, name="map-data"),
    path("integrity/", views.integrity_new, name="integrity-new"),
    path("integrity/status/", views.integrity_status, name="integrity-status"),
]
