"""Late payment (surcharge and interest) and instalments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from .money import SATANG, ZERO, TaxType, to_satang
from .signboard import SIGN_LATE_PAYMENT_PERCENT, signboard_payment_due


def months_late(due: dt.date, on: dt.date) -> int:
    """Months after the due date, a part of a month counting as a whole month (0 when not late)."""
    if on <= due:
        return 0
    months = (on.year - due.year) * 12 + (on.month - due.month)
    if on.day > due.day:
        months += 1
    return max(months, 1)


@dataclass(frozen=True)
class LateCharges:
    surcharge: Decimal = ZERO
    surcharge_percent: Decimal = ZERO
    interest: Decimal = ZERO
    months: int = 0

    @property
    def total(self) -> Decimal:
        return self.surcharge + self.interest


def land_building_late_charges(tax, *, due: dt.date, on: dt.date, warning_sent_on: dt.date | None = None,
                               warning_deadline: dt.date | None = None) -> LateCharges:
    """Sections 68-70: a surcharge of 40 % of the unpaid tax (10 % if paid before a warning notice is sent,
    20 % if paid within the notice's period) and interest of 1 % a month or part of a month, never more than
    the tax itself."""
    tax = Decimal(tax)
    months = months_late(due, on)
    if not months or tax <= 0:
        return LateCharges()
    if warning_sent_on is None or on < warning_sent_on:
        percent = Decimal("10")
    elif warning_deadline is not None and on <= warning_deadline:
        percent = Decimal("20")
    else:
        percent = Decimal("40")
    interest = min(tax * months / 100, tax)
    return LateCharges(surcharge=to_satang(tax * percent / 100), surcharge_percent=percent,
                       interest=to_satang(interest), months=months)


def signboard_late_charges(tax, *, due: dt.date, on: dt.date) -> LateCharges:
    """Signboard Tax Act section 25: 2 % of the unpaid tax a month or part of a month. `tax` is the unpaid tax
    itself: a late-filing surcharge is not charged again."""
    tax = Decimal(tax)
    months = months_late(due, on)
    if not months or tax <= 0:
        return LateCharges()
    return LateCharges(interest=to_satang(tax * SIGN_LATE_PAYMENT_PERCENT * months / 100), months=months)


# --- instalments ---------------------------------------------------------------------------------------------

INSTALMENT_THRESHOLD = Decimal("3000")


def instalment_amounts(tax, *, count: int = 3, threshold=INSTALMENT_THRESHOLD) -> list[Decimal]:
    """Equal instalments when the tax reaches the threshold (3,000 baht): the satang left over by the division
    go to the last instalment. A smaller tax is one payment."""
    tax = to_satang(Decimal(tax))
    if tax < Decimal(threshold) or count <= 1:
        return [tax]
    share = (tax / count).quantize(SATANG, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [tax - share * (count - 1)]


def instalment_schedule(tax_year, tax_type: str, amount: Decimal, *, year_ce: int, notice_on: dt.date,
                        new_sign=None) -> tuple[list[dict], dt.date]:
    """A bill's instalments ({"n", "due", "amount"}) and its last due date. A signboard bill is one payment due
    on the year's signboard date; `new_sign`, the sign of a bill for one sign put up during the year, due on its
    own date counted from the bill's notice (`notice_on`, the day it is issued). A land-and-building bill is
    split over the year's instalment dates once it reaches the year's threshold."""
    if tax_type == TaxType.SIGNBOARD:
        due = tax_year.signboard_due_date
        if new_sign is not None:
            due = signboard_payment_due(year_ce=year_ce, installed_on=new_sign.installed_on, notice_on=notice_on,
                                        year_due=due, filed_on=new_sign.filed_on)
        return [{"n": 1, "due": due.isoformat(), "amount": str(amount)}], due
    dates = tax_year.instalment_dates()
    parts = instalment_amounts(amount, count=len(dates), threshold=tax_year.instalment_threshold)
    items = [{"n": n, "due": due.isoformat(), "amount": str(part)}
             for n, (due, part) in enumerate(zip(dates, parts, strict=False), start=1)]
    return items, dt.date.fromisoformat(items[-1]["due"])
