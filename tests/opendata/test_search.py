"""package_search's fast path (count, page and every facet from the search-word index) gives exactly what a naive
computation over the datasets themselves gives: same count, same facet names, labels, counts and order, same
pages in the same order when paging through everything; and it follows changes of tags, resources and state."""

import random
from collections import Counter
from unittest import mock

import pytest

from opendata import search, selectors, services
from opendata.models import Dataset, Resource
from opendata.selectors import searching
from tests.opendata.factories import GroupFactory, make_dataset
from tests.portal.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

FIELDS = list(search.FACET_FIELDS)
TOPICS = ["เรื่องร้องเรียน", "งบประมาณรายจ่าย", "น้ำประปา", "ไฟฟ้าสาธารณะ", "ผู้สูงอายุ"]
PERIODS = ["รายเดือน", "รายปี"]
TAGS = ["สถิติ", "งบประมาณ", "ร้องเรียน", "แผนที่", "ภาษี"]
FORMATS = ["CSV", "XLSX", "GeoJSON", "PDF"]
QUERIES = ["ร้องเรียน", "รายเดือน", "น้ำประปา รายเดือน", "งบประมาณรายจ่าย", "สถิติ", "ไม่มีคำนี้แน่นอน", ""]


def build_catalogue(n=36, seed=11):
    rng = random.Random(seed)
    orgs = [OrganizationFactory() for _ in range(3)]
    groups = [GroupFactory(name=f"g-{i}", title_th=f"หมวด {i}") for i in range(3)]
    for i in range(n):
        topic, period = rng.choice(TOPICS), rng.choice(PERIODS)
        # half the datasets carry the topic in the title, the others only in the description (relevance order)
        title = f"สถิติ{topic} {period} ชุด {i}" if i % 2 else f"ข้อมูลชุดที่ {i} {period}"
        dataset = make_dataset(
            orgs[i % 3], name=f"ds-{i:03d}", title=title, notes=f"รายละเอียด{topic}",
            tags=rng.sample(TAGS, rng.randint(0, 2)), groups=rng.sample(groups, rng.randint(0, 2)),
            license_id=rng.choice(["Open Data Common", "Creative Commons Attributions"]),
            data_type=rng.choice(["ข้อมูลสถิติ", "ข้อมูลระเบียน"]),
            publish=i % 7 != 3)
        for fmt in rng.sample(FORMATS, rng.randint(0, 2)):
            services.add_resource(dataset=dataset, name=f"ไฟล์ {fmt}", url=f"https://example.org/{i}.{fmt}",
                                  declared_format=fmt)
    return orgs


def naive(*, organization, q, sort, facet_limit):
    """The answer computed from the datasets one by one, without the search-word index."""
    words = search.terms(q) or search.terms(q, keep_stopwords=True)
    found = []
    for d in Dataset.objects.published().select_related("organization").prefetch_related("tags", "groups",
                                                                                         "resources"):
        if organization is not None and d.organization_id != organization.pk:
            continue
        if set(words) <= set(services.dataset_terms(d)):
            found.append(d)
    if sort == "metadata_modified desc" or not words:
        found.sort(key=lambda d: d.pk)
        found.sort(key=lambda d: d.metadata_modified, reverse=True)
    else:  # relevance: the first word in the title first, then the latest change
        found.sort(key=lambda d: d.pk)
        found.sort(key=lambda d: (words[0] in search.title_words(d.title), d.metadata_modified), reverse=True)
    counters = {field: Counter() for field in FIELDS}
    labels = {}
    for d in found:
        counters["organization"][d.organization.slug] += 1
        labels[("organization", d.organization.slug)] = d.organization.name_th
        for t in d.tags.all():
            counters["tags"][t.name] += 1
        for g in d.groups.all():
            counters["groups"][g.name] += 1
            labels[("groups", g.name)] = g.title_th
        for fmt in {r.format for r in d.resources.all() if r.format}:
            counters["res_format"][fmt] += 1
        counters["license_id"][d.license_id] += 1
        labels[("license_id", d.license_id)] = str(d.get_license_id_display())
        counters["data_type"][d.data_type] += 1
        labels[("data_type", d.data_type)] = str(d.get_data_type_display())
    facets = {field: sorted(((v, labels.get((field, v), v), n) for v, n in c.items()),
                            key=lambda item: (-item[2], item[0]))[:facet_limit]
              for field, c in counters.items()}
    return [d.name for d in found], facets


