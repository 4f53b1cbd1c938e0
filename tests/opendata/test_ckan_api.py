"""The CKAN Action API driven by the real `ckanapi` client against a live server, and its error shapes."""

import json

import pytest
from ckanapi import NotFound, RemoteCKAN

from tests.opendata.factories import make_csv_resource, make_dataset, make_geojson_resource

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(org, other_org):
    budget = make_dataset(org, title="งบประมาณโครงการพัฒนาหมู่บ้าน", name="village-budget", tags=["งบประมาณ"],
                          notes="งบประมาณแยกตามหมู่บ้านและปีงบประมาณ")
    complaints = make_dataset(org, title="สถิติเรื่องร้องเรียนรายเดือน", name="complaints-monthly",
                              tags=["ร้องเรียน"])
    make_csv_resource(complaints)
    make_geojson_resource(budget)
    draft = make_dataset(org, title="ร่างข้อมูลร้องเรียนภายใน", name="draft-internal", publish=False)
    elsewhere = make_dataset(other_org, title="ข้อมูลร้องเรียนขององค์กรอื่น", name="other-complaints")
    return {"budget": budget, "complaints": complaints, "draft": draft, "elsewhere": elsewhere}


@pytest.mark.parametrize("get_only", [False, True])
def test_ckanapi_search_show_organizations_datastore(live_server, catalogue, org, get_only):
    ckan = RemoteCKAN(live_server.url, get_only=get_only)
    found = ckan.action.package_search(q="ร้องเรียน", rows=10, **{"facet.field": ["organization", "tags"]})
    names = {d["name"] for d in found["results"]}
    assert names == {"complaints-monthly", "other-complaints"}  # drafts never appear
    assert found["count"] == 2
    assert found["facets"]["tags"] == {"ร้องเรียน": 1}
    assert found["search_facets"]["organization"]["items"][0]["count"] == 1

    shown = ckan.action.package_show(id="complaints-monthly")
    assert shown["title"] == "สถิติเรื่องร้องเรียนรายเดือน"
    assert shown["organization"]["name"] == org.slug
    assert shown["license_id"] == "Open Data Common"
    for key in ("data_type", "objective", "update_frequency_unit", "update_frequency_interval", "geo_coverage",
                "data_source", "data_format", "data_category", "data_classification", "accessible_condition",
                "data_language", "created_date", "last_updated_date", "allow_harvest"):
        assert key in shown, key
    resource = shown["resources"][0]
    assert resource["format"] == "CSV" and resource["size"] > 0 and resource["datastore_active"] is True

    organizations = ckan.action.organization_list(all_fields=True)
    counts = {o["name"]: o["package_count"] for o in organizations}
    assert counts[org.slug] == 2
    assert ckan.action.organization_show(id=org.slug)["title"] == org.name_th

    filters = {"ประเภท": "ไฟฟ้าส่องสว่าง"}
    # Over GET a dict cannot travel as a query parameter: CKAN clients send it as a JSON string.
    rows = ckan.action.datastore_search(resource_id=resource["id"], sort="จำนวน desc",
                                        filters=json.dumps(filters) if get_only else filters)
    assert rows["total"] == 2
    assert [r["จำนวน"] for r in rows["records"]] == [12, 4]
    assert {f["id"]: f["type"] for f in rows["fields"]}["งบประมาณ"] == "numeric"

    with pytest.raises(NotFound):
        ckan.action.package_show(id="draft-internal")
    with pytest.raises(NotFound):
        ckan.action.package_show(id="no-such-dataset")


def test_per_organization_catalogue_only_has_its_own(live_server, catalogue, org):
    ckan = RemoteCKAN(f"{live_server.url}/{org.slug}")
    assert sorted(ckan.action.package_list()) == ["complaints-monthly", "village-budget"]
    with pytest.raises(NotFound):
        ckan.action.package_show(id="other-complaints")


