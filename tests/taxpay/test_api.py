import base64
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.test import Client

from portal.models import Role
from taxpay import services
from tests.portal.factories import staff
from tests.taxpay.factories import make_bill, tax_org
from tests.taxpay.qrcheck import decode_payload, read_png

pytestmark = pytest.mark.django_db


def test_land_building_estimate(client):
    response = client.get("/api/tax/estimate/land-building/",
                          {"use": "main_home", "value": "60000000", "owner": "individual", "year": "2568"})
    assert response.status_code == 200
    data = response.json()
    assert data["tax"] == "3000.00"
    assert [line["kind"] for line in data["lines"]] == ["exemption", "slice"]


def test_land_building_estimate_commercial_and_bad_input(client):
    ok = client.get("/api/tax/estimate/land-building/", {"use": "commercial", "value": "60000000",
                                                           "owner": "juristic"})
    assert ok.json()["tax"] == "190000.00"
    assert client.get("/api/tax/estimate/land-building/", {"use": "palace", "value": "1"}).status_code == 400
    assert client.get("/api/tax/estimate/land-building/", {"use": "main_home", "value": "1",
                                                           "owner": "juristic"}).status_code == 400


def test_signboard_estimate(client):
    response = client.get("/api/tax/estimate/signboard/",
                          {"kind": "thai_mixed", "changing": "0", "width_cm": "100", "height_cm": "250"})
    assert response.status_code == 200
    assert response.json()["tax"] == "1300.00" and response.json()["units"] == 50
    assert client.get("/api/tax/estimate/signboard/", {"kind": "thai_only", "changing": "2", "width_cm": "1",
                                                       "height_cm": "1"}).status_code == 400


SIGN = {"kind": "thai_mixed", "changing": "0", "width_cm": "100", "height_cm": "250"}


def test_signboard_estimate_without_quarter_answers_as_documented(client):
    data = client.get("/api/tax/estimate/signboard/", SIGN).json()
    assert set(data) == {"tax", "units", "lines"}
    assert [line["kind"] for line in data["lines"]] == ["sign_area", "sign_rate"]


@pytest.mark.parametrize("quarter,tax", [("1", "1300.00"), ("2", "975.00"), ("3", "650.00"), ("4", "325.00")])
def test_signboard_estimate_by_quarter(client, quarter, tax):
    response = client.get("/api/tax/estimate/signboard/", {**SIGN, "quarter": quarter})
    assert response.status_code == 200
    data = response.json()
    assert data["tax"] == tax and data["units"] == 50
    share = data["lines"][-1]
    assert share["kind"] == "sign_quarter" and share["amount"].replace(",", "") == tax
    assert f"ไตรมาสที่ {quarter}" in share["label"]


@pytest.mark.parametrize("quarter", ["0", "5", "-1", "x", "2.5"])
def test_signboard_estimate_bad_quarter_is_400_with_a_message(client, quarter):
    response = client.get("/api/tax/estimate/signboard/", {**SIGN, "quarter": quarter})
    assert response.status_code == 400
    assert response.json()["quarter"]


def test_estimator_throttled(settings):
    cache.clear()
    client = Client()
    codes = [client.get("/api/tax/estimate/signboard/", {"kind": "thai_only", "changing": "0", "width_cm": "10",
                                                         "height_cm": "10"}).status_code for _ in range(62)]
    assert codes[0] == 200 and codes[-1] == 429


def test_estimator_in_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/tax/estimate/land-building/" in schema and "/api/tax/estimate/signboard/" in schema
    assert "/api/tax/bills/" in schema


def test_estimator_quarter_in_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/tax/estimate/signboard/"]["get"]["parameters"]}
    assert params["quarter"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 4}
    assert not params["quarter"].get("required")
    assert all(params[name]["required"] for name in ("kind", "changing", "width_cm", "height_cm"))


def basic(user):
    return "Basic " + base64.b64encode(f"{user.username}:pw-test-12345".encode()).decode()


