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


# --- signboards: first year, late filing, rounding ---

Y = 2025  # tax year 2568


@pytest.mark.parametrize("installed_on,percent", [
    (None, D("100")),                      # no date: standing before the year
    (dt.date(2024, 11, 3), D("100")),      # installed last year: the whole year
    (dt.date(2025, 1, 1), D("100")),       # 1st quarter
    (dt.date(2025, 3, 31), D("100")),
    (dt.date(2025, 4, 1), D("75")),        # 2nd quarter
    (dt.date(2025, 6, 30), D("75")),
    (dt.date(2025, 7, 1), D("50")),        # 3rd quarter
    (dt.date(2025, 10, 1), D("25")),       # 4th quarter
    (dt.date(2025, 12, 31), D("25")),
])
def test_signboard_first_year_share_by_quarter(installed_on, percent):
    assert rules.signboard_first_year_percent(installed_on, year_ce=Y) == percent


def test_signboard_installed_after_the_year_is_refused():
    with pytest.raises(rules.RuleError):
        rules.signboard_first_year_percent(dt.date(2026, 1, 1), year_ce=Y)


@pytest.mark.parametrize("installed_on,expected", [
    # 100 x 250 cm = 50 units x 26 baht = 1,300 a year
    (dt.date(2025, 2, 10), D("1300.00")),
    (dt.date(2025, 5, 10), D("975.00")),    # 75 %
    (dt.date(2025, 8, 10), D("650.00")),    # 50 %
    (dt.date(2025, 11, 10), D("325.00")),   # 25 %
])
def test_signboard_first_year_tax(installed_on, expected):
    result = rules.signboard_tax(kind=SignKind.THAI_MIXED, changing=False, width_cm=100, height_cm=250,
                                 year_ce=Y, installed_on=installed_on)
    assert result.tax == expected
    assert (result.lines[-1]["kind"] == "sign_first_year") == (expected != D("1300.00"))


def test_signboard_minimum_is_yearly_then_shared():
    # 20 units x 5 = 100 -> the 200-baht minimum for the year; installed in the 3rd quarter: 50 % of 200
    result = rules.signboard_tax(kind=SignKind.THAI_ONLY, changing=False, width_cm=100, height_cm=100,
                                 year_ce=Y, installed_on=dt.date(2025, 9, 1))
    assert result.tax == D("100.00")
    assert [line["kind"] for line in result.lines] == ["sign_area", "sign_rate", "sign_minimum", "sign_first_year"]


@pytest.mark.parametrize("installed_on,filed_on,deadline,late", [
    (None, dt.date(2025, 3, 31), dt.date(2025, 3, 31), D("0")),           # existing sign, filed by end of March
    (None, dt.date(2025, 4, 1), dt.date(2025, 3, 31), D("130.00")),       # a day late: +10 % of 1,300
    (None, None, dt.date(2025, 3, 31), D("0")),                           # not recorded: nothing computed
    (dt.date(2025, 5, 10), dt.date(2025, 5, 25), dt.date(2025, 5, 25), D("0")),      # new: within 15 days
    (dt.date(2025, 5, 10), dt.date(2025, 5, 26), dt.date(2025, 5, 25), D("97.50")),  # 16th day: 10 % of 975
])
def test_signboard_late_filing_ten_percent(installed_on, filed_on, deadline, late):
    assert rules.signboard_filing_deadline(year_ce=Y, installed_on=installed_on) == deadline
    result = rules.signboard_tax(kind=SignKind.THAI_MIXED, changing=False, width_cm=100, height_cm=250,
                                 year_ce=Y, installed_on=installed_on, filed_on=filed_on)
    assert result.late_filing == late
    base = D("975.00") if installed_on else D("1300.00")
    assert result.tax == base + late


def test_signboard_late_payment_is_not_charged_on_the_late_filing_surcharge():
    # 1,300 tax + 130 late filing; paid 2 months late: 2 % x 2 of the 1,300 only
    charges = rules.signboard_late_charges(D("1300"), due=dt.date(2025, 4, 30), on=dt.date(2025, 6, 15))
    assert charges.interest == D("52.00")


def test_signboard_year_tax_never_has_satang_section_7():
    # Section 7: area in whole 500 cm2 units (a remainder over 250 cm2 is a unit, 250 or less dropped), whole-baht
    # rates, a 200-baht minimum: every size and kind gives whole baht (reference: "the tax never has satang").
    for width in (1, 7, 33, 49.5, 101, 333):
        for height in (1, 3, 25, 77.7, 250, 401):
            for kind in SignKind.ALL:
                for changing in (False, True):
                    result = rules.signboard_tax(kind=kind, changing=changing, width_cm=D(str(width)),
                                                 height_cm=D(str(height)))
                    assert result.tax == result.tax.to_integral_value(), (width, height, kind, changing)


def test_first_year_shares_are_exact_without_rounding():
    # 100/75/50/25 % of whole baht is exact to the quarter baht, so the prorated tax is never rounded
    for annual in (D("200"), D("201"), D("1303"), D("9999")):
        for month in (4, 7, 10):
            exact = rules.signboard_prorated(annual, installed_on=dt.date(Y, month, 1), year_ce=Y)
            assert exact % D("0.25") == 0 and rules.to_satang(exact) == exact


