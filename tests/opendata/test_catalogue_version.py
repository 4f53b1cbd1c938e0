"""The catalogue's kept answers (selectors.catalogue_version): package_search's count, facets and page and each
package dict, the catalogue page's facets, a DCAT page and its state. Read again with no aggregate over the
datasets (at 7,850 organizations that aggregate and serialising a hundred package dicts were most of a request),
and forgotten by every write that changes what they show: each change below gives the answer a cold cache gives."""

from unittest import mock

import pytest
from django.core.cache import cache

from opendata import selectors, services
from opendata.models import HarvestConsent, Resource, Tag
from opendata.selectors import searching
from tests.opendata.factories import CSV_BYTES, GroupFactory, make_csv_resource, make_dataset
from tests.portal.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

API = "/api/3/action/package_search?rows=100&facet.field=" + '["organization","tags","groups","res_format"]'


@pytest.fixture
def catalogue():
    org = OrganizationFactory(slug="khamyai", name_th="อบต.คำใหญ่")
    other = OrganizationFactory(slug="nangrong", name_th="เทศบาลนางรอง")
    group = GroupFactory(name="budget", title_th="การเงิน")
    first = make_dataset(org, name="a-budget", title="งบประมาณรายจ่าย", tags=["งบ"], groups=[group])
    resource = make_csv_resource(first)
    services.add_version(resource=resource, data=CSV_BYTES + "2026-01,ถนน,1,5\n".encode(), filename="b.csv")
    second = make_dataset(other, name="b-roads", title="ถนนในตำบล", tags=["ถนน"])
    return {"org": org, "other": other, "group": group, "first": first, "second": second, "resource": resource}


def _answer(client, path=API):
    response = client.get(path)
    assert response.status_code == 200
    return response.json()["result"]


def _rename_tag(c):
    tag = Tag.objects.get(name="งบ")
    tag.name = "งบประมาณ"
    tag.save()


def _set_organization_name(c):
    c["org"].name_th = "องค์การบริหารส่วนตำบลคำใหญ่"
    c["org"].save()


def _deactivate(c):
    c["other"].is_active = False
    c["other"].save()


def _switch_open_data_off(c):
    from portal.onboarding.services import set_services
    from tests.portal.factories import staff

    set_services(organization=c["other"], off=["opendata"], actor=staff(c["other"]))


def _refuse_harvest_of_dataset(c):
    c["first"].allow_harvest = False
    c["first"].save()


def _rename_resource(c):
    c["resource"].name = "ตารางงบประมาณ"
    c["resource"].save()


def _delete_latest_file(c):
    c["resource"].versions.get(number=2).delete()


def _set_group_title(c):
    c["group"].title_th = "การเงินการคลัง"
    c["group"].save()


def _update_then_touch(c):
    from opendata.models import Dataset

    Dataset.objects.filter(pk=c["first"].pk).update(title="งบประมาณรายจ่ายประจำปี")
    services.touch(c["first"])


CHANGES = {
    "published": lambda c: make_dataset(c["org"], name="c-water", title="น้ำประปา"),
    "unpublished": lambda c: services.unpublish(dataset=c["second"]),
    "dataset saved (allow_harvest)": _refuse_harvest_of_dataset,
    "dataset updated, then touched": _update_then_touch,
    "harvest consent refused": lambda c: HarvestConsent.objects.create(organization=c["org"], allow_harvest=False),
    "organization renamed": _set_organization_name,
    "organization deactivated": _deactivate,
    "open data switched off in the set-up wizard": _switch_open_data_off,
    "category renamed": _set_group_title,
    "tag renamed": _rename_tag,
    "tag added to a dataset": lambda c: c["second"].tags.add(Tag.objects.get_or_create(name="ทาง")[0]),
    "dataset added to a tag": lambda c: Tag.objects.get(name="งบ").datasets.add(c["second"]),
    "category added to a dataset": lambda c: c["second"].groups.add(c["group"]),
    "resource renamed": _rename_resource,
    "resource added": lambda c: services.add_resource(dataset=c["second"], name="ลิงก์",
                                                      url="https://example.org/roads.json", declared_format="JSON"),
    "latest file deleted": _delete_latest_file,
    "resource deleted": lambda c: Resource.objects.filter(pk=c["resource"].pk).delete(),
    "download counted": lambda c: services.count_download(resource=c["resource"]),
}


def test_package_search_is_read_again_from_what_was_kept_without_the_database(client, catalogue,
                                                                                django_assert_num_queries):
    first = _answer(client)
    assert first["count"] == 2 and {d["name"] for d in first["results"]} == {"a-budget", "b-roads"}
    with mock.patch.object(searching, "_search_datasets", wraps=searching._search_datasets) as searched:
        with django_assert_num_queries(0):  # no count, no facet aggregate, no dataset, no package dict built
            assert _answer(client) == first
    assert not searched.called


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_of_the_catalogue_shows_at_once_in_package_search(client, catalogue, change):
    before = _answer(client)
    _answer(client)  # kept
    CHANGES[change](catalogue)
    kept = _answer(client)
    cache.clear()
    assert kept == _answer(client) and kept != before


def test_a_changed_dataset_has_its_own_dict_built_again_and_no_other(client, catalogue):
    from opendata import ckan_dicts

    _answer(client)
    with mock.patch.object(ckan_dicts, "package_dict", wraps=ckan_dicts.package_dict) as built:
        _rename_resource(catalogue)
        assert {d["name"] for d in _answer(client)["results"]} == {"a-budget", "b-roads"}
    assert [call.args[1].name for call in built.call_args_list] == ["a-budget"]


