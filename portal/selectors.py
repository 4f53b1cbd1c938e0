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


def _directory_version_memo():
    from portal.machinery.cache import Memo, new_token

    # the directory's version: a token (portal.machinery.cache.new_token) a saved organization replaces
    return Memo("portal-directory-version", lambda _key: new_token(), seconds=3600, local_seconds=5,
                invalidate_on=[(Organization, lambda organization: "v")])


DIRECTORY_VERSION = _directory_version_memo()
COUNT_SECONDS = 300


def count_organizations(query: str, queryset) -> int:
    """How many organizations the landing page lists for `query` (`queryset`: search_organizations(query)), kept
    per query until an organization is saved (at most COUNT_SECONDS for writes that bypass signals): counting 7,850
    rows was half of each landing-page request."""
    import hashlib

    from django.core.cache import cache

    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    key = f"portal:directory-count:{DIRECTORY_VERSION.get('v')}:{digest}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, COUNT_SECONDS)
    return count


def _load_services_off(_key) -> dict[str, list[int]]:
    off: dict[str, list[int]] = {}
    for organization_id, labels in OrganizationSetup.objects.values_list("organization_id", "services_off"):
        for label in labels or ():
            off.setdefault(label, []).append(organization_id)
    return off


_services_off_memo = None


def services_off() -> dict[str, frozenset[int]]:
    """{app label: ids of the organizations that switched that service off} (the set-up wizard's services step),
    kept for every process and forgotten when a set-up row is saved."""
    global _services_off_memo
    if _services_off_memo is None:
        from portal.machinery.cache import Memo

        _services_off_memo = Memo("portal-services-off", _load_services_off, seconds=300, local_seconds=5,
                                  invalidate_on=[(OrganizationSetup, lambda setup: "all")])
    return {label: frozenset(ids) for label, ids in _services_off_memo.get("all").items()}


def _load_switches(slug) -> dict:
    row = (Organization.objects.filter(slug=slug).values_list("pk", "setup__services_off").first())
    return {"id": row[0], "off": sorted(row[1] or ())} if row else {"id": None, "off": []}


def _setup_slug(setup):
    return Organization.objects.filter(pk=setup.organization_id).values_list("slug", flat=True).first()


_switches_memo = None


def services_switched_off(slug: str) -> tuple[int | None, frozenset[str]]:
    """(the organization's id, the app labels it switched off) by its slug, kept per organization (one query per
    organization page now and then, the same for every organization)."""
    global _switches_memo
    if _switches_memo is None:
        from portal.machinery.cache import Memo

        _switches_memo = Memo("portal-services-switched-off", _load_switches, seconds=300, local_seconds=5,
                              invalidate_on=[(OrganizationSetup, _setup_slug),
                                             (Organization, lambda organization: organization.slug)])
    found = _switches_memo.get(str(slug)[:60])
    return found["id"], frozenset(found["off"])


def service_is_off(organization_id, app_label: str) -> bool:
    return organization_id in services_off().get(app_label, ())


def without_services_off(queryset, app_label: str, organization_field: str = "organization_id"):
    """`queryset` without the rows of organizations that switched `app_label` off."""
    off = services_off().get(app_label)
    return queryset.exclude(**{f"{organization_field}__in": off}) if off else queryset


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