def check(*, organization, q, sort="", facet_limit=50, rows=5):
    expected_names, expected_facets = naive(organization=organization, q=q, sort=sort, facet_limit=facet_limit)
    with mock.patch.object(searching, "_fast_search", wraps=searching._fast_search) as fast:
        first = selectors.search_datasets(organization=organization, q=q, sort=sort, rows=rows,
                                          facet_fields=FIELDS, facet_limit=facet_limit)
    assert fast.called, "the query must take the fast path"
    assert first["count"] == len(expected_names), q
    assert first["facets"] == expected_facets, q
    # paging through everything, pages of `rows`: nothing missed, repeated or out of order
    names, start = [], 0
    while start < first["count"] + rows:
        page = selectors.search_datasets(organization=organization, q=q, sort=sort, start=start, rows=rows)
        names += [d.name for d in page["results"]]
        start += rows
    assert names == expected_names, q
    return first


def test_fast_search_equals_a_naive_computation():
    orgs = build_catalogue()
    matched = 0
    for q in QUERIES:
        for organization in (None, orgs[0]):
            for sort in ("", "metadata_modified desc"):
                matched += check(organization=organization, q=q, sort=sort)["count"]
        check(organization=None, q=q, facet_limit=2, rows=1000)  # facet.limit cuts after ordering
    assert matched > 50  # the catalogue really matches the queries


def test_facets_follow_changes_of_tags_resources_and_state():
    orgs = build_catalogue(n=12, seed=5)
    dataset = Dataset.objects.published().filter(organization=orgs[0]).order_by("name").first()
    tagged = services.dataset_terms(dataset)[0]  # a word of this dataset, so it is among the matches
    check(organization=None, q=tagged)
    # a tag added in the admin's way (m2m then reindex), a new resource format, a resource removed, unpublished
    from opendata.models import Tag

    dataset.tags.add(Tag.objects.get_or_create(name="ใหม่")[0])
    services.reindex(dataset)
    check(organization=None, q=tagged)
    resource = services.add_resource(dataset=dataset, name="ลิงก์", url="https://example.org/x.json",
                                     declared_format="JSON")
    assert "JSON" in {n for n, _label, _c in selectors.search_datasets(
        q=tagged, facet_fields=["res_format"])["facets"]["res_format"]}
    check(organization=None, q=tagged)
    Resource.objects.filter(pk=resource.pk).delete()
    services.touch(dataset)
    check(organization=None, q=tagged)
    services.unpublish(dataset=dataset)
    check(organization=None, q=tagged)


def test_renamed_tag_is_counted_under_its_new_name(client, org):
    from django.contrib.auth import get_user_model

    from opendata.models import Tag

    make_dataset(org, name="renamed", title="สถิติน้ำประปา", tags=["เก่า"])
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    tag = Tag.objects.get(name="เก่า")
    response = client.post(f"/admin/opendata/tag/{tag.pk}/change/", {"name": "ใหม่"})
    assert response.status_code == 302
    facets = selectors.search_datasets(q="น้ำประปา", facet_fields=["tags"])["facets"]["tags"]
    assert [(name, n) for name, _label, n in facets] == [("ใหม่", 1)]


def test_package_search_api_counts_from_the_index(client, org):
    make_dataset(org, name="a", title="สถิติเรื่องร้องเรียนรายเดือน", tags=["ร้องเรียน"])
    make_dataset(org, name="b", title="งบประมาณ", notes="ร้องเรียน", tags=["ร้องเรียน", "งบ"])
    body = client.get("/api/3/action/package_search", {
        "q": "ร้องเรียน", "facet.field": '["organization","tags","res_format"]', "rows": 1}).json()["result"]
    assert body["count"] == 2 and [d["name"] for d in body["results"]] == ["a"]
    assert body["facets"]["tags"] == {"ร้องเรียน": 2, "งบ": 1}
    assert body["facets"]["organization"] == {org.slug: 2} and body["facets"]["res_format"] == {}
    assert body["search_facets"]["organization"]["items"] == [
        {"name": org.slug, "display_name": org.name_th, "count": 2}]


