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
    assert call("package_search", 409, rows=1001)["__type"] == "Validation Error"
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
