"""DCAT-AP 3 catalogue (Turtle and JSON-LD, built with rdflib) and schema.org Dataset JSON-LD for dataset pages."""

from django.urls import reverse
from django.utils import timezone
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from portal.thai import ce_year

from . import ckan
from .models import Dataset

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA = Namespace("http://www.iana.org/assignments/media-types/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")

FREQUENCIES = {  # (thai-gdc unit, interval) -> EU frequency vocabulary
    ("วัน", 1): "DAILY", ("วันทำการ", 1): "DAILY", ("สัปดาห์", 1): "WEEKLY", ("สัปดาห์", 2): "BIWEEKLY",
    ("เดือน", 1): "MONTHLY", ("เดือน", 2): "BIMONTHLY", ("เดือน", 3): "QUARTERLY", ("ไตรมาส", 1): "QUARTERLY",
    ("เดือน", 6): "ANNUAL_2", ("ไตรมาส", 2): "ANNUAL_2", ("ครึ่งปี", 1): "ANNUAL_2", ("ปี", 1): "ANNUAL",
    ("ปี", 2): "BIENNIAL", ("ปี", 3): "TRIENNIAL", ("ชั่วโมง", 1): "HOURLY",
}
FREQUENCY_BY_UNIT = {"ตามเวลาจริง": "CONT", "นาที": "CONT", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล": "NEVER",
                     "ไม่ทราบ": "UNKNOWN", "อื่นๆ": "IRREG"}
FILE_TYPES = {"CSV": "CSV", "XLSX": "XLSX", "GeoJSON": "GEOJSON", "JSON": "JSON", "PDF": "PDF", "XLS": "XLS",
              "XML": "XML", "ZIP": "ZIP", "HTML": "HTML", "RDF": "RDF_XML", "SHP": "SHP", "KML": "KML", "TXT": "TXT"}
DATA_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_THEME_SCHEME = URIRef("http://publications.europa.eu/resource/authority/data-theme")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
# The portal's categories (CKAN groups) as EU data themes; a category not listed is government and public sector,
# which is what a local administration's data is unless it says otherwise.
EU_THEMES = {"complaints": "GOVE", "budget": "ECON", "services": "GOVE", "tax": "ECON", "infrastructure": "TRAN",
             "population": "SOCI", "health": "HEAL", "education": "EDUC", "environment": "ENVI", "agriculture": "AGRI",
             "energy": "ENER", "justice": "JUST", "science": "TECH", "transport": "TRAN", "tourism": "ECON",
             "public-safety": "JUST", "regions": "REGI"}
EU_THEME_LABELS = {"AGRI": "Agriculture, fisheries, forestry and food", "ECON": "Economy and finance",
                   "EDUC": "Education, culture and sport", "ENER": "Energy", "ENVI": "Environment",
                   "GOVE": "Government and public sector", "HEAL": "Health", "INTR": "International issues",
                   "JUST": "Justice, legal system and public safety", "REGI": "Regions and cities",
                   "SOCI": "Population and society", "TECH": "Science and technology", "TRAN": "Transport"}
PAGE_SIZE = 100  # datasets per catalogue page, as ckanext-dcat serves them


def _dt(value):
    return Literal(timezone.localtime(value).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _agent(graph, uri, organization):
    agent = URIRef(uri)
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(organization.name_th, lang="th")))
    if organization.name_en:
        graph.add((agent, FOAF.name, Literal(organization.name_en, lang="en")))
    return agent


def base_url(request) -> str:
    """The portal's address for URIs: PORTAL_BASE_URL when set (never the request's Host header), else the request's
    own address (development)."""
    return ckan.absolute(request, "/").rstrip("/")


