"""Finance staff: settings, tax years, the property register with its import, bills (read only; corrections
as new versions), payments at the counter, statement imports and the revenue dashboard."""

from decimal import Decimal

from auditlog.registry import auditlog
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access.permissions import can
from portal.access.tenancy import scope, user_org_ids
from portal.admin.mixins import ScopedInlineMixin, ScopedModelAdmin
from portal.inputs.forms import BEDateField, BEDateInput, ThaiDigitsDecimalField
from portal.inputs.uploads import check_file, read_limited
from portal.models import Organization

from . import rules, selectors, services
from .forms import TaxYearForm
from .models import (
    Bill,
    Building,
    Counter,
    Owner,
    Parcel,
    ParcelUsePart,
    Payment,
    Signboard,
    StatementImport,
    TaxSettings,
    TaxYear,
)


def _organizations(request, action="add", model=Parcel):
    orgs = Organization.objects.all() if request.user.is_superuser else \
        Organization.objects.filter(pk__in=user_org_ids(request.user))
    return [o for o in orgs.order_by("name_th") if can(request.user, action, model(organization=o))]


XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)"}


def table_bytes(upload) -> bytes:
    """An uploaded table checked by content: an Excel workbook through portal.inputs.uploads, anything else read within
    the size limit and left to the CSV reader, which refuses what is not UTF-8 text."""
    data = read_limited(upload, services.MAX_IMPORT_BYTES)
    if data[:4] == b"PK\x03\x04" or upload.name.lower().endswith(".xlsx"):
        return check_file(upload, allowed=XLSX, max_bytes=services.MAX_IMPORT_BYTES).data
    return data


class OrganizationChoiceForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("องค์กร"))

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk


class UploadForm(OrganizationChoiceForm):
    file = forms.FileField(label=_("ไฟล์ (CSV หรือ XLSX)"))


