from django.urls import path

from .queues import views as queue_views
from .requests import views

app_name = "eservice"

urlpatterns = [
    path("eservice/", views.catalogue, name="catalogue"),
    path("eservice/track/", views.track_lookup, name="track-lookup"),
    path("eservice/track/<str:code>/", views.track, name="track"),
    path("eservice/track/<str:code>/access/", views.track_access, name="track-access"),
    path("eservice/track/<str:code>/send/", views.send_details, name="send-details"),
    path("eservice/track/<str:code>/documents/<int:doc_request_id>/", views.upload_documents, name="upload"),
    path("eservice/track/<str:code>/result/", views.result_download, name="result"),
    path("eservice/track/<str:code>/receipt.pdf", views.receipt, name="receipt"),
    path("eservice/track/<str:code>/rate/", views.rate, name="rate"),
    path("eservice/<slug:service_code>/", views.service_form, name="form"),
    path("eservice/<slug:service_code>/manual/", views.manual, name="manual"),
    path("queue/", queue_views.queue_home, name="queue"),
    path("queue/display/", queue_views.queue_display, name="queue-display"),
    path("queue/staff/", queue_views.queue_staff, name="queue-staff"),
    path("queue/checkin/<str:token>/", queue_views.queue_checkin, name="queue-checkin"),
    path("queue/ticket/<str:token>/", queue_views.ticket, name="ticket"),
    path("queue/ticket/<str:token>/confirm/", queue_views.confirm_booking, name="confirm-booking"),
    path("queue/ticket/<str:token>/cancel/", queue_views.cancel, name="cancel"),
    path("queue/ticket/<str:token>/move/", queue_views.move, name="move"),
    path("queue/<slug:queue_code>/", queue_views.queue_days, name="queue-days"),
    path("queue/<slug:queue_code>/<str:day>/", queue_views.queue_slots, name="queue-slots"),
]
