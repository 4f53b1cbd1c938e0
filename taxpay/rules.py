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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

SATANG = Decimal("0.01")
MILLION = Decimal("1000000")
ZERO = Decimal("0")


def to_satang(amount: Decimal) -> Decimal:
    """The one rounding point for money (see the module docstring for where it applies and why half up)."""
    return Decimal(amount).quantize(SATANG, rounding=ROUND_HALF_UP)


# --- land and building tax -----------------------------------------------------------------------------------

class Use:
    AGRICULTURE = "agriculture"
    MAIN_HOME = "main_home"
    MAIN_HOME_BUILDING_ONLY = "main_home_building_only"
    RESIDENTIAL_OTHER = "residential_other"
    COMMERCIAL = "commercial"
    VACANT = "vacant"

    ALL = (AGRICULTURE, MAIN_HOME, MAIN_HOME_BUILDING_ONLY, RESIDENTIAL_OTHER, COMMERCIAL, VACANT)


class OwnerKind:
    INDIVIDUAL = "individual"
    JURISTIC = "juristic"

    ALL = (INDIVIDUAL, JURISTIC)


@dataclass(frozen=True)
class Slice:
    """One slice of value, counted from the end of the exemption: up to `upper` baht (None: no upper bound)."""

    upper: Decimal | None
    rate_percent: Decimal


@dataclass(frozen=True)
class Schedule:
    slices: tuple[Slice, ...]
    exemption_individual: Decimal = ZERO
    exemption_juristic: Decimal = ZERO
    individual_only: bool = False  # the main-home categories exist only for natural persons

    def exemption(self, owner: str) -> Decimal:
        return self.exemption_individual if owner == OwnerKind.INDIVIDUAL else self.exemption_juristic

    def as_data(self) -> dict:
        return {
            "slices": [[None if s.upper is None else str(s.upper), str(s.rate_percent)] for s in self.slices],
            "exemption_individual": str(self.exemption_individual),
            "exemption_juristic": str(self.exemption_juristic),
            "individual_only": self.individual_only,
        }

    @classmethod
    def from_data(cls, data: dict) -> Schedule:
        return cls(
            slices=tuple(Slice(None if u is None else Decimal(u), Decimal(r)) for u, r in data["slices"]),
            exemption_individual=Decimal(data.get("exemption_individual", "0")),
            exemption_juristic=Decimal(data.get("exemption_juristic", "0")),
            individual_only=bool(data.get("individual_only", False)),
        )


def _m(n) -> Decimal:
    return Decimal(str(n)) * MILLION


def _slices(*pairs) -> tuple[Slice, ...]:
    return tuple(Slice(None if upper is None else _m(upper), Decimal(rate)) for upper, rate in pairs)


_COMMERCIAL = _slices((50, "0.3"), (200, "0.4"), (1000, "0.5"), (5000, "0.6"), (None, "0.7"))

# Rates in force since 2563 and unchanged for 2568 (Royal Decree on land and building tax rates, B.E. 2562).
SCHEDULES_2568: dict[str, Schedule] = {
    Use.AGRICULTURE: Schedule(
        _slices((75, "0.01"), (100, "0.03"), (500, "0.05"), (1000, "0.07"), (None, "0.1")),
        exemption_individual=_m(50)),
    Use.MAIN_HOME: Schedule(
        _slices((25, "0.03"), (50, "0.05"), (None, "0.1")), exemption_individual=_m(50), individual_only=True),
    Use.MAIN_HOME_BUILDING_ONLY: Schedule(
        _slices((40, "0.02"), (65, "0.03"), (90, "0.05"), (None, "0.1")), exemption_individual=_m(10),
        individual_only=True),
    Use.RESIDENTIAL_OTHER: Schedule(_slices((50, "0.02"), (75, "0.03"), (100, "0.05"), (None, "0.1"))),
    Use.COMMERCIAL: Schedule(_COMMERCIAL),
    Use.VACANT: Schedule(_COMMERCIAL),
}

