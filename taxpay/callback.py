"""The bank's payment callback: POST /taxpay/callback/<org>/ with a JSON body signed by HMAC-SHA256 under the
organization's own secret (header X-Signature: hex digest, optionally prefixed "sha256=").

Body: {"bank_reference": "...", "ref1": "<bill number>", "ref2": "...", "amount": "2000.00",
       "paid_on": "YYYY-MM-DD"}
Answers: 200 recorded, 200 duplicate (same bank reference: nothing new is recorded), 403 bad signature,
404 unknown organization, 400 malformed body, 422 no bill to match or a payment date the bill cannot have (in
the future beyond CLOCK_SKEW, or before the bill was issued: a back-dated payment would dodge the surcharges);
the bank should flag those for a person."""

import datetime as dt
import hashlib
import hmac
import json
import re
from decimal import Decimal, InvalidOperation

from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.models import Organization

from . import selectors, services
from .models import Payment, TaxSettings

MAX_BODY = 16 * 1024
# A bank's clock may run a little ahead of ours: a payment dated "tomorrow" is accepted this close to midnight.
CLOCK_SKEW = dt.timedelta(minutes=10)
PRINTABLE = re.compile(r"[\x21-\x7e]{1,64}")
REFERENCE_RE = re.compile(r"[A-Z0-9]{1,20}")


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _error(status, message, **extra):
    return JsonResponse({"status": "error", "error": message, **extra}, status=status,
                        json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def payment_callback(request, org_slug):
    organization = Organization.objects.filter(slug=org_slug, is_active=True).first()
    settings_row = TaxSettings.objects.filter(organization=organization).first() if organization else None
    if settings_row is None or not settings_row.callback_secret:
        raise Http404
    body = request.body
    if len(body) > MAX_BODY:
        return _error(413, "body too large")
    given = request.headers.get("X-Signature", "").strip().lower().removeprefix("sha256=")
    if not given or not hmac.compare_digest(given, signature(settings_row.callback_secret, body)):
        return _error(403, "bad signature")
    try:
        data = json.loads(body.decode("utf-8"))
        reference = str(data["bank_reference"]).strip()[:64]
        ref1 = str(data["ref1"]).strip().upper()
        ref2 = str(data.get("ref2", "")).strip().upper()
        amount = Decimal(str(data["amount"]))
        paid_on = dt.date.fromisoformat(str(data.get("paid_on") or services.today().isoformat())[:10])
        if not PRINTABLE.fullmatch(reference) or not REFERENCE_RE.fullmatch(ref1) or \
                (ref2 and not REFERENCE_RE.fullmatch(ref2)) or not amount.is_finite() or amount <= 0:
            raise ValueError
    except (ValueError, KeyError, TypeError, InvalidOperation, UnicodeDecodeError, AttributeError):
        return _error(400, "malformed body: bank_reference, ref1, amount (decimal string), paid_on (YYYY-MM-DD)")
    existing = Payment.objects.filter(organization=organization, bank_reference=reference).first()
    if existing:
        return JsonResponse({"status": "duplicate", "receipt_number": existing.receipt_number})
    bill = selectors.current_bills(organization).filter(number=ref1).select_related("organization", "owner").first()
    if bill is None:
        return _error(422, "no bill with this reference 1", ref1=ref1)
    if paid_on > services.latest_payment_date(CLOCK_SKEW):
        return _error(422, "paid_on is in the future", paid_on=paid_on.isoformat())
    issued_on = timezone.localdate(bill.issued_at)
    if paid_on < issued_on:
        return _error(422, "paid_on is before the bill was issued", paid_on=paid_on.isoformat(),
                      issued_on=issued_on.isoformat())
    try:
        payment, created = services.record_payment(bill=bill, amount=amount, paid_on=paid_on,
                                                   method=Payment.Method.CALLBACK, bank_reference=reference, ref2=ref2)
    except services.PaymentRefused as exc:
        return _error(422, " ".join(exc.messages))
    return JsonResponse({"status": "recorded" if created else "duplicate", "receipt_number": payment.receipt_number})
