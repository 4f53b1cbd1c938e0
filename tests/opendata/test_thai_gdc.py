"""thai-gdc metadata as the national catalogue reads it: every choice field holds the schema's own Thai value (checked
against the schema's lists, kept in thai_gdc_schema.json), several-allowed fields are lists, required fields are
required to publish, English pages show English labels while the API keeps the Thai values, the live datasets carry
correct values, and the data migration converts existing datasets both ways."""

import json
from pathlib import Path

import pytest
from ckanapi import RemoteCKAN
from django.core.exceptions import ValidationError

from opendata import services
from opendata.models import Dataset
from tests.migrations import migrate
from tests.opendata.factories import make_dataset

SCHEMA = json.loads((Path(__file__).parent / "thai_gdc_schema.json").read_text(encoding="utf-8"))
CHOICE_FIELDS = [k for k in SCHEMA if not k.startswith("_")]
SEVERAL = SCHEMA["_several_allowed"]


def test_every_choice_field_offers_exactly_the_schema_values():
    for name in CHOICE_FIELDS:
        field = Dataset._meta.get_field(name)
        offered = field.values if name in SEVERAL else [value for value, _label in field.choices]
        assert offered == SCHEMA[name], name


def check_package(package):
    for name in CHOICE_FIELDS:
        value = package[name]
        if name in SEVERAL:
            assert isinstance(value, list) and value, (package["name"], name, value)
            assert set(value) <= set(SCHEMA[name]), (package["name"], name, value)
        elif value not in ("", None):
            assert value in SCHEMA[name], (package["name"], name, value)
    for name in ("data_type", "update_frequency_unit", "geo_coverage", "data_category", "license_id"):
        assert package[name], (package["name"], name)
    assert package["allow_harvest"] in SCHEMA["_allow_harvest"]
    assert package["maintainer"] and package["maintainer_email"] and package["data_source"]


@pytest.mark.django_db(transaction=True)
def test_demo_and_live_datasets_carry_schema_values_through_the_api(live_server, org, settings):
    """The demo's uploaded datasets and every live dataset the service apps' feeds generate, read with ckanapi."""
    from portal.demo import load_services

    settings.LANGUAGE_CODE = "en"  # the API never follows the interface language
    load_services([org])  # the other apps' data feed the live ones
    ckan = RemoteCKAN(live_server.url)
    found = ckan.action.package_search(rows=1000)
    assert found["count"] >= 3 and any(p["live"] for p in found["results"])
    for package in found["results"]:
        check_package(package)
        assert package["organization"]["name"] == org.slug
    live = [p for p in found["results"] if p["live"]]
    assert {p["update_frequency_unit"] for p in live} <= {"วัน", "เดือน", "สัปดาห์", "ปี", "ไตรมาส"}
    # aggregates: no unit of collection, figures as counted; the years their month/date columns cover, in BE text
    assert {(p["data_collect"], p["unit_of_multiplier"]) for p in live} == {("ไม่มี", "หน่วย")}
    complaints = next(p for p in live if p["name"].endswith("complaints-by-category-month"))
    assert complaints["unit_of_measure"] == "เรื่อง"
    assert complaints["first_year_of_data"] and complaints["first_year_of_data"] <= complaints["last_year_of_data"]
    assert all(2500 < int(p[k]) < 2700 for p in live for k in ("first_year_of_data", "last_year_of_data") if p[k])


@pytest.mark.django_db
def test_publishing_needs_the_required_fields(org):
    dataset = make_dataset(org, name="incomplete", publish=False, objective=[], data_format=[], data_source="",
                           data_type=Dataset.DataType.OTHER)
    with pytest.raises(ValidationError) as raised:
        services.publish(dataset=dataset)
    message = " ".join(raised.value.messages)
    for label in ("วัตถุประสงค์", "รูปแบบการเก็บข้อมูล", "แหล่งที่มา", "ประเภทชุดข้อมูลอื่นๆ"):
        assert label in message
    Dataset.objects.filter(pk=dataset.pk).update(objective=["อื่นๆ"], objective_other="ติดตามงบประมาณ",
                                                 data_format=["CSV", "XLS"], data_source="กองคลัง",
                                                 data_type_other="ข้อมูลผสม")
    dataset.refresh_from_db()
    services.publish(dataset=dataset)
    with pytest.raises(ValidationError):
        Dataset(organization=org, name="bad-list", title="x", objective=["to publish"]).full_clean()


