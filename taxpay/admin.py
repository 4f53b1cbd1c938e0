"""Finance staff: settings, tax years, the property register with its import, bills (read only; corrections
as new versions), payments at the counter, statement imports and the revenue dashboard."""

from decimal import Decimal

from auditlog.registry import auditlog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access.permissions import can, organizations_for
from portal.access.tenancy import scope
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
    PaymentChange,
    Signboard,
    StatementImport,
    TaxSettings,
    TaxYear,
)


def _organizations(request, action="add", model=Parcel):
    return list(organizations_for(request.user, action, model))


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
        organizations = _organizations(request)
        if not organizations:
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, organizations=organizations)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.start_import(organization=form.cleaned_data["organization"], kind="register",
                                            data=table_bytes(upload), filename=upload.name, actor=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                return HttpResponseRedirect(reverse("admin:taxpay_import_job", args=[job.uuid]))
        from .importers import REGISTER_COLUMNS

        context = {**self.admin_site.each_context(request), "title": gettext("นำเข้าทะเบียนทรัพย์สิน"), "form": form,
                   "errors": errors, "columns": REGISTER_COLUMNS, "opts": self.model._meta,
                   "template_url": reverse("admin:taxpay_parcel_import_template")}
        return TemplateResponse(request, "admin/taxpay/import.html", context, status=400 if errors else 200)

    def template_view(self, request):
        from portal.outputs import exports

        from .importers import REGISTER_COLUMNS

        if not _organizations(request):
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


class PaymentStatusFilter(admin.SimpleListFilter):
    """Unpaid, partly paid, paid, overdue: with how many bills of the list are in each."""

    title = _("สถานะการชำระ")
    parameter_name = "payment"

    def lookups(self, request, model_admin):
        self._groups = selectors.bills_by_payment_status(model_admin.get_queryset(request).filter(
            status=Bill.Status.ISSUED), on=services.today())
        labels = selectors.payment_status_labels()
        return [(key, f"{labels[key]} ({len(pks):,})") for key, pks in self._groups.items()]

    def queryset(self, request, queryset):
        if self.value() in getattr(self, "_groups", {}):
            return queryset.filter(pk__in=self._groups[self.value()], status=Bill.Status.ISSUED)
        return queryset


class CurrentVersionFilter(admin.SimpleListFilter):
    """Current versions by default: a corrected bill's old version is history, not something to collect."""

    title = _("ฉบับ")
    parameter_name = "version"

    def lookups(self, request, model_admin):
        return [("all", _("ทุกฉบับ (รวมฉบับที่ถูกแก้ไข)"))]

    def queryset(self, request, queryset):
        return queryset if self.value() == "all" else queryset.filter(status=Bill.Status.ISSUED)

    def choices(self, changelist):
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(remove=[self.parameter_name]),
               "display": gettext("ฉบับปัจจุบัน")}
        yield from list(super().choices(changelist))[1:]


