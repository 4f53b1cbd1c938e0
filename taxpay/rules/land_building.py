"""Land and building tax (Act B.E. 2562): the tables by use, the progressive tax by slice, and one owner's
whole-holding computation for a tax year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .money import MILLION, ZERO, Computation, RuleError, TaxType, to_satang


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


# --- one owner's computation for a tax year ---------------------------------------------------------------------

def split_by_use(value: Decimal, main_use: str, parts) -> list[tuple[str, Decimal, Decimal]]:
    """A property's value split by use: each part its share of the value (to the satang), the main use what is
    left, so the parts always add up to the value. Returns (use, share %, value) rows, the main use first."""
    hundred = Decimal(100)
    rows = [(use, Decimal(share), to_satang(value * Decimal(share) / hundred)) for use, share in parts]
    rest = hundred - sum((share for _use, share, _value in rows), Decimal(0))
    if rest < 0:
        raise RuleError("สัดส่วนการใช้ประโยชน์รวมเกินร้อยละ 100")
    main = (main_use, rest, value - sum((v for _use, _share, v in rows), Decimal(0)))
    return [main, *rows] if rest > 0 else rows


def land_building_computation(tax_year, owner_kind: str, parcels: list[dict]) -> tuple[Decimal, dict]:
    """One owner's land-and-building tax for the year: values summed per use category (the slices and the
    exemption apply to an owner's whole holding of a category), each category computed by the year's table.
    `tax_year` gives `year`, `relief_percent` and `schedule(use)` (a taxpay.models.TaxYear); `parcels` are plain
    rows with their buildings and parts (taxpay.services.bills.holdings)."""
    properties, by_use = [], defaultdict(Decimal)
    idle = defaultdict(int)
    hundred = Decimal(100)
    for parcel in parcels:
        buildings, building_total = [], Decimal("0")
        for b in parcel["buildings"]:
            value = to_satang(b["area_sqm"] * b["price_per_sqm"] * (hundred - b["depreciation_percent"]) / hundred)
            building_total += value
            buildings.append({"type": b["building_type"], "area_sqm": str(b["area_sqm"]),
                              "price_per_sqm": str(b["price_per_sqm"]), "age_years": b["age_years"],
                              "depreciation_percent": str(b["depreciation_percent"]), "value": str(value)})
        area = Decimal(parcel["area_rai"]) * 400 + Decimal(parcel["area_ngan"]) * 100 + parcel["area_wa"]
        land_value = to_satang(area * parcel["value_per_wa"])
        value = land_value + building_total
        item = {
            "parcel": parcel["code"], "deed_type": parcel["deed_type"], "deed_number": parcel["deed_number"],
            "location": parcel["location"], "area": [parcel["area_rai"], parcel["area_ngan"], str(parcel["area_wa"])],
            "area_sq_wa": str(area), "value_per_wa": str(parcel["value_per_wa"]), "land_value": str(land_value),
            "buildings": buildings, "use": parcel["use"], "value": str(value)}
        # Use by part: each part's share of the value goes to its own category (taxed there under that
        # category's slices with the owner's other property of the category).
        split = split_by_use(value, parcel["use"], parcel.get("parts", ()))
        if len(split) > 1 or split[0][0] != parcel["use"]:
            item["parts"] = [{"use": use, "share_percent": str(share), "value": str(part)} for use, share, part in split]
        properties.append(item)
        for use, _share, part in split:
            by_use[use] += part
            idle[use] = max(idle[use], parcel["vacant_idle_years"])
    categories, total = [], Decimal("0.00")
    for use in Use.ALL:
        if use not in by_use:
            continue
        result = land_building_tax(by_use[use], use=use, owner=owner_kind, schedule=tax_year.schedule(use),
                                   relief_percent=tax_year.relief_percent, vacant_idle_years=idle[use])
        categories.append({"use": use, "value": str(by_use[use]), **result.as_data()})
        total += result.tax
    return total, {"tax_type": TaxType.LAND_BUILDING, "owner_kind": owner_kind, "year": tax_year.year,
                   "relief_percent": str(tax_year.relief_percent), "properties": properties,
                   "categories": categories, "tax": str(total)}