def test_paging_through_everything(client, org):
    for i in range(7):
        make_dataset(org, title=f"ชุดข้อมูลทดสอบ {i}", name=f"paged-{i}")
    seen, start = [], 0
    while True:
        body = client.get("/api/3/action/package_search", {"rows": 3, "start": start}).json()["result"]
        if not body["results"]:
            break
        seen += [d["name"] for d in body["results"]]
        start += 3
    assert sorted(seen) == sorted(f"paged-{i}" for i in range(7))


def test_bad_input_is_ckan_shaped_and_4xx(client, catalogue):
    def call(name, status, **kwargs):
        response = kwargs.pop("response", None) or client.get(f"/api/3/action/{name}", kwargs)
        assert response.status_code == status, response.content
        body = response.json()
        assert body["success"] is False and "help" in body
        return body["error"]

    assert "package_shown" in call("package_shown", 400)["message"]
    assert call("package_show", 404, id="nope")["__type"] == "Not Found Error"
    assert call("resource_show", 404, id="not-a-uuid")["__type"] == "Not Found Error"
    assert call("package_search", 409, rows=-1)["__type"] == "Validation Error"
    assert call("package_search", 409, rows="ten")["__type"] == "Validation Error"
    assert call("package_search", 400, fq="tags:")["__type"] == "Search Query Error"
    assert call("package_search", 400, fq="colour:red")["__type"] == "Search Query Error"
    assert call("package_search", 400, sort="shoe size")["__type"] == "Search Query Error"
    response = client.post("/api/action/package_search", data=json.dumps([1, 2]), content_type="application/json")
    assert call("package_search", 400, response=response)["__type"] == "Bad Request"
    response = client.post("/api/action/package_search", data="{not json", content_type="application/json")
    assert call("package_search", 400, response=response)["__type"] == "Bad Request"
    resource_id = catalogue["complaints"].resources.get().id
    error = call("datastore_search", 409, resource_id=str(resource_id), filters='{"colour": "red"}')
    assert error["__type"] == "Validation Error" and "colour" in error["message"]
    assert call("datastore_search", 409, resource_id=str(resource_id), sort="colour")["__type"] == "Validation Error"
    geo_id = catalogue["budget"].resources.get().id
    assert call("datastore_search", 404, resource_id=str(geo_id))["__type"] == "Not Found Error"


def test_no_redirect_no_csrf(client, catalogue):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/api/3/action/package_show", data=json.dumps({"id": "village-budget"}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["result"]["name"] == "village-budget"
    response = client.get("/api/action/status_show")
    assert response.status_code == 200 and response.json()["success"] is True


def test_fq_clauses(client, catalogue, org):
    def names(**params):
        body = client.get("/api/3/action/package_search", params).json()
        assert body["success"], body
        return sorted(d["name"] for d in body["result"]["results"])

    assert names(fq="tags:งบประมาณ") == ["village-budget"]
    assert names(fq="res_format:CSV") == ["complaints-monthly"]
    assert names(fq=f"organization:{org.slug} -tags:งบประมาณ") == ["complaints-monthly"]
    assert names(fq="tags:งบประมาณ OR res_format:CSV") == ["complaints-monthly", "village-budget"]
    assert names(fq="metadata_modified:[2000-01-01T00:00:00Z TO *]") == [
        "complaints-monthly", "other-complaints", "village-budget"]
    assert names(q=f"organization:{org.slug}") == ["complaints-monthly", "village-budget"]
    assert names(sort="name asc") == ["complaints-monthly", "other-complaints", "village-budget"]


