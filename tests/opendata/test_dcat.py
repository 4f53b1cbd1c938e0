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
                              tags=["ร้องเรียน"], groups=[group], update_frequency_unit="month")
    make_csv_resource(complaints)
    points = make_dataset(org, title="ตำแหน่งหอกระจายข่าว", name="loudspeakers", data_type="geospatial",
                          license_id="cc-by")
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
