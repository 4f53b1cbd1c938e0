"""Taxpayer pages (bill lookup, the bill with its QR, notice and receipt PDFs, the estimator). Thin: reads through selectors, writes through services."""

import re

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.access import otp
from portal.inputs.ratelimit import allowance, limited
from portal.models import Organization
from portal.outputs import qr as qr_image

from . import documents, rules, selectors, services
from .forms import EstimateForm, LookupForm, LostNoticeForm
from .models import Payment

GRANT_COOKIE = "taxpay_bills"
GRANT_AGE = 24 * 3600
REFERENCE_RE = re.compile(r"[A-Z0-9]{1,20}")
VERIFY_CODE_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def _org(org_slug):
    return get_object_or_404(Organization, slug=org_slug, is_active=True)


def _granted(request) -> list[str]:
    return [v for v in request.get_signed_cookie(GRANT_COOKIE, default="", salt=GRANT_COOKIE,
                                                 max_age=GRANT_AGE).split(",") if v]


def _grant(request, response, *bills):
    """Remember in a signed cookie (no session row to read on every page) which bills this browser looked up."""
    keys = [f"{bill.organization.slug}:{bill.number}" for bill in bills]
    allowed = ([v for v in _granted(request) if v not in keys] + keys)[-20:]
    response.set_signed_cookie(GRANT_COOKIE, ",".join(allowed), salt=GRANT_COOKIE, max_age=GRANT_AGE,
                               httponly=True, samesite="Lax", secure=request.is_secure())
    return response


def _granted_number(request, org_slug, number) -> str:
    """The bill number, upper-cased, if this browser looked it up with the owner's last four ID digits; 404
    otherwise."""
    number = (number or "").upper()
    if f"{org_slug}:{number}" not in _granted(request):
        raise Http404
    return number


def _granted_bill(request, org_slug, number):
    """The bill (with its organization), if this browser looked it up with the owner's last four ID digits;
    404 otherwise."""
    number = _granted_number(request, org_slug, number)
    bill = selectors.bill_for_page(org_slug, number)
    if bill is None:
        raise Http404
    return bill