STATISTICS = {"data_collect": "อื่นๆ", "data_collect_other": "หอกระจายข่าว", "update_frequency_unit": "อื่นๆ",
              "update_frequency_unit_other": "ทุกฤดูฝน", "data_format": ["CSV", "อื่นๆ"], "data_format_other": "ODS",
              "data_language": ["ไทย", "อื่นๆ"], "data_language_other": "ภาษาอีสาน", "license_id": "อื่นๆ",
              "license_id_other": "ประกาศเทศบาล", "data_support": "อื่นๆ", "data_support_other": "วัดประจำตำบล",
              "disaggregate": "หมู่บ้าน, เพศ", "unit_of_measure": "คน", "unit_of_multiplier": "พัน",
              "calculation_method": "นับจากทะเบียน", "standard": "มาตรฐานสำนักงานสถิติแห่งชาติ"}


@pytest.mark.django_db(transaction=True)
def test_package_show_serves_the_other_texts_the_unit_of_collection_and_the_statistics(live_server, org):
    make_dataset(org, name="population", first_year_of_data=2560, last_year_of_data=2567, **STATISTICS)
    ckan = RemoteCKAN(live_server.url)
    for package in (ckan.action.package_show(id="population"),
                    ckan.action.package_search(fq="name:population")["results"][0]):
        assert {key: package[key] for key in STATISTICS} == STATISTICS
        assert (package["first_year_of_data"], package["last_year_of_data"]) == ("2560", "2567")
    make_dataset(org, name="no-statistics")
    package = ckan.action.package_show(id="no-statistics")
    assert package["data_collect"] == package["disaggregate"] == package["first_year_of_data"] == ""


@pytest.mark.django_db
def test_other_needs_its_text_and_years_are_buddhist_era(org):
    dataset = make_dataset(org, name="others", publish=False, **{
        key: value for key, value in STATISTICS.items() if not key.endswith("_other")})
    with pytest.raises(ValidationError) as raised:
        services.publish(dataset=dataset)
    for name in ("data_collect_other", "update_frequency_unit_other", "data_format_other", "data_language_other",
                 "license_id_other", "data_support_other"):
        assert str(Dataset._meta.get_field(name).verbose_name) in " ".join(raised.value.messages), name
    Dataset.objects.filter(pk=dataset.pk).update(**{k: v for k, v in STATISTICS.items() if k.endswith("_other")})
    dataset.refresh_from_db()
    services.publish(dataset=dataset)
    for years, field in (((2017, 2024), "first_year_of_data"), ((2567, 2560), "last_year_of_data")):
        dataset.first_year_of_data, dataset.last_year_of_data = years
        with pytest.raises(ValidationError) as raised:
            dataset.full_clean()
        assert field in raised.value.message_dict


