"""Payments arriving at the same moment, on PostgreSQL: the bank's retry and the first delivery race, two
cashiers take money for the same bill. Run with DATABASE_URL pointing at PostgreSQL."""

import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from django.db import connection, connections

from taxpay import services
from taxpay.models import Payment
from tests.taxpay.factories import make_bill, tax_org

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent unique inserts need PostgreSQL")


def race(n, work):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_same_bank_reference_recorded_once():
    bill = make_bill(tax_org())
    results, errors = race(8, lambda i: services.record_payment(
        bill=bill, amount=D("100"), paid_on=dt.date(2025, 3, 1), method="callback", bank_reference="TX-RACE"))
    assert errors == []
    assert sum(created for _payment, created in results) == 1
    assert len({payment.pk for payment, _created in results}) == 1
    assert Payment.objects.filter(bank_reference="TX-RACE").count() == 1


def test_concurrent_payments_never_exceed_the_bill():
    bill = make_bill(tax_org())  # 6,000 baht
    results, errors = race(4, lambda i: services.record_payment(
        bill=bill, amount=D("2500"), paid_on=dt.date(2025, 3, 1), method="counter"))
    assert len(results) == 2 and all(isinstance(e, services.PaymentRefused) for e in errors) and len(errors) == 2
    assert sum(p.amount for p in Payment.objects.filter(bill=bill)) == D("5000")
    receipts = list(Payment.objects.values_list("receipt_number", flat=True))
    assert len(set(receipts)) == len(receipts)