def _too_many_lookups(request, retry_after, org_slug):
    organization = _org(org_slug)
    form = LookupForm(request.POST)
    form.is_valid()
    form.errors.clear()
    minutes = max(1, retry_after // 60)
    return render(request, "taxpay/index.html", {
        "organization": organization, "form": form,
        "error": _("ค้นหาเกินจำนวนครั้งที่กำหนด กรุณาลองใหม่ในอีก %(n)s นาที") % {"n": minutes},
    }, status=429)


@never_cache
@limited("20/h", group="taxpay-lookup", count="all", on_limited=_too_many_lookups)
def index(request, org_slug):
    """Look up a bill by its number and the last four digits of the owner's ID. Every attempt counts against
    the limit, so the four digits cannot be guessed by trying."""
    organization = _org(org_slug)
    form = LookupForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        # Failed tries of one bill number are also counted across every address (IPv6 makes addresses cheap).
        per_bill = allowance(group="taxpay-lookup-bill", rate=settings.TAXPAY_LOOKUP_BILL_RATE,
                             organization=organization.slug, subject=form.cleaned_data["number"].strip().upper())
        if per_bill is not None and per_bill.used() >= per_bill.limit:
            return _too_many_lookups(request, per_bill.retry_after, org_slug)
        bill = selectors.find_bill(organization, form.cleaned_data["number"], form.cleaned_data["id_last4"])
        if bill is not None:
            return _grant(request, redirect("taxpay:bill", org_slug=organization.slug, number=bill.number), bill)
        if per_bill is not None:
            per_bill.hit()
        error = _("ไม่พบใบแจ้งที่ตรงกับเลขที่และเลขประจำตัวสี่หลักท้ายนี้")
    status = 400 if request.method == "POST" else 200
    return render(request, "taxpay/index.html", {"organization": organization, "form": form, "error": error},
                  status=status)


LOST_PURPOSE = "taxpay-lost"
LOST_SESSION_KEY = "taxpay_lost_owner"  # the keyed hash of the ID typed, never the ID


@never_cache
@limited("10/h", group="taxpay-lost", count="all")
@require_http_methods(["GET", "POST"])
def lost_notice(request, org_slug):
    """"Lost your notice?": the owner's ID, then a one-time code to the phone on the tax register, then the owner's
    current bills (this browser may open them). The answer to an ID is the same whether it is on the register or
    not, so the page tells nobody who pays tax here."""
    organization = _org(org_slug)
    form = LostNoticeForm(request.POST if request.POST.get("action") == "send" else None)
    owner_key = request.session.get(LOST_SESSION_KEY, "")
    context = {"organization": organization, "form": form, "asked": bool(owner_key) and "sent" in request.GET}
    if request.method == "POST" and request.POST.get("action") == "send":
        if not form.is_valid():
            return render(request, "taxpay/lost.html", context, status=400)
        owner_key, phone = selectors.owner_contact_for_id(organization, form.cleaned_data["owner_id"])
        request.session[LOST_SESSION_KEY] = owner_key
        if phone:
            sent = otp.send(request, purpose=LOST_PURPOSE, subject=owner_key, organization=organization,
                            channel="sms", recipient=phone)
        else:  # nothing to send to, but the same limits: a refusal must not tell a registered ID from another
            sent = otp.charge(request, recipient=f"{LOST_PURPOSE}:{owner_key}")
        if not sent.ok:
            response = render(request, "taxpay/lost.html", {**context, "error": sent.message}, status=429)
            response["Retry-After"] = str(sent.retry_after)
            return response
        return redirect(reverse("taxpay:lost", args=[org_slug]) + "?sent=1")
    if request.method == "POST" and request.POST.get("action") == "code":
        checked = otp.verify(request, purpose=LOST_PURPOSE, subject=owner_key, code=request.POST.get("code", ""))
        if not owner_key or not checked.ok:
            return render(request, "taxpay/lost.html", {**context, "asked": bool(owner_key),
                                                         "error": checked.message}, status=400)
        bills = list(selectors.bills_of_owner(organization, owner_key))
        response = render(request, "taxpay/lost.html", {**context, "bills": bills, "found": True})
        return _grant(request, response, *bills) if bills else response
    return render(request, "taxpay/lost.html", context)


PAGE_CACHE_SECONDS = 3600


@never_cache
def bill_page(request, org_slug, number):
    """The bill as of today. Its content (computation, instalments, amounts due, the QR) is rendered once per
    bill state, day and language and kept in the cache, keyed by the bill's signature (selectors.
    bill_page_signature: current version and payments); a request renders only the page's shell (per-request
    CSRF token, language switch) around it."""
    number = _granted_number(request, org_slug, number)
    signature = selectors.bill_page_signature(org_slug, number)
    if signature is None:
        raise Http404
    key = f"taxpay:bill-page:{org_slug}:{signature}:{services.today().isoformat()}:{get_language()}"
    page = cache.get(key)
    if page is None:
        page = _bill_page_content(request, org_slug, number)
        cache.set(key, page, PAGE_CACHE_SECONDS)
    organization = page["organization"]
    return render(request, "taxpay/bill.html", {"organization": organization, "page": {
        "title": page["title"], "content": mark_safe(page["content"])}})  # noqa: S308 - our own rendered template


def _bill_page_content(request, org_slug, number) -> dict:
    bill = selectors.bill_for_page(org_slug, number)
    if bill is None:
        raise Http404
    state = selectors.bill_state(bill, on=services.today())
    context = documents.bill_context(bill, state)
    context["payments"] = sorted(bill.payments.all(), key=lambda p: (p.paid_on, p.pk))
    organization = bill.organization
    return {"title": f"{bill.number} · {organization.name}",
            "content": render_to_string("taxpay/_bill_content.html", context, request),
            # what the shell (taxpay/_base.html, base.html) reads of the organization
            "organization": {"name": organization.name, "slug": organization.slug,
                             "get_absolute_url": organization.get_absolute_url()}}


@never_cache
def bill_qr_png(request, org_slug, number):
    bill = _granted_bill(request, org_slug, number)
    payload = selectors.qr_payload(selectors.bill_state(bill, on=services.today()))
    if payload is None:
        raise Http404
    response = HttpResponse(qr_image.png_bytes(payload), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{bill.number}.png"'
    return response


@never_cache
def notice_pdf(request, org_slug, number):
    bill = _granted_bill(request, org_slug, number)
    state = selectors.bill_state(bill, on=services.today())
    response = HttpResponse(documents.notice_pdf(bill, state), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-{bill.number}.pdf"'
    return response


@never_cache
def receipt_pdf(request, org_slug, receipt_number):
    if not REFERENCE_RE.fullmatch(receipt_number.upper()):
        raise Http404
    organization = _org(org_slug)
    payment = (Payment.objects.filter(organization=organization, receipt_number=receipt_number.upper())
               .select_related("bill__owner", "organization").first())
    if payment is None:
        raise Http404
    _granted_bill(request, org_slug, payment.bill.number)
    return documents.receipt_response(request, payment)


@require_GET
@limited("60/h", group="taxpay-verify", count="all", methods=("GET",))
def receipt_verify(request, org_slug, code):
    """What the receipt's QR opens: confirms the receipt exists (no personal data beyond the masked ID)."""
    organization = _org(org_slug)
    if not VERIFY_CODE_RE.fullmatch(code):
        return render(request, "taxpay/verify.html", {"organization": organization, "payment": None}, status=404)
    payment = (Payment.objects.filter(organization=organization, verify_code=code)
               .select_related("bill__owner").first())
    return render(request, "taxpay/verify.html", {"organization": organization, "payment": payment},
                  status=200 if payment else 404)


@require_GET
def estimate(request, org_slug):
    """The estimate by this organization's own rates (its latest tax year), the Act's where it has edited none."""
    organization = _org(org_slug)
    form = EstimateForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        rates = selectors.estimate_rates(organization)
        try:
            if data["tax"] == "signboard":
                computation = rules.signboard_tax(kind=data["kind"], changing=data["changing"] == "1",
                                                  width_cm=data["width_cm"], height_cm=data["height_cm"],
                                                  quarter=data.get("quarter"), rates=rates["sign_rates"])
            else:
                computation = rules.land_building_tax(data["value"], use=data["use"], owner=data["owner"],
                                                      schedule=rates["schedule"](data["use"]),
                                                      relief_percent=rates["relief_percent"])
        except rules.RuleError as exc:
            form.add_error(None, str(exc))
        else:
            rows = [selectors.describe_line(line) for line in computation.lines]
            result = {"tax": computation.tax, "rows": rows}
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "taxpay/estimate.html", {"organization": organization, "form": form, "result": result},
                  status=status)