PAGE_CHANGES = ["published", "unpublished", "organization renamed", "organization deactivated",
                "open data switched off in the set-up wizard", "category renamed", "dataset updated, then touched",
                "resource added"]


def _page(client, path="/opendata/"):
    response = client.get(path)
    assert response.status_code == 200
    found = response.context["found"]
    return {"count": found["count"], "names": [d.name for d in found["results"]],
            "facets": [(f["field"], [(i["name"], i["label"], i["count"]) for i in f["items"]])
                       for f in response.context["facets"]]}


def test_the_catalogue_page_keeps_its_facets_and_reads_only_the_datasets_shown(client, catalogue,
                                                                             django_assert_max_num_queries):
    first = _page(client)
    with mock.patch.object(searching, "_search_datasets", wraps=searching._search_datasets) as searched:
        with django_assert_max_num_queries(5):  # the page's datasets, their tags, categories, resources, versions
            assert _page(client) == first
    assert not searched.called


@pytest.mark.parametrize("change", PAGE_CHANGES)
def test_every_change_shows_at_once_on_the_catalogue_page(client, catalogue, change):
    before = _page(client)
    CHANGES[change](catalogue)
    kept = _page(client)
    cache.clear()
    assert kept == _page(client) and kept != before


DCAT_CHANGES = ["published", "dataset updated, then touched", "harvest consent refused", "organization renamed",
                "open data switched off in the set-up wizard", "category renamed", "resource renamed"]


def test_a_kept_dcat_page_is_served_without_a_query(client, catalogue, django_assert_num_queries):
    first = client.get("/opendata/catalog.ttl")
    with django_assert_num_queries(0):
        again = client.get("/opendata/catalog.ttl")
    assert again.content == first.content and again["ETag"] == first["ETag"]


@pytest.mark.parametrize("change", DCAT_CHANGES)
def test_every_change_shows_at_once_in_the_dcat_catalogue(client, catalogue, change):
    before = client.get("/opendata/catalog.ttl")
    CHANGES[change](catalogue)
    kept = client.get("/opendata/catalog.ttl", HTTP_IF_NONE_MATCH=before["ETag"])
    assert kept.status_code == 200 and kept["ETag"] != before["ETag"]
    cache.clear()
    assert kept.content == client.get("/opendata/catalog.ttl").content != before.content


def test_a_lost_version_is_made_anew_and_nothing_kept_under_an_old_one_is_read(client, catalogue):
    """Redis flushed or the token evicted after a change: a token never used before, so an answer kept under an
    earlier one is never served again."""
    cache.clear()
    assert _answer(client)["count"] == 2  # kept under the version this request made
    make_dataset(catalogue["org"], name="c-water", title="น้ำประปา")
    cache.delete(selectors.VERSION_KEY)
    cache.delete(selectors.SHARED_KEY)
    assert _answer(client)["count"] == 3


def test_searches_on_the_clock_are_not_kept(client, catalogue):
    path = "/api/3/action/package_search?fq=" + "metadata_modified:[NOW-1DAY TO NOW]"
    assert _answer(client, path)["count"] == 2
    with mock.patch.object(searching, "_search_datasets", wraps=searching._search_datasets) as searched:
        assert _answer(client, path)["count"] == 2
    assert searched.called



def test_the_kept_package_texts_make_the_bytes_a_json_response_makes(client, catalogue):
    """package_search puts each kept package's JSON text into its answer as it is: the answer is byte for byte
    what encoding the whole envelope gives, cold and kept."""
    import json

    from django.http import JsonResponse

    for _ in range(2):
        body = client.get(API).content
        assert body == JsonResponse(json.loads(body), json_dumps_params={"ensure_ascii": False}).content


def test_a_dcat_page_lists_the_catalogues_datasets_in_its_order_from_the_index(rf, catalogue, monkeypatch):
    """Without modified_since a DCAT page takes its count and datasets from the kept search (the search words'
    index): the same datasets, pages and order (latest change first, ties by id) as the catalogue's own query."""
    import datetime as dt

    from opendata import dcat, views
    from opendata.models import Dataset

    for i in range(4):
        make_dataset(catalogue["org"], name=f"tie-{i}", title="ข้อมูลเท่ากัน")
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    Dataset.objects.filter(name__startswith="tie-").update(metadata_modified=moment)
    for dataset in Dataset.objects.filter(name__startswith="tie-"):
        services.sync_terms(dataset)
    monkeypatch.setattr(dcat, "PAGE_SIZE", 4)
    expected = [d.name for d in dcat.catalog_datasets()]
    pages = []
    for number in (1, 2):
        _org, datasets, paging = views._catalog_page(rf.get("/opendata/catalog.ttl", {"page": number}), None)
        assert paging["count"] == len(expected) == 6
        pages += [d.name for d in datasets]
    assert pages == expected


def test_datasets_made_in_bulk_by_the_benchmark_command_show_at_once(client, catalogue):
    from django.core.management import call_command

    def make(count):
        call_command("make_fake_datasets", count=count, organizations=1, seed=1, stdout=open("/dev/null", "w"))

    make(1)  # its organization, tags and categories made (saved, so seen); then datasets alone, in bulk
    assert _answer(client)["count"] == 3
    make(3)
    assert _answer(client)["count"] == 6


def test_a_process_reads_the_packages_it_has_kept_without_the_shared_cache(client, catalogue):
    from django.core.cache import cache as shared

    first = _answer(client)
    with mock.patch.object(shared, "get_many", wraps=shared.get_many) as read:
        assert _answer(client) == first
    asked = [key for call in read.call_args_list for key in call.args[0]]
    assert asked and not [key for key in asked if key.startswith("opendata:package:")]
