"""Signboard tax (Signboard Tax Act B.E. 2510 as amended): area units, rates, the first-year share, filing and
payment dates, and one owner's signs computed for a tax year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .money import ZERO, Computation, RuleError, TaxType, to_satang


class SignKind:
    THAI_ONLY = "thai_only"
    THAI_MIXED = "thai_mixed"
    FOREIGN = "foreign"

    ALL = (THAI_ONLY, THAI_MIXED, FOREIGN)


# Baht per 500 cm², from 1 January 2564 (Ministerial Regulation B.E. 2563): (changing text, fixed text).
SIGN_RATES_2564: dict[str, tuple[Decimal, Decimal]] = {
    SignKind.THAI_ONLY: (Decimal("10"), Decimal("5")),
    SignKind.THAI_MIXED: (Decimal("52"), Decimal("26")),
    SignKind.FOREIGN: (Decimal("52"), Decimal("50")),
}
SIGN_UNIT_CM2 = 500
SIGN_MINIMUM = Decimal("200")


def signboard_units(width_cm, height_cm) -> int:
    """Section 7: the area in 500 cm² units; a remainder over half a unit counts as one, half or less is dropped."""
    width, height = Decimal(width_cm), Decimal(height_cm)
    if width <= 0 or height <= 0:
        raise RuleError("ความกว้างและความยาวของป้ายต้องมากกว่า 0")
    area = width * height
    units, remainder = divmod(area, SIGN_UNIT_CM2)
    if remainder > SIGN_UNIT_CM2 / 2:
        units += 1
    return int(units)


def sign_rate(kind: str, changing: bool, rates: dict | None = None) -> Decimal:
    if kind not in SignKind.ALL:
        raise RuleError("ประเภทป้ายไม่ถูกต้อง")
    changing_rate, fixed_rate = (rates or SIGN_RATES_2564)[kind]
    return Decimal(changing_rate if changing else fixed_rate)


def signboard_tax(*, kind: str, changing: bool, width_cm, height_cm, rates: dict | None = None,
                  year_ce: int | None = None, installed_on: dt.date | None = None,
                  filed_on: dt.date | None = None, quarter: int | None = None) -> Computation:
    """One sign's tax for a year: units x rate, at least 200 baht; for a sign installed during `year_ce` the
    first-year share by quarter; +10 % when its form was filed late (`filed_on` after the deadline).
    `quarter` (1-4, without `year_ce`): the share for a sign installed in that quarter, with no date (the
    estimator); None is a full year."""
    if quarter is not None and year_ce is not None:
        raise RuleError("ระบุไตรมาสหรือปีภาษีอย่างใดอย่างหนึ่ง")
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise RuleError("ไตรมาสต้องเป็น 1 ถึง 4")
    units = signboard_units(width_cm, height_cm)
    rate = sign_rate(kind, changing, rates)
    computed = units * rate
    lines = [{"kind": "sign_area", "width_cm": str(width_cm), "height_cm": str(height_cm),
              "area_cm2": str(Decimal(width_cm) * Decimal(height_cm)), "units": units},
             {"kind": "sign_rate", "units": units, "rate": str(rate), "amount": str(to_satang(computed))}]
    tax = computed
    if computed < SIGN_MINIMUM:
        tax = SIGN_MINIMUM
        lines.append({"kind": "sign_minimum", "amount": str(to_satang(SIGN_MINIMUM))})
    if year_ce is not None:
        percent = signboard_first_year_percent(installed_on, year_ce=year_ce)
        if percent != 100:
            tax = signboard_prorated(tax, installed_on=installed_on, year_ce=year_ce)
            lines.append({"kind": "sign_first_year", "installed_on": installed_on.isoformat(),
                          "quarter": quarter_of(installed_on), "percent": str(percent), "amount": str(to_satang(tax))})
    if quarter is not None:
        tax = quarter_share(tax, quarter=quarter)
        lines.append({"kind": "sign_quarter", "quarter": quarter, "percent": str(FIRST_YEAR_PERCENT[quarter - 1]),
                      "amount": str(to_satang(tax))})
    tax = to_satang(tax)
    base = tax
    if year_ce is not None:
        deadline = signboard_filing_deadline(year_ce=year_ce, installed_on=installed_on)
        late = signboard_late_filing(base, filed_on=filed_on, deadline=deadline)
        if late:
            lines.append({"kind": "sign_late_filing", "filed_on": filed_on.isoformat(),
                          "deadline": deadline.isoformat(), "percent": str(SIGN_LATE_FILING_PERCENT),
                          "amount": str(late)})
            tax = base + late
    return Computation(tax=tax, lines=lines, gross=tax, units=units, late_filing=tax - base)


# First year of a sign installed during the year: the tax runs from the quarter of installation to the end of
# the year, as a share of the whole year's tax (reference: "paying 100/75/50/25 % by the quarter installed").
FIRST_YEAR_PERCENT = (Decimal("100"), Decimal("75"), Decimal("50"), Decimal("25"))
SIGN_LATE_FILING_PERCENT = Decimal("10")   # form ภ.ป.1 filed late: +10 % of the tax
SIGN_LATE_PAYMENT_PERCENT = Decimal("2")   # paid late: +2 % of the tax a month or part of a month
SIGN_NEW_FILING_DAYS = 15                  # a new sign is declared within 15 days of installation
SIGN_PAYMENT_DAYS = 15                     # and its tax paid within 15 days of the assessment notice


def quarter_of(day: dt.date) -> int:
    """The quarter of the (calendar = tax) year a date falls in, 1 to 4."""
    return (day.month - 1) // 3 + 1


def signboard_first_year_percent(installed_on: dt.date | None, *, year_ce: int) -> Decimal:
    """The share of the year's tax due for `year_ce`: 100 % for a sign standing since before the year (or with no
    installation date), else 100/75/50/25 % for a sign installed in the 1st/2nd/3rd/4th quarter of that year."""
    if installed_on is None or installed_on.year < year_ce:
        return FIRST_YEAR_PERCENT[0]
    if installed_on.year > year_ce:
        raise RuleError("ป้ายติดตั้งหลังปีภาษีนี้")
    return FIRST_YEAR_PERCENT[quarter_of(installed_on) - 1]


def signboard_prorated(annual_tax, *, installed_on: dt.date | None, year_ce: int) -> Decimal:
    """The year's tax (after the 200-baht minimum, which is a yearly amount) times the first-year share. A
    whole-baht tax times 100/75/50/25 % is exact to the quarter baht: no rounding."""
    return Decimal(annual_tax) * signboard_first_year_percent(installed_on, year_ce=year_ce) / 100


def signboard_filing_deadline(*, year_ce: int, installed_on: dt.date | None) -> dt.date:
    """Form ภ.ป.1: by the end of March for a sign standing at the start of the year; within 15 days of
    installation for a sign put up during the year."""
    if installed_on is not None and installed_on.year == year_ce:
        return installed_on + dt.timedelta(days=SIGN_NEW_FILING_DAYS)
    return dt.date(year_ce, 3, 31)


def is_new_sign(installed_on: dt.date | None, *, year_ce: int) -> bool:
    """A sign put up during `year_ce` (not one standing since before the year): it is filed, assessed and paid
    on its own dates rather than the year's."""
    return installed_on is not None and installed_on.year == year_ce


