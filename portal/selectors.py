from django.apps import apps
from django.db.models import Q

from .models import Organization


def search_organizations(query: str = ""):
    qs = Organization.objects.filter(is_active=True)
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(name_th__icontains=query) | Q(name_en__icontains=query) | Q(province__icontains=query)
            | Q(district__icontains=query)
        )
    return qs.order_by("province", "name_th")


def organization_services(organization) -> list[dict]:
    """Links to the services an installed app actually offers this organization (apps opt in with
    `AppConfig.service_links(organization)`; an app that offers nothing yet shows nothing)."""
    links = []
    for config in apps.get_app_configs():
        hook = getattr(config, "service_links", None)
        if hook:
            links.extend(hook(organization))
    return links
