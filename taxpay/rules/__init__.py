"""Tax rules as pure functions: land-and-building tax (Act B.E. 2562), signboard tax (Act B.E. 2510 as amended),
late-payment surcharge and interest, instalments.

Money is Decimal throughout. Computations return their lines (exemption, each slice with its rate, relief) as
plain data so a bill can store exactly what it was computed from and show it line by line.

Rounding, rule by rule (the reference on Thai QR and local taxes, which cites the Acts):
- Signboard tax, section 7 of the Signboard Tax Act B.E. 2510: the *area* is what is rounded: counted in units of
  500 cm², a remainder over half a unit (over 250 cm²) counts as a whole unit, half a unit or less is dropped.
  Rates are whole baht per unit and the minimum is 200 baht a sign, so a year's signboard tax is always whole baht
  ("the tax never has satang", DLA answer CC076399): nothing is rounded after the area. The first-year shares
  (100/75/50/25 %) of a whole-baht amount are exact to the quarter baht, so they need no rounding either.
- Land and building tax (Act B.E. 2562): the Act states the tax as value x rate per slice and sets no rule for a
  fraction of a satang. Each slice is computed exactly and the *sum* is brought to the satang once (so the
  printed slices may differ from the total by a rounding satang, never the total from the law's formula), the
  relief once, each late charge once; a half satang goes up (ROUND_HALF_UP), the usual commercial rule, since no
  legal text says otherwise.
- Percentage charges (land-and-building surcharge and interest, signboard late filing and late payment) are
  computed exactly on the amount the law names and brought to the satang once, half up.

By tax, one module each: `land_building` (Use, Schedule, the slices, one owner's computation), `signboard` (units,
rates, first-year share, dates, one owner's signs), `charges` (late payment and instalments); `money` holds the
rounding point and the shapes they share. Everything is importable from `taxpay.rules` itself.
"""

from .charges import (
    INSTALMENT_THRESHOLD,
    LateCharges,
    instalment_amounts,
    instalment_schedule,
    land_building_late_charges,
    months_late,
    signboard_late_charges,
)
from .land_building import (
    CEILING_PERCENT,
    SCHEDULES_2568,
    VACANT_MAX_PERCENT,
    VACANT_STEP_PERCENT,
    OwnerKind,
    Schedule,
    Slice,
    Use,
    land_building_computation,
    land_building_tax,
    split_by_use,
)
from .money import MILLION, SATANG, ZERO, Computation, RuleError, TaxType, to_satang
from .signboard import (
    FIRST_YEAR_PERCENT,
    SIGN_LATE_FILING_PERCENT,
    SIGN_LATE_PAYMENT_PERCENT,
    SIGN_MINIMUM,
    SIGN_NEW_FILING_DAYS,
    SIGN_PAYMENT_DAYS,
    SIGN_RATES_2564,
    SIGN_UNIT_CM2,
    SignKind,
    is_new_sign,
    quarter_of,
    quarter_share,
    sign_rate,
    signboard_computation,
    signboard_filing_deadline,
    signboard_first_year_percent,
    signboard_late_filing,
    signboard_payment_due,
    signboard_prorated,
    signboard_tax,
    signboard_units,
)

__all__ = [
    "CEILING_PERCENT", "FIRST_YEAR_PERCENT", "INSTALMENT_THRESHOLD", "MILLION", "SATANG", "SCHEDULES_2568",
    "SIGN_LATE_FILING_PERCENT", "SIGN_LATE_PAYMENT_PERCENT", "SIGN_MINIMUM", "SIGN_NEW_FILING_DAYS",
    "SIGN_PAYMENT_DAYS", "SIGN_RATES_2564", "SIGN_UNIT_CM2", "VACANT_MAX_PERCENT", "VACANT_STEP_PERCENT", "ZERO",
    "Computation", "LateCharges", "OwnerKind", "RuleError", "Schedule", "SignKind", "Slice", "TaxType", "Use",
    "instalment_amounts", "instalment_schedule", "is_new_sign", "land_building_computation",
    "land_building_late_charges", "land_building_tax", "months_late", "quarter_of", "quarter_share", "sign_rate",
    "signboard_computation", "signboard_filing_deadline", "signboard_first_year_percent", "signboard_late_charges",
    "signboard_late_filing", "signboard_payment_due", "signboard_prorated", "signboard_tax", "signboard_units",
    "split_by_use", "to_satang",
]