def signboard_payment_due(*, year_ce: int, installed_on: dt.date | None, notice_on: dt.date,
                          year_due: dt.date, filed_on: dt.date | None = None) -> dt.date:
    """The day a sign's tax falls due: the year's signboard due date for a sign standing at the start of the
    year; for a sign put up during the year, 15 days after its own assessment notice (the year's date may
    have passed before the sign existed, and late payment must not run from it). A notice follows the sign
    and its form, so it is never counted from before the installation or the filing."""
    if is_new_sign(installed_on, year_ce=year_ce):
        notice_on = max(d for d in (notice_on, installed_on, filed_on) if d is not None)
        return notice_on + dt.timedelta(days=SIGN_PAYMENT_DAYS)
    return year_due


def quarter_share(annual_tax, *, quarter: int) -> Decimal:
    """The first-year share of a year's tax for a sign installed in `quarter` (1-4): 100/75/50/25 %."""
    if quarter not in (1, 2, 3, 4):
        raise RuleError("ไตรมาสต้องเป็น 1 ถึง 4")
    return Decimal(annual_tax) * FIRST_YEAR_PERCENT[quarter - 1] / 100


def signboard_late_filing(tax, *, filed_on: dt.date | None, deadline: dt.date) -> Decimal:
    """+10 % of the tax when the form was filed after its deadline (0 when on time or not recorded)."""
    if filed_on is None or filed_on <= deadline:
        return ZERO
    return to_satang(Decimal(tax) * SIGN_LATE_FILING_PERCENT / 100)


# --- one owner's signs for a tax year ---------------------------------------------------------------------------

def signboard_computation(tax_year, signs, *, year_ce: int) -> tuple[Decimal, dict]:
    """One owner's signboard tax for the year; a sign installed after the year is not taxed in it. The
    late-filing surcharges are kept apart so late payment is charged on the tax alone. `tax_year` gives `year`
    and `sign_rate_table()` (a taxpay.models.TaxYear), `year_ce` its Christian-era year."""
    items, total, late_filing = [], Decimal("0.00"), Decimal("0.00")
    rates = tax_year.sign_rate_table()
    for sign in signs:
        if sign.installed_on is not None and sign.installed_on.year > year_ce:
            continue
        result = signboard_tax(kind=sign.kind, changing=sign.changing, width_cm=sign.width_cm,
                               height_cm=sign.height_cm, rates=rates, year_ce=year_ce,
                               installed_on=sign.installed_on, filed_on=sign.filed_on)
        items.append({"sign": sign.code, "kind": sign.kind, "changing": sign.changing, "text": sign.text,
                      "location": sign.location, "units": result.units, **result.as_data()})
        total += result.tax
        late_filing += result.late_filing
    return total, {"tax_type": TaxType.SIGNBOARD, "year": tax_year.year, "signs": items, "tax": str(total),
                   "late_filing": str(late_filing)}
