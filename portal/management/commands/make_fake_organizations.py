"""Benchmark data: bring the installation to N organizations, each with the demo's slice.

    manage.py make_fake_organizations --total 7850 [--template khamyai] [--with-complaints 1000]
                                      [--complaints-each 100] [--auditor auditor-1000] [--seed 2568]

Every new organization is a real subdistrict of Thailand (names, district and province from `geothai`), run as a
subdistrict municipality or an SAO, and gets a copy of the template organization's configuration as `load_demo`
left it: departments, complaint categories and QR assets, e-services (forms, documents, form versions), queues
with their opening hours, tax settings and the tax year, the innovation plan, and the live open-data datasets
(resource, version, datastore rows, search words), with the template's names, slug and places replaced by the new
organization's. One administrator account each (password of the demo). The first `--with-complaints`
organizations get `--complaints-each` complaints in mixed states, and one auditor (`--auditor`) audits them all.

Rows are copied with bulk inserts, a few hundred organizations per transaction (about 1,500 organizations a minute
on a small machine); the command is not for production. It writes one audit row naming itself.
"""

import datetime as dt
import random
import time
import uuid

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from portal.audit import trail as audit
from portal.models import Membership, Organization, Role
from portal.registry import service_apps

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Fields whose value must differ per copy even though the template has one (secrets, public tokens).
REGENERATE = {"callback_secret", "rating_token", "token", "verify_code", "key_hash"}


# The template's rows copied to each organization, parents before children ("app_label.Model", extra filter).
# Named, not imported: portal builds no dependency on the service apps (tests/portal/test_layers.py).
SLICE = [
    ("portal.Department", None), ("complaints.Category", None), ("complaints.Asset", None),
    ("eservice.Queue", None), ("eservice.OpeningHours", None), ("eservice.ServiceType", None),
    ("eservice.FormField", None), ("eservice.RequiredDocument", None), ("eservice.FormVersion", None),
    ("taxpay.TaxSettings", None), ("taxpay.TaxYear", None),
    ("innovation_plans.Plan", None), ("innovation_plans.Component", None), ("innovation_plans.Activity", None),
    ("innovation_plans.ActivityBudget", None), ("innovation_plans.Indicator", None),
    ("innovation_plans.IndicatorTarget", None), ("innovation_plans.SwotItem", None),
    # the live datasets only (the demo's uploaded ones are the template organization's own)
    ("opendata.Dataset", models.Q(feed_name__gt="")), ("opendata.Resource", models.Q(dataset__feed_name__gt="")),
    ("opendata.ResourceVersion", models.Q(resource__dataset__feed_name__gt="")),
    ("opendata.DatastoreRecord", models.Q(resource__dataset__feed_name__gt="")),
]


def _slice_models():
    return [(apps.get_model(label), extra) for label, extra in SLICE if apps.is_installed(label.split(".")[0])]


def _places(count: int, rng: random.Random, taken_slugs: set[str]) -> list[dict]:
    """`count` organizations on real subdistricts (outside Bangkok), in a stable order; a second round of the
    country, when more are asked than there are subdistricts, makes town municipalities."""
    import geothai

    subdistricts = []
    for province in geothai.provinces():
        if province.code == "10":  # Bangkok has no municipalities or SAOs
            continue
        for district in geothai.districts(province.code):
            for sub in geothai.subdistricts(district.code):
                subdistricts.append((province, district, sub))
    rng.shuffle(subdistricts)
    kinds = [(Organization.Kind.SAO, "องค์การบริหารส่วนตำบล", "Subdistrict Administrative Organization")] * 3 + [
        (Organization.Kind.SUBDISTRICT_MUNICIPALITY, "เทศบาลตำบล", "Subdistrict Municipality")]
    town = (Organization.Kind.TOWN_MUNICIPALITY, "เทศบาลเมือง", "Town Municipality")
    places, prefixes = [], set()
    for n in range(count):
        province, district, sub = subdistricts[n % len(subdistricts)]
        kind, th, en = town if n >= len(subdistricts) else rng.choice(kinds)
        slug = base = slugify(sub.name_en)[:40] or f"org-{sub.code}"
        for candidate in (f"{base}-{slugify(district.name_en)}"[:52], f"{base}-{sub.code}-{n}"):
            if slug not in taken_slugs:
                break
            slug = candidate
        taken_slugs.add(slug)
        prefix = "".join(rng.choice(LETTERS) for _ in range(4))
        while prefix in prefixes:
            prefix = "".join(rng.choice(LETTERS) for _ in range(4))
        prefixes.add(prefix)
        places.append({
            "slug": slug, "kind": kind, "name_th": f"{th}{sub.name_th}", "name_en": f"{sub.name_en} {en}",
            "subdistrict": sub.name_th, "subdistrict_en": sub.name_en, "district": district.name_th,
            "district_en": district.name_en, "province": province.name_th, "province_en": province.name_en,
            "code_prefix": prefix, "address": f"ตำบล{sub.name_th} อำเภอ{district.name_th} จังหวัด{province.name_th} "
                                              f"{sub.postal_codes[0] if sub.postal_codes else ''}".strip(),
            "email": f"saraban@{slug}.go.th", "phone": f"0{rng.randint(20, 79)}-{rng.randint(100, 999)}-"
                                                    f"{rng.randint(100, 999)}",
            "latitude": round(rng.uniform(6.0, 20.0), 4), "longitude": round(rng.uniform(97.5, 105.5), 4),
        })
    return places


