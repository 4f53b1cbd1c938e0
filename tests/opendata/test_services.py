"""Uploads checked by content and size, immutable versions, the datastore, publishing rules."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from opendata import services
from opendata.models import Dataset
from tests.audit import rows_for
from tests.opendata.factories import CSV_BYTES, GEOJSON_BYTES, loaded, make_csv_resource, make_dataset

pytestmark = pytest.mark.django_db


def xlsx_bytes(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_upload_is_a_new_version_and_old_ones_stay(client, org):
    dataset = make_dataset(org, name="versions")
    resource = make_csv_resource(dataset)
    first = resource.versions.get()
    with loaded():
        services.add_version(resource=resource, data=CSV_BYTES + "2026-01,ถนนชำรุด,1,1\n".encode(), filename="b.csv")
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    assert resource.records.count() == 4  # the datastore follows the latest version
    old = client.get(f"/{org.slug}/opendata/versions/resource/{resource.id}/v/1/stats.csv")
    assert b"".join(old.streaming_content) == CSV_BYTES
    first.refresh_from_db()
    assert first.sha256 and first.size == len(CSV_BYTES)


@pytest.mark.parametrize("data,declared,message", [
    (b"%PDF-1.4 fake", "CSV", "ไม่ใช่ CSV"),
    (GEOJSON_BYTES, "CSV", "ไม่ใช่ CSV"),
    (CSV_BYTES, "GEOJSON", "ไม่ใช่ GeoJSON"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "", "ไม่รู้จักเนื้อไฟล์"),
    (b"PK\x03\x04garbage", "XLSX", "ไม่รู้จักเนื้อไฟล์"),
    (b"", "CSV", "ว่างเปล่า"),
])
def test_uploads_that_are_not_what_they_say(data, declared, message):
    with pytest.raises(ValidationError) as error:
        services.check_upload(data=data, declared_format=declared)
    assert message in " ".join(error.value.messages)


def test_upload_too_large(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="ใหญ่เกินไป"):
        services.check_upload(data=CSV_BYTES * 10, declared_format="CSV")


def test_xlsx_into_datastore_with_types(org):
    dataset = make_dataset(org, name="xlsx")
    data = xlsx_bytes([["หมู่ที่", "ครัวเรือน", "วันที่สำรวจ"], [1, 120, "2025-10-01"], [2, 98.5, "2025-10-02"]])
    with loaded():
        resource = services.add_resource(dataset=dataset, name="ครัวเรือน", data=data, filename="h.xlsx")
    resource.refresh_from_db()
    assert resource.format == "XLSX" and resource.datastore_active
    assert resource.datastore_fields == [{"id": "หมู่ที่", "type": "int"}, {"id": "ครัวเรือน", "type": "numeric"},
                                         {"id": "วันที่สำรวจ", "type": "date"}]


def test_tis620_csv_is_read():
    from opendata import datastore

    fields, records = datastore.table("ชื่อ,จำนวน\nถนน,3\n".encode("cp874"), "CSV")
    assert fields[0]["id"] == "ชื่อ" and records == [{"ชื่อ": "ถนน", "จำนวน": 3}]


def test_ragged_csv_is_not_a_table(org):
    dataset = make_dataset(org, name="ragged")
    with loaded():
        resource = services.add_resource(dataset=dataset, name="x", data=b"a,b\n1,2,3,4\n", filename="x.csv")
    resource.refresh_from_db()
    assert not resource.datastore_active and "คอลัมน์มากกว่า" in resource.datastore_error


def test_only_public_data_can_be_published(org):
    dataset = make_dataset(org, name="personal", publish=False, data_category=Dataset.Category.PERSONAL)
    with pytest.raises(ValidationError, match="ข้อมูลสาธารณะ"):
        services.publish(dataset=dataset)


def test_staff_of_another_organization_cannot_publish(org, other_org):
    from django.core.exceptions import PermissionDenied

    from tests.portal.factories import staff

    dataset = make_dataset(org, name="mine", publish=False)
    with pytest.raises(PermissionDenied):
        services.publish(dataset=dataset, actor=staff(other_org))
    services.publish(dataset=dataset, actor=staff(org))
    assert Dataset.objects.get(pk=dataset.pk).is_published


def test_creating_publishing_and_uploading_write_an_audit_row_naming_the_user(org):
    from portal.models import Role
    from tests.portal.factories import staff

    officer = staff(org, Role.ADMINISTRATOR)
    dataset = services.create_dataset(organization=org, name="audited", title="ชุดที่บันทึก", actor=officer,
                                      notes="n", maintainer="m", maintainer_email="m@example.go.th",
                                      geo_coverage="ตำบล", objective=["พันธกิจหน่วยงาน"], data_format=["CSV"],
                                      data_source="สำนักปลัด")
    resource = services.add_resource(dataset=dataset, name="ตาราง", data=CSV_BYTES, filename="a.csv", actor=officer)
    services.add_version(resource=resource, data=CSV_BYTES + "2026-01,ถนนชำรุด,1,1\n".encode(), filename="b.csv",
                         actor=officer)
    services.publish(dataset=dataset, actor=officer)
    services.unpublish(dataset=dataset, actor=officer)

    def trail(obj):
        return [(r.additional_data["event"], r.actor) for r in reversed(rows_for(obj))]

    assert trail(dataset) == [("opendata.dataset.created", officer), ("opendata.dataset.published", officer),
                              ("opendata.dataset.unpublished", officer)]
    assert trail(resource) == [("opendata.resource.added", officer), ("opendata.resource.version_added", officer),
                               ("opendata.resource.version_added", officer)]
    assert [r.additional_data["version"] for r in rows_for(resource, "opendata.resource.version_added")] \
        == [2, 1]
    assert rows_for(dataset, "opendata.dataset.published").get().changes == {"state": ["draft", "published"]}
    assert resource.versions.get(number=2).created_by == officer
