from django.core.management.base import BaseCommand
from django.utils import timezone

from complaints.services import seed_holidays
from portal.audit.trail import system


class Command(BaseCommand):
    help = "Copy Thai public holidays from the `holidays` package into complaints.Holiday (SLA calendar)."

    def add_arguments(self, parser):
        year = timezone.localdate().year
        parser.add_argument("--from-year", type=int, default=year - 1)
        parser.add_argument("--to-year", type=int, default=year + 1)

    def handle(self, *args, from_year, to_year, **options):
        added = seed_holidays(years=range(from_year, to_year + 1), actor=system("command:seed_holidays"))
        self.stdout.write(f"{added} holidays added ({from_year}–{to_year})")
