from django.core.management.base import BaseCommand, CommandError

from portal.audit import trail as audit
from portal.models import Organization
from portal.open311.services import create_api_key


class Command(BaseCommand):
    help = "Create an Open311 API key for an organization; the key is printed once, on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization slug (the Open311 jurisdiction_id)")
        parser.add_argument("--name", default="open311", help="who will use the key")

    def handle(self, *args, org, name, **options):
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"no organization with slug {org!r}")
        key, raw = create_api_key(organization=organization, name=name,
                                  actor=audit.system("command:create_api_key"))
        self.stderr.write(f"API key {key.prefix}… for {organization.slug} ({name}); store it now, it is not shown again")
        self.stdout.write(raw)
