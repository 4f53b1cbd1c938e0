"""The document's per-year totals are typed and shown as people write them, never as raw JSON."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from innovation_plans.forms import YearAmountsField, YearAmountsWidget


def test_reads_what_people_type():
    field = YearAmountsField(required=False)
    assert field.clean("2566: 25,000; 2567: 30,000") == {"2566": 25000, "2567": 30000}
    assert field.clean("๒๕๖๖ : ๒๕,๐๐๐.- บาท\n2567=0") == {"2566": 25000, "2567": 0}
    assert field.clean("") == {}


@pytest.mark.parametrize("typed", ['{"2566": 25000}', "2566 25000", "ปี 2566: มาก"])
def test_refuses_anything_else_in_thai(typed):
    with pytest.raises(ValidationError) as exc:
        YearAmountsField(required=False).clean(typed)
    assert "ปี: จำนวนเงิน" in exc.value.messages[0]


def test_shows_amounts_not_json():
    widget = YearAmountsWidget()
    assert widget.format_value({"2567": 30000, "2566": 25000}) == "2566: 25,000; 2567: 30,000"
    assert widget.format_value('{"2566": 25000}') == "2566: 25,000"


@pytest.fixture(autouse=True)
def _thai():
    with translation.override("th"):
        yield


def test_whole_period_total_reads_back_as_shown():
    """The importer keeps a plan-wide stated figure under "total"; the admin shows it and must read it back."""
    from innovation_plans.forms import YearAmountsField, YearAmountsWidget

    shown = YearAmountsWidget().format_value({"total": 30000})
    assert YearAmountsField().clean(shown) == {"total": 30000}
    assert YearAmountsField().clean("รวม: ๓๐,๐๐๐") == {"total": 30000}
