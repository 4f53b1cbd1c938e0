"""The national directory of local administrative organizations: read through the one table reader, imported by a
management command and the admin, idempotent (keyed by the DLA code), with a dry run and Thai errors per row."""

import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from portal.models import DirectoryEntry, Organization
from portal.onboarding.directory import DirectoryFileError, read_directory

SAMPLE = Path(__file__).resolve().parents[2] / "portal" / "onboarding" / "sample_directory.csv"
HEADER = "รหัส,ประเภท,ชื่อ,จังหวัด,อำเภอ,ตำบล\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root-dir", "root@example.com", "x"))
    return client


def test_the_sample_file_reads_whole():
    rows, errors = read_directory(SAMPLE.read_bytes(), SAMPLE.name)
    assert errors == [] and len(rows) == 6
    assert {r.kind for r in rows} == set(Organization.Kind.values)
    khamyai = rows[0]
    assert (khamyai.code, khamyai.kind, khamyai.province, khamyai.district, khamyai.subdistrict) == (
        "6460802", Organization.Kind.SAO, "กาฬสินธุ์", "ห้วยเม็ก", "คำใหญ่")


def test_columns_in_any_order_english_headers_thai_digits_short_kinds_and_prefixes():
    data = ("Province,Code,Name,Type,District\n"
            "จังหวัดขอนแก่น,๕๔๐๐๑๐๑,เทศบาลนครขอนแก่น,ทน.,อ.เมืองขอนแก่น\n")
    (row,), errors = read_directory(data.encode(), "d.csv")
    assert errors == []
    assert (row.code, row.kind, row.province, row.district, row.subdistrict) == (
        "5400101", Organization.Kind.CITY_MUNICIPALITY, "ขอนแก่น", "เมืองขอนแก่น", "")


def test_an_xlsx_file_with_numeric_codes():
    book = Workbook()
    sheet = book.active
    sheet.append(["รหัส", "ประเภท", "ชื่อ", "จังหวัด", "อำเภอ", "ตำบล"])
    sheet.append([6460802, "อบต.", "องค์การบริหารส่วนตำบลคำใหญ่", "กาฬสินธุ์", "ห้วยเม็ก", "คำใหญ่"])
    out = io.BytesIO()
    book.save(out)
    (row,), errors = read_directory(out.getvalue(), "d.xlsx")
    assert errors == [] and row.code == "6460802"


def test_bad_rows_are_named_by_their_row_number_in_thai():
    data = (HEADER + "6460802,อบต.,คำใหญ่,กาฬสินธุ์,ห้วยเม็ก,คำใหญ่\n"
            "12345,อบต.,สั้น,กาฬสินธุ์,ห้วยเม็ก,\n"
            "6460802,อบต.,ซ้ำ,กาฬสินธุ์,ห้วยเม็ก,\n"
            "6460803,สุขาภิบาล,ผิดประเภท,กาฬสินธุ์,ห้วยเม็ก,\n"
            "6460804,อบต.,,กาฬสินธุ์,ห้วยเม็ก,\n"
            "6460805,อบต.,ผิดจังหวัด,กาฬสิน,ห้วยเม็ก,\n")
    rows, errors = read_directory(data.encode(), "d.csv")
    assert [r.code for r in rows] == ["6460802"]
    assert [str(e) for e in errors] == [
        "แถวที่ 3: รหัส อปท. ต้องเป็นตัวเลข 7 หลัก (พบ “12345”)",
        "แถวที่ 4: รหัส 6460802 ซ้ำกับแถวที่ 2",
        "แถวที่ 5: ไม่รู้จักประเภท “สุขาภิบาล” ใช้ เทศบาลนคร เทศบาลเมือง เทศบาลตำบล หรือ อบต.",
        "แถวที่ 6: ไม่มีชื่อองค์กร",
        "แถวที่ 7: ไม่พบจังหวัด “กาฬสิน” ในรายชื่อ 76 จังหวัดและกรุงเทพมหานคร",
    ]


@pytest.mark.parametrize("data,message", [
    (b"", "ไฟล์ว่าง"),
    ("ชื่อ,จังหวัด\nก,ข\n".encode(), "ไม่พบคอลัมน์: รหัส, ประเภท, อำเภอ"),
    (HEADER.encode(), "ไม่มีรายชื่อองค์กร"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"PK\x03\x04broken", "Excel"),
])
def test_a_file_that_is_not_a_directory_is_refused_whole(data, message):
    with pytest.raises(DirectoryFileError, match=message):
        read_directory(data, "d.xlsx" if data.startswith(b"PK") else "d.csv")


