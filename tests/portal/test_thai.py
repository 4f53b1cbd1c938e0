import datetime as dt

import pytest

from portal import thai
from portal.forms import BEDateField


def test_digits_round_trip():
    assert thai.to_arabic_digits("๒๕๖๘") == "2568"
    assert thai.to_thai_digits(2568) == "๒๕๖๘"


@pytest.mark.parametrize(
    ("day", "fy"),
    [(dt.date(2025, 9, 30), 2568), (dt.date(2025, 10, 1), 2569), (dt.date(2026, 1, 15), 2569)],
)
def test_fiscal_year(day, fy):
    assert thai.fiscal_year(day) == fy


def test_fiscal_year_bounds():
    assert thai.fiscal_year_bounds(2569) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))


def test_be_date_field_reads_be_and_thai_digits():
    field = BEDateField()
    assert field.clean("25/10/2568") == dt.date(2025, 10, 25)
    assert field.clean("๒๕/๑๐/๒๕๖๘") == dt.date(2025, 10, 25)
    with pytest.raises(Exception, match="พุทธศักราช"):
        field.clean("25/10/2025")
    with pytest.raises(Exception, match="ไม่มีวันที่"):
        field.clean("31/02/2568")


def test_be_date_display():
    assert thai.format_be_date(dt.date(2025, 10, 25)) == "25 ต.ค. 2568"
    assert thai.format_be_date(dt.date(2025, 10, 25), long=True, thai_digits=True) == "๒๕ ตุลาคม ๒๕๖๘"


def test_citizen_id_validation():
    valid = "3100600012341"
    first12 = valid[:12]
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(first12)) % 11) % 10
    number = first12 + str(check)
    assert thai.is_valid_citizen_id(number)
    assert thai.is_valid_citizen_id(thai.to_thai_digits(number))
    wrong = first12 + str((check + 1) % 10)
    assert not thai.is_valid_citizen_id(wrong)


def test_personal_id_hash_is_keyed_and_not_clear(settings):
    settings.PERSONAL_ID_HASH_KEY = "k1"
    h1 = thai.personal_id_hash("3100600012341")
    assert "3100600012341" not in h1 and len(h1) == 64
    assert thai.personal_id_hash("๓๑๐๐๖๐๐๐๑๒๓๔๑") == h1
    settings.PERSONAL_ID_HASH_KEY = "k2"
    assert thai.personal_id_hash("3100600012341") != h1


def test_tracking_codes_unguessable():
    codes = {thai.tracking_code("KY", year_be=2568) for _ in range(2000)}
    assert len(codes) == 2000
    assert all(c.startswith("KY-2568-") and len(c) == 14 for c in codes)


def test_parse_thai_number():
    assert thai.parse_thai_number("๕๐,๐๐๐.-") == 50000
    assert thai.parse_thai_number("-") is None
    with pytest.raises(ValueError):
        thai.parse_thai_number("abc")
