"""Money and the shapes every rule shares: the one rounding point, the error a rule raises, a computation's lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SATANG = Decimal("0.01")
MILLION = Decimal("1000000")
ZERO = Decimal("0")


def to_satang(amount: Decimal) -> Decimal:
    """The one rounding point for money (see the module docstring for where it applies and why half up)."""
    return Decimal(amount).quantize(SATANG, rounding=ROUND_HALF_UP)




class TaxType:
    """The two taxes a bill is for (the values of taxpay.models.TaxType)."""

    LAND_BUILDING = "land_building"
    SIGNBOARD = "signboard"


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
