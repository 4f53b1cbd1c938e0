"""Open311 GeoReport v2 conformance, written from the specification (GeoReport v2 on the Open311 wiki),
speaking plain HTTP with `requests` to a live server. The PyPI clients
(`three`, `open311`) do not import on Python 3.11, so this suite is the independent client.

It deliberately knows nothing of the portal's code: it only creates fixtures (an organization, an API key).
"""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import requests

pytestmark = pytest.mark.django_db(transaction=True)

SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


@pytest.fixture
def site(live_server):
    from complaints.demo import ensure_categories
    from portal.open311.services import create_api_key
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="conformance")
    ensure_categories(org)
    _, key = create_api_key(organization=org, name="conformance", actor=None)
    base = f"{live_server.url}/open311/v2"
    return {"base": base, "jid": org.slug, "key": key}


def iso(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, f"{value} has no time zone"
    return parsed


def post_request(site, fmt="json", **fields):
    data = {"jurisdiction_id": site["jid"], "api_key": site["key"], "service_code": "street_light",
            "lat": "16.4321", "long": "102.8231", "description": "Street light out in front of the temple",
            "email": "citizen@example.com", "first_name": "Somchai", "last_name": "J."}
    data.update(fields)
    return requests.post(f"{site['base']}/requests.{fmt}", data=data, timeout=10)


def test_service_list_json_and_xml(site):
    r = requests.get(f"{site['base']}/services.json", params={"jurisdiction_id": site["jid"]}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    services = r.json()
    assert isinstance(services, list) and services
    for service in services:
        assert SERVICE_FIELDS <= set(service)
        assert isinstance(service["service_code"], str)
        assert service["type"] in ("realtime", "batch", "blackbox")
        assert service["metadata"] in (True, False)
    codes = {s["service_code"] for s in services}
    assert "street_light" in codes
    assert "corruption" not in codes  # protected channel is not a public service

    x = requests.get(f"{site['base']}/services.xml", params={"jurisdiction_id": site["jid"]}, timeout=10)
    assert x.status_code == 200 and "xml" in x.headers["Content-Type"]
    root = ET.fromstring(x.content)
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} == codes
    assert root.find("service/metadata").text in ("true", "false")


def test_service_definition_and_unknown(site):
    r = requests.get(f"{site['base']}/services/street_light.json", params={"jurisdiction_id": site["jid"]}, timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert body["service_code"] == "street_light" and isinstance(body["attributes"], list)
    r = requests.get(f"{site['base']}/services/no_such_service.json", params={"jurisdiction_id": site["jid"]},
                     timeout=10)
    assert r.status_code == 404
    assert {"code", "description"} <= set(r.json()[0])


def test_post_then_get_round_trip(site):
    r = post_request(site)
    assert r.status_code in (200, 201)
    answer = r.json()
    assert isinstance(answer, list) and len(answer) == 1
    request_id = answer[0].get("service_request_id")
    assert request_id

    one = requests.get(f"{site['base']}/requests/{request_id}.json", params={"jurisdiction_id": site["jid"]},
                       timeout=10)
    assert one.status_code == 200
    items = one.json()
    assert isinstance(items, list) and len(items) == 1
    item = items[0]
    assert REQUEST_FIELDS <= set(item)
    assert item["service_request_id"] == request_id and item["status"] == "open"
    assert item["service_code"] == "street_light"
    assert abs(float(item["lat"]) - 16.4321) < 1e-6 and abs(float(item["long"]) - 102.8231) < 1e-6
    requested, expected = iso(item["requested_datetime"]), iso(item["expected_datetime"])
    assert expected > requested  # filled from the SLA
    iso(item["updated_datetime"])

    listed = requests.get(f"{site['base']}/requests.json", params={"jurisdiction_id": site["jid"]}, timeout=10).json()
    assert request_id in [i["service_request_id"] for i in listed]
    by_ids = requests.get(f"{site['base']}/requests.json",
                          params={"jurisdiction_id": site["jid"], "service_request_id": f"{request_id},NOPE-1"},
                          timeout=10).json()
    assert [i["service_request_id"] for i in by_ids] == [request_id]

    x = requests.get(f"{site['base']}/requests/{request_id}.xml", params={"jurisdiction_id": site["jid"]},
                     timeout=10)
    root = ET.fromstring(x.content)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == request_id
    assert root.findtext("request/status") == "open"


def test_post_xml_answer(site):
    r = post_request(site, fmt="xml")
    assert r.status_code in (200, 201)
    root = ET.fromstring(r.content)
    assert root.tag == "service_requests" and root.findtext("request/service_request_id")


def test_filters(site):
    post_request(site)
    post_request(site, service_code="garbage", description="Garbage not collected")
    params = {"jurisdiction_id": site["jid"]}
    garbage = requests.get(f"{site['base']}/requests.json", params={**params, "service_code": "garbage"},
                           timeout=10).json()
    assert garbage and all(i["service_code"] == "garbage" for i in garbage)
    closed = requests.get(f"{site['base']}/requests.json", params={**params, "status": "closed"}, timeout=10).json()
    assert closed == []
    opened = requests.get(f"{site['base']}/requests.json", params={**params, "status": "open"}, timeout=10).json()
    assert len(opened) == 2
    now = dt.datetime.now(dt.UTC)
    window = {"start_date": (now - dt.timedelta(days=1)).isoformat(), "end_date": (now + dt.timedelta(days=1)).isoformat()}
    assert len(requests.get(f"{site['base']}/requests.json", params={**params, **window}, timeout=10).json()) == 2
    old = {"start_date": (now - dt.timedelta(days=30)).isoformat(), "end_date": (now - dt.timedelta(days=20)).isoformat()}
    assert requests.get(f"{site['base']}/requests.json", params={**params, **old}, timeout=10).json() == []
    too_wide = {"start_date": (now - dt.timedelta(days=200)).isoformat(), "end_date": now.isoformat()}
    assert requests.get(f"{site['base']}/requests.json", params={**params, **too_wide}, timeout=10).status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors(site, fmt):
    def parse(r):
        if fmt == "json":
            body = r.json()
            return body[0]["code"], body[0]["description"]
        root = ET.fromstring(r.content)
        assert root.tag == "errors"
        return int(root.findtext("error/code")), root.findtext("error/description")

    missing_key = post_request(site, fmt=fmt, api_key="")
    assert missing_key.status_code == 403 and parse(missing_key)[0] == 403
    bad_key = post_request(site, fmt=fmt, api_key="not-a-key")
    assert bad_key.status_code == 403
    no_service = post_request(site, fmt=fmt, service_code="")
    assert no_service.status_code == 400 and parse(no_service)[1]
    no_location = post_request(site, fmt=fmt, lat="", long="")
    assert no_location.status_code == 400
    too_long = post_request(site, fmt=fmt, description="x" * 4001)
    assert too_long.status_code == 400
    for bad in ({"lat": "north", "long": "east"}, {"lat": "13.7563", "long": "100.5018"},  # Bangkok: outside
                {"phone": "call me"}, {"email": "not-an-e-mail"}):
        response = post_request(site, fmt=fmt, **bad)
        assert response.status_code == 400 and parse(response)[1], bad
    unknown = requests.get(f"{site['base']}/requests/NOPE-2568-XXXXXX.{fmt}",
                           params={"jurisdiction_id": site["jid"]}, timeout=10)
    assert unknown.status_code == 404 and parse(unknown)[0] == 404
    bad_jurisdiction = requests.get(f"{site['base']}/services.{fmt}", params={"jurisdiction_id": "nowhere"}, timeout=10)
    assert bad_jurisdiction.status_code == 404
    bad_status = requests.get(f"{site['base']}/requests.{fmt}",
                              params={"jurisdiction_id": site["jid"], "status": "pending"}, timeout=10)
    assert bad_status.status_code == 400


def test_key_of_another_jurisdiction_is_refused(site):
    from portal.open311.services import create_api_key
    from tests.portal.factories import OrganizationFactory

    _, other_key = create_api_key(organization=OrganizationFactory(), name="x", actor=None)
    assert post_request(site, api_key=other_key).status_code == 403


def test_create_api_key_command_prints_key_last(site):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("create_api_key", "--org", site["jid"], stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip().splitlines()[-1]
    assert post_request(site, api_key=key).status_code in (200, 201)