def _replacements(template: Organization, organization: Organization) -> list[tuple[str, str]]:
    pairs = [(getattr(template, f), getattr(organization, f)) for f in (
        "name_th", "name_en", "email", "slug", "subdistrict", "subdistrict_en", "district", "district_en",
        "province", "province_en", "phone")]
    # longest first: the organization's name contains its subdistrict's
    return sorted(((old, new) for old, new in pairs if old), key=lambda p: -len(p[0]))


class _Copier:
    """Copies the template's slice to a batch of organizations: new primary keys, foreign keys to copied rows
    remapped per organization, other foreign keys (users, tags, holidays) kept, the template's names replaced."""

    def __init__(self, template, plan):
        self.template = template
        self.plan = []
        self.copied_models = {model for model, _q in plan} | {Organization}
        for model, extra in plan:
            rows = model._default_manager.filter(**{model.organization_path: template})
            rows = list(rows.filter(extra) if extra is not None else rows)
            fields = [f for f in model._meta.concrete_fields]
            text = {f.attname: f.max_length for f in fields
                    if isinstance(f, (models.CharField, models.TextField)) and not f.choices}
            # per row: the text fields that mention the template (the only ones that need replacing)
            tokens = [old for old, _new in _replacements(template, template)]
            mentions = [[(a, size) for a, size in text.items()
                         if isinstance(getattr(r, a), str) and any(t in getattr(r, a) for t in tokens)] for r in rows]
            self.plan.append((model, rows, fields, mentions))

    def copy(self, organizations):
        new_pks = {Organization: {self.template.pk: [o.pk for o in organizations]}}
        deferred = []  # (model, attname, objs, old ids, target): foreign keys to rows copied later (or to themselves)
        replacements = [_replacements(self.template, o) for o in organizations]
        for model, rows, fields, mentions in self.plan:
            objs, pending = [], {}
            for i in range(len(organizations)):
                for row, mentioned in zip(rows, mentions, strict=True):
                    values = {}
                    for f in fields:
                        value = getattr(row, f.attname)
                        if f.primary_key:
                            if isinstance(f, models.UUIDField):
                                values[f.attname] = uuid.uuid4()
                            continue
                        if f.is_relation and value is not None:
                            target = f.related_model._meta.concrete_model
                            if target in new_pks and value in new_pks[target]:
                                value = new_pks[target][value][i]
                            elif target in self.copied_models and target is not Organization:
                                pending.setdefault(f.attname, []).append((len(objs), value, target))
                                value = None
                        elif f.attname in REGENERATE and callable(f.default):
                            value = f.default()
                        values[f.attname] = value
                    for attname, size in mentioned:
                        text = values[attname]
                        for old, new in replacements[i]:
                            text = text.replace(old, new)
                        values[attname] = text[:size] if size else text
                    objs.append(model(**values))
            model._default_manager.bulk_create(objs, batch_size=2000)
            per_org = len(rows)
            new_pks[model._meta.concrete_model] = {
                row.pk: [objs[i * per_org + k].pk for i in range(len(organizations))] for k, row in enumerate(rows)}
            for attname, refs in pending.items():
                deferred.append((model, attname, objs, refs, per_org))
        for model, attname, objs, refs, per_org in deferred:
            changed = []
            for index, old, target in refs:
                mapped = new_pks.get(target, {}).get(old)
                if mapped is not None:
                    setattr(objs[index], attname, mapped[index // per_org])
                    changed.append(objs[index])
            if changed:
                model._default_manager.bulk_update(changed, [attname], batch_size=1000)
        return new_pks


class Command(BaseCommand):
    help = "Bring the installation to N organizations, each with the demo's slice (benchmark data; not for production)."

    def add_arguments(self, parser):
        parser.add_argument("--total", type=int, default=7850, help="organizations wanted in all")
        parser.add_argument("--template", default="khamyai", help="organization whose set-up is copied")
        parser.add_argument("--with-complaints", type=int, default=1000)
        parser.add_argument("--complaints-each", type=int, default=100)
        parser.add_argument("--auditor", default="auditor-1000", help="auditor of the organizations with complaints")
        parser.add_argument("--batch", type=int, default=250, help="organizations per transaction")
        parser.add_argument("--seed", type=int, default=2568)

    def handle(self, *args, total, template, with_complaints, complaints_each, auditor, batch, seed, **options):
        template_org = Organization.objects.filter(slug=template).first()
        if template_org is None:
            raise CommandError(f"no organization {template!r}: run load_demo first")
        missing = total - Organization.objects.count()
        if missing <= 0:
            self.stdout.write(f"already {Organization.objects.count():,} organizations")
            return
        started = time.monotonic()
        rng = random.Random(seed)
        places = _places(missing, rng, set(Organization.objects.values_list("slug", flat=True)))
        copier = _Copier(template_org, _slice_models())
        password = make_password("demo-portal-2568")
        made, complained = [], 0
        for offset in range(0, missing, batch):
            with transaction.atomic():
                organizations = Organization.objects.bulk_create(
                    [Organization(**p, tax_id="", office_hours=template_org.office_hours,
                                  office_hours_en=template_org.office_hours_en,
                                  emergency_numbers=template_org.emergency_numbers,
                                  line_oa_id=f"@{p['slug'][:20]}" if i % 2 else "")
                     for i, p in enumerate(places[offset:offset + batch], start=offset)])
                new_pks = copier.copy(organizations)
                self._staff(organizations, password)
                for config in service_apps():  # what each app derives from its copied rows
                    config.fake_rows_copied(organizations, new_pks)
                room = max(0, with_complaints - complained)
                if room:
                    self._complaints(organizations[:room], new_pks, complaints_each, rng)
                    complained += min(room, len(organizations))
            made += organizations
            self.stdout.write(f"{len(made):,} organizations ({time.monotonic() - started:.0f} s)")
        audited = self._auditor(auditor, made[:with_complaints], password)
        # bulk rows auditlog never sees: one row says which command made them
        audit.record(template_org, actor=audit.system("command:make_fake_organizations"),
                     event="portal.fake_organizations.generated",
                     data={"count": len(made), "total": total, "template": template, "with_complaints": complained,
                           "complaints_each": complaints_each, "auditor": auditor, "audited": audited, "seed": seed})
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"{len(made):,} organizations added ({Organization.objects.count():,} in all), {complained:,} with "
            f"complaints, in {time.monotonic() - started:.0f} s"))

    def _staff(self, organizations, password):
        """One administrator per organization (`<slug>-admin`), as an organization's own set-up would have."""
        User = get_user_model()
        users = User.objects.bulk_create([User(username=f"{o.slug}-admin"[:150], password=password, is_staff=True)
                                          for o in organizations])
        Membership.objects.bulk_create([Membership(user=u, organization=o, role=Role.ADMINISTRATOR)
                                        for u, o in zip(users, organizations, strict=True)])

    def _complaints(self, organizations, new_pks, each, rng):
        Category, Complaint = apps.get_model("complaints.Category"), apps.get_model("complaints.Complaint")
        categories = {}
        for category in Category.objects.filter(organization__in=organizations, is_protected=False):
            categories.setdefault(category.organization_id, []).append(category)
        statuses = [value for value, _label in Complaint._meta.get_field("status").choices]
        weights = ([10, 10, 15, 5, 3, 25, 5, 25, 2] + [1] * len(statuses))[:len(statuses)]
        now, year = timezone.now(), timezone.localdate().year + 543
        rows = []
        for organization in organizations:
            for _n in range(each):
                created = now - dt.timedelta(seconds=rng.randint(0, 2 * 365 * 86400))
                status = rng.choices(statuses, weights)[0]
                category = rng.choice(categories[organization.pk])
                code = "".join(rng.choice(ALPHABET) for _ in range(8))
                rows.append(Complaint(
                    organization=organization, category=category, status=status,
                    tracking_code=f"{organization.code_prefix}-{year}-{code}",
                    description="ข้อมูลทดสอบประสิทธิภาพ", channel=rng.choice(["web", "line", "qr", "phone"]),
                    latitude=round(float(organization.latitude) + rng.uniform(-0.03, 0.03), 6),
                    longitude=round(float(organization.longitude) + rng.uniform(-0.03, 0.03), 6),
                    village=f"หมู่ {rng.randint(1, 15)}", department_id=category.department_id, created_at=created,
                    sla_deadline=created + dt.timedelta(days=category.sla_days + 2),
                    resolved_at=created + dt.timedelta(hours=rng.randint(2, 400))
                    if status in ("resolved", "closed") else None))
        Complaint.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)

    def _auditor(self, username, organizations, password):
        User = get_user_model()
        user, _created = User.objects.get_or_create(username=username,
                                                    defaults={"is_staff": True, "password": password})
        Membership.objects.bulk_create([Membership(user=user, organization=o, role=Role.AUDITOR)
                                        for o in organizations], ignore_conflicts=True)
        return Membership.objects.filter(user=user, role=Role.AUDITOR).count()
