"""Reads of the catalogue, with their joins declared (package_search serves up to 1000 datasets a page)."""

from django.db import connection, connections
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from portal.models import Organization, OrganizationSetup
from portal.selectors import without_services_off

from . import search
from .models import Dataset, DatasetTerm, Group, Resource, ResourceVersion, SearchFacet, Tag

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


def _fast_search(*, organization, words, sort, start, rows, facet_fields, facet_limit, harvest=False):
    """Words without fq, by relevance or last change: everything from the search-word index (DatasetTerm), whose
    rows carry the dataset's organization, state, last change and facet values; the dataset rows are read only
    for the page shown. Two queries whatever the number of matches: one aggregate for the count and every facet,
    one for the page."""
    base = DatasetTerm.objects.filter(term=words[0], published=True)
    if organization is not None:
        base = base.filter(organization=organization)
    for word in words[1:]:
        base = base.filter(dataset_id__in=DatasetTerm.objects.filter(term=word).values("dataset_id"))
    if harvest:
        from .models import HarvestConsent

        base = base.exclude(organization_id__in=HarvestConsent.objects.filter(allow_harvest=False)
                            .values("organization_id"))
        base = base.exclude(dataset_id__in=Dataset.objects.filter(allow_harvest=False).values("pk"))
    if sort in (["pk"], ["-pk"]):  # `sort=id asc`, the way ckanext-harvest pages a catalogue
        order = ["dataset_id" if sort == ["pk"] else "-dataset_id"]
    elif sort == ["-metadata_modified"]:
        order = ["-modified", "dataset_id"]
    else:
        order = ["-in_title", "-modified", "dataset_id"]
    if facet_fields:
        count, facets = ranked_facets(base, facet_fields, facet_limit)
    else:  # a harvester's page: the count alone, from the index
        count, facets = base.count(), {}
    page_ids = list(base.order_by(*order).values_list("dataset_id", flat=True)[start:start + rows]) if rows else []
    return {"count": count, "ids": page_ids, "facets": facets}


def ranked_facets(terms, fields, facet_limit=50) -> tuple[int, dict[str, list[tuple[str, str, int]]]]:
    """(number of rows of `terms`, {field: [(name, display_name, count)]}) in one statement: the same counts, names
    and order as facets_from_ids(facet_id_counts(terms)) (most frequent first, then by name), but ranked and cut
    to `facet_limit` in the database. Reading every counted value into Python cost seconds once an installation
    had thousands of organizations (one organization facet value each), and the count no longer needs them: a
    sentinel id 0 put in front of every row's facet ids counts the rows."""
    fields = [f for f in dict.fromkeys(fields)]
    sql, params = terms.order_by().values("facets").query.sql_with_params()
    if connection.vendor == "postgresql":
        counts = (f"SELECT f.id, count(*) AS n FROM ({sql}) m "
                  f"CROSS JOIN LATERAL unnest(array_prepend(0, m.facets)) AS f(id) GROUP BY f.id")
        by_name = 'COLLATE "C"'
    else:
        counts = (f"SELECT CAST(f.value AS integer) AS id, count(*) AS n FROM ({sql}) m, json_each(m.facets) AS f "
                  f"GROUP BY f.value UNION ALL SELECT 0, count(*) FROM ({sql}) m0")
        params = (*params, *params)
        by_name = ""
    total, found = 0, {field: [] for field in fields}
    limit = "" if facet_limit is None else "WHERE r.rank <= %s"
    query = f"""
        WITH c AS ({counts})
        SELECT r.field, r.name, r.label, r.n FROM (
            SELECT sf.field, COALESCE(o.slug, sf.value) AS name, COALESCE(o.name_th, g.title_th, sf.value) AS label,
                   c.n, row_number() OVER (PARTITION BY sf.field
                                           ORDER BY c.n DESC, COALESCE(o.slug, sf.value) {by_name}) AS rank
            FROM c JOIN opendata_searchfacet sf ON sf.id = c.id
            LEFT JOIN portal_organization o ON sf.field = 'organization' AND CAST(o.id AS text) = sf.value
            LEFT JOIN opendata_group g ON sf.field = 'groups' AND g.name = sf.value
            WHERE sf.field IN ({", ".join(["%s"] * len(fields)) or "NULL"})
              AND (sf.field <> 'organization' OR o.id IS NOT NULL) AND (sf.field <> 'groups' OR g.id IS NOT NULL)
        ) r {limit}
        UNION ALL SELECT NULL, NULL, NULL, n FROM c WHERE c.id = 0"""
    with connections[terms.db].cursor() as cursor:  # where the ORM reads `terms` (the replica may)
        cursor.execute(query, (*params, *fields, *([] if facet_limit is None else [facet_limit])))
        rows = cursor.fetchall()
    for field, name, label, n in rows:
        if field is None:
            total = n
            continue
        if field in ("license_id", "data_type"):
            label = str(dict(Dataset._meta.get_field(field).flatchoices).get(name, name))
        found[field].append((name, label, n))
    for items in found.values():
        items.sort(key=lambda item: (-item[2], item[0]))
    return total, found