@admin.register(TaxSettings)
class TaxSettingsAdmin(ScopedModelAdmin):
    list_display = ["organization", "biller_suffix", "payee_name"]
    fields = ["organization", "biller_suffix", "payee_name", "callback_secret", "callback_url"]
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
                                                user=request.user)
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
                path("map/", self.admin_site.admin_view(self.map_view), name="taxpay_parcel_map"),
                ] + super().get_urls()

    def import_view(self, request):
        organizations = _organizations(request)
        if not organizations:
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, organizations=organizations)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                counts = services.import_register(organization=form.cleaned_data["organization"],
                                                  data=table_bytes(upload), filename=upload.name, user=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                self.message_user(request, gettext(
                    "นำเข้าแล้ว: แปลง %(parcels)s สิ่งปลูกสร้าง %(buildings)s ป้าย %(signboards)s เจ้าของ %(owners)s")
                    % {"parcels": 0, "buildings": 0, "signboards": 0, "owners": 0, **counts})
                return HttpResponseRedirect(reverse("admin:taxpay_parcel_changelist"))
        from .importers import REGISTER_COLUMNS

        context = {**self.admin_site.each_context(request), "title": gettext("นำเข้าทะเบียนทรัพย์สิน"), "form": form,
                   "errors": errors, "columns": REGISTER_COLUMNS, "opts": self.model._meta}
        return TemplateResponse(request, "admin/taxpay/import.html", context, status=400 if errors else 200)

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


class PaymentInline(ScopedInlineMixin, admin.TabularInline):
    model = Payment
    extra = 0
    fields = ["receipt_number", "paid_on", "amount", "principal", "charges", "method", "bank_reference"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Bill)
class BillAdmin(ScopedModelAdmin):
    list_display = ["number", "version", "year", "tax_type", "owner", "amount", "status", "due_date", "organization"]
    list_filter = ["year", "tax_type", "status"]
    list_select_related = ["owner", "organization"]
    search_fields = ["number"]
    inlines = [PaymentInline]
    actions = ["issue_correction"]
    readonly_fields = ["number", "version", "previous", "status", "year", "tax_type", "owner", "amount",
                       "computation", "instalments", "due_date", "reason", "issued_at", "created_by", "state_now"]
    fields = readonly_fields + ["warning_sent_on", "warning_deadline"]

    def has_add_permission(self, request):
        return False  # bills come from the assessment run

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # an issued bill is never edited; corrections are new versions

    @admin.display(description=_("ยอดที่ต้องชำระวันนี้"))
    def state_now(self, obj):
        state = selectors.bill_state(obj, on=services.today())
        return format_html("{} บาท ({})", state.amount_due_now, state.label)

    @admin.action(description=_("ออกฉบับแก้ไข (คำนวณใหม่จากทะเบียนปัจจุบัน)"))
    def issue_correction(self, request, queryset):
        for bill in queryset.filter(status=Bill.Status.ISSUED):
            try:
                new = services.correct_bill(bill=bill, reason=gettext("คำนวณใหม่ตามทะเบียนทรัพย์สินปัจจุบัน"),
                                            user=request.user)
            except (PermissionDenied, ValidationError):
                self.message_user(request, gettext("ออกฉบับแก้ไขของ %(n)s ไม่ได้") % {"n": bill.number}, messages.ERROR)
                continue
            self.message_user(request, gettext("ออกฉบับแก้ไข %(n)s ฉบับที่ %(v)s แล้ว") % {"n": new.number, "v": new.version})


class CounterPaymentForm(forms.ModelForm):
    amount = ThaiDigitsDecimalField(label=_("จำนวนเงิน (บาท)"), max_digits=16, decimal_places=2,
                                    min_value=Decimal("0.01"))
    paid_on = BEDateField(label=_("วันที่ชำระ"), widget=BEDateInput)

    class Meta:
        model = Payment
        fields = ["bill", "amount", "paid_on"]


@admin.register(Payment)
class PaymentAdmin(ScopedModelAdmin):
    list_display = ["receipt_number", "bill", "amount", "paid_on", "method", "bank_reference", "receipt_link",
                    "organization"]
    list_filter = ["method", "paid_on"]
    list_select_related = ["bill", "organization"]
    search_fields = ["receipt_number", "bill__number", "bank_reference"]
    form = CounterPaymentForm

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [f.name for f in Payment._meta.fields if f.name != "id"] + ["receipt_link"]
        return []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["bill", "amount", "paid_on"]
        return self.get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "bill":
            kwargs["queryset"] = scope(Bill.objects.filter(status=Bill.Status.ISSUED), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Cash at the counter goes through the payment service (receipt number, allocation, outbox)."""
        payment, _created = services.record_payment(
            bill=form.cleaned_data["bill"], amount=form.cleaned_data["amount"], paid_on=form.cleaned_data["paid_on"],
            method=Payment.Method.COUNTER, user=request.user)
        obj.pk = payment.pk
        obj.receipt_number = payment.receipt_number

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except services.PaymentRefused as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.display(description=_("ใบเสร็จ"))
    def receipt_link(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("admin:taxpay_payment_receipt", args=[obj.pk]))

    def get_urls(self):
        return [path("<int:pk>/receipt.pdf", self.admin_site.admin_view(self.receipt_view),
                     name="taxpay_payment_receipt")] + super().get_urls()

    def receipt_view(self, request, pk):
        from .documents import receipt_response

        payment = get_object_or_404(scope(Payment.objects.select_related("bill__owner", "organization"),
                                          request.user), pk=pk)
        if not self.has_view_permission(request, payment):
            raise PermissionDenied
        return receipt_response(request, payment)


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
                     name="taxpay_statementimport_file")] + super().get_urls()

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
        organizations = _organizations(request, model=Payment)
        if not organizations:
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, organizations=organizations)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.import_statement(organization=form.cleaned_data["organization"],
                                                   data=table_bytes(upload), filename=upload.name, user=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                self.message_user(request, gettext("บันทึกใหม่ %(r)s รายการ ซ้ำ %(d)s จับคู่ไม่ได้ %(u)s")
                                  % {"r": result.recorded, "d": result.duplicates, "u": len(result.unmatched)})
                return HttpResponseRedirect(reverse("admin:taxpay_statementimport_change", args=[result.pk]))
        from .importers import STATEMENT_COLUMNS

        context = {**self.admin_site.each_context(request), "title": gettext("นำเข้ารายการเดินบัญชีธนาคาร"),
                   "form": form, "errors": errors, "columns": STATEMENT_COLUMNS, "opts": self.model._meta}
        return TemplateResponse(request, "admin/taxpay/import.html", context, status=400 if errors else 200)


for model in (TaxSettings, TaxYear, Parcel, ParcelUsePart, Building, Signboard):
    auditlog.register(model)
auditlog.register(Owner, exclude_fields=["id_hash", "id_last4_hash"])
auditlog.register(Bill, include_fields=["status", "warning_sent_on", "warning_deadline"])
auditlog.register(Payment)
auditlog.register(StatementImport, exclude_fields=["unmatched"])