def build_graph(request, datasets, *, organization=None, paging=None) -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("skos", SKOS)
    graph.bind("hydra", HYDRA)
    base = base_url(request)
    if organization is not None:
        catalog_path = reverse("opendata:index", args=[organization.slug])
        title = f"ข้อมูลเปิด {organization.name_th}"
    else:
        catalog_path = reverse("opendata-home")
        title = "ข้อมูลเปิดขององค์กรปกครองส่วนท้องถิ่น"
    catalog = URIRef(base + catalog_path + "#catalog")
    homepage = URIRef(base + catalog_path)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(title, lang="th")))
    graph.add((catalog, DCTERMS.description, Literal(
        "บัญชีข้อมูลเปิด ชุดข้อมูลที่เผยแพร่ พร้อมคำอธิบายข้อมูลตามมาตรฐานภาครัฐ", lang="th")))
    graph.add((catalog, DCTERMS.description, Literal(
        "Open data catalogue: published datasets with government metadata", lang="en")))
    graph.add((catalog, FOAF.homepage, homepage))
    graph.add((homepage, RDF.type, FOAF.Document))
    graph.add((catalog, DCTERMS.language, LANGUAGE.THA))
    graph.add((LANGUAGE.THA, RDF.type, DCTERMS.LinguisticSystem))
    graph.add((catalog, DCTERMS.modified, _dt(paging["modified"] if paging and paging.get("modified")
                                              else timezone.now())))
    if paging:  # hydra paging, read by ckanext-dcat's RDF harvester (processors: RDFParser.next_page)
        page_node = URIRef(paging["current"])
        graph.add((page_node, RDF.type, HYDRA.PagedCollection))
        graph.add((page_node, HYDRA.totalItems, Literal(paging["count"], datatype=XSD.integer)))
        graph.add((page_node, HYDRA.itemsPerPage, Literal(paging["per_page"], datatype=XSD.integer)))
        for key, predicate in (("first", HYDRA.firstPage), ("last", HYDRA.lastPage), ("next", HYDRA.nextPage),
                               ("previous", HYDRA.previousPage)):
            if paging.get(key):
                graph.add((page_node, predicate, Literal(paging[key])))
    if organization is not None:
        graph.add((catalog, DCTERMS.publisher, _agent(graph, base + organization.get_absolute_url(), organization)))
    else:
        publisher = URIRef(base + "/")
        graph.add((publisher, RDF.type, FOAF.Agent))
        graph.add((publisher, FOAF.name, Literal("พอร์ทัลองค์กรปกครองส่วนท้องถิ่น", lang="th")))
        graph.add((catalog, DCTERMS.publisher, publisher))
    themes = URIRef(base + reverse("opendata-home") + "#groups")
    theme_scheme_used = eu_scheme_used = False

    for dataset in datasets:
        page = URIRef(base + dataset.get_absolute_url())
        node = URIRef(page + "#dataset")
        graph.add((catalog, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.identifier, Literal(str(dataset.id))))
        graph.add((node, DCTERMS.title, Literal(dataset.title, lang="th")))
        graph.add((node, DCTERMS.description, Literal(dataset.notes or dataset.title, lang="th")))
        graph.add((node, DCTERMS.issued, _dt(dataset.metadata_created)))
        graph.add((node, DCTERMS.modified, _dt(dataset.metadata_modified)))
        graph.add((node, DCAT.landingPage, page))
        graph.add((page, RDF.type, FOAF.Document))
        graph.add((node, DCTERMS.publisher, _agent(graph, base + dataset.organization.get_absolute_url(),
                                                    dataset.organization)))
        for tag in dataset.tags.all():
            graph.add((node, DCAT.keyword, Literal(tag.name, lang="th")))
        for group in dataset.groups.all():
            code = EU_THEMES.get(group.name, "GOVE")
            eu_theme = DATA_THEME[code]
            graph.add((node, DCAT.theme, eu_theme))
            graph.add((eu_theme, RDF.type, SKOS.Concept))
            graph.add((eu_theme, SKOS.prefLabel, Literal(EU_THEME_LABELS[code], lang="en")))
            graph.add((eu_theme, SKOS.inScheme, EU_THEME_SCHEME))
            eu_scheme_used = True
            concept = URIRef(base + reverse("opendata-home") + f"?groups={group.name}")
            graph.add((concept, RDF.type, SKOS.Concept))
            graph.add((concept, SKOS.prefLabel, Literal(group.title_th, lang="th")))
            graph.add((concept, SKOS.inScheme, themes))
            graph.add((node, DCAT.theme, concept))
            theme_scheme_used = True
        frequency = FREQUENCIES.get((dataset.update_frequency_unit, dataset.update_frequency_interval),
                                    FREQUENCY_BY_UNIT.get(dataset.update_frequency_unit))
        if frequency:
            graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY[frequency]))
            graph.add((FREQUENCY[frequency], RDF.type, DCTERMS.Frequency))
        if dataset.geo_coverage or dataset.geo_coverage_other:
            place = BNode()
            graph.add((place, RDF.type, DCTERMS.Location))
            graph.add((place, SKOS.prefLabel, Literal(dataset.geo_coverage_other or dataset.geo_coverage, lang="th")))
            graph.add((node, DCTERMS.spatial, place))
        years = data_years(dataset)
        if years:
            period = BNode()
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            graph.add((period, DCAT.startDate, Literal(f"{years[0]}-01-01", datatype=XSD.date)))
            graph.add((period, DCAT.endDate, Literal(f"{years[1]}-12-31", datatype=XSD.date)))
            graph.add((node, DCTERMS.temporal, period))
        if dataset.maintainer or dataset.maintainer_email:
            contact = BNode()
            graph.add((contact, RDF.type, VCARD.Kind))
            graph.add((contact, VCARD.fn, Literal(dataset.maintainer or dataset.organization.name_th)))
            if dataset.maintainer_email:
                graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.maintainer_email}")))
            graph.add((node, DCAT.contactPoint, contact))
        license_uri = URIRef(dataset.license_url) if dataset.license_url else None
        if license_uri is not None:
            graph.add((license_uri, RDF.type, DCTERMS.LicenseDocument))
        for resource in dataset.resources.all():
            info = ckan.resource_dict(request, resource, dataset)
            dist = URIRef(base + dataset.get_absolute_url() + f"#resource-{resource.id}")
            graph.add((node, DCAT.distribution, dist))
            graph.add((dist, RDF.type, DCAT.Distribution))
            graph.add((dist, DCTERMS.title, Literal(resource.name, lang="th")))
            if resource.description:
                graph.add((dist, DCTERMS.description, Literal(resource.description, lang="th")))
            access = URIRef(base + dataset.get_absolute_url())
            graph.add((dist, DCAT.accessURL, access))
            graph.add((access, RDF.type, RDFS.Resource))
            if info["url"]:
                graph.add((dist, DCAT.downloadURL, URIRef(info["url"])))
                graph.add((URIRef(info["url"]), RDF.type, RDFS.Resource))
            if license_uri is not None:
                graph.add((dist, DCTERMS.license, license_uri))
            file_type = FILE_TYPES.get(resource.format) or FILE_TYPES.get((resource.format or "").upper())
            if file_type:  # the EU file-type IRI, labelled with the format's name
                graph.add((dist, DCTERMS["format"], FILE_TYPE[file_type]))
                graph.add((FILE_TYPE[file_type], RDF.type, DCTERMS.MediaTypeOrExtent))
                graph.add((FILE_TYPE[file_type], RDFS.label, Literal(resource.format)))
            if info["mimetype"]:
                media = IANA[info["mimetype"]]
                graph.add((dist, DCAT.mediaType, media))
                graph.add((media, RDF.type, DCTERMS.MediaType))
            if info["size"] is not None:
                graph.add((dist, DCAT.byteSize, Literal(info["size"], datatype=XSD.nonNegativeInteger)))
            graph.add((dist, DCTERMS.modified, _dt(resource.last_modified)))
    if eu_scheme_used:
        graph.add((EU_THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
        graph.add((EU_THEME_SCHEME, DCTERMS.title, Literal("Data theme", lang="en")))
        graph.add((catalog, DCAT.themeTaxonomy, EU_THEME_SCHEME))
    if theme_scheme_used:
        graph.add((themes, RDF.type, SKOS.ConceptScheme))
        graph.add((themes, DCTERMS.title, Literal("หมวดหมู่ข้อมูล", lang="th")))
        graph.add((catalog, DCAT.themeTaxonomy, themes))
    return graph


def data_years(dataset) -> tuple[int, int] | None:
    """(first, last) Christian-era year the data covers: thai-gdc's first/last year of data (Buddhist era) when the
    dataset gives either, else the years of its collection and last update dates."""
    first, last = dataset.first_year_of_data, dataset.last_year_of_data
    if first or last:
        first, last = ce_year(first or last), ce_year(last or first)
    elif dataset.created_date:
        first = dataset.created_date.year
        last = dataset.last_updated_date.year if dataset.last_updated_date else first
    else:
        return None
    return (min(first, last), max(first, last))


def catalog_datasets(organization=None):
    from . import selectors

    qs = selectors.public_datasets(organization).filter(selectors.harvestable_q()).order_by("-metadata_modified", "pk")
    return selectors.with_related(qs)


def page_of(qs, start: int, size: int) -> list[Dataset]:
    """`size` datasets of `qs` from `start`, in its order: the page's ids first, then its rows with what they
    need. Sorting whole rows to skip `start` of them spilled to disk at tens of thousands of datasets."""
    from . import selectors

    ids = list(qs.values_list("pk", flat=True)[start:start + size])
    by_id = {d.pk: d for d in selectors.with_related(Dataset.objects.filter(pk__in=ids))}
    return [by_id[i] for i in ids if i in by_id]


def schema_org(request, dataset: Dataset) -> dict:
    """schema.org Dataset for search engines (embedded in the dataset page)."""
    distributions = []
    for resource in dataset.resources.all():
        info = ckan.resource_dict(request, resource, dataset)
        if info["url"]:
            distributions.append({"@type": "DataDownload", "name": resource.name, "contentUrl": info["url"],
                                  "encodingFormat": info["mimetype"] or resource.format})
    data = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": dataset.title,
        "description": dataset.notes or dataset.title,
        "url": base_url(request) + dataset.get_absolute_url(),
        "identifier": str(dataset.id),
        "keywords": [t.name for t in dataset.tags.all()],
        "license": dataset.license_url or dataset.license_title,
        "isAccessibleForFree": True,
        "inLanguage": "th",
        "dateModified": timezone.localtime(dataset.metadata_modified).isoformat(),
        "creator": {"@type": "GovernmentOrganization", "name": dataset.organization.name_th},
        "distribution": distributions,
    }
    if dataset.geo_coverage or dataset.geo_coverage_other:
        data["spatialCoverage"] = {"@type": "Place", "name": dataset.geo_coverage_other or dataset.geo_coverage}
    if dataset.first_year_of_data or dataset.last_year_of_data:
        first, last = data_years(dataset)
        data["temporalCoverage"] = f"{first}-01-01/{last}-12-31"
    elif dataset.created_date:
        end = dataset.last_updated_date.isoformat() if dataset.last_updated_date else ".."
        data["temporalCoverage"] = f"{dataset.created_date.isoformat()}/{end}"
    return data
