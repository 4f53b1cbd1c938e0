from django.urls import path

from . import views

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
    path("queue/", views.queue_home, name="queue"),
    path("queue/display/", views.queue_display, name="queue-display"),
    path("queue/staff/", views.queue_staff, name="queue-staff"),
    path("queue/checkin/<str:token>/", views.queue_checkin, name="queue-checkin"),
    path("queue/ticket/<str:token>/", views.ticket, name="ticket"),
    path("queue/ticket/<str:token>/confirm/", views.confirm_booking, name="confirm-booking"),
    path("queue/ticket/<str:token>/cancel/", views.cancel, name="cancel"),
    path("queue/ticket/<str:token>/move/", views.move, name="move"),
    path("queue/<slug:queue_code>/", views.queue_days, name="queue-days"),
    path("queue/<slug:queue_code>/<str:day>/", views.queue_slots, name="queue-slots"),
]