def test_migrate_rebuilds_search_words_with_title_flags_and_facets(org):
    """Words copied by migration 0002 were all marked as not in the title and had no facet values; migration 0003
    rebuilds them, so search data is right straight after `migrate`."""
    from importlib import import_module

    from django.apps import apps

    from opendata.models import DatasetTerm

    rebuild = import_module("opendata.migrations.0003_search_facets").rebuild_search_words
    dataset = make_dataset(org, name="migrated", title="สถิติน้ำประปา", notes="รายงานภาษี", tags=["แผนที่"])
    services.add_resource(dataset=dataset, name="ลิงก์", url="https://example.org/a.csv", declared_format="CSV")
    expected_facets = services.dataset_facet_ids(dataset)
    DatasetTerm.objects.update(in_title=False, facets=[])  # as 0002 left them
    DatasetTerm.objects.filter(term="แผนที่").delete()
    rebuild(apps, None)
    rows = {t.term: t for t in DatasetTerm.objects.filter(dataset=dataset)}
    assert set(rows) == set(services.dataset_terms(dataset)) | {search.EVERY}
    title_words = search.title_words(dataset.title)
    assert {w for w, t in rows.items() if t.in_title} == set(rows) & title_words != set()
    assert all(t.facets == expected_facets for t in rows.values()) and len(expected_facets) == 5
    assert selectors.search_datasets(q="น้ำประปา", facet_fields=["res_format"])["facets"]["res_format"] == [
        ("CSV", "CSV", 1)]


@pytest.mark.parametrize("fq", ['tags:"สถิติ"', "res_format:CSV", "-tags:ภาษี", 'groups:g-1 OR groups:g-2',
                                "license_id:\"Creative Commons Attributions\" data_type:ข้อมูลระเบียน"])
def test_facets_with_fq_equal_the_joined_counts(fq):
    """With fq (a facet clicked on the search page) the facets come from the index too, and equal what joining the
    matched datasets with their tags, categories and resources counts."""
    orgs = build_catalogue(n=24, seed=3)
    total = 0
    for organization, q, sort in ((None, "", ""), (orgs[1], "", "name asc"), (None, "รายเดือน", "")):
        found = selectors.search_datasets(organization=organization, q=q, fq=fq, sort=sort, facet_fields=FIELDS,
                                          facet_limit=3)
        qs = selectors.public_datasets(organization)
        qs, _words = selectors.matching(qs, q)
        qs = qs.filter(pk__in=Dataset.objects.filter(search.parse_fq(fq)).values("pk"))
        assert found["count"] == qs.count()
        total += found["count"]
        assert found["facets"] == {field: selectors.facet_counts(qs, field, 3) for field in FIELDS}, (fq, q)
    assert total > 0  # the comparison is over real matches


def test_migrate_adds_the_every_dataset_word_to_datasets_indexed_before_it(org):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from opendata.models import DatasetTerm

    add_every_word = import_module("opendata.migrations.0004_search_every_dataset").add_every_word
    first = make_dataset(org, name="one", title="สถิติน้ำประปา", tags=["ภาษี"])
    make_dataset(org, name="two", title="งบประมาณ", publish=False)
    DatasetTerm.objects.filter(term=search.EVERY).delete()  # as indexed before the word existed
    assert selectors.search_datasets()["count"] == 0
    editor = SimpleNamespace(connection=connection)
    add_every_word(apps, editor)
    add_every_word(apps, editor)  # a second run adds nothing
    every = DatasetTerm.objects.filter(term=search.EVERY)
    assert every.count() == 2 and not every.filter(in_title=True).exists()
    assert every.get(dataset=first).facets == services.dataset_facet_ids(first)
    found = selectors.search_datasets(facet_fields=["tags"])
    assert found["count"] == 1 and found["facets"]["tags"] == [("ภาษี", "ภาษี", 1)]


def test_a_harvester_pages_by_id_from_the_index_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    """ckanext-harvest pages `package_search` with rows, start and `sort=id asc`: that takes the index path too (it
    sorted and counted the whole dataset table), pages by id without missing or repeating a dataset, and its query
    count does not grow with the page or the catalogue."""
    build_catalogue(n=24, seed=5)
    expected = list(selectors.public_datasets().filter(search.harvestable_q()).order_by("pk")
                    .values_list("name", flat=True))
    names, start = [], 0
    with mock.patch.object(searching, "_fast_search", wraps=searching._fast_search) as fast:
        while True:
            # the count, the page's ids, the datasets, their tags, categories, resources and versions
            with django_assert_max_num_queries(7):
                found = client.get("/api/3/action/package_search",
                                   {"rows": 7, "start": start, "sort": "id asc"}).json()["result"]
            if not found["results"]:
                break
            assert found["count"] == len(expected)
            names += [d["name"] for d in found["results"]]
            start += 7
    assert fast.called and len(expected) > 14 and names == expected
