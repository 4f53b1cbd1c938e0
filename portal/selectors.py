from django.db.models import Q

from portal import thai
from portal.models import Organization
from portal.registry import service_apps


def search_organizations(query: str = ""):
    qs = Organization.objects.filter(is_active=True)
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(name_th__icontains=query) | Q(name_en__icontains=query) | Q(province__icontains=query)
            | Q(district__icontains=query) | Q(province_en__icontains=query) | Q(district_en__icontains=query)
            | Q(subdistrict__icontains=query) | Q(subdistrict_en__icontains=query)
            | Q(province__in=[th for th, en in thai.provinces_en().items() if query.lower() in en.lower()])
        )
    return qs.order_by("province", "name_th")


def organization_services(organization) -> list[dict]:
    """Links to the services each service app offers this organization (`ServiceAppConfig.service_links`)."""
    links = []
    for config in service_apps():
        links.extend(config.service_links(organization))
    return links
