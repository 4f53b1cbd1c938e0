"""Routes outside one organization: the auditor's cross-organization summary and background report jobs."""

from django.urls import path

from . import views

urlpatterns = [
    path("plans/evidence/<int:pk>/", views.evidence_download, name="innovation-plans-evidence"),
    path("plans/source/<int:pk>/", views.source_download, name="innovation-plans-source"),
    path("plans/audit/", views.audit_summary, name="innovation-plans-audit-summary"),
    path("plans/audit/summary.<str:fmt>", views.audit_summary_download, name="innovation-plans-audit-download"),
    path("plans/jobs/<uuid:job_uuid>/", views.report_job, name="innovation-plans-report-job"),
    path("plans/jobs/<uuid:job_uuid>/retry/", views.report_job_retry, name="innovation-plans-report-job-retry"),
    path("plans/jobs/<uuid:job_uuid>/download/", views.report_job_download, name="innovation-plans-report-job-download"),
]
