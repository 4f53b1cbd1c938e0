"""Bank statement imports: upload, the check of every line, then recording it (background jobs)."""


from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access.tenancy import scope
from portal.admin.mixins import ScopedModelAdmin
from taxpay import services
from taxpay.models import (
    Payment,
    StatementImport,
)

from .common import import_page, organization_choices


@admin.register(StatementImport)
class StatementImportAdmin(ScopedModelAdmin):
    list_display = ["filename", "lines", "recorded", "duplicates", "unmatched_count", "created_at", "organization"]
    readonly_fields = ["organization", "filename", "download", "lines", "recorded", "duplicates", "unmatched_table",
                       "created_by", "created_at"]
    exclude = ["unmatched", "file"]

    @admin.display(description=_("ไฟล์ที่นำเข้า"))
    def download(self, obj):
        if not obj or not obj.file:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:taxpay_statementimport_file", args=[obj.pk]),
                           obj.filename)

    def get_urls(self):
        return [path("<int:pk>/file/", self.admin_site.admin_view(self.file_view),
                     name="taxpay_statementimport_file"),
                path("template.csv", self.admin_site.admin_view(self.template_view),
                     name="taxpay_statementimport_template"),
                path("job/<uuid:job_uuid>/", self.admin_site.admin_view(self.job_view), name="taxpay_import_job"),
                ] + super().get_urls()

    def template_view(self, request):
        """A statement template with the Thai headers and one example line (any Thai bank's export works too)."""
        from portal.outputs import exports
        from taxpay.importers import STATEMENT_TEMPLATE

        if not organization_choices(request, model=Payment):
            raise PermissionDenied
        return exports.csv_response("statement-template.csv", STATEMENT_TEMPLATE[0], STATEMENT_TEMPLATE[1:])

    def job_view(self, request, job_uuid):
        """An import's page: progress while it runs; then what it found (a statement's matches, to confirm before
        anything is recorded; a register's counts or every row's error) or why the file was refused."""
        import json

        from portal.machinery import jobs
        from portal.models import BackgroundJob

        job = BackgroundJob.objects.filter(uuid=job_uuid, kind__in=[k for k, _m in services.IMPORT_KINDS.values()]
                                           ).select_related("organization").first()
        if job is None or not jobs.visible_to(request.user, job):
            raise Http404
        result = {}
        if job.status == BackgroundJob.Status.DONE and job.result:
            with job.result.open("rb") as handle:
                result = json.loads(handle.read().decode())
        if job.kind == "taxpay.statement_record" and result.get("import_id"):
            self.message_user(request, gettext("บันทึกใหม่ %(r)s รายการ ซ้ำ %(d)s จับคู่ไม่ได้ %(u)s")
                              % {"r": result["recorded"], "d": result["duplicates"], "u": result["unmatched"]})
            return HttpResponseRedirect(reverse("admin:taxpay_statementimport_change", args=[result["import_id"]]))
        if request.method == "POST" and job.kind == "taxpay.statement_check" and result.get("lines"):
            try:
                record = services.start_import(organization=job.organization, kind="statement_record", data=b"",
                                               filename=job.params["filename"], actor=request.user,
                                               stored=job.params["path"])
            except (PermissionDenied, ValidationError) as exc:
                raise PermissionDenied(gettext("ไม่มีสิทธิ์บันทึกการรับชำระ")) from exc
            return HttpResponseRedirect(reverse("admin:taxpay_import_job", args=[record.uuid]))
        lines = result.get("lines", [])
        counts = {outcome: sum(1 for line in lines if line["outcome"] == outcome)
                  for outcome in ("record", "duplicate", "unmatched")}
        titles = {"taxpay.register_import": gettext("นำเข้าทะเบียนทรัพย์สิน"),
                  "taxpay.statement_check": gettext("ตรวจรายการเดินบัญชีก่อนบันทึก"),
                  "taxpay.statement_record": gettext("บันทึกการรับชำระจากรายการเดินบัญชี")}
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "job": job,
                   "title": titles.get(job.kind, job.kind), "result": result, "lines": lines, "counts": counts,
                   "running": job.status in (BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING)}
        return TemplateResponse(request, "admin/taxpay/import_job.html", context,
                                status=422 if job.status == BackgroundJob.Status.FAILED else 200)

    def file_view(self, request, pk):
        from portal.outputs.files import serve_private

        record = get_object_or_404(scope(StatementImport.objects.all(), request.user), pk=pk)
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        return serve_private(request, record.file, filename=record.filename)

    @admin.display(description=_("จับคู่ไม่ได้"))
    def unmatched_count(self, obj):
        return len(obj.unmatched)

    @admin.display(description=_("รายการที่จับคู่ไม่ได้"))
    def unmatched_table(self, obj):
        from django.template.loader import render_to_string

        return render_to_string("admin/taxpay/unmatched.html", {"lines": obj.unmatched})

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        from taxpay.importers import STATEMENT_COLUMNS

        return import_page(self, request, kind="statement", model=Payment,
                           title=gettext("นำเข้ารายการเดินบัญชีธนาคาร"), columns=STATEMENT_COLUMNS, statement=True,
                           template_url=reverse("admin:taxpay_statementimport_template"))
