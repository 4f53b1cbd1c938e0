"""The tax year's rates are edited in the admin as labelled rows (category, from, to, rate; exemptions;
signboard rates; dates), validated together: slices contiguous, rates within the Act's ceilings."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from portal.models import Role
from taxpay import services
from taxpay.forms import TaxYearForm
from taxpay.models import TaxYear
from tests.portal.factories import staff
from tests.taxpay.factories import make_bill, tax_org

pytestmark = pytest.mark.django_db
M = D("1000000")


@pytest.fixture
def org():
    return tax_org()


@pytest.fixture
def year(org):
    return services.ensure_tax_year(organization=org, year=2568)


@pytest.fixture
def officer_client(client, org):
    client.force_login(staff(org, Role.FINANCE))
    return client


def as_post(form) -> dict:
    """What the browser sends back for an unchanged form: every field's shown value, formsets included."""
    data = {}

    def put(bound):
        value = bound.value()
        if value is None:
            return
        if isinstance(value, dt.date):  # typed as the admin shows it: dd/mm/yyyy in the Buddhist era
            value = f"{value.day:02d}/{value.month:02d}/{value.year + 543}"
        data[bound.html_name] = value.pk if hasattr(value, "pk") else value

    for bound in form:
        put(bound)
    for formset in (form.slices, form.categories):
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for sub in formset.forms:
            if sub.initial:
                for bound in sub:
                    if bound.name != "DELETE":
                        put(bound)
    return data


def slice_rows(data, use):
    return sorted((k.split("-")[1] for k, v in data.items() if k.endswith("-use") and k.startswith("slices-")
                   and v == use), key=int)


def post(client, year, data):
    return client.post(reverse("admin:taxpay_taxyear_change", args=[year.pk]), {**data, "_save": "1"})


def test_change_page_shows_labelled_rows_not_json(officer_client, year):
    page = officer_client.get(reverse("admin:taxpay_taxyear_change", args=[year.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'name="schedules"' not in text and 'name="sign_rates"' not in text
    assert 'name="slices-0-rate_percent"' in text and "อัตราภาษี (ร้อยละ)" in text
    assert 'name="categories-1-exemption_individual"' in text and "มูลค่าตั้งแต่ (บาท)" in text
    assert 'name="sign_thai_mixed_fixed"' in text


def test_unchanged_form_saves_the_same_tables(officer_client, year):
    before = (year.schedules, year.sign_rates)
    response = post(officer_client, year, as_post(TaxYearForm(instance=year)))
    assert response.status_code == 302, response.content.decode()[:3000]
    year.refresh_from_db()
    assert (year.schedules, year.sign_rates) == before


def test_edited_rate_relief_and_sign_rate_are_used_by_the_assessment(officer_client, org, year):
    data = as_post(TaxYearForm(instance=year))
    first = slice_rows(data, "commercial")[0]
    data[f"slices-{first}-rate_percent"] = "๐.๓๕"  # Thai digits accepted
    data["relief_percent"] = "10"
    data["sign_thai_mixed_fixed"] = "30"
    assert post(officer_client, year, data).status_code == 302
    year.refresh_from_db()
    assert year.schedule("commercial").slices[0].rate_percent == D("0.35")
    assert year.sign_rate_table()["thai_mixed"] == (D("52"), D("30"))
    bill = make_bill(org)  # 2,000,000 baht commercial: 0.35 % = 7,000, less 10 % relief
    assert bill.amount == D("6300.00")


def test_a_slice_added_in_an_empty_row(officer_client, year):
    data = as_post(TaxYearForm(instance=year))
    rows = slice_rows(data, "residential_other")
    last = rows[-1]  # > 100 M at 0.1 %: split at 200 M, then 0.2 % above
    data[f"slices-{last}-upper"] = str(200 * M)
    extra = data["slices-TOTAL_FORMS"]
    data.update({f"slices-{extra}-use": "residential_other", f"slices-{extra}-lower": "200,000,000",
                 f"slices-{extra}-upper": "", f"slices-{extra}-rate_percent": "0.2"})
    data["slices-TOTAL_FORMS"] = str(int(extra) + 1)
    response = post(officer_client, year, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    year.refresh_from_db()
    slices = year.schedule("residential_other").slices
    assert [(s.upper, s.rate_percent) for s in slices[-2:]] == [(200 * M, D("0.1")), (None, D("0.2"))]


@pytest.mark.parametrize("change,message", [
    (lambda d, r: d.__setitem__(f"slices-{r[1]}-lower", "60000000"), "ต่อเนื่อง"),           # a gap 50 M - 60 M
    (lambda d, r: d.__setitem__(f"slices-{r[0]}-lower", "1"), "เริ่มที่ 0"),
    (lambda d, r: d.__setitem__(f"slices-{r[-1]}-upper", "9000000000"), "ช่วงสุดท้าย"),
    (lambda d, r: d.__setitem__(f"slices-{r[0]}-rate_percent", "1.5"), "เพดาน"),             # commercial ceiling 1.2
    (lambda d, r: d.__setitem__(f"slices-{r[0]}-upper", "0"), "ต้องมากกว่า"),
    (lambda d, r: [d.__setitem__(f"slices-{i}-DELETE", "on") for i in r], "อย่างน้อยหนึ่งช่วง"),
    (lambda d, r: d.__setitem__("instalment_3_due", ""), "ทั้งงวดที่ 2 และงวดที่ 3"),
    (lambda d, r: d.__setitem__("instalment_2_due", "01/04/2568"), "เรียงกัน"),
    (lambda d, r: d.__setitem__("categories-0-exemption_individual", "-1"), "มากกว่าหรือเท่ากับ 0"),
])
def test_bad_tables_are_refused_with_a_message_and_nothing_saved(officer_client, year, change, message):
    data = as_post(TaxYearForm(instance=year))
    change(data, slice_rows(data, "commercial"))
    before = TaxYear.objects.values().get(pk=year.pk)
    response = post(officer_client, year, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert TaxYear.objects.values().get(pk=year.pk) == before
    # what was typed is shown again
    assert 'name="slices-0-rate_percent"' in response.content.decode()


def test_a_new_year_starts_from_the_act_tables(officer_client, org, year):
    page = officer_client.get(reverse("admin:taxpay_taxyear_add"))
    assert page.status_code == 200
    data = as_post(TaxYearForm(instance=year))
    data.update({"year": "2569", "notice_date": "01/02/2569", "due_date": "30/04/2569", "instalment_2_due": "31/05/2569",
                 "instalment_3_due": "30/06/2569", "signboard_due_date": "31/03/2569"})
    response = officer_client.post(reverse("admin:taxpay_taxyear_add"), {**data, "_save": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    new = TaxYear.objects.get(organization=org, year=2569)
    assert new.schedules == year.schedules and new.due_date == dt.date(2026, 4, 30)
