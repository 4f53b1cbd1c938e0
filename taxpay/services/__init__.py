"""Every write that matters, one module per topic: keyword-only functions in a transaction; the audit row is written
in the same transaction (django-auditlog on the models, a registered event through portal.audit for the rest);
notifications through the outbox. The tax arithmetic itself is `taxpay.rules`.

- `register`: tax settings, tax years, owners, the numbering of bills and receipts
- `bills`: the assessment run, a bill's correction, the "due soon" reminders
- `payments`: money received, corrections and voids of payments
- `imports`: queuing an import job, the register file
- `statements`: bank statements, checked and recorded
- `clock`: the day the services count from

Callers use `taxpay.services.<name>`: everything is re-exported here.
"""

from . import clock
from .bills import correct_bill, holdings, run_assessment, send_due_soon, start_assessment
from .imports import IMPORT_KINDS, ImportRejected, import_register, start_import
from .payments import (
    PaymentRefused,
    approve_payment_change,
    record_payment,
    reject_payment_change,
    request_payment_change,
)
from .register import (
    RECEIPT_SERIES,
    SERIES,
    default_tax_year_values,
    ensure_tax_settings,
    ensure_tax_year,
    format_number,
    register_owner,
    reserve_numbers,
    set_biller,
)
from .statements import check_statement, import_statement

__all__ = [
    "IMPORT_KINDS", "RECEIPT_SERIES", "SERIES", "ImportRejected", "PaymentRefused",
    "approve_payment_change", "check_statement", "correct_bill", "default_tax_year_values", "ensure_tax_settings",
    "ensure_tax_year", "format_number", "holdings", "import_register", "import_statement", "latest_payment_date",
    "record_payment", "register_owner", "reject_payment_change", "request_payment_change", "reserve_numbers",
    "run_assessment", "send_due_soon", "set_biller", "start_assessment", "start_import", "today",
]


def today():
    """The services' day (`clock.today`, the one a test fixes)."""
    return clock.today()


def latest_payment_date(skew):
    return clock.latest_payment_date(skew)