def facet_id_counts(terms) -> dict[int, int]:
    """{SearchFacet id: number of rows of `terms` (search words, one per dataset) having it}, in one aggregate.
    On PostgreSQL the words' index holds the facet ids, so this is an index-only scan and an unnest."""
    sql, params = terms.order_by().values("facets").query.sql_with_params()
    if connection.vendor == "postgresql":
        query = f"SELECT f.id, count(*) FROM ({sql}) m CROSS JOIN LATERAL unnest(m.facets) AS f(id) GROUP BY f.id"
    else:
        query = f"SELECT f.value, count(*) FROM ({sql}) m, json_each(m.facets) AS f GROUP BY f.value"
    with connections[terms.db].cursor() as cursor:  # where the ORM reads `terms` (the replica may)
        cursor.execute(query, params)
        return {int(i): n for i, n in cursor.fetchall()}


def facets_from_ids(counts: dict[int, int], fields, facet_limit=50) -> dict[str, list[tuple[str, str, int]]]:
    """facet_counts() for every field from {SearchFacet id: count}: the same names, labels and order (most
    frequent first, then by name)."""
    found = {field: [] for field in fields}
    for pk, field, value in SearchFacet.objects.filter(pk__in=list(counts), field__in=list(found)).values_list(
            "id", "field", "value"):
        found[field].append((value, counts[pk]))
    result = {}
    for field, items in found.items():
        if field == "organization":
            orgs = {str(o.pk): o for o in Organization.objects.filter(pk__in=[int(v) for v, _n in items])}
            named = [(orgs[v].slug, orgs[v].name_th, n) for v, n in items if v in orgs]
        elif field == "groups":
            titles = dict(Group.objects.filter(name__in=[v for v, _n in items]).values_list("name", "title_th"))
            named = [(v, titles[v], n) for v, n in items if v in titles]
        elif field in ("license_id", "data_type"):
            labels = dict(Dataset._meta.get_field(field).flatchoices)
            named = [(v, str(labels.get(v, v)), n) for v, n in items]
        else:
            named = [(v, v, n) for v, n in items]
        named.sort(key=lambda item: (-item[2], item[0]))
        result[field] = named if facet_limit is None else named[:facet_limit]
    return result


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


def new_token() -> str:
    import secrets

    return secrets.token_hex(8)


def _token(key, seconds=None) -> str:
    from django.core.cache import cache

    value = cache.get(key)
    if value is None:
        cache.add(key, new_token(), seconds)  # add: a token another process has just made stays
        value = cache.get(key) or new_token()  # (a cache that keeps nothing: every read its own version)
    return value


def catalogue_version() -> str:
    return _token(VERSION_KEY)


