"""Payments at the counter (the bill picked by autocomplete), the requests to void or correct one and their
approval by a second finance officer."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access.permissions import can
from portal.access.tenancy import scope
from portal.admin.mixins import ScopedModelAdmin
from portal.inputs.forms import BEDateField, BEDateInput, ThaiDigitsDecimalField
from taxpay import selectors, services
from taxpay.models import (
    Bill,
    Payment,
    PaymentChange,
)

from .bills import BillChoiceField, BillSelect


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
        from taxpay.documents import receipt_response

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