@admin.register(Bill)
class BillAdmin(ScopedModelAdmin):
    """Bills as a finance clerk reads them: payment status, owner and parcels, what is due today; the bill's page
    shows the computation as the notice does, the instalments, surcharges and payments, and "รับชำระ"."""

    list_display = ["number", "owner_name", "parcels", "year", "tax_type", "amount_column", "due_today",
                    "payment_status", "organization"]
    list_filter = [PaymentStatusFilter, CurrentVersionFilter, "year", "tax_type"]
    list_select_related = ["owner", "organization"]
    search_fields = ["number", "owner__name"]
    search_help_text = _("ค้นหาด้วยเลขที่ใบแจ้ง ชื่อเจ้าของ เลขประจำตัวสี่หลักท้าย หรือรหัสแปลง")
    actions = ["issue_correction"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")))

    def get_urls(self):
        view = BillAutocomplete.as_view(admin_site=self.admin_site)
        return [path("autocomplete/", self.admin_site.admin_view(view), name="taxpay_bill_autocomplete"),
                *super().get_urls()]

    def get_search_results(self, request, queryset, search_term):
        """Bill number or owner name (the admin's own search), four ID digits (through their keyed hash), or a
        parcel or sign code. For the payment form's bill search: current bills still owing tax."""
        from portal.thai import normalize_id, personal_id_hash

        if request.GET.get("model_name") == "payment" and request.GET.get("field_name") == "bill":
            queryset = selectors.with_tax_paid(queryset.filter(status=Bill.Status.ISSUED)).filter(
                tax_paid__lt=F("amount")).order_by("number")
        term = search_term.strip()
        digits = normalize_id(term)
        if len(digits) == 4 and digits == term.replace(" ", ""):
            return queryset.filter(owner__id_last4_hash=personal_id_hash("last4:" + digits)), False
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if term:
            parcels = Parcel.objects.filter(code__iexact=term).values("owner_id")
            signs = Signboard.objects.filter(code__iexact=term).values("owner_id")
            found = found | queryset.filter(owner_id__in=parcels) | queryset.filter(owner_id__in=signs)
        return found, duplicates

    def has_add_permission(self, request):
        return False  # bills come from the assessment run

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # an issued bill is never edited; corrections are new versions

    def _state(self, obj):
        if not hasattr(obj, "_state_today"):
            obj._state_today = selectors.bill_state(obj, on=services.today())
        return obj._state_today

    @admin.display(description=_("ผู้เสียภาษี"), ordering="owner__name")
    def owner_name(self, obj):
        return obj.owner.name

    @admin.display(description=_("แปลง / ป้าย"))
    def parcels(self, obj):
        data = obj.computation or {}
        codes = [p["parcel"] for p in data.get("properties", [])] + [s["sign"] for s in data.get("signs", [])]
        return ", ".join(codes[:3]) + (" …" if len(codes) > 3 else "") if codes else "-"

    @admin.display(description=_("ภาษี (บาท)"), ordering="amount")
    def amount_column(self, obj):
        return f"{obj.amount:,.2f}"

    @admin.display(description=_("ยอดที่ต้องชำระวันนี้ (บาท)"))
    def due_today(self, obj):
        if obj.status != Bill.Status.ISSUED:
            return "-"
        return f"{self._state(obj).amount_due_now:,.2f}"

    @admin.display(description=_("สถานะการชำระ"))
    def payment_status(self, obj):
        if obj.status != Bill.Status.ISSUED:
            return obj.get_status_display()
        label = self._state(obj).label
        return format_html('<span class="status-badge payment-{}">{}</span>', label,
                           selectors.payment_status_labels()[label])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The bill as the notice reads, in Thai with Buddhist-era dates and the organization's digits."""
        from portal.thai import page_digits

        from .documents import bill_context

        bill = get_object_or_404(self.get_queryset(request).select_related("owner", "organization"), pk=object_id)
        if not self.has_view_permission(request, bill):
            raise PermissionDenied
        page_digits.set(bill.organization.public_digits or "arabic")  # reset by the middleware after the page
        state = selectors.bill_state(bill, on=services.today())
        context = {**self.admin_site.each_context(request), **bill_context(bill, state), "opts": self.model._meta,
                   "title": gettext("ใบแจ้ง %(n)s") % {"n": bill.number}, "original": bill,
                   "status_word": selectors.payment_status_labels()[state.label]
                   if bill.status == Bill.Status.ISSUED else bill.get_status_display(),
                   "payments": list(bill.payments.all()), "today": services.today(),
                   "can_record": bill.status == Bill.Status.ISSUED and state.total_payable > 0
                   and can(request.user, "add", Payment(organization=bill.organization)),
                   "pay_url": f"{reverse('admin:taxpay_payment_add')}?bill={bill.pk}&amount={state.amount_due_now}",
                   "current": Bill.objects.filter(organization=bill.organization, number=bill.number,
                                                  status=Bill.Status.ISSUED).exclude(pk=bill.pk).first()}
        return TemplateResponse(request, "admin/taxpay/bill/detail.html", context)

    @admin.action(description=_("ออกฉบับแก้ไข (คำนวณใหม่จากทะเบียนปัจจุบัน)"))
    def issue_correction(self, request, queryset):
        for bill in queryset.filter(status=Bill.Status.ISSUED):
            try:
                new = services.correct_bill(bill=bill, reason=gettext("คำนวณใหม่ตามทะเบียนทรัพย์สินปัจจุบัน"),
                                            actor=request.user)
            except (PermissionDenied, ValidationError):
                self.message_user(request, gettext("ออกฉบับแก้ไขของ %(n)s ไม่ได้") % {"n": bill.number}, messages.ERROR)
                continue
            self.message_user(request, gettext("ออกฉบับแก้ไข %(n)s ฉบับที่ %(v)s แล้ว") % {"n": new.number, "v": new.version})


class BillAutocomplete(AutocompleteJsonView):
    """The admin's autocomplete, each bill named with its owner and what is owed."""

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": BillChoiceField.describe(obj)}


class BillSelect(AutocompleteSelect):
    def get_url(self):
        return reverse("admin:taxpay_bill_autocomplete")


class BillChoiceField(forms.ModelChoiceField):
    """A bill named as a clerk finds it: number, owner and what is still owed."""

    def label_from_instance(self, obj):
        return self.describe(obj)

    @staticmethod
    def describe(obj):
        owed = obj.amount - (getattr(obj, "tax_paid", None) or 0)
        return gettext("%(n)s · %(owner)s · ค้างชำระ %(owed)s บาท") % {
            "n": obj.number, "owner": obj.owner.name, "owed": f"{owed:,.2f}"}


class CounterPaymentForm(forms.ModelForm):
    bill = BillChoiceField(queryset=Bill.objects.none(), label=_("ใบแจ้ง"),
                           help_text=_("พิมพ์เลขที่ใบแจ้งหรือชื่อเจ้าของเพื่อค้นหา แต่ละรายการแสดงยอดภาษีที่ยังค้าง"))
    amount = ThaiDigitsDecimalField(label=_("จำนวนเงิน (บาท)"), max_digits=16, decimal_places=2,
                                    min_value=Decimal("0.01"))
    paid_on = BEDateField(label=_("วันที่ชำระ"), widget=BEDateInput)

    class Meta:
        model = Payment
        fields = ["bill", "amount", "paid_on"]


class PaymentChangeRequestForm(forms.Form):
    """Correct or void a payment: what, why, and for a correction the right bill (by number), amount and date."""

    kind = forms.ChoiceField(label=_("ต้องการ"), choices=PaymentChange.Kind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("เหตุผล"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("จำเป็น บันทึกไว้ในประวัติการแก้ไขพร้อมชื่อผู้ขอ"))
    bill_number = forms.CharField(label=_("เลขที่ใบแจ้งที่ถูกต้อง"), max_length=20, required=False,
                                  help_text=_("สำหรับการแก้ไข: เว้นว่างเมื่อใบแจ้งเดิมถูกต้อง"))
    amount = ThaiDigitsDecimalField(label=_("จำนวนเงินที่ถูกต้อง (บาท)"), max_digits=16, decimal_places=2,
                                    min_value=Decimal("0.01"), required=False)
    paid_on = BEDateField(label=_("วันที่ชำระที่ถูกต้อง"), widget=BEDateInput, required=False)

    def __init__(self, *args, payment, **kwargs):
        super().__init__(*args, **kwargs)
        self.payment = payment
        self.fields["amount"].initial = payment.amount
        self.fields["paid_on"].initial = payment.paid_on

    def clean(self):
        data = super().clean()
        if data.get("kind") == PaymentChange.Kind.CORRECT:
            number = (data.get("bill_number") or "").strip().upper() or self.payment.bill.number
            bill = Bill.objects.filter(organization_id=self.payment.organization_id, number=number,
                                       status=Bill.Status.ISSUED).first()
            if bill is None:
                self.add_error("bill_number", gettext("ไม่พบใบแจ้งเลขที่ %(n)s ขององค์กรนี้") % {"n": number})
            data["bill"] = bill
            for name in ("amount", "paid_on"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, gettext("การแก้ไขต้องระบุช่องนี้"))
        return data


@admin.register(Payment)
class PaymentAdmin(ScopedModelAdmin):
    list_display = ["receipt_number", "bill", "amount", "paid_on", "method", "status", "bank_reference",
                    "receipt_link", "organization"]
    list_filter = ["method", "status", "paid_on"]
    list_select_related = ["bill", "organization"]
    search_fields = ["receipt_number", "bill__number", "bank_reference"]
    form = CounterPaymentForm

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [f.name for f in Payment._meta.fields if f.name != "id"] + ["receipt_link", "change_link"]
        return []

    @admin.display(description=_("แก้ไขหรือยกเลิก"))
    def change_link(self, obj):
        if obj is None or obj.status != Payment.Status.VALID:
            return "-"
        return format_html('<a class="button" id="payment-change-request" href="{}">{}</a>',
                           reverse("admin:taxpay_payment_change_request", args=[obj.pk]),
                           gettext("ขอแก้ไขหรือยกเลิกรายการนี้"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["bill", "amount", "paid_on"]
        return self.get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "bill" in form.base_fields:
            # current bills still owing tax, each labelled with its owner and what is owed
            bills = selectors.with_tax_paid(scope(Bill.objects.filter(status=Bill.Status.ISSUED), request.user)
                                            .select_related("owner").order_by("number"))
            form.base_fields["bill"].queryset = bills.filter(tax_paid__lt=F("amount"))
            # typed search by number or owner (BillAdmin's search), each result with what is owed
            form.base_fields["bill"].widget = BillSelect(Payment._meta.get_field("bill"), self.admin_site,
                                                                 attrs={"data-placeholder": gettext("เลขที่ใบแจ้งหรือชื่อเจ้าของ"),
                                                                        "style": "width: 40em; max-width: 100%"})
        return form

    def get_changeform_initial_data(self, request):
        """From the bill's page ("รับชำระ"): that bill, the amount due today, today's date."""
        initial = {"paid_on": services.today()}
        bill = request.GET.get("bill", "")
        if bill.isdigit():
            initial["bill"] = int(bill)
        try:
            initial["amount"] = Decimal(request.GET.get("amount", ""))
        except ArithmeticError:
            pass
        return initial

    def save_model(self, request, obj, form, change):
        """Cash at the counter goes through the payment service (receipt number, allocation, outbox)."""
        payment, _created = services.record_payment(
            bill=form.cleaned_data["bill"], amount=form.cleaned_data["amount"], paid_on=form.cleaned_data["paid_on"],
            method=Payment.Method.COUNTER, actor=request.user)
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
                     name="taxpay_payment_receipt"),
                path("<int:pk>/change-request/", self.admin_site.admin_view(self.change_request_view),
                     name="taxpay_payment_change_request")] + super().get_urls()

    def change_request_view(self, request, pk):
        """Finance staff ask to correct or void a payment; others are refused (403) with the reason."""
        payment = get_object_or_404(scope(Payment.objects.select_related("bill", "organization"), request.user),
                                    pk=pk)
        if not can(request.user, "change", payment):
            raise PermissionDenied(gettext("เฉพาะเจ้าหน้าที่การเงินแก้ไขหรือยกเลิกการรับชำระได้"))
        form = PaymentChangeRequestForm(request.POST or None, payment=payment)
        errors = []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                change = services.request_payment_change(
                    payment=payment, kind=data["kind"], reason=data["reason"], actor=request.user,
                    bill=data.get("bill"), amount=data.get("amount"), paid_on=data.get("paid_on"))
            except ValidationError as exc:
                errors = exc.messages
            else:
                if change.status == PaymentChange.Status.PENDING:
                    self.message_user(request, gettext("ส่งคำขอแล้ว รอเจ้าหน้าที่การเงินอีกคนอนุมัติ"))
                    return HttpResponseRedirect(reverse("admin:taxpay_paymentchange_change", args=[change.pk]))
                self.message_user(request, gettext("ดำเนินการแล้ว"))
                target = change.result or payment
                return HttpResponseRedirect(reverse("admin:taxpay_payment_change", args=[target.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "payment": payment,
                   "form": form, "errors": errors,
                   "title": gettext("แก้ไขหรือยกเลิกการรับชำระ %(r)s") % {"r": payment.receipt_number},
                   "needs_approval": selectors.tax_settings(payment.organization).changes_need_approval}
        return TemplateResponse(request, "admin/taxpay/payment_change_request.html", context,
                                status=400 if request.method == "POST" else 200)

    def receipt_view(self, request, pk):
        from .documents import receipt_response

        payment = get_object_or_404(scope(Payment.objects.select_related("bill__owner", "organization"),
                                          request.user), pk=pk)
        if not self.has_view_permission(request, payment):
            raise PermissionDenied
        return receipt_response(request, payment)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("เหตุผลเมื่อไม่อนุมัติ"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


@admin.register(PaymentChange)
class PaymentChangeAdmin(ScopedModelAdmin):
    """Requests to correct or void payments; a pending one is approved or rejected by another finance officer."""

    list_display = ["payment", "kind", "status", "reason", "requested_by", "requested_at", "decided_by",
                    "organization"]
    list_filter = ["status", "kind"]
    list_select_related = ["payment", "requested_by", "decided_by", "organization"]
    readonly_fields = ["organization", "payment", "kind", "reason", "new_bill", "new_amount", "new_paid_on", "status",
                       "requested_by", "requested_at", "decided_by", "decided_at", "decision_note", "result"]
    fields = readonly_fields
    change_form_template = "admin/taxpay/paymentchange/change_form.html"

    def has_add_permission(self, request):
        return False  # asked for from the payment's page

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = get_object_or_404(scope(PaymentChange.objects.select_related("payment"), request.user),
                                   pk=object_id)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and "_decide" in request.POST:
            if not can(request.user, "change", change.payment):
                raise PermissionDenied(gettext("เฉพาะเจ้าหน้าที่การเงินอนุมัติคำขอได้"))
            if form.is_valid():
                try:
                    if request.POST["_decide"] == "approve":
                        services.approve_payment_change(change=change, actor=request.user)
                        self.message_user(request, gettext("อนุมัติและดำเนินการแล้ว"))
                    else:
                        services.reject_payment_change(change=change, actor=request.user,
                                                       note=form.cleaned_data["note"])
                        self.message_user(request, gettext("ไม่อนุมัติคำขอแล้ว"))
                except ValidationError as exc:
                    self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
        extra = {**(extra_context or {}), "decision_form": form,
                 "can_decide": change.status == PaymentChange.Status.PENDING
                 and can(request.user, "change", change.payment)}
        return super().change_view(request, object_id, form_url, extra)


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

        from .importers import STATEMENT_TEMPLATE

        if not _organizations(request, model=Payment):
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
        organizations = _organizations(request, model=Payment)
        if not organizations:
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, organizations=organizations)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.start_import(organization=form.cleaned_data["organization"], kind="statement",
                                            data=table_bytes(upload), filename=upload.name, actor=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                return HttpResponseRedirect(reverse("admin:taxpay_import_job", args=[job.uuid]))
        from .importers import STATEMENT_COLUMNS

        context = {**self.admin_site.each_context(request), "title": gettext("นำเข้ารายการเดินบัญชีธนาคาร"),
                   "form": form, "errors": errors, "columns": STATEMENT_COLUMNS, "opts": self.model._meta,
                   "statement": True, "template_url": reverse("admin:taxpay_statementimport_template")}
        return TemplateResponse(request, "admin/taxpay/import.html", context, status=400 if errors else 200)


for model in (TaxSettings, TaxYear, Parcel, ParcelUsePart, Building, Signboard):
    auditlog.register(model)
auditlog.register(Owner, exclude_fields=["id_hash", "id_last4_hash"])
auditlog.register(Bill, include_fields=["status", "warning_sent_on", "warning_deadline"])
auditlog.register(Payment)
auditlog.register(PaymentChange)
auditlog.register(StatementImport, exclude_fields=["unmatched"])
