"""Open311 GeoReport v2 driven as an integrator drives it, against a live server.

Reads go through `georeport` (the GeoReport v2 client on PyPI: service list, definitions, request lists, JSON and
XML). It has no POST, so filing is written here from the specification: form-encoded, `attribute[code]` for each
attribute, values chosen only from what the service definition says (a `values` key, or the example its
`datatype_description` gives, as a person reading it would). Every service in services.json is filed, in JSON and
in XML, and then found in requests.json. Files named by URL (`media_url`) are served from a local HTTP server.
"""

import datetime as dt
import http.server
import io
import re
import threading
import time

import pytest
import requests
from georeport import GeoReport

pytestmark = pytest.mark.django_db(transaction=True)

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
CONTACT = {"first_name": "Somsri", "last_name": "Privatename", "email": "somsri.private@example.com"}


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


class Files(http.server.BaseHTTPRequestHandler):
    routes = {"/photo.jpg": ("image/jpeg", _jpeg()), "/scan.pdf": ("application/pdf", PDF),
              "/notes.txt": ("text/plain", b"just some text, not a picture\n" * 10)}

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/photo.jpg")
            self.end_headers()
            return
        if self.path == "/slow.jpg":
            time.sleep(3)
        if self.path == "/huge.jpg":
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(500 * 1024 * 1024))
            self.end_headers()
            return
        kind, body = self.routes.get(self.path.replace("/slow.jpg", "/photo.jpg"), (None, None))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def files():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def site(live_server, settings):
    from complaints.demo import ensure_categories
    from eservice.catalogue import TEMPLATES
    from eservice.requests.services import create_from_template
    from portal.open311.services import create_api_key
    from tests.portal.factories import OrganizationFactory

    settings.OPEN311_MEDIA_ALLOW_PRIVATE = True  # the test's file server is on 127.0.0.1
    org = OrganizationFactory(slug="georeport")
    ensure_categories(org)
    for key in TEMPLATES:
        create_from_template(organization=org, template_key=key)
    _, key = create_api_key(organization=org, name="georeport", actor=None)
    return {"root": f"{live_server.url}/open311/v2", "live": live_server.url, "jid": org.slug, "key": key}


# --- the client side, from the specification ---------------------------------------------------------------------

def as_list(value):
    """xmltodict gives one element as a dict and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def attributes_of(definition) -> list[dict]:
    attributes = definition.get("attributes")
    if isinstance(attributes, dict):  # XML: <attributes><attribute>...</attribute></attributes>
        attributes = attributes.get("attribute")
    rows = []
    for attribute in as_list(attributes):
        values = attribute.get("values")
        if isinstance(values, dict):
            values = as_list(values.get("value"))
        required = attribute.get("required")
        rows.append({**attribute, "values": values or [],
                     "required": required is True or str(required).lower() == "true"})
    return rows


def answer(attribute) -> list[str]:
    """What a person filling the client's form types for a required attribute, from its definition only."""
    if attribute["datatype"] in ("singlevaluelist", "multivaluelist"):
        return [attribute["values"][0]["key"]]
    example = re.search(r"(?:เช่น|e\.g\.)\s+(.+?)(?:\s+\(|\s+·|$)", attribute.get("datatype_description") or "")
    if example:
        return [example.group(1).strip()]
    return {"number": ["1"], "datetime": [dt.date.today().isoformat()]}.get(
        attribute["datatype"], ["ข้อความจากแอป GeoReport"])


