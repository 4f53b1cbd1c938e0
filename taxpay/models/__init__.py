"""Tax payment's data, one module per sub-domain (app label `taxpay`, tables unchanged):

- `years`: per-organization settings, tax years as data
- `register`: owners, parcels and their use by part, buildings, signboards
- `bills`: bills with their stored computation and versions, the running numbers
- `payments`: payments, their corrections and voids, bank statement imports
"""

from .bills import Bill, Counter, TaxType
from .payments import Payment, PaymentChange, StatementImport, new_verify_code
from .register import (
    Building,
    BuildingType,
    DeedType,
    Owner,
    OwnerKind,
    Parcel,
    ParcelUsePart,
    Signboard,
    SignKind,
    Use,
)
from .years import MONEY, TaxSettings, TaxYear, new_secret

__all__ = [
    "MONEY", "Bill", "Building", "BuildingType", "Counter", "DeedType", "Owner", "OwnerKind", "Parcel",
    "ParcelUsePart", "Payment", "PaymentChange", "SignKind", "Signboard", "StatementImport", "TaxSettings", "TaxType",
    "TaxYear", "Use", "new_secret", "new_verify_code",
]