def test_the_command_imports_then_updates_never_duplicates_and_dry_runs(tmp_path):
    out = io.StringIO()
    call_command("import_dla_directory", str(SAMPLE), "--dry-run", stdout=out)
    assert "ทดลอง (ไม่บันทึก): เพิ่ม 6 แก้ไข 0 ไม่เปลี่ยน 0" in out.getvalue()
    assert DirectoryEntry.objects.count() == 0

    call_command("import_dla_directory", str(SAMPLE), stdout=io.StringIO())
    assert DirectoryEntry.objects.count() == 6
    added = LogEntry.objects.get(additional_data__event="portal.directory.imported",
                                 additional_data__actor="system:command:import_dla_directory")
    assert (added.additional_data["added"], added.additional_data["first_code"],
            added.additional_data["last_code"]) == (6, "5400101", "6461003")
    out = io.StringIO()
    call_command("import_dla_directory", str(SAMPLE), stdout=out)
    assert "เพิ่ม 0 แก้ไข 0 ไม่เปลี่ยน 6" in out.getvalue() and DirectoryEntry.objects.count() == 6

    changed = tmp_path / "changed.csv"
    changed.write_text(SAMPLE.read_text().replace("เทศบาลตำบลท่าค้อ", "เทศบาลตำบลท่าค้อใหม่"))
    out = io.StringIO()
    call_command("import_dla_directory", str(changed), "--dry-run", stdout=out)
    assert "~ 5480102 เทศบาลตำบลท่าค้อ: name_th เทศบาลตำบลท่าค้อ → เทศบาลตำบลท่าค้อใหม่" in out.getvalue()
    call_command("import_dla_directory", str(changed), stdout=io.StringIO())
    assert DirectoryEntry.objects.get(code="5480102").name_th == "เทศบาลตำบลท่าค้อใหม่"
    changed_row = LogEntry.objects.filter(additional_data__event="portal.directory.imported").latest("pk")
    assert changed_row.changes == {"name_th": ["เทศบาลตำบลท่าค้อ", "เทศบาลตำบลท่าค้อใหม่"]}
    assert DirectoryEntry.objects.count() == 6


def test_the_command_writes_nothing_when_a_row_is_bad(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "6460802,อบต.,คำใหญ่,กาฬสินธุ์,ห้วยเม็ก,คำใหญ่\n646,อบต.,x,กาฬสินธุ์,ห้วยเม็ก,\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 แถวผิด"):
        call_command("import_dla_directory", str(bad), stderr=err)
    assert "แถวที่ 3" in err.getvalue() and DirectoryEntry.objects.count() == 0


def test_admin_upload_previews_then_imports_on_confirmation(root):
    page = root.get("/admin/portal/directoryentry/import/")
    assert page.status_code == 200
    preview = root.post("/admin/portal/directoryentry/import/", {"file": _upload(SAMPLE.read_bytes(), "dla.csv")})
    html = preview.content.decode()
    assert preview.status_code == 200 and "เพิ่มใหม่ 6 รายการ" in html and "องค์การบริหารส่วนตำบลคำใหญ่" in html
    assert DirectoryEntry.objects.count() == 0, "the preview writes nothing"
    token = preview.context["token"]
    done = root.post("/admin/portal/directoryentry/import/", {"token": token})
    assert done.status_code == 302 and DirectoryEntry.objects.count() == 6
    # the kept file is spent: confirming again asks for the file again, and imports nothing twice
    again = root.post("/admin/portal/directoryentry/import/", {"token": token}, follow=True)
    assert "หมดอายุ" in again.content.decode() and DirectoryEntry.objects.count() == 6


def test_admin_upload_of_bad_rows_is_a_400_listing_them(root):
    data = (HEADER + "6460802,อบต.,คำใหญ่,กาฬสินธุ์,ห้วยเม็ก,คำใหญ่\n646,อบต.,x,กาฬสินธุ์,ห้วยเม็ก,\n").encode()
    page = root.post("/admin/portal/directoryentry/import/", {"file": _upload(data, "dla.csv")})
    assert page.status_code == 400
    assert "แถวที่ 3: รหัส อปท. ต้องเป็นตัวเลข 7 หลัก" in page.content.decode() and "token" not in page.context
    junk = root.post("/admin/portal/directoryentry/import/", {"file": _upload(b"PK\x03\x04junk", "dla.xlsx")})
    assert junk.status_code == 400 and "ไฟล์ Excel เสียหาย" in junk.content.decode()
    other = root.post("/admin/portal/directoryentry/import/", {"file": _upload(b"%PDF-1.4", "dla.pdf")})
    assert other.status_code == 400 and ".csv หรือ .xlsx" in other.content.decode()
    assert DirectoryEntry.objects.count() == 0


def test_only_the_installations_superuser_reaches_the_directory(client, org):
    from tests.portal.factories import staff

    client.force_login(staff(org))
    assert client.get("/admin/portal/directoryentry/").status_code == 403
    assert client.get("/admin/portal/directoryentry/import/").status_code == 403
    assert client.post("/admin/portal/directoryentry/import/",
                       {"file": _upload(SAMPLE.read_bytes(), "dla.csv")}).status_code == 403


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
