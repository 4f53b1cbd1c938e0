"""The catalogue's version and the reads kept under it (the search answers, the DCAT pages' state, the harvestable
names, the organization pages)."""

from django.db.models import Count

from portal.machinery.cache import new_token, version_token  # noqa: F401  (new_token: services' stamps)
from portal.models import Organization, OrganizationSetup

from ..models import Dataset
from .catalogue import harvestable_q, organizations_page, public_datasets

# ---- the catalogue's version: what kept answers are keyed by -------------------------------------------------------
#
# Three tokens in the shared cache, each replaced by a new random one (services.catalogue_changed) when what it
# stands for changes, read in O(1) whatever the size of the catalogue:
# - the catalogue's version: any dataset, resource, file version, tag, category, harvest consent or organization
#   saved or deleted; keys the kept search answers (count, facets, page) and the DCAT pages' state;
# - a stamp per dataset: that dataset, its resources, files, tags or categories changed, or a download counted;
# - the shared part: what every package dict shows besides its own dataset (organizations, consents, categories,
#   tags). A package dict is kept under its dataset's stamp and the shared part, as CKAN keeps each dataset's
#   validated dict in its search index: a change to one dataset rebuilds that dataset's dict only.
# A token missing (evicted, Redis flushed) is made anew, so whatever was kept under the old one is never read again.

VERSION_KEY = "opendata:catalogue-version"
SHARED_KEY = "opendata:catalogue-shared"
STAMP_KEY = "opendata:dataset-stamp:{}"
STAMP_SECONDS = 24 * 3600


def catalogue_version() -> str:
    return version_token(VERSION_KEY)


def dataset_stamps(ids) -> tuple[str, dict]:
    """(the shared part's token, {dataset id: its stamp}) for the datasets of a page, in one read of the cache."""
    from django.core.cache import cache

    keys = {STAMP_KEY.format(i): i for i in ids}
    found = cache.get_many([SHARED_KEY, *keys])
    for key in keys:
        if key not in found:
            found[key] = version_token(key, STAMP_SECONDS)
    shared = found.get(SHARED_KEY) or version_token(SHARED_KEY)
    return shared, {i: found[key] for key, i in keys.items()}


STATE_SECONDS = 60


def catalog_state(organization=None) -> tuple[str, dict]:
    """(the catalogue's version, {n, modified, consent}): what a DCAT page depends on, its datasets' count and latest
    change and the consents' latest change, aggregated once per version (and at most STATE_SECONDS old, for writes
    that bypass the signals) instead of over the whole dataset table on every request."""
    from django.core.cache import cache
    from django.db.models import Max

    from portal.machinery.dbrouting import primary

    from ..models import HarvestConsent

    version = catalogue_version()
    key = f"opendata:catalog-state:{version}:{organization.pk if organization is not None else '*'}"
    state = cache.get(key)
    if state is None:
        with primary():  # kept for every node (portal.machinery.dbrouting)
            qs = public_datasets(organization).filter(harvestable_q()).order_by()
            stats = qs.aggregate(n=Count("pk"), m=Max("metadata_modified"))
            state = {"n": stats["n"], "modified": stats["m"],
                     "consent": HarvestConsent.objects.aggregate(m=Max("changed"))["m"]}
        cache.set(key, state, STATE_SECONDS)
    return version, state


NAMES_SECONDS = 60


def _load_harvestable_names(scope: str) -> list[str]:
    qs = public_datasets()
    if scope != "*":
        qs = qs.filter(organization__slug=scope)
    return list(qs.filter(harvestable_q()).order_by("name").values_list("name", flat=True))


def _names_scopes(instance) -> list[str]:
    """The name lists a saved dataset, consent or organization may change: the installation's and its
    organization's."""
    from portal.models import Organization

    organization_id = instance.pk if isinstance(instance, Organization) else instance.organization_id
    slug = Organization.objects.filter(pk=organization_id).values_list("slug", flat=True).first()
    return ["*", slug] if slug else ["*"]


def _names_memo():
    from portal.machinery.cache import Memo

    from ..models import HarvestConsent

    return Memo("opendata-harvestable-names", _load_harvestable_names, seconds=NAMES_SECONDS, local_seconds=5,
                invalidate_on=[(Dataset, _names_scopes), (HarvestConsent, _names_scopes),
                               (Organization, _names_scopes), (OrganizationSetup, _names_scopes)])


HARVESTABLE_NAMES = _names_memo()


def harvestable_names(organization=None) -> list[str]:
    """package_list: the names of every dataset the national catalogue may harvest, by name (of one organization,
    or of the installation). Kept: at 7,850 organizations the list is 39,000 names, read from the whole dataset
    table and sorted on every call. Forgotten when a dataset, a harvest consent or an organization is saved;
    writes that bypass signals are seen after NAMES_SECONDS."""
    return HARVESTABLE_NAMES.get(organization.slug if organization is not None else "*")


def kept_for_version(name: str, build, seconds: int = 60):
    """`build()`'s answer kept in the shared cache under the catalogue's version and `name` (what else it depends
    on), built from the primary (kept for every node: never from a lagging replica, portal.machinery.dbrouting)."""
    from django.core.cache import cache

    from portal.machinery.dbrouting import primary

    key = f"opendata:kept:{catalogue_version()}:{name}"
    value = cache.get(key)
    if value is None:
        with primary():
            value = build()
        cache.set(key, value, seconds)
    return value


def organization_names(organization=None, *, offset=0, limit=1000) -> list[str]:
    """organization_list without all_fields: a page of the listed organizations' names, kept per catalogue version
    (which every organization saved or switched off changes, opendata.services): a thousand of 7,850 names was a
    query and a thousand objects on every call."""
    scope = organization.pk if organization is not None else "*"
    return kept_for_version(f"organization-names:{scope}:{offset}:{limit}",
                            lambda: [o.slug for o in organizations_page(organization, offset=offset, limit=limit)])
