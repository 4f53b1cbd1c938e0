"""The tax app's states in one table each (taxpay.workflow): what may move where, and the services refusing the
rest in their own words."""

import pytest
from django.core.exceptions import ValidationError

from taxpay import workflow
from taxpay.models import Bill, Payment, PaymentChange


def test_the_tables():
    assert workflow.BILL.allowed_targets(Bill.Status.ISSUED) == [Bill.Status.SUPERSEDED]
    assert workflow.BILL.allowed_targets(Bill.Status.SUPERSEDED) == []
    assert workflow.PAYMENT.allowed_targets(Payment.Status.VALID) == [Payment.Status.VOID]
    assert workflow.PAYMENT.allowed_targets(Payment.Status.VOID) == []
    assert sorted(workflow.PAYMENT_CHANGE.allowed_targets(PaymentChange.Status.PENDING)) == [
        PaymentChange.Status.APPLIED, PaymentChange.Status.REJECTED]
    assert workflow.PAYMENT_CHANGE.allowed_targets(PaymentChange.Status.APPLIED) == []


def test_only_the_current_version_of_a_bill_is_paid():
    assert workflow.accepts_payments(Bill(status=Bill.Status.ISSUED))
    assert not workflow.accepts_payments(Bill(status=Bill.Status.SUPERSEDED))


def test_a_move_the_table_refuses_says_why_in_the_callers_words():
    with pytest.raises(ValidationError) as refused:
        workflow.require_move(workflow.PAYMENT, Payment.Status.VOID, Payment.Status.VOID, "ยกเลิกไปแล้ว")
    assert refused.value.messages == ["ยกเลิกไปแล้ว"]
    workflow.require_move(workflow.PAYMENT, Payment.Status.VALID, Payment.Status.VOID, "-")
