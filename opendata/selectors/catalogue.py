"""Reads of the catalogue's rows: datasets, resources, organizations, categories and tags, with their joins declared
(package_search serves up to 1000 datasets a page)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from portal.models import Organization
from portal.selectors import without_services_off

from .. import search
from ..models import Dataset, DatasetTerm, Group, Resource, ResourceVersion, Tag

MAX_ROWS = 1000


def public_datasets(organization=None):
    """Published, by an active organization that has not switched open data off in its set-up (either keeps its
    rows, unlisted)."""
    qs = without_services_off(Dataset.objects.published(), "opendata")
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs


def with_related(qs):
    """Everything a CKAN package dict or a result card needs, in a fixed number of queries."""
    return qs.select_related("organization", "organization__harvest_consent").prefetch_related(
        "tags", "groups",
        Prefetch("resources", queryset=Resource.objects.order_by("position", "created").prefetch_related(
            Prefetch("versions", queryset=ResourceVersion.objects.order_by("-number"), to_attr="ordered_versions"))),
    )


harvestable_q = search.harvestable_q


def matching(qs, q: str):
    """Datasets having every word of `q` (Thai split by PyThaiNLP); a q with query syntax (fields, OR, NOT, -word,
    phrases) is read as Solr would read it."""
    q = (q or "").strip()
    if not q or q in ("*:*", "*"):
        return qs, []
    if search.is_structured(q):
        try:
            return qs.filter(pk__in=Dataset.objects.filter(search.parse_query(q)).values("pk")), []
        except search.SearchQueryError:
            if ":" in q and not any(c.isspace() for c in q.split(":", 1)[0]) and q.split(":", 1)[0].isascii():
                raise  # a field query that is wrong, not words that happen to hold a colon
    words = search.terms(q) or search.terms(q, keep_stopwords=True)
    for word in words:
        qs = qs.filter(Exists(DatasetTerm.objects.filter(dataset=OuterRef("pk"), term=word)))
    return qs, words


def datasets_in_order(ids) -> list[Dataset]:
    """The datasets of `ids`, in that order, with everything a package dict or a result card needs (a fixed number
    of queries); ids no longer there are left out."""
    if not ids:
        return []
    by_id = {d.pk: d for d in with_related(Dataset.objects.filter(pk__in=list(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def dataset_by_id_or_name(value, *, organization=None, published_only=True):
    import uuid

    qs = public_datasets() if published_only else Dataset.objects.all()
    if organization is not None:
        qs = qs.filter(organization=organization)
    value = str(value or "").strip()
    try:
        lookup = Q(pk=uuid.UUID(value)) | Q(name=value)
    except ValueError:
        lookup = Q(name=value)
    return with_related(qs.filter(lookup)).first()


def resource_by_id(value, *, organization=None):
    import uuid

    try:
        pk = uuid.UUID(str(value or "").strip())
    except ValueError:
        return None
    qs = without_services_off(Resource.objects.filter(pk=pk, dataset__state=Dataset.State.PUBLISHED,
                                                      dataset__organization__is_active=True),
                              "opendata", "dataset__organization_id").select_related(
        "dataset__organization").prefetch_related(
        Prefetch("versions", queryset=ResourceVersion.objects.order_by("-number"), to_attr="ordered_versions"))
    if organization is not None:
        qs = qs.filter(dataset__organization=organization)
    return qs.first()


def _listed_organizations():
    """Organizations the catalogue lists: active, with open data not switched off in their set-up."""
    return without_services_off(Organization.objects.filter(is_active=True), "opendata", "pk")


def organizations_with_counts(organization=None):
    qs = _listed_organizations()
    if organization is not None:
        qs = qs.filter(pk=organization.pk)
    return qs.annotate(package_count=Count("datasets", filter=Q(datasets__state=Dataset.State.PUBLISHED)))


def organizations_page(organization=None, *, offset=0, limit=1000, counts=False) -> list[Organization]:
    """A page of active organizations by slug; with `counts`, each with `package_count` (published datasets),
    counted for that page only: counting every organization's datasets to show a thousand of 7,850 cost seconds."""
    qs = _listed_organizations().order_by("slug")
    if organization is not None:
        qs = qs.filter(pk=organization.pk)
    page = list((qs if counts else qs.only("slug"))[offset:offset + limit])
    if counts:
        found = dict(Dataset.objects.filter(organization__in=page, state=Dataset.State.PUBLISHED).order_by()
                     .values_list("organization").annotate(n=Count("pk")))
        for org in page:
            org.package_count = found.get(org.pk, 0)
    return page


def groups_with_counts(organization=None):
    condition = Q(datasets__state=Dataset.State.PUBLISHED, datasets__organization__is_active=True)
    if organization is not None:
        condition &= Q(datasets__organization=organization)
    return Group.objects.annotate(package_count=Count("datasets", filter=condition, distinct=True))


def tag_names(organization=None, query=""):
    qs = Tag.objects.filter(datasets__state=Dataset.State.PUBLISHED, datasets__organization__is_active=True)
    if organization is not None:
        qs = qs.filter(datasets__organization=organization)
    if query:
        qs = qs.filter(name__icontains=query)
    return list(qs.values_list("name", flat=True).distinct().order_by("name"))
