"""package_search's reads: the datasets matching a query, a page of them and their facet counts, from the search-word
index, kept under the catalogue's version."""

from django.db import connection, connections
from django.db.models import Count

from portal.models import Organization

from .. import search
from ..models import Dataset, DatasetTerm, Group, Resource, SearchFacet, Tag
from .catalogue import datasets_in_order, harvestable_q, matching, public_datasets
from .version import catalogue_version


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
        from ..models import HarvestConsent

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
