import pytest

from complaints.demo import ensure_categories
from eservice.models import ServiceRequest
from portal.open311.services import create_api_key

from .factories import VALID_ID, service_with_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(org):
    ensure_categories(org)
    service_with_template(org, "health-hazard-licence")
    service_with_template(org, "water-truck")
    _, key = create_api_key(organization=org, name="eservice", actor=None)
    return {"org": org, "key": key}


def test_services_list_has_eservice_types_with_metadata(client, site):
    rows = client.get("/open311/v2/services.json", {"jurisdiction_id": site["org"].slug}).json()
    by_code = {r["service_code"]: r for r in rows}
    assert by_code["health-hazard-licence"]["metadata"] is True
    assert by_code["street_light"]["metadata"] is False  # complaint categories unchanged


def test_service_definition_attributes_from_form(client, site):
    body = client.get("/open311/v2/services/health-hazard-licence.json",
                      {"jurisdiction_id": site["org"].slug}).json()
    assert body["service_code"] == "health-hazard-licence"
    attrs = {a["code"]: a for a in body["attributes"]}
    assert set(attrs["business_type"]) == {"variable", "code", "datatype", "required", "datatype_description",
                                           "order", "description", "values"}
    assert attrs["business_type"]["datatype"] == "singlevaluelist"
    assert {"key": "ice", "name": "ผลิตน้ำแข็ง"} in attrs["business_type"]["values"]
    assert attrs["opening_date"]["datatype"] == "datetime" and attrs["workers"]["datatype"] == "number"
    assert attrs["citizen_id"]["required"] is True and attrs["citizen_id"]["datatype"] == "string"
    # A file is sent as its URL; a missing one is asked for after filing, so it is never required here.
    assert attrs["premises_map"]["datatype"] == "string" and attrs["premises_map"]["required"] is False
    assert "URL" in attrs["premises_map"]["datatype_description"]
    orders = [a["order"] for a in body["attributes"]]
    assert orders == sorted(orders)
    multi = client.get("/open311/v2/services/water-truck.json", {"jurisdiction_id": site["org"].slug}).json()
    assert {a["code"]: a for a in multi["attributes"]}["use"]["datatype"] == "multivaluelist"
    xml = client.get("/open311/v2/services/water-truck.xml", {"jurisdiction_id": site["org"].slug})
    assert xml.status_code == 200 and b"<datatype>multivaluelist</datatype>" in xml.content


def _post(client, site, **attributes):
    data = {"jurisdiction_id": site["org"].slug, "api_key": site["key"], "service_code": "health-hazard-licence",
            "first_name": "สมชาย", "last_name": "ใจดี", "email": "a@example.com"}
    base = {"citizen_id": VALID_ID, "business_name": "ร้านน้ำแข็งใส", "business_type": "ice",
            "opening_date": "2025-11-01", "workers": "๓", "premises": "9|คำใหญ่|ห้วยเม็ก|กาฬสินธุ์"}
    base.update(attributes)
    data.update({f"attribute[{k}]": v for k, v in base.items() if v is not None})
    return client.post("/open311/v2/requests.json", data)


def test_post_files_an_eservice_request(client, site):
    response = _post(client, site)
    assert response.status_code == 200, response.content
    code = response.json()[0]["service_request_id"]
    request_obj = ServiceRequest.objects.get(tracking_code=code)
    assert request_obj.channel == "open311" and request_obj.applicant_name == "สมชาย ใจดี"
    assert request_obj.answers["opening_date"] == "2025-11-01" and request_obj.answers["workers"] == "3"
    assert request_obj.answers["premises"]["district"] == "ห้วยเม็ก"
    assert VALID_ID not in str(request_obj.answers)


@pytest.mark.parametrize(("attrs", "code"), [
    ({"business_name": None}, "business_name"),
    ({"business_type": "castle"}, "business_type"),
    ({"citizen_id": "1101700230709"}, "citizen_id"),
    ({"workers": "many"}, "workers"),
    ({"opening_date": "2025-02-30"}, "opening_date"),
])
def test_bad_attribute_is_400_naming_the_code(client, site, attrs, code):
    response = _post(client, site, **attrs)
    assert response.status_code == 400
    description = response.json()[0]["description"]
    assert f"attribute[{code}]" in description
    assert not ServiceRequest.objects.exists()


def test_post_without_key_is_refused(client, site):
    response = client.post("/open311/v2/requests.json", {"jurisdiction_id": site["org"].slug,
                                                         "service_code": "health-hazard-licence"})
    assert response.status_code == 403



def test_get_one_eservice_request_like_a_complaint_without_personal_data(client, site, other_org):
    from eservice.requests import services

    code = _post(client, site).json()[0]["service_request_id"]
    params = {"jurisdiction_id": site["org"].slug}
    response = client.get(f"/open311/v2/requests/{code}.json", params)
    assert response.status_code == 200
    [row] = response.json()
    complaint = client.post("/open311/v2/requests.json", {
        "jurisdiction_id": site["org"].slug, "api_key": site["key"], "service_code": "street_light",
        "address_string": "หน้าวัด หมู่ 3",
        "description": "ไฟดับ"}).json()[0]["service_request_id"]
    [complaint_row] = client.get(f"/open311/v2/requests/{complaint}.json", params).json()
    assert set(row) == set(complaint_row)  # the same shape as a complaint request
    assert row["service_request_id"] == code and row["service_code"] == "health-hazard-licence"
    assert row["status"] == "open" and row["status_notes"] == "รับคำร้องแล้ว" and row["requested_datetime"]
    assert row["expected_datetime"]  # the deadline from the processing time
    text = response.content.decode()
    for personal in ("สมชาย", "ใจดี", "a@example.com", "ร้านน้ำแข็งใส", "ห้วยเม็ก", VALID_ID[-4:]):
        assert personal not in text
    request_obj = ServiceRequest.objects.get(tracking_code=code)
    services.change_status(request_obj=request_obj, to_status="cancelled", note="ผู้ยื่นขอยกเลิก")
    [row] = client.get(f"/open311/v2/requests/{code.lower()}.json", params).json()
    assert row["status"] == "closed" and "ผู้ยื่นขอยกเลิก" not in str(row)
    xml = client.get(f"/open311/v2/requests/{code}.xml", params)
    assert xml.status_code == 200 and f"<service_request_id>{code}</service_request_id>".encode() in xml.content
    # Another organization's jurisdiction, or an unknown code: 404.
    assert client.get(f"/open311/v2/requests/{code}.json", {"jurisdiction_id": other_org.slug}).status_code == 404
    assert client.get("/open311/v2/requests/KY-0000-XXXXXX.json", params).status_code == 404


def test_a_files_description_states_the_upload_limit_in_force(client, site, settings):
    """The size a client may send is the one upload limit (UPLOAD_MAX_BYTES) when the definition is asked for, not
    when the module was first imported."""
    import eservice.open311  # noqa: F401  (imported before the limit changes, as in a running server)

    settings.UPLOAD_MAX_BYTES = 3 * 1024 * 1024
    body = client.get("/open311/v2/services/health-hazard-licence.json", {"jurisdiction_id": site["org"].slug}).json()
    description = {a["code"]: a for a in body["attributes"]}["premises_map"]["datatype_description"]
    assert "ไม่เกิน 3 MB" in description and "{mb}" not in description, description
