"""Use by part: a parcel used partly in another category. Each part's share of the value is taxed under its own
category's slices (with the owner's other property of that category); the parcel's main use keeps the rest."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from portal.models import Role
from taxpay import rules, selectors, services
from taxpay.models import Bill, ParcelUsePart
from tests.portal.factories import staff
from tests.taxpay.factories import OwnerFactory, ParcelFactory, ParcelUsePartFactory, tax_org

pytestmark = pytest.mark.django_db
M = D("1000000")


@pytest.fixture
def org():
    return tax_org()


def bill_of(org, owner):
    services.run_assessment(organization=org, year=2568)
    return Bill.objects.get(owner=owner, tax_type="land_building", status="issued")


def test_split_keeps_every_satang():
    rows = rules.split_by_use(D("1000000.01"), "main_home", [("commercial", D("33.33"))])
    assert rows == [("main_home", D("66.67"), D("666700.01")), ("commercial", D("33.33"), D("333300.00"))]
    assert sum(v for _u, _s, v in rows) == D("1000000.01")
    assert rules.split_by_use(D("100"), "main_home", [("commercial", D("100"))]) == [
        ("commercial", D("100"), D("100.00"))]


def test_main_home_with_a_shop_part_each_part_under_its_own_slices(org):
    owner = OwnerFactory(organization=org)
    # 60 M: 400 wa x 150,000. Wholly a main home: 50 M exempt, 10 M x 0.03 % = 3,000.
    parcel = ParcelFactory(organization=org, owner=owner, use="main_home", value_per_wa=D("150000"))
    # 40 % let as a shop: 24 M commercial x 0.3 % = 72,000; the home's 36 M is within its 50 M exemption.
    ParcelUsePartFactory(parcel=parcel, use="commercial", share_percent=D("40"))
    bill = bill_of(org, owner)
    assert bill.amount == D("72000.00")
    categories = {c["use"]: c for c in bill.computation["categories"]}
    assert categories["main_home"]["value"] == str(36 * M) + ".00" and categories["main_home"]["tax"] == "0.00"
    assert categories["commercial"]["value"] == str(24 * M) + ".00" and categories["commercial"]["tax"] == "72000.00"
    assert bill.computation["properties"][0]["parts"] == [
        {"use": "main_home", "share_percent": "60.00", "value": "36000000.00"},
        {"use": "commercial", "share_percent": "40.00", "value": "24000000.00"}]


def test_a_part_joins_the_owners_other_property_of_its_category(org):
    owner = OwnerFactory(organization=org, kind="juristic")
    ParcelFactory(organization=org, owner=owner, use="commercial", value_per_wa=D("100000"))  # 40 M
    mixed = ParcelFactory(organization=org, owner=owner, use="residential_other", value_per_wa=D("150000"))  # 60 M
    ParcelUsePartFactory(parcel=mixed, use="commercial", share_percent=D("40"))  # 24 M commercial
    bill = bill_of(org, owner)
    categories = {c["use"]: c for c in bill.computation["categories"]}
    # commercial 64 M: 50 M x 0.3 % + 14 M x 0.4 % = 206,000 ; residential 36 M x 0.02 % = 7,200
    assert categories["commercial"]["tax"] == "206000.00"
    assert categories["residential_other"]["tax"] == "7200.00"
    assert bill.amount == D("213200.00")


def test_bill_page_shows_the_parts_line_by_line(client, org):
    owner = services.register_owner(organization=org, name="นายสองใช้ ประโยชน์", id_number="1101700203450")
    parcel = ParcelFactory(organization=org, owner=owner, use="main_home", value_per_wa=D("150000"))
    ParcelUsePartFactory(parcel=parcel, use="commercial", share_percent=D("40"))
    bill = bill_of(org, owner)
    client.post(reverse("taxpay:index", args=[org.slug]), {"number": bill.number, "id_last4": "3450"})
    text = client.get(reverse("taxpay:bill", args=[org.slug, bill.number])).content.decode()
    assert "อื่น ๆ (พาณิชยกรรม) ร้อยละ 40.00 = 24,000,000.00" in text
    assert "บ้านหลังหลัก (เจ้าของที่ดินและบ้าน) ร้อยละ 60.00 = 36,000,000.00" in text
    sections = [s["title"] for s in selectors.computation_sections(bill)]
    assert len(sections) == 2


def test_parts_over_100_percent_or_repeating_the_main_use_refused_in_the_admin(client, org):
    client.force_login(staff(org, Role.FINANCE))
    parcel = ParcelFactory(organization=org, use="main_home")
    url = reverse("admin:taxpay_parcel_change", args=[parcel.pk])
    page = client.get(url)
    assert page.status_code == 200 and "use_parts-TOTAL_FORMS" in page.content.decode()
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["owner"] = parcel.owner_id
    data["organization"] = org.pk
    for prefix in ("use_parts", "buildings"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    def parts(*rows):
        body = {**data, "use_parts-TOTAL_FORMS": str(len(rows)), "_save": "1"}
        for i, (use, share) in enumerate(rows):
            body.update({f"use_parts-{i}-use": use, f"use_parts-{i}-share_percent": share,
                         f"use_parts-{i}-organization": org.pk})
        return client.post(url, body)

    over = parts(("commercial", "70"), ("residential_other", "40"))
    assert over.status_code == 200 and "เกินร้อยละ 100" in over.content.decode()
    same = parts(("main_home", "10"))
    assert same.status_code == 200 and "เหมือนการใช้ประโยชน์หลัก" in same.content.decode()
    assert not ParcelUsePart.objects.exists()
    ok = parts(("commercial", "๓๐"))
    assert ok.status_code == 302, ok.content.decode()[:2000]
    assert ParcelUsePart.objects.get().share_percent == D("30")
