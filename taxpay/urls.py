from django.urls import path

from . import views

app_name = "taxpay"

urlpatterns = [
    path("tax/", views.index, name="index"),
    path("tax/lost/", views.lost_notice, name="lost"),
    path("tax/estimate/", views.estimate, name="estimate"),
    path("tax/bill/<str:number>/", views.bill_page, name="bill"),
    path("tax/bill/<str:number>/qr.png", views.bill_qr_png, name="bill-qr"),
    path("tax/bill/<str:number>/notice.pdf", views.notice_pdf, name="notice"),
    path("tax/receipt/<str:receipt_number>.pdf", views.receipt_pdf, name="receipt"),
    path("tax/verify/<str:code>/", views.receipt_verify, name="receipt-verify"),
]
