"""Generate many published datasets (for the search benchmark): Thai titles and descriptions, tags, groups and a
CSV/XLSX/GeoJSON link resource each, spread over organizations, indexed with the same Thai word splitting.

    manage.py make_fake_datasets --count 100000 [--organizations 20] [--seed 1]
"""

import random
import time
import uuid

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from opendata import search, services
from opendata.demo import ensure_groups
from opendata.models import Dataset, DatasetTerm, Resource, SearchFacet, Tag
from portal.audit import trail as audit
from portal.models import Organization

TOPICS = ["เรื่องร้องเรียน", "งบประมาณรายจ่าย", "ภาษีที่ดินและสิ่งปลูกสร้าง", "น้ำประปา", "ไฟฟ้าสาธารณะ", "ขยะมูลฝอย",
          "ศูนย์พัฒนาเด็กเล็ก", "ผู้สูงอายุ", "เบี้ยยังชีพ", "ถนนและทางเท้า", "แหล่งน้ำ", "ประชากร", "ครัวเรือน",
          "โรคไข้เลือดออก", "การท่องเที่ยว", "ตลาดสด", "ป้ายโฆษณา", "ใบอนุญาตก่อสร้าง", "หอกระจายข่าว", "สาธารณภัย"]
KINDS = ["สถิติ", "รายงาน", "ทะเบียน", "ตำแหน่ง", "สรุป", "จำนวน"]
PERIODS = ["รายเดือน", "รายปี", "รายไตรมาส", "ประจำปีงบประมาณ"]
PLACES = ["หมู่ที่ 1", "หมู่ที่ 2", "เขตเทศบาล", "ตำบล", "ชุมชน"]
TAGS = ["สถิติ", "งบประมาณ", "ร้องเรียน", "แผนที่", "ภาษี", "สาธารณสุข", "การศึกษา", "สิ่งแวดล้อม", "สังคม",
        "โครงสร้างพื้นฐาน", "เกษตร", "ท่องเที่ยว"]
FORMATS = ["CSV", "XLSX", "GeoJSON", "PDF"]


class Command(BaseCommand):
    help = "Generate published fake datasets for benchmarks"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--organizations", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, count, organizations, seed, batch, **options):
        rng = random.Random(seed)
        orgs = []
        for i in range(organizations):
            org, _ = Organization.objects.get_or_create(
                slug=f"bench-org-{i:03d}",
                defaults={"name_th": f"เทศบาลตำบลทดสอบที่ {i + 1}", "name_en": f"Bench {i + 1}",
                          "kind": Organization.Kind.SUBDISTRICT_MUNICIPALITY, "district": "เมือง",
                          "province": "ขอนแก่น", "code_prefix": "B" + "ABCDEFGHJKMNPQRSTUVWXZ"[i % 22]})
            orgs.append(org)
        groups = list(ensure_groups().values())
        tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
        tag_through = Dataset.tags.through
        group_through = Dataset.groups.through
        start = Dataset.objects.count()
        facet_cache = {}
        t0 = time.perf_counter()
        for offset in range(0, count, batch):
            n = min(batch, count - offset)
            datasets, terms, ds_tags, ds_groups, resources = [], [], [], [], []
            now = timezone.now()
            for j in range(n):
                number = start + offset + j
                org = orgs[number % len(orgs)]
                topic = rng.choice(TOPICS)
                title = f"{rng.choice(KINDS)}{topic} {rng.choice(PERIODS)} {rng.choice(PLACES)} ชุดที่ {number}"
                notes = f"ข้อมูล{topic}ของ{org.name_th} {rng.choice(PERIODS)} เพื่อการเปิดเผยข้อมูลต่อสาธารณะ"
                chosen_tags = rng.sample(tags, 2)
                dataset = Dataset(
                    id=uuid.uuid4(), organization=org, name=f"bench-{number:07d}", title=title, notes=notes,
                    state=Dataset.State.PUBLISHED, data_type=rng.choice(Dataset.DataType.values),
                    license_id=rng.choice(["Open Data Common", "Open Data Common", "Creative Commons Attributions", "อื่นๆ"]),
                    metadata_created=now, metadata_modified=now - timezone.timedelta(minutes=number % 50_000),
                    objective=["พันธกิจหน่วยงาน"], geo_coverage="เทศบาล/อบต.", geo_coverage_other=org.name_th,
                    data_source=org.name_th, data_format=["อื่นๆ"], maintainer="สำนักปลัด",
                    maintainer_email="saraban@example.go.th")
                words = search.dataset_words(title=title, notes=notes, name=dataset.name,
                                             tag_names=[t.name for t in chosen_tags],
                                             organization_names=[org.name_th, org.name_en])
                dataset.search_text = " ".join(words)
                datasets.append(dataset)
                title_words = search.title_words(title)
                group = rng.choice(groups)
                fmt = rng.choice(FORMATS)
                pairs = search.facet_pairs(organization_id=org.pk, tag_names=[t.name for t in chosen_tags],
                                           group_names=[group.name], formats=[fmt], license_id=dataset.license_id,
                                           data_type=dataset.data_type)
                if pairs - set(facet_cache):
                    facet_cache.update(search.facet_id_map(SearchFacet, pairs - set(facet_cache)))
                facets = sorted(facet_cache[p] for p in pairs)
                terms += [DatasetTerm(dataset_id=dataset.id, term=w, organization_id=org.pk, published=True,
                                      modified=dataset.metadata_modified, in_title=w in title_words, facets=facets)
                          for w in [*words, search.EVERY]]
                ds_tags += [tag_through(dataset_id=dataset.id, tag_id=t.id) for t in chosen_tags]
                ds_groups.append(group_through(dataset_id=dataset.id, group_id=group.id))
                resources.append(Resource(dataset_id=dataset.id, name=f"ไฟล์ {fmt}", format=fmt,
                                          url=f"https://data.example.go.th/{number}.{fmt.lower()}"))
            with transaction.atomic():
                Dataset.objects.bulk_create(datasets)
                DatasetTerm.objects.bulk_create(terms, batch_size=5000)
                tag_through.objects.bulk_create(ds_tags, batch_size=5000)
                group_through.objects.bulk_create(ds_groups, batch_size=5000)
                Resource.objects.bulk_create(resources, batch_size=5000)
            if (offset // batch) % 10 == 0:
                self.stdout.write(f"{offset + n:,} datasets ({time.perf_counter() - t0:.0f} s)")
        # bulk rows no signal sees: the catalogue's kept answers are forgotten (a new version) by hand
        services.catalogue_changed(shared=True)
        # bulk rows auditlog never sees: one row per organization says which command made them
        for org in orgs:
            audit.record(org, actor=audit.system("command:make_fake_datasets"),
                         event="opendata.fake_datasets.generated", data={"count": count, "seed": seed})
        if connection.vendor == "postgresql":
            # Index-only scans need the visibility map of the new rows, the planner their statistics.
            # VACUUM cannot run inside a transaction (a caller's atomic block, a test): statistics only, then.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for model in (DatasetTerm, Dataset, tag_through, group_through, Resource):
                    cursor.execute(f"{command} {model._meta.db_table}")
        self.stdout.write(self.style.SUCCESS(f"{count:,} datasets in {time.perf_counter() - t0:.0f} s"))
