from django.urls import path

from . import views

app_name = "innovation_plans"

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/report/", views.plan_report, name="plan-report"),
    path("plans/<int:pk>/report.<str:fmt>", views.plan_report_download, name="plan-report-download"),
    path("plans/<int:pk>/report/background/", views.plan_report_background, name="plan-report-background"),
]
