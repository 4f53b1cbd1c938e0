"""The states of the tax app's rows and the moves allowed between them, one table each, checked in one place
(portal.machinery.workflow).

- A bill is issued and stays the current version until a correction supersedes it (a new version under the same
  number); only the current version is paid. How much of it is paid (unpaid, partly paid, paid, overdue) is not
  a stored state: it is read from its payments on a given day (`taxpay.selectors.bill_state(...).label`).
- A payment is valid until it is voided (a void, or a correction: void it and record the corrected payment).
- A request to void or correct a payment waits (pending) until it is applied or rejected.
"""

from django.core.exceptions import ValidationError

from portal.machinery.workflow import TransitionNotAllowed, Workflow

from .models import Bill, Payment, PaymentChange

__all__ = ["BILL", "PAYMENT", "PAYMENT_CHANGE", "TransitionNotAllowed", "accepts_payments", "require_move"]

BILL = Workflow(Bill.Status, {Bill.Status.ISSUED: [Bill.Status.SUPERSEDED]})
PAYMENT = Workflow(Payment.Status, {Payment.Status.VALID: [Payment.Status.VOID]})
PAYMENT_CHANGE = Workflow(PaymentChange.Status, {
    PaymentChange.Status.PENDING: [PaymentChange.Status.APPLIED, PaymentChange.Status.REJECTED],
})


def require_move(workflow: Workflow, source, target, message, *, error=ValidationError) -> None:
    """Refuse a move the table does not allow, with the caller's message for the person who asked (the tax pages
    say why in their own words: "this bill was corrected already", not a generic state change)."""
    if not workflow.allowed(source, target):
        raise error(message)


def accepts_payments(bill: Bill) -> bool:
    """Only the current version of a bill is paid: a superseded one's account moved to its correction."""
    return BILL.allowed(bill.status, Bill.Status.SUPERSEDED)