# Ceiling rates of the Act (section 37): no year's rate may exceed these.
CEILING_PERCENT = {
    Use.AGRICULTURE: Decimal("0.15"),
    Use.MAIN_HOME: Decimal("0.3"),
    Use.MAIN_HOME_BUILDING_ONLY: Decimal("0.3"),
    Use.RESIDENTIAL_OTHER: Decimal("0.3"),
    Use.COMMERCIAL: Decimal("1.2"),
    Use.VACANT: Decimal("1.2"),
}
VACANT_STEP_PERCENT = Decimal("0.3")  # section 38: idle vacant land, +0.3 % every 3 years ...
VACANT_MAX_PERCENT = Decimal("3")     # ... up to 3 %


class RuleError(ValueError):
    """Input the rules cannot compute (the message is Thai, for the person who typed it)."""


@dataclass
class Computation:
    tax: Decimal
    lines: list[dict] = field(default_factory=list)
    gross: Decimal = ZERO
    relief: Decimal = ZERO
    units: int | None = None  # signboards: area in 500 cm² units
    late_filing: Decimal = ZERO  # signboards: the +10 % for a late form, inside `tax`

    def as_data(self) -> dict:
        data = {"tax": str(self.tax), "gross": str(self.gross), "relief": str(self.relief), "lines": self.lines}
        if self.late_filing:
            data["late_filing"] = str(self.late_filing)
        return data


def land_building_tax(value, *, use: str, owner: str = OwnerKind.INDIVIDUAL, schedule: Schedule | None = None,
                      relief_percent=ZERO, vacant_idle_years: int = 0) -> Computation:
    """Progressive tax by slice, the slices counted from the end of the exemption.

    `value` is the appraised value (land plus buildings) in baht; `relief_percent` the year's decree relief.
    """
    if use not in Use.ALL:
        raise RuleError("ประเภทการใช้ประโยชน์ไม่ถูกต้อง")
    if owner not in OwnerKind.ALL:
        raise RuleError("ประเภทเจ้าของไม่ถูกต้อง")
    value = Decimal(value)
    if value < 0:
        raise RuleError("มูลค่าต้องไม่ติดลบ")
    relief_percent = Decimal(relief_percent)
    if not ZERO <= relief_percent <= 100:
        raise RuleError("ร้อยละการลดหย่อนต้องอยู่ระหว่าง 0 ถึง 100")
    schedule = schedule or SCHEDULES_2568[use]
    if schedule.individual_only and owner != OwnerKind.INDIVIDUAL:
        raise RuleError("บ้านหลังหลักใช้ได้เฉพาะเจ้าของที่เป็นบุคคลธรรมดา")

    lines: list[dict] = []
    exemption = min(schedule.exemption(owner), value)
    if schedule.exemption(owner) > 0:
        lines.append({"kind": "exemption", "base": str(exemption), "limit": str(schedule.exemption(owner)),
                      "amount": "0.00"})
    taxable = value - exemption
    extra = ZERO
    if use == Use.VACANT and vacant_idle_years >= 3:
        extra = VACANT_STEP_PERCENT * (vacant_idle_years // 3)

    gross = ZERO
    lower = ZERO
    for piece in schedule.slices:
        if taxable <= lower:
            break
        upper = piece.upper if piece.upper is not None else taxable
        base = min(taxable, upper) - lower
        rate = piece.rate_percent + extra
        if extra:
            rate = min(rate, VACANT_MAX_PERCENT)
        amount = base * rate / 100
        gross += amount
        lines.append({"kind": "slice", "from": str(lower), "to": None if piece.upper is None else str(piece.upper),
                      "base": str(base), "rate_percent": str(rate), "amount": str(to_satang(amount))})
        if piece.upper is None:
            break
        lower = piece.upper
    gross = to_satang(gross)
    relief = to_satang(gross * relief_percent / 100) if relief_percent else ZERO
    if relief:
        lines.append({"kind": "relief", "rate_percent": str(relief_percent), "amount": str(-relief)})
    tax = gross - relief
    return Computation(tax=tax, lines=lines, gross=gross, relief=relief)


# --- signboard tax ---------------------------------------------------------------------------------------------

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


# --- late payment --------------------------------------------------------------------------------------------

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
