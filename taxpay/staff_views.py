"""Staff pages outside the admin's model lists: the revenue dashboard."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.access.permissions import can_in_organization
from portal.access.tenancy import user_org_ids
from portal.models import Organization
from portal.outputs import exports
from portal.thai import to_arabic_digits

from . import selectors, services
from .models import Bill, TaxType


@staff_member_required
def dashboard(request):
    """Billed against collected per tax type and month, outstanding and overdue, for the organizations whose bills
    the staff member may read (finance, administrators, auditors, executives); anyone else is refused."""
    org_ids = None if request.user.is_superuser else {
        pk for pk in user_org_ids(request.user) if can_in_organization(request.user, "view", Bill, pk)}
    organizations = Organization.objects.all() if org_ids is None else Organization.objects.filter(pk__in=org_ids)
    organizations = list(organizations.order_by("name_th"))
    if not organizations:
        raise PermissionDenied(_("ไม่มีสิทธิ์ดูข้อมูลภาษี"))
    slug = request.GET.get("organization")
    organization = next((o for o in organizations if o.slug == slug), organizations[0])
    try:
        year = int(to_arabic_digits(request.GET.get("year", "")) or 0) or None
    except ValueError:
        year = None
    months = selectors.revenue_by_month(organization, year=year)
    labels = dict(TaxType.choices)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        header = [_("เดือน"), _("ประเภทภาษี"), _("ออกใบแจ้ง"), _("ยอดประเมิน"), _("รายการรับชำระ"), _("รับชำระ")]
        rows = [[m["month"], str(labels.get(m["tax_type"], m["tax_type"])), m["bills"], m["billed"], m["payments"],
                 m["collected"]] for m in months]
        name = f"tax-revenue-{organization.slug}{'-' + str(year) if year else ''}.{export}"
        if export == "csv":
            return exports.csv_response(name, header, rows)
        return exports.xlsx_response(name, header, rows, title=_("รายได้ภาษีรายเดือน"))
    today = services.today()
    summary = selectors.outstanding_summary(organization, on=today, year=year)
    return render(request, "taxpay/dashboard.html", {
        "organizations": organizations, "organization": organization, "year": year or "",
        "summary": [{"tax_type": labels.get(k, k), **v} for k, v in sorted(summary.items())],
        "months": [{**m, "tax_type": labels.get(m["tax_type"], m["tax_type"])} for m in months],
        "title": _("รายงานรายได้ภาษี"),
    })