def dataset_stamps(ids) -> tuple[str, dict]:
    """(the shared part's token, {dataset id: its stamp}) for the datasets of a page, in one read of the cache."""
    from django.core.cache import cache

    keys = {STAMP_KEY.format(i): i for i in ids}
    found = cache.get_many([SHARED_KEY, *keys])
    for key in keys:
        if key not in found:
            found[key] = _token(key, STAMP_SECONDS)
    shared = found.get(SHARED_KEY) or _token(SHARED_KEY)
    return shared, {i: found[key] for key, i in keys.items()}


STATE_SECONDS = 60


def catalog_state(organization=None) -> tuple[str, dict]:
    """(the catalogue's version, {n, modified, consent}): what a DCAT page depends on, its datasets' count and latest
    change and the consents' latest change, aggregated once per version (and at most STATE_SECONDS old, for writes
    that bypass the signals) instead of over the whole dataset table on every request."""
    from django.core.cache import cache
    from django.db.models import Max

    from portal.machinery.dbrouting import primary

    from .models import HarvestConsent

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

    from .models import HarvestConsent

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


def search_datasets(*, organization=None, q="", fq="", sort="", start=0, rows=10, facet_fields=(),
                    facet_limit=50, facet_mincount=0, harvest=False, kept=False):
    """package_search: {count, results (datasets), sort, facets {field: [(name, label, count)]}}. `harvest`: only
    what the national catalogue may gather (harvestable_q); the CKAN API lists that, the portal's own pages
    everything. `kept`: see search_page."""
    found = search_page(organization=organization, q=q, fq=fq, sort=sort, start=start, rows=rows,
                        facet_fields=facet_fields, facet_limit=facet_limit, facet_mincount=facet_mincount,
                        harvest=harvest, kept=kept)
    return {"count": found["count"], "results": datasets_in_order(found["ids"]), "facets": found["facets"],
            "sort": found["sort"]}


def datasets_in_order(ids) -> list[Dataset]:
    """The datasets of `ids`, in that order, with everything a package dict or a result card needs (a fixed number
    of queries); ids no longer there are left out."""
    if not ids:
        return []
    by_id = {d.pk: d for d in with_related(Dataset.objects.filter(pk__in=list(ids)))}
    return [by_id[i] for i in ids if i in by_id]


SEARCH_SECONDS = 60


def _keepable(q: str, fq: str, sort: str) -> bool:
    """Whether a search's answer is decided by the catalogue's rows alone, so the catalogue's version can key it:
    not with date maths on NOW (the clock moves) nor sorted by downloads (counted without a new version)."""
    text = f"{q} {fq}".upper()
    return "NOW" not in text and "views_" not in (sort or "")


def search_page(*, organization=None, q="", fq="", sort="", start=0, rows=10, facet_fields=(), facet_limit=50,
                facet_mincount=0, harvest=False, kept=False) -> dict:
    """package_search without the datasets: {count, ids (the page's dataset ids, in order), sort, facets}.

    `kept` (the public pages and the CKAN API): the answer is kept in the shared cache under the catalogue's
    version (catalogue_version(), changed by every write that can change an answer) for SEARCH_SECONDS, so the
    facet aggregate over every published dataset and the ordering of the matches run once per version, not once
    per request. Writes that bypass the services and the model signals are seen within SEARCH_SECONDS."""
    params = {"organization": organization.pk if organization is not None else None, "q": q or "", "fq": fq or "",
              "sort": sort or "", "start": start, "rows": rows, "facet_fields": list(facet_fields),
              "facet_limit": facet_limit, "harvest": harvest}
    key = None
    if kept and _keepable(params["q"], params["fq"], params["sort"]):
        import hashlib
        import json

        from django.core.cache import cache
        from django.utils.translation import get_language

        # the version is read before the answer is computed: a change meanwhile makes this key one nobody asks for
        text = json.dumps([catalogue_version(), get_language(), params], sort_keys=True, default=str)
        key = "opendata:search:" + hashlib.sha256(text.encode()).hexdigest()[:40]
        found = cache.get(key)
        if found is not None:
            return _min_count(found, facet_mincount)
    from contextlib import nullcontext

    from portal.machinery.dbrouting import primary

    # kept for every node: from the primary, never a lagging replica's answer under the current version
    with primary() if key is not None else nullcontext():
        found = _search_datasets(organization=organization, q=q, fq=fq, sort=sort, start=start, rows=rows,
                                 facet_fields=facet_fields, facet_limit=facet_limit, harvest=harvest)
    if key is not None:
        cache.set(key, found, SEARCH_SECONDS)
    return _min_count(found, facet_mincount)


