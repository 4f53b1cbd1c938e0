import re

from django.db.models import Q

from portal import thai
from portal.models import Membership, Organization, OrganizationSetup
from portal.registry import service_apps


def search_organizations(query: str = ""):
    qs = Organization.objects.filter(is_active=True)
    query = (query or "").strip()
    if query and not re.search(r"[A-Za-z]", query):
        # Thai (and digits) only: Thai has no letter case, so a plain LIKE on the Thai columns finds the same rows
        # as case-folding all nine columns did, for a fraction of the work on 7,850 organizations.
        qs = qs.filter(Q(name_th__contains=query) | Q(province__contains=query) | Q(district__contains=query)
                       | Q(subdistrict__contains=query))
    elif query:
        qs = qs.filter(
            Q(name_th__icontains=query) | Q(name_en__icontains=query) | Q(province__icontains=query)
            | Q(district__icontains=query) | Q(province_en__icontains=query) | Q(district_en__icontains=query)
            | Q(subdistrict__icontains=query) | Q(subdistrict_en__icontains=query)
            | Q(province__in=[th for th, en in thai.provinces_en().items() if query.lower() in en.lower()])
        )
    return qs.order_by("province", "name_th")


def organization_services(organization) -> list[dict]:
    """Links to the services each service app offers this organization (`ServiceAppConfig.service_links`), but
    those its administrators switched off in the set-up wizard (OrganizationSetup.services_off)."""
    off = set(OrganizationSetup.objects.filter(organization_id=organization.pk)
              .values_list("services_off", flat=True).first() or ())
    links = []
    for config in service_apps():
        if config.label not in off:
            links.extend(config.service_links(organization))
    return links


def own_departments(user):
    """The departments `user` works in (their "my department" queue filters), as a subquery."""
    return Membership.objects.filter(user=user, department__isnull=False).values("department")
