"""Public pages: Thai search with facets, sort and paging; the dataset page, previews and counted downloads."""

import re

import pytest

from opendata.models import Dataset, Resource
from tests.opendata.factories import make_csv_resource, make_dataset, make_geojson_resource

pytestmark = pytest.mark.django_db


def test_thai_search_finds_words_inside_unspaced_text(client, org):
    make_dataset(org, title="สถิติเรื่องร้องเรียนรายเดือนของเทศบาล", name="monthly", tags=["สถิติ"])
    make_dataset(org, title="งบประมาณรายจ่ายประจำปี", name="budget", notes="แผนงบประมาณ")
    page = client.get("/opendata/", {"q": "ร้องเรียน"})
    assert page.status_code == 200
    assert [d.name for d in page.context["found"]["results"]] == ["monthly"]
    # Thai digits and several words: every word must match
    assert [d.name for d in client.get("/opendata/", {"q": "งบประมาณ ประจำปี"}).context["found"]["results"]] == [
        "budget"]
    assert client.get("/opendata/", {"q": "ร้องเรียน งบประมาณ"}).context["found"]["count"] == 0


def test_facets_sort_and_paging(client, org, other_org):
    for i in range(23):
        make_dataset(org if i % 2 else other_org, title=f"ข้อมูลชุดที่ {i:02d}", name=f"set-{i:02d}",
                     tags=["คู่"] if i % 2 == 0 else ["คี่"])
    page = client.get("/opendata/", {"tags": "คู่", "sort": "name"})
    assert page.context["found"]["count"] == 12
    names = [d.name for d in page.context["found"]["results"]]
    assert names == sorted(names) and len(names) == 12
    tags = next(f for f in page.context["facets"] if f["field"] == "tags")
    assert any(item["selected"] and item["name"] == "คู่" for item in tags["items"])
    second = client.get("/opendata/", {"page": 2})
    assert second.context["page"] == 2 and len(second.context["found"]["results"]) == 3
    own = client.get(f"/{org.slug}/opendata/")
    assert own.context["found"]["count"] == 11


def test_dataset_page_previews_and_download_counted(client, org):
    dataset = make_dataset(org, title="จุดติดตั้งหอกระจายข่าว", name="points")
    table = make_csv_resource(dataset)
    geo = make_geojson_resource(dataset)
    page = client.get(f"/{org.slug}/opendata/points/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="od-preview-table"' in html and 'class="map od-map"' in html
    # nothing fetched from elsewhere (looking for "cdn" anywhere in the page matched a random token now and then)
    hosts = set(re.findall(r'(?:src|href)="(?:https?:)?//([^"/]*)', html))
    assert hosts <= {"testserver"}
    preview = client.get(f"/{org.slug}/opendata/points/resource/{table.id}/preview.json").json()
    assert [f["type"] for f in preview["fields"]] == ["int", "date", "text", "int", "numeric"]
    assert preview["total"] == 3 and preview["chart"]["x"] == "เดือน"
    assert [r["งบประมาณ"] for r in preview["records"]] == [1500.5, 2300, 0.25]  # JSON numbers, never 2.3E+3
    geojson = client.get(f"/{org.slug}/opendata/points/resource/{geo.id}/preview.json")
    assert geojson.json()["type"] == "FeatureCollection"
    version = table.versions.get()
    response = client.get(f"/{org.slug}/opendata/points/resource/{table.id}/download/x.csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith("เดือน".encode())
    assert Resource.objects.get(pk=table.pk).download_count == 1
    assert Dataset.objects.get(pk=dataset.pk).download_count == 1
    assert version.file.name.startswith("opendata/") and "/media/" not in version.file.path


def test_unpublished_and_unknown_are_404(client, org):
    draft = make_dataset(org, name="secret-draft", publish=False)
    make_csv_resource(draft)
    assert client.get(f"/{org.slug}/opendata/secret-draft/").status_code == 404
    resource = draft.resources.get()
    assert client.get(f"/{org.slug}/opendata/secret-draft/resource/{resource.id}/download/a.csv").status_code == 404
    assert client.get(f"/{org.slug}/opendata/nothing-here/").status_code == 404
    assert client.get("/nowhere-org/opendata/").status_code == 404


def test_english_when_chosen(client, org):
    dataset = make_dataset(org, title="สถิติรายเดือน", name="monthly-en")
    make_csv_resource(dataset)
    client.cookies["django_language"] = "en"
    html = client.get(f"/{org.slug}/opendata/monthly-en/").content.decode()
    assert "Download" in html and "Data type" in html and "Statistical data" in html
    assert "ดาวน์โหลด</a>" not in html
    listing = client.get("/opendata/").content.decode()
    assert "1 dataset found" in listing and "Search datasets" in listing
    error = client.get("/api/3/action/package_show", {"id": "nope"}).json()["error"]
    assert error["message"] == "Dataset not found"
