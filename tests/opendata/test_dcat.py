"""DCAT output validated with pyshacl against the official DCAT-AP 3.0.0 shapes shipped beside this test."""

import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from tests.opendata.factories import GroupFactory, make_csv_resource, make_dataset, make_geojson_resource

SHAPES = Path(__file__).with_name("dcat-ap-3.0.0-SHACL.ttl")


@pytest.fixture(scope="module")
def shapes():
    graph = Graph()
    graph.parse(SHAPES, format="turtle")
    return graph


@pytest.fixture
def catalogue(db, org, other_org):
    group = GroupFactory(name="public-safety", title_th="ความปลอดภัยสาธารณะ")
    complaints = make_dataset(org, title="สถิติเรื่องร้องเรียนรายเดือน", name="complaints-monthly",
                              tags=["ร้องเรียน"], groups=[group], update_frequency_unit="เดือน")
    make_csv_resource(complaints)
    points = make_dataset(org, title="ตำแหน่งหอกระจายข่าว", name="loudspeakers", data_type="ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
                          license_id="Creative Commons Attributions", first_year_of_data=2560, last_year_of_data=2562)
    make_geojson_resource(points)
    make_dataset(org, title="ร่าง", name="draft-only", publish=False)
    make_dataset(other_org, title="ข้อมูลองค์กรอื่น", name="elsewhere")
    return org


def conforms(graph, shapes):
    ok, _report_graph, text = validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    return ok, text