def test_staff_bill_api_scoped_with_qr(client):
    org, other = tax_org(), tax_org()
    bill = make_bill(org)
    make_bill(other)
    officer = staff(org, Role.FINANCE)
    response = client.get("/api/tax/bills/", {"organization": org.slug}, HTTP_AUTHORIZATION=basic(officer))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["number"] for r in results] == [bill.number]
    item = results[0]
    assert item["amount_due"] == "2000.00"
    assert decode_payload(item["qr_payload"])["30"]["02"] == bill.number
    png = client.get(item["qr_png"], HTTP_AUTHORIZATION=basic(officer))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert read_png(png.content) == item["qr_payload"]
    # the other organization's bills are invisible, by filter or by id
    theirs = client.get("/api/tax/bills/", {"organization": other.slug}, HTTP_AUTHORIZATION=basic(officer))
    assert theirs.json()["results"] == []
    other_bill = other.tax_bills.get()
    assert client.get(f"/api/tax/bills/{other_bill.pk}/qr.png/", HTTP_AUTHORIZATION=basic(officer)).status_code == 404
    assert client.get("/api/tax/bills/", {"organization": org.slug}).status_code in (401, 403)
    legal = staff(org, Role.LEGAL_OFFICER)
    assert client.get("/api/tax/bills/", HTTP_AUTHORIZATION=basic(legal)).json()["results"] == []


def test_paid_bill_has_no_qr(client):
    org = tax_org()
    bill = make_bill(org)
    services.record_payment(bill=bill, amount=D("6000"), paid_on=dt.date(2025, 3, 1), method="counter")
    officer = staff(org, Role.FINANCE)
    item = client.get("/api/tax/bills/", HTTP_AUTHORIZATION=basic(officer)).json()["results"][0]
    assert item["amount_due"] == "0.00" and item["qr_payload"] is None and item["qr_png"] is None


def test_one_organizations_rates_never_reach_another_organizations_estimates(client):
    """The first organization (by id) edits its 2568 year: 50 % relief and its own signboard rate. Anonymous
    estimates without an organization, or for another one, keep the Act's rates; its own citizens get its year."""
    from taxpay.models import TaxYear

    edited, other = tax_org(), tax_org()
    year = services.ensure_tax_year(organization=edited, year=2568)
    TaxYear.objects.filter(pk=year.pk).update(relief_percent=D("50"),
                                              sign_rates={"thai_only": ["20", "10"], "thai_mixed": ["52", "26"],
                                                          "foreign": ["52", "50"]})
    services.ensure_tax_year(organization=other, year=2568)
    query = {"use": "commercial", "value": "60000000", "owner": "juristic", "year": "2568"}
    url = "/api/tax/estimate/land-building/"
    assert client.get(url, query).json()["tax"] == "190000.00"
    assert client.get(url, {**query, "organization": other.slug}).json()["tax"] == "190000.00"
    assert client.get(url, {**query, "organization": edited.slug}).json()["tax"] == "95000.00"
    assert client.get(url, {**query, "organization": "no-such-place"}).status_code == 400
    sign = {"kind": "thai_only", "changing": "1", "width_cm": "100", "height_cm": "500"}  # 100 units
    assert client.get("/api/tax/estimate/signboard/", sign).json()["tax"] == "1000.00"
    assert client.get("/api/tax/estimate/signboard/", {**sign, "organization": edited.slug}).json()["tax"] == "2000.00"
    # the citizen page of each organization: its own year, or the Act
    page = {"tax": "land_building", "use": "commercial", "owner": "juristic", "value": "60000000"}
    assert "95,000.00" in client.get(f"/{edited.slug}/tax/estimate/", page).content.decode()
    text = client.get(f"/{other.slug}/tax/estimate/", page).content.decode()
    assert "190,000" in text and "95,000" not in text  # the amounts, not how they are written