def test_charges_brought_to_the_satang_once_half_up():
    # 10 % of 753.75 (1,005 a year x 75 %) = 75.375 -> 75.38; 2 % x 1 month of 753.75 = 15.075 -> 15.08
    assert rules.signboard_late_filing(D("753.75"), filed_on=dt.date(2025, 6, 1),
                                       deadline=dt.date(2025, 5, 1)) == D("75.38")
    assert rules.signboard_late_charges(D("753.75"), due=dt.date(2025, 4, 30),
                                        on=dt.date(2025, 5, 2)).interest == D("15.08")
    # a half satang after an even digit also goes up (not to even): 1,001 x 25 % = 250.25; 10 % = 25.025 -> 25.03,
    # 2 % = 5.005 -> 5.01
    assert rules.signboard_late_filing(D("250.25"), filed_on=dt.date(2025, 6, 1),
                                       deadline=dt.date(2025, 5, 1)) == D("25.03")
    assert rules.signboard_late_charges(D("250.25"), due=dt.date(2025, 4, 30),
                                        on=dt.date(2025, 5, 2)).interest == D("5.01")


# --- signboards: a new sign's own dates, the estimator's quarter ---

YEAR_DUE = dt.date(2025, 3, 31)  # the year's signboard due date (standing signs)


@pytest.mark.parametrize("installed_on,filed_on,notice_on,due", [
    (None, None, dt.date(2025, 2, 1), YEAR_DUE),                       # standing: the year's date
    (dt.date(2024, 12, 1), None, dt.date(2025, 2, 1), YEAR_DUE),       # put up last year: standing this year
    # put up 10 May 2568, filed 20 May, notice 1 June: paid within 15 days of the notice -> 16 June
    (dt.date(2025, 5, 10), dt.date(2025, 5, 20), dt.date(2025, 6, 1), dt.date(2025, 6, 16)),
    # a notice is never counted from before the form: filed 26 May -> 10 June
    (dt.date(2025, 5, 10), dt.date(2025, 5, 26), dt.date(2025, 3, 1), dt.date(2025, 6, 10)),
    # no form recorded: not before the installation -> 25 May
    (dt.date(2025, 5, 10), None, dt.date(2025, 3, 1), dt.date(2025, 5, 25)),
    # put up in January: its own notice, not the end of March
    (dt.date(2025, 1, 5), dt.date(2025, 1, 10), dt.date(2025, 1, 12), dt.date(2025, 1, 27)),
])
def test_signboard_payment_due_new_sign_counts_from_its_own_notice(installed_on, filed_on, notice_on, due):
    assert rules.signboard_payment_due(year_ce=Y, installed_on=installed_on, filed_on=filed_on, notice_on=notice_on,
                                       year_due=YEAR_DUE) == due


def test_new_sign_late_payment_runs_from_its_own_due_date():
    # 975 tax (2nd quarter), due 10 June 2568; paid 15 August: 3 months (10 Jul, 10 Aug, part of a month) x 2 %
    due = rules.signboard_payment_due(year_ce=Y, installed_on=dt.date(2025, 5, 10), filed_on=dt.date(2025, 5, 26),
                                      notice_on=dt.date(2025, 5, 26), year_due=YEAR_DUE)
    assert rules.signboard_late_charges(D("975"), due=due, on=dt.date(2025, 8, 15)).interest == D("58.50")
    assert rules.signboard_late_charges(D("975"), due=due, on=dt.date(2025, 6, 10)).interest == D("0")


@pytest.mark.parametrize("quarter,expected", [
    (None, D("1300.00")), (1, D("1300.00")), (2, D("975.00")), (3, D("650.00")), (4, D("325.00"))])
def test_signboard_estimate_by_quarter(quarter, expected):
    result = rules.signboard_tax(kind=SignKind.THAI_MIXED, changing=False, width_cm=100, height_cm=250, quarter=quarter)
    assert result.tax == expected and result.units == 50
    quarter_lines = [line for line in result.lines if line["kind"] == "sign_quarter"]
    if quarter is None:
        assert quarter_lines == []
    else:
        assert quarter_lines == [{"kind": "sign_quarter", "quarter": quarter,
                                  "percent": str(rules.FIRST_YEAR_PERCENT[quarter - 1]), "amount": str(expected)}]


def test_signboard_estimate_quarter_after_the_minimum():
    # 20 units x 5 = 100 -> 200 minimum for the year; 4th quarter: 25 % of 200 = 50
    result = rules.signboard_tax(kind=SignKind.THAI_ONLY, changing=False, width_cm=100, height_cm=100, quarter=4)
    assert result.tax == D("50.00")


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_signboard_estimate_bad_quarter_refused(quarter):
    with pytest.raises(rules.RuleError):
        rules.signboard_tax(kind=SignKind.THAI_MIXED, changing=False, width_cm=100, height_cm=250, quarter=quarter)
