import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from taxpay import services
from taxpay.models import Payment
from tests.taxpay.factories import make_bill, tax_org

pytestmark = pytest.mark.django_db


def post(client, org, body: dict, *, secret=None, raw=None):
    data = raw if raw is not None else json.dumps(body).encode()
    secret = secret if secret is not None else services.ensure_tax_settings(org).callback_secret
    signature = hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
    return client.post(reverse("taxpay-callback", args=[org.slug]), data=data, content_type="application/json",
                       HTTP_X_SIGNATURE=signature)


@pytest.fixture
def bill():
    return make_bill(tax_org())


def body(bill, **kw):
    return {"bank_reference": "KTB-0001", "ref1": bill.number, "ref2": "256801", "amount": "2000.00",
            "paid_on": "2025-03-01", **kw}


def test_signed_callback_records_once(client, bill):
    first = post(client, bill.organization, body(bill))
    assert first.status_code == 200 and first.json()["status"] == "recorded"
    again = post(client, bill.organization, body(bill))
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert again.json()["receipt_number"] == first.json()["receipt_number"]
    assert Payment.objects.count() == 1
    assert Payment.objects.get().method == "callback"


def test_bad_signature_is_403_and_records_nothing(client, bill):
    response = post(client, bill.organization, body(bill), secret="not-the-secret")
    assert response.status_code == 403
    missing = client.post(reverse("taxpay-callback", args=[bill.organization.slug]), data=json.dumps(body(bill)),
                          content_type="application/json")
    assert missing.status_code == 403
    assert not Payment.objects.exists()


def test_another_organizations_secret_does_not_work(client, bill):
    other = tax_org()
    other_secret = services.ensure_tax_settings(other).callback_secret
    assert post(client, bill.organization, body(bill), secret=other_secret).status_code == 403


def test_unmatched_and_malformed(client, bill):
    assert post(client, bill.organization, body(bill, ref1="LB2568999999")).status_code == 422
    assert post(client, bill.organization, body(bill, amount="99999")).status_code == 422
    assert post(client, bill.organization, {}, raw=b"{not json").status_code == 400
    assert post(client, bill.organization, body(bill, amount="NaN")).status_code == 400
    assert not Payment.objects.exists()


def test_unknown_organization_404(client):
    assert client.post("/taxpay/callback/nowhere/", data="{}", content_type="application/json").status_code == 404


def test_nul_bytes_and_odd_references_are_400(client, bill):
    assert post(client, bill.organization, body(bill, ref1="LB\u00002568")).status_code == 400
    assert post(client, bill.organization, body(bill, bank_reference="A\u0000B")).status_code == 400
    assert post(client, bill.organization, body(bill, ref2="25-68")).status_code == 400
    assert not Payment.objects.exists()


@pytest.mark.parametrize("paid_on, error", [
    ("2025-03-03", "future"), ("9999-12-31", "future"),   # "today" is 2025-03-01 (tests/taxpay/conftest.py)
    ("2025-01-31", "before the bill"), ("0001-01-01", "before the bill"),  # the bill was issued on 2025-02-01
])
def test_a_payment_date_the_bill_cannot_have_is_refused(client, bill, paid_on, error):
    """Back-dating a payment would dodge the surcharges; a date in the future is a mistake or a forgery."""
    response = post(client, bill.organization, body(bill, paid_on=paid_on))
    assert response.status_code == 422 and error in response.json()["error"]
    assert not Payment.objects.exists()


def test_a_payment_dated_tomorrow_minutes_before_midnight_is_within_the_clock_skew(client, bill, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    late = timezone.make_aware(dt.datetime(2025, 3, 1, 23, 55))
    monkeypatch.setattr("django.utils.timezone.now", lambda: late)
    response = post(client, bill.organization, body(bill, paid_on="2025-03-02"))
    assert response.status_code == 200 and response.json()["status"] == "recorded"