def file_request(root, jid, key, service, definition, fmt, **extra):
    data = {"jurisdiction_id": jid, "api_key": key, "service_code": service["service_code"],
            "lat": "16.4321", "long": "102.8231", "description": f"filed by a GeoReport client ({fmt})", **CONTACT,
            **extra}
    for attribute in attributes_of(definition or {}):
        if attribute["required"]:
            suffix = "[]" if attribute["datatype"] == "multivaluelist" else ""
            data[f"attribute[{attribute['code']}]{suffix}"] = answer(attribute)
    response = requests.post(f"{root}/requests.{fmt}", data=data, timeout=30)
    assert response.status_code == 200, (service["service_code"], fmt, response.text)
    if fmt == "json":
        return response.json()[0]
    import xmltodict

    return xmltodict.parse(response.content)["service_requests"]["request"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_service_is_filed_with_only_its_definition_and_found_again(site, files, fmt):
    client = GeoReport(site["root"], jurisdiction=site["jid"], api_key=site["key"], output_format=fmt)
    services = as_list(client.get_service_list())
    codes = [s["service_code"] for s in services]
    assert {"street_light", "tap-water-connection", "building-permit", "health-hazard-licence"} <= set(codes)
    for service in services:
        words = service["keywords"] or ""
        assert words == ",".join(w.strip() for w in words.split(",")) and "  " not in words  # comma-separated

    # JSON sends a photo with every request; XML sends none, so required documents are asked for after filing.
    extra = {"media_url": f"{files}/photo.jpg"} if fmt == "json" else {}
    filed = {}
    for service in services:
        metadata = service["metadata"] in (True, "true")
        definition = client.get_service_definition(service["service_code"]) if metadata else None
        answer_row = file_request(site["root"], site["jid"], site["key"], service, definition, fmt, **extra)
        filed[service["service_code"]] = answer_row

    ids = [row["service_request_id"] for row in filed.values()]
    assert all(ids) and len(set(ids)) == len(services)
    listed = as_list(client.get_service_requests(service_request_id=",".join(ids)))
    assert {r["service_request_id"] for r in listed} == set(ids)
    for code, row in filed.items():
        [found] = [r for r in as_list(client.get_service_requests(service_code=code))
                   if r["service_request_id"] == row["service_request_id"]]
        assert found["service_code"] == code and found["status"] == "open"
        one = client.get_service_request(row["service_request_id"])
        assert one["service_request_id"] == row["service_request_id"]
    now = dt.datetime.now(dt.UTC)
    window = as_list(client.get_service_requests(
        start_date=(now - dt.timedelta(hours=1)).isoformat(), end_date=(now + dt.timedelta(hours=1)).isoformat(),
        status="open"))
    assert set(ids) <= {r["service_request_id"] for r in window}
    # georeport cannot read an empty XML list (xmltodict gives None for <service_requests/>): ask for this one as JSON.
    closed = requests.get(f"{site['root']}/requests.json", params={"jurisdiction_id": site["jid"], "status": "closed"},
                          timeout=30).json()
    assert not set(ids) & {r["service_request_id"] for r in closed}

    # Nothing personal in the public list.
    text = requests.get(f"{site['root']}/requests.{fmt}", params={"jurisdiction_id": site["jid"]}, timeout=30).text
    for personal in CONTACT.values():
        assert personal not in text
    assert "1234567890121" not in text  # the citizen ID example sent as an attribute

    from eservice.models import RequestDocument, ServiceRequest

    building = ServiceRequest.objects.get(tracking_code=filed["building-permit"]["service_request_id"])
    if fmt == "json":
        # The photo filled the required file attribute: nothing is asked for after filing.
        assert building.status == "received" and not (filed["building-permit"]["service_notice"] or "")
        assert RequestDocument.objects.filter(request=building, field_code="plans").count() == 1
        from complaints.models import Complaint

        light = Complaint.objects.get(tracking_code=filed["street_light"]["service_request_id"])
        assert light.photos.count() == 1
        [row] = as_list(client.get_service_requests(service_request_id=light.tracking_code))
        assert row["media_url"].startswith(site["live"])
    else:
        # Not sent: the request is filed and waits for the documents, which the answer names with the link.
        assert building.status == "waiting_citizen"
        assert building.document_requests.get().items == ["แบบแปลน"]
        assert "แบบแปลน" in filed["building-permit"]["service_notice"]
        assert f"?k={building.access_key}" in filed["building-permit"]["service_notice"]
        [row] = as_list(client.get_service_requests(service_request_id=building.tracking_code))
        assert row["status"] == "open" and row["status_notes"] == "รอเอกสารจากผู้ยื่น"


def test_a_file_attribute_takes_a_url(site, files):
    client = GeoReport(site["root"], jurisdiction=site["jid"], api_key=site["key"])
    service = {"service_code": "tap-water-connection"}
    row = file_request(site["root"], site["jid"], site["key"], service, client.get_service_definition(
        "tap-water-connection"), "json", **{"attribute[house_registration]": f"{files}/scan.pdf"})
    from eservice.models import RequestDocument, ServiceRequest

    request_obj = ServiceRequest.objects.get(tracking_code=row["service_request_id"])
    document = RequestDocument.objects.get(request=request_obj)
    assert (document.field_code, document.mime, document.size) == ("house_registration", "application/pdf", len(PDF))
    assert request_obj.status == "received"


@pytest.mark.parametrize(("path", "words"), [
    ("/notes.txt", "ไม่ใช่ภาพ"),  # not a picture: refused by content, as a photo upload is
    ("/missing.jpg", "HTTP 404"),
    ("/huge.jpg", "larger than"),
    ("/slow.jpg", "could not be"),
    ("ftp://127.0.0.1/photo.jpg", "http or https"),
    ("http://[::1", "not a valid URL"),
])
def test_a_media_url_that_cannot_be_used_is_refused_never_dropped(site, files, settings, path, words):
    from complaints.models import Complaint

    settings.OPEN311_MEDIA_TIMEOUT = 0.5
    url = path if "://" in path else files + path
    response = requests.post(f"{site['root']}/requests.json", data={
        "jurisdiction_id": site["jid"], "api_key": site["key"], "service_code": "street_light", "lat": "16.4321",
        "long": "102.8231", "description": "ไฟดับ", "media_url": url}, timeout=30)
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and "media_url" in error["description"] and words in error["description"]
    assert not Complaint.objects.exists()


def test_a_file_attribute_that_cannot_be_fetched_is_a_400_naming_it(site, files):
    from eservice.models import ServiceRequest

    client = GeoReport(site["root"], jurisdiction=site["jid"], api_key=site["key"])
    response = requests.post(f"{site['root']}/requests.json", timeout=30, data={
        "jurisdiction_id": site["jid"], "api_key": site["key"], "service_code": "tap-water-connection",
        "attribute[house_registration]": f"{files}/missing.pdf",
        **{f"attribute[{a['code']}]": answer(a) for a in attributes_of(client.get_service_definition(
            "tap-water-connection")) if a["required"]}})
    assert response.status_code == 400
    assert "attribute[house_registration]" in response.json()[0]["description"]
    assert not ServiceRequest.objects.exists()


def test_a_redirect_is_followed_and_a_private_address_refused_unless_allowed(site, files, settings):
    from complaints.models import Complaint

    data = {"jurisdiction_id": site["jid"], "api_key": site["key"], "service_code": "street_light",
            "lat": "16.4321", "long": "102.8231", "description": "ไฟดับ", "media_url": f"{files}/moved"}
    assert requests.post(f"{site['root']}/requests.json", data=data, timeout=30).status_code == 200
    assert Complaint.objects.get().photos.count() == 1
    settings.OPEN311_MEDIA_ALLOW_PRIVATE = False
    response = requests.post(f"{site['root']}/requests.xml", data=data, timeout=30)
    assert response.status_code == 400 and b"not on the public internet" in response.content
    assert Complaint.objects.count() == 1


def test_a_minimal_request_without_any_personal_field_is_filed(site):
    """first_name, last_name, email and phone are optional in GeoReport v2: none of them is required here."""
    client = GeoReport(site["root"], jurisdiction=site["jid"], api_key=site["key"])
    definition = client.get_service_definition("general-request")
    data = {"jurisdiction_id": site["jid"], "api_key": site["key"], "service_code": "general-request",
            "lat": "16.4321", "long": "102.8231"}
    for attribute in attributes_of(definition):
        if attribute["required"]:
            data[f"attribute[{attribute['code']}]"] = answer(attribute)
    response = requests.post(f"{site['root']}/requests.json", data=data, timeout=30)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_points_a_client_at_the_endpoint(site, fmt):
    response = requests.get(f"{site['live']}/open311/discovery.{fmt}", timeout=30)
    assert response.status_code == 200
    if fmt == "json":
        endpoint = response.json()["endpoints"][0]
        formats = endpoint["formats"]
    else:
        import xmltodict

        endpoint = xmltodict.parse(response.content)["discovery"]["endpoints"]["endpoint"]
        formats = as_list(endpoint["formats"]["format"])
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(formats) == {"text/xml", "application/json"} and endpoint["type"] == "production"
    assert endpoint["url"] == site["root"]
    client = GeoReport(endpoint["url"], jurisdiction=site["jid"], output_format=fmt)
    assert as_list(client.get_service_list())