@pytest.mark.django_db
def test_english_page_shows_english_labels_api_keeps_thai(client, org):
    make_dataset(org, name="labels", data_type=Dataset.DataType.STATISTICAL, data_language=["ไทย", "อังกฤษ"],
                 update_frequency_unit="เดือน", data_collect="ครัวเรือน/ครอบครัว", first_year_of_data=2566)
    client.cookies.load({"django_language": "en"})
    page = client.get(f"/{org.slug}/opendata/labels/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Statistical data" in page and "Thai, English" in page and "ข้อมูลสถิติ" not in page
    assert "Smallest unit of data collection" in page and "Household/family" in page and "ครัวเรือน" not in page
    assert "First year of data (BE)" in page and "2566" in page
    shown = client.get("/api/3/action/package_show", {"id": "labels"}, HTTP_ACCEPT_LANGUAGE="en").json()["result"]
    assert shown["data_type"] == "ข้อมูลสถิติ" and shown["data_language"] == ["ไทย", "อังกฤษ"]
    assert shown["update_frequency_unit"] == "เดือน" and shown["data_collect"] == "ครัวเรือน/ครอบครัว"
    names = lambda fq: [d["name"] for d in client.get(  # noqa: E731
        "/api/3/action/package_search", {"fq": fq}).json()["result"]["results"]]
    assert names("data_language:อังกฤษ") == ["labels"] and names("data_format:XML") == []
    assert names("data_type:ข้อมูลสถิติ") == ["labels"]


OLD = [  # (old values as stored before, thai-gdc values after)
    ({"data_type": "statistical", "objective": "เพื่อการเปิดเผยข้อมูลต่อสาธารณะ", "update_frequency_unit": "month",
      "geo_coverage": "ตำบลคำใหญ่ อำเภอห้วยเม็ก", "data_format": "CSV, XLSX", "data_category": "public",
      "data_classification": "open", "license_id": "cc-by", "data_language": "ไทย, อังกฤษ"},
     {"data_type": "ข้อมูลสถิติ", "objective": ["อื่นๆ"], "objective_other": "เพื่อการเปิดเผยข้อมูลต่อสาธารณะ",
      "update_frequency_unit": "เดือน", "geo_coverage": "ตำบล", "geo_coverage_other": "ตำบลคำใหญ่ อำเภอห้วยเม็ก",
      "data_format": ["CSV", "XLS"], "data_category": "ข้อมูลสาธารณะ", "data_classification": "เปิดเผย",
      "license_id": "Creative Commons Attributions", "data_language": ["ไทย", "อังกฤษ"]}),
    ({"data_type": "geospatial", "objective": "", "update_frequency_unit": "irregular", "geo_coverage": "",
      "data_format": "GeoJSON", "data_category": "personal", "data_classification": "confidential",
      "license_id": "Open Data Common", "data_language": "ไทย"},
     {"data_type": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "objective": [], "objective_other": "",
      "update_frequency_unit": "ไม่ทราบ", "geo_coverage": "", "geo_coverage_other": "", "data_format": ["JSON"],
      "data_category": "ข้อมูลส่วนบุคคล", "data_classification": "ลับ", "license_id": "Open Data Common",
      "data_language": ["ไทย"]}),
]


def test_data_migration_converts_existing_datasets_both_ways(scratch_db):
    """0006 on a scratch database of the suite's engine (tests/migrations.py): old codes to thai-gdc values, and back."""
    codes = [("opendata", "0005_harvest_consent")]
    old = migrate(codes)
    org_id = old.get_model("portal", "Organization").objects.create(
        slug="old", name_th="เก่า", kind="sao", district="เมือง", province="ขอนแก่น").pk
    for i, (before, _after) in enumerate(OLD):
        old.get_model("opendata", "Dataset").objects.create(
            organization_id=org_id, name=f"old-{i}", title=f"ชุดเดิม {i}", **before)
    new = migrate([("opendata", "0006_thai_gdc_values")])
    for i, (_before, after) in enumerate(OLD):
        values = new.get_model("opendata", "Dataset").objects.filter(name=f"old-{i}").values(*after).get()
        assert values == after, i
    old = migrate(codes)
    for i, (before, _after) in enumerate(OLD):
        values = old.get_model("opendata", "Dataset").objects.filter(name=f"old-{i}").values(*before).get()
        expected = {**before, "data_format": {"CSV, XLSX": "CSV, XLS", "GeoJSON": "JSON"}[before["data_format"]]}
        if i == 0:
            expected["objective"] = "เพื่อการเปิดเผยข้อมูลต่อสาธารณะ"
        assert values == expected, i
