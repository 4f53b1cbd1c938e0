"""Bills: read only, with their payment status filter, the bill page and corrections as new versions."""


from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access.permissions import can
from portal.admin.mixins import ScopedModelAdmin
from taxpay import selectors, services
from taxpay.models import (
    Bill,
    Parcel,
    Payment,
    Signboard,
)


# The bill picker of the payment forms: current bills, by number or owner, of the organizations one may record in.
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
        from taxpay.documents import bill_context

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