def _min_count(found, facet_mincount):
    if facet_mincount > 0:
        found = {**found, "facets": {field: [item for item in items if item[2] >= facet_mincount]
                                     for field, items in found["facets"].items()}}
    return found


def _search_datasets(*, organization, q, fq, sort, start, rows, facet_fields, facet_limit, harvest):
    sort_order = search.parse_sort(sort)
    q = (q or "").strip()
    if not search.is_structured(q) and not fq.strip() and sort_order in (
            [], [None], [None, "-metadata_modified"], ["-metadata_modified"], ["pk"], ["-pk"]):
        words = search.terms(q) or search.terms(q, keep_stopwords=True)
        if not words and q in ("", "*") and sort_order != [None]:  # everything, latest change first
            words = [search.EVERY]
        if words:
            found = _fast_search(organization=organization, words=words, sort=sort_order, start=start, rows=rows,
                                 facet_fields=facet_fields, facet_limit=facet_limit, harvest=harvest)
            return {**found, "sort": sort or "score desc, metadata_modified desc"}
    qs = public_datasets(organization)
    if harvest:
        qs = qs.filter(harvestable_q())
    qs, words = matching(qs, q)
    order = sort_order or ([None, "-metadata_modified"] if words else ["-metadata_modified"])
    ordering = []
    for column in order:
        if column is None:  # relevance: a title containing the query's words first
            if words:
                from django.db.models import Case, IntegerField, Value, When

                qs = qs.annotate(score=Case(When(title__icontains=words[0], then=Value(1)), default=Value(0),
                                            output_field=IntegerField()))
                ordering.append("-score")
        elif column not in ordering:
            ordering.append(column)
    if "pk" not in ordering and "-pk" not in ordering:
        ordering.append("pk")  # stable paging: ties broken by id
    if fq.strip():
        # a sub-select: clauses on tags, groups or resource formats must not repeat a dataset
        qs = qs.filter(pk__in=Dataset.objects.filter(search.parse_fq(fq)).values("pk"))
    count = qs.count()
    page_ids = []
    if rows:
        # The page's ids, not its rows: sorting whole rows (descriptions and all) to skip `start` of them spilled to
        # disk once the catalogue held tens of thousands of datasets.
        page_ids = list(qs.order_by(*ordering).values_list("pk", flat=True)[start:start + rows])
    facets = {}
    if facet_fields:
        # the facet values of the matches from the word every dataset has, not joins with tags, categories, resources
        matched = DatasetTerm.objects.filter(term=search.EVERY, dataset_id__in=qs.order_by().values("pk"))
        facets = ranked_facets(matched, facet_fields, facet_limit)[1]
    return {"count": count, "ids": page_ids, "facets": facets, "sort": sort or "score desc, metadata_modified desc"}


