"""Exports of the complaint list (CSV, Excel; formulas neutralised by portal.outputs.exports)."""

from django.contrib import admin
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.outputs import exports

# Column headings in the requester's language (Thai by default, English when chosen). Two words that mean
# something else elsewhere (the audit log's "related type", a plan's "responsible unit") carry a context.
HEADER = [_("รหัสติดตาม"), _("แจ้งเมื่อ"), pgettext_lazy("complaint export", "ประเภทเรื่อง"), _("สถานะ"),
          _("ช่องทาง"), _("หน่วยงาน"), pgettext_lazy("complaint export", "ผู้รับผิดชอบ"),
          _("หมู่บ้าน/หมู่ที่"), _("ที่อยู่/จุดสังเกต"), _("ละติจูด"), _("ลองจิจูด"), _("กำหนดเสร็จ"), _("เกินกำหนด"), _("แก้ไขเสร็จเมื่อ"), _("คะแนนความพึงพอใจ")]


def export_rows(queryset):
    rows = []
    for c in queryset.select_related("category", "department", "assignee", "rating").order_by("-created_at"):
        rating = getattr(c, "rating", None) if hasattr(c, "rating") else None
        rows.append([
            c.tracking_code, thai.format_be_date(c.created_at), c.category.name_th, c.get_status_display(),
            c.get_channel_display(), c.department.name_th if c.department else "",
            c.assignee.get_username() if c.assignee else "", c.village, c.address,
            str(c.latitude or ""), str(c.longitude or ""), thai.format_be_date(c.sla_deadline),
            "Y" if c.is_overdue else "", thai.format_be_date(c.resolved_at), rating.score if rating else "",
        ])
    return [str(h) for h in HEADER], rows


class ExportActionsMixin:
    """`export_csv` / `export_xlsx` list actions; `log_export` lets an admin audit what left the building."""

    @admin.action(description=_("ส่งออก CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        header, rows = export_rows(queryset)
        self.log_export(request, queryset)
        return exports.csv_response("complaints.csv", header, rows)

    @admin.action(description=_("ส่งออก Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        header, rows = export_rows(queryset)
        self.log_export(request, queryset)
        return exports.xlsx_response("complaints.xlsx", header, rows, title=gettext("เรื่องร้องเรียน"))

    def log_export(self, request, queryset):
        """Ordinary complaints: the export itself is not audited (the corruption admin overrides this)."""
