import datetime as dt
from decimal import Decimal

import factory

from portal.models import Role
from portal.thai import ce_year
from taxpay import services
from taxpay.models import (
    Bill,
    Building,
    Counter,
    Owner,
    Parcel,
    ParcelUsePart,
    Payment,
    PaymentChange,
    Signboard,
    StatementImport,
    TaxSettings,
    TaxYear,
)
from tests.portal.factories import OrganizationFactory, staff

# Valid 13-digit citizen IDs (mod-11 check digit), e.g. 1101700203450 from the reference.
CITIZEN_IDS = ["1101700203450", "3100600123458", "1234567890121", "5100400012344", "1409900123453"]


def with_check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


_ids = (with_check_digit(f"3{n:011d}") for n in range(10_000_000, 99_999_999))


def tax_org(**kwargs):
    kwargs.setdefault("tax_id", "0994000165501")
    return OrganizationFactory(**kwargs)


def finance_officer(organization):
    return staff(organization, Role.FINANCE)


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"นายทดสอบ ภาษีดี{n}")

    @factory.post_generation
    def id_number(self, create, extracted, **kwargs):
        self.set_id(extracted or next(_ids))
        if create:
            self.save()


class ParcelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parcel

    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.LazyAttribute(lambda o: OwnerFactory(organization=o.organization))
    code = factory.Sequence(lambda n: f"01A{n:04d}")
    deed_number = factory.Sequence(lambda n: f"{1000 + n}")
    area_rai = 1
    value_per_wa = Decimal("5000")   # 400 wa x 5,000 = 2,000,000 baht
    use = "commercial"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    parcel = factory.SubFactory(ParcelFactory)
    organization = factory.LazyAttribute(lambda o: o.parcel.organization)
    building_type = "shophouse"
    area_sqm = Decimal("100")
    price_per_sqm = Decimal("8000")
    age_years = 10
    depreciation_percent = Decimal("20")


class ParcelUsePartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParcelUsePart

    parcel = factory.SubFactory(ParcelFactory)
    organization = factory.LazyAttribute(lambda o: o.parcel.organization)
    use = "residential_other"
    share_percent = Decimal("40")


class SignboardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signboard

    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.LazyAttribute(lambda o: OwnerFactory(organization=o.organization))
    code = factory.Sequence(lambda n: f"S{n:04d}")
    kind = "thai_mixed"
    changing = False
    width_cm = Decimal("100")
    height_cm = Decimal("250")


def make_bill(organization, *, value_per_wa=Decimal("5000"), use="commercial", year=2568, owner=None) -> Bill:
    """A land-and-building bill issued by the assessment run for one owner's parcel."""
    owner = owner or OwnerFactory(organization=organization)
    ParcelFactory(organization=organization, owner=owner, value_per_wa=value_per_wa, use=use)
    services.run_assessment(organization=organization, year=year)
    bill = Bill.objects.get(organization=organization, owner=owner, tax_type="land_building", status="issued")
    # issued on the year's notice day, as the tests' fixed "today" (tests/taxpay/conftest.py) expects
    Bill.objects.filter(pk=bill.pk).update(issued_at=dt.datetime(ce_year(year), 2, 1, 10, tzinfo=dt.UTC))
    bill.refresh_from_db()
    return bill


def make_tenant_objects(organization):
    if not organization.tax_id:
        organization.tax_id = "0994000165501"
        organization.save(update_fields=["tax_id"])
    bill = make_bill(organization)
    SignboardFactory(organization=organization, owner=bill.owner)
    BuildingFactory(parcel=bill.owner.parcels.first())
    ParcelUsePartFactory(parcel=bill.owner.parcels.first())
    payment, _created = services.record_payment(bill=bill, amount=Decimal("100"), paid_on=dt.date(2025, 4, 1),
                                                method="counter")
    services.ensure_tax_settings(organization)
    TaxSettings.objects.filter(organization=organization).update(changes_need_approval=True)
    services.request_payment_change(payment=payment, kind="void", reason="บันทึกซ้ำ", actor=None)
    services.start_import(organization=organization, kind="statement", filename="s.csv", actor=None,
                          data=b"date,amount,ref1,ref2,bank_reference\n")  # an import job of this organization
    services.import_statement(organization=organization, data=b"date,amount,ref1,ref2,bank_reference\n",
                              filename="s.csv")
    return bill


def _first(model):
    def build(organization):
        if not model.objects.filter(organization=organization).exists():
            make_tenant_objects(organization)
        return model.objects.filter(organization=organization).first()

    return build


TENANCY_FACTORIES = {model: _first(model) for model in (
    TaxSettings, TaxYear, Owner, Parcel, ParcelUsePart, Building, Signboard, Counter, Bill, Payment, PaymentChange, StatementImport)}