@pytest.mark.parametrize("suffix,fmt", [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_catalog_conforms_to_dcat_ap_3(client, catalogue, shapes, suffix, fmt):
    for url in (f"/opendata/catalog.{suffix}", f"/{catalogue.slug}/opendata/catalog.{suffix}"):
        response = client.get(url)
        assert response.status_code == 200
        graph = Graph()
        graph.parse(data=response.content.decode("utf-8"), format=fmt)
        ok, text = conforms(graph, shapes)
        assert ok, text
        datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
        titles = {str(t) for d in datasets for t in graph.objects(d, graph.namespace_manager.expand_curie("dct:title"))}
        assert "สถิติเรื่องร้องเรียนรายเดือน" in titles
        assert "ร่าง" not in titles
        if url.startswith(f"/{catalogue.slug}/"):
            assert "ข้อมูลองค์กรอื่น" not in titles and len(datasets) == 2
        else:
            assert len(datasets) == 3
        assert len(set(graph.subjects(RDF.type, DCAT.Distribution))) == 2


def test_shapes_really_catch_a_broken_catalogue(client, catalogue, shapes):
    """The validation can fail: a dataset without a title breaks dcat:DatasetShape."""
    graph = Graph()
    graph.parse(data=client.get("/opendata/catalog.ttl").content.decode(), format="turtle")
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    graph.remove((dataset, graph.namespace_manager.expand_curie("dct:title"), None))
    ok, _text = conforms(graph, shapes)
    assert not ok


def test_dataset_page_embeds_schema_org(client, catalogue):
    page = client.get(f"/{catalogue.slug}/opendata/complaints-monthly/").content.decode()
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(page[start:page.index("</script>", start)])
    assert data["@type"] == "Dataset" and data["name"] == "สถิติเรื่องร้องเรียนรายเดือน"
    assert data["keywords"] == ["ร้องเรียน"]
    assert data["distribution"][0]["@type"] == "DataDownload"
    assert data["spatialCoverage"]["name"] == "ตำบลทดสอบ"


def rdf_harvester_gather(url, rdf_format="turtle"):
    """ckanext-dcat's DCATRDFHarvester gather stage (harvesters/rdf.py) with its parser's next_page()
    (processors.py), rewritten step for step: fetch, stop when a page is the same as the first one, parse, take
    every dcat:Dataset's URI as its guid, follow hydra:nextPage of the hydra:PagedCollection until there is none."""
    import hashlib

    import requests
    from rdflib import Graph, Namespace
    from rdflib.namespace import DCAT, RDF

    hydra = Namespace("http://www.w3.org/ns/hydra/core#")
    next_page_url, guids, pages, first_hash = url, [], 0, None
    while next_page_url:
        content = requests.get(next_page_url, timeout=60).content
        digest = hashlib.md5(content).digest()
        if first_hash is not None and digest == first_hash:
            break
        first_hash = first_hash or digest
        graph = Graph()
        graph.parse(data=content, format=rdf_format)
        pages += 1
        guids += [str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)]
        next_page_url = None
        for node in graph.subjects(RDF.type, hydra.PagedCollection):
            for value in graph.objects(node, hydra.nextPage):
                next_page_url = str(value)
    return guids, pages


@pytest.mark.once  # engine-independent and heavy: runs in one stage (tests/conftest.py)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("suffix,fmt", [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_rdf_harvester_pages_the_catalogue_with_hydra(live_server, suffix, fmt):
    from django.core.management import call_command

    from opendata.models import Dataset

    call_command("make_fake_datasets", count=230, organizations=3, seed=2, stdout=open("/dev/null", "w"))
    Dataset.objects.filter(name="bench-0000007").update(allow_harvest=False)
    guids, pages = rdf_harvester_gather(f"{live_server.url}/opendata/catalog.{suffix}", fmt)
    expected = {f"{live_server.url}{d.get_absolute_url()}#dataset"
                for d in Dataset.objects.published().filter(allow_harvest=True).select_related("organization")}
    assert pages == 3 and len(guids) == len(set(guids)) == 229 and set(guids) == expected


@pytest.mark.django_db
def test_conditional_get_themes_temporal_formats_and_base_url(client, catalogue, settings):
    import datetime as dt

    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDFS

    from opendata import services
    from opendata.models import Dataset

    first = client.get("/opendata/catalog.ttl")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/opendata/catalog.ttl", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/opendata/catalog.ttl", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    Dataset.objects.filter(name="complaints-monthly").update(created_date=dt.date(2023, 5, 1),
                                                             last_updated_date=dt.date(2025, 2, 1))
    services.touch(Dataset.objects.get(name="complaints-monthly"))
    changed = client.get("/opendata/catalog.ttl", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag

    settings.PORTAL_BASE_URL = "https://portal.example.go.th"
    settings.ALLOWED_HOSTS = ["*"]
    body = client.get("/opendata/catalog.ttl", HTTP_HOST="attacker.example").content.decode()
    assert "attacker.example" not in body and "https://portal.example.go.th/" in body
    graph = Graph().parse(data=body, format="turtle")
    node = next(s for s in graph.subjects(DCTERMS.identifier, None)
                if "complaints-monthly" in str(s))
    themes = {str(t) for t in graph.objects(node, DCAT.theme)}
    assert any(t.startswith("http://publications.europa.eu/resource/authority/data-theme/") for t in themes)
    period = next(graph.objects(node, DCTERMS.temporal))
    assert (str(next(graph.objects(period, DCAT.startDate))), str(next(graph.objects(period, DCAT.endDate)))) == (
        "2023-01-01", "2025-12-31")
    csv_type = URIRef("http://publications.europa.eu/resource/authority/file-type/CSV")
    assert csv_type in set(graph.objects(None, DCTERMS["format"]))
    assert str(next(graph.objects(csv_type, RDFS.label))) == "CSV"
    assert client.get("/opendata/catalog.ttl", {"page": 99}).status_code == 404


@pytest.mark.django_db
def test_temporal_range_follows_the_years_of_data(client, catalogue, shapes):
    """A statistical dataset's first/last year of data (Buddhist era) give dct:temporal, in the Christian era, from
    the first day of the first year to the last day of the last; without them the dates of collection and update."""
    import datetime as dt

    from rdflib.namespace import DCTERMS

    from opendata import services
    from opendata.models import Dataset

    Dataset.objects.filter(name="loudspeakers").update(created_date=dt.date(2024, 5, 1),
                                                       last_updated_date=dt.date(2025, 2, 1))
    Dataset.objects.filter(name="complaints-monthly").update(created_date=dt.date(2023, 5, 1),
                                                             last_updated_date=dt.date(2025, 2, 1))
    for dataset in Dataset.objects.all():
        services.touch(dataset)

    def periods():
        graph = Graph().parse(data=client.get("/opendata/catalog.ttl").content.decode(), format="turtle")
        ok, text = conforms(graph, shapes)
        assert ok, text
        found = {}
        for node in graph.subjects(RDF.type, DCAT.Dataset):
            period = next(graph.objects(node, DCTERMS.temporal), None)
            if period is None:
                continue
            found[str(node).rsplit("/", 2)[-2]] = (str(next(graph.objects(period, DCAT.startDate))),
                                                   str(next(graph.objects(period, DCAT.endDate))))
        return found

    found = periods()
    assert found["loudspeakers"] == ("2017-01-01", "2019-12-31")  # พ.ศ. 2560-2562, not 2024-2025
    assert found["complaints-monthly"] == ("2023-01-01", "2025-12-31")
    Dataset.objects.filter(name="complaints-monthly").update(last_year_of_data=2567)  # only the last year given
    services.touch(Dataset.objects.get(name="complaints-monthly"))
    assert periods()["complaints-monthly"] == ("2024-01-01", "2024-12-31")
    page = client.get(f"/{catalogue.slug}/opendata/loudspeakers/").content.decode()
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    assert json.loads(page[start:page.index("</script>", start)])["temporalCoverage"] == "2017-01-01/2019-12-31"
