"""Demo catalogue: categories, the live datasets each organization's data supports, and two uploaded datasets
(a CSV table and a GeoJSON layer) with the thai-gdc metadata. Idempotent; runs after the other apps' demos so
the live datasets have figures to publish."""

import json
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from portal.audit.trail import system
from portal.outputs.exports import csv_bytes

from . import live, services
from .models import Dataset, Group, ThaiGdc

GROUPS = [
    ("complaints", "เรื่องร้องเรียน", "Complaints"),
    ("budget", "งบประมาณและการเงิน", "Budget and finance"),
    ("services", "บริการประชาชน", "Public services"),
    ("tax", "ภาษีและรายได้", "Tax and revenue"),
    ("infrastructure", "โครงสร้างพื้นฐาน", "Infrastructure"),
    ("population", "ประชากรและสังคม", "Population and society"),
]


def ensure_groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name, defaults={"title_th": th, "title_en": en})[0]
            for name, th, en in GROUPS}


def villages_csv(organization) -> bytes:
    rng = random.Random(organization.slug)
    rows = []
    for moo in range(1, 13):
        households = rng.randint(80, 420)
        rows.append([moo, f"บ้าน{organization.subdistrict or 'ทดสอบ'} หมู่ {moo}", households,
                     households * rng.randint(28, 36) // 10, 2568])
    return csv_bytes(["หมู่ที่", "ชื่อหมู่บ้าน", "ครัวเรือน", "ประชากร", "ปี พ.ศ."], rows, lineterminator="\n")


def facilities_geojson(organization) -> bytes:
    rng = random.Random(organization.slug + "-geo")
    lat = Decimal(organization.latitude or "16.43")
    lng = Decimal(organization.longitude or "102.82")
    kinds = ["หอกระจายข่าว", "ไฟฟ้าสาธารณะ", "จุดบริการน้ำดื่ม", "ศูนย์พัฒนาเด็กเล็ก"]
    features = []
    for i in range(24):
        dlat, dlng = rng.uniform(-0.02, 0.02), rng.uniform(-0.02, 0.02)
        kind = kinds[i % len(kinds)]
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(lng) + dlng, 6), round(float(lat) + dlat, 6)]},
            "properties": {"ชื่อ": f"{kind} จุดที่ {i + 1}", "ประเภท": kind, "หมู่ที่": i % 12 + 1},
        })
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def _uploaded(organization, groups, *, name, title, notes, tags, group, data, filename, resource_name, **meta):
    dataset = Dataset.objects.filter(name=name).first()
    if dataset is not None:
        return dataset
    loader = system("demo:opendata")
    dataset = services.create_dataset(
        organization=organization, name=name, title=title, notes=notes, tags=tags, groups=[groups[group]], actor=loader,
        objective=[ThaiGdc.Objective.PUBLIC_SERVICE], geo_coverage=ThaiGdc.GeoCoverage.LOCAL_GOVERNMENT,
        geo_coverage_other=live.place_name(organization), data_language=[ThaiGdc.Language.THAI],
        data_source=organization.name_th, maintainer="สำนักปลัด", maintainer_email=organization.email or settings.DEFAULT_FROM_EMAIL,
        telephone_number=organization.phone, created_date=timezone.localdate().replace(month=1, day=1), **meta)
    services.add_resource(dataset=dataset, name=resource_name, data=data, filename=filename, actor=loader)
    services.publish(dataset=dataset, actor=loader)
    return dataset


def load_demo(*, organizations, stdout=None):
    groups = ensure_groups()
    try:
        feeds = live.all_feeds()
    except ImportError:  # no app registry on this checkout: uploaded datasets only
        feeds = []
    for organization in organizations.values():
        _uploaded(organization, groups, name=f"{organization.slug}-households-by-village",
                  title=f"จำนวนครัวเรือนและประชากรรายหมู่บ้าน {organization.name_th}",
                  notes="จำนวนครัวเรือนและประชากรตามทะเบียนราษฎร แยกรายหมู่บ้าน",
                  tags=["ประชากร", "หมู่บ้าน"], group="population", data=villages_csv(organization),
                  filename="households.csv", resource_name="ครัวเรือนและประชากร (CSV)",
                  data_type=Dataset.DataType.STATISTICAL, data_format=[ThaiGdc.DataFormat.CSV],
                  update_frequency_unit=ThaiGdc.FrequencyUnit.YEAR)
        _uploaded(organization, groups, name=f"{organization.slug}-public-facilities",
                  title=f"ตำแหน่งสาธารณูปโภคและจุดบริการ {organization.name_th}",
                  notes="ตำแหน่งหอกระจายข่าว ไฟฟ้าสาธารณะ จุดบริการน้ำดื่ม และศูนย์พัฒนาเด็กเล็ก (ชั้นข้อมูลภูมิสารสนเทศ)",
                  tags=["แผนที่", "สาธารณูปโภค"], group="infrastructure", data=facilities_geojson(organization),
                  filename="facilities.geojson", resource_name="จุดบริการ (GeoJSON)",
                  data_type=Dataset.DataType.GEOSPATIAL, data_format=[ThaiGdc.DataFormat.JSON],
                  update_frequency_unit=ThaiGdc.FrequencyUnit.YEAR)
        done = live.refresh_organization(organization, feeds=feeds)
        if stdout:
            stdout.write(f"opendata: {organization.slug}: 2 uploaded + {len(done)} live datasets\n")
    return []
