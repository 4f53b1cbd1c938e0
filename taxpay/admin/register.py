"""The register's screens: tax settings, tax years (with the assessment run), owners, parcels with their
buildings and use by part (with the register import), buildings, signboards, the running numbers."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access.tenancy import scope
from portal.admin.mixins import ScopedInlineMixin, ScopedModelAdmin
from taxpay import rules, services
from taxpay.forms import TaxYearForm
from taxpay.models import (
    Building,
    Counter,
    Owner,
    Parcel,
    ParcelUsePart,
    Signboard,
    TaxSettings,
    TaxYear,
)

from .common import import_page, organization_choices


@admin.register(TaxSettings)
class TaxSettingsAdmin(ScopedModelAdmin):
    list_display = ["organization", "biller_suffix", "payee_name", "changes_need_approval"]
    fields = ["organization", "biller_suffix", "payee_name", "callback_secret", "callback_url", "changes_need_approval"]
    readonly_fields = ["callback_url"]

    @admin.display(description=_("ที่อยู่สำหรับธนาคารแจ้งชำระ"))
    def callback_url(self, obj):
        return reverse("taxpay-callback", args=[obj.organization.slug]) if obj and obj.pk else "-"


@admin.register(TaxYear)
class TaxYearAdmin(ScopedModelAdmin):
    """Rates are edited as rows (category, from, to, rate; exemptions; signboard rates), never as JSON."""

    list_display = ["year", "organization", "relief_percent", "due_date", "signboard_due_date"]
    list_filter = ["year"]
    actions = ["run_assessment"]
    form = TaxYearForm
    change_form_template = "admin/taxpay/taxyear/change_form.html"
    fieldsets = [
        (None, {"fields": ["organization", "year", "relief_percent"]}),
        (_("วันแจ้งประเมินและวันครบกำหนด"), {"fields": ["notice_date", "due_date", "instalment_2_due",
                                                          "instalment_3_due", "instalment_threshold",
                                                          "signboard_due_date"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        # the signboard rate fields are made by the form per kind; show them in their own group
        signs = [f"sign_{kind}_{text}" for kind in rules.SignKind.ALL for text in ("changing", "fixed")]
        return [*self.fieldsets, (_("อัตราภาษีป้าย (บาทต่อ 500 ตร.ซม.)"), {"fields": signs})]

    @admin.action(description=_("ประเมินภาษีและออกใบแจ้งของปีที่เลือก"))
    def run_assessment(self, request, queryset):
        """Each selected year runs as a background job; the message links to its progress."""
        for tax_year in queryset.select_related("organization"):
            try:
                job = services.start_assessment(organization=tax_year.organization, year=tax_year.year,
                                                actor=request.user)
            except PermissionDenied:
                self.message_user(request, gettext("ไม่มีสิทธิ์ออกใบแจ้ง"), messages.ERROR)
                continue
            self.message_user(request, format_html(
                '{} <a href="{}">{}</a>', gettext("เริ่มประเมินภาษีปี %(year)s แล้ว") % {"year": tax_year.year},
                reverse("job-status", args=[job.uuid]), gettext("ดูความคืบหน้า")))


@admin.register(Owner)
class OwnerAdmin(ScopedModelAdmin):
    list_display = ["name", "id_masked", "kind", "organization"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["id_masked"]
    fields = ["organization", "kind", "name", "id_masked", "address", "contact_email", "contact_phone",
              "contact_language"]

    def get_search_results(self, request, queryset, search_term):
        """A full 13-digit ID typed in the search box is found through its keyed hash."""
        from portal.thai import normalize_id, personal_id_hash

        digits = normalize_id(search_term)
        if len(digits) == 13:
            return queryset.filter(id_hash=personal_id_hash(digits)), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False  # owners come with their ID through the register import (the ID is hashed on the way in)


class BuildingInline(ScopedInlineMixin, admin.TabularInline):
    model = Building
    extra = 0
    fields = ["organization", "building_type", "area_sqm", "price_per_sqm", "age_years", "depreciation_percent"]


class UsePartFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        total = sum((form.cleaned_data.get("share_percent") or 0 for form in self.forms
                     if form.cleaned_data and not form.cleaned_data.get("DELETE")), Decimal(0))
        if total > 100:
            raise ValidationError(gettext("สัดส่วนการใช้ประโยชน์รวมเกินร้อยละ 100 (รวม %(total)s)") % {"total": total})


class ParcelUsePartInline(ScopedInlineMixin, admin.TabularInline):
    """Use by part: shares of the parcel used otherwise than its main use; the main use keeps the rest."""

    model = ParcelUsePart
    formset = UsePartFormSet
    extra = 0
    fields = ["organization", "use", "share_percent"]


@admin.register(Parcel)
class ParcelAdmin(ScopedModelAdmin):
    list_display = ["code", "deed_type", "deed_number", "owner", "use", "area_display", "value_per_wa",
                    "organization"]
    list_filter = ["use", "deed_type"]
    list_select_related = ["owner", "organization"]
    search_fields = ["code", "deed_number", "location"]
    inlines = [ParcelUsePartInline, BuildingInline]
    change_list_template = "admin/taxpay/parcel/change_list.html"

    @admin.display(description=_("เนื้อที่ (ไร่-งาน-วา)"))
    def area_display(self, obj):
        return f"{obj.area_rai}-{obj.area_ngan}-{obj.area_wa}"

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view), name="taxpay_parcel_import"),
                path("import/template.csv", self.admin_site.admin_view(self.template_view),
                     name="taxpay_parcel_import_template"),
                path("map/", self.admin_site.admin_view(self.map_view), name="taxpay_parcel_map"),
                ] + super().get_urls()

    def import_view(self, request):
        from taxpay.importers import REGISTER_COLUMNS

        return import_page(self, request, kind="register", model=Parcel, title=gettext("นำเข้าทะเบียนทรัพย์สิน"),
                           columns=REGISTER_COLUMNS, template_url=reverse("admin:taxpay_parcel_import_template"))

    def template_view(self, request):
        from portal.outputs import exports
        from taxpay.importers import REGISTER_COLUMNS

        if not organization_choices(request):
            raise PermissionDenied
        return exports.csv_response("register-template.csv", REGISTER_COLUMNS, [])

    def map_view(self, request):
        parcels = scope(Parcel.objects.all(), request.user).filter(latitude__isnull=False).select_related("owner")
        points = [{"code": p.code, "lat": float(p.latitude), "lng": float(p.longitude), "use": p.get_use_display(),
                   "boundary": p.boundary} for p in parcels[:5000]]
        context = {**self.admin_site.each_context(request), "title": gettext("แผนที่ภาษี"), "points": points,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/taxpay/map.html", context)


@admin.register(Building)
class BuildingAdmin(ScopedModelAdmin):
    list_display = ["parcel", "building_type", "area_sqm", "age_years", "depreciation_percent", "organization"]
    list_filter = ["building_type"]
    list_select_related = ["parcel", "organization"]


@admin.register(Signboard)
class SignboardAdmin(ScopedModelAdmin):
    list_display = ["code", "owner", "kind", "changing", "width_cm", "height_cm", "location", "organization"]
    list_filter = ["kind", "changing"]
    list_select_related = ["owner", "organization"]
    search_fields = ["code", "text", "location"]


@admin.register(Counter)
class CounterAdmin(ScopedModelAdmin):
    list_display = ["series", "year", "last", "organization"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
