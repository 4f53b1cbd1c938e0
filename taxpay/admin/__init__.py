"""Finance staff: settings, tax years, the property register with its import, bills (read only; corrections
as new versions), payments at the counter, statement imports and the revenue dashboard. One module per part:
the register (register), bills (bills), payments and their corrections (payments), statement imports
(statements), and what they share (common)."""

from auditlog.registry import auditlog

from taxpay.models import (
    Bill,
    Building,
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

from . import bills, payments, register, statements  # noqa: F401  (each registers its model admins)
from .common import table_bytes

__all__ = ["table_bytes"]

for model in (TaxSettings, TaxYear, Parcel, ParcelUsePart, Building, Signboard):
    auditlog.register(model)
auditlog.register(Owner, exclude_fields=["id_hash", "id_last4_hash"])
auditlog.register(Bill, include_fields=["status", "warning_sent_on", "warning_deadline"])
auditlog.register(Payment)
auditlog.register(PaymentChange)
auditlog.register(StatementImport, exclude_fields=["unmatched"])
