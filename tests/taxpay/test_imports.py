import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from taxpay import services
from taxpay.importers import REGISTER_COLUMNS
from taxpay.models import Building, Owner, Parcel, Payment, Signboard
from tests.taxpay.factories import make_bill, tax_org

pytestmark = pytest.mark.django_db

HEADER = ",".join(REGISTER_COLUMNS)


def row(**values):
    return ",".join(str(values.get(c, "")) for c in REGISTER_COLUMNS)


GOOD = "\n".join([
    HEADER,
    row(record="parcel", owner_id="1101700203450", owner_name="นายหนึ่ง", parcel_code="01A001", deed_number="123",
        rai="1", ngan="2", wa="50.5", value_per_wa='"๕,๐๐๐"', use="residential_other"),
    row(record="building", parcel_code="01A001", building_type="house", area_sqm="120", price_per_sqm="7000",
        age_years="5", depreciation_percent="10"),
    row(record="signboard", owner_id="1101700203450", owner_name="นายหนึ่ง", sign_code="S1", sign_kind="thai_only",
        changing="1", width_cm="100", height_cm="50"),
]).encode()


def test_register_csv_imported(org):
    counts = services.import_register(organization=org, data=GOOD, filename="register.csv")
    assert counts == {"parcels": 1, "buildings": 1, "signboards": 1, "owners": 1}
    parcel = Parcel.objects.get(organization=org)
    assert parcel.area_sq_wa == D("650.5") and parcel.value_per_wa == D("5000")
    assert Building.objects.get().value == D("756000.00")
    assert Signboard.objects.get().changing
    # importing again updates, never duplicates
    services.import_register(organization=org, data=GOOD, filename="register.csv")
    assert (Parcel.objects.count(), Building.objects.count(), Owner.objects.count()) == (1, 1, 1)


def test_register_all_or_nothing_with_row_numbers(org):
    bad = GOOD + ("\n" + row(record="parcel", owner_id="1101700203451", owner_name="x", parcel_code="01A002",
                             value_per_wa="10", use="commercial")).encode()
    bad += ("\n" + row(record="building", parcel_code="ZZZ", area_sqm="abc", price_per_sqm="1")).encode()
    bad += ("\n" + row(record="parcel", owner_id="1101700203450", owner_name="x", parcel_code="01A003",
                       value_per_wa="10", use="palace")).encode()
    with pytest.raises(services.ImportRejected) as caught:
        services.import_register(organization=org, data=bad, filename="register.csv")
    messages = caught.value.messages
    assert any(m.startswith("แถว 5:") for m in messages)
    assert any(m.startswith("แถว 6:") for m in messages)
    assert any(m.startswith("แถว 7:") for m in messages)
    assert Parcel.objects.count() == 0 and Owner.objects.count() == 0