def facet_counts(qs, field: str, limit: int = 50) -> list[tuple[str, str, int]]:
    """[(name, display_name, count)] for one facet, most frequent first, by joining the datasets with their tags,
    categories and resources (the reference the index-based counts are checked against)."""
    ids = qs.order_by().values("pk")
    if field == "organization":
        rows = (Organization.objects.filter(datasets__in=ids).values("slug", "name_th")
                .annotate(n=Count("datasets", distinct=True)).order_by("-n", "slug")[:limit])
        return [(r["slug"], r["name_th"], r["n"]) for r in rows]
    if field == "groups":
        rows = (Group.objects.filter(datasets__in=ids).values("name", "title_th")
                .annotate(n=Count("datasets", distinct=True)).order_by("-n", "name")[:limit])
        return [(r["name"], r["title_th"], r["n"]) for r in rows]
    if field == "tags":
        rows = (Tag.objects.filter(datasets__in=ids).values("name")
                .annotate(n=Count("datasets", distinct=True)).order_by("-n", "name")[:limit])
        return [(r["name"], r["name"], r["n"]) for r in rows]
    if field == "res_format":
        rows = (Resource.objects.filter(dataset__in=ids).exclude(format="").values("format")
                .annotate(n=Count("dataset", distinct=True)).order_by("-n", "format")[:limit])
        return [(r["format"], r["format"], r["n"]) for r in rows]
    if field in ("license_id", "data_type"):
        rows = (Dataset.objects.filter(pk__in=ids).values(field).annotate(n=Count("pk"))
                .order_by("-n", field)[:limit])
        labels = dict(Dataset._meta.get_field(field).flatchoices)
        return [(r[field], str(labels.get(r[field], r[field])), r["n"]) for r in rows]
    raise search.SearchQueryError(f"facet.field {field!r}: " + ", ".join(search.FACET_FIELDS))


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


def stale_condition(qs, now=None) -> Q:
    """Dataset.is_stale() as a database condition: one clause per (unit, interval) pair in use, so counting the
    stale datasets of a large catalogue never loads them."""
    import datetime as dt

    from django.utils import timezone

    now = now or timezone.now()
    today = now.date()  # is_stale() ends the last update day in now's time zone
    condition = Q(pk__in=[])
    pairs = qs.order_by().values_list("update_frequency_unit", "update_frequency_interval").distinct()
    for unit, interval in pairs:
        period = Dataset(update_frequency_unit=unit, update_frequency_interval=interval).update_period()
        if period is None:
            continue
        condition |= Q(update_frequency_unit=unit, update_frequency_interval=interval) & (
            Q(last_updated_date__lt=today - dt.timedelta(days=period.days))
            | Q(last_updated_date__isnull=True, metadata_modified__lt=now - period))
    return condition


def stale_datasets_q(queryset=None, now=None):
    """Published datasets past their update frequency, as a queryset."""
    qs = (queryset if queryset is not None else Dataset.objects.all()).filter(state=Dataset.State.PUBLISHED)
    return qs.filter(stale_condition(qs, now))


def stale_datasets(queryset=None, now=None):
    """Published datasets past their update frequency, with their organization."""
    return list(stale_datasets_q(queryset, now).select_related("organization"))


def free_dataset_name(title: str, *, exclude=None) -> str:
    """A URL name (CKAN's `name`) made from a Thai title, for a clerk who leaves it empty: the words romanized
    (PyThaiNLP, Royal Institute system) and joined by "-", e.g. สถิติเรื่องร้องเรียน -> sathiti-rueang-rongrian;
    made unique across the installation with -2, -3, ..."""
    from django.utils.text import slugify
    from pythainlp.tokenize import word_tokenize
    from pythainlp.transliterate import romanize

    from portal.thai import to_arabic_digits

    words = [romanize(w) if any("\u0e00" <= ch <= "\u0e7f" for ch in w) else w
             for w in word_tokenize(to_arabic_digits(title or ""), keep_whitespace=False)]
    base = slugify("-".join(w for w in words if w.strip())).strip("-")[:80].strip("-") or "dataset"
    taken = set(Dataset.objects.filter(name__startswith=base).exclude(pk=exclude).values_list("name", flat=True))
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def publishing_work(queryset, *, now=None, limit=10):
    """The open-data clerk's admin home: the drafts and the published datasets past their update frequency among
    `queryset` (already scoped to the person's organizations), the oldest change first, with their counts."""
    drafts = queryset.filter(state=Dataset.State.DRAFT).select_related("organization").order_by("metadata_modified")
    stale = stale_datasets_q(queryset, now).select_related("organization").order_by("metadata_modified")
    return {"drafts": list(drafts[:limit]), "draft_count": drafts.count(),
            "stale": list(stale[:limit]), "stale_count": stale.count()}
