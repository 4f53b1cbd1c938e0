import datetime as dt
import random
import re
from collections import Counter

import pytest

from portal import thai
from portal.inputs.forms import BEDateField


def test_digits_round_trip():
    assert thai.to_arabic_digits("๒๕๖๘") == "2568"
    assert thai.to_thai_digits(2568) == "๒๕๖๘"


@pytest.mark.parametrize(
    ("day", "fy"),
    [(dt.date(2025, 9, 30), 2568), (dt.date(2025, 10, 1), 2569), (dt.date(2026, 1, 15), 2569)],
)
def test_fiscal_year(day, fy):
    assert thai.fiscal_year(day) == fy


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
    # a moment is shown in Bangkok time with its hour: 20:30 UTC on the 24th is 03:30 on the 25th there
    moment = dt.datetime(2025, 10, 24, 20, 30, tzinfo=dt.UTC)
    assert thai.format_be_date(moment) == "25 ต.ค. 2568 03:30"
    assert thai.format_be_date(moment, long=True, thai_digits=True) == "๒๕ ตุลาคม ๒๕๖๘ ๐๓:๓๐"
    assert thai.format_be_date(dt.datetime(2025, 1, 2, 9, 5)) == "2 ม.ค. 2568 09:05"


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
    """Six symbols from a 31-letter alphabet, each drawn from the OS's secure generator: no counter, no clock, no
    seedable PRNG, so one code says nothing about the next."""
    codes = [thai.tracking_code("KY", year_be=2568) for _ in range(3000)]
    assert all(re.fullmatch(r"KY-2568-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", c) for c in codes)
    bodies = [c[-6:] for c in codes]
    assert len(set(bodies)) >= len(bodies) - 1  # 31**6 codes: a repeat among 3000 has a 0.5% chance
    # Every position uses the whole alphabet, about evenly (3000 draws: ~97 each; a counter or a clock leaves
    # the leading positions nearly constant).
    for position in range(6):
        counts = Counter(body[position] for body in bodies)
        assert len(counts) == 31 and min(counts.values()) > 40 and max(counts.values()) < 170, (position, counts)
    # Consecutive codes share no long prefix (a sequence would).
    assert sum(a[:4] == b[:4] for a, b in zip(bodies, bodies[1:], strict=False)) < 5
    # Python's `random` seeded the same way twice must not give the same codes twice.
    random.seed(2568)
    first = [thai.tracking_code("KY", year_be=2568) for _ in range(20)]
    random.seed(2568)
    assert [thai.tracking_code("KY", year_be=2568) for _ in range(20)] != first


def test_english_pages_get_the_same_date_rule_in_english():
    from django.utils import translation

    day = dt.date(2026, 12, 8)
    with translation.override("en"):
        assert thai.format_be_date(day) == "8 Dec 2569"
        assert thai.format_be_date(day, long=True, weekday=True) == "Tuesday 8 December 2569"
    assert thai.format_be_date(day, weekday=True) == "วันอังคาร 8 ธ.ค. 2569"