def test_register_xlsx(org):
    book = Workbook()
    sheet = book.active
    sheet.append(REGISTER_COLUMNS)
    values = dict.fromkeys(REGISTER_COLUMNS, None)
    values.update(record="parcel", owner_id="1101700203450", owner_name="นายหนึ่ง", parcel_code="X1",
                  rai=2, value_per_wa=1000, use="agriculture")
    sheet.append([values[c] for c in REGISTER_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    services.import_register(organization=org, data=out.getvalue(), filename="r.xlsx")
    assert Parcel.objects.get().area_sq_wa == 800


def test_register_not_a_table_refused(org):
    with pytest.raises(services.ImportRejected):
        services.import_register(organization=org, data=b"\x89PNG\r\n\x1a\n\x00\x00", filename="r.csv")


@pytest.fixture
def org():
    return tax_org()


def statement(*lines):
    return ("date,amount,ref1,ref2,bank_reference\n" + "\n".join(lines)).encode()


def test_statement_import_idempotent_and_unmatched_listed(org):
    bill = make_bill(org)
    data = statement(f"01/03/2568,2000.00,{bill.number},256801,BANK001",
                     f"2025-02-28,1000.00,{bill.number},256802,BANK002",
                     "01/03/2568,50.00,LB2568999999,256801,BANK003",
                     f"01/03/2568,99999.00,{bill.number},256801,BANK004",
                     "31/02/2568,1,X,Y,BANK005")
    first = services.import_statement(organization=org, data=data, filename="stmt.csv")
    assert (first.lines, first.recorded, first.duplicates) == (5, 2, 0)
    assert [u["row"] for u in first.unmatched] == [4, 5, 6]
    second = services.import_statement(organization=org, data=data, filename="stmt.csv")
    assert (second.recorded, second.duplicates) == (0, 2)
    assert Payment.objects.filter(bill=bill).count() == 2
    assert {p.paid_on for p in Payment.objects.all()} == {dt.date(2025, 3, 1), dt.date(2025, 2, 28)}


def test_statement_lines_dated_in_the_future_or_before_the_tax_year_are_refused(org):
    """Today is 1 March 2568 (conftest): the next day and a day of 2567 (before the bill's tax year) are refused
    with the reason, in Thai; the line of today is recorded."""
    bill = make_bill(org)
    data = statement(f"02/03/2568,100.00,{bill.number},256801,FUTURE1",
                     f"2026-03-01,100.00,{bill.number},256801,FUTURE2",
                     f"31/12/2567,100.00,{bill.number},256801,OLD1",
                     f"15/06/2563,100.00,{bill.number},256801,OLD2",
                     f"01/03/2568,100.00,{bill.number},256801,TODAY1")
    checked = services.check_statement(organization=org, data=data, filename="s.csv")
    assert [row["outcome"] for row in checked] == ["unmatched"] * 4 + ["record"]
    result = services.import_statement(organization=org, data=data, filename="s.csv")
    assert result.recorded == 1
    assert list(Payment.objects.values_list("bank_reference", flat=True)) == ["TODAY1"]
    reasons = {u["bank_reference"]: u["reason"] for u in result.unmatched}
    assert reasons["FUTURE1"] == "วันที่ชำระ 2 มี.ค. 2568 เป็นวันในอนาคต รายการเดินบัญชีต้องเป็นเงินที่ได้รับแล้ว"
    assert "เป็นวันในอนาคต" in reasons["FUTURE2"]
    assert reasons["OLD1"] == "วันที่ชำระ 31 ธ.ค. 2567 อยู่ก่อนปีภาษี 2568 ของใบแจ้ง"
    assert "อยู่ก่อนปีภาษี" in reasons["OLD2"]


def test_statement_missing_columns_refused(org):
    with pytest.raises(services.ImportRejected):
        services.import_statement(organization=org, data=b"date,amount\n1/1/2568,5\n", filename="s.csv")


def test_register_import_use_by_part_and_sign_dates(org):
    from taxpay.models import ParcelUsePart

    def register(parts_cell, columns=REGISTER_COLUMNS):
        def line(**values):
            return ",".join(str(values.get(c, "")) for c in columns)

        return "\n".join([
            ",".join(columns),
            line(record="parcel", owner_id="1101700203450", owner_name="นายหนึ่ง", parcel_code="01A009",
                 deed_number="9", rai="1", value_per_wa="5000", use="main_home", use_parts=parts_cell),
            line(record="signboard", owner_id="1101700203450", owner_name="นายหนึ่ง", sign_code="S9",
                 sign_kind="thai_only", width_cm="100", height_cm="50", installed_on="10/05/2568",
                 filed_on="๒๖/๐๕/๒๕๖๘"),
        ]).encode()

    def parts():
        return dict(ParcelUsePart.objects.filter(parcel__code="01A009").values_list("use", "share_percent"))

    services.import_register(organization=org, data=register('"commercial:๓๐; residential_other:10.5"'),
                             filename="register.csv")
    assert parts() == {"commercial": D("30"), "residential_other": D("10.5")}
    sign = Signboard.objects.get(code="S9")
    assert (sign.installed_on, sign.filed_on) == (dt.date(2025, 5, 10), dt.date(2025, 5, 26))
    # a file without the column leaves the parts; an empty cell clears them
    without = [c for c in REGISTER_COLUMNS if c != "use_parts"]
    services.import_register(organization=org, data=register("", without), filename="register.csv")
    assert parts() == {"commercial": D("30"), "residential_other": D("10.5")}
    services.import_register(organization=org, data=register(""), filename="register.csv")
    assert parts() == {}


@pytest.mark.parametrize("cell,error", [
    ("commercial:60;residential_other:50", "เกินร้อยละ 100"),
    ("main_home:10", "ไม่ถูกต้อง"),          # the main use itself
    ("palace:10", "ไม่ถูกต้อง"),
    ("commercial:abc", "ต้องเป็นตัวเลข"),
    ("commercial:0", "มากกว่า 0"),
])
def test_register_import_bad_use_parts_refuse_the_file(org, cell, error):
    data = "\n".join([HEADER, row(record="parcel", owner_id="1101700203450", owner_name="นายหนึ่ง",
                                  parcel_code="01A010", rai="1", value_per_wa="5000", use="main_home",
                                  use_parts=f'"{cell}"')]).encode()
    with pytest.raises(services.ImportRejected) as exc:
        services.import_register(organization=org, data=data, filename="register.csv")
    assert any("แถว 2" in m and error in m for m in exc.value.messages), exc.value.messages
    assert not Parcel.objects.exists()


def test_a_statement_recorded_by_a_background_job_names_who_asked_for_it(org):
    """The job runs outside any request: the payment's own audit row still names the finance officer (no request
    middleware to find them), as the register import's rows do."""
    from auditlog.models import LogEntry

    from tests.taxpay.factories import finance_officer

    clerk = finance_officer(org)
    bill = make_bill(org)
    services.import_statement(organization=org, data=statement(f"01/03/2568,100.00,{bill.number},256801,JOB1"),
                              filename="s.csv", actor=clerk)
    payment = Payment.objects.get()
    assert LogEntry.objects.get_for_object(payment).get(action=LogEntry.Action.CREATE).actor == clerk
    services.import_register(organization=org, data=GOOD, filename="r.csv", actor=clerk)
    parcel = Parcel.objects.get(code="01A001")
    assert LogEntry.objects.get_for_object(parcel).get(action=LogEntry.Action.CREATE).actor == clerk
