import base64

import pytest
import yaml
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import path
from django_ratelimit.decorators import ratelimit

from portal.urls import urlpatterns as portal_urlpatterns


@pytest.mark.django_db
def test_openapi_schema_is_valid_and_warning_free(tmp_path, capsys):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    assert "openapi: 3" in text and "/api/organizations/" in text


def _responses(schema, path, method="get"):
    return set(schema["paths"][path][method]["responses"])


@pytest.mark.django_db
def test_every_operation_documents_the_errors_its_view_can_answer(tmp_path):
    """portal.api.openapi derives them from the view: staff-only operations may refuse a login (401) or a role (403),
    public ones only a wrong login; only operations with a lookup or pages have a 404; throttles give a 429."""
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert _responses(schema, "/api/complaints/") == {"200", "400", "401", "403", "404", "429"}
    assert _responses(schema, "/api/complaints/{tracking_code}/transition/", "post") == {
        "200", "400", "401", "403", "404", "415", "429"}
    assert _responses(schema, "/api/organizations/") == {"200", "400", "401", "404", "429"}
    assert _responses(schema, "/api/queue/bookings/", "post") == {"201", "400", "409", "415", "429"}
    assert _responses(schema, "/api/tax/estimate/signboard/") == {"200", "400", "429"}
    errors = schema["components"]["responses"]
    assert errors["NotFound"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Retry-After" in errors["TooManyRequests"]["headers"]
    assert "WWW-Authenticate" in errors["Unauthorized"]["headers"]


def _basic(username, password):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.mark.django_db
def test_api_login_missing_or_wrong_is_401_and_missing_role_is_403(client, org, settings):
    from tests.portal.factories import UserFactory, staff

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    anonymous = client.get("/api/complaints/")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Basic")
    officer = staff(org)
    assert client.get("/api/complaints/", **_basic(officer.username, "wrong")).status_code == 401
    assert client.get("/api/organizations/", **_basic(officer.username, "wrong")).status_code == 401
    assert client.get("/api/complaints/", **_basic(officer.username, "pw-test-12345")).status_code == 200
    nobody = UserFactory()
    nobody.save()
    assert client.get("/api/complaints/", **_basic(nobody.username, "pw-test-12345")).status_code == 403
    # a NUL in the login is a wrong login, not a database error (PostgreSQL refuses NUL in a query)
    for username, password in (("a\x00b", "x"), (officer.username, "pw\x00")):
        response = client.get("/api/organizations/", **_basic(username, password))
        assert response.status_code == 401 and response.json()["detail"]


@pytest.mark.django_db
def test_api_page_that_is_not_a_number_is_400_and_past_the_end_is_404(client, org):
    assert client.get("/api/organizations/", {"page": "1"}).status_code == 200
    assert client.get("/api/organizations/", {"page": "last"}).status_code == 200
    for bad in ("abc", "0", "-3", "1.5", "๑"):
        response = client.get("/api/organizations/", {"page": bad})
        assert response.status_code == 400 and "page" in response.json(), bad
    past = client.get("/api/organizations/", {"page": "99"})
    assert past.status_code == 404 and past.json()["detail"]


@pytest.mark.django_db
def test_api_missing_object_is_a_thai_404_that_names_no_model(client, org):
    from tests.portal.factories import staff

    client.force_login(staff(org))
    for url in ("/api/complaints/KY-2568-NOPE/", "/api/departments/999999/", "/api/organizations/no-such-org/"):
        response = client.get(url)
        assert response.status_code == 404 and response.json() == {"detail": "ไม่พบ"}, url


@pytest.mark.django_db
def test_api_path_that_matches_no_route_is_a_json_404(client):
    for url in ("/api/complaints/a%20b/", "/api/no-such-route/"):
        response = client.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", url
        assert response.json()["detail"]


@pytest.mark.django_db
def test_huge_plan_ids_in_filters_match_nothing_instead_of_a_500(client, org):
    from tests.portal.factories import staff

    client.force_login(staff(org))
    for url in ("/api/innovation-plans/activities/", "/api/innovation-plans/monitoring/"):
        for value in ("-1e239", "1e30", "99999999999999999999"):
            response = client.get(url, {"plan": value})
            assert response.status_code in (200, 400), (url, value)
            if response.status_code == 200:
                assert response.json()["count"] == 0


@ratelimit(key="ip", rate="2/h", block=True)  # hourly window: no boundary inside the test
def limited_view(request):
    return HttpResponse("ok")


urlpatterns = [path("limited", limited_view), *portal_urlpatterns]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_rate_limited_view_answers_429_in_thai(client, settings):
    settings.RATELIMIT_ENABLE = True
    codes = [client.get("/limited", REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert codes[:2] == [200, 200] and codes[-1] == 429
    response = client.get("/limited", REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT="text/html")
    assert response.status_code == 429 and "มีคำขอมากเกินไป" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_api_clients_are_throttled(client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "1000/min"})
    codes = [client.get("/api/organizations/", REMOTE_ADDR="198.51.100.7").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
