"""Worked examples from the Act's tables (land and building tax B.E. 2562, rates since 2563, unchanged 2568)
and the Signboard Tax Act section 7 (rates from 1 January 2564)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from taxpay import rules
from taxpay.rules import OwnerKind, SignKind, Use

M = D("1000000")


def tax(value, use, owner=OwnerKind.INDIVIDUAL, **kw):
    return rules.land_building_tax(D(value), use=use, owner=owner, **kw)


@pytest.mark.parametrize("value,use,owner,expected", [
    # commercial 60 M: 50 M x 0.3 % + 10 M x 0.4 %
    (60 * M, Use.COMMERCIAL, OwnerKind.JURISTIC, D("190000.00")),
    (50 * M, Use.COMMERCIAL, OwnerKind.INDIVIDUAL, D("150000.00")),
    # 50 x 0.3 % + 150 x 0.4 % + 800 x 0.5 % + 4000 x 0.6 % + 1000 x 0.7 % (million)
    (6000 * M, Use.COMMERCIAL, OwnerKind.JURISTIC, D("35750000.00")),
    (1 * M, Use.VACANT, OwnerKind.INDIVIDUAL, D("3000.00")),
    # main home 60 M: the first 50 M exempt, the slices count from there: 10 M x 0.03 %
    (60 * M, Use.MAIN_HOME, OwnerKind.INDIVIDUAL, D("3000.00")),
    (50 * M, Use.MAIN_HOME, OwnerKind.INDIVIDUAL, D("0.00")),
    # 25 M x 0.03 % + 25 M x 0.05 % + 20 M x 0.1 %
    (120 * M, Use.MAIN_HOME, OwnerKind.INDIVIDUAL, D("40000.00")),
    # building owner only: first 10 M exempt, then 0.02 %
    (15 * M, Use.MAIN_HOME_BUILDING_ONLY, OwnerKind.INDIVIDUAL, D("1000.00")),
    # 40 x 0.02 % + 25 x 0.03 % + 25 x 0.05 % + 10 x 0.1 % (after 10 M exempt)
    (110 * M, Use.MAIN_HOME_BUILDING_ONLY, OwnerKind.INDIVIDUAL, D("38000.00")),
    (5 * M, Use.RESIDENTIAL_OTHER, OwnerKind.INDIVIDUAL, D("1000.00")),
    # 50 x 0.02 % + 25 x 0.03 % + 25 x 0.05 % + 20 x 0.1 %
    (120 * M, Use.RESIDENTIAL_OTHER, OwnerKind.JURISTIC, D("50000.00")),
    # agriculture: individuals first 50 M exempt, juristic persons not
    (60 * M, Use.AGRICULTURE, OwnerKind.INDIVIDUAL, D("1000.00")),
    (60 * M, Use.AGRICULTURE, OwnerKind.JURISTIC, D("6000.00")),
    (40 * M, Use.AGRICULTURE, OwnerKind.INDIVIDUAL, D("0.00")),
    # 75 x 0.01 % + 25 x 0.03 % + 50 x 0.05 % (juristic, 150 M)
    (150 * M, Use.AGRICULTURE, OwnerKind.JURISTIC, D("40000.00")),
])
def test_progressive_slices(value, use, owner, expected):
    assert tax(value, use, owner).tax == expected


def test_lines_show_exemption_each_slice_and_its_rate():
    result = tax(120 * M, Use.MAIN_HOME)
    kinds = [line["kind"] for line in result.lines]
    assert kinds == ["exemption", "slice", "slice", "slice"]
    assert result.lines[0]["base"] == str(50 * M)
    assert [(line["base"], line["rate_percent"], line["amount"]) for line in result.lines[1:]] == [
        (str(25 * M), "0.03", "7500.00"), (str(25 * M), "0.05", "12500.00"), (str(20 * M), "0.1", "20000.00")]


def test_relief_from_the_year_data():
    result = tax(60 * M, Use.COMMERCIAL, relief_percent=D("90"))
    assert result.gross == D("190000.00")
    assert result.relief == D("171000.00")
    assert result.tax == D("19000.00")
    assert result.lines[-1] == {"kind": "relief", "rate_percent": "90", "amount": "-171000.00"}


def test_rounding_to_the_satang_half_up():
    # 1,234,567.89 x 0.02 % = 246.913578 -> 246.91 ; 1,234,592.50 x 0.02 % = 246.9185 -> 246.92
    assert tax(D("1234567.89"), Use.RESIDENTIAL_OTHER).tax == D("246.91")
    assert tax(D("1234592.50"), Use.RESIDENTIAL_OTHER).tax == D("246.92")
    assert tax(D("1234592.50"), Use.RESIDENTIAL_OTHER).tax.as_tuple().exponent == -2


def test_vacant_land_idle_rises_and_is_capped():
    assert tax(10 * M, Use.VACANT, vacant_idle_years=3).tax == D("60000.00")   # 0.3 + 0.3 %
    assert tax(10 * M, Use.VACANT, vacant_idle_years=2).tax == D("30000.00")
    assert tax(10 * M, Use.VACANT, vacant_idle_years=60).tax == D("300000.00")  # capped at 3 %


def test_schedule_as_data_round_trip():
    schedule = rules.SCHEDULES_2568[Use.MAIN_HOME]
    assert rules.Schedule.from_data(schedule.as_data()) == schedule


@pytest.mark.parametrize("kwargs", [
    {"value": -1, "use": Use.COMMERCIAL},
    {"value": 1, "use": "palace"},
    {"value": 1, "use": Use.MAIN_HOME, "owner": OwnerKind.JURISTIC},
    {"value": 1, "use": Use.COMMERCIAL, "relief_percent": 120},
])
def test_bad_input_is_a_rule_error(kwargs):
    with pytest.raises(rules.RuleError):
        rules.land_building_tax(**kwargs)


# --- signboards ---

@pytest.mark.parametrize("width,height,units", [
    (100, 250, 50),     # 25,000 cm2 exactly
    (10, 50, 1),        # 500 exactly
    (10, 75, 1),        # 750: remainder 250 is half a unit, dropped
    (10, 76, 2),        # 760: remainder 260 > 250 counts as a unit
    (20, 20, 1),        # 400: remainder 400 > 250 -> 1 unit
    (10, 25, 0),        # 250: half a unit, dropped
])
def test_signboard_units_section_7(width, height, units):
    assert rules.signboard_units(width, height) == units


@pytest.mark.parametrize("kind,changing,width,height,expected", [
    (SignKind.THAI_MIXED, False, 100, 250, D("1300.00")),   # 50 x 26
    (SignKind.THAI_MIXED, True, 100, 250, D("2600.00")),    # 50 x 52
    (SignKind.FOREIGN, False, 100, 250, D("2500.00")),      # 50 x 50
    (SignKind.THAI_ONLY, True, 100, 250, D("500.00")),      # 50 x 10
    (SignKind.THAI_ONLY, False, 100, 250, D("250.00")),     # 50 x 5
    (SignKind.THAI_ONLY, False, 100, 100, D("200.00")),     # 20 x 5 = 100 -> minimum 200
    (SignKind.FOREIGN, True, 50, 60, D("312.00")),          # 3,000 cm2 = 6 units x 52
])
def test_signboard_tax(kind, changing, width, height, expected):
    result = rules.signboard_tax(kind=kind, changing=changing, width_cm=width, height_cm=height)
    assert result.tax == expected


def test_signboard_minimum_is_a_line():
    result = rules.signboard_tax(kind=SignKind.THAI_ONLY, changing=False, width_cm=100, height_cm=100)
    assert result.units == 20
    assert result.lines[-1]["kind"] == "sign_minimum"


def test_signboard_zero_size_refused():
    with pytest.raises(rules.RuleError):
        rules.signboard_units(0, 10)


# --- late payment ---

DUE = dt.date(2025, 4, 30)


@pytest.mark.parametrize("on,months", [
    (dt.date(2025, 4, 30), 0), (dt.date(2025, 5, 1), 1), (dt.date(2025, 5, 30), 1),
    (dt.date(2025, 5, 31), 2), (dt.date(2026, 4, 30), 12), (dt.date(2025, 3, 1), 0),
])
def test_months_late_counts_part_of_a_month(on, months):
    assert rules.months_late(DUE, on) == months


def test_late_charges_before_warning_10_percent():
    charges = rules.land_building_late_charges(D("10000"), due=DUE, on=dt.date(2025, 6, 15))
    assert (charges.surcharge_percent, charges.surcharge, charges.months, charges.interest) == \
        (D("10"), D("1000.00"), 2, D("200.00"))
    assert charges.total == D("1200.00")


def test_late_charges_within_warning_period_20_then_40():
    kw = {"due": DUE, "warning_sent_on": dt.date(2025, 6, 1), "warning_deadline": dt.date(2025, 7, 1)}
    assert rules.land_building_late_charges(D("10000"), on=dt.date(2025, 6, 20), **kw).surcharge == D("2000.00")
    late = rules.land_building_late_charges(D("10000"), on=dt.date(2025, 7, 2), **kw)
    assert late.surcharge == D("4000.00")
    assert late.interest == D("300.00")


def test_interest_capped_at_the_tax():
    charges = rules.land_building_late_charges(D("1000"), due=DUE, on=dt.date(2035, 1, 1))
    assert charges.interest == D("1000.00")


def test_no_charges_when_on_time():
    assert rules.land_building_late_charges(D("1000"), due=DUE, on=DUE).total == 0


def test_signboard_late_two_percent_a_month():
    charges = rules.signboard_late_charges(D("1300"), due=DUE, on=dt.date(2025, 7, 1))
    assert (charges.months, charges.interest) == (3, D("78.00"))


# --- instalments ---

@pytest.mark.parametrize("amount,expected", [
    (D("2999.99"), [D("2999.99")]),
    (D("3000"), [D("1000.00")] * 3),
    (D("3000.01"), [D("1000.00"), D("1000.00"), D("1000.01")]),
    (D("10000"), [D("3333.33"), D("3333.33"), D("3333.34")]),
])
def test_instalments(amount, expected):
    parts = rules.instalment_amounts(amount)
    assert parts == expected
    assert sum(parts) == rules.to_satang(amount)