def test_anonymous_api_is_rate_limited_ckan_shaped(client, settings, monkeypatch):
    settings.RATELIMIT_ENABLE = True
    from portal.inputs import ratelimit

    monkeypatch.setattr(ratelimit, "parse_rate", lambda rate: (3, 60))
    statuses = [client.get("/api/3/action/status_show").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429
    body = client.get("/api/action/status_show").json()
    assert body["success"] is False and body["error"]["__type"] == "Throttled"


def test_solr_syntax_as_ckan_reads_it(client, catalogue, org, other_org):
    """fq and q as CKAN's Solr reads them: owner_org by id or name, date ranges with Z and date maths, +/- prefixes,
    OR, groups in parentheses, the constant fields every CKAN dataset has; unknown fields and impossible dates are a
    Search Query Error, never a 5xx."""
    import datetime as dt

    from django.utils import timezone

    from opendata.ckan import organization_uuid
    from opendata.models import Dataset

    now = timezone.now()
    Dataset.objects.filter(pk=catalogue["budget"].pk).update(metadata_modified=now - dt.timedelta(days=3))
    Dataset.objects.filter(pk=catalogue["elsewhere"].pk).update(
        metadata_modified=dt.datetime(2024, 2, 29, 10, 0, tzinfo=dt.UTC))

    def names(**params):
        response = client.get("/api/3/action/package_search", params)
        assert response.status_code == 200, response.content
        return sorted(d["name"] for d in response.json()["result"]["results"])

    def error(**params):
        response = client.get("/api/3/action/package_search", params)
        assert response.status_code in (400, 409), (params, response.status_code)
        return response.json()["error"]["__type"]

    mine = ["complaints-monthly", "village-budget"]
    every = ["complaints-monthly", "other-complaints", "village-budget"]
    assert names(fq=f"owner_org:{organization_uuid(org)}") == mine
    assert names(fq=f'owner_org:"{organization_uuid(org)}"') == mine
    assert names(fq=f"owner_org:{org.slug}") == mine
    assert names(fq=f"+owner_org:{organization_uuid(other_org)}") == ["other-complaints"]
    assert names(fq="metadata_modified:[NOW-1DAY TO *]") == ["complaints-monthly"]
    assert names(fq="metadata_modified:[NOW/DAY-7DAYS TO NOW/DAY+1DAY]") == mine
    assert names(fq="metadata_modified:[* TO NOW-1DAY]") == ["other-complaints", "village-budget"]
    assert names(fq="metadata_modified:[2024-02-29T10:00:00Z TO 2024-02-29T10:00:00Z]") == ["other-complaints"]
    assert names(fq="metadata_modified:{2024-02-29T10:00:00Z TO *]") == mine
    assert names(fq="metadata_modified:[2024-02-29T10:00:00.000Z/DAY TO 2024-02-29T00:00:00Z+1DAY}") == [
        "other-complaints"]
    assert names(fq="metadata_created:[2000-01-01T00:00:00Z TO NOW]") == every
    assert names(fq="dataset_type:dataset +state:active capacity:public") == every
    assert names(fq="dataset_type:harvest") == [] and names(fq="state:draft") == []
    assert names(fq=f"organization:{org.slug} OR organization:{other_org.slug} -tags:งบประมาณ") == [
        "complaints-monthly", "other-complaints"]
    assert names(fq=f"-organization:{org.slug} -organization:nobody") == ["other-complaints"]
    assert names(fq="(tags:งบประมาณ OR tags:ร้องเรียน) AND res_format:csv") == ["complaints-monthly"]
    assert names(fq="tags:งบประมาณ tags:ร้องเรียน") == []  # both on one dataset: none has both
    assert names(fq="name:village*") == ["village-budget"]
    assert names(fq=f"id:{catalogue['budget'].id}") == ["village-budget"]
    assert names(fq="num_resources:[1 TO *]") == mine
    assert names(q="งบประมาณ OR สถิติ") == mine
    assert names(q="ร้องเรียน -สถิติ") == ["other-complaints"]
    assert names(q="title:งบประมาณ") == ["village-budget"]
    assert names(q="*:*") == every

    assert error(fq="colour:red") == "Search Query Error"
    assert error(fq="metadata_modified:[2024-02-30T00:00:00Z TO *]") == "Search Query Error"
    assert error(fq="metadata_modified:[NOW-1FORTNIGHT TO *]") == "Search Query Error"
    assert error(fq="tags:(a OR") == "Search Query Error"
    assert error(q="colour:red") == "Search Query Error"
    assert error(sort="shoe_size desc") == "Search Query Error"


@pytest.mark.parametrize("sort", ["id", "name", "title_string", "metadata_modified", "metadata_created", "score",
                                  "views_recent"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_every_ckan_sort_pages_in_a_stable_order(client, org, sort, direction):
    from opendata.models import Dataset

    from .factories import make_dataset

    for i in range(7):
        make_dataset(org, title=f"ชุดข้อมูล {i % 3}", name=f"sorted-{i}")
    Dataset.objects.filter(name__in=["sorted-1", "sorted-4"]).update(download_count=5)

    def page(start, rows):
        body = client.get("/api/3/action/package_search", {"sort": f"{sort} {direction}, name asc", "rows": rows,
                                                            "start": start}).json()
        assert body["success"], body
        return [d["name"] for d in body["result"]["results"]]

    whole = page(0, 100)
    assert sorted(whole) == sorted(f"sorted-{i}" for i in range(7))
    assert [n for start in range(0, 7, 2) for n in page(start, 2)] == whole
    key = {"id": "id", "name": "name", "title_string": "title", "metadata_modified": "metadata_modified",
           "metadata_created": "metadata_created", "views_recent": "download_count"}.get(sort)
    if key:
        values = [getattr(Dataset.objects.get(name=n), key) for n in whole]
        assert values == sorted(values, reverse=direction == "desc")


def test_rows_facets_help_and_huge_offsets(client, catalogue):
    def get(action, **params):
        return client.get(f"/api/3/action/{action}", params)

    body = get("package_search", rows=5000).json()
    assert body["success"] and body["result"]["count"] == 3 and len(body["result"]["results"]) == 3
    facets = get("package_search", **{"facet.field": '["tags", "organization"]', "facet.mincount": 2}).json()
    assert facets["result"]["facets"]["tags"] == {} and list(facets["result"]["facets"]["organization"].values()) == [2]
    facets = get("package_search", **{"facet.field": '["organization"]', "facet.limit": 1}).json()
    assert len(facets["result"]["search_facets"]["organization"]["items"]) == 1
    body = get("package_search").json()
    assert body["help"].endswith("/api/3/action/help_show?name=package_search")
    help_body = client.get(body["help"].split("testserver", 1)[1]).json()
    assert help_body["success"] and "rows" in help_body["result"]
    assert get("help_show", name="nope").status_code == 404

    huge = str(2**63)
    assert get("package_search", start=str(2**63 - 1)).json()["result"]["results"] == []
    for name, key in (("package_search", "start"), ("package_list", "offset"), ("organization_list", "offset")):
        response = get(name, **{key: huge})
        assert response.status_code == 409 and response.json()["error"]["__type"] == "Validation Error", name
    resource_id = str(catalogue["complaints"].resources.get().id)
    response = get("datastore_search", resource_id=resource_id, offset=huge)
    assert response.status_code == 409 and response.json()["error"]["__type"] == "Validation Error"
    for sort in (5, ["จำนวน"], {"จำนวน": "desc"}, [3]):
        response = client.post("/api/action/datastore_search", {"resource_id": resource_id, "sort": sort},
                               content_type="application/json")
        assert response.status_code in ((200,) if sort == ["จำนวน"] else (400, 409)), (sort, response.content)
        response = client.post("/api/action/package_search", {"sort": sort}, content_type="application/json")
        assert response.status_code in (400, 409), (sort, response.content)
    response = client.post("/api/action/datastore_search", {"resource_id": resource_id, "q": {"no such": "x"}},
                           content_type="application/json")
    assert response.status_code == 409
