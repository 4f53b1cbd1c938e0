"""Bulk fake complaints for the staff-list benchmark: `make_fake_complaints --org SLUG --count 1000000`."""

import datetime as dt
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from complaints import workflow
from complaints.demo import ensure_categories
from complaints.models import Complaint
from portal.audit import trail as audit
from portal.machinery import changes
from portal.models import Department, Organization

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
STATUSES = [s for s in workflow.Status.values]
WEIGHTS = [10, 10, 15, 5, 3, 25, 5, 25, 2]


class Command(BaseCommand):
    help = "Insert N fake complaints for one organization in batches (benchmark data; not for production)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2568)

    def handle(self, *args, org, count, batch, seed, **options):
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"no organization {org!r}")
        rng = random.Random(seed)
        categories = [c for c in ensure_categories(organization).values() if not c.is_protected]
        departments = list(Department.objects.filter(organization=organization)) or [None]
        now = timezone.now()
        lat0, lng0 = float(organization.latitude or 16.0), float(organization.longitude or 103.0)
        year = now.year + 543
        started = time.monotonic()
        made = 0
        while made < count:
            rows = []
            for _ in range(min(batch, count - made)):
                created = now - dt.timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
                status = rng.choices(STATUSES, WEIGHTS)[0]
                category = rng.choice(categories)
                resolved = created + dt.timedelta(hours=rng.randint(2, 400)) if status in ("resolved", "closed") else None
                rows.append(Complaint(
                    organization=organization, category=category, status=status,
                    tracking_code=f"{organization.code_prefix}-{year}-F" + "".join(rng.choice(ALPHABET) for _ in range(9)),
                    description="ข้อมูลทดสอบประสิทธิภาพ", channel=rng.choice(["web", "line", "qr", "phone"]),
                    latitude=round(lat0 + rng.uniform(-0.05, 0.05), 6), longitude=round(lng0 + rng.uniform(-0.05, 0.05), 6),
                    village=f"หมู่ {rng.randint(1, 15)}", department=category.department or rng.choice(departments),
                    created_at=created, sla_deadline=created + dt.timedelta(days=category.sla_days + 2),
                    resolved_at=resolved,
                ))
            with transaction.atomic():
                Complaint.objects.bulk_create(rows, batch_size=batch, ignore_conflicts=True)
            made += len(rows)
            if made % (batch * 20) == 0 or made == count:
                self.stdout.write(f"{made:,} rows, {time.monotonic() - started:.0f} s")
        changes.announce(Complaint, [organization.pk])  # bulk rows send no signal
        # bulk rows auditlog never sees: one row says which command made them, for which organization
        audit.record(organization, actor=audit.system("command:make_fake_complaints"),
                     event="complaints.fake_complaints.generated", data={"count": made, "seed": seed})
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE complaints_complaint")
        self.stdout.write(f"done: {made:,} complaints for {organization.slug} in {time.monotonic() - started:.0f} s")
